package store_test

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/demo"
	"riskmon/petition"
	"riskmon/store"
)

// The kept backlog (KeptBacklog) and open assignments (KeptAssignments)
// equal those counted from the cases (ReadFacts) while the county is written between its refreshes: cases
// created and their events added one by one, through every event type the
// demo knows (transfers, extensions, hearings, stage completions, closes),
// read at −1 s, −1 ns, 0, +1 ns and +1 s of the written case's deadline and
// of the moment it comes within the due-soon horizon, so that the clock
// goes back and forth; after the rules in force move every open deadline
// (RecomputeDeadlines); after a recount repairs the rows a reader kept
// wrong; and after a bulk load into a database a reader kept empty.
func TestKeptBacklogFollowsTheWrites(t *testing.T) {
	cases := diffCounty(rules, 5)
	eachStore(t, diffStore, func(t *testing.T, ctx context.Context, s *store.Store) {
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
		ka := &store.KeptAssignments{}
		assignedOf := func(s *store.Store, k *store.KeptAssignments) []store.AssignedOpen {
			t.Helper()
			got := readOf(t, s, k == nil, func(r *store.Reader) ([]store.AssignedOpen, error) { return r.KeptAssigned(ctx, k) })
			slices.SortFunc(got, func(a, b store.AssignedOpen) int {
				return cmp.Or(cmp.Compare(a.Due, b.Due), cmp.Compare(a.Unit, b.Unit))
			})
			return got
		}
		var open, overdue, dueSoon, assigned int64 // over the instants: a walk of an empty backlog proves nothing
		check := func(now time.Time, after string) {
			t.Helper()
			for _, b := range keptIsFacts(t, now, after, read(now, k), read(now, nil)) {
				open, overdue, dueSoon = open+b.Open, overdue+b.Overdue, dueSoon+b.DueSoon
			}
			for _, a := range keptIsFacts(t, now, after, assignedOf(s, ka), assignedOf(s, nil)) {
				assigned += a.Cases
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
			must(t, writeOneByOne(ctx, s, rules, []store.LoadCase{lc}))
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
		// the bureau assigns a case to u1 with a date, and u1 passes it on
		// to u2: the assignment goes with the matter, from one unit to the
		// other
		assign := sample("ASSIGN-1")
		assign.Unit, assign.Routing, assign.ReceivedAt = demo.Bureau.Code, true, end.AddDate(0, 0, -3)
		_, _, err := s.CreateCase(ctx, rules, assign)
		must(t, err)
		for _, e := range []petition.Event{
			{Type: petition.EventTransferred, At: end.AddDate(0, 0, -2), Unit: "u1", Due: calendar.DayOf(end, rules.Location) + 5},
			{Type: petition.EventTransferred, At: end.AddDate(0, 0, -1), Unit: "u2"},
		} {
			_, _, err := s.AddEvent(ctx, rules, assign.CaseNo, e)
			must(t, err)
			check(end, "an assignment, "+e.Unit)
		}
		// the rules in force move every open case's deadline
		shorter := rules
		shorter.HandlingDays, shorter.AcceptanceDays = 30, 10
		_, err = s.RecomputeDeadlines(ctx, rules) // records the rules' fingerprint
		must(t, err)
		res, err := s.RecomputeDeadlines(ctx, shorter)
		must(t, err)
		if res.Moved == 0 {
			t.Fatalf("%+v: no deadline moved, nothing is proved", res)
		}
		walk("the deadlines recomputed", end, end.AddDate(0, 0, -20), end.AddDate(0, 0, 5))
		// a recount repairs the rows a reader has kept wrong, the keys'
		// counts of open cases right: only its version says
		keptRepaired(t, s, "UPDATE backlog_tally SET cases = 0 WHERE deadline > 0", nil, func() {
			_, err := s.Recount(ctx, rules.Location)
			must(t, err)
		}, func(k *store.KeptBacklog) []store.BacklogCount { return read(end, k) })
		walk("a recount", end)
		// a bulk load into the database a reader keeps empty
		b := diffStore(t, s.Dialect()) // a new database of the same kind
		kb, kab := &store.KeptBacklog{}, &store.KeptAssignments{}
		if got, gotA := backlogOf(b, end, kb), assignedOf(b, kab); got != nil || gotA != nil {
			t.Fatalf("an empty county's backlog: %+v, assignments %+v", got, gotA)
		}
		must(t, b.Load(ctx, rules, cases))
		if got, want := backlogOf(b, end, kb), backlogOf(b, end, nil); !reflect.DeepEqual(got, want) || want == nil {
			t.Fatalf("after a bulk load: kept %+v, counted %+v", got, want)
		}
		if got, want := assignedOf(b, kab), assignedOf(b, nil); !reflect.DeepEqual(got, want) || want == nil {
			t.Fatalf("after a bulk load: kept assignments %+v, counted %+v", got, want)
		}
		if slices.Contains([]int64{open, overdue, dueSoon, assigned}, 0) {
			t.Fatalf("open %d, overdue %d, due soon %d, assigned %d over the instants: the county proves nothing", open, overdue, dueSoon, assigned)
		}
	})
}
