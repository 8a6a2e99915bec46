package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"riskmon/config"
	"riskmon/store"
	"riskmon/store/storetest"
)

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
	done := make(chan error, 1)
	go func() {
		done <- serveOn(ctx, listeners{api: ln}, cfg, func() (*config.Config, error) { return cfg, nil }, false,
			retryPolicy{first: 50 * time.Millisecond, most: 200 * time.Millisecond}, slog.New(slog.NewTextHandler(io.Discard, nil)))
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

// Basic auth for /metrics and the API's bearer tokens used to share one
// listener and one Authorization header: enabling one locked the other out.
// With ops_listen each has its own listener.
func TestOperationsAndAPIOnTheirOwnListeners(t *testing.T) {
	webConfig := basicAuthWebConfig(t)
	cfg, err := loadChecked(config.Source{Env: map[string]string{"RISKMON_DB": storetest.DSN(t, "sqlite"), "RISKMON_API_TOKEN": testToken,
		"RISKMON_PETITIONER_KEY": "a-key-of-sixteen-bytes", "RISKMON_LISTEN": "127.0.0.1:0", "RISKMON_OPS_LISTEN": "127.0.0.1:1",
		"RISKMON_WEB_CONFIG_FILE": webConfig}}, false)
	if err != nil {
		t.Fatal(err)
	}
	var lns listeners
	for _, ln := range []*net.Listener{&lns.api, &lns.ops} {
		if *ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serveOn(ctx, lns, cfg, func() (*config.Config, error) { return cfg, nil }, false, startRetry, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve after the stop: %v", err)
		}
	}()
	apiBase, opsBase := "http://"+lns.api.Addr().String(), "http://"+lns.ops.Addr().String()
	waitFor(t, "the API ready", func() bool {
		req, _ := http.NewRequest(http.MethodGet, apiBase+"/api/v1/units", nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	// ready once the first refresh has made a snapshot, which can come after
	// the API answers (the full suite on 2 cores saw /readyz 503 here)
	waitFor(t, "the first snapshot", func() bool {
		req, _ := http.NewRequest(http.MethodGet, opsBase+"/readyz", nil)
		req.SetBasicAuth("prometheus", "s3cret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	for _, tc := range []struct {
		url  string
		auth func(*http.Request)
		want int
	}{
		{opsBase + "/metrics", func(r *http.Request) {}, 401},
		{opsBase + "/metrics", func(r *http.Request) { r.SetBasicAuth("prometheus", "s3cret") }, 200},
		{opsBase + "/readyz", func(r *http.Request) { r.SetBasicAuth("prometheus", "s3cret") }, 200},
		// the fallback screen is behind the same access control as /metrics
		{opsBase + "/screen", func(r *http.Request) {}, 401},
		{opsBase + "/screen", func(r *http.Request) { r.SetBasicAuth("prometheus", "s3cret") }, 200},
		{apiBase + "/screen", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+testToken) }, 404},
		{opsBase + "/api/v1/units", func(r *http.Request) { r.SetBasicAuth("prometheus", "s3cret") }, 404},
		{apiBase + "/api/v1/units", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+testToken) }, 200},
		{apiBase + "/metrics", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+testToken) }, 404},
	} {
		req, _ := http.NewRequest(http.MethodGet, tc.url, nil)
		tc.auth(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("GET %s: %d, want %d", tc.url, resp.StatusCode, tc.want)
		}
	}
}

// The service's hold on the writers' gate is checked at each tick: a hold
// lost with its connection is taken again, and while another process holds
// the gate the API is not ready, until that process lets go.
func TestKeepGateTakesTheGateAgain(t *testing.T) {
	direct, proxied, px := storetest.ProxiedMySQL(t)
	ctx := context.Background()
	svc, other := storetest.OpenDSN(t, proxied), storetest.OpenDSN(t, direct)
	gate, err := svc.HoldWriters(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	var ready atomic.Bool
	ready.Store(true)
	tick := make(chan time.Time)
	kctx, cancel := context.WithCancel(ctx)
	kept := make(chan struct{})
	go func() {
		defer close(kept)
		keepGate(kctx, gate, &ready, tick, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	t.Cleanup(func() {
		cancel()
		<-kept
		gate.Release()
	})
	// keepGate takes the second tick only when it is done with the first
	check := func() { tick <- time.Time{}; tick <- time.Time{} }

	px.Cut()
	px.Restore()
	check()
	if !ready.Load() {
		t.Error("not ready after a lost connection, with nobody else at the gate")
	}
	if g, err := other.HoldWriters(ctx, true); !errors.Is(err, store.ErrOtherWriters) {
		g.Release()
		t.Fatalf("another process took the gate exclusive (%v): the service's hold was not taken again", err)
	}

	px.Cut()
	var excl *store.Gate
	waitFor(t, "the server to drop the service's hold", func() bool {
		excl, err = other.HoldWriters(ctx, true)
		return err == nil
	})
	px.Restore()
	check()
	if ready.Load() {
		t.Error("ready while another process holds the gate exclusive")
	}
	excl.Release()
	check()
	if !ready.Load() {
		t.Error("not ready once the other process let go")
	}
}

// A bulk load cut off leaves cases its tallies do not count (and, on MySQL,
// the indexes of cases set aside): the service refuses to start on it,
// naming the repair, rather than serve wrong figures; after riskmon recount
// it starts.
func TestServeRefusesACutOffLoad(t *testing.T) {
	ctx := context.Background()
	db := "sqlite:" + t.TempDir() + "/cut.db"
	cfg, err := config.Load(config.Source{Env: map[string]string{"RISKMON_DB": db, "RISKMON_API_TOKEN": testToken,
		"RISKMON_PETITIONER_KEY": "a-key-of-sixteen-bytes", "RISKMON_MIGRATE_ON_START": "true"}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cut := errors.New("the import's file went away")
	src := func(context.Context) ([]store.LoadCase, error) { return nil, cut }
	if err := s.LoadFrom(ctx, cfg.Rules, src); !errors.Is(err, cut) {
		t.Fatalf("the cut load: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	gate, err := prepare(ctx, s, cfg, false, logger)
	if err == nil || !strings.Contains(err.Error(), "run riskmon recount") {
		gate.Release()
		t.Fatalf("serve on a cut-off load: %v, want a refusal naming riskmon recount", err)
	}
	// the recount holds the gate exclusive: the refusal let go of it
	if _, err := s.Recount(ctx, cfg.Rules.Location); err != nil {
		t.Fatal(err)
	}
	gate, err = prepare(ctx, s, cfg, false, logger)
	if err != nil {
		t.Fatalf("serve after the recount: %v", err)
	}
	gate.Release()
}
