package intake_test

import (
	"context"
	"strings"
	"testing"

	"riskmon/store"
	"riskmon/store/storetest"
)

// TestMatters registers matters, names them from cases, events and
// disputes, and refuses what the registry must not take, on both databases.
func TestMatters(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			e := newEnv(t, d)
			e.cfg.MaxMatters = 2
			ok := map[string]string{"name": "城东棚户区改造项目", "unit": "u1", "category": "land_requisition"}
			if r := e.do("PUT", "/api/v1/matters/chengdong", rwToken, ok); r.status != 200 {
				t.Fatalf("PUT a matter: %d %s", r.status, r.body)
			}
			for _, tc := range []struct {
				name, path string
				token      string
				body       any
				status     int
				field      string // named in the details, for a 422
			}{
				{"a read token", "/api/v1/matters/m2", roToken, ok, 403, ""},
				{"upper case code", "/api/v1/matters/Chengdong", rwToken, ok, 422, "code"},
				{"code starting with '-'", "/api/v1/matters/-x", rwToken, ok, 422, "code"},
				{"a phone number in the name", "/api/v1/matters/m2", rwToken, with2(ok, "name", "张三 13800138000 反映"), 422, "name"},
				{"an ID number in the name", "/api/v1/matters/m2", rwToken, with2(ok, "name", "110101199003071234"), 422, "name"},
				{"a control character in the name", "/api/v1/matters/m2", rwToken, with2(ok, "name", "项目\x1b[2J"), 422, "name"},
				{"no name", "/api/v1/matters/m2", rwToken, with2(ok, "name", " "), 422, "name"},
				{"a unit that does not exist", "/api/v1/matters/m2", rwToken, with2(ok, "unit", "u9"), 422, "unit"},
				{"a category that does not exist", "/api/v1/matters/m2", rwToken, with2(ok, "category", "nope"), 422, "category"},
				// a body naming a person is refused whole
				{"a petitioner's identity", "/api/v1/matters/m2", rwToken,
					map[string]string{"name": "某项目", "unit": "u1", "category": "other", "id_number": "110101199003071234"}, 400, ""},
			} {
				r := e.do("PUT", tc.path, tc.token, tc.body)
				if r.status != tc.status {
					t.Errorf("%s: %d %s, want %d", tc.name, r.status, r.body, tc.status)
					continue
				}
				if tc.field != "" && details(t, r)[tc.field] == "" {
					t.Errorf("%s: %s does not name %s", tc.name, r.body, tc.field)
				}
				for _, secret := range []string{"13800138000", "110101199003071234"} {
					if strings.Contains(r.body, secret) {
						t.Errorf("%s: the answer quotes the refused identifier: %s", tc.name, r.body)
					}
				}
			}
			// the cap: a second matter is taken, a third refused, a rename always
			if r := e.do("PUT", "/api/v1/matters/wages", rwToken, map[string]string{"name": "某厂欠薪", "unit": "u2", "category": "other"}); r.status != 200 {
				t.Errorf("a second matter: %d %s", r.status, r.body)
			}
			if r := e.do("PUT", "/api/v1/matters/third", rwToken, ok); r.status != 422 || !strings.Contains(details(t, r)["code"], "at most 2") {
				t.Errorf("a third matter past max_matters 2: %d %s", r.status, r.body)
			}
			if r := e.do("PUT", "/api/v1/matters/chengdong", rwToken, with2(ok, "name", "城东棚改")); r.status != 200 {
				t.Errorf("a rename at the cap: %d %s", r.status, r.body)
			}
			ms, err := e.store.Matters(context.Background())
			if want := []store.Matter{{Code: "chengdong", Name: "城东棚改", Unit: "u1", Category: "land_requisition"},
				{Code: "wages", Name: "某厂欠薪", Unit: "u2", Category: "other"}}; err != nil || len(ms) != 2 || ms[0] != want[0] || ms[1] != want[1] {
				t.Errorf("matters %v (%v), want %v", ms, err, want)
			}
			if r := e.do("GET", "/api/v1/matters", roToken, nil); r.status != 200 || !strings.Contains(r.body, "城东棚改") {
				t.Errorf("GET matters: %d %s", r.status, r.body)
			}

			// the lead (包案): a role, never a name; a target; resolved closes it
			for _, tc := range []struct {
				name, path string
				token      string
				body       any
				status     int
				want       string
			}{
				{"a read token", "/api/v1/matters/chengdong/lead", roToken, map[string]string{"role": "county_leader", "target": "2026-12-31", "plan": "planned"}, 403, ""},
				{"a name for a role", "/api/v1/matters/chengdong/lead", rwToken, map[string]string{"role": "张三", "target": "2026-12-31", "plan": "planned"}, 422, `"role"`},
				{"a person's field", "/api/v1/matters/chengdong/lead", rwToken, map[string]string{"role": "county_leader", "name": "张三", "target": "2026-12-31", "plan": "planned"}, 400, ""},
				{"no target", "/api/v1/matters/chengdong/lead", rwToken, map[string]string{"role": "county_leader", "plan": "planned"}, 422, `"target"`},
				{"a bad date", "/api/v1/matters/chengdong/lead", rwToken, map[string]string{"role": "county_leader", "target": "31/12/2026", "plan": "planned"}, 422, `"target"`},
				{"an unknown matter", "/api/v1/matters/nope/lead", rwToken, map[string]string{"role": "county_leader", "target": "2026-12-31", "plan": "planned"}, 404, ""},
				{"a lead", "/api/v1/matters/chengdong/lead", rwToken, map[string]string{"role": "county_leader", "target": "2026-12-31", "plan": "in_progress"}, 200,
					`"lead_role":"county_leader","lead_target":"2026-12-31","lead_plan":"in_progress"`},
				{"resolved", "/api/v1/matters/wages/lead", rwToken, map[string]string{"role": "county_leader", "plan": "resolved"}, 200,
					`"lead_plan":"resolved","resolved_at":"2026-10-02T03:00:00+08:00"`},
			} {
				r := e.do("PUT", tc.path, tc.token, tc.body)
				if r.status != tc.status || !strings.Contains(r.body, tc.want) {
					t.Errorf("%s: %d %s, want %d with %s", tc.name, r.status, r.body, tc.status, tc.want)
				}
			}

			// a case names a matter; one that does not exist is refused and writes nothing
			before := e.caseCount()
			// a rename answers with the matter as stored, its lead included
			if r := e.do("PUT", "/api/v1/matters/chengdong", rwToken, with2(ok, "name", "城东棚改")); r.status != 200 || !strings.Contains(r.body, `"lead_role":"county_leader"`) {
				t.Errorf("a rename after the lead: %d %s", r.status, r.body)
			}
			if r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("X1"), "matter", "nope")); r.status != 422 || details(t, r)["matter"] == "" {
				t.Errorf("a case naming no registered matter: %d %s", r.status, r.body)
			}
			if r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("X1"), "matter", "Bad Code")); r.status != 422 || details(t, r)["matter"] == "" {
				t.Errorf("a case with a bad matter code: %d %s", r.status, r.body)
			}
			if e.caseCount() != before {
				t.Errorf("a refused case was written")
			}
			r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("X1"), "matter", "chengdong"))
			if r.status != 201 || !strings.Contains(r.body, `"matter":"chengdong"`) {
				t.Fatalf("a case naming a matter: %d %s", r.status, r.body)
			}
			// the same case again is a retry; with another matter a conflict
			if r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("X1"), "matter", "chengdong")); r.status != 200 {
				t.Errorf("the same case again: %d %s", r.status, r.body)
			}
			if r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("X1"), "matter", "wages")); r.status != 409 {
				t.Errorf("the same case with another matter: %d %s", r.status, r.body)
			}
			// a linked event moves it; to a matter that does not exist is refused
			if r := e.do("POST", "/api/v1/cases/X1/events", rwToken, map[string]any{"type": "linked", "at": "2026-10-01T11:00:00+08:00", "matter": "nope"}); r.status != 422 || details(t, r)["matter"] == "" {
				t.Errorf("a link to no registered matter: %d %s", r.status, r.body)
			}
			if r := e.do("POST", "/api/v1/cases/X1/events", rwToken, map[string]any{"type": "linked", "at": "2026-10-01T11:00:00+08:00"}); r.status != 422 || details(t, r)["matter"] == "" {
				t.Errorf("a link without its matter: %d %s", r.status, r.body)
			}
			r = e.do("POST", "/api/v1/cases/X1/events", rwToken, map[string]any{"type": "linked", "at": "2026-10-01T11:00:00+08:00", "matter": "wages"})
			if r.status != 201 || !strings.Contains(r.body, `"matter":"wages"`) {
				t.Errorf("a link: %d %s", r.status, r.body)
			}
			// after the link, the case as sent at first is still a retry
			if r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("X1"), "matter", "chengdong")); r.status != 200 || !strings.Contains(r.body, `"matter":"wages"`) {
				t.Errorf("the first case again after a link: %d %s", r.status, r.body)
			}

			// a dispute names a matter, one that exists
			dispute := map[string]any{"dispute_no": "G1", "found_at": "2026-10-01T09:00:00+08:00", "unit": "u1",
				"category": "land_requisition", "risk": "high", "persons_estimate": 30, "source": "screening"}
			if r := e.do("POST", "/api/v1/disputes", rwToken, with(dispute, "matter", "nope")); r.status != 422 || details(t, r)["matter"] == "" {
				t.Errorf("a dispute naming no registered matter: %d %s", r.status, r.body)
			}
			if r := e.do("POST", "/api/v1/disputes", rwToken, with(dispute, "matter", "chengdong")); r.status != 201 || !strings.Contains(r.body, `"matter":"chengdong"`) {
				t.Errorf("a dispute naming a matter: %d %s", r.status, r.body)
			}
			if r := e.do("POST", "/api/v1/disputes", rwToken, with(dispute, "matter", "wages")); r.status != 409 {
				t.Errorf("the same dispute with another matter: %d %s", r.status, r.body)
			}
			// what it could become: a vocabulary
			if r := e.do("POST", "/api/v1/disputes", rwToken, with(dispute, "dispute_no", "G2", "potential", "riot")); r.status != 422 || details(t, r)["potential"] == "" {
				t.Errorf("a potential outside the vocabulary: %d %s", r.status, r.body)
			}
			if r := e.do("POST", "/api/v1/disputes", rwToken, with(dispute, "dispute_no", "G2", "potential", "skip_level")); r.status != 201 || !strings.Contains(r.body, `"potential":"skip_level"`) {
				t.Errorf("a dispute that could become a skip-level visit: %d %s", r.status, r.body)
			}
		})
	}
}

// with2 is m with key set to v.
func with2(m map[string]string, key, v string) map[string]string {
	out := map[string]string{}
	for k, x := range m {
		out[k] = x
	}
	out[key] = v
	return out
}
