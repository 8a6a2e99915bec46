package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"riskmon/collector"
	"riskmon/config"
	"riskmon/demo"
	"riskmon/intake"
	"riskmon/store"
	"riskmon/store/storetest"
)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// metricValue finds an unlabelled sample in an exposition body.
func metricValue(body, name string) string {
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return ""
}

// TestDatabaseOutage cuts the service off from MariaDB mid-run: it keeps
// serving, its error metrics move, /readyz fails, the domain metrics go once
// the snapshot is stale, and it all comes back by itself.
func TestDatabaseOutage(t *testing.T) {
	ctx := context.Background()
	_, proxied, px := storetest.ProxiedMySQL(t)
	s := storetest.OpenDSN(t, proxied)
	if err := demo.PutReference(ctx, s); err != nil {
		t.Fatal(err)
	}
	conf, err := config.Load(config.Source{Env: map[string]string{"RISKMON_API_TOKEN": testToken, "RISKMON_PETITIONER_KEY": "a-key-of-sixteen-bytes"}})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 10, 2, 3, 0, 0, 0, time.UTC)}
	col := collector.New(s, conf, clk.Now, collector.BuildInfo{Version: "test"})
	var logs bytes.Buffer
	srv := httptest.NewServer(newServer(col, s, &intake.API{Store: s, Config: col.Config, Now: clk.Now, Logger: slog.New(slog.NewTextHandler(&logs, nil))}, slog.New(slog.NewTextHandler(&logs, nil)), serveOps|serveAPI))
	defer srv.Close()

	if err := col.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, srv.URL+"/readyz"); code != 200 {
		t.Fatalf("/readyz = %d before the outage", code)
	}

	px.Cut()
	clk.t = clk.t.Add(time.Minute)
	if err := col.Refresh(ctx); err == nil {
		t.Fatal("refresh succeeded without a database")
	}
	code, body := get(t, srv.URL+"/metrics")
	if code != 200 || metricValue(body, "petition_collector_last_refresh_success") != "0" ||
		metricValue(body, "petition_collector_refresh_errors_total") != "1" {
		t.Errorf("during the outage /metrics = %d, success %q, errors %q", code, metricValue(body, "petition_collector_last_refresh_success"),
			metricValue(body, "petition_collector_refresh_errors_total"))
	}
	if !strings.Contains(body, "petition_unit_info{") {
		t.Error("a snapshot within the staleness limit was withheld")
	}
	code, body = get(t, srv.URL+"/readyz")
	if code != 503 || !strings.Contains(body, "the database does not answer") || strings.Contains(body, px.Addr()) ||
		strings.Contains(body, "root") || strings.Contains(body, "tcp") {
		t.Errorf("/readyz = %d %q during the outage, want 503 without the database's address or user", code, body)
	}
	if !strings.Contains(logs.String(), `msg="not ready: the database does not answer" err="ping mysql database: `) {
		t.Errorf("the database's error is not logged: %s", logs.String())
	}
	clk.t = clk.t.Add(2 * time.Minute)
	if err := col.Refresh(ctx); err == nil {
		t.Fatal("refresh succeeded without a database")
	}
	if _, body := get(t, srv.URL+"/metrics"); strings.Contains(body, "petition_unit_info{") ||
		metricValue(body, "petition_collector_refresh_errors_total") != "2" {
		t.Error("stale domain metrics still served, or errors not counted")
	}
	if code, _ := get(t, srv.URL+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d during the outage, want 200: the process is alive", code)
	}
	// The API answered 500 here: a good request meets a database that is
	// down, and may be sent again as it is.
	newCase := `{"case_no":"OUT-1","received_at":"2026-10-02T10:00:00+08:00","channel":"visit","category":"other","unit":"qingshan","persons":1,"level":"county","petitioner_id":"A"}`
	resp := post(t, srv.URL+"/api/v1/cases", strings.NewReader(newCase))
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "5" {
		t.Errorf("POST /api/v1/cases during the outage = %d, Retry-After %q; want 503, 5", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	clk.t = clk.t.Add(time.Second) // past the self metrics' one-second cache
	if _, body := get(t, srv.URL+"/metrics"); !strings.Contains(body, `petition_http_requests_total{code="503",method="post",route="/api/v1/cases"} 1`) {
		t.Error("the 503 is not counted by route and code")
	}

	px.Restore()
	clk.t = clk.t.Add(time.Second)
	if err := col.Refresh(ctx); err != nil {
		t.Fatalf("no recovery: %v", err)
	}
	code, body = get(t, srv.URL+"/metrics")
	if code != 200 || metricValue(body, "petition_collector_last_refresh_success") != "1" || !strings.Contains(body, "petition_unit_info{") {
		t.Error("domain metrics did not come back after the outage")
	}
	if code, _ := get(t, srv.URL+"/readyz"); code != 200 {
		t.Errorf("/readyz = %d after recovery", code)
	}
}

// logServer serves riskmon's handler over an empty SQLite database with the
// configuration of env, logging into logs.
func logServer(t *testing.T, env map[string]string, logs *bytes.Buffer) *httptest.Server {
	t.Helper()
	h, _ := testHandler(t, env, logs)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// testHandler is riskmon's handler, every route, over an empty SQLite
// database with the configuration of env, logging into logs.
func testHandler(t testing.TB, env map[string]string, logs io.Writer) (http.Handler, *collector.Collector) {
	t.Helper()
	s := storetest.Open(t, "sqlite")
	conf, err := config.Load(config.Source{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	col := collector.New(s, conf, time.Now, collector.BuildInfo{})
	logger := slog.New(slog.NewTextHandler(logs, nil))
	return newServer(col, s, &intake.API{Store: s, Config: col.Config, Now: time.Now, Logger: logger}, logger, serveOps|serveAPI), col
}

func TestLandingAndAccessLog(t *testing.T) {
	var logs bytes.Buffer
	srv := logServer(t, nil, &logs)
	code, body := get(t, srv.URL+"/")
	if code != 200 || !strings.Contains(body, `href="/metrics"`) || !strings.Contains(body, `href="/readyz"`) {
		t.Errorf("landing page = %d %q", code, body)
	}
	if code, body := get(t, srv.URL+"/readyz"); code != 503 || !strings.Contains(body, "snapshot") {
		t.Errorf("/readyz before the first refresh = %d %q, want 503 naming the snapshot", code, body)
	}
	if !strings.Contains(logs.String(), "path=/readyz status=503") {
		t.Errorf("access log lacks the request: %s", logs.String())
	}
}

func TestReload(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	conf, err := config.Load(config.Source{})
	if err != nil {
		t.Fatal(err)
	}
	col := collector.New(s, conf, time.Now, collector.BuildInfo{})
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	env := map[string]string{"RISKMON_REFRESH_INTERVAL": "30s", "RISKMON_DB": "sqlite:/elsewhere.db"}
	load := func() (*config.Config, error) { return config.Load(config.Source{Env: env}) }
	if err := reload(load, col.SetConfig, col.Config(), logger); err != nil {
		t.Fatal(err)
	}
	if got := col.Config(); got.RefreshInterval != 30*time.Second || got.DB != conf.DB {
		t.Errorf("after reload: interval %s db %s, want 30s and the running db %s", got.RefreshInterval, got.DB, conf.DB)
	}
	env["RISKMON_REFRESH_INTERVAL"] = "never"
	if err := reload(load, col.SetConfig, col.Config(), logger); err == nil || !strings.Contains(err.Error(), "refresh_interval") {
		t.Errorf("bad reload: %v", err)
	}
	if got := col.Config().RefreshInterval; got != 30*time.Second {
		t.Errorf("a bad reload changed the interval to %s", got)
	}
}

// Reload used to take any petitioner key, even an empty one: the hashes of
// the running service would have stopped matching, or become unkeyed.
func TestReloadKeepsThePetitionerKey(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	running := config.Source{Env: map[string]string{"RISKMON_PETITIONER_KEY": "the-running-key-0123"}}
	prev, err := loadChecked(running, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key, want string
	}{
		{"", "petitioner_key"},
		{"short", "petitioner_key"},
		{config.DemoKey, "the demo's public petitioner key"},
		{"another-key-0123456789", "petitioner_key changed"},
	} {
		applied := false
		load := func() (*config.Config, error) {
			return loadChecked(config.Source{Env: map[string]string{"RISKMON_PETITIONER_KEY": tc.key}}, false)
		}
		err := reload(load, func(*config.Config) { applied = true }, prev, logger)
		if err == nil || !strings.Contains(err.Error(), tc.want) || applied {
			t.Errorf("reload with key %q: %v (applied %v), want a refusal naming %q", tc.key, err, applied, tc.want)
		}
	}
	applied := false
	if err := reload(func() (*config.Config, error) { return loadChecked(running, false) }, func(*config.Config) { applied = true }, prev, logger); err != nil || !applied {
		t.Errorf("reload with the same key: %v", err)
	}
}

func TestDemoRefusesADatabase(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	path := t.TempDir() + "/real.db"
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"serve", "--demo", "--db", "sqlite:" + path}, "", "refuses the db set by --db"},
		{[]string{"serve", "--demo"}, "sqlite:" + path, "refuses the db set by RISKMON_DB"},
	} {
		t.Setenv("RISKMON_DB", tc.env)
		if tc.env == "" {
			os.Unsetenv("RISKMON_DB")
		}
		err := run(context.Background(), tc.args, io.Discard, logger)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run %v (RISKMON_DB=%q) = %v, want %q", tc.args, tc.env, err, tc.want)
		}
		if _, statErr := os.Stat(path); statErr == nil {
			t.Fatal("the demo wrote to the database it refused")
		}
	}
}

// serve, import and seed refuse a key other than the one the stored hashes
// were made with; rekey moves the database to a chain, and the commands take
// the chain after it; recount repairs the tallies and says what differed.
func TestPetitionerKeyAcrossCommands(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + dir + "/keys.db"
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	t.Setenv("RISKMON_PETITIONER_KEY", "the-first-key-0123456")
	if err := run(ctx, []string{"seed", "--cases", "20", "--db", db}, io.Discard, logger); err != nil {
		t.Fatal(err)
	}
	file := dir + "/cases.jsonl"
	line := `{"case_no":"K-1","received_at":"2026-09-01T10:00:00+08:00","channel":"letter","category":"other","unit":"qingshan","persons":1,"level":"county","petitioner_id":"A"}` + "\n"
	if err := os.WriteFile(file, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RISKMON_PETITIONER_KEY", "another-key-0123456789")
	for _, args := range [][]string{
		{"serve", "--db", db, "--listen", "127.0.0.1:0"},
		{"import", "--db", db, file},
		{"seed", "--cases", "1", "--db", db},
	} {
		if err := run(ctx, args, io.Discard, logger); !errors.Is(err, store.ErrOtherPetitionerKey) {
			t.Errorf("%s with another key: %v, want ErrOtherPetitionerKey", args[0], err)
		}
	}
	t.Setenv("RISKMON_PETITIONER_KEY", "the-first-key-0123456")
	chain := dir + "/chain"
	if err := os.WriteFile(chain, []byte("the-first-key-0123456\nthe-second-key-012345\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"rekey", "--db", db, "--new-key-file", dir + "/missing"}, io.Discard, logger); err == nil || !strings.Contains(err.Error(), "--new-key-file") {
		t.Errorf("rekey with a missing file: %v", err)
	}
	if err := run(ctx, []string{"rekey", "--db", db, "--new-key-file", chain}, io.Discard, logger); err != nil {
		t.Fatalf("rekey: %v", err)
	}
	if err := run(ctx, []string{"import", "--db", db, file}, io.Discard, logger); !errors.Is(err, store.ErrOtherPetitionerKey) {
		t.Errorf("import with the old key after the rekey: %v, want ErrOtherPetitionerKey", err)
	}
	t.Setenv("RISKMON_PETITIONER_KEY", "")
	os.Unsetenv("RISKMON_PETITIONER_KEY")
	t.Setenv("RISKMON_PETITIONER_KEY_FILE", chain)
	if err := run(ctx, []string{"import", "--db", db, file}, io.Discard, logger); err != nil {
		t.Errorf("import with the new chain: %v", err)
	}

	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.DB().Exec("UPDATE completion_tally SET completed = completed + 1"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"recount", "--dry-run", "--db", db}, &out, logger); err == nil || !strings.Contains(err.Error(), "counters differ") {
		t.Errorf("recount --dry-run over a wrong tally: %v", err)
	}
	if !strings.Contains(out.String(), "completion_tally unit=") {
		t.Errorf("recount --dry-run printed %q, want the counters that differ", out.String())
	}
	gate, err := s.HoldWriters(ctx, false) // as the running service does
	if err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"recount", "--db", db}, io.Discard, logger); !errors.Is(err, store.ErrOtherWriters) {
		t.Errorf("recount beside a running service: %v, want ErrOtherWriters", err)
	}
	gate.Release()
	if err := run(ctx, []string{"recount", "--db", db}, io.Discard, logger); err != nil {
		t.Errorf("recount: %v", err)
	}
	if err := run(ctx, []string{"recount", "--dry-run", "--db", db}, io.Discard, logger); err != nil {
		t.Errorf("recount --dry-run after the repair: %v", err)
	}
}

func TestRunErrors(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Setenv("RISKMON_PETITIONER_KEY", "")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "no command given"},
		{[]string{"launch"}, `unknown command "launch"`},
		{[]string{"serve", "--refresh-interval", "sometimes"}, `config key "refresh_interval" (from --refresh-interval)`},
		{[]string{"serve", "--db", "sqlite:" + t.TempDir() + "/x.db"}, `petitioner_key`},
		{[]string{"migrate", "--db", "oracle:x"}, `must be sqlite:PATH or mysql:DSN`},
	} {
		err := run(context.Background(), tc.args, io.Discard, logger)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run %v = %v, want %q", tc.args, err, tc.want)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, logger); err != nil || !strings.HasPrefix(out.String(), "riskmon ") {
		t.Errorf("version: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"migrate", "--db", "sqlite:" + t.TempDir() + "/m.db"}, io.Discard, logger); err != nil {
		t.Errorf("migrate: %v", err)
	}
}

func TestSeedRefusesZeroCasesBeforeTouchingTheDatabase(t *testing.T) {
	path := t.TempDir() + "/never.db"
	err := run(context.Background(), []string{"seed", "--cases", "0", "--db", "sqlite:" + path}, io.Discard, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || !strings.Contains(err.Error(), "--cases 0") {
		t.Errorf("seed --cases 0 = %v", err)
	}
	if _, statErr := os.Stat(path); statErr == nil {
		t.Error("seed created the database before refusing its arguments")
	}
}

// Every answer carries nosniff and no-referrer, and the HTML pages a policy
// that loads nothing from elsewhere and forbids framing.
func TestSecurityHeaders(t *testing.T) {
	var logs bytes.Buffer
	srv := logServer(t, map[string]string{"RISKMON_API_TOKEN": testToken, "RISKMON_PETITIONER_KEY": "a-key-of-sixteen-bytes"}, &logs)
	for _, path := range []string{"/", "/screen", "/metrics", "/api/v1/units", "/healthz"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: %v, want nosniff, no-referrer and DENY", path, h)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
	}
}
