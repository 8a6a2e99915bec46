package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"riskmon/config"
	"riskmon/store/storetest"
)

// syncBuffer is a log the server writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond until it holds or a minute passes: it waits for the
// service to notice a database that came back, which it does on its own
// schedule (the retry backoff), not on a signal the test could give.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within a minute", what)
		}
		<-tick.C
	}
}

// Started while its database was down, serve exited. Now it serves at once:
// alive, not ready, the API 503, no domain metrics; and it recovers by
// itself when the database answers.
func TestStartWhileTheDatabaseIsDown(t *testing.T) {
	_, proxied, px := storetest.ProxiedMySQL(t)
	px.Cut()
	cfg, err := config.Load(config.Source{Env: map[string]string{"RISKMON_DB": proxied, "RISKMON_API_TOKEN": testToken,
		"RISKMON_PETITIONER_KEY": "a-key-of-sixteen-bytes"}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- serveOn(ctx, ln, cfg, func() (*config.Config, error) { return cfg, nil }, false,
			retryPolicy{first: 50 * time.Millisecond, most: 200 * time.Millisecond}, slog.New(slog.NewTextHandler(logs, nil)))
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve after the stop: %v", err)
		}
	}()

	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d while the database is down, want 200", code)
	}
	if code, _ := get(t, base+"/readyz"); code != 503 {
		t.Errorf("/readyz = %d while the database is down, want 503", code)
	}
	newCase := `{"case_no":"UP-1","received_at":"2026-10-02T10:00:00+08:00","channel":"visit","category":"other","unit":"qingshan","persons":1,"level":"county","petitioner_id":"A"}`
	if resp := post(t, base+"/api/v1/cases", strings.NewReader(newCase)); resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the API while the database is down: %d, Retry-After %q; want 503 with it", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	code, body := get(t, base+"/metrics")
	if code != 200 || metricValue(body, "petition_collector_last_refresh_success") != "0" || strings.Contains(body, "petition_unit_info") {
		t.Errorf("/metrics while the database is down = %d, success %q; want the self metrics only", code, metricValue(body, "petition_collector_last_refresh_success"))
	}
	waitFor(t, "a retry logged", func() bool { return strings.Contains(logs.String(), "the database does not answer; serving /healthz and waiting") })

	px.Restore()
	waitFor(t, "/readyz 200 after the database came back", func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	put, _ := http.NewRequest(http.MethodPut, base+"/api/v1/units/qingshan", strings.NewReader(`{"name":"青山镇","kind":"township"}`))
	put.Header.Set("Authorization", "Bearer "+testToken)
	if resp, err := http.DefaultClient.Do(put); err != nil || resp.StatusCode != 200 {
		t.Fatalf("put a unit after the recovery: %v %v", resp, err)
	}
	if resp := post(t, base+"/api/v1/cases", strings.NewReader(newCase)); resp.StatusCode != 201 {
		t.Errorf("a case after the recovery: %d, want 201", resp.StatusCode)
	}
}
