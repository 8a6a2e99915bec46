package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// TestCategoryPetitioners holds the distinct petitioners the surge reads to
// a count made here from the cases, on every write path and both databases,
// at every window's edges: one petitioner with three cases in a week counts
// once there, and once more in each other week they came; a case counts for
// the unit that received it, also after a transfer; the current window is
// [now-7d, now]; the usual weeks are the 8 calendar weeks (Monday to
// Sunday, local) before the one in which the current window begins.
func TestCategoryPetitioners(t *testing.T) {
	t0 := at("2026-09-01 10:00:00")
	week := 7 * day
	in := func(lc store.LoadCase, unit, category string) store.LoadCase {
		lc.Case.Unit, lc.Case.Category = unit, category
		return lc
	}
	cases := []store.LoadCase{
		edgeCase("A1", "P1", t0),
		edgeCase("A2", "P1", t0.Add(time.Hour)),
		edgeCase("A3", "P1", t0.Add(2*day)),
		edgeCase("A4", "P1", t0.Add(week+day)),
		edgeCase("B1", "P2", t0.Add(3*day)),
		edgeCase("B2", "P2", t0.Add(20*day)),
		// at midnight and a second before it
		edgeCase("B3", "P7", at("2026-09-03 00:00:00")),
		edgeCase("B4", "P8", at("2026-09-02 23:59:59")),
		in(edgeCase("C1", "P3", t0.Add(day)), "u1", "land_requisition"),
		in(edgeCase("C2", "P4", t0.Add(day+time.Second)), "u1", "land_requisition"),
		in(edgeCase("C3", "P1", t0.Add(9*week)), "u1", "land_requisition"),
		// received by u2, then passed to u1: still u2's petitioner
		in(edgeCase("D1", "P5", t0.Add(4*day),
			petition.Event{Type: petition.EventTransferred, At: t0.Add(5 * day), Unit: "u1"}), "u2", "other"),
		in(edgeCase("D2", "P1", t0.Add(4*day+time.Second)), "u2", "other"),
	}
	want := func(cases []store.LoadCase, now time.Time) []petition.CategoryPetitioners {
		type key struct{ unit, category string }
		seen := map[key][petition.SurgeBaselineWeeks + 1]map[string]bool{} // [0] the current window
		end := petition.SurgeBaselineEnd(now, shanghai)
		for _, lc := range cases {
			c := lc.Case
			w := -1
			if d := calendar.DayOf(c.ReceivedAt, shanghai); !c.ReceivedAt.Before(now.Add(-week)) && !c.ReceivedAt.After(now) {
				w = 0
			} else if d < end && d >= end-7*petition.SurgeBaselineWeeks {
				w = 1 + int(end-1-d)/7
			}
			if w < 0 {
				continue
			}
			k := key{c.Unit, c.Category}
			weeks, ok := seen[k]
			if !ok {
				for i := range weeks {
					weeks[i] = map[string]bool{}
				}
				seen[k] = weeks
			}
			weeks[w][c.PetitionerHash] = true
		}
		var out []petition.CategoryPetitioners
		for _, u := range []string{"u1", "u2"} {
			for _, cat := range []string{"land_requisition", "other"} {
				weeks, ok := seen[key{u, cat}]
				if !ok {
					continue
				}
				c := petition.CategoryPetitioners{Unit: u, Category: cat, Current: len(weeks[0])}
				for i := range c.Weeks {
					c.Weeks[i] = len(weeks[i+1])
				}
				out = append(out, c)
			}
		}
		return out
	}
	var instants []time.Time
	for _, lc := range cases {
		midnight := calendar.DayOf(lc.Case.ReceivedAt, shanghai).Start(shanghai)
		for w := range petition.SurgeBaselineWeeks + 3 {
			for _, off := range []time.Duration{-time.Second, -time.Nanosecond, 0, time.Nanosecond, time.Second} {
				instants = append(instants, lc.Case.ReceivedAt.Add(time.Duration(w)*week+off), midnight.Add(time.Duration(w)*week+off))
			}
		}
	}
	eachWritePath(t, smallCounty, func(t *testing.T, ctx context.Context, s *store.Store, write writeFunc) {
		if err := write(ctx, s, petition.DefaultRules(shanghai), cases); err != nil {
			t.Fatal(err)
		}
		stored := cases
		switch _, err := s.Case(ctx, otherCase().CaseNo); {
		case err == nil: // the incremental import wrote someone else's case first
			stored = append([]store.LoadCase{{Case: otherCase()}}, cases...)
		case !errors.Is(err, store.ErrNotFound):
			t.Fatal(err)
		}
		for _, now := range instants {
			var current, weeks []petition.CategoryPetitioners
			err := s.Read(ctx, func(rd *store.Reader) error {
				var err error
				if current, err = rd.CategoryPetitionersNow(ctx, now); err != nil {
					return err
				}
				for k, start := range petition.SurgeWeeks(petition.SurgeBaselineEnd(now, shanghai)) {
					week, err := rd.CategoryPetitionersWeek(ctx, start, shanghai)
					if err != nil {
						return err
					}
					for _, c := range week {
						c.Weeks[k], c.Current = c.Current, 0
						weeks = append(weeks, c)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, w := petition.JoinSurge(current, weeks), want(stored, now); fmt.Sprint(got) != fmt.Sprint(w) {
				t.Errorf("at %s:\n got %+v\nwant %+v", now.Format(time.RFC3339Nano), got, w)
			}
		}
	})
}

// TestCategoryPetitionersBaseline: the usual week is the mean of the eight
// weeks before, quiet weeks counted as zero.
func TestCategoryPetitionersBaseline(t *testing.T) {
	for _, tc := range []struct {
		weeks [petition.SurgeBaselineWeeks]int
		want  float64
	}{
		{[petition.SurgeBaselineWeeks]int{}, 0},
		{[petition.SurgeBaselineWeeks]int{2, 2, 2, 2, 2, 2, 2, 2}, 2},
		{[petition.SurgeBaselineWeeks]int{8}, 1},
		{[petition.SurgeBaselineWeeks]int{1, 0, 0, 0, 0, 0, 0, 2}, 0.375},
	} {
		if got := (petition.CategoryPetitioners{Weeks: tc.weeks, Current: 99}).Baseline(); got != tc.want {
			t.Errorf("Baseline of %v = %v, want %v", tc.weeks, got, tc.want)
		}
	}
}
