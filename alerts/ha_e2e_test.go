package alerts_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"riskmon/systemtest"
)

// haPrometheusConfig is prometheus-ha.yml as the example ships it, pointed
// at this test's Alertmanagers, riskmon targets and rules, with 1 s
// intervals; replica names the server.
func haPrometheusConfig(t *testing.T, replica, rules string, alertmanagers, riskmons []string) string {
	t.Helper()
	raw, err := os.ReadFile("prometheus-ha.yml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(raw)
	for _, r := range []struct{ old, new string }{
		{"scrape_interval: 15s", "scrape_interval: 1s\n  scrape_timeout: 900ms"},
		{"evaluation_interval: 15s", "evaluation_interval: 1s"},
		{"replica: A ", "replica: " + replica + " "},
		{"/usr/share/riskmon/alerts/rules.yml", rules},
		{`["alertmanager-1:9093", "alertmanager-2:9093"]`, `["` + strings.Join(alertmanagers, `", "`) + `"]`},
		{`["riskmon-1:9720", "riskmon-2:9720"]`, `["` + strings.Join(riskmons, `", "`) + `"]`},
	} {
		if !strings.Contains(cfg, r.old) {
			t.Fatalf("prometheus-ha.yml changed: no %q; update this test", r.old)
		}
		cfg = strings.Replace(cfg, r.old, r.new, 1)
	}
	return cfg
}

func TestPrometheusHAConfig(t *testing.T) {
	cfg := haPrometheusConfig(t, "A", filepath.Join(mustAbs(t, "rules.yml")), []string{"127.0.0.1:1", "127.0.0.1:2"}, []string{"127.0.0.1:3"})
	path := filepath.Join(t.TempDir(), "prometheus.yml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	runTool(t, "promtool", "check", "config", path)
}

func mustAbs(t *testing.T, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestAlertsThroughHAPair: two Prometheus servers (replicas A and B of
// prometheus-ha.yml) send to a cluster of two Alertmanagers (alertmanager.yml),
// one of which is down: the page still reaches the receiver, without the
// replica label, so the two servers' copies are one alert.
func TestAlertsThroughHAPair(t *testing.T) {
	var mu sync.Mutex
	var got []map[string]string // the labels of every alert notified
	requests := 0
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		mu.Unlock()
		var msg struct {
			Alerts []struct {
				Status string            `json:"status"`
				Labels map[string]string `json:"labels"`
			} `json:"alerts"`
		}
		if err := json.NewDecoder(r.Body).Decode(&msg); err == nil {
			mu.Lock()
			for _, a := range msg.Alerts {
				if a.Status == "firing" {
					got = append(got, a.Labels)
				}
			}
			mu.Unlock()
		}
	}))
	t.Cleanup(hook.Close)

	// the webhook receivers (the ticket system, the SMS relay) at the test's
	// webhook, and the group interval in seconds, as shortRules shortens
	// the for: durations (riskmon's "absent" variant of
	// PetitionCollectorDown can open the group before the first scrape)
	amCfg := alertmanagerWith(t,
		"http://127.0.0.1:9095", hook.URL,
		"http://127.0.0.1:9096", hook.URL,
		"group_interval: 5m", "group_interval: 2s")
	ams := systemtest.StartAlertmanagers(t, amCfg, 2)
	ams[0].Stop()

	// riskmon is nowhere: PetitionCollectorDown, critical, pages
	down := systemtest.FreeAddr(t)
	rules := shortRules(t)
	amAddrs := []string{ams[0].Addr, ams[1].Addr}
	for _, replica := range []string{"A", "B"} {
		systemtest.StartPrometheusConfig(t, haPrometheusConfig(t, replica, rules, amAddrs, []string{down}))
	}
	systemtest.Eventually(t, 90*time.Second, "PetitionCollectorDown at the receiver through the surviving Alertmanager", func() (bool, string) {
		mu.Lock()
		defer mu.Unlock()
		for _, labels := range got {
			if labels["alertname"] == "PetitionCollectorDown" {
				if _, ok := labels["replica"]; ok {
					return false, fmt.Sprintf("the replica label reached the receiver: %v", labels)
				}
				return true, ""
			}
		}
		return false, fmt.Sprintf("%d requests, notified: %v", requests, got)
	})
}
