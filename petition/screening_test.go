package petition_test

import (
	"testing"
	"time"

	"riskmon/petition"
)

func TestScreeningDue(t *testing.T) {
	national := time.Date(2026, 10, 1, 0, 0, 0, 0, shanghai)
	sessions := time.Date(2027, 3, 1, 0, 0, 0, 0, shanghai)
	starts := []time.Time{national, sessions}
	for _, tc := range []struct {
		now  time.Time
		want string // the month owed, or "" for none
	}{
		{national.Add(-7*24*time.Hour - time.Second), ""},
		{national.Add(-7 * 24 * time.Hour), "2026-09"},
		{national.Add(-time.Nanosecond), "2026-09"},
		{national, ""}, // the period has started: its own alerts take over
		{sessions.Add(-24 * time.Hour), "2027-02"},
	} {
		m, ok := petition.ScreeningDue(tc.now, shanghai, starts, 7)
		got := ""
		if ok {
			got = m.String()
		}
		if got != tc.want {
			t.Errorf("at %s: owes %q, want %q", tc.now, got, tc.want)
		}
	}
	if m, err := petition.ParseMonth("2026-09"); err != nil || m.String() != "2026-09" || !m.Start(shanghai).Equal(time.Date(2026, 9, 1, 0, 0, 0, 0, shanghai)) {
		t.Errorf("ParseMonth: %v %v", m, err)
	}
	if _, err := petition.ParseMonth("2026-13"); err == nil {
		t.Error("month 13 taken")
	}
	now := time.Date(2026, 9, 30, 10, 0, 0, 0, shanghai)
	for _, tc := range []struct {
		s    petition.Screening
		want int
	}{
		{petition.Screening{Unit: "u1", Month: petition.MonthOf(now, shanghai), Found: map[string]int{"high": 1, "low": 0}}, 0},
		{petition.Screening{Unit: "u1", Month: petition.MonthOf(now, shanghai) + 1}, 1},
		{petition.Screening{Unit: "u1", Month: petition.MonthOf(now, shanghai), Found: map[string]int{"red": 1, "high": -1}}, 2},
	} {
		if got := len(tc.s.Problems(now, shanghai)); got != tc.want {
			t.Errorf("%+v: %d problems, want %d", tc.s, got, tc.want)
		}
	}
}
