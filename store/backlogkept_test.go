package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"riskmon/store"
	"riskmon/store/storetest"
)

// The kept backlog (KeptBacklog) equals the backlog counted from the cases
// (ReadFacts) while the county is written between its refreshes: cases
// created and their events added one by one, through every event type the
// demo knows (transfers, extensions, hearings, stage completions, closes),
// read at −1 s, −1 ns, 0, +1 ns and +1 s of the written case's deadline and
// of the moment it comes within the due-soon horizon, so that the clock
// goes back and forth; after the rules in force move every open deadline
// (RecomputeDeadlines); after a recount repairs the rows a reader kept
// wrong; and after a bulk load into a database a reader kept empty.
func TestKeptBacklogFollowsTheWrites(t *testing.T) {
	cases := diffCounty(rules, 5)
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			s := diffStore(t, dialect)
			k := &store.KeptBacklog{}
			backlogOf := func(s *store.Store, now time.Time, k *store.KeptBacklog) []store.BacklogCount {
				t.Helper()
				return readOf(t, s, k == nil, func(r *store.Reader) ([]store.BacklogCount, error) {
					return r.KeptBacklog(ctx, now, rules.DueSoon, k)
				})
			}
			read := func(now time.Time, k *store.KeptBacklog) []store.BacklogCount {
				t.Helper()
				return backlogOf(s, now, k)
			}
			var open, overdue, dueSoon int64 // over the instants: a walk of an empty backlog proves nothing
			check := func(now time.Time, after string) {
				t.Helper()
				for _, b := range keptIsFacts(t, now, after, read(now, k), read(now, nil)) {
					open, overdue, dueSoon = open+b.Open, overdue+b.Overdue, dueSoon+b.DueSoon
				}
			}
			walk := func(after string, edges ...time.Time) {
				t.Helper()
				for _, edge := range edges {
					for _, off := range diffOffsets {
						check(edge.Add(off), after)
					}
				}
			}
			end := time.Date(2026, 10, 8, 15, 30, 0, 0, rules.Location) // diffCounty's now
			for i, lc := range cases {
				_, _, err := s.CreateCase(ctx, rules, lc.Case)
				must(t, err)
				for _, e := range lc.Events {
					_, _, err := s.AddEvent(ctx, rules, lc.Case.CaseNo, e)
					must(t, err)
				}
				if i%4 != 0 && len(lc.Events) == 0 {
					continue // a quarter of the plain cases, every case with a history
				}
				st, err := s.CaseState(ctx, lc.Case.CaseNo)
				must(t, err)
				edges := []time.Time{end}
				if !st.Deadline.IsZero() {
					edges = append(edges, st.Deadline, st.Deadline.Add(-rules.DueSoon))
				}
				walk(lc.Case.CaseNo, edges...)
			}
			// the rules in force move every open case's deadline
			shorter := rules
			shorter.HandlingDays, shorter.AcceptanceDays = 30, 10
			_, err := s.RecomputeDeadlines(ctx, rules) // records the rules' fingerprint
			must(t, err)
			res, err := s.RecomputeDeadlines(ctx, shorter)
			must(t, err)
			if res.Moved == 0 {
				t.Fatalf("%+v: no deadline moved, nothing is proved", res)
			}
			walk("the deadlines recomputed", end, end.AddDate(0, 0, -20), end.AddDate(0, 0, 5))
			// a recount repairs the rows a reader has kept wrong, the keys'
			// counts of open cases right: only its version says
			_, err = s.DB().ExecContext(ctx, "UPDATE backlog_tally SET cases = 0 WHERE deadline > 0")
			must(t, err)
			wrong := &store.KeptBacklog{}
			_ = read(end, wrong)
			_, err = s.Recount(ctx, rules.Location)
			must(t, err)
			if got, want := read(end, wrong), read(end, nil); !reflect.DeepEqual(got, want) {
				t.Fatalf("after a recount: kept %+v, counted %+v", got, want)
			}
			walk("a recount", end)
			// a bulk load into the database a reader keeps empty
			b := diffStore(t, dialect)
			kb := &store.KeptBacklog{}
			if got := backlogOf(b, end, kb); got != nil {
				t.Fatalf("an empty county's backlog: %+v", got)
			}
			must(t, b.Load(ctx, rules, cases))
			if got, want := backlogOf(b, end, kb), backlogOf(b, end, nil); !reflect.DeepEqual(got, want) || want == nil {
				t.Fatalf("after a bulk load: kept %+v, counted %+v", got, want)
			}
			if slices.Contains([]int64{open, overdue, dueSoon}, 0) {
				t.Fatalf("open %d, overdue %d, due soon %d over the instants: the county proves nothing", open, overdue, dueSoon)
			}
		})
	}
}
