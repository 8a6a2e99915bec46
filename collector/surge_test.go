package collector

import (
	"context"
	"testing"
	"time"

	"riskmon/store/storetest"
)

// TestUsualWeeksKept: the usual weeks are read once and kept; a case
// registered late with a receipt time in one of them counts there once that
// week is read again, which happens for the one kept longest after an hour,
// one week a refresh; the current week counts every new case at once; a
// new week is read when it becomes usual.
func TestUsualWeeksKept(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s := storetest.Open(t, dialect)
			writeFixture(t, s, fixtureConfig(t).Rules)
			c, clk := newCollector(t, s)
			ctx := context.Background()
			const (
				usual = `petition_category_petitioners_baseline{category="land_requisition",unit="u2"}`
				now   = `petition_category_petitioners{category="land_requisition",unit="u2"}`
			)
			refresh := func(at time.Time) map[string]float64 {
				t.Helper()
				clk.t = at
				if err := c.Refresh(ctx); err != nil {
					t.Fatal(err)
				}
				return series(t, c)
			}
			write := func(received string) {
				t.Helper()
				lc := newCase("Z-"+received[:10], "u2", "land_requisition", "letter", "county", 1, "P-"+received, received)
				if _, _, err := s.CreateCase(ctx, fixtureConfig(t).Rules, lc); err != nil {
					t.Fatal(err)
				}
			}
			check := func(when string, got map[string]float64, wantUsual, wantNow float64) {
				t.Helper()
				if got[usual] != wantUsual || got[now] != wantNow {
					t.Errorf("%s: usual week %v, 7 days %v; want %v and %v", when, got[usual], got[now], wantUsual, wantNow)
				}
			}
			check("at first", refresh(fixtureNow), 0, 4)
			// in a usual week (the one of 7 September): kept as read for the hour
			write("2026-09-10 10:00:00")
			check("half an hour on", refresh(fixtureNow.Add(30*time.Minute)), 0, 4)
			// in the current week: at once
			write("2026-10-02 03:10:00")
			check("then a case of today", refresh(fixtureNow.Add(40*time.Minute)), 0, 5)
			// after the hour, one week a refresh: within eight refreshes
			var got map[string]float64
			for i := range 8 {
				if got = refresh(fixtureNow.Add(time.Hour + time.Duration(i)*time.Second)); got[usual] != 0 {
					break
				}
			}
			check("eight refreshes after the hour", got, 0.125, 5)
			// Friday 9 October: the week of 21 September is usual now,
			// with its first case of u2's land requisition
			write("2026-09-23 10:00:00")
			check("a week on", refresh(local("2026-10-09 03:00:00")), 0.25, 1) // the case of 2 October, 03:10
		})
	}
}
