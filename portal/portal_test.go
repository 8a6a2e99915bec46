package portal_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/labstack/echo/v4"

	"riskmon/access"
	"riskmon/collector"
	"riskmon/config"
	"riskmon/intake"
	"riskmon/portal"
	"riskmon/store"
	"riskmon/store/storetest"
	"riskmon/systemtest"
)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// county serves the API and the portal over a database with two units, at
// 2026-10-02 10:00 Beijing time in a sensitive period, with a reporter
// credential for u1 ("zhen-a-clerk"); it returns the server, the store, the
// collector and the clerk's token.
func county(t *testing.T) (*httptest.Server, *store.Store, *collector.Collector, string) {
	t.Helper()
	srv, s, col, tok, _, _ := countyAt(t)
	return srv, s, col, tok
}

// countyAt is county, with its clock and its API for another replica.
func countyAt(t *testing.T) (*httptest.Server, *store.Store, *collector.Collector, string, *clock, *intake.API) {
	t.Helper()
	s := storetest.Open(t, "sqlite")
	storetest.PutTwoUnits(t, s)
	tok, h, err := access.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	creds := filepath.Join(t.TempDir(), "credentials.yml")
	line := access.Credential{Name: "zhen-a-clerk", Role: access.RoleReporter, Units: []string{"u1"}, Hash: h}.Line()
	if err := os.WriteFile(creds, []byte("credentials:\n"+line+"\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(t.TempDir(), "riskmon.yml")
	if err := os.WriteFile(cfgFile, []byte("sensitive_periods:\n  - {name: national_day, start: 2026-10-01, end: 2026-10-07}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Source{File: cfgFile, Env: map[string]string{"RISKMON_PETITIONER_KEY": "portal-test-key-0123456789", "RISKMON_CREDENTIALS_FILE": creds}})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 10, 2, 2, 0, 0, 0, time.UTC)}
	col := collector.New(s, cfg, clk.Now, collector.BuildInfo{})
	api := &intake.API{Store: s, Config: col.Config, Now: clk.Now, Logger: slog.New(slog.DiscardHandler)}
	return replica(t, api), s, col, tok, clk, api
}

// replica serves api and a portal of its own, as one replica (or one run of
// the process) does.
func replica(t *testing.T, api *intake.API) *httptest.Server {
	e := echo.New()
	api.Register(e)
	portal.New(api).Register(e)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

// pageWait is how long a browser test waits for a page before asking for
// it once more: the server answers within 10 s.
const pageWait = 30 * time.Second

// TestZeroReportInTheBrowser: a township clerk signs in with the token in a
// real browser, opens the unit, sends a zero report with one button, sees it
// as sent, and the metrics count it; the clerk's session cannot open
// another unit's page; screenshots of each page at 1366×768 are left in
// $RISKMON_SCREENSHOTS when set.
func TestZeroReportInTheBrowser(t *testing.T) {
	srv, st, col, tok := county(t)
	ctx := systemtest.Browser(t)
	shots := os.Getenv("RISKMON_SCREENSHOTS")
	shoot := func(name string) {
		t.Helper()
		if shots == "" {
			return
		}
		b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, "portal-"+name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// visit opens url and waits for sel. A page that does not come is asked
	// for once more: twice under CI's load (2026-12-06) a page never came
	// within the browser's two minutes, the cause not found, while the
	// server answers every request within its queries' 10 s, so a server
	// that hangs still fails both tries.
	visit := func(what, url, sel string) {
		t.Helper()
		for try := 1; ; try++ {
			tctx, cancel := context.WithTimeout(ctx, pageWait)
			err := chromedp.Do(tctx, chromedp.Navigate(url), chromedp.WaitVisible(sel))
			cancel()
			if err == nil {
				return
			}
			if try == 2 || ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("%s: %v", what, err)
			}
			t.Logf("%s: no page in %s; asked once more", what, pageWait)
			// the load still pending would abort the next (net::ERR_ABORTED)
			if err := chromedp.Do(ctx, chromedp.Stop()); err != nil {
				t.Fatalf("%s: stop the page that never came: %v", what, err)
			}
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	do("the viewport", chromedp.EmulateViewport(1366, 768))
	visit("open the sign-in page", srv.URL+"/portal/", "#token")
	shoot("signin")
	do("a wrong token", chromedp.SendKeys("#token", "rmt_not-the-token"), chromedp.Click("#signin"), chromedp.WaitVisible("#error"))
	if got := text("#error"); !strings.Contains(got, "令牌无效") {
		t.Errorf("a wrong token: %q", got)
	}
	do("sign in", chromedp.SetValue("#token", tok), chromedp.Click("#signin"), chromedp.WaitVisible(".units"))
	shoot("home")
	if got := text(".units"); !strings.Contains(got, "一镇") || strings.Contains(got, "二局") {
		t.Errorf("the clerk's units: %q, want 一镇 alone", got)
	}
	do("open the unit", chromedp.Click(".units a"), chromedp.WaitVisible("#zero-report"))
	if got := text("#banner"); !strings.Contains(got, "17:00") {
		t.Errorf("the sensitive period's banner: %q, want the cut-off", got)
	}
	if got := text("#status"); !strings.Contains(got, "尚未报送") {
		t.Errorf("before the report: %q", got)
	}
	shoot("today")
	do("send a zero report", chromedp.Click("#zero-report"), chromedp.WaitVisible("#saved"))
	if got := text("#status"); !strings.Contains(got, "发现矛盾纠纷 0 件") {
		t.Errorf("after the zero report: %q", got)
	}
	shoot("sent")
	// a remark with a phone number is refused next to the field, and nothing changes
	do("a remark with a phone number", chromedp.SetValue("#disputes_found", "2"), chromedp.SetValue("#remark", "张三 13800138000 反映"),
		chromedp.Click("#send"), chromedp.WaitVisible("#problem-remark"))
	shoot("refused")
	if got := text("#problem-remark"); !strings.Contains(got, "疑似身份证号或电话号码") {
		t.Errorf("the remark's problem: %q, want it in Chinese", got)
	}
	if got := text("#status"); !strings.Contains(got, "发现矛盾纠纷 0 件") {
		t.Errorf("after the refused report: %q", got)
	}
	if err := col.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	col.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	midnight := time.Date(2026, 10, 2, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)).Unix()
	if want := fmt.Sprintf(`petition_unit_report_last_timestamp_seconds{unit="u1"} %s`, strconv.FormatFloat(float64(midnight), 'g', -1, 64)); !strings.Contains(rec.Body.String(), want) {
		t.Errorf("the metrics lack %s", want)
	}
	// the register: a dispute found now, high risk, no leader yet; then its
	// inspection
	visit("open the register", srv.URL+"/portal/units/u1/register", "#new-dispute")
	do("register a dispute", chromedp.SetValue("#dispute_no", "ZA-2026-001"), chromedp.SetValue("#risk", "high"),
		chromedp.SetValue("#persons_estimate", "30"), chromedp.Click("#register-dispute"), chromedp.WaitVisible("#disputes"))
	if got := text("#disputes"); !strings.Contains(got, "ZA-2026-001") || !strings.Contains(got, "红（高）") || !strings.Contains(got, "包案领导") {
		t.Errorf("the register after registering: %q, want the dispute, high (red), missing its leader", got)
	}
	shoot("register")
	// the page again without its note of the registration, so that the
	// note waited for next is the inspection's
	visit("open the register again", srv.URL+"/portal/units/u1/register", "#disputes")
	do("record its inspection", chromedp.Click("#disputes .steps button"), chromedp.WaitVisible("#saved"))
	v, err := st.Dispute(context.Background(), "ZA-2026-001")
	if err != nil {
		t.Fatal(err)
	}
	if v.Found.Unit != "u1" || v.Found.Risk != "high" || v.Found.PersonsEstimate != 30 || v.RecordedBy != "zhen-a-clerk" ||
		len(v.Events) != 1 || v.Events[0].Event.Type != "inspected" || v.Events[0].RecordedBy != "zhen-a-clerk" {
		t.Errorf("the dispute as stored: %+v", v)
	}
	visit("the worklist", srv.URL+"/portal/units/u1/worklist", "h1")
	shoot("worklist")
	visit("another unit's page", srv.URL+"/portal/units/u2", "#forbidden")
	visit("another unit's register", srv.URL+"/portal/units/u2/register", "#forbidden")
}

// Another unit's pages are 403 to a reporter; a form without its CSRF
// token, or with another, is refused and writes nothing; signed out, the
// session is gone.
func TestPortalRefusals(t *testing.T) {
	srv, s, _, tok := county(t)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	post := func(path string, form url.Values) int {
		t.Helper()
		resp, err := client.PostForm(srv.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	if code := post("/portal/signin", url.Values{"token": {tok}}); code != 200 {
		t.Fatalf("sign in: %d", code)
	}
	code, page := get("/portal/units/u1")
	if code != 200 {
		t.Fatalf("the clerk's unit: %d", code)
	}
	csrf := page[strings.Index(page, `name="csrf" value="`)+len(`name="csrf" value="`):]
	csrf = csrf[:strings.Index(csrf, `"`)]
	if code, _ := get("/portal/units/u2"); code != 403 {
		t.Errorf("another unit's page: %d, want 403", code)
	}
	reports := func() int {
		t.Helper()
		rs, err := s.Reports(context.Background(), "u1", 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	for _, form := range []url.Values{
		{"disputes_found": {"0"}},
		{"disputes_found": {"0"}, "csrf": {"not-the-token"}},
	} {
		if code := post("/portal/units/u1/report", form); code != 403 || reports() != 0 {
			t.Errorf("a form with csrf %q: %d, %d reports; want 403 and none", form.Get("csrf"), code, reports())
		}
	}
	if code := post("/portal/units/u2/report", url.Values{"disputes_found": {"0"}, "csrf": {csrf}}); code != 403 {
		t.Errorf("another unit's report: %d, want 403", code)
	}
	if code := post("/portal/units/u1/report", url.Values{"disputes_found": {"0"}, "csrf": {csrf}}); code != 200 || reports() != 1 {
		t.Errorf("the clerk's report: %d, %d reports; want 200 (after the redirect) and 1", code, reports())
	}
	if code := post("/portal/signout", url.Values{"csrf": {csrf}}); code != 200 {
		t.Errorf("sign out: %d", code)
	}
	if code, page := get("/portal/units/u1"); code != 200 || !strings.Contains(page, `id="token"`) {
		t.Errorf("after signing out: %d, want the sign-in page", code)
	}
	// guessing tokens at the sign-in page: the API's throttle by address
	// (20 failures a minute) locks the address out, the right token too
	for i := range 20 {
		if code := post("/portal/signin", url.Values{"token": {fmt.Sprintf("rmt_guess-%d", i)}}); code != 401 {
			t.Fatalf("wrong token %d: %d, want 401", i+1, code)
		}
	}
	if code := post("/portal/signin", url.Values{"token": {tok}}); code != 429 {
		t.Errorf("the right token after 20 failures: %d, want 429", code)
	}
}
