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
	return CaseView{
		CaseNo: row.CaseNo, ReceivedAt: fromUnix(row.ReceivedAt), Channel: row.Channel, Category: row.Category,
		ReceivedUnit: row.ReceivedUnit, Persons: row.Persons, Level: row.Level, RepeatOf: row.RepeatOf.String,
		Supervised: row.Supervised, Routing: row.Routing, Collective: row.Collective, SkipLevel: row.SkipLevel, Repeat: row.IsRepeat,
		State: matterStateRow{row.stateRow, row.MatterType, row.Category}.state(),
	}
}

// view is a stored event as a case view shows it.
func (e eventRow) view() EventView {
	return EventView{Seq: e.Seq, Event: e.event(), Unit: e.Unit, CompletedStage: e.CompletedStage.String, Late: e.Late}
}
