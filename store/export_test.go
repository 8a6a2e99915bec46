package store

import (
	"cmp"
	"context"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"

	"riskmon/petition"
)

// Hooks into the group commit and the batch writer for the store_test package.

const (
	MaxBatch   = maxBatch
	MaxWriters = maxWriters
)

// ShardOf is the receipt tally's shard of a case number.
var ShardOf = shardOf

// SetFoldRead sets the hook a fold calls between reading and deleting a
// table's rows, nil to remove it.
func SetFoldRead(fn func(table string)) { foldRead = fn }

// SetPruneRead sets the hook a prune calls between reading and deleting a
// table's rows at zero, nil to remove it.
func SetPruneRead(fn func(table string)) { pruneRead = fn }

// SetFoldRows sets how many rows a fold transaction takes, and returns the
// setting before.
func SetFoldRows(n int) int { old := foldRows; foldRows = n; return old }

// MigrateTo applies the migrations up to version, as an older riskmon would
// have left the database.
func MigrateTo(ctx context.Context, s *Store, version int64) error {
	return migrateBy(ctx, s, version, (*goose.Provider).UpTo)
}

// migrateBy moves s's schema to version by the provider's way there.
func migrateBy(ctx context.Context, s *Store, version int64, by func(*goose.Provider, context.Context, int64) ([]*goose.MigrationResult, error)) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	_, err = by(p, ctx, version)
	return err
}

// DefaultCategoriesVersion is the migration that adds the default categories.
const DefaultCategoriesVersion = defaultCategoriesVersion

// CreateBatch creates cs in one transaction, as a group commit does, and
// returns for each case whether it was created and its refusal.
func CreateBatch(ctx context.Context, s *Store, r petition.Rules, cs []petition.Case) (created []bool, refusals []error, err error) {
	ws := make([]caseWrite, len(cs))
	for i, c := range cs {
		c.ReceivedAt = c.ReceivedAt.Truncate(time.Second)
		ws[i] = caseWrite{r: r, c: c}
	}
	res, err := s.createInTx(ctx, ws)
	if err != nil {
		return nil, nil, err
	}
	for _, x := range res {
		created, refusals = append(created, x.created), append(refusals, x.err)
	}
	return created, refusals, nil
}

// Queued is a create waiting in the group commit queue.
type Queued struct {
	s    *Store
	call *createCall
}

// Enqueue queues a case as CreateCase does, without waiting.
func Enqueue(s *Store, r petition.Rules, c petition.Case) Queued {
	call, err := s.creates.enqueue(caseWrite{r: r, c: c})
	if err != nil {
		panic(err) // the tests that queue stay far below maxQueue
	}
	return Queued{s, call}
}

// EnqueueErr is Enqueue that reports a refusal.
func EnqueueErr(s *Store, r petition.Rules, c petition.Case) (Queued, error) {
	call, err := s.creates.enqueue(caseWrite{r: r, c: c})
	return Queued{s, call}, err
}

// MaxQueue is how many creates may wait.
const MaxQueue = maxQueue

// Promoted reports whether the caller is to write.
func (q Queued) Promoted() bool {
	q.s.creates.mu.Lock()
	defer q.s.creates.mu.Unlock()
	return q.call.promoted
}

// Await waits for the case as CreateCase does and returns what became of it.
func (q Queued) Await(ctx context.Context) (created bool, err error) {
	if err := q.s.creates.await(ctx, q.call); err != nil {
		return false, err
	}
	if q.call.err != nil {
		return false, q.call.err
	}
	return q.call.res.created, q.call.res.err
}

// RecordBatches makes s note the size of every batch of creates it writes.
func RecordBatches(s *Store) (sizes func() []int) { return recordBatches(&s.creates, s.writeBatch) }

// RecordEventBatches makes s note the size of every batch of events it
// writes.
func RecordEventBatches(s *Store) (sizes func() []int) {
	return recordBatches(&s.events, s.writeEventBatch)
}

func recordBatches[W, R any](q *commitQueue[W, R], write func([]*commitCall[W, R])) (sizes func() []int) {
	var (
		mu  sync.Mutex
		got []int
	)
	q.write = func(batch []*commitCall[W, R]) {
		mu.Lock()
		got = append(got, len(batch))
		mu.Unlock()
		write(batch)
	}
	return func() []int {
		mu.Lock()
		defer mu.Unlock()
		return append([]int(nil), got...)
	}
}

// MigrateDownTo rolls the migrations back to version, as the database was
// before an upgrade.
func MigrateDownTo(ctx context.Context, s *Store, version int64) error {
	return migrateBy(ctx, s, version, (*goose.Provider).DownTo)
}

// DayTallyRow is one row of completion_day_tally.
type DayTallyRow struct {
	Day       int    `db:"day"`
	Unit      string `db:"unit"`
	Stage     string `db:"stage"`
	Completed int64  `db:"completed"`
	Late      int64  `db:"late"`
}

// DayTally reads completion_day_tally in key order.
func DayTally(ctx context.Context, s *Store) ([]DayTallyRow, error) {
	var rows []DayTallyRow
	err := s.db.SelectContext(ctx, &rows, "SELECT day, unit, stage, completed, late FROM completion_day_tally ORDER BY day, unit, stage")
	return rows, err
}

// ForgetCompletionDayZone removes the zone recorded with the day tally, so
// that the next RecountCompletionDays rebuilds it.
func ForgetCompletionDayZone(ctx context.Context, s *Store) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM settings WHERE name = ?", completionDayZoneSetting)
	return err
}

// Writers is how many callers hold a writer's slot of the group commit.
func Writers(s *Store) int {
	s.creates.mu.Lock()
	defer s.creates.mu.Unlock()
	return s.creates.writers
}

// PanicOnNextBatch makes the next batch's write panic after settling its
// first call, as a bug in the writer would.
func PanicOnNextBatch(s *Store) {
	var once sync.Once
	s.creates.write = func(batch []*createCall) {
		panicking := false
		once.Do(func() { panicking = true })
		if panicking {
			batch[0].settle(createResult{created: true}, nil)
			panic("the writer's bug")
		}
		s.writeBatch(batch)
	}
}

// SetBatchSizes makes the bulk load's and the rekey's transactions hold n
// cases until the end of the test, so a test can cut them between batches.
func SetBatchSizes(t interface{ Cleanup(func()) }, n int) {
	bt, rb := bulkTx, rekeyBatch
	bulkTx, rekeyBatch = n, n
	t.Cleanup(func() { bulkTx, rekeyBatch = bt, rb })
}

// InTx runs fn as the store's writers run theirs: retried, backed off and
// counted when it fails as a deadlock or a busy database would.
func InTx(ctx context.Context, s *Store, fn func() error) error {
	return s.inTx(ctx, func(*sqlx.Tx) error { return fn() })
}

// QueuedEvent is an event waiting in the group commit queue of events.
type QueuedEvent struct {
	s    *Store
	call *eventCall
}

// EnqueueEvent queues an event as AddEvent does, without waiting.
func EnqueueEvent(s *Store, r petition.Rules, caseNo string, e petition.Event) QueuedEvent {
	return EnqueueEventCtx(context.Background(), s, r, caseNo, e)
}

// EnqueueEventCtx is EnqueueEvent with the audit row ctx carries (WithAudit).
func EnqueueEventCtx(ctx context.Context, s *Store, r petition.Rules, caseNo string, e petition.Event) QueuedEvent {
	e.At = e.At.Truncate(time.Second)
	call, err := s.events.enqueue(eventWrite{r: r, caseNo: caseNo, e: e, audit: auditFrom(ctx)})
	if err != nil {
		panic(err) // the tests that queue stay far below maxQueue
	}
	return QueuedEvent{s, call}
}

// Await waits for the event as AddEvent does and returns what became of it.
func (q QueuedEvent) Await(ctx context.Context) (CaseView, bool, error) {
	if err := q.s.events.await(ctx, q.call); err != nil {
		return CaseView{}, false, err
	}
	if err := cmp.Or(q.call.err, q.call.res.err); err != nil {
		return CaseView{}, false, err
	}
	return q.call.res.view, q.call.res.added, nil
}

// SelectAll is selectAll in a read transaction of s.
func SelectAll[T any](ctx context.Context, s *Store, query string) ([]T, error) {
	var out []T
	err := s.Read(ctx, func(r *Reader) error {
		var err error
		out, err = selectAll[T](ctx, r.tx, "the test's rows", query)
		return err
	})
	return out, err
}

// LiveReads is how many times k read a live hour whole.
func (k *KeptWindows) LiveReads() int { return k.liveReads }

// DayReads is how many times k read settled days' buckets.
func (k *KeptWindows) DayReads() int { return k.dayReads }

// SetLiveUpTo sets the highest id k has read of each live hour, as if the
// cases at or below it had been read (a writer that commits after a higher
// id was read).
func (k *KeptWindows) SetLiveUpTo(id int64) {
	for h, lh := range k.live {
		lh.upTo = id
		k.live[h] = lh
	}
}
