package collector

import (
	"context"
	"strings"
	"testing"
	"time"

	"riskmon/petition"
	"riskmon/store/storetest"
)

// TestPeriodCompletions: in mid-November the month holds what was completed
// since 1 November and the quarter what since 1 October, late ones apart;
// while the day tally counts another zone's days, the counts are absent and
// the period starts are still there.
func TestPeriodCompletions(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			c, clk := fixtureCollector(t, dialect)
			ctx := context.Background()
			// N1's acceptance ended at 24:00 of 8 October (the National Day move)
			late := petition.Event{Type: petition.EventAccepted, At: local("2026-11-02 09:00:00")}
			if _, _, err := c.store.AddEvent(ctx, fixtureConfig(t).Rules, "N1", late); err != nil {
				t.Fatal(err)
			}
			clk.t = local("2026-11-15 10:00:00")
			if err := c.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			got := series(t, c)
			for k, want := range map[string]float64{
				`petition_stage_completed_reporting_period{reporting_period="month",stage="acceptance",unit="u1"}`:        1,
				`petition_stage_completed_late_reporting_period{reporting_period="month",stage="acceptance",unit="u1"}`:   1,
				`petition_stage_completed_reporting_period{reporting_period="month",stage="acceptance",unit="u2"}`:        0, // N2, in October
				`petition_stage_completed_reporting_period{reporting_period="quarter",stage="acceptance",unit="u1"}`:      1,
				`petition_stage_completed_late_reporting_period{reporting_period="quarter",stage="acceptance",unit="u1"}`: 1,
				`petition_stage_completed_reporting_period{reporting_period="quarter",stage="acceptance",unit="u2"}`:      1,
				`petition_stage_completed_late_reporting_period{reporting_period="quarter",stage="acceptance",unit="u2"}`: 0,
				`petition_stage_completed_reporting_period{reporting_period="quarter",stage="routing",unit="u2"}`:         0, // T1, 25 September
				`petition_reporting_period_start_timestamp_seconds{reporting_period="month"}`:                             float64(local("2026-11-01 00:00:00").Unix()),
				`petition_reporting_period_start_timestamp_seconds{reporting_period="quarter"}`:                           float64(local("2026-10-01 00:00:00").Unix()),
			} {
				if v, ok := got[k]; !ok || v != want {
					t.Errorf("%s = %v (present %v), want %v", k, v, ok, want)
				}
			}

			if _, err := c.store.RecountCompletionDays(ctx, time.UTC); err != nil {
				t.Fatal(err)
			}
			if err := c.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			starts := 0
			for k := range series(t, c) {
				// the resolved matters are counted from the instants stored
				// with them, in the zone in force: no day tally to rebuild
				if strings.Contains(k, "_reporting_period{") && !strings.HasPrefix(k, "petition_matters_backlog_resolved_reporting_period{") {
					t.Errorf("%s served from a tally of UTC days", k)
				}
				if strings.HasPrefix(k, "petition_reporting_period_start_timestamp_seconds") {
					starts++
				}
			}
			if starts != 2 {
				t.Errorf("%d period starts, want 2", starts)
			}
		})
	}
}

// The quarter of each month: its first day, at local midnight.
func TestReportingPeriodStarts(t *testing.T) {
	for _, tc := range []struct{ now, month, quarter string }{
		{"2026-01-01 00:00:00", "2026-01-01", "2026-01-01"},
		{"2026-03-31 23:59:59", "2026-03-01", "2026-01-01"},
		{"2026-04-01 00:00:00", "2026-04-01", "2026-04-01"},
		{"2026-08-15 12:00:00", "2026-08-01", "2026-07-01"},
		{"2026-12-31 23:59:59", "2026-12-01", "2026-10-01"},
	} {
		env := &Env{Now: local(tc.now), Rules: fixtureConfig(t).Rules}
		s := env.ReportingPeriodStarts()
		got := []string{s[0].Start(shanghai).Format(time.DateTime), s[1].Start(shanghai).Format(time.DateTime)}
		want := []string{tc.month + " 00:00:00", tc.quarter + " 00:00:00"}
		if got[0] != want[0] || got[1] != want[1] {
			t.Errorf("at %s: got %v, want %v", tc.now, got, want)
		}
	}
}
