package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

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
	LastEventAt int64          `db:"last_event_at"`
	LastSeq     int            `db:"last_seq"`
}

func (r stateRow) state() petition.State {
	return petition.State{
		Status:       r.Status,
		Unit:         r.Unit,
		StageStart:   fromNullUnix(r.StageStart),
		Extension:    r.Extension,
		HearingSince: fromNullUnix(r.Hearing),
		Paused:       r.Paused,
		Deadline:     fromNullUnix(r.Deadline),
		DecidedAt:    fromNullUnix(r.DecidedAt),
		Decision:     r.Decision.String,
		DeliveredAt:  fromNullUnix(r.DeliveredAt),
		Evaluated:    r.Evaluated,
		Supervision:  r.Supervision.String,
		LastEventAt:  fromUnix(r.LastEventAt),
	}
}

const selectState = "SELECT id, " + caseStateColumns + " FROM cases WHERE case_no = ?"

// CaseState returns the current state of a case.
func (s *Store) CaseState(ctx context.Context, caseNo string) (petition.State, error) {
	var row stateRow
	if err := s.db.GetContext(ctx, &row, selectState, caseNo); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return petition.State{}, fmt.Errorf("case %s: %w", caseNo, ErrNotFound)
		}
		return petition.State{}, fmt.Errorf("case %s: %w", caseNo, err)
	}
	return row.state(), nil
}

// AddEvent records one step of a case, updates its state and counts what it
// completed, all in one transaction. Sending the case's last event again is
// a no-op (added is false), so a client may retry. A step the case's status
// does not allow wraps petition.ErrTransition, names the current status and
// writes nothing.
func (s *Store) AddEvent(ctx context.Context, r petition.Rules, caseNo string, e petition.Event) (st petition.State, added bool, err error) {
	e.At = e.At.Truncate(time.Second)
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		var row stateRow
		if err := tx.GetContext(ctx, &row, selectState+s.dialect.forUpdate, caseNo); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if row.LastSeq > 0 {
			var last eventRow
			if err := tx.GetContext(ctx, &last, selectEvents+" AND seq = ?", row.ID, row.LastSeq); err != nil {
				return fmt.Errorf("read last event: %w", err)
			}
			if sameEvent(last.event(), e) {
				st, added = row.state(), false
				return nil
			}
		}
		next, out, err := r.Apply(row.state(), e)
		if err != nil {
			return fmt.Errorf("%w; current status %s", err, row.Status)
		}
		if err := checkEventRefs(ctx, tx, e); err != nil {
			return err
		}
		st, added = next, true
		return s.writeEvent(ctx, tx, r.Location, row.ID, row.LastSeq+1, row.Unit, e, next, out)
	})
	if err != nil {
		return petition.State{}, false, fmt.Errorf("case %s: %s: %w", caseNo, e.Type, err)
	}
	return st, added, nil
}

// writeEvent stores an applied event: the case's new state, the event row
// under the unit the case had when it happened, and the tallies it moves
// (the day tally by the local days of loc).
func (s *Store) writeEvent(ctx context.Context, tx *sqlx.Tx, loc *time.Location, caseID int64, seq int, unit string, e petition.Event, st petition.State, out petition.Outcome) error {
	if err := updateState(ctx, tx, caseID, seq, st); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO case_events ("+eventColumns+") VALUES ("+marks(len(columns(eventColumns)))+")",
		eventValues(caseID, seq, unit, e, out)...); err != nil {
		return fmt.Errorf("insert event: %w", err)
	}
	t := newEventTallies(loc)
	t.count(caseID, unit, e, out)
	return t.write(ctx, tx, s.dialect)
}

// updateState stores a case's state after its event seq.
func updateState(ctx context.Context, tx *sqlx.Tx, caseID int64, seq int, st petition.State) error {
	_, err := tx.ExecContext(ctx, "UPDATE cases SET "+setList(caseStateColumns)+" WHERE id = ?",
		append(stateValues(st, seq), caseID)...)
	if err != nil {
		return fmt.Errorf("update case: %w", err)
	}
	return nil
}

// eventValues are an applied event's column values, unit being the case's
// unit when it happened.
func eventValues(caseID int64, seq int, unit string, e petition.Event, out petition.Outcome) []any {
	// Only the field of the event type's spec is set (petition.Event.Problems):
	// the others are stored as NULL.
	return []any{caseID, seq, e.Type, e.At.Unix(), unit, nullString(out.CompletedStage), out.Late,
		sql.NullInt64{Int64: int64(e.Days), Valid: e.Days != 0}, nullString(e.Result), nullString(e.Unit), nullString(e.Level)}
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
}

const selectEvents = "SELECT " + eventColumns + " FROM case_events WHERE case_id = ?"

func (r eventRow) event() petition.Event {
	return petition.Event{Type: r.Type, At: fromUnix(r.At), Days: int(r.Days.Int64), Result: r.Result.String, Unit: r.NewUnit.String,
		Level: r.Level.String}
}

// sameEvent compares events by value; times by instant, whatever their zone.
func sameEvent(a, b petition.Event) bool {
	same := a.At.Equal(b.At)
	a.At, b.At = time.Time{}, time.Time{}
	return same && a == b
}
