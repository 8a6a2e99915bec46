package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"riskmon/store"
)

// TestFoldShards: folding leaves every tally's sums as they were and equal
// to the facts (a recount finds nothing to change), leaves one row a key,
// and keeps them so while writers create cases and add events during the
// folds, on both databases; in chunks of 7 rows, so that a key's shards
// fall in two chunks.
func TestFoldShards(t *testing.T) {
	old := store.SetFoldRows(7)
	t.Cleanup(func() { store.SetFoldRows(old) })
	r := rules
	cases := diffCounty(r, 11)
	eachStore(t, diffStore, func(t *testing.T, ctx context.Context, s *store.Store) {
		shardRows := func() int {
			t.Helper()
			var n int
			if err := s.DB().QueryRow(`SELECT (SELECT COUNT(*) FROM receipt_tally WHERE shard <> 0) +
(SELECT COUNT(*) FROM completion_tally WHERE shard <> 0) + (SELECT COUNT(*) FROM dispute_tally WHERE shard <> 0)`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		write := func(lcs []store.LoadCase) error {
			for _, lc := range lcs {
				if _, _, err := s.CreateCase(ctx, r, lc.Case); err != nil {
					return fmt.Errorf("case %s: %w", lc.Case.CaseNo, err)
				}
				for _, e := range lc.Events {
					if _, _, err := s.AddEvent(ctx, r, lc.Case.CaseNo, e); err != nil {
						return fmt.Errorf("case %s: %w", lc.Case.CaseNo, err)
					}
				}
			}
			return nil
		}
		half := len(cases) / 2
		if err := write(cases[:half]); err != nil {
			t.Fatal(err)
		}
		before := tallies(t, s)
		if shardRows() == 0 {
			t.Fatal("no rows outside shard 0 to fold: the test proves nothing")
		}
		n, err := s.FoldShards(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := shardRows(); n == 0 || got != 0 {
			t.Errorf("folded %d rows, %d left outside shard 0; want some and none", n, got)
		}
		if got := tallies(t, s); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Errorf("the sums changed:\n%v\nwant\n%v", got, before)
		}
		checkFacts(t, s)

		// the rest written by four writers while the tallies are folded
		// again and again
		var wg sync.WaitGroup
		errs := make(chan error, 5)
		done := make(chan struct{})
		rest := cases[half:]
		for w := range 4 {
			wg.Go(func() {
				var mine []store.LoadCase
				for i := w; i < len(rest); i += 4 {
					mine = append(mine, rest[i])
				}
				if err := write(mine); err != nil {
					errs <- err
				}
			})
		}
		go func() { wg.Wait(); close(done) }()
		folds := 0
		for stop := false; !stop; {
			select {
			case <-done:
				stop = true
			default:
			}
			if _, err := s.FoldShards(ctx); err != nil {
				errs <- err
				break
			}
			folds++
		}
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		t.Logf("%d folds beside the writers", folds)
		checkFacts(t, s)
	})
}

// checkFacts fails when a recount would change a tally.
func checkFacts(t *testing.T, s *store.Store) {
	t.Helper()
	diffs, err := s.CheckTallies(context.Background(), rules.Location)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Errorf("the tallies differ from the facts: %v", diffs)
	}
}

// TestFoldWaitsForNoWriter: a case created while a fold has read the
// receipt tally, into a shard row the fold is about to delete, is counted:
// the writer waits for the fold's lock (MariaDB; SQLite lets one writer in
// at a time) and adds to the folded row after it. Without the fold's
// locking read, the writer's addition is deleted with the row.
func TestFoldWaitsForNoWriter(t *testing.T) {
	r := rules
	s := diffStore(t, "mysql")
	ctx := context.Background()
	cases := diffCounty(r, 13)
	first := cases[0].Case
	if _, _, err := s.CreateCase(ctx, r, first); err != nil {
		t.Fatal(err)
	}
	// another case of the same unit, category, channel and level, in the
	// same shard (not 0)
	if store.ShardOf(first.CaseNo) == 0 {
		t.Fatalf("case %s is in shard 0: pick another", first.CaseNo)
	}
	second := first
	for i := 0; ; i++ {
		second.CaseNo = fmt.Sprintf("FOLD-%d", i)
		if store.ShardOf(second.CaseNo) == store.ShardOf(first.CaseNo) {
			break
		}
	}
	second.PetitionerHash = "f0" + first.PetitionerHash[2:]
	// the watch's own connection: the pool may be all in use by the fold and
	// the writer
	watch, err := s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close()
	created := make(chan error, 1)
	var once sync.Once
	store.SetFoldRead(func(table string) {
		if table != "receipt_tally" {
			return
		}
		first := true
		once.Do(func() { first = false })
		if first {
			return // a retry of the fold, chosen as a deadlock victim
		}
		go func() { _, _, err := s.CreateCase(ctx, r, second); created <- err }()
		// until the writer is done, or is in its receipt tally statement: with
		// every row of the table locked by the fold, it waits there (MariaDB
		// 10.11's innodb_lock_waits did not show that wait)
		for {
			select {
			case err := <-created:
				created <- err
				return
			default:
			}
			var waiting int
			if err := watch.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.processlist
WHERE db = DATABASE() AND command = 'Query' AND info LIKE 'INSERT INTO receipt_tally%'`).Scan(&waiting); err != nil {
				t.Error(err)
				return
			}
			if waiting > 0 {
				return
			}
		}
	})
	t.Cleanup(func() { store.SetFoldRead(nil) })
	if _, err := s.FoldShards(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-created; err != nil {
		t.Fatal(err)
	}
	checkFacts(t, s)
}
