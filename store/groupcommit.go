package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// Concurrent writes are written together: a caller that finds the writers
// busy queues its write, and the next writer takes every queued write into
// one transaction (createCases for cases, addEvents for events). Twenty
// clients then cost a few statements and one commit per batch instead of
// six statements and a commit each. There is no background goroutine:
// writers are callers whose turn it is, and a caller alone is written at
// once. Cases and events have a queue each.
const (
	maxBatch   = 64               // writes in one transaction
	maxWriters = 2                // batches in flight: one commits while the next is read and built
	batchWait  = 10 * time.Second // a batch's own deadline; it serves many callers, so none of theirs applies
)

// commitQueue holds the writes W waiting for a writer; each gets a result R.
type commitQueue[W, R any] struct {
	mu      sync.Mutex
	waiting []*commitCall[W, R]
	writers int // callers promoted to write, running or about to
	// write stores a batch and settles each call; tests replace it.
	write    func(batch []*commitCall[W, R])
	counters *queueCounters
}

type (
	caseQueue  = commitQueue[caseWrite, createResult]
	createCall = commitCall[caseWrite, createResult]
	eventQueue = commitQueue[eventWrite, eventResult]
	eventCall  = commitCall[eventWrite, eventResult]
)

// commitCall is one caller's write on its way through the queue.
type commitCall[W, R any] struct {
	w        W
	res      R
	err      error         // the database's, when the batch failed
	taken    bool          // under mu: in a batch being written
	promoted bool          // under mu: this caller is to write
	lead     chan struct{} // receives once when promoted
	done     chan struct{} // closed when res and err are set
}

func (c *commitCall[W, R]) settle(res R, err error) {
	c.res, c.err = res, err
	close(c.done)
}

// settled reports whether the call has its result. Only the writer of its
// batch settles it, so no other goroutine closes done meanwhile.
func (c *commitCall[W, R]) settled() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// enqueue adds a write to the queue, promoting its caller to writer when
// fewer than maxWriters write. A full queue refuses it (ErrBusy).
func (q *commitQueue[W, R]) enqueue(w W) (*commitCall[W, R], error) {
	call := &commitCall[W, R]{w: w, lead: make(chan struct{}, 1), done: make(chan struct{})}
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) >= maxQueue {
		if q.counters != nil {
			q.counters.queueFull.Add(1)
		}
		return nil, ErrBusy
	}
	q.waiting = append(q.waiting, call)
	if q.writers < maxWriters {
		q.promote(call)
	}
	return call, nil
}

// promote makes call's caller a writer. Callers hold mu.
func (q *commitQueue[W, R]) promote(call *commitCall[W, R]) {
	q.writers++
	call.promoted = true
	call.lead <- struct{}{}
}

// await waits until call is settled, writing batches when its caller is
// promoted. A caller that gives up while still waiting leaves the queue; once
// its case is taken, or its caller is to write, the write goes on under
// batchWait and the caller still waits for it.
func (q *commitQueue[W, R]) await(ctx context.Context, call *commitCall[W, R]) error {
	cancelled := ctx.Done()
	for {
		select {
		case <-call.done:
			// Promoted while another writer took its case, the caller finds
			// its turn ready too: it gives the writer's slot back, or the
			// slot is lost and, after maxWriters such, nobody writes again.
			select {
			case <-call.lead:
				q.release()
			default:
			}
			return nil
		case <-call.lead:
			q.writeTurn(call)
		case <-cancelled:
			if q.withdraw(call) {
				return ctx.Err()
			}
			cancelled = nil
		}
	}
}

// withdraw takes a call out of the queue unless it is taken or promoted.
func (q *commitQueue[W, R]) withdraw(call *commitCall[W, R]) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if call.taken || call.promoted {
		return false
	}
	for i, c := range q.waiting {
		if c == call {
			q.waiting = append(q.waiting[:i:i], q.waiting[i+1:]...)
			return true
		}
	}
	return false
}

// writeTurn writes batches from the head of the queue until self's write is
// among those taken, then hands the turn to the first waiting caller that is
// not a writer yet, so no caller writes for others for long.
func (q *commitQueue[W, R]) writeTurn(self *commitCall[W, R]) {
	defer q.release() // however the turn ends
	for {
		q.mu.Lock()
		if self.taken || len(q.waiting) == 0 {
			q.mu.Unlock()
			return
		}
		n := min(len(q.waiting), maxBatch)
		batch := append([]*commitCall[W, R](nil), q.waiting[:n]...)
		q.waiting = append([]*commitCall[W, R](nil), q.waiting[n:]...)
		for _, c := range batch {
			c.taken = true
		}
		q.mu.Unlock()
		if q.counters != nil {
			q.counters.countBatch(len(batch))
		}
		q.writeSettling(batch)
	}
}

// release gives a writer's slot back and hands it to the first waiting
// caller that is not a writer yet.
func (q *commitQueue[W, R]) release() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.writers--
	for _, c := range q.waiting {
		if q.writers >= maxWriters {
			break
		}
		if !c.promoted {
			q.promote(c)
			break
		}
	}
}

// writeSettling writes a batch. Should the write panic, every call of the
// batch it has not settled is settled with the panic as its error: each of
// their callers waits for its call, not for the writer.
func (q *commitQueue[W, R]) writeSettling(batch []*commitCall[W, R]) {
	defer func() {
		if p := recover(); p != nil {
			err := fmt.Errorf("write a batch: panic: %v", p)
			var none R
			for _, c := range batch {
				if !c.settled() {
					c.settle(none, err)
				}
			}
		}
	}()
	q.write(batch)
}

// commitBatch stores a batch in one transaction with write. When that
// fails, each write is tried alone, so one the database refuses does not
// fail the others.
func commitBatch[W, R any](batch []*commitCall[W, R], write func(ctx context.Context, ws []W) ([]R, error)) {
	ctx, cancel := context.WithTimeout(context.Background(), batchWait)
	defer cancel()
	ws := make([]W, len(batch))
	for i, c := range batch {
		ws[i] = c.w
	}
	res, err := write(ctx, ws)
	if err == nil {
		for i, c := range batch {
			c.settle(res[i], nil)
		}
		return
	}
	var none R
	if len(batch) == 1 {
		batch[0].settle(none, err)
		return
	}
	for _, c := range batch {
		res, err := write(ctx, []W{c.w})
		if err != nil {
			c.settle(none, err)
			continue
		}
		c.settle(res[0], nil)
	}
}

// writeBatch stores a batch of creates.
func (s *Store) writeBatch(batch []*createCall) { commitBatch(batch, s.createInTx) }

// createInTx runs createCases in a transaction of its own.
func (s *Store) createInTx(ctx context.Context, ws []caseWrite) ([]createResult, error) {
	for attempt := 0; ; attempt++ {
		var res []createResult
		err := s.inTx(ctx, func(tx *sqlx.Tx) error {
			var err error
			res, err = s.createCases(ctx, tx, ws)
			return err
		})
		// A concurrent create of the same number won the race: the next
		// attempt finds its row and compares.
		if err == nil || !duplicateKey(err) || attempt > 0 {
			return res, err
		}
	}
}
