package intake_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// slowPost starts a POST whose body never ends (a byte sent, then
// nothing), as a township on a bad link or a slow-body attack sends it; the
// returned channel gives its status once the server answers.
func slowPost(t *testing.T, e *env, path, token string) (<-chan int, *io.PipeWriter) {
	t.Helper()
	body, feed := io.Pipe()
	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", e.srv.URL+path, body)
		req.Header.Set("Authorization", "Bearer "+token)
		req.ContentLength = 100
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	if _, err := feed.Write([]byte("{")); err != nil {
		t.Fatal(err)
	}
	return done, feed
}

// TestOneCredentialCannotStarve: with 4 slots, at most 2 a credential and
// one kept for reads, a credential whose two requests trickle in holds
// only its own two: its third is 503, another credential still writes and
// reads; with the writes' three slots taken, a read still gets the fourth.
// A body slower than api_body_read_timeout is cut off and frees its slot.
func TestOneCredentialCannotStarve(t *testing.T) {
	e, tok := scopeEnvWith(t, "sqlite", map[string]string{"RISKMON_API_MAX_IN_FLIGHT": "4",
		"RISKMON_API_MAX_IN_FLIGHT_PER_CREDENTIAL": "2", "RISKMON_API_BODY_READ_TIMEOUT": "500ms"})
	admitted := make(chan int, 100)
	e.api.InFlight = func(d int) { admitted <- d }
	held := func(n int) { // wait until n more requests hold a slot
		t.Helper()
		for n > 0 {
			if <-admitted > 0 {
				n--
			}
		}
	}
	slow1, feed1 := slowPost(t, e, "/api/v1/cases", tok["clerk-u1"])
	slow2, feed2 := slowPost(t, e, "/api/v1/cases", tok["clerk-u1"])
	defer feed1.Close()
	defer feed2.Close()
	held(2)
	if got := e.do("POST", "/api/v1/cases", tok["clerk-u1"], with(caseBody("F-1"), "unit", "u1")); got.status != 503 || !strings.Contains(got.body, "this credential") {
		t.Errorf("the slow credential's third request: %d %s, want 503 naming the credential", got.status, got.body)
	}
	if got := e.do("POST", "/api/v1/cases", tok["clerk-u2"], with(caseBody("F-2"), "unit", "u2")); got.status != 201 {
		t.Errorf("another credential's write: %d %s, want 201", got.status, got.body)
	}
	held(1)
	if got := e.do("GET", "/api/v1/units", tok["reader-u1"], nil); got.status != 200 {
		t.Errorf("a read: %d %s, want 200", got.status, got.body)
	}
	held(1)
	slow3, feed3 := slowPost(t, e, "/api/v1/cases", tok["clerk-u2"])
	defer feed3.Close()
	held(1)
	if got := e.do("POST", "/api/v1/cases", rwToken, with(caseBody("F-3"), "unit", "u1")); got.status != 503 {
		t.Errorf("a fourth write: %d %s, want 503 (the last slot is the reads')", got.status, got.body)
	}
	if got := e.do("GET", "/api/v1/units", rwToken, nil); got.status != 200 {
		t.Errorf("a read with three writes in flight: %d %s, want 200", got.status, got.body)
	}
	held(1)
	for i, done := range []<-chan int{slow1, slow2, slow3} {
		select {
		case code := <-done:
			if code != 400 && code != 0 {
				t.Errorf("slow request %d: %d, want cut off (400, or the connection closed)", i+1, code)
			}
		case <-time.After(30 * time.Second): // the test's own bound, not a synchronisation
			t.Fatalf("slow request %d was not cut off", i+1)
		}
	}
	if got := e.do("POST", "/api/v1/cases", tok["clerk-u1"], with(caseBody("F-4"), "unit", "u1")); got.status != 201 {
		t.Errorf("once the slow bodies were cut off: %d %s, want 201", got.status, got.body)
	}
}

// A reporter or reader credential makes api_rate requests a second in
// bursts of api_burst; past it 429 with Retry-After, until its bucket
// refills. The bureau's case system is not rate-limited.
func TestCredentialRateLimit(t *testing.T) {
	e, tok := scopeEnvWith(t, "sqlite", map[string]string{"RISKMON_API_RATE": "0.5", "RISKMON_API_BURST": "2"})
	for i := range 2 {
		if got := e.do("GET", "/api/v1/units", tok["reader-u1"], nil); got.status != 200 {
			t.Fatalf("request %d: %d", i+1, got.status)
		}
	}
	got := e.do("GET", "/api/v1/units", tok["reader-u1"], nil)
	if got.status != 429 || got.header.Get("Retry-After") != "2" {
		t.Errorf("past the burst: %d, Retry-After %q; want 429 and 2", got.status, got.header.Get("Retry-After"))
	}
	if got := e.do("GET", "/api/v1/units", tok["clerk-u1"], nil); got.status != 200 {
		t.Errorf("another credential: %d, want 200 (buckets are a credential's own)", got.status)
	}
	for i := range 10 {
		if got := e.do("GET", "/api/v1/units", rwToken, nil); got.status != 200 {
			t.Errorf("the bureau's request %d: %d, want 200", i+1, got.status)
		}
	}
	e.clk.t = e.clk.t.Add(2 * time.Second)
	if got := e.do("GET", "/api/v1/units", tok["reader-u1"], nil); got.status != 200 {
		t.Errorf("after Retry-After: %d, want 200", got.status)
	}
}
