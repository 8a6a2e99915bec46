package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/exporter-toolkit/web"

	"riskmon/collector"
	"riskmon/config"
	"riskmon/demo"
	"riskmon/intake"
	"riskmon/petition"
	"riskmon/store"
)

func serve(ctx context.Context, args []string, logger *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	source := configFlags(fs)
	demoMode := fs.Bool("demo", false, "run on a fresh embedded database with a synthetic county and a live simulator")
	if err := fs.Parse(args); err != nil {
		return err
	}
	src := source()
	load := func() (*config.Config, error) { return loadChecked(src, false) }
	if *demoMode {
		dir, err := os.MkdirTemp("", "riskmon-demo-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer os.RemoveAll(dir)
		load = func() (*config.Config, error) { return demoConfig(src, filepath.Join(dir, "demo.db")) }
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	var lns listeners
	for _, l := range []struct {
		addr string
		ln   *net.Listener
	}{{cfg.Listen, &lns.api}, {cfg.OpsListen, &lns.ops}} {
		if l.addr == "" {
			continue
		}
		if *l.ln, err = net.Listen("tcp", l.addr); err != nil {
			lns.close()
			return fmt.Errorf("listen on %s: %w", l.addr, err)
		}
	}
	return serveOn(ctx, lns, cfg, load, *demoMode, startRetry, logger)
}

// listeners are the service's: the API's (listen), and the operations
// endpoints' when they have their own (ops_listen), else nil.
type listeners struct{ api, ops net.Listener }

func (l listeners) close() {
	for _, ln := range []net.Listener{l.api, l.ops} {
		if ln != nil {
			ln.Close()
		}
	}
}

// retryPolicy is how the service waits for a database that does not answer
// at start: first, then doubling up to most, each with jitter.
type retryPolicy struct{ first, most time.Duration }

var startRetry = retryPolicy{first: time.Second, most: 30 * time.Second}

// serveOn serves on ln at once and prepares the database meanwhile: while it
// does not answer, /healthz says the process is alive, /readyz 503, the API
// 503 with Retry-After, /metrics only the self metrics (the domain ones are
// stale), and the preparation is retried with backoff until it succeeds.
// An error that waiting will not mend (another petitioner key, a bulk load
// running, a refused migration) stops the service.
func serveOn(ctx context.Context, lns listeners, cfg *config.Config, load func() (*config.Config, error), demoMode bool, retry retryPolicy, logger *slog.Logger) error {
	s, err := store.OpenLazy(cfg.DB)
	if err != nil {
		lns.close()
		return err
	}
	defer s.Close()
	live := config.NewLive(cfg)
	col := collector.New(s, cfg, time.Now, collector.BuildInfo{Version: version, Revision: revision})
	live.OnChange(col.SetConfig)
	var ready atomic.Bool
	api := &intake.API{Store: s, Config: live.Load, Now: time.Now, Logger: logger, Ready: ready.Load}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := serveAll(runCtx, cancel, lns, col, s, api, cfg, logger)

	gate, err := prepareRetrying(runCtx, retry, logger, func(ctx context.Context) (*store.Gate, error) {
		return prepare(ctx, s, cfg, demoMode, logger)
	})
	if err != nil {
		cancel()
		if herr := <-served; herr != nil {
			logger.Error("http server", "err", herr)
		}
		if ctx.Err() != nil {
			return nil // stopped while waiting for the database
		}
		return err
	}
	ready.Store(true)
	kept := make(chan struct{})
	go func() {
		defer close(kept)
		t := time.NewTicker(gateCheckEvery)
		defer t.Stop()
		keepGate(runCtx, gate, &ready, t.C, logger)
	}()
	defer func() {
		cancel()
		<-kept // Keep and Release must not race
		gate.Release()
	}()
	go col.Run(runCtx, logger)
	if demoMode {
		sim := demo.NewSimulator(s, func() petition.Rules { return live.Load().Rules }, cfg.PetitionerKey, time.Now, uint64(time.Now().UnixNano()))
		go sim.Run(runCtx, cfg.SimulateEvery, func(err error) { logger.Error("demo simulator", "err", err) })
	}
	keeper := newRulesKeeper(s, logger)
	keeper.request(cfg.Rules)
	live.OnChange(func(next *config.Config) { keeper.request(next.Rules) })
	go keeper.run(runCtx)
	go reloadOnHUP(runCtx, load, live.Store, live.Load, logger)
	go upkeep(runCtx, s, func() time.Duration { return live.Load().AuditRetention }, logger)
	return <-served
}

// prepare readies the database for the service: it answers, migrations are
// applied (migrate_on_start, or always in the demo), the demo county seeded,
// the petitioner key is the one the hashes were made with, and the service
// holds the writers' gate shared.
func prepare(ctx context.Context, s *store.Store, cfg *config.Config, demoMode bool, logger *slog.Logger) (*store.Gate, error) {
	if err := s.Ping(ctx); err != nil {
		return nil, err
	}
	if cfg.MigrateOnStart || demoMode {
		if err := s.Migrate(ctx); err != nil {
			return nil, err
		}
	}
	if demoMode {
		logger.Info("seeding the demo county", "db", cfg.DB)
		if err := demo.Seed(ctx, s, cfg.Rules, cfg.PetitionerKey, time.Now()); err != nil {
			return nil, err
		}
	}
	if err := s.ClaimPetitionerKey(ctx, cfg.PetitionerKey); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	gate, err := s.HoldWriters(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	// With the gate held no load runs: a mark is a load cut off, whose
	// tallies count none of its cases and which may have left the indexes
	// of cases set aside (every refresh a scan of the archive). Served, the
	// figures would be wrong without a sign; refused, the service is down,
	// which pages.
	interrupted, err := s.LoadInterrupted(ctx)
	if err == nil && interrupted {
		err = errors.New("a bulk load (riskmon import or seed) was cut off before it ended: its tallies and some indexes are missing; run riskmon recount, or the same import again, then start the service")
	}
	if err != nil {
		gate.Release()
		return nil, fmt.Errorf("serve: %w", err)
	}
	return gate, nil
}

// prepareRetrying runs try until it succeeds, retrying only while the
// database is unavailable (store.Unavailable), after a jittered backoff.
func prepareRetrying(ctx context.Context, p retryPolicy, logger *slog.Logger, try func(context.Context) (*store.Gate, error)) (*store.Gate, error) {
	wait := p.first
	for {
		gate, err := try(ctx)
		if err == nil {
			return gate, nil
		}
		if !store.Unavailable(err) || ctx.Err() != nil {
			return nil, err
		}
		d := wait/2 + rand.N(wait/2+1) // jitter: instances restarted together do not knock together
		logger.Warn("the database does not answer; serving /healthz and waiting", "retry_in", d.String(), "err", err)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, p.most)
	}
}

// loadChecked loads the configuration and checks its secrets; only the demo
// may use the published ones.
func loadChecked(src config.Source, demo bool) (*config.Config, error) {
	cfg, err := config.Load(src)
	if err != nil {
		return nil, err
	}
	if err := errors.Join(cfg.CheckSecrets(demo), cfg.CheckListeners()); err != nil {
		return nil, err
	}
	return cfg, nil
}

// demoConfig is the configuration of --demo: the embedded database at path,
// the public demo key unless one is set, and the demo's sensitive periods.
// A database set anywhere is refused: the demo would fill it with synthetic
// cases.
func demoConfig(src config.Source, path string) (*config.Config, error) {
	given, err := config.Load(src)
	if err != nil {
		return nil, err
	}
	if from := given.Origin("db"); from != "default" {
		return nil, fmt.Errorf("--demo makes its own database and fills it with synthetic cases; it refuses the db set by %s", from)
	}
	env := map[string]string{}
	for k, v := range src.Env {
		env[k] = v
	}
	env[config.EnvName("db")] = "sqlite:" + path
	if given.Origin("petitioner_key", "petitioner_key_file") == "default" {
		env[config.EnvName("petitioner_key")] = config.DemoKey
	}
	src.Env = env
	cfg, err := loadChecked(src, true)
	if err != nil {
		return nil, err
	}
	cfg.Periods = append(cfg.Periods, demo.Periods(cfg.Rules.Location, time.Now())...)
	return cfg, nil
}

// httpLimits bound what one client can hold of the server: a slow or idle
// connection is closed, a huge header refused (431).
type httpLimits struct {
	readHeader, read, write, idle time.Duration
	maxHeaderBytes                int
}

// defaultHTTPLimits: bodies are at most 1 MiB and answers are ready-made, so
// 30 s to read a request and 60 s to write an answer are generous; an idle
// keep-alive connection is kept 2 minutes (Prometheus scrapes more often).
var defaultHTTPLimits = httpLimits{
	readHeader: 10 * time.Second, read: 30 * time.Second, write: 60 * time.Second, idle: 2 * time.Minute,
	maxHeaderBytes: 64 << 10,
}

func newHTTPServer(h http.Handler, l httpLimits) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: l.readHeader, ReadTimeout: l.read, WriteTimeout: l.write,
		IdleTimeout: l.idle, MaxHeaderBytes: l.maxHeaderBytes}
}

// serveHTTP serves until ctx ends, then drains in-flight requests. TLS and
// basic auth come from the exporter-toolkit web config file, when set.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, webConfig string, logger *slog.Logger) error {
	srv := newHTTPServer(h, defaultHTTPLimits)
	systemd := false
	flags := &web.FlagConfig{WebListenAddresses: &[]string{ln.Addr().String()}, WebSystemdSocket: &systemd, WebConfigFile: &webConfig}
	errc := make(chan error, 1)
	go func() { errc <- web.Serve(ln, srv, flags, logger) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// reloadOnHUP rereads the configuration on every SIGHUP.
func reloadOnHUP(ctx context.Context, load func() (*config.Config, error), apply func(*config.Config), running func() *config.Config, logger *slog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := reload(load, apply, running(), logger); err != nil {
				logger.Error("reload failed; keeping the running configuration", "err", err)
			}
		}
	}
}

// reload applies a freshly loaded configuration. A bad one keeps the running
// configuration; the listen address and database need a restart.
func reload(load func() (*config.Config, error), apply func(*config.Config), prev *config.Config, logger *slog.Logger) error {
	next, err := load()
	if err != nil {
		return err
	}
	if next.PetitionerKey.Fingerprint() != prev.PetitionerKey.Fingerprint() {
		// The stored hashes were made with the running key: another one would
		// match no earlier petition. A key changes only with riskmon rekey.
		return errors.New("reload: petitioner_key changed; the running key stays (a key is changed with riskmon rekey, with the service stopped)")
	}
	if next.Listen != prev.Listen || next.OpsListen != prev.OpsListen || next.DB != prev.DB {
		logger.Warn("listen, ops_listen and db changes take effect at the next restart")
		next.Listen, next.OpsListen, next.DB = prev.Listen, prev.OpsListen, prev.DB
	}
	apply(next)
	logger.Info("configuration reloaded")
	return nil
}

// serveAll serves the listeners until ctx ends or one of them fails, which
// stops the others (cancel); the channel gives the first failure, or nil.
// Alone, the API's listener serves everything with web_config_file; with
// ops_listen, the operations endpoints are served there with
// web_config_file and the API with api_web_config_file.
func serveAll(ctx context.Context, cancel func(), lns listeners, col *collector.Collector, s *store.Store, api *intake.API, cfg *config.Config, logger *slog.Logger) <-chan error {
	type served struct {
		ln        net.Listener
		h         http.Handler
		webConfig string
	}
	var all []served
	if lns.ops == nil {
		all = []served{{lns.api, newServer(col, s, api, logger, serveOps|serveAPI), cfg.WebConfigFile}}
	} else {
		all = []served{
			{lns.api, newServer(col, s, api, logger, serveAPI), cfg.APIWebConfigFile},
			{lns.ops, newServer(col, s, api, logger, serveOps), cfg.WebConfigFile},
		}
	}
	errs := make(chan error, len(all))
	for _, sv := range all {
		go func() {
			err := serveHTTP(ctx, sv.ln, sv.h, sv.webConfig, logger)
			cancel() // one listener down stops the service: half a service misleads
			errs <- err
		}()
	}
	out := make(chan error, 1)
	go func() {
		var first error
		for range all {
			if err := <-errs; err != nil && first == nil {
				first = err
			}
		}
		out <- first
	}()
	return out
}

// gateCheckEvery is how often the service checks that it still holds the
// writers' gate.
const gateCheckEvery = 30 * time.Second

// keepGate checks the service's hold on the writers' gate at each tick
// until ctx ends and takes it again when its connection was lost. Should
// another process have taken the gate meanwhile (a bulk load, a recount),
// the API answers 503 until the service holds it again: its writes would be
// lost under theirs.
func keepGate(ctx context.Context, gate *store.Gate, ready *atomic.Bool, tick <-chan time.Time, logger *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
		err := gate.Keep(ctx)
		switch {
		case err == nil:
			if !ready.Swap(true) {
				logger.Info("the writers' gate is held again; the API is back")
			}
		case ctx.Err() != nil:
			return
		default:
			if ready.Swap(false) {
				logger.Error("lost the writers' gate; the API answers 503 until it is held again", "err", err)
			}
		}
	}
}
