package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// A guesser's failed authentications are counted, each, and logged once a
// minute per address, not once a request: 200 wrong tokens within a minute
// make one access-log line, for the first 401, and one warning that the
// address is throttled.
func TestFailedAuthenticationLoggedOnce(t *testing.T) {
	var logs bytes.Buffer
	srv := logServer(t, map[string]string{"RISKMON_API_TOKEN": testToken, "RISKMON_PETITIONER_KEY": "a-key-of-sixteen-bytes"}, &logs)
	codes := map[int]int{}
	for range 200 {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/units", nil)
		req.Header.Set("Authorization", "Bearer wrong-token-0123456789")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes[resp.StatusCode]++
	}
	if codes[401] != 20 || codes[429] != 180 {
		t.Errorf("answers %v, want 20 × 401 and 180 × 429", codes)
	}
	lines := strings.Count(logs.String(), "/api/v1/units")
	if lines != 1 || strings.Count(logs.String(), "throttled") != 1 {
		t.Errorf("%d access-log lines and %d throttle warnings for 200 failures, want 1 and 1:\n%s", lines, strings.Count(logs.String(), "throttled"), logs.String())
	}
	_, body := get(t, srv.URL+"/metrics")
	for _, want := range []string{`petition_http_auth_failures_total{outcome="refused"} 20`, `petition_http_auth_failures_total{outcome="throttled"} 180`} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
