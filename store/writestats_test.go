package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/go-sql-driver/mysql"

	"riskmon/store"
	"riskmon/store/storetest"
)

// The queue of creates had no bound: a database that does not keep up made
// every caller wait longer, without end. A full queue refuses at once.
func TestCreateQueueIsBounded(t *testing.T) {
	s := setup(t, "sqlite")
	ctx := context.Background()
	var queued []store.Queued
	for i := range store.MaxQueue {
		queued = append(queued, store.Enqueue(s, rules, sample(fmt.Sprintf("Q-%d", i))))
	}
	if got := s.WriteStats().Queues[0].QueueLength; got != store.MaxQueue {
		t.Errorf("queue length %d, want %d", got, store.MaxQueue)
	}
	if _, err := store.EnqueueErr(s, rules, sample("Q-over")); !errors.Is(err, store.ErrBusy) {
		t.Errorf("a create past the bound: %v, want ErrBusy", err)
	}
	_, _, err := s.CreateCase(ctx, rules, sample("Q-over"))
	if !errors.Is(err, store.ErrBusy) || !store.Unavailable(err) {
		t.Errorf("CreateCase past the bound: %v, want ErrBusy, which the API answers 503", err)
	}
	for _, o := range awaitAll(ctx, queued) {
		if o != "created" {
			t.Fatalf("a queued create: %s", o)
		}
	}
	st := s.WriteStats().Queues[0]
	var batches, cases uint64
	for _, n := range st.Batches {
		batches += n
	}
	cases = st.BatchWrites
	if st.Writes != "cases" || st.QueueLength != 0 || st.QueueFull != 2 || cases != store.MaxQueue || batches < store.MaxQueue/store.MaxBatch {
		t.Errorf("after the queue drained: %+v; want it empty, 2 refusals, %d cases in at least %d batches", st, store.MaxQueue, store.MaxQueue/store.MaxBatch)
	}
	if _, _, err := s.CreateCase(ctx, rules, sample("Q-over")); err != nil {
		t.Errorf("a create once the queue drained: %v", err)
	}
}

// Deadlocks and lock waits were retried at once and not counted.
func TestRetriesAreCountedByReason(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	ctx := context.Background()
	for _, tc := range []struct {
		errs   []error
		reason string
		wantOK bool
	}{
		{[]error{&mysql.MySQLError{Number: 1213}, &mysql.MySQLError{Number: 1213}}, "deadlock", true},
		{[]error{&mysql.MySQLError{Number: 1205}}, "lock_wait_timeout", true},
		{[]error{&mysql.MySQLError{Number: 1205}, &mysql.MySQLError{Number: 1205}, &mysql.MySQLError{Number: 1205}, &mysql.MySQLError{Number: 1205}, &mysql.MySQLError{Number: 1205}}, "lock_wait_timeout", false},
	} {
		before := s.WriteStats().Retries[tc.reason]
		calls := 0
		err := store.InTx(ctx, s, func() error {
			calls++
			if calls <= len(tc.errs) {
				return tc.errs[calls-1]
			}
			return nil
		})
		if (err == nil) != tc.wantOK {
			t.Errorf("%s ×%d: %v", tc.reason, len(tc.errs), err)
		}
		wantRetries := min(len(tc.errs), 4) // five attempts in all
		if got := s.WriteStats().Retries[tc.reason] - before; got != uint64(wantRetries) {
			t.Errorf("%s ×%d: %d retries counted, want %d", tc.reason, len(tc.errs), got, wantRetries)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	calls := 0
	err := store.InTx(cancelled, s, func() error { calls++; return &mysql.MySQLError{Number: 1213} })
	if err == nil || calls > 1 {
		t.Errorf("a cancelled caller: %v after %d attempts, want no retry", err, calls)
	}
}

// Every connection of the pool runs READ COMMITTED, set when it connects
// (no longer by asking the server at open, which needed it up).
func TestSessionsAreReadCommitted(t *testing.T) {
	s := storetest.Open(t, "mysql")
	ctx := context.Background()
	var conns []interface{ Close() error }
	for range 3 { // three connections at once: three sessions
		c, err := s.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var got string
		if err := c.QueryRowContext(ctx, "SELECT @@session.tx_isolation").Scan(&got); err != nil {
			if err := c.QueryRowContext(ctx, "SELECT @@session.transaction_isolation").Scan(&got); err != nil {
				t.Fatal(err)
			}
		}
		if got != "READ-COMMITTED" {
			t.Errorf("a session runs %s, want READ-COMMITTED", got)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}
