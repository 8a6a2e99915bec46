package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"
)

// ErrBusy is the answer to a write when its group commit's queue is full:
// the database is not keeping up, and a longer queue would only make every
// caller wait longer. The API answers it 503 with Retry-After.
var ErrBusy = errors.New("too many writes waiting for the database")

// maxQueue is how many writes of a kind may wait for a writer: at 64 a
// batch, sixteen batches, far more than api_max_in_flight lets in by
// default.
const maxQueue = 1024

// BatchSizeBuckets are the upper bounds of the batch size histogram.
var BatchSizeBuckets = []int{1, 2, 4, 8, 16, 32, 64}

// WriteStats are the store's own numbers for the self metrics: each group
// commit's queue and batches, and the transactions retried.
type WriteStats struct {
	Queues  []QueueStats      // cases, then events
	Retries map[string]uint64 // by RetryReasons
}

// QueueStats are one group commit's numbers.
type QueueStats struct {
	Writes      string // what it writes: "cases" or "events"
	QueueLength int
	Writers     int
	// Batches counts batches by size bucket, not cumulatively: Batches[i]
	// is those of size at most BatchSizeBuckets[i] and more than the
	// bucket before.
	Batches     []uint64
	BatchWrites uint64 // writes in all batches
	QueueFull   uint64 // writes refused with ErrBusy
}

// RetryReasons name why a transaction was retried.
var RetryReasons = []string{"deadlock", "lock_wait_timeout", "sqlite_busy"}

// queueCounters count a group commit's batches and refusals.
type queueCounters struct {
	batches     [7]atomic.Uint64 // by BatchSizeBuckets
	batchWrites atomic.Uint64
	queueFull   atomic.Uint64
}

func (w *queueCounters) countBatch(n int) {
	w.batchWrites.Add(uint64(n))
	for i, b := range BatchSizeBuckets {
		if n <= b {
			w.batches[i].Add(1)
			return
		}
	}
	w.batches[len(w.batches)-1].Add(1)
}

// stats reads a queue's numbers.
func (q *commitQueue[W, R]) stats(writes string) QueueStats {
	q.mu.Lock()
	st := QueueStats{Writes: writes, QueueLength: len(q.waiting), Writers: q.writers}
	q.mu.Unlock()
	for i := range q.counters.batches {
		st.Batches = append(st.Batches, q.counters.batches[i].Load())
	}
	st.BatchWrites, st.QueueFull = q.counters.batchWrites.Load(), q.counters.queueFull.Load()
	return st
}

// WriteStats reads the store's write numbers.
func (s *Store) WriteStats() WriteStats {
	st := WriteStats{Queues: []QueueStats{s.creates.stats("cases"), s.events.stats("events")}, Retries: map[string]uint64{}}
	for i, r := range RetryReasons {
		st.Retries[r] = s.retries[i].Load()
	}
	return st
}

// retryReason names a retryable error: deadlock, lock wait or SQLite busy.
func retryReason(err error) int {
	var me *mysql.MySQLError
	if errors.As(err, &me) && me.Number == 1213 {
		return 0
	}
	if errors.As(err, &me) {
		return 1
	}
	return 2
}

// Backoff before retry attempt n (0 for the first retry): full jitter over
// an exponentially growing ceiling, so that the writers a deadlock chose do
// not collide again in step.
const (
	backoffBase = 5 * time.Millisecond
	backoffMax  = 200 * time.Millisecond
)

func backoff(n int) time.Duration {
	ceiling := min(backoffBase<<n, backoffMax)
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
