// Package systemtest runs riskmon end to end for tests: the real binary, a
// real Prometheus (Debian's 2.42) scraping it, and polling of Prometheus's
// HTTP API until a condition holds. Everything started is stopped when the
// test ends.
package systemtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// Binary builds cmd/riskmon once per test process and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		_, here, _, _ := runtime.Caller(0)
		root := filepath.Dir(filepath.Dir(here))
		dir, err := os.MkdirTemp("", "riskmon-systemtest-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "riskmon")
		cmd := exec.Command("go", "build", "-o", binary, "./cmd/riskmon")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// FreeAddr returns a loopback address with a port nobody listens on now.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Start runs a command until the test ends, then stops it with SIGTERM (and
// SIGKILL after 10 s). Its output goes to a file named in a failing test's log.
func Start(t testing.TB, name string, args []string, env []string) *exec.Cmd {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), filepath.Base(name)+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		logFile.Close()
		if t.Failed() {
			out, _ := os.ReadFile(logPath)
			t.Logf("%s output (last 3000 bytes):\n%s", filepath.Base(name), tail(out, 3000))
		}
	})
	return cmd
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// Eventually polls cond every 250 ms until it holds or timeout passes; the
// last reason it gave goes into the failure.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	var why string
	for {
		var ok bool
		if ok, why = cond(); ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s: %s", what, timeout, why)
		}
		<-tick.C
	}
}

// Riskmon is a running riskmon serve.
type Riskmon struct {
	Addr string
	cmd  *exec.Cmd
}

// StartRiskmon runs `riskmon serve` with args and RISKMON_* env on a free
// port and waits until /healthz answers.
func StartRiskmon(t testing.TB, args []string, env []string) *Riskmon {
	t.Helper()
	addr := FreeAddr(t)
	cmd := Start(t, Binary(t), append([]string{"serve", "--listen", addr}, args...), env)
	Eventually(t, 60*time.Second, "riskmon /healthz", func() (bool, string) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == 200, resp.Status
	})
	return &Riskmon{Addr: addr, cmd: cmd}
}

// Stop ends riskmon at once (SIGKILL), as a crashed replica would.
func (r *Riskmon) Stop() { r.cmd.Process.Kill() }

// Prometheus is a running Prometheus server.
type Prometheus struct {
	URL string
}

// StartPrometheus runs Debian's prometheus scraping target (job "riskmon")
// and evaluating ruleFiles every second, and waits until it is ready.
func StartPrometheus(t testing.TB, target string, ruleFiles ...string) *Prometheus {
	t.Helper()
	return StartPrometheusOf(t, []string{target}, ruleFiles...)
}

// StartPrometheusOf is StartPrometheus scraping several targets as one job
// (replicas of riskmon).
func StartPrometheusOf(t testing.TB, targets []string, ruleFiles ...string) *Prometheus {
	t.Helper()
	Need(t, "prometheus", "prometheus")
	var rules []string
	for _, f := range ruleFiles {
		abs, _ := filepath.Abs(f)
		rules = append(rules, fmt.Sprintf("%q", abs))
	}
	cfg := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
rule_files: [%s]
scrape_configs:
  - job_name: riskmon
    static_configs:
      - targets: [%s]
`, strings.Join(rules, ", "), quoted(targets))
	return StartPrometheusConfig(t, cfg)
}

// StartPrometheusConfig runs Debian's prometheus with the configuration cfg
// and waits until it is ready.
func StartPrometheusConfig(t testing.TB, cfg string) *Prometheus {
	t.Helper()
	bin := Need(t, "prometheus", "prometheus")
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := FreeAddr(t)
	Start(t, bin, []string{"--config.file=" + cfgPath, "--storage.tsdb.path=" + filepath.Join(dir, "data"),
		"--web.listen-address=" + addr, "--log.level=warn"}, nil)
	p := &Prometheus{URL: "http://" + addr}
	Eventually(t, 60*time.Second, "prometheus ready", func() (bool, string) {
		resp, err := http.Get(p.URL + "/-/ready")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == 200, resp.Status
	})
	return p
}

func quoted(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// RuleErrors lists every rule whose last evaluation failed, with its error
// (a join that became many-to-many, say).
func (p *Prometheus) RuleErrors(ctx context.Context) ([]string, error) {
	var out struct {
		Data struct {
			Groups []struct {
				Rules []struct {
					Name      string `json:"name"`
					Health    string `json:"health"`
					LastError string `json:"lastError"`
				} `json:"rules"`
			} `json:"groups"`
		} `json:"data"`
	}
	if err := p.get(ctx, "/api/v1/rules", &out); err != nil {
		return nil, err
	}
	var errs []string
	for _, g := range out.Data.Groups {
		for _, r := range g.Rules {
			if r.Health == "err" {
				errs = append(errs, r.Name+": "+r.LastError)
			}
		}
	}
	return errs, nil
}

// RuleEvaluatedAt returns when Prometheus last evaluated the rule named
// name (a recording rule's record, an alert's name), or the zero time if it
// has none yet: a test that changed what the rule reads waits for an
// evaluation after the change before it reads the rule's result.
func (p *Prometheus) RuleEvaluatedAt(ctx context.Context, name string) (time.Time, error) {
	var out struct {
		Data struct {
			Groups []struct {
				Rules []struct {
					Name           string    `json:"name"`
					LastEvaluation time.Time `json:"lastEvaluation"`
				} `json:"rules"`
			} `json:"groups"`
		} `json:"data"`
	}
	if err := p.get(ctx, "/api/v1/rules", &out); err != nil {
		return time.Time{}, err
	}
	for _, g := range out.Data.Groups {
		for _, r := range g.Rules {
			if r.Name == name {
				return r.LastEvaluation, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("no rule %s", name)
}

// Need returns the path of a command from a Debian package; with CI set,
// its absence fails the test (the test command installs it), else skips it.
func Need(t testing.TB, command, pkg string) string {
	t.Helper()
	bin, err := exec.LookPath(command)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI (Debian's %s package)", command, pkg)
		}
		t.Skipf("%s not installed", command)
	}
	return bin
}

// Alertmanager is a running Alertmanager of a cluster.
type Alertmanager struct {
	Addr, ClusterAddr string
	cmd               *exec.Cmd
}

// Stop ends the Alertmanager at once (SIGKILL).
func (a *Alertmanager) Stop() { a.cmd.Process.Kill() }

// StartAlertmanagers runs n Debian prometheus-alertmanager servers with the
// configuration file cfg, peered as one cluster, and waits until each is
// ready.
func StartAlertmanagers(t testing.TB, cfg string, n int) []*Alertmanager {
	t.Helper()
	bin := Need(t, "prometheus-alertmanager", "prometheus-alertmanager")
	ams := make([]*Alertmanager, n)
	for i := range ams {
		ams[i] = &Alertmanager{Addr: FreeAddr(t), ClusterAddr: FreeAddr(t)}
	}
	for i, am := range ams {
		args := []string{"--config.file=" + cfg, "--storage.path=" + t.TempDir(), "--web.listen-address=" + am.Addr,
			"--cluster.listen-address=" + am.ClusterAddr, "--cluster.advertise-address=" + am.ClusterAddr, "--log.level=warn"}
		for j, peer := range ams {
			if j != i {
				args = append(args, "--cluster.peer="+peer.ClusterAddr)
			}
		}
		am.cmd = Start(t, bin, args, nil)
	}
	// ready, and the cluster settled: an Alertmanager still settling its
	// gossip does not notify yet
	for _, am := range ams {
		Eventually(t, 2*time.Minute, "alertmanager cluster ready", func() (bool, string) {
			resp, err := http.Get("http://" + am.Addr + "/api/v2/status")
			if err != nil {
				return false, err.Error()
			}
			defer resp.Body.Close()
			var st struct {
				Cluster struct {
					Status string `json:"status"`
					Peers  []any  `json:"peers"`
				} `json:"cluster"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
				return false, err.Error()
			}
			return st.Cluster.Status == "ready" && len(st.Cluster.Peers) == n, fmt.Sprintf("%s, %d peers", st.Cluster.Status, len(st.Cluster.Peers))
		})
	}
	return ams
}

// Sample is one element of an instant vector.
type Sample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

// Query runs an instant query and returns its vector, or the error Prometheus
// gave (a parse error names the problem).
func (p *Prometheus) Query(ctx context.Context, expr string) ([]Sample, error) {
	var out struct {
		Status    string `json:"status"`
		ErrorType string `json:"errorType"`
		Error     string `json:"error"`
		Data      struct {
			ResultType string          `json:"resultType"`
			Result     json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := p.get(ctx, "/api/v1/query?query="+url.QueryEscape(expr), &out); err != nil {
		return nil, err
	}
	if out.Status != "success" {
		return nil, fmt.Errorf("query %q: %s: %s", expr, out.ErrorType, out.Error)
	}
	var samples []Sample
	switch out.Data.ResultType {
	case "vector":
		if err := json.Unmarshal(out.Data.Result, &samples); err != nil {
			return nil, fmt.Errorf("query %q: %w", expr, err)
		}
	case "scalar":
		var v [2]any
		if err := json.Unmarshal(out.Data.Result, &v); err != nil {
			return nil, fmt.Errorf("query %q: %w", expr, err)
		}
		samples = []Sample{{Metric: map[string]string{}, Value: v}}
	default:
		return nil, fmt.Errorf("query %q: unexpected result type %s", expr, out.Data.ResultType)
	}
	return samples, nil
}

// Alert is an alert as /api/v1/alerts lists it.
type Alert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	State       string            `json:"state"`
}

// Alerts lists pending and firing alerts.
func (p *Prometheus) Alerts(ctx context.Context) ([]Alert, error) {
	var out struct {
		Data struct {
			Alerts []Alert `json:"alerts"`
		} `json:"data"`
	}
	if err := p.get(ctx, "/api/v1/alerts", &out); err != nil {
		return nil, err
	}
	return out.Data.Alerts, nil
}

// LastRuleEvaluation is when Prometheus last evaluated its rule groups
// (the earliest group's last evaluation): an alert's state read after it
// reflects every sample scraped before it.
func (p *Prometheus) LastRuleEvaluation(ctx context.Context) (time.Time, error) {
	var out struct {
		Data struct {
			Groups []struct {
				LastEvaluation time.Time `json:"lastEvaluation"`
			} `json:"groups"`
		} `json:"data"`
	}
	if err := p.get(ctx, "/api/v1/rules", &out); err != nil {
		return time.Time{}, err
	}
	if len(out.Data.Groups) == 0 {
		return time.Time{}, fmt.Errorf("no rule groups loaded")
	}
	earliest := out.Data.Groups[0].LastEvaluation
	for _, g := range out.Data.Groups {
		if g.LastEvaluation.Before(earliest) {
			earliest = g.LastEvaluation
		}
	}
	return earliest, nil
}

func (p *Prometheus) get(ctx context.Context, path string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", p.URL+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if err := json.Unmarshal(buf.Bytes(), v); err != nil {
		return fmt.Errorf("GET %s: %d: %w", path, resp.StatusCode, err)
	}
	return nil
}
