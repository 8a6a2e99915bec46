package petition_test

import (
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
)

func TestLongUnresolved(t *testing.T) {
	r := petition.MatterRules{BacklogRepeats: 3, BacklogDays: 180}
	at := func(d int) time.Time { return time.Date(2026, 9, d, 10, 0, 0, 0, shanghai) }
	for _, tc := range []struct {
		name string
		h    petition.MatterHistory
		want bool
	}{
		{"nothing", petition.MatterHistory{}, false},
		{"two cases in a year", petition.MatterHistory{CasesYear: 2}, false},
		{"three cases in a year", petition.MatterHistory{CasesYear: 3}, true},
		{"marked by the bureau", petition.MatterHistory{Marked: true}, true},
		{"a case open past backlog_days", petition.MatterHistory{CasesYear: 1, OldOpen: 1}, true},
		{"petitioned again after a re-review", petition.MatterHistory{CasesYear: 2, LastReReviewed: at(1), LastReceived: at(2)}, true},
		{"re-reviewed after the last case", petition.MatterHistory{CasesYear: 2, LastReReviewed: at(2), LastReceived: at(1)}, false},
		{"received at the re-review's second", petition.MatterHistory{CasesYear: 2, LastReReviewed: at(2), LastReceived: at(2)}, false},
	} {
		if got := r.LongUnresolved(tc.h); got != tc.want {
			t.Errorf("%s: long-unresolved %v, want %v", tc.name, got, tc.want)
		}
	}
	h := petition.MatterHistory{Lead: petition.Lead{Role: "township_head", Target: calendar.Date(2026, 10, 1)}}
	lastDay := time.Date(2026, 10, 1, 23, 59, 59, 0, shanghai)
	if h.PastTarget(lastDay, shanghai) || !h.PastTarget(lastDay.Add(time.Second), shanghai) {
		t.Error("past the target should begin at 00:00 local after the target day")
	}
	if h.CountyLed(petition.DefaultCountyLeaderRoles) {
		t.Error("a township head is not a county-level lead")
	}
	if (petition.MatterHistory{}).PastTarget(lastDay, shanghai) {
		t.Error("no target is never past")
	}
}

func TestLeadProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		l    petition.Lead
		want []string
	}{
		{"a lead", petition.Lead{Role: "county_leader", Target: calendar.Date(2026, 12, 31), Plan: "planned"}, nil},
		{"resolved needs no target", petition.Lead{Role: "county_leader", Plan: "resolved"}, nil},
		{"a name for a role", petition.Lead{Role: "张三", Target: calendar.Date(2026, 12, 31), Plan: "planned"}, []string{"role"}},
		{"no target", petition.Lead{Role: "county_leader", Plan: "in_progress"}, []string{"target"}},
		{"an unknown plan", petition.Lead{Role: "county_leader", Target: 1, Plan: "soon"}, []string{"plan"}},
	} {
		var got []string
		for _, p := range tc.l.LeadProblems(petition.DefaultLeaderRoles) {
			got = append(got, p.Field)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("%s: problems %v, want %v", tc.name, got, tc.want)
		}
	}
}
