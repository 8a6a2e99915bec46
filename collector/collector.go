package collector

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"

	"riskmon/config"
	"riskmon/store"
)

// Snapshot is the immutable result of one successful refresh: its domain
// metrics, encoded once.
type Snapshot struct {
	TakenAt time.Time
	text    []byte  // the metrics in the text exposition format
	gz      []byte  // text, gzip-compressed once: one member of each response
	summary Summary // for the reader that asked for one (Summarize)
	series  Series
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
	summary  atomic.Pointer[SummarySpec] // what each snapshot summarises (Summarize)

	self     *prometheus.Registry
	served   atomic.Pointer[response]
	encoding sync.Mutex // held while one scrape encodes the response
	encoder  encoder    // the snapshots' encoding, each reusing the last's unchanged families
	status   *refreshStatus
	http     *HTTPMetrics

	refreshed func(error) // if set, Run calls it after each refresh (tests)
	// read opens a refresh's read: the store's tallies (Store.Read), or in
	// the differential test the facts alone (Store.ReadFacts).
	read func(context.Context, func(*store.Reader) error) error
}

// New returns a collector over s. now is the clock; pass time.Now outside tests.
func New(s *store.Store, cfg *config.Config, now func() time.Time, build BuildInfo) *Collector {
	c := &Collector{store: s, scrapers: DefaultScrapers(), now: now, self: prometheus.NewRegistry(), read: s.Read}
	c.cfg.Store(cfg)
	c.status = newRefreshStatus(c.scrapers, build, c.cfg.Load)
	c.http = newHTTPMetrics()
	c.self.MustRegister(c.status, c.http.Requests, c.http.Duration, c.http.AuthFailures, c.http.APIInFlight, storeStats{s},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(s.DB(), "riskmon"))
	return c
}

// SetConfig swaps in a reloaded configuration; the next refresh uses it.
func (c *Collector) SetConfig(cfg *config.Config) {
	c.cfg.Store(cfg)
	c.served.Store(nil) // the next scrape shows the configured values
}

// Run refreshes at once and then every refresh interval until ctx ends. A
// failed refresh keeps the previous snapshot; its error is logged here, once.
func (c *Collector) Run(ctx context.Context, logger *slog.Logger) {
	for {
		err := c.Refresh(ctx)
		if err != nil && ctx.Err() == nil {
			logger.Error("refresh failed; serving the previous snapshot", "err", err)
		}
		if c.refreshed != nil {
			c.refreshed(err)
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
	snap, runs, err := c.build(ctx, cfg, c.now())
	c.status.record(time.Since(began), runs, snap)
	c.served.Store(nil) // the next scrape shows this refresh's self metrics
	if err != nil {
		return err
	}
	c.snap.Store(snap)
	return nil
}

// build runs every scraper in one read transaction and encodes what they
// emit. A scraper that fails does not stop the others, so that each one's
// success is reported, but the refresh is all or nothing: one failure and no
// snapshot is made.
func (c *Collector) build(ctx context.Context, cfg *config.Config, now time.Time) (*Snapshot, []scraperRun, error) {
	exp := newExposition()
	runs, err := c.scrape(ctx, cfg, now, exp.add)
	if err != nil {
		return nil, runs, fmt.Errorf("refresh: %w", err)
	}
	enc, err := c.encoder.encode(exp)
	if err != nil {
		return nil, runs, fmt.Errorf("refresh: %w", err)
	}
	snap := &Snapshot{TakenAt: now, text: enc.text, gz: enc.gz, series: exp.count()}
	if spec := c.summary.Load(); spec != nil {
		snap.summary = exp.summarize(*spec)
	}
	return snap, runs, nil
}

// scrape runs every scraper in one read transaction, emitting into emit.
func (c *Collector) scrape(ctx context.Context, cfg *config.Config, now time.Time, emit Emit) ([]scraperRun, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.QueryTimeout)
	defer cancel()
	env := &Env{Now: now, Rules: cfg.Rules, SensitivePeriods: map[string]bool{}, Sensitive: cfg.InSensitivePeriod(now), Disputes: cfg.Disputes, Matters: cfg.Matters}
	for _, name := range cfg.PeriodNames() {
		env.SensitivePeriods[name] = cfg.PeriodActive(name, now)
	}
	for _, p := range cfg.Periods {
		env.PeriodStarts = append(env.PeriodStarts, p.Start)
	}
	runs := make([]scraperRun, len(c.scrapers))
	err := c.read(ctx, func(r *store.Reader) error {
		var err error
		if env.Units, err = r.Units(ctx); err != nil {
			return fmt.Errorf("read the vocabulary: %w", err) // no scraper can run
		}
		if env.Categories, err = r.Categories(ctx); err != nil {
			return fmt.Errorf("read the vocabulary: %w", err)
		}
		var errs []error
		for i, s := range c.scrapers {
			began := time.Now()
			err := s.Scrape(ctx, r, env, emit)
			runs[i] = scraperRun{name: s.Name(), ok: err == nil, took: time.Since(began)}
			if err != nil {
				errs = append(errs, fmt.Errorf("scraper %s: %w", s.Name(), err))
			}
		}
		return errors.Join(errs...)
	})
	for i, s := range c.scrapers {
		runs[i].name = s.Name() // also those that never ran: they failed with the refresh
	}
	return runs, err
}

// Fresh reports whether the latest snapshot is within the staleness limit.
func (c *Collector) Fresh() bool { return c.fresh(c.snap.Load(), c.now()) }

// fresh reports whether s (nil: none yet) is within the staleness limit at
// now; a caller that uses the snapshot passes the one it loaded, so that
// what it reports and what it serves are one snapshot.
func (c *Collector) fresh(s *Snapshot, now time.Time) bool {
	return s != nil && now.Sub(s.TakenAt) <= c.cfg.Load().StalenessLimit
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

func encodeGathered(g prometheus.Gatherer) ([]byte, error) {
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

// Config returns the configuration in force.
func (c *Collector) Config() *config.Config { return c.cfg.Load() }
