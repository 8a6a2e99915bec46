package dashboards_test

import (
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"riskmon/store/storetest"
	"riskmon/systemtest"
)

// answer is a query's result as a comparable string: each series' labels
// (instance and job aside: they name who was scraped) and value, sorted.
func answer(samples []systemtest.Sample) string {
	var out []string
	for _, s := range samples {
		var labels []string
		for k, v := range s.Metric {
			if k != "instance" && k != "job" {
				labels = append(labels, k+"="+v)
			}
		}
		slices.Sort(labels)
		out = append(out, fmt.Sprintf("%s %v", strings.Join(labels, ","), s.Value[1]))
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}

// TestQueriesWithTwoReplicas: every panel query gives the same answer from
// a Prometheus scraping two riskmon replicas of one database as from one
// scraping a single replica (queries of the time, or of a replica's own
// numbers, aside), and none fails.
func TestQueriesWithTwoReplicas(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t, "mysql")
	env := []string{"RISKMON_DB=" + dsn, "RISKMON_REFRESH_INTERVAL=1s", "RISKMON_STALENESS_LIMIT=30s",
		"RISKMON_PETITIONER_KEY=replicas-key-0123456789abcdef"}
	seed := exec.Command(systemtest.Binary(t), "seed", "--cases", "2000")
	seed.Env = append(seed.Environ(), env...)
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	a := systemtest.StartRiskmon(t, nil, env)
	b := systemtest.StartRiskmon(t, nil, env)
	one := systemtest.StartPrometheusOf(t, []string{a.Addr}, "../alerts/rules.yml")
	both := systemtest.StartPrometheusOf(t, []string{a.Addr, b.Addr}, "../alerts/rules.yml")
	for _, p := range []*systemtest.Prometheus{one, both} {
		systemtest.Eventually(t, 2*time.Minute, "scrapes and recorded rules", func() (bool, string) {
			v, err := p.Query(ctx, `count_over_time(petition:repeat_rate_30d:ratio[1m]) >= 3`)
			if err != nil {
				return false, err.Error()
			}
			return len(v) == 1, fmt.Sprint(v)
		})
	}
	compared := 0
	for file, bd := range loadBoards(t) {
		for _, p := range bd.Panels {
			for _, tg := range p.Targets {
				expr := strings.NewReplacer("$unit", "qingshan", "$county", ".*", "$__rate_interval", "1m").Replace(tg.Expr)
				got, err := both.Query(ctx, expr)
				if err != nil {
					t.Errorf("%s: %s: with two replicas: %v", file, p.Title, err)
					continue
				}
				// the time moves between the two queries; the health board is
				// about each replica, and scrape_duration_seconds of each differs
				if strings.Contains(expr, "time()") || strings.Contains(file, "service-health") || strings.Contains(expr, "ALERTS") {
					continue
				}
				want, err := one.Query(ctx, expr)
				if err != nil {
					t.Fatal(err)
				}
				if answer(got) != answer(want) {
					t.Errorf("%s: %s: two replicas answer\n  %s\none answers\n  %s", file, p.Title, answer(got), answer(want))
				}
				compared++
			}
		}
	}
	if compared < 60 {
		t.Errorf("only %d queries compared", compared)
	}
}
