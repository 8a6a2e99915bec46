package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const testToken = "test-token-0123456789"

func post(t *testing.T, url string, body io.Reader) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// With api_max_in_flight 1, a second request while the first is being
// served gets 503 at once, with Retry-After, instead of waiting its turn.
func TestIntakeConcurrencyBound(t *testing.T) {
	var logs bytes.Buffer
	srv := logServer(t, map[string]string{"RISKMON_API_MAX_IN_FLIGHT": "1", "RISKMON_API_TOKEN": testToken,
		"RISKMON_PETITIONER_KEY": "a-key-of-sixteen-bytes"}, &logs)
	// The first request holds the one slot while its body trickles in. A
	// probe sent before the server has the first request finds the slot free
	// (and is refused for its body, 422); one that still holds the slot when
	// the first arrives turns the first away (503), and then the attempt
	// starts over. Once the first holds it, a probe is 503 at once.
	for attempt := 1; ; attempt++ {
		body, feed := io.Pipe()
		first := make(chan int, 1)
		go func() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/cases", body)
			req.Header.Set("Authorization", "Bearer "+testToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				first <- 0
				return
			}
			resp.Body.Close()
			first <- resp.StatusCode
		}()
		if _, err := feed.Write([]byte("{")); err != nil {
			t.Fatal(err)
		}
		var resp *http.Response
		turnedAway := false
		for deadline := time.Now().Add(10 * time.Second); ; {
			resp = post(t, srv.URL+"/api/v1/cases", strings.NewReader("{}"))
			if resp.StatusCode != http.StatusUnprocessableEntity || time.Now().After(deadline) {
				break
			}
			select {
			case code := <-first:
				if code != http.StatusServiceUnavailable {
					t.Fatalf("the first request ended with %d while its body was still open", code)
				}
				turnedAway = true
			default:
			}
			if turnedAway {
				break
			}
		}
		if turnedAway && attempt < 20 {
			feed.Close()
			continue
		}
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("a request over the bound: %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		feed.Close()
		if code := <-first; code != http.StatusBadRequest {
			t.Errorf("the first request (a broken body) = %d, want 400", code)
		}
		break
	}
	if resp := post(t, srv.URL+"/api/v1/cases", strings.NewReader("{")); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("after the first finished: %d, want its slot free again (400 for the body)", resp.StatusCode)
	}
}

// Requests are counted by route pattern and status code: a case number or a
// scan of random paths is no label.
func TestRequestMetrics(t *testing.T) {
	var logs bytes.Buffer
	srv := logServer(t, map[string]string{"RISKMON_API_TOKEN": testToken, "RISKMON_PETITIONER_KEY": "a-key-of-sixteen-bytes"}, &logs)
	get(t, srv.URL+"/healthz")
	get(t, srv.URL+"/healthz")
	get(t, srv.URL+"/no/such/path-1")
	get(t, srv.URL+"/no/such/path-2")
	post(t, srv.URL+"/api/v1/cases/SECRET-CASE-NO/events", strings.NewReader("{"))
	for _, m := range []string{"BREW", "brew-2"} { // a client's own methods add no series
		req, err := http.NewRequest(m, srv.URL+"/healthz", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	_, body := get(t, srv.URL+"/metrics")
	for _, want := range []string{
		`petition_http_requests_total{code="200",method="get",route="/healthz"} 2`,
		`petition_http_requests_total{code="404",method="get",route="unmatched"} 2`,
		`petition_http_requests_total{code="400",method="post",route="/api/v1/cases/:case_no/events"} 1`,
		`petition_http_requests_total{code="405",method="other",route="/healthz"} 2`,
		`petition_http_request_duration_seconds_count{route="/healthz"} 4`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, never := range []string{"SECRET-CASE-NO", "path-1", "brew"} {
		if strings.Contains(body, never) {
			t.Errorf("/metrics names %q, a client's path", never)
		}
	}
	if !strings.Contains(logs.String(), "status=404") {
		t.Errorf("the access log lost the 404: %s", logs.String())
	}
}
