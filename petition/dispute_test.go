package petition_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
)

var (
	roles       = petition.DefaultLeaderRoles
	shanghai, _ = time.LoadLocation("Asia/Shanghai")
)

func dispute() petition.Dispute {
	return petition.Dispute{No: "D-1", FoundAt: time.Date(2026, 9, 20, 9, 0, 0, 0, shanghai), Unit: "u1", Category: "land_requisition",
		Risk: "high", PersonsEstimate: 40, Source: "screening"}
}

func TestDisputeLifecycle(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2026, 9, day, hour, 0, 0, 0, shanghai) }
	resolveBy := calendar.Date(2026, 9, 30)
	for _, tc := range []struct {
		name   string
		events []petition.DisputeEvent
		want   string // status after, or the refusal
		out    petition.DisputeOutcome
	}{
		{"assigned then resolved on the last day", []petition.DisputeEvent{
			{Type: "assigned", At: at(21, 9), LeaderRole: "township_head", HandlerAssigned: true, ResolveBy: resolveBy},
			{Type: "resolved", At: at(30, 23)}}, "resolved", petition.DisputeOutcome{Resolved: true}},
		{"resolved the day after: late", []petition.DisputeEvent{
			{Type: "assigned", At: at(21, 9), ResolveBy: resolveBy},
			{Type: "resolved", At: time.Date(2026, 10, 1, 0, 0, 0, 0, shanghai)}}, "resolved", petition.DisputeOutcome{Resolved: true, Late: true}},
		{"resolved without a time limit is never late", []petition.DisputeEvent{
			{Type: "resolved", At: at(29, 9)}}, "resolved", petition.DisputeOutcome{Resolved: true}},
		{"escalated into a petition", []petition.DisputeEvent{
			{Type: "escalated", At: at(22, 9), CaseNo: "C-9"}}, "escalated", petition.DisputeOutcome{Escalated: true}},
		{"nothing after the end", []petition.DisputeEvent{
			{Type: "closed", At: at(22, 9)}, {Type: "inspected", At: at(23, 9)}}, "inspected in status closed", petition.DisputeOutcome{}},
		{"the same risk again", []petition.DisputeEvent{
			{Type: "risk_changed", At: at(22, 9), Risk: "high"}}, "the risk is already high", petition.DisputeOutcome{}},
		{"an event before the last", []petition.DisputeEvent{
			{Type: "inspected", At: at(22, 9)}, {Type: "inspected", At: at(21, 9)}}, "is earlier than the dispute's last event", petition.DisputeOutcome{}},
		{"an assignment of nothing", []petition.DisputeEvent{
			{Type: "assigned", At: at(22, 9)}}, "needs leader_role, handler_assigned or resolve_by", petition.DisputeOutcome{}},
		{"a leader by name", []petition.DisputeEvent{
			{Type: "assigned", At: at(22, 9), LeaderRole: "Zhang San"}}, `"Zhang San" is not one of`, petition.DisputeOutcome{}},
		// re-dating: a time limit moves later only with a reason, counted;
		// one moved after it passed marks the event late
		{"re-dated without a reason", []petition.DisputeEvent{
			{Type: "assigned", At: at(21, 9), ResolveBy: resolveBy},
			{Type: "assigned", At: at(22, 9), ResolveBy: resolveBy + 10}}, "needs a reason", petition.DisputeOutcome{}},
		{"re-dated with a reason", []petition.DisputeEvent{
			{Type: "assigned", At: at(21, 9), ResolveBy: resolveBy},
			{Type: "assigned", At: at(22, 9), ResolveBy: resolveBy + 10, Reason: "negotiation"}}, "open", petition.DisputeOutcome{Redated: true}},
		{"re-dated after the limit passed", []petition.DisputeEvent{
			{Type: "assigned", At: at(21, 9), ResolveBy: resolveBy},
			{Type: "assigned", At: time.Date(2026, 10, 1, 0, 0, 0, 0, shanghai), ResolveBy: resolveBy + 10, Reason: "court"}}, "open",
			petition.DisputeOutcome{Redated: true, Late: true}},
		{"re-dated a second before the limit passed", []petition.DisputeEvent{
			{Type: "assigned", At: at(21, 9), ResolveBy: resolveBy},
			{Type: "assigned", At: time.Date(2026, 9, 30, 23, 59, 59, 0, shanghai), ResolveBy: resolveBy + 10, Reason: "funds"}}, "open",
			petition.DisputeOutcome{Redated: true}},
		{"brought forward needs no reason", []petition.DisputeEvent{
			{Type: "assigned", At: at(21, 9), ResolveBy: resolveBy},
			{Type: "assigned", At: at(22, 9), ResolveBy: resolveBy - 5}}, "open", petition.DisputeOutcome{}},
		{"a reason when not re-dating", []petition.DisputeEvent{
			{Type: "assigned", At: at(21, 9), ResolveBy: resolveBy, Reason: "court"}}, "a reason is only for moving resolve_by later", petition.DisputeOutcome{}},
		{"a reason outside the vocabulary", []petition.DisputeEvent{
			{Type: "assigned", At: at(21, 9), ResolveBy: resolveBy},
			{Type: "assigned", At: at(22, 9), ResolveBy: resolveBy + 3, Reason: "because"}}, `"because" is not one of`, petition.DisputeOutcome{}},
		{"an inspection after the limit is late", []petition.DisputeEvent{
			{Type: "assigned", At: at(21, 9), ResolveBy: resolveBy},
			{Type: "inspected", At: time.Date(2026, 10, 2, 9, 0, 0, 0, shanghai)}}, "open", petition.DisputeOutcome{Late: true}},
		{"a field of another type", []petition.DisputeEvent{
			{Type: "resolved", At: at(22, 9), CaseNo: "C-1"}}, "case_no: is not a field of resolved", petition.DisputeOutcome{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := petition.DisputeFound(dispute())
			var out petition.DisputeOutcome
			var err error
			for _, e := range tc.events {
				if st, out, err = petition.ApplyDispute(st, e, roles, shanghai); err != nil {
					break
				}
			}
			got := st.Status
			if err != nil {
				got = err.Error()
				if !errors.Is(err, petition.ErrTransition) && !errors.Is(err, petition.ErrInvalidEvent) {
					t.Errorf("err %v wraps neither ErrTransition nor ErrInvalidEvent", err)
				}
			}
			if !strings.Contains(got, tc.want) || out != tc.out {
				t.Errorf("got %q %+v, want %q %+v", got, out, tc.want, tc.out)
			}
		})
	}
}

func TestDisputeFourHavesAndOverdue(t *testing.T) {
	week := 7 * 24 * time.Hour
	st := petition.DisputeFound(dispute())
	found := dispute().FoundAt
	if got, want := st.Missing(found, week, petition.DefaultCountyLeaderRoles), petition.FourHaves; !slices.Equal(got, want) {
		t.Errorf("a new dispute misses %v, want %v", got, want)
	}
	inspected := found.Add(time.Hour)
	st, _, _ = petition.ApplyDispute(st, petition.DisputeEvent{Type: "assigned", At: found, LeaderRole: "county_leader", ResolveBy: calendar.Date(2026, 9, 30)}, roles, shanghai)
	st, _, _ = petition.ApplyDispute(st, petition.DisputeEvent{Type: "inspected", At: inspected}, roles, shanghai)
	for _, tc := range []struct {
		now  time.Time
		want []string
	}{
		{inspected.Add(week - time.Second), []string{"handler"}},
		{inspected.Add(week), []string{"handler", "inspection"}}, // none in the last seven days
	} {
		if got := st.Missing(tc.now, week, petition.DefaultCountyLeaderRoles); !slices.Equal(got, tc.want) {
			t.Errorf("at %s: missing %v, want %v", tc.now, got, tc.want)
		}
	}
	lastDay := time.Date(2026, 9, 30, 23, 59, 59, 0, shanghai)
	if st.Overdue(lastDay, shanghai) || !st.Overdue(lastDay.Add(time.Second), shanghai) {
		t.Error("overdue should begin at 00:00 local after the last day")
	}
	closed, _, _ := petition.ApplyDispute(st, petition.DisputeEvent{Type: "closed", At: inspected}, roles, shanghai)
	if closed.Overdue(lastDay.Add(time.Hour), shanghai) || closed.Missing(lastDay, week, petition.DefaultCountyLeaderRoles) != nil {
		t.Error("a closed dispute is neither overdue nor missing anything")
	}
	// a high-risk dispute needs a county-level leader; a lower one any
	for _, tc := range []struct {
		risk, role string
		want       bool // missing its leader
	}{
		{"high", "county_leader", false}, {"high", "township_head", true}, {"high", "", true},
		{"medium", "township_head", false}, {"low", "", true},
	} {
		s := petition.DisputeState{Status: petition.DisputeOpen, Risk: tc.risk, LeaderRole: tc.role}
		if got := slices.Contains(s.Missing(found, week, petition.DefaultCountyLeaderRoles), petition.HaveLeader); got != tc.want {
			t.Errorf("%s risk led by %q: missing its leader %v, want %v", tc.risk, tc.role, got, tc.want)
		}
	}
}

func TestDisputeAndReportProblems(t *testing.T) {
	d := dispute()
	d.No, d.Risk, d.PersonsEstimate, d.LeaderRole, d.Source = "D 1", "extreme", -1, "mayor", "rumour"
	var got []string
	for _, p := range d.Problems(roles) {
		got = append(got, p.Field)
	}
	if want := []string{"dispute_no", "risk", "persons_estimate", "leader_role", "source"}; !slices.Equal(got, want) {
		t.Errorf("problems with fields %v, want %v", got, want)
	}
	now := time.Date(2026, 10, 1, 23, 30, 0, 0, shanghai)
	for _, tc := range []struct {
		r    petition.UnitReport
		want []string
	}{
		{petition.UnitReport{Unit: "u1", Day: calendar.Date(2026, 10, 1)}, nil}, // a zero report for today
		{petition.UnitReport{Unit: "u1", Day: calendar.Date(2026, 10, 2)}, []string{"date"}},
		{petition.UnitReport{Unit: "u1", Day: calendar.Date(2026, 9, 1), DisputesFound: -1, Remark: strings.Repeat("字", 501)}, []string{"disputes_found", "remark"}},
		{petition.UnitReport{Unit: "u1", Day: calendar.Date(2026, 9, 1), Remark: strings.Repeat("字", 500)}, nil},
		// a remark is free text: no person's phone or ID number, no control characters
		{petition.UnitReport{Unit: "u1", Day: calendar.Date(2026, 9, 1), Remark: "请联系13800138000"}, []string{"remark"}},
		{petition.UnitReport{Unit: "u1", Day: calendar.Date(2026, 9, 1), Remark: "ok\x1b[2J"}, []string{"remark"}},
		{petition.UnitReport{Unit: "u1", Day: calendar.Date(2026, 9, 1), Remark: "今日无新增\n已排查3处"}, nil},
	} {
		var got []string
		for _, p := range tc.r.Problems(now, shanghai) {
			got = append(got, p.Field)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%+v: problems %v, want %v", tc.r.Day, got, tc.want)
		}
	}
}
