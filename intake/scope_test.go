package intake_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"riskmon/access"
	"riskmon/store/storetest"
)

// scopeEnv serves the API with, besides the bureau's api_token and the
// reader's api_read_token, the credentials of a credentials file: a
// reporter for u1 and one for u2, and a reader limited to u1. It returns
// their tokens by name.
func scopeEnv(t *testing.T, dialect string) (*env, map[string]string) {
	t.Helper()
	return scopeEnvWith(t, dialect, nil)
}

// scopeEnvWith is scopeEnv with the variables of extra set too.
func scopeEnvWith(t *testing.T, dialect string, extra map[string]string) (*env, map[string]string) {
	t.Helper()
	tokens := map[string]string{}
	var lines []string
	for _, c := range []struct {
		name, role string
		units      []string
	}{{"clerk-u1", access.RoleReporter, []string{"u1"}}, {"clerk-u2", access.RoleReporter, []string{"u2"}}, {"reader-u1", access.RoleReader, []string{"u1"}}} {
		tok, h, err := access.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		tokens[c.name] = tok
		lines = append(lines, access.Credential{Name: c.name, Role: c.role, Units: c.units, Hash: h}.Line())
	}
	path := filepath.Join(t.TempDir(), "credentials.yml")
	if err := os.WriteFile(path, []byte("credentials:\n"+strings.Join(lines, "\n")+"\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	s := storetest.Open(t, dialect)
	storetest.PutTwoUnits(t, s)
	vars := map[string]string{"RISKMON_CREDENTIALS_FILE": path}
	for k, v := range extra {
		vars[k] = v
	}
	return newEnvOn(t, s, vars), tokens
}

// scopeTables are what a refused request must leave as they were.
var scopeTables = []string{"units", "categories", "matters", "cases", "case_events", "disputes", "dispute_events", "unit_reports", "unit_screenings"}

// TestEveryRouteChecksScope walks every route of the API with a credential
// of another unit (u1's clerk, on u2's records), and with one that may not
// change the registry: each is 403 and writes nothing; the same request by
// a credential in scope is served, so the refusal is the scope's. A route
// the table does not know fails the test.
func TestEveryRouteChecksScope(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e, tok := scopeEnv(t, dialect)
			for _, r := range []struct {
				path string
				body any
			}{
				{"/api/v1/cases", with(caseBody("C-U1"), "unit", "u1")},
				{"/api/v1/cases", with(caseBody("C-U2"), "unit", "u2")},
				{"/api/v1/disputes", disputeBody("D-U2")},
			} {
				if r.path == "/api/v1/disputes" {
					r.body = with(r.body.(map[string]any), "unit", "u2")
				}
				if got := e.do("POST", r.path, rwToken, r.body); got.status != 201 {
					t.Fatalf("setup %s: %d %s", r.path, got.status, got.body)
				}
			}
			if got := e.do("PUT", "/api/v1/matters/m2", rwToken, map[string]string{"name": "事项二", "unit": "u2", "category": "other"}); got.status != 200 {
				t.Fatalf("setup matter: %d %s", got.status, got.body)
			}
			at := "2026-10-01T12:00:00+08:00"
			type step struct {
				method, route, path string
				body                any
				out, in             string // out of scope (refused 403), in scope (served)
				inStatus            int
			}
			steps := []step{
				{"POST", "/api/v1/cases", "/api/v1/cases", with(caseBody("C-U2b"), "unit", "u2"), "clerk-u1", "clerk-u2", 201},
				{"POST", "/api/v1/cases/:case_no/events", "/api/v1/cases/C-U2/events", map[string]any{"type": "accepted", "at": at}, "clerk-u1", "clerk-u2", 201},
				// passing u1's case to u2 touches u2 too
				{"POST", "/api/v1/cases/:case_no/events", "/api/v1/cases/C-U1/events", map[string]any{"type": "transferred", "at": at, "unit": "u2"}, "clerk-u1", "", 0},
				{"GET", "/api/v1/cases/:case_no", "/api/v1/cases/C-U2", nil, "clerk-u1", "clerk-u2", 200},
				{"GET", "/api/v1/cases/:case_no", "/api/v1/cases/C-U2", nil, "reader-u1", "", 0},
				{"POST", "/api/v1/disputes", "/api/v1/disputes", with(disputeBody("D-U2b"), "unit", "u2"), "clerk-u1", "clerk-u2", 201},
				{"POST", "/api/v1/disputes/:dispute_no/events", "/api/v1/disputes/D-U2/events", map[string]any{"type": "inspected", "at": at}, "clerk-u1", "clerk-u2", 201},
				{"GET", "/api/v1/disputes/:dispute_no", "/api/v1/disputes/D-U2", nil, "clerk-u1", "clerk-u2", 200},
				{"GET", "/api/v1/disputes/:dispute_no", "/api/v1/disputes/D-U2", nil, "reader-u1", "", 0},
				{"PUT", "/api/v1/units/:code/reports/:date", "/api/v1/units/u2/reports/2026-10-02", map[string]any{"disputes_found": 0}, "clerk-u1", "clerk-u2", 200},
				{"GET", "/api/v1/units/:code/reports", "/api/v1/units/u2/reports", nil, "clerk-u1", "clerk-u2", 200},
				{"GET", "/api/v1/units/:code/reports", "/api/v1/units/u2/reports", nil, "reader-u1", "", 0},
				{"GET", "/api/v1/units/:code/worklist", "/api/v1/units/u2/worklist", nil, "clerk-u1", "clerk-u2", 200},
				{"PUT", "/api/v1/units/:code/screenings/:month", "/api/v1/units/u2/screenings/2026-09", map[string]any{"found": map[string]int{"high": 1}}, "clerk-u1", "clerk-u2", 200},
				// the registry is the bureau's
				{"PUT", "/api/v1/units/:code", "/api/v1/units/u3", map[string]string{"name": "三镇", "kind": "township"}, "clerk-u2", "", 0},
				{"PUT", "/api/v1/categories/:code", "/api/v1/categories/c3", map[string]string{"name": "三类"}, "clerk-u2", "", 0},
				{"PUT", "/api/v1/matters/:code", "/api/v1/matters/m2", map[string]string{"name": "事项二改", "unit": "u2", "category": "other"}, "clerk-u2", "", 0},
				{"PUT", "/api/v1/matters/:code/lead", "/api/v1/matters/m2/lead", map[string]string{"role": "county_leader", "target": "2026-12-31", "plan": "planned"}, "clerk-u2", "", 0},
				// read alike for every credential: the registry's names
				{"GET", "/api/v1/units", "/api/v1/units", nil, "", "reader-u1", 200},
				{"GET", "/api/v1/categories", "/api/v1/categories", nil, "", "clerk-u1", 200},
				{"GET", "/api/v1/matters", "/api/v1/matters", nil, "", "clerk-u1", 200},
				// the audit trail is the bureau's
				{"GET", "/api/v1/audit", "/api/v1/audit", nil, "clerk-u2", "", 0},
				{"GET", "/api/v1/audit", "/api/v1/audit", nil, "reader-u1", "", 0},
			}
			covered := map[string]bool{}
			for _, s := range steps {
				covered[s.method+" "+s.route] = true
				if s.out != "" {
					before := dumpDatabase(t, e, scopeTables...)
					if got := e.do(s.method, s.path, tok[s.out], s.body); got.status != 403 {
						t.Errorf("%s %s by %s: %d %s, want 403", s.method, s.path, s.out, got.status, got.body)
					}
					if dumpDatabase(t, e, scopeTables...) != before {
						t.Errorf("%s %s by %s was refused but wrote", s.method, s.path, s.out)
					}
				}
				if s.in != "" {
					if got := e.do(s.method, s.path, tok[s.in], s.body); got.status != s.inStatus {
						t.Errorf("%s %s by %s: %d %s, want %d", s.method, s.path, s.in, got.status, got.body, s.inStatus)
					}
				}
			}
			for _, r := range e.routes {
				if strings.HasPrefix(r.Path, "/api/") && r.Method != "echo_route_not_found" && !covered[r.Method+" "+r.Path] {
					t.Errorf("route %s %s has no scope step", r.Method, r.Path)
				}
			}
		})
	}
}

// A reporter's case shows no repeat flag (it would tell whether a submitted
// identity came before); the bureau's shows it.
func TestRepeatFlagForTheBureauOnly(t *testing.T) {
	e, tok := scopeEnv(t, "sqlite")
	first := with(caseBody("R-1"), "unit", "u1", "petitioner_id", "DEMO-SAME")
	if got := e.do("POST", "/api/v1/cases", tok["clerk-u1"], first); got.status != 201 || strings.Contains(got.body, `"repeat"`) {
		t.Errorf("a reporter's new case: %d %s, want 201 without a repeat flag", got.status, got.body)
	}
	again := with(caseBody("R-2"), "unit", "u1", "petitioner_id", "DEMO-SAME", "received_at", "2026-10-01T11:00:00+08:00")
	if got := e.do("POST", "/api/v1/cases", tok["clerk-u1"], again); got.status != 201 || strings.Contains(got.body, `"repeat"`) {
		t.Errorf("a reporter's repeat: %d %s, want 201 without a repeat flag", got.status, got.body)
	}
	if got := e.do("GET", "/api/v1/cases/R-2", rwToken, nil); !strings.Contains(got.body, `"repeat":true`) {
		t.Errorf("the bureau's view of the repeat: %d %s, want the flag", got.status, got.body)
	}
}
