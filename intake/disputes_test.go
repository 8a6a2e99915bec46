package intake_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"riskmon/config"
	"riskmon/intake"
	"riskmon/store/storetest"
)

func disputeBody(no string) map[string]any {
	return map[string]any{
		"dispute_no": no, "found_at": "2026-09-28T09:00:00+08:00", "unit": "u1", "category": "land_requisition",
		"risk": "high", "persons_estimate": 40, "source": "screening",
	}
}

// count is how many rows table holds, for "nothing written".
func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.store.DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestDisputeRegistration(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			r := e.do("POST", "/api/v1/disputes", rwToken, disputeBody("D-1"))
			if r.status != 201 {
				t.Fatalf("create: %d %s", r.status, r.body)
			}
			var got intake.DisputeResponse
			r.json(t, &got)
			want := intake.DisputeResponse{DisputeNo: "D-1", FoundAt: "2026-09-28T09:00:00+08:00", Unit: "u1", Category: "land_requisition",
				FoundRisk: "high", PersonsEstimate: 40, Source: "screening", Status: "open", Risk: "high",
				Missing: []string{"leader", "handler", "deadline", "inspection"}, RecordedBy: "api_token", Events: []intake.DisputeEventResponse{}}
			if fmtJSON(got) != fmtJSON(want) {
				t.Errorf("created dispute\n got %s\nwant %s", fmtJSON(got), fmtJSON(want))
			}
			if r := e.do("POST", "/api/v1/disputes", rwToken, disputeBody("D-1")); r.status != 200 {
				t.Errorf("the same registration again: %d %s, want 200", r.status, r.body)
			}
			if r := e.do("POST", "/api/v1/disputes", rwToken, with(disputeBody("D-1"), "persons_estimate", 41)); r.status != 409 {
				t.Errorf("the same number, other content: %d %s, want 409", r.status, r.body)
			}
			if r := e.do("POST", "/api/v1/disputes", roToken, disputeBody("D-2")); r.status != 403 {
				t.Errorf("a read-only token registers: %d, want 403", r.status)
			}
			full := with(disputeBody("D-3"), "leader_role", "county_leader", "handler_assigned", true, "resolve_by", "2026-10-05")
			if r := e.do("POST", "/api/v1/disputes", rwToken, full); r.status != 201 {
				t.Fatalf("create with the haves: %d %s", r.status, r.body)
			}
			e.do("GET", "/api/v1/disputes/D-3", roToken, nil).json(t, &got)
			// 3 October is the day after 2 October: three days to the 5th, and
			// no inspection yet
			if got.DaysToResolveBy == nil || *got.DaysToResolveBy != 3 || strings.Join(got.Missing, ",") != "inspection" || got.Overdue {
				t.Errorf("D-3: %s; want days_to_resolve_by 3, missing inspection, not overdue", fmtJSON(got))
			}
			if r := e.do("GET", "/api/v1/disputes/D-404", roToken, nil); r.status != 404 {
				t.Errorf("an unknown dispute: %d, want 404", r.status)
			}
			if n := e.count("disputes"); n != 2 {
				t.Errorf("%d disputes stored, want 2", n)
			}
		})
	}
}

func TestDisputeRefusals(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			for _, tc := range []struct {
				name       string
				body       any
				want       int
				wantFields []string
			}{
				// a dispute is a matter: a body about a person is refused whole
				{"a name", with(disputeBody("X-1"), "name", "张三"), 400, []string{"name"}},
				{"an ID number", with(disputeBody("X-1"), "id_number", "110101199001011234"), 400, []string{"id_number"}},
				{"a phone", with(disputeBody("X-1"), "phone", "13800000000"), 400, []string{"phone"}},
				{"a leader by name", with(disputeBody("X-1"), "leader_name", "李四"), 400, []string{"leader_name"}},
				{"malformed", `{"dispute_no": "X-1",`, 400, nil},
				{"every field wrong", map[string]any{"dispute_no": "bad no!", "found_at": "last week", "unit": "", "category": "",
					"risk": "extreme", "persons_estimate": -1, "leader_role": "mayor_zhang", "resolve_by": "10/05", "source": "rumour"}, 422,
					[]string{"dispute_no", "found_at", "unit", "category", "risk", "persons_estimate", "leader_role", "resolve_by", "source"}},
				{"no persons estimate", with(disputeBody("X-1"), "persons_estimate", nil), 422, []string{"persons_estimate"}},
				{"found tomorrow", with(disputeBody("X-1"), "found_at", "2026-10-03T09:00:00+08:00"), 422, []string{"found_at"}},
				{"unknown unit and category", with(disputeBody("X-1"), "unit", "u9", "category", "weather"), 422, []string{"unit", "category"}},
			} {
				r := e.do("POST", "/api/v1/disputes", rwToken, tc.body)
				if r.status != tc.want {
					t.Errorf("%s: %d %.300s, want %d", tc.name, r.status, r.body, tc.want)
					continue
				}
				got := details(t, r)
				for _, f := range tc.wantFields {
					if got[f] == "" {
						t.Errorf("%s: no detail for %s in %s", tc.name, f, r.body)
					}
				}
				for _, f := range []string{"name", "id_number", "phone"} {
					if p, ok := got[f]; ok && !strings.Contains(p, "personal data") {
						t.Errorf("%s: %s refused as %q, want it said to be personal data", tc.name, f, p)
					}
				}
				for _, personal := range []string{"张三", "110101199001011234", "13800000000", "李四"} {
					if strings.Contains(r.body, personal) {
						t.Errorf("%s: the refusal repeats personal data: %s", tc.name, r.body)
					}
				}
			}
			if n := e.count("disputes"); n != 0 {
				t.Errorf("refusals wrote %d disputes", n)
			}
			if n := e.count("dispute_tally"); n != 0 {
				t.Errorf("refusals wrote %d counters", n)
			}
		})
	}
}

func TestDisputeEvents(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			for _, no := range []string{"D-1", "D-2", "D-3"} {
				if r := e.do("POST", "/api/v1/disputes", rwToken, disputeBody(no)); r.status != 201 {
					t.Fatal(r.body)
				}
			}
			if r := e.do("POST", "/api/v1/cases", rwToken, caseBody("C-1")); r.status != 201 {
				t.Fatal(r.body)
			}
			ev := func(typ, at string, kv ...any) map[string]any {
				return with(map[string]any{"type": typ, "at": "2026-10-01T" + at + ":00+08:00"}, kv...)
			}
			for _, tc := range []struct {
				name, no   string
				body       any
				want       int
				wantInBody string
			}{
				// a high-risk dispute led by a township head misses a county-level leader
				{"assign a township head", "D-1", ev("assigned", "08:00", "leader_role", "township_head"), 201, `"missing":["leader","handler","deadline","inspection"]`},
				{"assign", "D-1", ev("assigned", "09:00", "leader_role", "county_leader", "handler_assigned", true, "resolve_by", "2026-09-30"), 201, `"missing":["inspection"]`},
				{"the same again", "D-1", ev("assigned", "09:00", "leader_role", "county_leader", "handler_assigned", true, "resolve_by", "2026-09-30"), 200, `"days_to_resolve_by":-2`},
				// its last day has passed: moving it later needs a reason, and the event is late
				{"re-date without a reason", "D-1", ev("assigned", "09:10", "resolve_by", "2026-10-20"), 422, "needs a reason"},
				{"re-date for a reason outside the vocabulary", "D-1", ev("assigned", "09:10", "resolve_by", "2026-10-20", "reason", "busy"), 422, `"reason"`},
				{"re-date", "D-1", ev("assigned", "09:20", "resolve_by", "2026-10-20", "reason", "negotiation"), 201, `"reason":"negotiation","late":true`},
				{"bring it back", "D-1", ev("assigned", "09:30", "resolve_by", "2026-09-30"), 201, `"overdue":true`},
				{"assign nothing", "D-1", ev("assigned", "09:30"), 422, `"assigned"`},
				{"a leader by an unknown role", "D-1", ev("assigned", "09:30", "leader_role", "chief_wang"), 422, `"leader_role"`},
				{"inspect", "D-1", ev("inspected", "10:00"), 201, `"missing":[]`},
				{"a risk on an inspection", "D-1", ev("inspected", "10:30", "risk", "low"), 422, `"risk"`},
				{"the same risk", "D-1", ev("risk_changed", "11:00", "risk", "high"), 409, "already high"},
				{"lower the risk", "D-1", ev("risk_changed", "11:00", "risk", "medium"), 201, `"risk":"medium"`},
				{"earlier than the last event", "D-1", ev("inspected", "10:59"), 409, "earlier"},
				// 30 September was its last day: resolved on 1 October, late
				{"resolve", "D-1", ev("resolved", "12:00"), 201, `"late":true`},
				{"inspect a resolved dispute", "D-1", ev("inspected", "13:00"), 409, "in status resolved"},
				{"escalate into an unknown case", "D-2", ev("escalated", "12:00", "case_no", "C-404"), 422, `"case_no"`},
				{"escalate without a case", "D-2", ev("escalated", "12:00"), 422, `"case_no"`},
				{"escalate", "D-2", ev("escalated", "12:00", "case_no", "C-1"), 201, `"status":"escalated"`},
				{"close an escalated dispute", "D-2", ev("closed", "13:00"), 409, "in status escalated"},
				{"close", "D-3", ev("closed", "13:00"), 201, `"status":"closed"`},
				{"unknown type", "D-3", ev("forgotten", "14:00"), 422, `"type"`},
				{"a personal field", "D-3", ev("inspected", "14:00", "name", "张三"), 400, `"name"`},
				{"an unknown dispute", "D-404", ev("inspected", "14:00"), 404, "not found"},
			} {
				r := e.do("POST", "/api/v1/disputes/"+tc.no+"/events", rwToken, tc.body)
				if r.status != tc.want || !strings.Contains(r.body, tc.wantInBody) {
					t.Errorf("%s: %d %s, want %d with %s", tc.name, r.status, r.body, tc.want, tc.wantInBody)
				}
			}
			var got intake.DisputeResponse
			e.do("GET", "/api/v1/disputes/D-1", roToken, nil).json(t, &got)
			var types []string
			for _, ev := range got.Events {
				types = append(types, ev.Type)
			}
			if strings.Join(types, ",") != "assigned,assigned,assigned,assigned,inspected,risk_changed,resolved" || got.Status != "resolved" ||
				got.DaysToResolveBy != nil || len(got.Missing) != 0 || got.Overdue {
				t.Errorf("D-1 as it ends: %s", fmtJSON(got))
			}
			if n := e.count("dispute_events"); n != 9 {
				t.Errorf("%d dispute events stored, want 9", n)
			}
		})
	}
}

func TestMissingInspectionInASensitivePeriod(t *testing.T) {
	e := newEnv(t, "sqlite")
	if r := e.do("POST", "/api/v1/disputes", rwToken, disputeBody("D-1")); r.status != 201 {
		t.Fatal(r.body)
	}
	if r := e.do("POST", "/api/v1/disputes/D-1/events", rwToken, map[string]any{"type": "inspected", "at": "2026-09-30T12:00:00+08:00"}); r.status != 201 {
		t.Fatal(r.body)
	}
	missing := func() string {
		var got intake.DisputeResponse
		e.do("GET", "/api/v1/disputes/D-1", roToken, nil).json(t, &got)
		return strings.Join(got.Missing, ",")
	}
	// inspected 39 hours ago: within a week, not within a day
	if got, want := missing(), "leader,handler,deadline"; got != want {
		t.Errorf("outside a sensitive period: missing %s, want %s", got, want)
	}
	sh := e.cfg.Rules.Location
	e.cfg.Periods = []config.Period{{Name: "national_day", Start: time.Date(2026, 10, 1, 0, 0, 0, 0, sh), End: time.Date(2026, 10, 8, 0, 0, 0, 0, sh)}}
	if got, want := missing(), "leader,handler,deadline,inspection"; got != want {
		t.Errorf("in a sensitive period: missing %s, want %s", got, want)
	}
}

func TestUnitReportsAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			for _, tc := range []struct {
				name, path string
				body       any
				want       int
				wantInBody string
			}{
				{"a zero report", "u1/reports/2026-10-02", map[string]any{"disputes_found": 0}, 200, `"disputes_found":0`},
				{"the same again", "u1/reports/2026-10-02", map[string]any{"disputes_found": 0}, 200, `"date":"2026-10-02"`},
				{"a correction", "u1/reports/2026-10-02", map[string]any{"disputes_found": 1, "remark": "补报一起劳资纠纷"}, 200, `"remark":"补报一起劳资纠纷"`},
				{"yesterday's, late", "u1/reports/2026-10-01", map[string]any{"disputes_found": 2}, 200, `"reported_at":"2026-10-02T03:00:00+08:00"`},
				{"tomorrow's", "u1/reports/2026-10-03", map[string]any{"disputes_found": 0}, 422, `"date"`},
				{"not a date", "u1/reports/02-10-2026", map[string]any{"disputes_found": 0}, 422, `"date"`},
				{"no count", "u1/reports/2026-10-02", map[string]any{"remark": "无"}, 422, `"disputes_found"`},
				{"a negative count", "u1/reports/2026-10-02", map[string]any{"disputes_found": -1}, 422, `"disputes_found"`},
				{"a remark too long", "u1/reports/2026-10-02", map[string]any{"disputes_found": 0, "remark": strings.Repeat("字", 501)}, 422, `"remark"`},
				{"an unknown unit", "u9/reports/2026-10-02", map[string]any{"disputes_found": 0}, 422, `"unit"`},
				{"a phone number", "u2/reports/2026-10-02", map[string]any{"disputes_found": 0, "phone": "13800000000"}, 400, `"phone"`},
			} {
				r := e.do("PUT", "/api/v1/units/"+tc.path, rwToken, tc.body)
				if r.status != tc.want || !strings.Contains(r.body, tc.wantInBody) {
					t.Errorf("%s: %d %s, want %d with %s", tc.name, r.status, r.body, tc.want, tc.wantInBody)
				}
			}
			var got []intake.ReportResponse
			e.do("GET", "/api/v1/units/u1/reports", roToken, nil).json(t, &got)
			if len(got) != 2 || got[0].Date != "2026-10-02" || got[0].DisputesFound != 1 || got[1].Date != "2026-10-01" {
				t.Errorf("u1's reports: %s", fmtJSON(got))
			}
			e.do("GET", "/api/v1/units/u1/reports?since=2026-10-02", roToken, nil).json(t, &got)
			if len(got) != 1 {
				t.Errorf("u1's reports since 2 October: %s", fmtJSON(got))
			}
			for path, want := range map[string]int{"u2/reports": 200, "u9/reports": 404, "u1/reports?since=yesterday": 422} {
				if r := e.do("GET", "/api/v1/units/"+path, roToken, nil); r.status != want {
					t.Errorf("GET %s: %d %s, want %d", path, r.status, r.body, want)
				}
			}
			if r := e.do("PUT", "/api/v1/units/u2/reports/2026-10-02", roToken, map[string]any{"disputes_found": 0}); r.status != 403 {
				t.Errorf("a read-only token reports: %d, want 403", r.status)
			}
			if n := e.count("unit_reports"); n != 2 {
				t.Errorf("%d reports stored, want 2", n)
			}
		})
	}
}

// fmtJSON shows v as the API would send it, for comparing and messages.
func fmtJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestScreenings: a unit's monthly screening on both databases, and its
// refusals.
func TestScreenings(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			e := newEnv(t, d) // at 2026-10-02 03:00 Beijing time
			for _, tc := range []struct {
				path   string
				token  string
				body   any
				status int
				want   string
			}{
				{"/api/v1/units/u1/screenings/2026-09", rwToken, map[string]any{"found": map[string]int{"high": 1}}, 200, `"found":{"high":1,"low":0,"medium":0}`},
				{"/api/v1/units/u1/screenings/2026-10", rwToken, map[string]any{}, 200, `"month":"2026-10"`},
				{"/api/v1/units/u1/screenings/2026-09", rwToken, map[string]any{"found": map[string]int{"low": 3}}, 200, `"low":3`}, // replaced
				{"/api/v1/units/u1/screenings/2026-11", rwToken, map[string]any{}, 422, "after this month"},
				{"/api/v1/units/u1/screenings/2026-13", rwToken, map[string]any{}, 422, `"month"`},
				{"/api/v1/units/u1/screenings/2026-09", rwToken, map[string]any{"found": map[string]int{"red": 1}}, 422, `"found"`},
				{"/api/v1/units/u1/screenings/2026-09", rwToken, map[string]any{"found": map[string]int{"high": -1}}, 422, `"found.high"`},
				{"/api/v1/units/u9/screenings/2026-09", rwToken, map[string]any{}, 422, `"unit"`},
				{"/api/v1/units/u1/screenings/2026-09", roToken, map[string]any{}, 403, ""},
				{"/api/v1/units/u1/screenings/2026-09", rwToken, map[string]any{"remark": "张三 13800138000"}, 400, ""},
			} {
				r := e.do("PUT", tc.path, tc.token, tc.body)
				if r.status != tc.status || !strings.Contains(r.body, tc.want) {
					t.Errorf("PUT %s %v: %d %s, want %d with %s", tc.path, tc.body, r.status, r.body, tc.status, tc.want)
				}
			}
			if n := e.count("unit_screenings"); n != 2 {
				t.Errorf("%d screenings stored, want 2", n)
			}
		})
	}
}
