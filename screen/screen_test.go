package screen_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"riskmon/collector"
	"riskmon/config"
	"riskmon/demo"
	"riskmon/screen"
	"riskmon/store/storetest"
)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// demoScreen serves /screen over the demo county at 18:00 local on 28
// November 2026 (the demo's drill is a sensitive period; the daily report's
// cut-off has passed), refreshed once.
func demoScreen(t *testing.T) (*httptest.Server, *clock, *collector.Collector) {
	t.Helper()
	ctx := context.Background()
	s := storetest.Open(t, "sqlite")
	cfg, err := config.Load(config.Source{})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
	cfg.Periods = demo.Periods(cfg.Rules.Location, clk.t)
	s.SetClock(clk.Now)
	if err := demo.Seed(ctx, s, cfg.Rules, demo.Key, clk.t); err != nil {
		t.Fatal(err)
	}
	col := collector.New(s, cfg, clk.Now, collector.BuildInfo{})
	h := screen.NewHandler(col, clk.Now) // before the refresh: its snapshot has the screen's summary
	if err := col.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, clk, col
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return string(b)
}

// todayFromMetrics is what /metrics says of today's petitions, read as
// Prometheus would: the screen must say the same.
func todayFromMetrics(t *testing.T, col *collector.Collector, name string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	col.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, m := range fams[name].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "window" && l.GetValue() == "today" {
				total += m.GetGauge().GetValue()
			}
		}
	}
	return fmt.Sprintf("%.0f", total)
}

func TestScreenShowsTheSnapshot(t *testing.T) {
	srv, _, col := demoScreen(t)
	page := get(t, srv.URL)
	for id, metric := range map[string]string{"received": "petition_received_window", "collective": "petition_collective_received_window",
		"skip-level": "petition_skip_level_received_window"} {
		want := todayFromMetrics(t, col, metric)
		if !strings.Contains(page, `id="`+id+`">`+want+`<`) {
			t.Errorf("%s: the screen does not show %s, as /metrics does", id, want)
		}
	}
	for _, want := range []string{`lang="zh-CN"`, "信访指挥中心", "敏感期", "各单位超期与即将到期", "72小时内到期",
		// the demo's two forgetful units, by name, after 17:00
		"截止时间后未报日报：演示县国有资产管理办公室、演示县黄土乡",
		// the demo's rising matters, the most petitioners first; its land
		// compensation, one petitioner's three letters, does not rise
		// (the count first: a long name is cut at the tile's edge)
		`<div>上升事项</div><div class="matter">4人 · 演示：城东棚户区改造项目 · 演示县青山镇</div>` +
			`<div class="matter hot">1人 · 有高风险纠纷 · 演示：某纺织厂拖欠工资 · 演示县人力资源和社会保障局</div></div>`,
		`<meta http-equiv="refresh" content="30">`} {
		if !strings.Contains(page, want) {
			t.Errorf("the screen lacks %q", want)
		}
	}
	// the busiest units and "and N more": every line the table has room for
	// but its header row and the matters' and the reports' lines above it
	if n, want := strings.Count(page, "<tr>")-1, screen.UnitLines-3; n != want {
		t.Errorf("%d unit rows and the line for the rest, want %d", n, want)
	}
	// a wall PC with no internet: nothing to fetch
	if m := regexp.MustCompile(`(?i)<script|<link|src=|url\(|@import|https?://`).FindString(page); m != "" {
		t.Errorf("the page fetches something: %q", m)
	}
	en := get(t, srv.URL+"?lang=en")
	for _, want := range []string{`lang="en"`, "Petition command center", "SENSITIVE PERIOD", "Due within 72 h",
		"No daily report after the cut-off: "} {
		if !strings.Contains(en, want) {
			t.Errorf("the English screen lacks %q", want)
		}
	}
}

func TestScreenSaysWhenStale(t *testing.T) {
	srv, clk, col := demoScreen(t)
	clk.t = clk.t.Add(col.Config().StalenessLimit + time.Second)
	page := get(t, srv.URL)
	if !strings.Contains(page, `id="stale"`) || !strings.Contains(page, "数据过期") || !strings.Contains(page, "最后一次成功读取数据库：2026-11-28 18:00:00") {
		t.Errorf("a stale snapshot: the page does not say so:\n%s", page)
	}
	if strings.Contains(page, `id="received"`) {
		t.Error("a stale snapshot's numbers are shown as current")
	}
	if page := get(t, srv.URL+"?lang=en"); !strings.Contains(page, "DATA STALE") {
		t.Error("the English page does not say the data is stale")
	}
}

func TestScreenReadsExportedMetrics(t *testing.T) {
	exported := map[string]bool{}
	for _, n := range collector.Names() {
		exported[n] = true
	}
	for _, n := range screen.Metrics {
		if !exported[n] {
			t.Errorf("the screen reads %s, which the collector does not export", n)
		}
	}
}

// The screen's policy allows its one style block by hash, and that is the
// block the page serves, fresh or stale: a policy that does not match would
// leave the wall screen unstyled.
func TestPolicyAllowsTheStyleServed(t *testing.T) {
	srv, clk, _ := demoScreen(t)
	for _, when := range []string{"fresh", "stale"} {
		if when == "stale" {
			clk.t = clk.t.Add(time.Hour)
		}
		resp, err := http.Get(srv.URL + "/screen")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		_, rest, _ := strings.Cut(string(b), "<style>")
		style, _, ok := strings.Cut(rest, "</style>")
		if !ok {
			t.Fatalf("%s: the page has no style block", when)
		}
		sum := sha256.Sum256([]byte(style))
		csp := resp.Header.Get("Content-Security-Policy")
		if want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, want) || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q, want %s and frame-ancestors 'none'", when, csp, want)
		}
	}
}
