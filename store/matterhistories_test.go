package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"riskmon/petition"
	"riskmon/store"
)

// The kept histories (KeptMatterHistories) equal those counted from the
// cases (MatterHistories) at every instant a case enters or leaves the 12
// months, is received, or grows old (−1 s, −1 ns, 0, +1 ns, +1 s), while the
// cases change through every write path between the instants: the bulk
// load, CreateCase, AddEvent (acceptance, closing, a link to a matter), the
// incremental import, a resolution and a reopening; and when the clock goes
// back. So does the kept activity of the matters (KeptMatterActivity, what
// the rising rule counts in the 7 and 30 days), at the windows' edges too.
func TestKeptHistoriesFollowTheWrites(t *testing.T) {
	const backlogDays = 180
	t0 := at("2025-10-01 10:00:00")
	accepted := func(d int) petition.Event {
		return petition.Event{Type: petition.EventAccepted, At: t0.Add(time.Duration(d) * day)}
	}
	loaded := []store.LoadCase{
		onMatter(edgeCase("A1", "P1", t0, accepted(1)), "m1"),
		onMatter(edgeCase("A2", "P2", t0.Add(20*day)), "m1"),
		onMatter(edgeCase("B1", "P3", t0.Add(40*day)), "m2"),
	}
	created := onMatter(edgeCase("D1", "P4", t0.Add(230*day)), "m4").Case // created before it is received
	linked := edgeCase("C1", "P5", t0.Add(60*day)).Case                   // linked to m3 later
	imported := onMatter(edgeCase("A3", "P6", t0.Add(250*day), accepted(251)), "m1")
	var edges []time.Time
	for _, rt := range []time.Time{loaded[0].Case.ReceivedAt, loaded[1].Case.ReceivedAt, loaded[2].Case.ReceivedAt,
		created.ReceivedAt, linked.ReceivedAt, imported.Case.ReceivedAt} {
		for _, e := range []time.Time{rt, rt.Add(backlogDays * day), rt.AddDate(1, 0, 0),
			rt.Add(petition.RisingWindowDays * day), rt.Add(30 * day)} {
			for _, off := range []time.Duration{-time.Second, -time.Nanosecond, 0, time.Nanosecond, time.Second} {
				edges = append(edges, e.Add(off))
			}
		}
	}
	slices.SortFunc(edges, time.Time.Compare)
	eachStore(t, fourMatters, func(t *testing.T, ctx context.Context, s *store.Store) {
		event := func(no string, e petition.Event) {
			t.Helper()
			_, _, err := s.AddEvent(ctx, rules, no, e)
			must(t, err)
		}
		// the writes, in order, each before the walk reaches its instant
		writes := []struct {
			before time.Time
			what   string
			write  func()
		}{
			{t0.Add(-time.Hour), "bulk load", func() { must(t, s.Load(ctx, rules, loaded)) }},
			{t0.Add(30 * day), "a case created ahead of its receipt", func() { _, _, err := s.CreateCase(ctx, rules, created); must(t, err) }},
			{t0.Add(70 * day), "a case without a matter", func() { _, _, err := s.CreateCase(ctx, rules, linked); must(t, err) }},
			{t0.Add(90 * day), "linked to m3", func() {
				event("C1", petition.Event{Type: petition.EventLinked, At: t0.Add(90 * day), Matter: "m3"})
			}},
			{t0.Add(150 * day), "m1's open case accepted", func() { event("A2", accepted(150)) }},
			{t0.Add(215 * day), "m1's first case closed", func() {
				event("A1", petition.Event{Type: petition.EventReplied, At: t0.Add(215 * day)})
				event("A1", petition.Event{Type: petition.EventClosed, At: t0.Add(215 * day)})
			}},
			{t0.Add(240 * day), "m2 resolved", func() {
				must(t, s.PutLead(ctx, "m2", petition.Lead{Role: "county_leader", Plan: petition.LeadResolved}, t0.Add(100*day)))
			}},
			{t0.Add(245 * day), "an incremental import", func() { must(t, s.Import(ctx, rules, store.Cases([]store.LoadCase{imported}), nil)) }},
			{t0.Add(300 * day), "m2 reopened", func() {
				must(t, s.PutLead(ctx, "m2", petition.Lead{Role: "county_leader", Plan: "in_progress"}, t0.Add(300*day)))
			}},
		}
		kept, keptActivity := &store.KeptHistories{}, &store.KeptActivity{}
		active := 0 // instants with a matter active in the 7 days: a walk of none proves nothing
		compare := func(now time.Time, what string) {
			t.Helper()
			var got, want []petition.MatterHistory
			var gotActivity, wantActivity []petition.MatterActivity
			err := s.Read(ctx, func(r *store.Reader) error {
				var err error
				if want, err = r.MatterHistories(ctx, now, backlogDays); err != nil {
					return err
				}
				if got, err = r.KeptMatterHistories(ctx, now, backlogDays, kept); err != nil {
					return err
				}
				if wantActivity, err = r.MatterActivity(ctx, now); err != nil {
					return err
				}
				gotActivity, err = r.KeptMatterActivity(ctx, now, keptActivity)
				return err
			})
			must(t, err)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("at %s (%s): kept\n%+v\nfrom the cases\n%+v", now.Format(time.RFC3339Nano), what, got, want)
			}
			if !reflect.DeepEqual(gotActivity, wantActivity) {
				t.Errorf("at %s (%s): activity kept\n%+v\nfrom the cases\n%+v", now.Format(time.RFC3339Nano), what, gotActivity, wantActivity)
			}
			if slices.ContainsFunc(wantActivity, func(a petition.MatterActivity) bool { return a.Cases7 > 0 }) {
				active++
			}
		}
		compare(t0.Add(-2*time.Hour), "before any case")
		for _, now := range edges {
			for len(writes) > 0 && !writes[0].before.After(now) {
				writes[0].write()
				compare(now, "after "+writes[0].what)
				writes = writes[1:]
			}
			compare(now, "the clock")
		}
		// the clock back, and on again
		compare(edges[0], "the clock back")
		compare(edges[len(edges)/2], "the clock on")
		compare(loaded[1].Case.ReceivedAt.Add(day), "the clock back into m1's busy month")
		if active < 20 {
			t.Fatalf("a matter active at %d instants: the walk proves little", active)
		}
	})
}
