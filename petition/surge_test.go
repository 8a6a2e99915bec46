package petition_test

import (
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
)

// TestSurgeBaselineEnd: the usual weeks end on the Monday that starts the
// calendar week in which the current 7 days begin, local time.
func TestSurgeBaselineEnd(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	for _, tc := range []struct {
		now  string
		want calendar.Day
	}{
		{"2026-10-02 03:00:00", calendar.Date(2026, 9, 21)}, // a Friday: 7 days back is Friday 25 September
		{"2026-09-28 00:00:00", calendar.Date(2026, 9, 21)}, // a Monday: 7 days back is Monday 21 September itself
		{"2026-09-27 23:59:59", calendar.Date(2026, 9, 14)}, // a second earlier it is Sunday the 20th
		{"2026-09-28 07:59:59", calendar.Date(2026, 9, 21)}, // 7 days back is Sunday in UTC, Monday the 21st locally
	} {
		now, err := time.ParseInLocation(time.DateTime, tc.now, cst)
		if err != nil {
			t.Fatal(err)
		}
		if got := petition.SurgeBaselineEnd(now, cst); got != tc.want {
			t.Errorf("SurgeBaselineEnd(%s) = %s, want %s", tc.now, got, tc.want)
		}
	}
	got := petition.SurgeWeeks(calendar.Date(2026, 9, 21))
	if got[0] != calendar.Date(2026, 9, 14) || got[petition.SurgeBaselineWeeks-1] != calendar.Date(2026, 7, 27) {
		t.Errorf("SurgeWeeks(2026-09-21) = %v, want 2026-09-14 down to 2026-07-27", got)
	}
}
