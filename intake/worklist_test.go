package intake_test

import (
	"strings"
	"testing"

	"riskmon/intake"
	"riskmon/store/storetest"
)

// TestWorklist: a unit's worklist on both databases, sorted by urgency,
// paged, with its disputes and long-unresolved matters and nothing
// personal; bad pages and unknown units refused.
func TestWorklist(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			e := newEnv(t, d) // at 2026-10-02 03:00 Beijing time
			must := func(method, path string, body any, want int) {
				t.Helper()
				if r := e.do(method, path, rwToken, body); r.status != want {
					t.Fatalf("%s %s: %d %s", method, path, r.status, r.body)
				}
			}
			// u1's cases: C2 received earlier (deadline sooner), C1, C3 accepted
			// (handling: 60 days); U2 is another unit's
			must("POST", "/api/v1/cases", with(caseBody("C1"), "received_at", "2026-09-20T10:00:00+08:00", "matter", nil), 201)
			must("POST", "/api/v1/cases", with(caseBody("C2"), "received_at", "2026-09-10T10:00:00+08:00"), 201)
			must("POST", "/api/v1/cases", with(caseBody("C3"), "received_at", "2026-09-25T10:00:00+08:00"), 201)
			must("POST", "/api/v1/cases/C3/events", map[string]any{"type": "accepted", "at": "2026-09-26T10:00:00+08:00"}, 201)
			must("POST", "/api/v1/cases", with(caseBody("U2"), "unit", "u2"), 201)
			// a long-unresolved matter of u1, marked, led by a township head past
			// its target; a quiet one not listed
			must("PUT", "/api/v1/matters/old-mill", map[string]any{"name": "老面粉厂改制", "unit": "u1", "category": "other", "marked_backlog": true}, 200)
			must("PUT", "/api/v1/matters/old-mill/lead", map[string]string{"role": "township_head", "target": "2026-10-01", "plan": "in_progress"}, 200)
			must("PUT", "/api/v1/matters/quiet", map[string]string{"name": "安静事项", "unit": "u1", "category": "other"}, 200)
			// disputes: a medium one in hand, a high one without a leader
			dispute := func(no, risk string) map[string]any {
				return map[string]any{"dispute_no": no, "found_at": "2026-10-01T09:00:00+08:00", "unit": "u1",
					"category": "other", "risk": risk, "persons_estimate": 3, "source": "screening"}
			}
			must("POST", "/api/v1/disputes", with(dispute("D-M", "medium"), "leader_role", "township_head", "handler_assigned", true, "resolve_by", "2026-10-09"), 201)
			must("POST", "/api/v1/disputes", dispute("D-H", "high"), 201)

			r := e.do("GET", "/api/v1/units/u1/worklist", roToken, nil)
			var w intake.WorklistResponse
			r.json(t, &w)
			var cases []string
			for _, c := range w.Cases {
				cases = append(cases, c.CaseNo)
			}
			if r.status != 200 || strings.Join(cases, ",") != "C2,C1,C3" || w.TotalCases != 3 {
				t.Errorf("cases %v of %d (%d), want C2,C1,C3 of 3: %s", cases, w.TotalCases, r.status, r.body)
			}
			// C2's last day was 28 September: overdue, four days ago
			if c := w.Cases[0]; c.Stage != "acceptance" || c.DaysLeft == nil || *c.DaysLeft != -4 || !c.Overdue || c.Deadline != "2026-09-29T00:00:00+08:00" {
				t.Errorf("C2: %+v, want acceptance, overdue, -4 days left", c)
			}
			if len(w.Disputes) != 2 || w.Disputes[0].DisputeNo != "D-H" || strings.Join(w.Disputes[0].Missing, ",") != "leader,handler,deadline,inspection" {
				t.Errorf("disputes %+v, want D-H first, missing all four", w.Disputes)
			}
			if len(w.Matters) != 1 || w.Matters[0].Code != "old-mill" || w.Matters[0].CountyLed || !w.Matters[0].PastTarget {
				t.Errorf("matters %+v, want old-mill, not county-led, past its target", w.Matters)
			}
			for _, secret := range []string{"DEMO-ID-", "petitioner"} {
				if strings.Contains(r.body, secret) {
					t.Errorf("the worklist holds %q: %s", secret, r.body)
				}
			}
			// a page of one: the second case
			r = e.do("GET", "/api/v1/units/u1/worklist?per_page=1&page=2", roToken, nil)
			w = intake.WorklistResponse{}
			r.json(t, &w)
			if len(w.Cases) != 1 || w.Cases[0].CaseNo != "C1" || w.TotalCases != 3 || w.Page != 2 {
				t.Errorf("page 2 of 1: %s", r.body)
			}
			for _, tc := range []struct {
				query string
				want  int
			}{{"per_page=0", 422}, {"per_page=201", 422}, {"page=x", 422}, {"page=0", 422}} {
				if r := e.do("GET", "/api/v1/units/u1/worklist?"+tc.query, roToken, nil); r.status != tc.want {
					t.Errorf("?%s: %d %s, want %d", tc.query, r.status, r.body, tc.want)
				}
			}
			if r := e.do("GET", "/api/v1/units/nope/worklist", roToken, nil); r.status != 404 {
				t.Errorf("an unknown unit: %d %s", r.status, r.body)
			}
		})
	}
}
