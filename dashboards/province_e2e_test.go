package dashboards_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"riskmon/systemtest"
)

// countyPrometheus is a county's Prometheus: it scrapes the county's riskmon
// and records the rules, and labels what it federates with its county.
func countyPrometheus(t *testing.T, county, riskmon string) *systemtest.Prometheus {
	t.Helper()
	rules, err := filepath.Abs("../alerts/rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	return systemtest.StartPrometheusConfig(t, fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
  external_labels: {county: %q}
rule_files: [%q]
scrape_configs:
  - job_name: riskmon
    static_configs: [{targets: [%q]}]
`, county, rules, riskmon))
}

// TestProvinceView: two demo counties, each with its own Prometheus, and a
// province Prometheus federating them as province/prometheus.yml does: every
// query of the province dashboard returns data, its per-county panels for
// both counties.
func TestProvinceView(t *testing.T) {
	ctx := context.Background()
	env := []string{"RISKMON_REFRESH_INTERVAL=1s", "RISKMON_STALENESS_LIMIT=30s"}
	var counties []string
	for _, county := range []string{"county_a", "county_b"} {
		rk := systemtest.StartRiskmon(t, []string{"--demo"}, env)
		prom := countyPrometheus(t, county, rk.Addr)
		counties = append(counties, strings.TrimPrefix(prom.URL, "http://"))
	}
	raw, err := os.ReadFile("../province/prometheus.yml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(raw)
	for _, r := range []struct{ old, new string }{
		{"scrape_interval: 30s", "scrape_interval: 1s"},
		{"evaluation_interval: 30s", "evaluation_interval: 1s"},
		{`["prometheus.county-a.example:9090", "prometheus.county-b.example:9090"]`, `["` + strings.Join(counties, `", "`) + `"]`},
	} {
		if !strings.Contains(cfg, r.old) {
			t.Fatalf("province/prometheus.yml changed: no %q; update this test", r.old)
		}
		cfg = strings.Replace(cfg, r.old, r.new, 1)
	}
	province := systemtest.StartPrometheusConfig(t, cfg)

	boards := loadBoards(t)
	// What the province's queries lack. A federation scrape may come in the
	// middle of a county's rule evaluation, which appends rule by rule: the
	// first minutes, some counties' series may still be missing.
	lacking := func() []string {
		var out []string
		for _, file := range []string{"riskmon-province.json", "riskmon-province-en.json"} {
			b, ok := boards[file]
			if !ok {
				t.Fatalf("no %s", file)
			}
			for _, p := range b.Panels {
				for _, tg := range p.Targets {
					expr := strings.ReplaceAll(tg.Expr, "$county", ".*")
					v, err := province.Query(ctx, expr)
					switch {
					case err != nil:
						t.Fatalf("%s: %s: %v", file, p.Title, err) // a query that does not parse will not start to
					case len(v) == 0:
						out = append(out, fmt.Sprintf("%s: %s: no data for %s", file, p.Title, expr))
					case strings.HasPrefix(expr, "sort_desc(") || strings.HasPrefix(expr, "max by (county)"): // one series a county
						seen := map[string]bool{}
						for _, s := range v {
							seen[s.Metric["county"]] = true
						}
						if !seen["county_a"] || !seen["county_b"] {
							out = append(out, fmt.Sprintf("%s: %s: counties %v, want county_a and county_b", file, p.Title, seen))
						}
					}
				}
			}
		}
		return out
	}
	systemtest.Eventually(t, 2*time.Minute, "every province panel with data for both counties", func() (bool, string) {
		l := lacking()
		return len(l) == 0, strings.Join(l, "; ")
	})
}
