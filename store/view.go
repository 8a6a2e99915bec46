package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"riskmon/petition"
)

// CaseView is a stored case as the API shows it: everything but the
// petitioner hash.
type CaseView struct {
	CaseNo       string
	ReceivedAt   time.Time
	Channel      string
	Category     string
	ReceivedUnit string
	Persons      int
	Level        string
	RepeatOf     string
	Supervised   bool
	Routing      bool
	Collective   bool
	SkipLevel    bool
	Repeat       bool
	State        petition.State
	Events       []EventView
}

// EventView is a stored event with what it did.
type EventView struct {
	Seq            int
	Event          petition.Event
	Unit           string // the case's unit when it happened
	CompletedStage string
	Late           bool
	RecordedBy     string // the credential whose API write recorded it; "" for an import's or the demo's
}

type viewRow struct {
	caseRow
	stateRow
	RegisteredAt sql.NullInt64 `db:"registered_at"`
	Timely       bool          `db:"timely"`
	Collective   bool          `db:"collective"`
	SkipLevel    bool          `db:"skip_level"`
	IsRepeat     bool          `db:"is_repeat"`
}

// Case returns a case with its history.
func (s *Store) Case(ctx context.Context, caseNo string) (CaseView, error) {
	var row viewRow
	err := s.db.GetContext(ctx, &row, "SELECT id, "+caseColumns+" FROM cases WHERE case_no = ?", caseNo)
	if errors.Is(err, sql.ErrNoRows) {
		return CaseView{}, fmt.Errorf("case %s: %w", caseNo, ErrNotFound)
	}
	if err != nil {
		return CaseView{}, fmt.Errorf("case %s: %w", caseNo, err)
	}
	v := row.view()
	var events []eventRow
	if err := s.db.SelectContext(ctx, &events, selectEvents+" ORDER BY seq", row.caseRow.ID); err != nil {
		return CaseView{}, fmt.Errorf("case %s events: %w", caseNo, err)
	}
	for _, e := range events {
		v.Events = append(v.Events, e.view())
	}
	return v, nil
}

// view is the case of a row, without its events.
func (row viewRow) view() CaseView {
	return caseView(row.caseRow.petitionCase(), caseFlags{row.Collective, row.SkipLevel, row.IsRepeat},
		matterStateRow{row.stateRow, row.MatterType, row.Category}.state())
}

// caseFlags are what the store derives of a case when it is written.
type caseFlags struct{ collective, skipLevel, repeat bool }

// caseView is the one builder of a case's view: from a stored row (Case, the
// event batches) and from a case as it is created.
func caseView(c petition.Case, f caseFlags, st petition.State) CaseView {
	return CaseView{
		CaseNo: c.CaseNo, ReceivedAt: c.ReceivedAt, Channel: c.Channel, Category: c.Category, ReceivedUnit: c.Unit,
		Persons: c.Persons, Level: c.Level, RepeatOf: c.RepeatOf, Supervised: c.Supervised, Routing: c.Routing,
		Collective: f.collective, SkipLevel: f.skipLevel, Repeat: f.repeat, State: st,
	}
}

// view is a stored event as a case view shows it.
func (e eventRow) view() EventView {
	return EventView{Seq: e.Seq, Event: e.event(), Unit: e.Unit, CompletedStage: e.CompletedStage.String, Late: e.Late, RecordedBy: e.RecordedBy.String}
}
