package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/calendar"
	"riskmon/petition"
)

type stateRow struct {
	ID          int64          `db:"id"`
	Status      string         `db:"status"`
	Stage       sql.NullString `db:"stage"`
	Unit        string         `db:"unit"`
	StageStart  sql.NullInt64  `db:"stage_start"`
	Deadline    sql.NullInt64  `db:"stage_deadline"`
	Extended    bool           `db:"extended"`
	Extension   int            `db:"extension_days"`
	Hearing     sql.NullInt64  `db:"hearing_since"`
	Paused      int            `db:"paused_days"`
	DecidedAt   sql.NullInt64  `db:"decided_at"`
	Decision    sql.NullString `db:"decision"`
	DeliveredAt sql.NullInt64  `db:"delivered_at"`
	Evaluated   bool           `db:"evaluated"`
	Supervision sql.NullString `db:"supervision"`
	Answered    bool           `db:"supervision_answered"`
	Major       bool           `db:"is_major"`
	MajorSince  sql.NullInt64  `db:"major_since"`
	Reported    uint8          `db:"reported_to"`
	Unreported  bool           `db:"major_unreported"` // derived: read, never used
	AssignedDue sql.NullInt32  `db:"assigned_due"`
	TransferBy  sql.NullString `db:"transferred_by"`
	TransferAt  sql.NullInt64  `db:"transferred_at"`
	Matter      sql.NullString `db:"matter"`
	LastEventAt int64          `db:"last_event_at"`
	LastSeq     int            `db:"last_seq"`
}

func (r stateRow) state() petition.State {
	return petition.State{
		Status:              r.Status,
		Unit:                r.Unit,
		StageStart:          fromNullUnix(r.StageStart),
		Extension:           r.Extension,
		HearingSince:        fromNullUnix(r.Hearing),
		Paused:              r.Paused,
		Deadline:            fromNullUnix(r.Deadline),
		DecidedAt:           fromNullUnix(r.DecidedAt),
		Decision:            r.Decision.String,
		DeliveredAt:         fromNullUnix(r.DeliveredAt),
		Evaluated:           r.Evaluated,
		Supervision:         r.Supervision.String,
		SupervisionAnswered: r.Answered,
		Major:               r.Major,
		MajorSince:          fromNullUnix(r.MajorSince),
		Reported:            r.Reported,
		AssignedDue:         calendar.Day(r.AssignedDue.Int32),
		TransferredBy:       r.TransferBy.String,
		TransferredAt:       fromNullUnix(r.TransferAt),
		Matter:              r.Matter.String,
		LastEventAt:         fromUnix(r.LastEventAt),
	}
}

// matterStateRow is a state with the case's matter type, which the rules
// read (petition.State.MatterType) and no event changes: it is content.
type matterStateRow struct {
	stateRow
	MatterType string `db:"matter_type"`
	Category   string `db:"category"` // content too: where the case counts in the backlog tally
}

func (r matterStateRow) state() petition.State {
	st := r.stateRow.state()
	st.MatterType = r.MatterType
	return st
}

// stateReadColumns are the columns of a matterStateRow.
const stateReadColumns = "id, matter_type, category, " + caseStateColumns

const selectState = "SELECT " + stateReadColumns + " FROM cases WHERE case_no = ?"

// CaseState returns the current state of a case.
func (s *Store) CaseState(ctx context.Context, caseNo string) (petition.State, error) {
	var row matterStateRow
	if err := s.db.GetContext(ctx, &row, selectState, caseNo); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return petition.State{}, fmt.Errorf("case %s: %w", caseNo, ErrNotFound)
		}
		return petition.State{}, fmt.Errorf("case %s: %w", caseNo, err)
	}
	return row.state(), nil
}

// AddEvent records one step of a case, updates its state and counts what it
// completed, all in one transaction, and returns the case as the step left
// it. Sending the case's last event again is a no-op (added is false), so a
// client may retry. A step the case's status
// does not allow wraps petition.ErrTransition, names the current status and
// writes nothing. Concurrent calls share transactions (see groupcommit.go)
// with the same outcome as one after another.
func (s *Store) AddEvent(ctx context.Context, r petition.Rules, caseNo string, e petition.Event) (view CaseView, added bool, err error) {
	return s.AddEventAs(ctx, r, caseNo, e, nil)
}

// AddEventAs is AddEvent for a caller that may write only where may says:
// it is asked, in the transaction that locks the case, about the case's
// current unit and the unit the event names (a transfer's), and its error
// refuses the event.
func (s *Store) AddEventAs(ctx context.Context, r petition.Rules, caseNo string, e petition.Event, may Guard) (view CaseView, added bool, err error) {
	e = eventInSeconds(e)
	call, err := s.events.enqueue(eventWrite{r: r, caseNo: caseNo, e: e, may: may, audit: auditFrom(ctx)})
	if err == nil {
		err = s.events.await(ctx, call)
	}
	if err == nil {
		err = cmp.Or(call.err, call.res.err)
	}
	if err != nil {
		return CaseView{}, false, fmt.Errorf("case %s: %s: %w", caseNo, e.Type, err)
	}
	return call.res.view, call.res.added, nil
}

// stateUpdate is a case of category going from the stored state from to
// st, its state after its event seq.
type stateUpdate struct {
	id       int64
	seq      int
	category string
	from, st petition.State
}

// updateStates stores the new states of cases in one statement: each
// column set by a CASE on the id. A batch of events saves a round trip a
// case. Every change of a stored state comes here, so the cases' places in
// the state tallies (stateTallies) move here alone, in the same transaction,
// with the versions of the units whose assignments change (bumpAssignments)
// and of the matters the cases name (bumpMatters).
func updateStates(ctx context.Context, ex sqlx.ExecerContext, d dialect, ups []stateUpdate) error {
	if len(ups) == 0 {
		return nil
	}
	state := newStateTallies()
	for _, u := range ups {
		state.move(u.category, u.from, u.st)
	}
	cols := columns(caseStateColumns)
	vals := make([][]any, len(ups))
	for i, u := range ups {
		vals[i] = stateValues(u.st, u.seq)
	}
	var q strings.Builder
	args := make([]any, 0, len(cols)*2*len(ups)+len(ups))
	q.WriteString("UPDATE cases SET ")
	for c, col := range cols {
		if c > 0 {
			q.WriteString(", ")
		}
		q.WriteString(col + " = CASE id")
		for i, u := range ups {
			q.WriteString(" WHEN ? THEN ?")
			args = append(args, u.id, vals[i][c])
		}
		q.WriteString(" END")
	}
	q.WriteString(" WHERE id IN (" + marks(len(ups)) + ")")
	for _, u := range ups {
		args = append(args, u.id)
	}
	if _, err := ex.ExecContext(ctx, q.String(), args...); err != nil {
		return fmt.Errorf("update cases: %w", err)
	}
	if err := state.write(ctx, ex, d); err != nil {
		return err
	}
	if err := bumpAssignments(ctx, ex, d, assignedUnits(ups)); err != nil {
		return err
	}
	var matters []string
	for _, u := range ups {
		matters = append(matters, u.from.Matter, u.st.Matter)
	}
	return bumpMatters(ctx, ex, matters)
}

// eventValues are an applied event's column values, unit being the case's
// unit when it happened.
func eventValues(caseID int64, seq int, unit string, e petition.Event, out petition.Outcome, by string) []any {
	// Only the field of the event type's spec is set (petition.Event.Problems):
	// the others are stored as NULL.
	return []any{caseID, seq, e.Type, e.At.Unix(), unit, nullString(out.CompletedStage), out.Late,
		sql.NullInt64{Int64: int64(e.Days), Valid: e.Days != 0}, nullString(e.Result), nullString(e.Unit), nullString(e.Level),
		nullString(e.To), nullString(e.Procedure), nullDay(e.Due), nullString(e.Matter), nullString(by)}
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// eventRow is a stored event.
type eventRow struct {
	CaseID         int64          `db:"case_id"`
	Seq            int            `db:"seq"`
	Type           string         `db:"type"`
	At             int64          `db:"at"`
	Unit           string         `db:"unit"`
	CompletedStage sql.NullString `db:"completed_stage"`
	Late           bool           `db:"late"`
	Days           sql.NullInt64  `db:"days"`
	Result         sql.NullString `db:"result"`
	NewUnit        sql.NullString `db:"new_unit"`
	Level          sql.NullString `db:"level"`
	ReportTo       sql.NullString `db:"report_to"`
	DivertedTo     sql.NullString `db:"diverted_to"`
	Due            sql.NullInt32  `db:"due"`
	Matter         sql.NullString `db:"matter"`
	RecordedBy     sql.NullString `db:"recorded_by"`
}

const selectEvents = "SELECT " + eventColumns + " FROM case_events WHERE case_id = ?"

func (r eventRow) event() petition.Event {
	return petition.Event{Type: r.Type, At: fromUnix(r.At), Days: int(r.Days.Int64), Result: r.Result.String, Unit: r.NewUnit.String,
		Level: r.Level.String, To: r.ReportTo.String, Procedure: r.DivertedTo.String,
		Due: calendar.Day(r.Due.Int32), Matter: r.Matter.String}
}

// sameEvent compares events by value; times by instant, whatever their zone.
func sameEvent(a, b petition.Event) bool {
	same := a.At.Equal(b.At)
	a.At, b.At = time.Time{}, time.Time{}
	return same && a == b
}
