package store_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// The kept register (Reader.Register with a KeptRegister) equals the one
// counted from the disputes (ReadFacts) at every instant a time limit ends,
// an inspection stops counting or a month starts (−1 s, −1 ns, 0, +1 ns,
// +1 s), while the register changes through every write path between the
// instants: CreateDispute, AddDisputeEvent of every type, LoadDisputes (a
// new dispute and one taken up where it stands), in two units; and when
// the clock goes back.
func TestKeptRegisterFollowsTheWrites(t *testing.T) {
	const inspectEvery = 7 * 24 * time.Hour
	on := func(month time.Month, day, hour int) time.Time {
		return time.Date(2026, month, day, hour, 0, 0, 0, shanghai)
	}
	dispute := func(no, unit, risk, leader, potential string, by calendar.Day) petition.Dispute {
		d := sampleDispute(no)
		d.Unit, d.Risk, d.LeaderRole, d.Potential, d.ResolveBy = unit, risk, leader, potential, by
		d.HandlerAssigned = leader != ""
		return d
	}
	ev := func(typ string, at time.Time) petition.DisputeEvent { return petition.DisputeEvent{Type: typ, At: at} }
	d1 := dispute("K-1", "u1", "high", "county_leader", "collective", calendar.Date(2026, 10, 5))
	d2 := dispute("K-2", "u2", "medium", "", "", calendar.Date(2026, 10, 12))
	d3 := dispute("K-3", "u1", "low", "township_head", "online_outcry", 0)
	d4 := dispute("K-4", "u2", "high", "township_head", "", calendar.Date(2026, 9, 28))
	redated := ev(petition.DisputeEventAssigned, on(10, 14, 9))
	redated.ResolveBy, redated.Reason = calendar.Date(2026, 11, 3), "court"
	led := ev(petition.DisputeEventAssigned, on(10, 20, 9))
	led.LeaderRole, led.HandlerAssigned = "county_leader", true
	risen := ev(petition.DisputeEventRiskChanged, on(10, 22, 9))
	risen.Risk = "high"
	loaded := []store.LoadDispute{{Dispute: d2, Events: []petition.DisputeEvent{ev(petition.DisputeEventInspected, on(10, 2, 9))}}}
	// the limits' ends, the inspections' expiries and the months' starts
	var edges []time.Time
	for _, e := range []time.Time{
		d1.ResolveBy.End(shanghai), d2.ResolveBy.End(shanghai), d4.ResolveBy.End(shanghai), redated.ResolveBy.End(shanghai),
		on(10, 2, 9).Add(inspectEvery), on(10, 8, 9).Add(inspectEvery), on(10, 16, 9).Add(inspectEvery),
		on(10, 1, 0), on(11, 1, 0), on(12, 1, 0),
	} {
		for _, off := range []time.Duration{-time.Second, -time.Nanosecond, 0, time.Nanosecond, time.Second} {
			edges = append(edges, e.Add(off))
		}
	}
	slices.SortFunc(edges, time.Time.Compare)
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		create := func(d petition.Dispute) func() {
			return func() { _, _, err := s.CreateDispute(ctx, roles, d); must(t, err) }
		}
		event := func(no string, e petition.DisputeEvent) func() {
			return func() { _, _, err := s.AddDisputeEvent(ctx, rules, roles, no, e); must(t, err) }
		}
		// the writes, in order, each before the walk reaches its instant
		writes := []struct {
			before time.Time
			what   string
			write  func()
		}{
			{on(9, 25, 0), "a high-risk dispute", create(d1)},
			{on(9, 26, 0), "a dispute without a time limit", create(d3)},
			{on(9, 27, 0), "a dispute of the other unit", create(d4)},
			{on(10, 1, 12), "a register loaded", func() { must(t, s.LoadDisputes(ctx, rules, roles, loaded)) }},
			{on(10, 3, 0), "the loaded dispute loaded again, inspected", func() {
				again := store.LoadDispute{Dispute: d2, Events: append(slices.Clone(loaded[0].Events), ev(petition.DisputeEventInspected, on(10, 3, 9)))}
				must(t, s.LoadDisputes(ctx, rules, roles, []store.LoadDispute{again}))
			}},
			{on(10, 8, 12), "inspected after its limit (late)", event(d1.No, ev(petition.DisputeEventInspected, on(10, 8, 9)))},
			{on(10, 14, 12), "re-dated once overdue", event(d2.No, redated)},
			{on(10, 16, 12), "inspected", event(d3.No, ev(petition.DisputeEventInspected, on(10, 16, 9)))},
			{on(10, 20, 12), "a leader and a handler", event(d3.No, led)},
			{on(10, 22, 12), "risk raised", event(d3.No, risen)},
			{on(10, 25, 12), "resolved late", event(d1.No, ev(petition.DisputeEventResolved, on(10, 25, 9)))},
			{on(11, 2, 12), "resolved on time", event(d2.No, ev(petition.DisputeEventResolved, on(11, 2, 9)))},
			{on(11, 5, 12), "closed", event(d4.No, ev(petition.DisputeEventClosed, on(11, 5, 9)))},
		}
		// read reads at now with the settings of the walk, changed by set
		read := func(now time.Time, k *store.KeptRegister, set ...func(*store.RegisterAt)) store.RegisterNow {
			t.Helper()
			at := store.RegisterAt{Now: now, Loc: shanghai, InspectEvery: inspectEvery, CountyRoles: []string{"county_leader"},
				MonthStart: time.Date(now.In(shanghai).Year(), now.In(shanghai).Month(), 1, 0, 0, 0, 0, shanghai)}
			for _, f := range set {
				f(&at)
			}
			return sortedRegister(readOf(t, s, k == nil, func(r *store.Reader) (store.RegisterNow, error) {
				return r.Register(ctx, at, k)
			}))
		}
		k := &store.KeptRegister{}
		check := func(now time.Time, after string, set ...func(*store.RegisterAt)) {
			t.Helper()
			keptIsFacts(t, now, after, read(now, k, set...), read(now, nil, set...))
		}
		next, after, overdue, earlier := 0, "nothing", 0, 0
		for _, now := range edges {
			for next < len(writes) && !writes[next].before.After(now) {
				writes[next].write()
				after = writes[next].what
				next++
				check(now, after) // a write, the clock unmoved
			}
			check(now, after)
			facts := read(now, nil)
			for _, o := range facts.Open {
				overdue += int(o.Overdue)
			}
			for _, o := range facts.OverdueEarlier {
				earlier += int(o.Overdue)
			}
		}
		if next != len(writes) {
			t.Fatalf("%d of %d writes made: the walk ends too soon", next, len(writes))
		}
		if overdue == 0 || earlier == 0 {
			t.Fatalf("%d overdue, %d overdue earlier in the month, summed over the instants: the walk proves nothing", overdue, earlier)
		}
		// the clock back to the start and forward again
		check(edges[0], "the clock went back")
		check(edges[len(edges)-1], "the clock came forward")
		// a unit's count is kept for the instants and settings it holds
		// for (the register unwritten): past the lapse of d3's inspection,
		// back before it within the day, with other county roles (d3 is
		// high-risk, led by a county leader), with a longer interval
		lapse := on(10, 16, 9).Add(inspectEvery)
		longer := func(at *store.RegisterAt) { at.InspectEvery = inspectEvery + 24*time.Hour }
		township := func(at *store.RegisterAt) { at.CountyRoles = []string{"township_head"} }
		same := func(a, b store.RegisterNow) bool { return fmt.Sprint(a) == fmt.Sprint(b) } // sorted: the same text
		if at := read(lapse, nil); same(at, read(lapse.Add(-time.Second), nil)) || same(at, read(lapse, nil, longer)) || same(at, read(lapse, nil, township)) {
			t.Fatal("the lapse, the interval and the roles count the same: the steps below prove nothing")
		}
		check(lapse, "the clock at an inspection's lapse")
		check(lapse.Add(-time.Second), "the clock back before the lapse, within the day")
		check(lapse, "the clock at the lapse again")
		check(lapse, "other county roles", township)
		check(lapse, "the county roles back")
		check(lapse, "a longer inspection interval", longer)
	})
}

// sortedRegister is r with its rows in key order: the kept register counts
// from a map, the queries group in the index's order.
func sortedRegister(r store.RegisterNow) store.RegisterNow {
	slices.SortFunc(r.Open, func(a, b store.OpenDisputeCount) int {
		return cmp.Compare(fmt.Sprint(a.Unit, a.Category, a.Risk), fmt.Sprint(b.Unit, b.Category, b.Risk))
	})
	slices.SortFunc(r.OverdueEarlier, func(a, b store.UnitOverdue) int { return cmp.Compare(a.Unit, b.Unit) })
	slices.SortFunc(r.Potentials, func(a, b store.PotentialCount) int {
		return cmp.Or(cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Potential, b.Potential))
	})
	return r
}
