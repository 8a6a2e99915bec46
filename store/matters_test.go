package store_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"riskmon/petition"
	"riskmon/store"
)

// onMatter is lc naming matter m.
func onMatter(lc store.LoadCase, m string) store.LoadCase { lc.Case.Matter = m; return lc }

// TestMatterActivity holds the matter counts the collector reads to a count
// made here from the cases, on every write path and both databases, at every
// window edge: one petitioner with three cases counts once, a linked event
// moves a case to its new matter, a case counts in the window of d days when
// received at or after now-d and not after now.
func TestMatterActivity(t *testing.T) {
	t0 := at("2026-09-01 10:00:00")
	link := func(m string, when time.Time) petition.Event {
		return petition.Event{Type: petition.EventLinked, At: when, Matter: m}
	}
	cases := []store.LoadCase{
		onMatter(edgeCase("A1", "P1", t0), "m1"),
		onMatter(edgeCase("A2", "P1", t0.Add(time.Hour)), "m1"),
		onMatter(edgeCase("A3", "P1", t0.Add(2*day)), "m1"),
		onMatter(edgeCase("B1", "P2", t0.Add(3*day)), "m1"),
		// linked later, from none and from another matter
		edgeCase("C1", "P3", t0.Add(day), link("m1", t0.Add(4*day))),
		onMatter(edgeCase("D1", "P4", t0.Add(day+time.Second)), "m2"),
		onMatter(edgeCase("D2", "P4", t0.Add(day+2*time.Second), link("m1", t0.Add(5*day))), "m2"),
		persons(onMatter(edgeCase("E1", "P5", t0.Add(2*day)), "m2"), 7),
		// names no matter
		edgeCase("F1", "P6", t0.Add(2*day)),
	}
	// what the stored cases raise now, after every event
	raises := map[string]string{}
	for _, lc := range cases {
		raises[lc.Case.CaseNo] = lc.Case.Matter
		for _, e := range lc.Events {
			raises[lc.Case.CaseNo] = e.Matter
		}
	}
	want := func(now time.Time) []petition.MatterActivity {
		by := map[string]*petition.MatterActivity{}
		seen := map[string]map[string]bool{}
		for _, lc := range cases {
			m, c := raises[lc.Case.CaseNo], lc.Case
			if m == "" || c.ReceivedAt.After(now) || c.ReceivedAt.Before(now.Add(-30*day)) {
				continue
			}
			a := by[m]
			if a == nil {
				a = &petition.MatterActivity{Code: m}
				by[m] = a
			}
			in7 := !c.ReceivedAt.Before(now.Add(-7 * day))
			for _, w := range []string{"30", "7"} {
				if w == "7" && !in7 {
					continue
				}
				if seen[m+w] == nil {
					seen[m+w] = map[string]bool{}
				}
				first := !seen[m+w][c.PetitionerHash]
				seen[m+w][c.PetitionerHash] = true
				if w == "7" {
					a.Cases7++
					a.Persons7 += c.Persons
					if first {
						a.Petitioners7++
					}
				} else {
					a.Cases30++
					a.Persons30 += c.Persons
					if first {
						a.Petitioners30++
					}
				}
			}
		}
		// the register: m2 has an open high-risk dispute, m1 an open
		// medium one and a resolved high one
		for _, m := range []string{"m1", "m2"} {
			if by[m] == nil {
				by[m] = &petition.MatterActivity{Code: m}
			}
		}
		by["m1"].OpenDisputes, by["m2"].OpenDisputes, by["m2"].HighRiskDisputes = 1, 1, 1
		var out []petition.MatterActivity
		for _, m := range slices.Sorted(maps.Keys(by)) {
			a := *by[m]
			a.Name, a.Unit, a.Category = "事项"+m, "u1", "other"
			out = append(out, a)
		}
		return out
	}
	var instants []time.Time
	for _, lc := range cases {
		for _, edge := range []time.Duration{0, 7 * day, 30 * day} {
			for _, off := range []time.Duration{-time.Second, -time.Nanosecond, 0, time.Nanosecond, time.Second} {
				instants = append(instants, lc.Case.ReceivedAt.Add(edge+off))
			}
		}
	}
	eachWritePath(t, smallCounty, func(t *testing.T, ctx context.Context, s *store.Store, write writeFunc) {
		putMatters(t, s, "m1", "m2")
		r := petition.DefaultRules(shanghai)
		if err := write(ctx, s, r, cases); err != nil {
			t.Fatal(err)
		}
		roles := petition.DefaultLeaderRoles
		for _, x := range []struct {
			no, m, risk string
			resolved    bool
		}{{"G1", "m2", "high", false}, {"G2", "m1", "medium", false}, {"G3", "m1", "high", true}, {"G4", "", "high", false}} {
			dp := sampleDispute(x.no)
			dp.Matter, dp.Risk = x.m, x.risk
			if _, _, err := s.CreateDispute(ctx, roles, dp); err != nil {
				t.Fatal(err)
			}
			if x.resolved {
				if _, _, err := s.AddDisputeEvent(ctx, r, roles, x.no, petition.DisputeEvent{Type: "resolved", At: dp.FoundAt.Add(time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, now := range instants {
			var got []petition.MatterActivity
			err := s.Read(ctx, func(rd *store.Reader) error {
				var err error
				got, err = rd.MatterActivity(ctx, now)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if w := want(now); fmt.Sprint(got) != fmt.Sprint(w) {
				t.Errorf("at %s:\n got %+v\nwant %+v", now.Format(time.RFC3339Nano), got, w)
			}
		}
	})
}
