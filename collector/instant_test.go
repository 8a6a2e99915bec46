package collector

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"riskmon/petition"
	"riskmon/store/storetest"
)

// TestMetricsAgreeWithTheCaseAtEveryInstant: at any instant, and not only at
// whole seconds, the metrics count a case overdue or due soon exactly when
// the API (petition.State, as intake shows it) says so, around every edge.
func TestMetricsAgreeWithTheCaseAtEveryInstant(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			c, clk := fixtureCollector(t, dialect)
			ctx := context.Background()
			horizon := fixtureConfig(t).Rules.DueSoon
			type open struct {
				category string
				st       petition.State
			}
			var cases []open
			for _, lc := range fixture() {
				st, err := c.store.CaseState(ctx, lc.Case.CaseNo)
				if err != nil {
					t.Fatal(err)
				}
				cases = append(cases, open{lc.Case.Category, st})
			}
			// around every open case's deadline and the instant it comes within
			// the horizon: each unit's first overdue case, the oldest, and the
			// supervised ones among them
			edges := map[time.Time]bool{}
			for _, o := range cases {
				if o.st.Stage() != "" && !o.st.Deadline.IsZero() {
					edges[o.st.Deadline], edges[o.st.Deadline.Add(-horizon)] = true, true
				}
			}
			if len(edges) < 10 {
				t.Fatalf("%d edges: the fixture has too few open deadlines to prove anything", len(edges))
			}
			var instants []time.Time
			for edge := range edges {
				for _, off := range []time.Duration{-time.Second, -500 * time.Millisecond, -time.Nanosecond, 0, time.Nanosecond, 500 * time.Millisecond, time.Second} {
					instants = append(instants, edge.Add(off))
				}
			}
			for _, now := range instants {
				want := map[string]float64{}
				for _, o := range cases {
					st := o.st
					if st.Overdue(now) {
						want[fmt.Sprintf(`petition_overdue{category=%q,stage=%q,unit=%q}`, o.category, st.Stage(), st.Unit)]++
						k := fmt.Sprintf(`petition_overdue_oldest_deadline_timestamp_seconds{unit=%q}`, st.Unit)
						if v, ok := want[k]; !ok || float64(st.Deadline.Unix()) < v {
							want[k] = float64(st.Deadline.Unix())
						}
						if st.Supervision != "" {
							want[fmt.Sprintf(`petition_supervised_overdue{level=%q,unit=%q}`, st.Supervision, st.Unit)]++
						}
					}
					if st.DueSoon(now, horizon) {
						want[fmt.Sprintf(`petition_due_soon{stage=%q,unit=%q}`, st.Stage(), st.Unit)]++
					}
				}
				clk.t = now
				if err := c.Refresh(ctx); err != nil {
					t.Fatal(err)
				}
				got := map[string]float64{}
				for k, v := range series(t, c) {
					for _, m := range []string{"petition_overdue{", "petition_overdue_oldest_deadline_timestamp_seconds{", "petition_supervised_overdue{", "petition_due_soon{"} {
						if strings.HasPrefix(k, m) && v != 0 {
							got[k] = v
						}
					}
				}
				for k, v := range want {
					if got[k] != v {
						t.Errorf("at %s: %s = %v, the API says %v", now.Format(time.RFC3339Nano), k, got[k], v)
					}
				}
				for k, v := range got {
					if _, ok := want[k]; !ok {
						t.Errorf("at %s: %s = %v, the API says 0", now.Format(time.RFC3339Nano), k, v)
					}
				}
			}
		})
	}
}

// The last hour holds what was received at or after now - 1 h, at any
// instant: D1, received at midnight, is in it until 01:00:00 and out from
// any instant after.
func TestLastHourWindowEdge(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			c, clk := fixtureCollector(t, dialect)
			const k = `petition_collective_received_window{unit="u2",window="1h"}`
			for _, tc := range []struct {
				now  time.Time
				want float64
			}{
				{local("2026-10-02 00:59:59"), 1},
				{local("2026-10-02 01:00:00"), 1},
				{local("2026-10-02 01:00:00").Add(time.Nanosecond), 0},
				{local("2026-10-02 01:00:00").Add(500 * time.Millisecond), 0},
				{local("2026-10-02 01:00:01"), 0},
			} {
				clk.t = tc.now
				if err := c.Refresh(context.Background()); err != nil {
					t.Fatal(err)
				}
				if got := series(t, c)[k]; got != tc.want {
					t.Errorf("at %s: %s = %v, want %v", tc.now.Format(time.RFC3339Nano), k, got, tc.want)
				}
			}
		})
	}
}

// A major matter's report is late from any instant after the limit: M1,
// marked major by the intake at 02:30, is unreported within the hour until
// 03:30:00 and overdue from any instant after, as the API's report_due says.
func TestMajorReportLimitEdge(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			c, clk := fixtureCollector(t, dialect)
			const k = `petition_major_unreported_overdue{unit="u1"}`
			limit := local("2026-10-02 03:30:00")
			for _, tc := range []struct {
				now  time.Time
				want float64
			}{
				{limit.Add(-time.Second), 0},
				{limit, 0},
				{limit.Add(time.Nanosecond), 1},
				{limit.Add(time.Second), 1},
			} {
				clk.t = tc.now
				if err := c.Refresh(context.Background()); err != nil {
					t.Fatal(err)
				}
				got := series(t, c)
				if got[k] != tc.want || got[`petition_major_unreported{unit="u1"}`] != 1 {
					t.Errorf("at %s: %s = %v, unreported %v; want %v, 1", tc.now.Format(time.RFC3339Nano), k, got[k],
						got[`petition_major_unreported{unit="u1"}`], tc.want)
				}
			}
		})
	}
}
