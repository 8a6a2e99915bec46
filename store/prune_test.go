package store_test

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"riskmon/store"
)

// zeroRows counts the rows at zero of the tallies of what is open now.
func zeroRows(t *testing.T, s *store.Store) int {
	t.Helper()
	var n int
	must(t, s.DB().QueryRow(`SELECT (SELECT COUNT(*) FROM backlog_tally WHERE cases = 0) +
(SELECT COUNT(*) FROM supervision_tally WHERE open = 0 AND unanswered = 0)`).Scan(&n))
	return n
}

// TestPruneTallies: the writers leave the rows of the tallies of what is
// open now that they bring to zero; the backlog (kept and not) and the
// supervised cases read from the tallies say what the facts say with those
// rows there and after PruneTallies, which deletes every one of them, in
// chunks of 7 rows, and leaves the tallies equal to a recount.
func TestPruneTallies(t *testing.T) {
	old := store.SetFoldRows(7)
	t.Cleanup(func() { store.SetFoldRows(old) })
	cases := diffCounty(rules, 11)
	eachStore(t, diffStore, func(t *testing.T, ctx context.Context, s *store.Store) {
		must(t, writeOneByOne(ctx, s, rules, cases))
		zero := zeroRows(t, s)
		if zero <= 7 {
			t.Fatalf("%d rows at zero: the test proves nothing of them, nor of the chunks", zero)
		}
		k := &store.KeptBacklog{}
		end := time.Date(2026, 10, 8, 15, 30, 0, 0, rules.Location) // diffCounty's now
		reads := func(after string) {
			t.Helper()
			var overdue int64 // a read with nothing overdue proves nothing of the oldest deadline
			for _, now := range []time.Time{end.AddDate(0, 0, -20), end, end.AddDate(0, 0, 20)} {
				backlog := func(k *store.KeptBacklog) []store.BacklogCount {
					return readOf(t, s, k == nil, func(r *store.Reader) ([]store.BacklogCount, error) {
						return r.KeptBacklog(ctx, now, rules.DueSoon, k)
					})
				}
				for _, b := range keptIsFacts(t, now, after, backlog(k), backlog(nil)) {
					overdue += b.Overdue
				}
				supervision := func(facts bool) []store.SupervisionCount {
					got := readOf(t, s, facts, func(r *store.Reader) ([]store.SupervisionCount, error) { return r.Supervision(ctx, now) })
					slices.SortFunc(got, func(a, b store.SupervisionCount) int {
						return cmp.Or(cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Level, b.Level))
					})
					return got
				}
				keptIsFacts(t, now, after, supervision(false), supervision(true))
			}
			if overdue == 0 {
				t.Fatalf("%s: nothing overdue at any instant", after)
			}
		}
		reads("with the rows at zero")
		n, err := s.PruneTallies(ctx)
		must(t, err)
		if got := zeroRows(t, s); n != int64(zero) || got != 0 {
			t.Errorf("pruned %d rows, %d at zero left; want %d and none", n, got, zero)
		}
		reads("after the prune")
		checkFacts(t, s)
	})
}

// TestPruneLeavesARowCountedAgain: a row at zero that a writer counts into
// after the prune has read it, before the prune deletes it, stays with its
// count: the delete checks the zero again (MariaDB; SQLite lets one writer
// in at a time).
func TestPruneLeavesARowCountedAgain(t *testing.T) {
	s := diffStore(t, "mysql")
	ctx := context.Background()
	must(t, writeOneByOne(ctx, s, rules, diffCounty(rules, 11)))
	var unit, category, stage string
	var deadline int64
	must(t, s.DB().QueryRow("SELECT unit, category, stage, deadline FROM backlog_tally WHERE cases = 0 LIMIT 1").
		Scan(&unit, &category, &stage, &deadline))
	store.SetPruneRead(func(table string) {
		if table != "backlog_tally" {
			return
		}
		store.SetPruneRead(nil) // once
		_, err := s.DB().Exec("UPDATE backlog_tally SET cases = cases + 1 WHERE unit = ? AND category = ? AND stage = ? AND deadline = ?",
			unit, category, stage, deadline)
		must(t, err)
	})
	t.Cleanup(func() { store.SetPruneRead(nil) })
	_, err := s.PruneTallies(ctx)
	must(t, err)
	var cases int64
	if err := s.DB().QueryRow("SELECT cases FROM backlog_tally WHERE unit = ? AND category = ? AND stage = ? AND deadline = ?",
		unit, category, stage, deadline).Scan(&cases); err != nil || cases != 1 {
		t.Errorf("the row counted into during the prune: cases %d, %v; want it kept with 1", cases, err)
	}
	if got := zeroRows(t, s); got != 0 {
		t.Errorf("%d rows at zero left, want none", got)
	}
}
