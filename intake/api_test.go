package intake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"riskmon/config"
	"riskmon/intake"
	"riskmon/store"
	"riskmon/store/storetest"
)

const (
	rwToken = "rw-token-0123456789abcdef"
	roToken = "ro-token-0123456789abcdef"
)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

type env struct {
	t      *testing.T
	srv    *httptest.Server
	store  *store.Store
	cfg    *config.Config
	clk    *clock
	logs   *bytes.Buffer
	routes []*echo.Route
	api    *intake.API
}

// newEnv serves the API over a fresh database of the dialect with two units
// and two categories, at 2026-10-02 03:00 Beijing time.
func newEnv(t *testing.T, dialect string) *env {
	t.Helper()
	s := storetest.Open(t, dialect)
	storetest.PutTwoUnits(t, s)
	return newEnvOn(t, s)
}

// newEnvOn serves the API over s as it is, with the variables of extra
// set too.
func newEnvOn(t *testing.T, s *store.Store, extra ...map[string]string) *env {
	t.Helper()
	vars := map[string]string{
		"RISKMON_API_TOKEN": rwToken, "RISKMON_API_READ_TOKEN": roToken, "RISKMON_PETITIONER_KEY": "intake-test-key-0123456789",
	}
	for _, m := range extra {
		maps.Copy(vars, m)
	}
	cfg, err := config.Load(config.Source{Env: vars})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 10, 1, 19, 0, 0, 0, time.UTC)}
	logs := &bytes.Buffer{}
	e := echo.New()
	api := &intake.API{Store: s, Config: func() *config.Config { return cfg }, Now: clk.Now, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	api.Register(e)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, store: s, cfg: cfg, clk: clk, logs: logs, routes: e.Routes(), api: api}
}

type response struct {
	status int
	body   string
	header http.Header
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("response %d %q: %v", r.status, r.body, err)
	}
}

func (e *env) do(method, path, token string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, body: string(b), header: resp.Header}
}

func caseBody(no string) map[string]any {
	return map[string]any{
		"case_no": no, "received_at": "2026-10-01T10:00:00+08:00", "channel": "visit", "category": "other",
		"unit": "u1", "persons": 1, "level": "county", "petitioner_id": "DEMO-ID-" + no,
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

// caseCount is how many cases the database holds, for "nothing written".
func (e *env) caseCount() int64 {
	e.t.Helper()
	var n int64
	err := e.store.Read(context.Background(), func(r *store.Reader) error {
		rc, err := store.AllReceipts.Read(context.Background(), r)
		for _, x := range rc {
			n += x.Cases
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func details(t *testing.T, r response) map[string]string {
	t.Helper()
	var e intake.Error
	r.json(t, &e)
	out := map[string]string{}
	for _, d := range e.Details {
		out[d.Field] = d.Problem
	}
	return out
}

func TestAuth(t *testing.T) {
	e := newEnv(t, "mysql")
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		want                      int
	}{
		{"no token", "GET", "/api/v1/units", "", nil, 401},
		{"wrong token", "GET", "/api/v1/units", "not-the-token-at-all", nil, 401},
		{"read-only token reads", "GET", "/api/v1/units", roToken, nil, 200},
		{"read-only token writes", "POST", "/api/v1/cases", roToken, caseBody("A-1"), 403},
		{"read-only token puts", "PUT", "/api/v1/units/u9", roToken, map[string]string{"name": "九镇", "kind": "township"}, 403},
		{"read-write token writes", "POST", "/api/v1/cases", rwToken, caseBody("A-2"), 201},
	} {
		r := e.do(tc.method, tc.path, tc.token, tc.body)
		if r.status != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, r.status, r.body, tc.want)
		}
		if r.status == 401 && r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: 401 without WWW-Authenticate", tc.name)
		}
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/units", nil)
	req.Header.Set("Authorization", "Basic "+rwToken)
	if resp, _ := http.DefaultClient.Do(req); resp.StatusCode != 401 {
		t.Errorf("basic scheme: %d, want 401", resp.StatusCode)
	}
	// the scheme is case-insensitive (RFC 7235 §2.1): bearer is Bearer
	for _, scheme := range []string{"bearer", "BEARER", "bEaReR"} {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/units", nil)
		req.Header.Set("Authorization", scheme+" "+roToken)
		if resp, _ := http.DefaultClient.Do(req); resp.StatusCode != 200 {
			t.Errorf("scheme %q: %d, want 200", scheme, resp.StatusCode)
		}
	}
	if e.caseCount() != 1 {
		t.Errorf("%d cases stored, want only the read-write one", e.caseCount())
	}
	if strings.Contains(e.logs.String(), rwToken) || strings.Contains(e.logs.String(), roToken) {
		t.Error("a token reached the log")
	}
}

func TestCreateCase(t *testing.T) {
	e := newEnv(t, "mysql")
	r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("C-1"), "persons", 7, "level", "national", "supervised", true))
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var got intake.CaseResponse
	r.json(t, &got)
	want := intake.CaseResponse{CaseNo: "C-1", ReceivedAt: "2026-10-01T10:00:00+08:00", Channel: "visit", Category: "other",
		Unit: "u1", ReceivedUnit: "u1", Persons: 7, Level: "national", Supervised: true, Supervision: "county", Collective: true, SkipLevel: true,
		// a visit to the national bureau is a major matter: reported upward within the hour (art. 25)
		MatterType: "claim", Major: true, ReportDue: "2026-10-01T11:00:00+08:00", Repeat: new(false),
		Status: "received", Stage: "acceptance", Deadline: "2026-10-17T00:00:00+08:00", Events: []intake.EventResponse{}} // 24:00 of Friday 16 October
	if *got.Repeat != *want.Repeat {
		t.Errorf("created case: repeat %v, want %v", *got.Repeat, *want.Repeat)
	}
	got.Repeat, want.Repeat = nil, nil
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("created case\n got %+v\nwant %+v", got, want)
	}
	if r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("C-1"), "persons", 7, "level", "national", "supervised", true)); r.status != 200 {
		t.Errorf("identical retry: %d %s, want 200", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("C-1"), "persons", 8)); r.status != 409 {
		t.Errorf("same number, other content: %d %s, want 409", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/cases/C-1", roToken, nil); r.status != 200 || !strings.Contains(r.body, `"case_no":"C-1"`) {
		t.Errorf("get: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/cases/C-404", roToken, nil); r.status != 404 {
		t.Errorf("get unknown: %d %s, want 404", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("C-2"), "repeat_of", "C-1")); r.status != 201 || !strings.Contains(r.body, `"repeat":true`) {
		t.Errorf("linked repeat: %d %s", r.status, r.body)
	}
}

func TestCreateCaseRefusals(t *testing.T) {
	e := newEnv(t, "mysql")
	before := e.caseCount()
	huge := `{"case_no":"X-1","petitioner_id":"` + strings.Repeat("x", intake.MaxBody) + `"}`
	for _, tc := range []struct {
		name       string
		body       any
		want       int
		wantFields []string
	}{
		{"malformed", `{"case_no": "X-1",`, 400, nil},
		{"not an object", `[1,2]`, 400, nil},
		{"wrong type", `{"case_no": 5}`, 400, []string{"case_no"}},
		{"unknown field", with(caseBody("X-1"), "petitioner_name", "张三"), 400, []string{"petitioner_name"}},
		{"trailing data", `{"case_no":"X-1"} {}`, 400, nil},
		{"empty", ``, 400, nil},
		{"too large", huge, 413, nil},
		{"every field wrong", map[string]any{"case_no": "bad no!", "received_at": "yesterday", "channel": "fax",
			"category": "", "unit": "", "persons": 0, "level": "planet"}, 422,
			[]string{"case_no", "received_at", "channel", "category", "unit", "persons", "level", "petitioner_id"}},
		{"persons missing", with(caseBody("X-1"), "persons", nil), 422, []string{"persons"}},
		{"no offset", with(caseBody("X-1"), "received_at", "2026-10-01T10:00:00"), 422, []string{"received_at"}},
		{"in the future", with(caseBody("X-1"), "received_at", "2026-10-02T03:05:01+08:00"), 422, []string{"received_at"}},
		// a client's zero value or a typo would count as decades overdue
		{"year 1", with(caseBody("X-1"), "received_at", "0001-01-01T00:00:00Z"), 422, []string{"received_at"}},
		{"1900", with(caseBody("X-1"), "received_at", "1900-06-01T10:00:00+08:00"), 422, []string{"received_at"}},
		{"a second before 2000 locally", with(caseBody("X-1"), "received_at", "1999-12-31T23:59:59+08:00"), 422, []string{"received_at"}},
		{"unknown unit and category", with(caseBody("X-1"), "unit", "u9", "category", "weather"), 422, []string{"unit", "category"}},
		{"unknown repeat_of", with(caseBody("X-1"), "repeat_of", "X-0"), 422, []string{"repeat_of"}},
		{"repeat of itself", with(caseBody("X-1"), "repeat_of", "X-1"), 422, []string{"repeat_of"}},
	} {
		r := e.do("POST", "/api/v1/cases", rwToken, tc.body)
		if r.status != tc.want {
			t.Errorf("%s: %d %.300s, want %d", tc.name, r.status, r.body, tc.want)
			continue
		}
		var body intake.Error
		r.json(t, &body)
		if body.Message == "" {
			t.Errorf("%s: no error message in %s", tc.name, r.body)
		}
		got := details(t, r)
		for _, f := range tc.wantFields {
			if got[f] == "" {
				t.Errorf("%s: no detail for %s in %s", tc.name, f, r.body)
			}
		}
	}
	if r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("X-2"), "received_at", "2026-10-02T03:05:00+08:00")); r.status != 201 {
		t.Errorf("five minutes ahead is allowed: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("X-3"), "received_at", "2000-01-01T00:00:00+08:00")); r.status != 201 {
		t.Errorf("the earliest day itself is allowed: %d %s", r.status, r.body)
	}
	if got := e.caseCount(); got != before+2 {
		t.Errorf("refusals wrote cases: %d, want %d", got, before+2)
	}
}

func TestEvents(t *testing.T) {
	e := newEnv(t, "mysql")
	if r := e.do("POST", "/api/v1/cases", rwToken, caseBody("E-1")); r.status != 201 {
		t.Fatal(r.body)
	}
	post := func(body any) response { return e.do("POST", "/api/v1/cases/E-1/events", rwToken, body) }
	accept := map[string]any{"type": "accepted", "at": "2026-10-01T12:00:00+08:00"}
	for _, tc := range []struct {
		name       string
		body       any
		want       int
		wantInBody string
	}{
		{"accept", accept, 201, `"status":"accepted"`},
		{"retry of the same event", accept, 200, `"status":"accepted"`},
		{"accept again later", with(accept, "at", "2026-10-01T13:00:00+08:00"), 409, "current status accepted"},
		{"earlier than the last event", map[string]any{"type": "replied", "at": "2026-10-01T11:00:00+08:00"}, 409, "current status accepted"},
		{"extension too long", map[string]any{"type": "extended", "at": "2026-10-01T14:00:00+08:00", "days": 31}, 422, `"days"`},
		{"extension without days", map[string]any{"type": "extended", "at": "2026-10-01T14:00:00+08:00"}, 422, `"days"`},
		{"days on a reply", map[string]any{"type": "replied", "at": "2026-10-01T14:00:00+08:00", "days": 3}, 422, `"days"`},
		{"extend", map[string]any{"type": "extended", "at": "2026-10-01T14:00:00+08:00", "days": 30}, 201, `"deadline":"2026-12-31T00:00:00+08:00"`}, // 90 days from 1 October: 24:00 of 30 December
		{"extend twice", map[string]any{"type": "extended", "at": "2026-10-01T15:00:00+08:00", "days": 1}, 409, "already extended"},
		{"evaluate before reply", map[string]any{"type": "evaluated", "at": "2026-10-01T15:00:00+08:00", "result": "satisfied"}, 409, "current status accepted"},
		{"reassign to an unknown unit", map[string]any{"type": "reassigned", "at": "2026-10-01T15:00:00+08:00", "unit": "u9"}, 422, `"unit"`},
		{"unknown type", map[string]any{"type": "approved", "at": "2026-10-01T15:00:00+08:00"}, 422, `"type"`},
		{"event in the future", map[string]any{"type": "replied", "at": "2026-10-03T15:00:00+08:00"}, 422, `"at"`},
		{"reassign", map[string]any{"type": "reassigned", "at": "2026-10-01T15:00:00+08:00", "unit": "u2"}, 201, `"unit":"u2"`},
		{"supervision without a level", map[string]any{"type": "supervised", "at": "2026-10-01T15:30:00+08:00"}, 422, `"level"`},
		{"supervision by the city", map[string]any{"type": "supervised", "at": "2026-10-01T15:30:00+08:00", "level": "city"}, 201, `"supervision":"city"`},
		{"the county after the city", map[string]any{"type": "supervised", "at": "2026-10-01T15:40:00+08:00", "level": "county"}, 409, "already supervised at city level"},
		{"reply", map[string]any{"type": "replied", "at": "2026-10-01T16:00:00+08:00"}, 201, `"completed_stage":"handling"`},
		{"evaluate", map[string]any{"type": "evaluated", "at": "2026-10-01T17:00:00+08:00", "result": "basically_satisfied"}, 201, `"result":"basically_satisfied"`},
		{"retry of the evaluation", map[string]any{"type": "evaluated", "at": "2026-10-01T17:00:00+08:00", "result": "basically_satisfied"}, 200, `"result":"basically_satisfied"`},
		{"a second evaluation of the reply", map[string]any{"type": "evaluated", "at": "2026-10-01T18:00:00+08:00", "result": "satisfied"}, 409, "already evaluated"},
	} {
		r := post(tc.body)
		if r.status != tc.want || !strings.Contains(r.body, tc.wantInBody) {
			t.Errorf("%s: %d %s, want %d with %s", tc.name, r.status, r.body, tc.want, tc.wantInBody)
		}
	}
	if r := e.do("POST", "/api/v1/cases/E-404/events", rwToken, accept); r.status != 404 {
		t.Errorf("event on an unknown case: %d %s", r.status, r.body)
	}
	var got intake.CaseResponse
	e.do("GET", "/api/v1/cases/E-1", roToken, nil).json(t, &got)
	var types []string
	for _, ev := range got.Events {
		types = append(types, ev.Type)
	}
	if strings.Join(types, ",") != "accepted,extended,reassigned,supervised,replied,evaluated" || got.Status != "replied" ||
		got.Unit != "u2" || got.ReceivedUnit != "u1" || got.Stage != "" || got.Overdue {
		t.Errorf("history: %+v", got)
	}
}

func TestOverdueFlag(t *testing.T) {
	e := newEnv(t, "sqlite")
	if r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("O-1"), "received_at", "2026-09-10T10:00:00+08:00")); r.status != 201 {
		t.Fatal(r.body)
	}
	var got intake.CaseResponse
	e.do("GET", "/api/v1/cases/O-1", roToken, nil).json(t, &got)
	// the 15th day, 25 September, is Mid-Autumn (25-27): the period ends at 24:00 of Monday the 28th
	if !got.Overdue || got.DueSoon || got.Deadline != "2026-09-29T00:00:00+08:00" || got.RolledFrom != "2026-09-26T00:00:00+08:00" {
		t.Errorf("case past its acceptance deadline: %+v", got)
	}
}

func TestUnitsAndCategories(t *testing.T) {
	e := newEnv(t, "mysql")
	if r := e.do("PUT", "/api/v1/units/u3", rwToken, map[string]string{"name": "三镇", "kind": "township"}); r.status != 200 {
		t.Errorf("put unit: %d %s", r.status, r.body)
	}
	if r := e.do("PUT", "/api/v1/units/u3", rwToken, map[string]string{"name": "三镇（新）", "kind": "township"}); r.status != 200 {
		t.Errorf("rename unit: %d %s", r.status, r.body)
	}
	var units []map[string]string
	e.do("GET", "/api/v1/units", roToken, nil).json(t, &units)
	if len(units) != 3 || units[2]["name"] != "三镇（新）" || units[2]["kind"] != "township" {
		t.Errorf("units: %v", units)
	}
	for _, tc := range []struct {
		path   string
		body   any
		fields []string
	}{
		{"/api/v1/units/u4", map[string]string{"name": "", "kind": "village"}, []string{"name", "kind"}},
		{"/api/v1/units/bad%20code", map[string]string{"name": "x", "kind": "township"}, []string{"code"}},
		{"/api/v1/categories/petition", map[string]string{"name": " "}, []string{"name"}},
		{"/api/v1/units/u5", map[string]string{"name": strings.Repeat("镇", 101), "kind": "township"}, []string{"name"}}, // 101 characters
		// names are free text: no phone or ID number, no control characters
		{"/api/v1/units/u7", map[string]string{"name": "五镇 13800138000", "kind": "township"}, []string{"name"}},
		{"/api/v1/categories/c7", map[string]string{"name": "征地\u202e"}, []string{"name"}},
	} {
		r := e.do("PUT", tc.path, rwToken, tc.body)
		got := details(t, r)
		for _, f := range tc.fields {
			if r.status != 422 || got[f] == "" {
				t.Errorf("PUT %s: %d %s, want 422 naming %s", tc.path, r.status, r.body, f)
			}
		}
	}
	if r := e.do("PUT", "/api/v1/units/u6", rwToken, map[string]string{"name": strings.Repeat("镇", 100), "kind": "township"}); r.status != 200 {
		t.Errorf("a name of 100 characters: %d %s", r.status, r.body)
	}
	if r := e.do("PUT", "/api/v1/categories/pollution", rwToken, map[string]string{"name": "环境污染"}); r.status != 200 {
		t.Errorf("put category: %d %s", r.status, r.body)
	}
	var cats []map[string]string
	e.do("GET", "/api/v1/categories", roToken, nil).json(t, &cats)
	if len(cats) != 8 { // the 7 defaults of a fresh database and pollution
		t.Errorf("categories: %v", cats)
	}
	if r := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("N-1"), "unit", "u3", "category", "pollution")); r.status != 201 {
		t.Errorf("a case in the new unit and category: %d %s", r.status, r.body)
	}
}

// TestTourOnAFreshDatabase is the README's tour: on a fresh database, create
// the unit, then post a case in a default category.
func TestTourOnAFreshDatabase(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnvOn(t, storetest.Open(t, dialect))
			if r := e.do("PUT", "/api/v1/units/qingshan", rwToken, map[string]string{"name": "青山镇", "kind": "township"}); r.status != 200 {
				t.Fatalf("put unit: %d %s", r.status, r.body)
			}
			body := map[string]any{"case_no": "2026-0001", "received_at": "2026-10-02T03:00:00+08:00", "channel": "visit",
				"category": "land_requisition", "unit": "qingshan", "persons": 12, "level": "county", "petitioner_id": "110101199001011234"}
			if r := e.do("POST", "/api/v1/cases", rwToken, body); r.status != 201 {
				t.Fatalf("post case: %d %s", r.status, r.body)
			}
			var got intake.CaseResponse
			e.do("GET", "/api/v1/cases/2026-0001", roToken, nil).json(t, &got)
			if !got.Collective || got.Status != "received" {
				t.Errorf("the tour's case: %+v", got)
			}
			// step 4: a matter, a case naming it, the unit's worklist
			if r := e.do("PUT", "/api/v1/matters/chengdong", rwToken, map[string]string{"name": "城东棚户区改造项目", "unit": "qingshan",
				"category": "demolition_relocation"}); r.status != 200 {
				t.Fatalf("put matter: %d %s", r.status, r.body)
			}
			body = map[string]any{"case_no": "2026-0002", "received_at": "2026-10-02T03:00:00+08:00", "channel": "letter",
				"category": "demolition_relocation", "unit": "qingshan", "persons": 1, "level": "county", "petitioner_id": "110101199202022345",
				"matter": "chengdong"}
			if r := e.do("POST", "/api/v1/cases", rwToken, body); r.status != 201 {
				t.Fatalf("post a case naming the matter: %d %s", r.status, r.body)
			}
			if r := e.do("GET", "/api/v1/units/qingshan/worklist", roToken, nil); r.status != 200 || !strings.Contains(r.body, `"case_no":"2026-0002"`) {
				t.Errorf("the worklist: %d %s", r.status, r.body)
			}
		})
	}
}

// Units and categories were created without end, each multiplying the
// exported series: past max_units and max_categories a create is 422, a
// rename still taken, and nothing is written.
func TestUnitAndCategoryCaps(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			e := newEnv(t, d) // two units, the 7 default categories
			e.cfg.MaxUnits, e.cfg.MaxCategories = 3, 8
			for _, tc := range []struct {
				path, body string
				want       int
			}{
				{"/api/v1/units/u3", `{"name":"三镇","kind":"township"}`, 200},
				{"/api/v1/units/u4", `{"name":"四镇","kind":"township"}`, 422},
				{"/api/v1/units/u3", `{"name":"三镇（新）","kind":"township"}`, 200},
				{"/api/v1/categories/c8", `{"name":"八"}`, 200},
				{"/api/v1/categories/c9", `{"name":"九"}`, 422},
				{"/api/v1/categories/c8", `{"name":"八（新）"}`, 200},
			} {
				r := e.do("PUT", tc.path, rwToken, tc.body)
				if r.status != tc.want {
					t.Errorf("PUT %s: %d %s, want %d", tc.path, r.status, r.body, tc.want)
				}
				if tc.want == 422 && !strings.Contains(details(t, r)["code"], "at most") {
					t.Errorf("PUT %s: %s, want a problem with code naming the limit", tc.path, r.body)
				}
			}
			units, err := e.store.Units(context.Background())
			if err != nil || len(units) != 3 {
				t.Errorf("%d units (%v), want 3", len(units), err)
			}
			cats, err := e.store.Categories(context.Background())
			if err != nil || len(cats) != 8 {
				t.Errorf("%d categories (%v), want 8", len(cats), err)
			}
		})
	}
}
