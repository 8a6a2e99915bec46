package intake_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Failed authentication is throttled by address: auth_failures_per_minute
// (20) failures pass as 401, the next request is 429 with Retry-After, a
// valid token included, until the bucket refills (one try every 3 s).
func TestAuthFailuresThrottled(t *testing.T) {
	e := newEnv(t, "sqlite")
	var refused, throttled int
	e.api.AuthFailed = func(th bool) {
		if th {
			throttled++
		} else {
			refused++
		}
	}
	for i := range 20 {
		if got := e.do("GET", "/api/v1/units", "not-the-token-at-all", nil); got.status != 401 {
			t.Fatalf("failure %d: %d, want 401", i+1, got.status)
		}
	}
	for _, tok := range []string{"not-the-token-at-all", roToken} {
		got := e.do("GET", "/api/v1/units", tok, nil)
		if got.status != 429 || got.header.Get("Retry-After") != "3" {
			t.Errorf("past the limit: %d, Retry-After %q; want 429 and 3", got.status, got.header.Get("Retry-After"))
		}
	}
	e.clk.t = e.clk.t.Add(3 * time.Second)
	if got := e.do("GET", "/api/v1/units", roToken, nil); got.status != 200 {
		t.Errorf("after Retry-After: %d, want 200", got.status)
	}
	if got := e.do("GET", "/api/v1/units", "not-the-token-at-all", nil); got.status != 401 {
		t.Errorf("one more try after 3 s: %d, want 401", got.status)
	}
	if got := e.do("GET", "/api/v1/units", "not-the-token-at-all", nil); got.status != 429 {
		t.Errorf("and then: %d, want 429", got.status)
	}
	if refused != 21 || throttled != 3 {
		t.Errorf("counted %d refused and %d throttled, want 21 and 3", refused, throttled)
	}
	e.clk.t = e.clk.t.Add(time.Minute)
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/units", nil)
	req.Header.Set("Authorization", "Bearer "+roToken)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("a minute on: %v %v, want 200", resp, err)
	}
	if strings.Contains(e.logs.String(), "not-the-token-at-all") {
		t.Error("a presented token reached the log")
	}
}
