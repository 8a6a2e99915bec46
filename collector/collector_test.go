package collector

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http/httptest"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
	"riskmon/systemtest"
)

// scrape reads /metrics through ServeHTTP, the path production serves, with
// or without gzip, and returns the body as served (unzipped).
func scrape(t testing.TB, c *Collector, gz bool) string {
	t.Helper()
	req := httptest.NewRequest("GET", "/metrics", nil)
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("/metrics: %d %s", rec.Code, rec.Body)
	}
	// One write of a known length: without it the answer goes out chunked.
	if got, want := rec.Header().Get("Content-Length"), strconv.Itoa(rec.Body.Len()); got != want {
		t.Fatalf("Content-Length = %q, the body has %s bytes", got, want)
	}
	body := io.Reader(rec.Body)
	if gz {
		if got := rec.Header().Get("Content-Encoding"); got != "gzip" {
			t.Fatalf("Content-Encoding = %q, want gzip", got)
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// families parses a scrape as Prometheus does.
func families(t testing.TB, body string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return mfs
}

// series flattens the domain metrics /metrics serves to "name{labels}" -> value.
func series(t testing.TB, c *Collector) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	live := map[string]bool{}
	for _, m := range Metrics() {
		live[m.Name] = m.Live
	}
	for name, mf := range families(t, scrape(t, c, false)) {
		if !strings.HasPrefix(name, "petition_") || live[name] {
			continue
		}
		for _, m := range mf.GetMetric() {
			out[name+labelString(m)] = value(m)
		}
	}
	return out
}

func labelString(m *dto.Metric) string {
	var parts []string
	for _, l := range m.GetLabel() {
		parts = append(parts, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ",") + "}"
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	}
	return m.GetUntyped().GetValue()
}

func nonZero(all map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range all {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

func countByName(all map[string]float64) map[string]int {
	out := map[string]int{}
	for k := range all {
		out[k[:strings.Index(k, "{")]]++
	}
	return out
}

func diff(t *testing.T, got, want map[string]float64) {
	t.Helper()
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected %s = %v", k, g)
		}
	}
}

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func newCollector(t testing.TB, s *store.Store) (*Collector, *clock) {
	clk := &clock{t: fixtureNow}
	return New(s, fixtureConfig(t), clk.Now, BuildInfo{Version: "test", Revision: "test"}), clk
}

// fixtureCollector is a collector over the fixture county, written case by
// case into a fresh database of the dialect, with its clock at fixtureNow.
func fixtureCollector(t *testing.T, dialect string) (*Collector, *clock) {
	t.Helper()
	s := storetest.Open(t, dialect)
	writeFixture(t, s, fixtureConfig(t).Rules)
	return newCollector(t, s)
}

func TestFixtureMetrics(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		for _, how := range []string{"one by one", "bulk load"} {
			t.Run(dialect+"/"+how, func(t *testing.T) {
				s := storetest.Open(t, dialect)
				r := fixtureConfig(t).Rules
				if how == "bulk load" {
					putFixtureReference(t, s)
					if err := s.Load(context.Background(), r, fixture()); err != nil {
						t.Fatal(err)
					}
					writeRegister(t, s, r)
				} else {
					writeFixture(t, s, r)
				}
				c, _ := newCollector(t, s)
				if err := c.Refresh(context.Background()); err != nil {
					t.Fatal(err)
				}
				got := series(t, c)
				want, wantSeries := map[string]float64{}, map[string]int{}
				for _, m := range []map[string]float64{fixtureWant, registerWant} {
					maps.Copy(want, m)
				}
				for _, m := range []map[string]int{fixtureSeries, registerSeries} {
					maps.Copy(wantSeries, m)
				}
				diff(t, nonZero(got), want)
				for name, n := range countByName(got) {
					if n != wantSeries[name] {
						t.Errorf("%s has %d series, want %d", name, n, wantSeries[name])
					}
				}
				for name := range wantSeries {
					if countByName(got)[name] == 0 {
						t.Errorf("%s is missing", name)
					}
				}
			})
		}
	}
}

func TestCountersKeepTheirLabelsAfterReassignment(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s := storetest.Open(t, dialect)
			r := fixtureConfig(t).Rules
			writeFixture(t, s, r)
			c, clk := newCollector(t, s)
			if err := c.Refresh(context.Background()); err != nil {
				t.Fatal(err)
			}
			before := series(t, c)
			move := petition.Event{Type: petition.EventReassigned, At: fixtureNow, Unit: "u2"}
			if _, _, err := s.AddEvent(context.Background(), r, "A1", move); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.AddEvent(context.Background(), r, "A1", petition.Event{Type: petition.EventAccepted, At: fixtureNow}); err != nil {
				t.Fatal(err)
			}
			clk.t = fixtureNow.Add(time.Second)
			if err := c.Refresh(context.Background()); err != nil {
				t.Fatal(err)
			}
			after := series(t, c)
			changes := map[string]float64{}
			for k, v := range after {
				if before[k] != v {
					changes[k] = v - before[k]
				}
			}
			diff(t, changes, map[string]float64{
				`petition_open{category="land_requisition",stage="acceptance",unit="u1"}`:                            -1,
				`petition_open{category="land_requisition",stage="handling",unit="u2"}`:                              1,
				`petition_stage_completed_total{stage="acceptance",unit="u2"}`:                                       1,
				`petition_stage_completed_reporting_period{reporting_period="month",stage="acceptance",unit="u2"}`:   1,
				`petition_stage_completed_reporting_period{reporting_period="quarter",stage="acceptance",unit="u2"}`: 1,
			})
		})
	}
}

func TestOutOfOrderRepeatMatchesInOrder(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	r := fixtureConfig(t).Rules
	putFixtureReference(t, s)
	ctx := context.Background()
	// in received order the second and third are repeats; written newest first
	for _, c := range []petition.Case{
		newCase("X3", "u1", "other", "visit", "county", 1, "PX", "2026-09-01 10:00:00"),
		newCase("X2", "u1", "other", "phone", "county", 1, "PX", "2026-05-01 10:00:00"),
		newCase("X1", "u1", "other", "letter", "county", 1, "PX", "2026-01-01 10:00:00"),
	} {
		if _, _, err := s.CreateCase(ctx, r, c); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := newCollector(t, s)
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	got := series(t, c)[`petition_repeat_received_total{category="other",unit="u1"}`]
	if got != 2 {
		t.Errorf("repeats = %v, want 2", got)
	}
}

func TestLint(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	writeFixture(t, s, fixtureConfig(t).Rules)
	c, _ := newCollector(t, s)
	c.HTTP().Requests.WithLabelValues("/metrics", "get", "200").Inc() // as a served request would
	c.HTTP().Duration.WithLabelValues("/metrics").Observe(0.01)
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	// promlint and promtool read what /metrics serves, byte for byte
	body := scrape(t, c, false)
	problems, err := promlint.New(strings.NewReader(body)).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
	for _, name := range Names() {
		if !strings.Contains(body, "\n"+name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	promtool := systemtest.Need(t, "promtool", "prometheus")
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

func TestStaleSnapshotIsWithheld(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	writeFixture(t, s, fixtureConfig(t).Rules)
	c, clk := newCollector(t, s)
	if c.Fresh() || len(series(t, c)) != 0 {
		t.Fatal("domain metrics before the first refresh")
	}
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	clk.t = fixtureNow.Add(2 * time.Minute)
	if !c.Fresh() || len(series(t, c)) == 0 {
		t.Fatal("withheld at exactly the staleness limit")
	}
	clk.t = fixtureNow.Add(2*time.Minute + time.Second)
	if c.Fresh() || len(series(t, c)) != 0 {
		t.Fatal("served past the staleness limit")
	}
	for _, gz := range []bool{false, true} {
		body := scrape(t, c, gz)
		if strings.Contains(body, "petition_open") || !strings.Contains(body, lastSuccessTimestamp.Doc.Name) ||
			!strings.Contains(body, configStalenessLimit.Doc.Name) {
			t.Errorf("stale /metrics (gzip %v) should keep only the self metrics:\n%.500s", gz, body)
		}
	}
}

func TestDeadlineSecondInSQL(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			c, clk := fixtureCollector(t, dialect)
			// B1's deadline, 24:00 of 8 October; N1 shares it, R2 and T1 (u1)
			// end at 24:00 of the 10th, within the horizon
			b1Deadline := local("2026-10-09 00:00:00")
			cases := []struct {
				now                  time.Time
				wantOverdue, wantDue float64
			}{
				{b1Deadline.Add(-time.Second), 0, 4},
				{b1Deadline, 0, 4},
				{b1Deadline.Add(time.Second), 1, 2},
			}
			for _, tc := range cases {
				clk.t = tc.now
				if err := c.Refresh(context.Background()); err != nil {
					t.Fatal(err)
				}
				got := series(t, c)
				overdue := got[`petition_overdue{category="land_requisition",stage="acceptance",unit="u1"}`]
				due := got[`petition_due_soon{stage="acceptance",unit="u1"}`]
				if overdue != tc.wantOverdue || due != tc.wantDue {
					t.Errorf("at %s: overdue %v due soon %v, want %v %v", tc.now, overdue, due, tc.wantOverdue, tc.wantDue)
				}
			}
		})
	}
}

// TestGzipScrapeIsTheSameText: the two gzip members of a compressed scrape
// read back, with Go's reader as Prometheus uses it, to exactly the plain body
// (the self metrics aside, which move between two requests).
func TestGzipScrapeIsTheSameText(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	writeFixture(t, s, fixtureConfig(t).Rules)
	c, _ := newCollector(t, s)
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	plain := scrape(t, c, false)
	unzipped := scrape(t, c, true)
	domain := func(body string) string {
		var keep []string
		for _, l := range strings.Split(body, "\n") {
			if strings.Contains(l, "petition_") && !strings.Contains(l, "petition_collector_") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	if got, want := domain(unzipped), domain(plain); got != want || len(want) < 1000 {
		t.Errorf("gzip body differs from the plain one (%d vs %d bytes of domain lines)", len(got), len(want))
	}
	if !strings.Contains(unzipped, lastSuccessTimestamp.Doc.Name) {
		t.Error("the self metrics member is missing from the gzip body")
	}
}

// TestNationalDayDeadlines: cases whose last day falls in the National Day
// holiday are on time through it (3 October) and overdue after the day it
// moved to, 8 October, when not completed.
func TestNationalDayDeadlines(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			c, clk := fixtureCollector(t, dialect)
			for _, tc := range []struct {
				now  string
				want map[string]float64
			}{
				{"2026-10-03 03:00:00", map[string]float64{
					`petition_overdue{category="labour_social_security",stage="acceptance",unit="u1"}`: 0, // N1
					`petition_overdue{category="land_requisition",stage="acceptance",unit="u1"}`:       0, // B1
					`petition_overdue{category="labour_social_security",stage="handling",unit="u2"}`:   0, // N2, accepted
				}},
				{"2026-10-09 09:00:00", map[string]float64{
					`petition_overdue{category="labour_social_security",stage="acceptance",unit="u1"}`: 1,
					`petition_overdue{category="land_requisition",stage="acceptance",unit="u1"}`:       1,
					`petition_overdue{category="labour_social_security",stage="handling",unit="u2"}`:   0,
				}},
			} {
				clk.t = local(tc.now)
				if err := c.Refresh(context.Background()); err != nil {
					t.Fatal(err)
				}
				got := series(t, c)
				for k, want := range tc.want {
					if v, ok := got[k]; !ok || v != want {
						t.Errorf("at %s: %s = %v (present %v), want %v", tc.now, k, v, ok, want)
					}
				}
			}
		})
	}
}
