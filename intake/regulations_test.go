package intake_test

import (
	"strings"
	"testing"
)

// The 2022 Regulations' fields through the API: matter_type on a case, due
// on the bureau's transfer, to on a report upward, procedure on a diversion;
// a bad value of each is 422 naming the field and writes nothing.
func TestRegulationFields(t *testing.T) {
	e := newEnv(t, "mysql")
	for _, tc := range []struct {
		name, path string
		body       any
		want       int
		wantInBody string
	}{
		{"an unknown matter type", "/api/v1/cases", with(caseBody("R-0"), "matter_type", "complaint"), 422, `"matter_type"`},
		{"a suggestion", "/api/v1/cases", with(caseBody("R-S"), "matter_type", "suggestion"), 201, `"matter_type":"suggestion"`},
		{"a claim by default, major by the intake", "/api/v1/cases", with(caseBody("R-1"), "major", true), 201,
			`"matter_type":"claim","major":true,"major_report_due":"2026-10-01T11:00:00+08:00"`},
		{"a registered case to pass on", "/api/v1/cases", with(caseBody("R-B"), "routing", true), 201, `"status":"registered"`},
		{"an unknown recipient", "/api/v1/cases/R-1/events", map[string]any{"type": "reported_up", "at": "2026-10-01T10:30:00+08:00", "to": "the_mayor"}, 422, `"to"`},
		{"a report without a recipient", "/api/v1/cases/R-1/events", map[string]any{"type": "reported_up", "at": "2026-10-01T10:30:00+08:00"}, 422, `"to"`},
		{"reported to the county leadership", "/api/v1/cases/R-1/events", map[string]any{"type": "reported_up", "at": "2026-10-01T10:30:00+08:00", "to": "county_leadership"}, 201,
			`"reported_to":["county_leadership"]`},
		{"a bad date", "/api/v1/cases/R-B/events", map[string]any{"type": "transferred", "at": "2026-10-01T11:00:00+08:00", "unit": "u2", "due": "20 Oct"}, 422, `"due"`},
		{"a date on a reply", "/api/v1/cases/R-1/events", map[string]any{"type": "replied", "at": "2026-10-01T11:00:00+08:00", "due": "2026-10-20"}, 422, `"due"`},
		{"assigned with a date", "/api/v1/cases/R-B/events", map[string]any{"type": "transferred", "at": "2026-10-01T11:00:00+08:00", "unit": "u2", "due": "2026-10-20"}, 201,
			`"assigned_due":"2026-10-20"`},
		{"an unknown procedure", "/api/v1/cases/R-S/events", map[string]any{"type": "diverted", "at": "2026-10-01T11:00:00+08:00", "procedure": "the_mayor"}, 422, `"procedure"`},
		{"diverted to arbitration", "/api/v1/cases/R-S/events", map[string]any{"type": "diverted", "at": "2026-10-01T11:00:00+08:00", "procedure": "arbitration"}, 201,
			`"status":"diverted"`},
	} {
		r := e.do("POST", tc.path, rwToken, tc.body)
		if r.status != tc.want || !strings.Contains(r.body, tc.wantInBody) {
			t.Errorf("%s: %d %s, want %d with %s", tc.name, r.status, r.body, tc.want, tc.wantInBody)
		}
	}
	if n := e.caseCount(); n != 3 {
		t.Errorf("%d cases stored, want the three good ones", n)
	}
}
