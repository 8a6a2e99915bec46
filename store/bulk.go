package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/sync/errgroup"

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
// tallies are counted in memory as the batches are written and stored in one
// transaction at the end. Every history is replayed before anything is
// written, so a bad one leaves the database as it was. It refuses a database
// that already holds cases, because it cannot merge with them, and one
// another process writes to, because its tallies replace theirs (it holds the
// writers' gate exclusive). A load cut off before its tallies are stored
// leaves a mark (LoadInterrupted) that the next import or a recount clears by
// counting the tallies from the facts. A load that ends records r as the
// rules of the stored deadlines; one cut off leaves them to be recomputed.
// On MySQL the load builds most indexes of cases once at its end rather than
// a row at a time (loadindexes.go); a load cut off leaves them for that
// import or recount to build.
func (s *Store) Load(ctx context.Context, r petition.Rules, cases []LoadCase) error {
	cases = cutEach(cases, LoadCase.inSeconds)
	for _, lc := range cases {
		if _, err := replay(r, lc, func(int, petition.Event, string, petition.Outcome) {}); err != nil {
			return fmt.Errorf("load: %w", err)
		}
	}
	return s.load(ctx, r, Cases(cases), nil)
}

// LoadFrom is Load from a source read a batch at a time, for a county too
// large to hold in memory (riskmon seed). The source's histories must follow
// the rules (a generator's do by construction): they are not checked first,
// and a case the rules refuse stops the load half-way, marked interrupted,
// as a cut-off load is (LoadInterrupted).
func (s *Store) LoadFrom(ctx context.Context, r petition.Rules, src CaseSource) error {
	return s.load(ctx, r, sourceInSeconds(src), nil)
}

// load is Load from a source, whose histories the caller has checked: a
// case the rules refuse stops the load half-way, marked interrupted.
func (s *Store) load(ctx context.Context, r petition.Rules, src CaseSource, progress func(done int)) error {
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
	registered := s.now()
	if err := putSetting(ctx, s.db, s.dialect, loadInProgressSetting, registered.UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("load: mark the load begun: %w", err)
	}
	if err := s.setAsideIndexes(ctx); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	// Two writers keep both cores busy: one encodes while the database
	// inserts for the other. Case ids are fixed as the batches are read, so
	// batches are independent. Each transaction counts its own tallies,
	// added to the load's when it commits.
	jobs := make(chan loadJob)
	tallies := newLoadTallies(r.Location)
	var (
		mu   sync.Mutex
		done int
	)
	g, gctx := errgroup.WithContext(ctx)
	for range bulkWriters {
		g.Go(func() error {
			for job := range jobs {
				var counts *loadTallies // anew on each try: a retried transaction counts once
				err := s.bulkTx(gctx, func(tx *sqlx.Tx) error {
					counts = newLoadTallies(r.Location)
					return s.loadBatch(gctx, tx, r, job, registered, counts)
				})
				if err != nil {
					return fmt.Errorf("load cases %d to %d: %w", job.first+1, job.first+len(job.cases), err)
				}
				mu.Lock()
				tallies.merge(counts)
				done += len(job.cases)
				if progress != nil {
					progress(done)
				}
				mu.Unlock()
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(jobs)
		// The source's batches are cut into transactions of bulkTx cases.
		order := newLoadOrder(r)
		next := 0
		send := func(cases []LoadCase) error {
			repeats, err := order.repeats(cases)
			if err != nil {
				return err
			}
			select {
			case jobs <- loadJob{first: next, cases: cases, repeats: repeats}:
			case <-gctx.Done():
				return gctx.Err()
			}
			next += len(cases)
			return nil
		}
		pending := make([]LoadCase, 0, bulkTx)
		for {
			batch, err := src(gctx)
			if err != nil {
				return err
			}
			if len(batch) == 0 {
				if len(pending) == 0 {
					return nil
				}
				return send(pending)
			}
			pending = append(pending, batch...)
			for len(pending) >= bulkTx {
				if err := send(pending[:bulkTx:bulkTx]); err != nil {
					return err
				}
				pending = append(make([]LoadCase, 0, bulkTx), pending[bulkTx:]...)
			}
		}
	})
	if err := g.Wait(); err != nil {
		// the cases written so far are served with their indexes; what
		// cannot be restored now (the load was cancelled) the rerun or a
		// recount restores
		return errors.Join(fmt.Errorf("load: %w", err), s.restoreIndexes(ctx))
	}
	if err := s.restoreIndexes(ctx); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := tallies.write(ctx, tx, s.dialect); err != nil {
			return err
		}
		// the load wrote cases of any matter (KeptHistories)
		if _, err := tx.ExecContext(ctx, "UPDATE matters SET cases_version = cases_version + 1"); err != nil {
			return err
		}
		// Every stored case is the load's, its deadline computed by r: the
		// first serve need not read them all again (RecomputeDeadlines).
		if err := putSetting(ctx, tx, s.dialect, deadlineRulesSetting, r.DeadlineFingerprint()); err != nil {
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

// loadJob is one transaction of a bulk load: cases whose ids follow first.
type loadJob struct {
	first   int
	cases   []LoadCase
	repeats []bool
}

// loadTallies are the counters of a bulk load.
type loadTallies struct {
	cases  caseTallies
	events eventTallies
}

func newLoadTallies(loc *time.Location) *loadTallies {
	return &loadTallies{cases: newCaseTallies(), events: newEventTallies(loc)}
}

// merge adds o's counts to t's.
func (t *loadTallies) merge(o *loadTallies) {
	t.cases.merge(o.cases)
	t.events.merge(o.events)
}

// replay applies a case's history to its received state in order, calling
// step with each event (its time cut to the second, as stored), the unit the
// case had when it happened and what it did; it returns the final state.
// Replaying is cheap next to storing, so the tally count and the row writer
// each replay rather than hold every outcome of a million cases in memory.
func replay(r petition.Rules, lc LoadCase, step func(seq int, e petition.Event, unit string, out petition.Outcome)) (petition.State, error) {
	return applyFrom(r, lc, r.Received(lc.Case), 0, step)
}

// applyFrom is replay from the state st after the first done events.
func applyFrom(r petition.Rules, lc LoadCase, st petition.State, done int, step func(seq int, e petition.Event, unit string, out petition.Outcome)) (petition.State, error) {
	for i := done; i < len(lc.Events); i++ {
		e := lc.Events[i]
		next, out, err := r.Apply(st, e)
		if err != nil {
			return st, fmt.Errorf("case %s event %d: %w", lc.Case.CaseNo, i+1, err)
		}
		step(i+1, e, st.Unit, out)
		st = next
	}
	return st, nil
}

// write replaces every tally the load counts with the load's counts, the
// day tallies' by the local days of the load's zone, which it records.
func (t *loadTallies) write(ctx context.Context, tx *sqlx.Tx, d dialect) error {
	all := append(t.cases.tables(), t.events.tables()...)
	for _, ta := range all {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+ta.table); err != nil {
			return fmt.Errorf("reset tallies: %w", err)
		}
	}
	if err := writeTallies(ctx, tx, d, all); err != nil {
		return err
	}
	if err := talliesRewritten(ctx, tx, d); err != nil {
		return err
	}
	return recordCompletionDayZone(ctx, tx, d, t.events.loc)
}

// bulkTx runs fn in a transaction on a connection of its own. On MySQL the
// connection skips foreign key checks, which the caller has made (the units
// and categories exist), and is closed afterwards so the relaxed session
// never serves another query. Unique checks stay: they are how a case
// number given twice is refused without a set of a million numbers.
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
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
		return fmt.Errorf("bulk session: %w", err)
	}
	return runTx(ctx, conn, nil, fn)
}

// loadBatch writes a job's cases with their events and counts them into t.
func (s *Store) loadBatch(ctx context.Context, tx *sqlx.Tx, r petition.Rules, job loadJob, registered time.Time, t *loadTallies) error {
	caseRows := newBulkInsert(tx, "cases", columns("id, "+caseColumns))
	// the load's tallies replace the stored ones when it ends (write)
	events := newEventSink(tx, t.events)
	for i, lc := range job.cases {
		c := lc.Case
		if err := fieldErrors(c.Problems(), ErrInvalidValue); err != nil {
			return fmt.Errorf("case %s: %w", c.CaseNo, err)
		}
		id := int64(job.first + i + 1)
		st, err := replay(r, lc, func(seq int, e petition.Event, unit string, out petition.Outcome) {
			events.record(r, id, c.Category, seq, unit, e, out, "")
		})
		if err != nil {
			return err
		}
		caseRows.add(append([]any{id}, caseValues(r, c, registered, job.repeats[i], st, len(lc.Events))...)...)
		t.cases.countReceipt(c.CaseNo, c.Unit, c.Category, c.Channel, c.Level, receiptOf(r, c, registered, job.repeats[i]))
		t.cases.state.count(c.Category, st, 1)
		// events reference their case: flush cases first
		if caseRows.full() || events.rows.full() {
			if err := caseRows.flush(ctx); err != nil {
				return err
			}
			if err := events.flush(ctx); err != nil {
				return err
			}
		}
	}
	if err := caseRows.flush(ctx); err != nil {
		return err
	}
	return events.flush(ctx)
}

type bulkInsert struct {
	ex     sqlx.ExecerContext
	prefix string
	row    string
	cols   int
	args   []any
	rows   int
}

func newBulkInsert(ex sqlx.ExecerContext, table string, cols []string) *bulkInsert {
	return &bulkInsert{
		ex:     ex,
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

// maxStatementVars is the most placeholders one statement may have
// (SQLite's SQLITE_MAX_VARIABLE_NUMBER; MySQL allows 65535).
const maxStatementVars = 32766

// flush inserts the rows added, in statements of at most bulkRows rows and
// maxStatementVars values.
func (b *bulkInsert) flush(ctx context.Context) error {
	per := min(bulkRows, maxStatementVars/b.cols)
	for start := 0; start < b.rows; start += per {
		n := min(per, b.rows-start)
		q := b.prefix + strings.TrimSuffix(strings.Repeat(b.row+", ", n), ", ")
		if _, err := b.ex.ExecContext(ctx, q, b.args[start*b.cols:(start+n)*b.cols]...); err != nil {
			return fmt.Errorf("bulk insert: %w", err)
		}
	}
	b.args, b.rows = b.args[:0], 0
	return nil
}
