package portal_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"riskmon/access"
	"riskmon/config"
	"riskmon/portal"
)

// browser is a client with a cookie jar that does not follow redirects, so
// that a test sees where a page sends it.
type browser struct {
	t    *testing.T
	jar  http.CookieJar
	http *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, jar: jar, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// do sends a GET (form nil) or a POST to base+path, and returns the status
// and, for a redirect, where to.
func (b *browser) do(base, path string, form url.Values) (int, string) {
	b.t.Helper()
	var resp *http.Response
	var err error
	if form == nil {
		resp, err = b.http.Get(base + path)
	} else {
		resp, err = b.http.PostForm(base+path, form)
	}
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// cookie is the session cookie's value the browser holds for base.
func (b *browser) cookie(base string) string {
	u, _ := url.Parse(base + "/portal/")
	for _, c := range b.jar.Cookies(u) {
		if c.Name == "riskmon_portal" {
			return c.Value
		}
	}
	return ""
}

// TestSessionOnEveryReplica: a session begun on one replica (or before a
// restart) is known to another, its CSRF token too; it ends after
// IdleTimeout unused or MaxAge in all, on every replica; sign-out on one
// ends it on the other; the database holds no cookie.
func TestSessionOnEveryReplica(t *testing.T) {
	a, s, _, tok, clk, api := countyAt(t)
	b := replica(t, api)
	br := newBrowser(t)
	if code, to := br.do(a.URL, "/portal/signin", url.Values{"token": {tok}}); code != http.StatusSeeOther || to != "/portal/" {
		t.Fatalf("sign in on a: %d to %q", code, to)
	}
	id := br.cookie(a.URL)
	// the jar holds cookies by host: both replicas are 127.0.0.1, as behind
	// one load balancer's address
	if br.cookie(b.URL) != id || id == "" {
		t.Fatal("the test's replicas do not share the browser's cookie")
	}
	if code, _ := br.do(b.URL, "/portal/units/u1", nil); code != http.StatusOK {
		t.Errorf("the unit's page on b: %d, want 200", code)
	}
	var stored int
	if err := s.DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM portal_sessions WHERE id_hash = ? OR credential <> 'zhen-a-clerk'", id).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 0 {
		t.Error("the database holds the cookie's value")
	}
	csrf := csrfOn(t, b.URL, br)
	if code, _ := br.do(a.URL, "/portal/units/u1/report", url.Values{"disputes_found": {"0"}, "csrf": {csrf}}); code != http.StatusSeeOther {
		t.Errorf("a report on a with the token b's page gave: %d, want 303", code)
	}

	// used every 29 minutes it lives; the first page after 30 idle ends it
	for i := range 3 {
		clk.t = clk.t.Add(portal.IdleTimeout - time.Minute)
		if code, _ := br.do([]string{a.URL, b.URL}[i%2], "/portal/units/u1", nil); code != http.StatusOK {
			t.Fatalf("after %d× 29 minutes: %d, want 200", i+1, code)
		}
	}
	clk.t = clk.t.Add(portal.IdleTimeout + time.Second)
	if code, to := br.do(b.URL, "/portal/units/u1", nil); code != http.StatusSeeOther || !strings.Contains(to, "expired=1") {
		t.Errorf("after 30 minutes idle: %d to %q, want the sign-in page, expired", code, to)
	}
	if code, _ := br.do(a.URL, "/portal/units/u1", nil); code != http.StatusSeeOther {
		t.Errorf("after 30 minutes idle, on a: %d, want a redirect", code)
	}

	// at most MaxAge, however busy
	br.do(a.URL, "/portal/signin", url.Values{"token": {tok}})
	began := clk.t
	for clk.t.Sub(began) < portal.MaxAge-20*time.Minute {
		clk.t = clk.t.Add(20 * time.Minute)
		if code, _ := br.do(b.URL, "/portal/units/u1", nil); code != http.StatusOK {
			t.Fatalf("%s after sign-in: %d, want 200", clk.t.Sub(began), code)
		}
	}
	clk.t = began.Add(portal.MaxAge + time.Second)
	if code, to := br.do(a.URL, "/portal/units/u1", nil); code != http.StatusSeeOther || !strings.Contains(to, "expired=1") {
		t.Errorf("past %s: %d to %q, want the sign-in page, expired", portal.MaxAge, code, to)
	}

	// sign-out on one replica ends the session on the other
	br.do(a.URL, "/portal/signin", url.Values{"token": {tok}})
	if code, _ := br.do(b.URL, "/portal/signout", url.Values{"csrf": {csrfOn(t, b.URL, br)}}); code != http.StatusSeeOther {
		t.Fatalf("sign out on b: %d", code)
	}
	if code, _ := br.do(a.URL, "/portal/units/u1", nil); code != http.StatusSeeOther {
		t.Errorf("after sign-out on b, a's page: %d, want a redirect", code)
	}
	if err := s.DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM portal_sessions").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 0 {
		t.Errorf("%d sessions stored after the last ended, want 0", stored)
	}
	// a session left unused (the browser closed) is pruned at a later sign-in
	br.do(a.URL, "/portal/signin", url.Values{"token": {tok}})
	clk.t = clk.t.Add(portal.IdleTimeout + time.Second)
	newBrowser(t).do(b.URL, "/portal/signin", url.Values{"token": {tok}})
	if err := s.DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM portal_sessions").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 1 {
		t.Errorf("%d sessions stored after an idle one and a new sign-in, want the new one", stored)
	}
}

// csrfOn reads the CSRF token of the unit's page on base.
func csrfOn(t *testing.T, base string, br *browser) string {
	t.Helper()
	resp, err := br.http.Get(base + "/portal/units/u1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	page := sb.String()
	const mark = `name="csrf" value="`
	i := strings.Index(page, mark)
	if i < 0 {
		t.Fatalf("no csrf token on the page (%d)", resp.StatusCode)
	}
	v := page[i+len(mark):]
	return v[:strings.Index(v, `"`)]
}

// TestPortalUnderTheCredentialsLimits: the portal's pages count against the
// credential's api_rate with its API requests, one bucket for both, so that
// a session is no way around the limit.
func TestPortalUnderTheCredentialsLimits(t *testing.T) {
	srv, _, col, tok, _, _ := countyAt(t)
	br := newBrowser(t)
	br.do(srv.URL, "/portal/signin", url.Values{"token": {tok}})
	for i := range col.Config().APIBurst - 1 { // the clock stands still: nothing refills
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/units", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("API request %d: %d", i+1, resp.StatusCode)
		}
	}
	if code, _ := br.do(srv.URL, "/portal/units/u1", nil); code != http.StatusOK {
		t.Fatalf("the last request of the burst, a page: %d, want 200", code)
	}
	resp, err := br.http.Get(srv.URL + "/portal/units/u1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a page past the credential's burst: %d, Retry-After %q; want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// TestSessionEndsWithItsCredential: a session whose credential a reload
// removed ends at its next page, and its row goes.
func TestSessionEndsWithItsCredential(t *testing.T) {
	srv, s, col, tok, _, _ := countyAt(t)
	br := newBrowser(t)
	br.do(srv.URL, "/portal/signin", url.Values{"token": {tok}})
	if code, _ := br.do(srv.URL, "/portal/units/u1", nil); code != http.StatusOK {
		t.Fatalf("before the reload: %d", code)
	}
	// the reloaded file holds another credential only
	_, h, err := access.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	creds := filepath.Join(t.TempDir(), "credentials.yml")
	line := access.Credential{Name: "bureau-desk", Role: access.RoleBureau, Hash: h}.Line()
	if err := os.WriteFile(creds, []byte("credentials:\n"+line+"\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Source{Env: map[string]string{"RISKMON_PETITIONER_KEY": "portal-test-key-0123456789", "RISKMON_CREDENTIALS_FILE": creds}})
	if err != nil {
		t.Fatal(err)
	}
	col.SetConfig(cfg)
	if code, to := br.do(srv.URL, "/portal/units/u1", nil); code != http.StatusSeeOther || !strings.Contains(to, "expired=1") {
		t.Errorf("after the reload: %d to %q, want the sign-in page, expired", code, to)
	}
	var stored int
	if err := s.DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM portal_sessions").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 0 {
		t.Errorf("%d sessions stored after their credential went, want 0", stored)
	}
}
