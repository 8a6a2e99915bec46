package collector

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"riskmon/store"
	"riskmon/store/storetest"
)

// failing is a scraper that fails after emitting, as one whose second query
// fails would.
type failing struct{}

func (failing) Name() string { return "failing" }

func (failing) Scrape(_ context.Context, _ *store.Reader, env *Env, emit Emit) error {
	emit(overdueOldestDeadline, 99, "u1")
	return errors.New("the database went away")
}

// selfSeries is the live self metrics /metrics serves, "name{labels}" -> value.
func selfSeries(t *testing.T, c *Collector) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for name, mf := range families(t, scrape(t, c, false)) {
		for _, m := range mf.GetMetric() {
			out[name+labelString(m)] = value(m)
		}
	}
	return out
}

// A failing scraper is named by its own success series, the others keep
// theirs, and the refresh is all or nothing: the previous snapshot stays.
func TestScraperFailureIsNamedAndKeepsTheSnapshot(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	writeFixture(t, s, fixtureConfig(t).Rules)
	c, _ := newCollector(t, s)
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := series(t, c)
	c.scrapers = append(DefaultScrapers()[:2], append([]Scraper{failing{}}, DefaultScrapers()[2:]...)...)
	err := c.Refresh(context.Background())
	if err == nil || !strings.Contains(err.Error(), "scraper failing: the database went away") {
		t.Fatalf("refresh error %v, want one naming the failing scraper", err)
	}
	got := selfSeries(t, c)
	for _, sc := range c.scrapers {
		want := 1.0
		if sc.Name() == "failing" {
			want = 0
		}
		if v := got[`petition_collector_scrape_success{scraper="`+sc.Name()+`"}`]; v != want {
			t.Errorf("scrape_success of %s = %v, want %v", sc.Name(), v, want)
		}
	}
	if got["petition_collector_last_refresh_success{}"] != 0 || got["petition_collector_refresh_errors_total{}"] != 1 {
		t.Errorf("refresh success %v, errors %v; want 0 and 1", got["petition_collector_last_refresh_success{}"], got["petition_collector_refresh_errors_total{}"])
	}
	after := series(t, c)
	if len(after) != len(before) || after[`petition_overdue_oldest_deadline_timestamp_seconds{unit="u1"}`] == 99 {
		t.Error("the failed refresh's metrics were served")
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %v after the failed refresh, %v before", k, after[k], v)
		}
	}
}

// The configured values the rules and dashboards read are exported live,
// follow a reload, and stay while the snapshot is stale.
func TestConfiguredValuesAreExported(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	c, clk := newCollector(t, s)
	cfg := *c.Config()
	want := map[string]float64{
		"petition_config_due_soon_horizon_seconds{}": 72 * 3600,
		"petition_config_collective_threshold{}":     5,
		"petition_config_staleness_limit_seconds{}":  120,
		"petition_config_refresh_interval_seconds{}": 15,
		// the shipped calendar ends with 2026: 24:00 of 31 December, Beijing time
		"petition_calendar_covered_until_timestamp_seconds{}": float64(time.Date(2027, 1, 1, 0, 0, 0, 0, shanghai).Unix()),
	}
	check := func(when string) {
		got := selfSeries(t, c)
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s = %v, want %v", when, k, got[k], v)
			}
		}
	}
	check("before the first refresh")
	cfg.Rules.DueSoon, cfg.Rules.CollectiveThreshold, cfg.StalenessLimit = 48*time.Hour, 10, 5*time.Minute
	c.SetConfig(&cfg)
	want["petition_config_due_soon_horizon_seconds{}"] = 48 * 3600
	want["petition_config_collective_threshold{}"] = 10
	want["petition_config_staleness_limit_seconds{}"] = 300
	clk.t = clk.t.Add(time.Hour) // stale: no snapshot at all
	check("after a reload, stale")
}

// The time of the last successful refresh is the refresh's, to the second
// and beyond, as its clock said.
func TestLastSuccessTimestamp(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	c, clk := newCollector(t, s)
	const name = "petition_collector_last_success_timestamp_seconds{}"
	if got, ok := selfSeries(t, c)[name]; !ok || got != 0 {
		t.Errorf("before the first refresh: %v (present %v), want 0", got, ok)
	}
	clk.t = fixtureNow.Add(250 * time.Millisecond)
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := float64(fixtureNow.Unix()) + 0.25
	if got := selfSeries(t, c)[name]; math.Abs(got-want) > 1e-6 {
		t.Errorf("after a refresh at %s: %v, want %v", clk.t, got, want)
	}
}

// Every declared metric is documented with the type it is exposed with.
func TestDocumentedTypes(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	writeFixture(t, s, fixtureConfig(t).Rules)
	c, _ := newCollector(t, s)
	// the request metrics appear with the first request the server counts
	c.HTTP().Requests.WithLabelValues("/metrics", "get", "200").Inc()
	c.HTTP().Duration.WithLabelValues("/metrics").Observe(0.01)
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	fams := families(t, scrape(t, c, false))
	for _, m := range Metrics() {
		mf, ok := fams[m.Name]
		if !ok {
			if m.Name != overdueOldestDeadline.Doc.Name { // absent when no unit is overdue
				t.Errorf("%s is declared but not served", m.Name)
			}
			continue
		}
		if got := strings.ToLower(mf.GetType().String()); got != m.Type {
			t.Errorf("%s is documented as a %s, served as a %s", m.Name, m.Type, got)
		}
	}
}

// Scrapes within a second of each other share one encoding of the self
// metrics; a second later, or after a refresh, they are encoded again.
func TestSelfMetricsCachedForASecond(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	c, clk := newCollector(t, s)
	scrape(t, c, false)
	first := c.served.Load()
	if first == nil || !first.at.Equal(fixtureNow) {
		t.Fatalf("no self metrics cached at %s", fixtureNow)
	}
	clk.t = fixtureNow.Add(time.Second - time.Nanosecond)
	scrape(t, c, true)
	if c.served.Load() != first {
		t.Error("encoded again within the second")
	}
	clk.t = fixtureNow.Add(time.Second)
	scrape(t, c, false)
	second := c.served.Load()
	if second == first || !second.at.Equal(clk.t) {
		t.Error("the encoding of a second ago was served again")
	}
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	scrape(t, c, true)
	if got := c.served.Load(); got == second || got.snap != c.snap.Load() {
		t.Error("a new snapshot waited for the self metrics' second")
	}
}
