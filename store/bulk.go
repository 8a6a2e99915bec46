package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// LoadCase is a case with its whole history, for a bulk load.
type LoadCase struct {
	Case   petition.Case
	Events []petition.Event
}

// bulkRows is how many rows one multi-row INSERT carries; bulkTx how many cases
// one transaction holds, so a load never builds one huge transaction.
const (
	bulkRows    = 1000
	bulkWriters = 2
)

// bulkTx is a variable so that a test can cut a load after its first
// transactions without a load of ten thousand cases.
var bulkTx = 10000

// Load writes many cases with their histories into an empty database far
// faster than CreateCase and AddEvent, with the same results: every history is
// replayed through the rules, repeats are derived in received order, and the
// tallies are counted in memory before anything is written and stored in one
// transaction at the end. It refuses a database that already holds cases,
// because it cannot merge with them, and one another process writes to,
// because its tallies replace theirs (it holds the writers' gate
// exclusive). A load cut off before its tallies are stored leaves a mark
// (LoadInterrupted) that the next import or a recount clears by counting
// the tallies from the facts.
func (s *Store) Load(ctx context.Context, r petition.Rules, cases []LoadCase) error {
	return s.load(ctx, r, cases, nil)
}

func (s *Store) load(ctx context.Context, r petition.Rules, cases []LoadCase, progress func(done int)) error {
	gate, err := s.HoldWriters(ctx, true)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	defer gate.Release()
	var n int
	if err := s.db.GetContext(ctx, &n, "SELECT COUNT(*) FROM cases"); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("load: the database already holds %d cases; bulk load needs an empty one", n)
	}
	seen := make(map[string]bool, len(cases))
	for _, lc := range cases {
		if seen[lc.Case.CaseNo] {
			return fmt.Errorf("load: case_no %s appears twice", lc.Case.CaseNo)
		}
		seen[lc.Case.CaseNo] = true
	}
	repeats := deriveRepeats(r, cases)
	// Counting in memory first also replays every history before anything
	// is written, and spares the database a recount of millions of rows.
	registered := s.now()
	tallies, err := countLoad(r, cases, repeats, registered)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if err := putSetting(ctx, s.db, s.dialect, loadInProgressSetting, registered.UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("load: mark the load begun: %w", err)
	}
	// Two writers keep both cores busy: one encodes while the database
	// inserts for the other. Case ids are fixed up front, so batches are
	// independent.
	batches := make(chan int)
	var (
		mu       sync.Mutex
		done     int
		firstErr error
		wg       sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for w := 0; w < bulkWriters; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for start := range batches {
				end := min(start+bulkTx, len(cases))
				err := s.bulkTx(ctx, func(tx *sqlx.Tx) error {
					return s.loadBatch(ctx, tx, r, cases[start:end], start, repeats[start:end], registered)
				})
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("load cases %d to %d: %w", start+1, end, err)
					cancel()
				}
				done += end - start
				if progress != nil && firstErr == nil {
					progress(done)
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for start := 0; start < len(cases); start += bulkTx {
		select {
		case batches <- start:
		case <-ctx.Done():
			break feed
		}
	}
	close(batches)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := tallies.write(ctx, tx, s.dialect); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM settings WHERE name = ?", loadInProgressSetting)
		return err
	})
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	return nil
}

// loadTallies are the counters of a bulk load.
type loadTallies struct {
	receipts *tallyAdds
	events   eventTallies
}

// countLoad counts the load as the incremental writers would, case ids
// being fixed up front (loadBatch).
func countLoad(r petition.Rules, cases []LoadCase, repeats []bool, registered time.Time) (*loadTallies, error) {
	t := &loadTallies{receipts: receiptTallies(), events: newEventTallies(r.Location)}
	for i, lc := range cases {
		c := lc.Case
		t.receipts.countReceipt(c.CaseNo, c.Unit, c.Category, c.Channel, c.Level, receiptOf(r, c, registered, repeats[i]))
		id := int64(i + 1)
		_, err := replay(r, lc, func(_ int, e petition.Event, unit string, out petition.Outcome) {
			t.events.count(id, unit, e, out)
		})
		if err != nil {
			return nil, err
		}
	}
	return t, nil
}

// replay applies a case's history to its received state in order, calling
// step with each event (its time cut to the second, as stored), the unit the
// case had when it happened and what it did; it returns the final state.
// Replaying is cheap next to storing, so the tally count and the row writer
// each replay rather than hold every outcome of a million cases in memory.
func replay(r petition.Rules, lc LoadCase, step func(seq int, e petition.Event, unit string, out petition.Outcome)) (petition.State, error) {
	c := lc.Case
	c.ReceivedAt = c.ReceivedAt.Truncate(time.Second)
	return applyFrom(r, lc, r.Received(c), 0, step)
}

// applyFrom is replay from the state st after the first done events.
func applyFrom(r petition.Rules, lc LoadCase, st petition.State, done int, step func(seq int, e petition.Event, unit string, out petition.Outcome)) (petition.State, error) {
	for i := done; i < len(lc.Events); i++ {
		e := lc.Events[i]
		e.At = e.At.Truncate(time.Second)
		next, out, err := r.Apply(st, e)
		if err != nil {
			return st, fmt.Errorf("case %s event %d: %w", lc.Case.CaseNo, i+1, err)
		}
		step(i+1, e, st.Unit, out)
		st = next
	}
	return st, nil
}

// write replaces the tallies with the load's counts, the day tally's by the
// local days of the load's zone, which it records.
func (t *loadTallies) write(ctx context.Context, tx *sqlx.Tx, d dialect) error {
	for _, q := range []string{"DELETE FROM receipt_tally", "DELETE FROM completion_tally", "DELETE FROM completion_day_tally", "DELETE FROM evaluation_tally"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("reset tallies: %w", err)
		}
	}
	if err := t.receipts.write(ctx, tx, d); err != nil {
		return err
	}
	if err := t.events.write(ctx, tx, d); err != nil {
		return err
	}
	return recordCompletionDayZone(ctx, tx, d, t.events.loc)
}

// bulkTx runs fn in a transaction on a connection of its own. On MySQL the
// connection skips foreign key and unique checks, which the load has made
// already (references exist, case numbers are distinct), and is closed
// afterwards so the relaxed session never serves another query.
func (s *Store) bulkTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	if s.dialect.name != "mysql" {
		return s.inTx(ctx, fn)
	}
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return fmt.Errorf("bulk connection: %w", err)
	}
	defer func() {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // never back to the pool
		conn.Close()
	}()
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0, unique_checks = 0"); err != nil {
		return fmt.Errorf("bulk session: %w", err)
	}
	return runTx(ctx, conn, nil, fn)
}

// deriveRepeats applies the repeat rule to a whole set at once: a case repeats
// when the intake linked it, or when the latest earlier case of the same
// matter repeats under the rule (the latest is the closest, so it decides).
func deriveRepeats(r petition.Rules, cases []LoadCase) []bool {
	out := make([]bool, len(cases))
	groups := map[matter][]int{}
	for i, lc := range cases {
		out[i] = lc.Case.RepeatOf != ""
		m := matterOf(lc.Case)
		groups[m] = append(groups[m], i)
	}
	for _, idx := range groups {
		sort.SliceStable(idx, func(a, b int) bool {
			return cases[idx[a]].Case.ReceivedAt.Before(cases[idx[b]].Case.ReceivedAt)
		})
		for j := 1; j < len(idx); j++ {
			at := cases[idx[j]].Case.ReceivedAt
			for p := j - 1; p >= 0; p-- {
				if prev := cases[idx[p]].Case.ReceivedAt; prev.Before(at) {
					out[idx[j]] = out[idx[j]] || r.Repeats(prev, at)
					break
				}
			}
		}
	}
	return out
}

func (s *Store) loadBatch(ctx context.Context, tx *sqlx.Tx, r petition.Rules, cases []LoadCase, offset int, repeats []bool, registered time.Time) error {
	caseRows := newBulkInsert(tx, "cases", columns("id, "+caseColumns))
	eventRows := newBulkInsert(tx, "case_events", columns(eventColumns))
	for i, lc := range cases {
		c := lc.Case
		c.ReceivedAt = c.ReceivedAt.Truncate(time.Second)
		if err := fieldErrors(c.Problems(), ErrInvalidValue); err != nil {
			return fmt.Errorf("case %s: %w", c.CaseNo, err)
		}
		id := int64(offset + i + 1)
		st, err := replay(r, lc, func(seq int, e petition.Event, unit string, out petition.Outcome) {
			eventRows.add(eventValues(id, seq, unit, e, out)...)
		})
		if err != nil {
			return err
		}
		caseRows.add(append([]any{id}, caseValues(r, c, registered, repeats[i], st, len(lc.Events))...)...)
		// events reference their case: flush cases first
		if caseRows.full() || eventRows.full() {
			if err := caseRows.flush(ctx); err != nil {
				return err
			}
			if err := eventRows.flush(ctx); err != nil {
				return err
			}
		}
	}
	if err := caseRows.flush(ctx); err != nil {
		return err
	}
	return eventRows.flush(ctx)
}

type bulkInsert struct {
	tx     *sqlx.Tx
	prefix string
	row    string
	cols   int
	args   []any
	rows   int
}

func newBulkInsert(tx *sqlx.Tx, table string, cols []string) *bulkInsert {
	return &bulkInsert{
		tx:     tx,
		prefix: fmt.Sprintf("INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", ")),
		row:    "(" + marks(len(cols)) + ")",
		cols:   len(cols),
	}
}

func (b *bulkInsert) add(vals ...any) {
	b.args = append(b.args, vals...)
	b.rows++
}

func (b *bulkInsert) full() bool { return b.rows >= bulkRows }

func (b *bulkInsert) flush(ctx context.Context) error {
	if b.rows == 0 {
		return nil
	}
	q := b.prefix + strings.TrimSuffix(strings.Repeat(b.row+", ", b.rows), ", ")
	if _, err := b.tx.ExecContext(ctx, q, b.args...); err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	b.args, b.rows = b.args[:0], 0
	return nil
}
