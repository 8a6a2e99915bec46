package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// eventSink takes the events applied to stored cases in one transaction:
// each one's row and its share of the tallies. Every way events reach the
// store (AddEvent's batches, the incremental import, the bulk load) records
// them here, after the rules' transition (petition.Rules.Apply), so that an
// event is stored and counted the same whichever way it came.
type eventSink struct {
	rows    *bulkInsert
	tallies map[*time.Location]eventTallies
}

// newEventSink writes rows in tx and counts into the tallies given, one per
// zone, or into new ones for a zone met later.
func newEventSink(ex sqlx.ExecerContext, tallies ...eventTallies) *eventSink {
	k := &eventSink{rows: newBulkInsert(ex, "case_events", columns(eventColumns)), tallies: map[*time.Location]eventTallies{}}
	for _, t := range tallies {
		k.tallies[t.loc] = t
	}
	return k
}

// record takes event seq of case id, of category, applied under r while
// the case was at unit with outcome out, recorded by the credential by (""
// for an import or the demo), and returns it as a case's view shows it.
func (k *eventSink) record(r petition.Rules, id int64, category string, seq int, unit string, e petition.Event, out petition.Outcome, by string) EventView {
	k.rows.add(eventValues(id, seq, unit, e, out, by)...)
	t, ok := k.tallies[r.Location]
	if !ok {
		t = newEventTallies(r.Location)
		k.tallies[r.Location] = t
	}
	t.count(id, unit, category, e, out)
	return EventView{Seq: seq, Event: e, Unit: unit, CompletedStage: out.CompletedStage, Late: out.Late, RecordedBy: by}
}

// flush inserts the rows taken so far.
func (k *eventSink) flush(ctx context.Context) error {
	if err := k.rows.flush(ctx); err != nil {
		return fmt.Errorf("insert events: %w", err)
	}
	return nil
}

// flushIfFull inserts the rows taken so far once they make a statement.
func (k *eventSink) flushIfFull(ctx context.Context) error {
	if !k.rows.full() {
		return nil
	}
	return k.flush(ctx)
}

// write inserts the remaining rows and adds the counts to the tallies.
func (k *eventSink) write(ctx context.Context, ex sqlx.ExecerContext, d dialect) error {
	if err := k.flush(ctx); err != nil {
		return err
	}
	for _, t := range k.tallies {
		if err := t.write(ctx, ex, d); err != nil {
			return err
		}
	}
	return nil
}
