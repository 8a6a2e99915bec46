package collector

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"

	"riskmon/config"
	"riskmon/store"
)

// Snapshot is the immutable result of one successful refresh.
type Snapshot struct {
	TakenAt time.Time
	Metrics []prometheus.Metric
	text    []byte // the metrics in the text exposition format, encoded once
	gz      []byte // text, gzip-compressed once: one member of each response
}

// BuildInfo labels petition_build_info.
type BuildInfo struct {
	Version  string
	Revision string
}

// Collector refreshes the snapshot in the background and serves it.
type Collector struct {
	store    *store.Store
	scrapers []Scraper
	now      func() time.Time
	cfg      atomic.Pointer[config.Config]
	snap     atomic.Pointer[Snapshot]

	self        *prometheus.Registry
	selfCache   atomic.Pointer[selfEncoding]
	success     prometheus.Gauge
	lastSuccess prometheus.Gauge
	duration    prometheus.Gauge
	errors      prometheus.Counter
}

// New returns a collector over s. now is the clock; pass time.Now outside tests.
func New(s *store.Store, cfg *config.Config, now func() time.Time, build BuildInfo) *Collector {
	c := &Collector{store: s, scrapers: DefaultScrapers(), now: now, self: prometheus.NewRegistry()}
	c.cfg.Store(cfg)
	c.success = prometheus.NewGauge(prometheus.GaugeOpts{Name: lastRefreshSuccessName,
		Help: "1 if the last refresh of the snapshot succeeded, else 0."})
	c.lastSuccess = prometheus.NewGauge(prometheus.GaugeOpts{Name: lastSuccessTimestampName,
		Help: "Time of the last successful refresh of the snapshot; 0 before the first."})
	c.duration = prometheus.NewGauge(prometheus.GaugeOpts{Name: refreshDurationName,
		Help: "Duration of the last refresh of the snapshot, successful or not."})
	c.errors = prometheus.NewCounter(prometheus.CounterOpts{Name: refreshErrorsName,
		Help: "Refreshes of the snapshot that failed."})
	buildInfo := prometheus.NewGauge(prometheus.GaugeOpts{Name: buildInfoName,
		Help:        "Build of the running riskmon; always 1.",
		ConstLabels: prometheus.Labels{"version": build.Version, "revision": build.Revision, "goversion": runtime.Version()}})
	buildInfo.Set(1)
	c.self.MustRegister(c.success, c.lastSuccess, c.duration, c.errors, buildInfo,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(s.DB(), "riskmon"))
	return c
}

// SetConfig swaps in a reloaded configuration; the next refresh uses it.
func (c *Collector) SetConfig(cfg *config.Config) { c.cfg.Store(cfg) }

// Run refreshes at once and then every refresh interval until ctx ends. A
// failed refresh keeps the previous snapshot; its error is logged here, once.
func (c *Collector) Run(ctx context.Context, logger *slog.Logger) {
	for {
		if err := c.Refresh(ctx); err != nil && ctx.Err() == nil {
			logger.Error("refresh failed; serving the previous snapshot", "err", err)
		}
		t := time.NewTimer(c.cfg.Load().RefreshInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// Refresh reads the database once and replaces the snapshot on success.
func (c *Collector) Refresh(ctx context.Context) error {
	cfg := c.cfg.Load()
	began := time.Now() // wall time spent, whatever the injected clock says
	snap, err := c.build(ctx, cfg, c.now())
	c.duration.Set(time.Since(began).Seconds())
	defer c.selfCache.Store(nil) // the next scrape shows this refresh's self metrics
	if err != nil {
		c.success.Set(0)
		c.errors.Inc()
		return err
	}
	c.snap.Store(snap)
	c.success.Set(1)
	c.lastSuccess.Set(float64(snap.TakenAt.UnixNano()) / 1e9)
	return nil
}

func (c *Collector) build(ctx context.Context, cfg *config.Config, now time.Time) (*Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.QueryTimeout)
	defer cancel()
	env := &Env{Now: now, Rules: cfg.Rules, Periods: map[string]bool{}}
	for _, name := range cfg.PeriodNames() {
		env.Periods[name] = cfg.PeriodActive(name, now)
	}
	var metrics []prometheus.Metric
	emit := func(d *prometheus.Desc, t prometheus.ValueType, v float64, labels ...string) {
		metrics = append(metrics, prometheus.MustNewConstMetric(d, t, v, labels...))
	}
	err := c.store.Read(ctx, func(r *store.Reader) error {
		var err error
		if env.Units, err = r.Units(ctx); err != nil {
			return err
		}
		if env.Categories, err = r.Categories(ctx); err != nil {
			return err
		}
		for _, s := range c.scrapers {
			if err := s.Scrape(ctx, r, env, emit); err != nil {
				return fmt.Errorf("scraper %s: %w", s.Name(), err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("refresh: %w", err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(constCollector(metrics))
	text, err := encode(reg)
	if err != nil {
		return nil, fmt.Errorf("refresh: %w", err)
	}
	gz, err := compress(text, gzip.DefaultCompression)
	if err != nil {
		return nil, fmt.Errorf("refresh: %w", err)
	}
	return &Snapshot{TakenAt: now, Metrics: metrics, text: text, gz: gz}, nil
}

// Fresh reports whether the latest snapshot is within the staleness limit.
func (c *Collector) Fresh() bool {
	s := c.snap.Load()
	return s != nil && c.now().Sub(s.TakenAt) <= c.cfg.Load().StalenessLimit
}

// Describe sends nothing: the domain metrics are unchecked, their label
// values come from the database.
func (c *Collector) Describe(chan<- *prometheus.Desc) {}

// Collect emits the fresh snapshot's domain metrics, or nothing when it is
// stale, so that no screen shows old numbers as current.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	if !c.Fresh() {
		return
	}
	for _, m := range c.snap.Load().Metrics {
		ch <- m
	}
}

// Gatherer gathers everything /metrics serves: the domain metrics and the
// self metrics. /metrics itself writes the pre-encoded snapshot instead.
func (c *Collector) Gatherer() prometheus.Gatherer {
	domain := prometheus.NewRegistry()
	domain.MustRegister(c)
	return prometheus.Gatherers{domain, c.self}
}

var textFormat = expfmt.NewFormat(expfmt.TypeTextPlain)

// ServeHTTP writes the snapshot encoded at refresh time, then the live self
// metrics: a scrape costs the same at ten cases or ten million and never
// reaches the database. Prometheus asks for gzip; the snapshot was compressed
// once at refresh and the self metrics follow as a second gzip member, which
// RFC 1952 allows and Go's reader (Prometheus's) reads as one stream.
func (c *Collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	self, err := c.selfMetrics()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var snap *Snapshot
	if c.Fresh() {
		snap = c.snap.Load()
	}
	h := w.Header()
	h.Set("Content-Type", string(textFormat))
	h.Add("Vary", "Accept-Encoding")
	if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		if snap != nil {
			w.Write(snap.text)
		}
		w.Write(self.text)
		return
	}
	h.Set("Content-Encoding", "gzip")
	if snap != nil {
		w.Write(snap.gz)
	}
	w.Write(self.gz)
}

// selfEncoding is the self metrics encoded for at most selfCacheFor: many
// Prometheus servers scraping at once share one gather, and a refresh clears it.
type selfEncoding struct {
	at       time.Time
	text, gz []byte
}

const selfCacheFor = time.Second

func (c *Collector) selfMetrics() (*selfEncoding, error) {
	if e := c.selfCache.Load(); e != nil && time.Since(e.at) < selfCacheFor {
		return e, nil
	}
	text, err := encode(c.self)
	if err != nil {
		return nil, fmt.Errorf("encode self metrics: %w", err)
	}
	gz, err := compress(text, gzip.BestSpeed)
	if err != nil {
		return nil, fmt.Errorf("compress self metrics: %w", err)
	}
	e := &selfEncoding{at: time.Now(), text: text, gz: gz}
	c.selfCache.Store(e)
	return e, nil
}

func compress(b []byte, level int) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return buf.Bytes(), nil
}

func encode(g prometheus.Gatherer) ([]byte, error) {
	mfs, err := g.Gather()
	if err != nil {
		return nil, fmt.Errorf("gather: %w", err)
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, textFormat)
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return nil, fmt.Errorf("encode %s: %w", mf.GetName(), err)
		}
	}
	return buf.Bytes(), nil
}

// constCollector gathers a fixed set of const metrics.
type constCollector []prometheus.Metric

func (constCollector) Describe(chan<- *prometheus.Desc) {}

func (m constCollector) Collect(ch chan<- prometheus.Metric) {
	for _, x := range m {
		ch <- x
	}
}

// Config returns the configuration in force.
func (c *Collector) Config() *config.Config { return c.cfg.Load() }
