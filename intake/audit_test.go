package intake_test

import (
	"fmt"
	"strings"
	"testing"

	"riskmon/intake"
	"riskmon/store/storetest"
)

// TestAuditTrail: every accepted write leaves one audit row, in order, with
// its credential, route and object; a refused one (out of scope, invalid,
// a conflict found inside the transaction) leaves none; the bureau alone
// reads the trail, a page at a time; events and disputes show who recorded
// them.
func TestAuditTrail(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e, tok := scopeEnv(t, dialect)
			at := "2026-10-01T12:00:00+08:00"
			type write struct {
				method, path, token string
				body                any
				status              int
				audit               string // credential route object, or "" for none
			}
			for _, w := range []write{
				{"POST", "/api/v1/cases", tok["clerk-u2"], with(caseBody("A-1"), "unit", "u2"), 201, "clerk-u2 POST /api/v1/cases A-1"},
				{"POST", "/api/v1/cases", tok["clerk-u2"], with(caseBody("A-1"), "unit", "u2"), 200, "clerk-u2 POST /api/v1/cases A-1"}, // a retry, accepted
				{"POST", "/api/v1/cases", tok["clerk-u2"], with(caseBody("A-1"), "unit", "u2", "persons", 3), 409, ""},
				{"POST", "/api/v1/cases", tok["clerk-u1"], with(caseBody("A-2"), "unit", "u2"), 403, ""},
				{"POST", "/api/v1/cases", tok["clerk-u2"], with(caseBody("A-3"), "unit", "u2", "persons", 0), 422, ""},
				{"POST", "/api/v1/cases/A-1/events", tok["clerk-u2"], map[string]any{"type": "accepted", "at": at}, 201, "clerk-u2 POST /api/v1/cases/:case_no/events A-1"},
				{"POST", "/api/v1/cases/A-1/events", tok["clerk-u2"], map[string]any{"type": "accepted", "at": "2026-10-01T11:00:00+08:00"}, 409, ""},
				{"POST", "/api/v1/disputes", tok["clerk-u2"], with(disputeBody("AD-1"), "unit", "u2"), 201, "clerk-u2 POST /api/v1/disputes AD-1"},
				{"POST", "/api/v1/disputes/AD-1/events", tok["clerk-u2"], map[string]any{"type": "inspected", "at": at}, 201, "clerk-u2 POST /api/v1/disputes/:dispute_no/events AD-1"},
				{"PUT", "/api/v1/units/u2/reports/2026-10-02", tok["clerk-u2"], map[string]any{"disputes_found": 0}, 200, "clerk-u2 PUT /api/v1/units/:code/reports/:date u2/2026-10-02"},
				{"PUT", "/api/v1/units/u2/screenings/2026-09", tok["clerk-u2"], map[string]any{"found": map[string]int{}}, 200, "clerk-u2 PUT /api/v1/units/:code/screenings/:month u2/2026-09"},
				{"PUT", "/api/v1/units/u3", rwToken, map[string]string{"name": "三镇", "kind": "township"}, 200, "api_token PUT /api/v1/units/:code u3"},
				{"PUT", "/api/v1/matters/m1", rwToken, map[string]string{"name": "事项一", "unit": "u2", "category": "other"}, 200, "api_token PUT /api/v1/matters/:code m1"},
				{"PUT", "/api/v1/matters/m1/lead", rwToken, map[string]string{"role": "county_leader", "target": "2026-12-31", "plan": "planned"}, 200, "api_token PUT /api/v1/matters/:code/lead m1"},
				{"PUT", "/api/v1/matters/m9/lead", rwToken, map[string]string{"role": "county_leader", "target": "2026-12-31", "plan": "planned"}, 404, ""},
			} {
				before := len(e.auditRows(t))
				if got := e.do(w.method, w.path, w.token, w.body); got.status != w.status {
					t.Fatalf("%s %s: %d %s, want %d", w.method, w.path, got.status, got.body, w.status)
				}
				rows := e.auditRows(t)
				switch {
				case w.audit == "" && len(rows) != before:
					t.Errorf("%s %s (%d) was refused but audited: %+v", w.method, w.path, w.status, rows[len(rows)-1])
				case w.audit != "" && len(rows) != before+1:
					t.Errorf("%s %s: %d audit rows added, want 1", w.method, w.path, len(rows)-before)
				case w.audit != "":
					r := rows[len(rows)-1]
					if got := fmt.Sprintf("%s %s %s %s", r.Credential, r.Method, r.Route, r.Object); got != w.audit {
						t.Errorf("%s %s: audited as %q, want %q", w.method, w.path, got, w.audit)
					}
				}
			}
			rows := e.auditRows(t)
			if len(rows) != 10 {
				t.Fatalf("%d audit rows, want one for each of the 10 accepted writes: %+v", len(rows), rows)
			}
			var page []intake.AuditResponse
			e.do("GET", fmt.Sprintf("/api/v1/audit?since=2026-10-01T00:00:00%%2B08:00&after=%d", rows[8].ID), rwToken, nil).json(t, &page)
			if len(page) != 1 || page[0].ID != rows[9].ID {
				t.Errorf("the page after row 9: %+v, want row 10 alone", page)
			}
			for _, who := range []string{tok["clerk-u2"], roToken} {
				if got := e.do("GET", "/api/v1/audit", who, nil); got.status != 403 {
					t.Errorf("the audit trail read by a non-bureau credential: %d, want 403", got.status)
				}
			}
			if got := e.do("GET", "/api/v1/cases/A-1", rwToken, nil); !strings.Contains(got.body, `"recorded_by":"clerk-u2"`) {
				t.Errorf("the case's event does not show who recorded it: %s", got.body)
			}
			if got := e.do("GET", "/api/v1/disputes/AD-1", rwToken, nil); strings.Count(got.body, `"recorded_by":"clerk-u2"`) != 2 {
				t.Errorf("the dispute and its event do not show who recorded them: %s", got.body)
			}
		})
	}
}

// auditRows reads the audit trail since 1 October, as the bureau.
func (e *env) auditRows(t *testing.T) []intake.AuditResponse {
	t.Helper()
	var rows []intake.AuditResponse
	e.do("GET", "/api/v1/audit?since=2026-10-01T00:00:00%2B08:00", rwToken, nil).json(t, &rows)
	return rows
}
