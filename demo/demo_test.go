package demo

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"riskmon/collector"
	"riskmon/config"
	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// TestDemoShowsEveryMetric: on the demo county every domain metric has a
// non-zero series, so every panel built on it shows something real.
func TestDemoShowsEveryMetric(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s := storetest.Open(t, dialect)
			cfg, err := config.Load(config.Source{})
			if err != nil {
				t.Fatal(err)
			}
			// 18:00 in the county: past the daily report's cut-off, so the
			// forgetful units show as missing
			clk := &clock{t: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
			cfg.Periods = Periods(cfg.Rules.Location, clk.t)
			ctx := context.Background()
			s.SetClock(clk.Now) // the demo is registered at its own "now"
			if err := Seed(ctx, s, cfg.Rules, Key, clk.t); err != nil {
				t.Fatal(err)
			}
			col := collector.New(s, cfg, clk.Now, collector.BuildInfo{})
			if err := col.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			col.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
			parser := expfmt.NewTextParser(model.UTF8Validation)
			mfs, err := parser.TextToMetricFamilies(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			nonZero := map[string]bool{}
			for _, mf := range mfs {
				for _, m := range mf.GetMetric() {
					if m.GetGauge().GetValue() != 0 || m.GetCounter().GetValue() != 0 {
						nonZero[mf.GetName()] = true
					}
				}
			}
			// the surging category is above rules.yml's normal thresholds
			// (at least 5 petitioners, more than twice the usual week)
			surge := map[string]float64{}
			for _, name := range []string{"petition_category_petitioners", "petition_category_petitioners_baseline"} {
				for _, m := range mfs[name].GetMetric() {
					l := map[string]string{}
					for _, p := range m.GetLabel() {
						l[p.GetName()] = p.GetValue()
					}
					if l["unit"] == surgeCases.unit && l["category"] == surgeCases.category {
						surge[name] = m.GetGauge().GetValue()
					}
				}
			}
			if now, usual := surge["petition_category_petitioners"], surge["petition_category_petitioners_baseline"]; now < 5 || now <= 2*usual {
				t.Errorf("the demo's surge: %v petitioners in 7 days against %v in a usual week, want at least 5 and above twice", now, usual)
			}
			for _, m := range collector.Metrics() {
				// errors, HTTP requests and the store's queue and retries: none
				// happen in this test (the seed bulk-loads)
				if !nonZero[m.Name] && !strings.HasPrefix(m.Name, "petition_collector_refresh_errors") && !m.PerRequest &&
					!strings.HasPrefix(m.Name, "petition_store_") {
					t.Errorf("%s is zero everywhere in the demo", m.Name)
				}
			}
		})
	}
}

// TestSimulatorAdvancesCases steps the simulator through a day: every step is
// accepted by the store, and its new cases move the counters.
func TestSimulatorAdvancesCases(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	ctx := context.Background()
	if err := PutReference(ctx, s); err != nil {
		t.Fatal(err)
	}
	r := petition.DefaultRules(time.UTC)
	clk := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	sim := NewSimulator(s, func() petition.Rules { return r }, Key, clk.Now, 7)
	for i := 0; i < 200; i++ {
		clk.t = clk.t.Add(7 * time.Minute)
		if err := sim.Step(ctx); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	var received, completed int64
	err := s.Read(ctx, func(rd *store.Reader) error {
		rc, err := store.AllReceipts.Read(ctx, rd)
		for _, x := range rc {
			received += x.Cases
		}
		if err != nil {
			return err
		}
		cc, err := store.AllCompletions.Read(ctx, rd)
		for _, x := range cc {
			completed += x.Completed
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if received < 80 || completed < 20 || int(received) != sim.seq {
		t.Errorf("after 200 steps: %d received (simulator made %d), %d stages completed", received, sim.seq, completed)
	}
	var found, ended int64
	if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status <> 'open' THEN 1 ELSE 0 END), 0) FROM disputes").Scan(&found, &ended); err != nil {
		t.Fatal(err)
	}
	if int(found) != sim.dseq || found < 10 || ended < 3 {
		t.Errorf("after 200 steps: %d disputes registered (simulator made %d), %d of them ended", found, sim.dseq, ended)
	}
	// 200 steps of 7 minutes from noon span two days: each unit but the
	// forgetful ones (and the bureau) reported on both
	var reports int
	if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM unit_reports").Scan(&reports); err != nil {
		t.Fatal(err)
	}
	if want := 2 * (len(Units) + 1 - len(ForgetfulUnits)); reports != want {
		t.Errorf("%d daily reports sent, want %d", reports, want)
	}
}
