package alerts_test

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"riskmon/calendar"
	"riskmon/collector"
	"riskmon/config"
	"riskmon/demo"
	"riskmon/petition"
	"riskmon/store/storetest"
	"riskmon/systemtest"
)

// domainSeries reads a riskmon's /metrics and returns its domain series
// (not the live self metrics) as "name{labels}" -> value.
func domainSeries(addr string) (map[string]float64, error) {
	live := map[string]bool{}
	for _, m := range collector.Metrics() {
		live[m.Name] = m.Live
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := parser.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for name, mf := range mfs {
		if live[name] || !strings.HasPrefix(name, "petition_") {
			continue
		}
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			out[name+"{"+strings.Join(labels, ",")+"}"] = m.GetGauge().GetValue() + m.GetCounter().GetValue()
		}
	}
	return out, nil
}

// TestTwoReplicas: two riskmon replicas on one MariaDB database export the
// same domain series; a Prometheus scraping both pages once for a collective
// petition, counts it once, evaluates every rule without error, and keeps
// the alert firing when one replica dies.
func TestTwoReplicas(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t, "mysql")
	s := storetest.OpenDSN(t, dsn)
	if err := demo.PutReference(ctx, s); err != nil {
		t.Fatal(err)
	}
	key := "replicas-key-0123456789abcdef"
	env := []string{"RISKMON_DB=" + dsn, "RISKMON_REFRESH_INTERVAL=1s", "RISKMON_STALENESS_LIMIT=5s", "RISKMON_PETITIONER_KEY=" + key}
	a := systemtest.StartRiskmon(t, nil, env)
	b := systemtest.StartRiskmon(t, nil, env)
	// Prometheus sees the counters at 0 first: the petition is news
	prom := systemtest.StartPrometheusOf(t, []string{a.Addr, b.Addr}, shortRules(t))
	systemtest.Eventually(t, time.Minute, "both replicas scraped", func() (bool, string) {
		v, err := prom.Query(ctx, `count(count_over_time(petition_collective_received_timely_total{unit="qingshan"}[1m]) >= 2)`)
		if err != nil {
			return false, err.Error()
		}
		return len(v) == 1 && v[0].Value[1] == "2", fmt.Sprint(v)
	})
	// An hour ago, but not before the replicas' local midnight: the case must
	// be in their "today" window (received_today below). Between 0:00 and
	// 1:00 in Shanghai (16:00-17:00 UTC) an hour ago was yesterday there.
	conf, err := config.Load(config.Source{Env: map[string]string{"RISKMON_PETITIONER_KEY": key}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	received := now.Add(-time.Hour)
	if midnight := calendar.DayOf(now, conf.Rules.Location).Start(conf.Rules.Location); received.Before(midnight) {
		received = midnight.Add(now.Sub(midnight) / 2)
	}
	_, _, err = s.CreateCase(ctx, petition.DefaultRules(time.UTC), petition.Case{CaseNo: "REP-1", ReceivedAt: received,
		Channel: "visit", Category: "land_requisition", Unit: "qingshan", Persons: 12, Level: "county",
		PetitionerHash: petition.PetitionerHash([]byte(key), "REP-PERSON")})
	if err != nil {
		t.Fatal(err)
	}
	systemtest.Eventually(t, 30*time.Second, "both replicas export the same domain series, the case counted", func() (bool, string) {
		sa, err := domainSeries(a.Addr)
		if err != nil {
			return false, err.Error()
		}
		sb, err := domainSeries(b.Addr)
		if err != nil {
			return false, err.Error()
		}
		counted := sa[`petition_collective_received_timely_total{unit=qingshan}`] == 1
		if !counted || len(sa) == 0 || !maps.Equal(sa, sb) {
			var differ []string
			for k, v := range sa {
				if sb[k] != v {
					differ = append(differ, fmt.Sprintf("%s %v/%v", k, v, sb[k]))
				}
			}
			slices.Sort(differ)
			return false, fmt.Sprintf("counted %v, %d and %d series, differing: %.5v", counted, len(sa), len(sb), differ)
		}
		return true, ""
	})

	// Each replica refreshes on its own clock: a replica can count the case
	// after Prometheus last scraped it. Wait for a scrape of each with the
	// case, or the count with one replica down would read the survivor's
	// scrape from before it.
	systemtest.Eventually(t, 30*time.Second, "Prometheus scraped the case from both replicas", func() (bool, string) {
		v, err := prom.Query(ctx, `count(petition_received_window{window="today",unit="qingshan",category="land_requisition"} == 1)`)
		if err != nil {
			return false, err.Error()
		}
		return len(v) == 1 && v[0].Value[1] == "2", fmt.Sprint(v)
	})
	systemtest.Eventually(t, time.Minute, "PetitionCollectiveReceived, once, for one petition", func() (bool, string) {
		v, err := prom.Query(ctx, `ALERTS{alertname="PetitionCollectiveReceived",alertstate="firing"}`)
		if err != nil {
			return false, err.Error()
		}
		return len(v) == 1 && v[0].Metric["unit"] == "qingshan", fmt.Sprint(v)
	})
	oneCount := func(what string) {
		t.Helper()
		v, err := prom.Query(ctx, `petition:received_today:sum`)
		if err != nil || len(v) != 1 || v[0].Value[1] != "1" {
			t.Errorf("%s: petition:received_today:sum = %v, %v; want 1 (not one a replica)", what, v, err)
		}
		if errs, err := prom.RuleErrors(ctx); err != nil || len(errs) > 0 {
			t.Errorf("%s: rules failing: %v %v", what, errs, err)
		}
	}
	oneCount("both replicas up")

	b.Stop()
	systemtest.Eventually(t, time.Minute, "replica b seen down", func() (bool, string) {
		v, err := prom.Query(ctx, `up{job="riskmon"} == 0`)
		if err != nil {
			return false, err.Error()
		}
		return len(v) == 1, fmt.Sprint(v)
	})
	// the count evaluated after the scrape that found b down, not before it
	down := time.Now()
	systemtest.Eventually(t, 30*time.Second, "the rules evaluated with replica b down", func() (bool, string) {
		at, err := prom.RuleEvaluatedAt(ctx, "petition:received_today:sum")
		if err != nil {
			return false, err.Error()
		}
		return at.After(down), fmt.Sprintf("last evaluated at %s, b seen down at %s", at, down)
	})
	oneCount("one replica down")
	v, err := prom.Query(ctx, `ALERTS{alertname="PetitionCollectiveReceived",alertstate="firing"}`)
	if err != nil || len(v) != 1 {
		t.Errorf("one replica down: PetitionCollectiveReceived %v, %v; want it still firing, once", v, err)
	}
}
