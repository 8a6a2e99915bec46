package collector

import (
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"riskmon/config"
)

// scraperRun is how one scraper fared in a refresh.
type scraperRun struct {
	name string
	ok   bool
	took time.Duration
}

// refreshStatus is the collector's own state, exported as the live self
// metrics: how the last refresh went, scraper by scraper, and the
// configured values the rules and dashboards read.
type refreshStatus struct {
	build  BuildInfo
	config func() *config.Config

	mu          sync.Mutex
	ok          bool
	lastSuccess time.Time // zero before the first
	took        time.Duration
	errors      float64
	runs        []scraperRun
}

var _ prometheus.Collector = (*refreshStatus)(nil)

func newRefreshStatus(scrapers []Scraper, build BuildInfo, cfg func() *config.Config) *refreshStatus {
	st := &refreshStatus{build: build, config: cfg}
	for _, s := range scrapers {
		st.runs = append(st.runs, scraperRun{name: s.Name()}) // 0 until the first refresh
	}
	return st
}

// record notes a refresh that took took, with its scrapers' runs, and made
// snap (nil when it failed).
func (st *refreshStatus) record(took time.Duration, runs []scraperRun, snap *Snapshot) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.took, st.runs, st.ok = took, runs, snap != nil
	if snap != nil {
		st.lastSuccess = snap.TakenAt
	} else {
		st.errors++
	}
}

// Describe sends every self metric's descriptor.
func (st *refreshStatus) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range declared {
		if d.Doc.Live && !d.own {
			ch <- d.desc
		}
	}
}

// Collect emits the self metrics.
func (st *refreshStatus) Collect(ch chan<- prometheus.Metric) {
	st.mu.Lock()
	defer st.mu.Unlock()
	ch <- lastRefreshSuccess.metric(b2f(st.ok))
	last := 0.0
	if !st.lastSuccess.IsZero() {
		last = float64(st.lastSuccess.UnixNano()) / 1e9
	}
	ch <- lastSuccessTimestamp.metric(last)
	ch <- refreshDuration.metric(st.took.Seconds())
	ch <- refreshErrorsTotal.metric(st.errors)
	for _, r := range st.runs {
		ch <- scrapeSuccess.metric(b2f(r.ok), r.name)
		ch <- scrapeDuration.metric(r.took.Seconds(), r.name)
	}
	ch <- buildInfo.metric(1, st.build.Version, st.build.Revision, runtime.Version())
	cfg := st.config()
	ch <- configDueSoonHorizon.metric(cfg.Rules.DueSoon.Seconds())
	ch <- configCollectiveThreshold.metric(float64(cfg.Rules.CollectiveThreshold))
	ch <- configMajorPersons.metric(float64(cfg.Rules.MajorPersons))
	ch <- configStalenessLimit.metric(cfg.StalenessLimit.Seconds())
	ch <- configRefreshInterval.metric(cfg.RefreshInterval.Seconds())
	ch <- configBackfillHorizon.metric(cfg.Rules.BackfillHorizon.Seconds())
	ch <- configReportCutoff.metric(cfg.Disputes.ReportCutoff.Seconds())
	ch <- calendarCoveredUntil.metric(float64(cfg.Rules.Calendar.CoveredUntil().End(cfg.Rules.Location).Unix()))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
