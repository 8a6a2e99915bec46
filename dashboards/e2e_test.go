package dashboards_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"riskmon/dashboards"
	"riskmon/systemtest"
)

// TestQueriesAgainstPrometheus: a real Prometheus 2.42 scrapes `riskmon serve
// --demo` and evaluates alerts/rules.yml; every query of every panel and
// variable, in both languages, parses and returns data, except the ones the
// generator marks as legitimately empty, which must still parse.
func TestQueriesAgainstPrometheus(t *testing.T) {
	rk := systemtest.StartRiskmon(t, []string{"--demo"}, []string{"RISKMON_REFRESH_INTERVAL=1s", "RISKMON_STALENESS_LIMIT=30s"})
	prom := systemtest.StartPrometheus(t, rk.Addr, "../alerts/rules.yml")
	ctx := context.Background()
	systemtest.Eventually(t, 2*time.Minute, "scrapes and recorded rules", func() (bool, string) {
		v, err := prom.Query(ctx, `count_over_time(up{job="riskmon"}[1m]) >= 5 and on() count(petition:repeat_rate_30d:ratio) > 0`)
		if err != nil {
			return false, err.Error()
		}
		return len(v) == 1, fmt.Sprint(v)
	})
	boards := loadBoards(t)
	mayBeEmpty := map[string]map[string]bool{} // uid -> expr
	for _, l := range dashboards.Langs {
		built, err := dashboards.All(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range built {
			mayBeEmpty[*b.Dashboard.Uid] = b.MayBeEmpty
		}
	}
	queried := 0
	for file, b := range boards {
		vars := map[string]string{} // name -> the value Grafana would pick first
		for _, v := range b.Templating.List {
			if v.Type != "query" {
				continue
			}
			var q string
			if err := json.Unmarshal(v.Query, &q); err != nil {
				t.Fatalf("%s: variable %s: %v", file, v.Name, err)
			}
			q = strings.ReplaceAll(q, "$county", ".*")
			if metric, ok := strings.CutPrefix(q, "label_values("); ok {
				// the county variable: its metric exists; on a county's
				// Prometheus it has no county label to offer, and All is .*
				metric, _, _ = strings.Cut(metric, ",")
				if samples, err := prom.Query(ctx, metric); err != nil || len(samples) == 0 {
					t.Errorf("%s: variable %s: %s: %v, %d samples", file, v.Name, metric, err, len(samples))
				}
				continue
			}
			inner := strings.TrimSuffix(strings.TrimPrefix(q, "query_result("), ")")
			samples, err := prom.Query(ctx, inner)
			if err != nil || len(samples) == 0 {
				t.Errorf("%s: variable %s: %q: %v, %d samples", file, v.Name, q, err, len(samples))
				continue
			}
			re := regexp.MustCompile(strings.Trim(v.Regex, "/"))
			for _, s := range samples {
				line := grafanaLine(s)
				if m := re.FindStringSubmatch(line); m == nil {
					t.Errorf("%s: variable %s: regex does not match %s", file, v.Name, line)
				} else if vars[v.Name] == "" {
					vars[v.Name] = m[re.SubexpIndex("value")]
				}
			}
		}
		unit := vars["unit"]
		for _, p := range b.Panels {
			for _, tg := range p.Targets {
				// All counties: a county's Prometheus has no county label
				expr := strings.NewReplacer("$unit", unit, "$county", ".*", "$__rate_interval", "1m").Replace(tg.Expr)
				samples, err := prom.Query(ctx, expr)
				queried++
				switch {
				case err != nil:
					t.Errorf("%s: %s: %v", file, p.Title, err)
				case len(samples) == 0 && !mayBeEmpty[b.UID][tg.Expr]:
					t.Errorf("%s: %s: no data for %s", file, p.Title, expr)
				}
			}
		}
	}
	if queried < 60 {
		t.Errorf("only %d queries ran", queried)
	}
}

// grafanaLine writes a sample as Grafana's query_result does for a variable's
// regex: name{label="value",...} value timestamp-in-ms, labels in the order
// Prometheus returns them (sorted).
func grafanaLine(s systemtest.Sample) string {
	var labels []string
	for _, k := range slices.Sorted(maps.Keys(s.Metric)) {
		if k != "__name__" {
			labels = append(labels, fmt.Sprintf("%s=%q", k, s.Metric[k]))
		}
	}
	ts, _ := s.Value[0].(float64)
	return fmt.Sprintf("%s{%s} %v %d", s.Metric["__name__"], strings.Join(labels, ","), s.Value[1], int64(ts*1000))
}
