// Command riskmon watches petition work (信访) and exposes it as Prometheus
// metrics. Subcommands: serve, migrate, seed, import, version (see usage).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"riskmon/config"
	"riskmon/demo"
	"riskmon/intake"
	"riskmon/petition"
	"riskmon/store"
)

// Set by the linker: -X main.version=... -X main.revision=...
var (
	version  = "dev"
	revision = "unknown"
)

func main() {
	logs := newLogWriter(os.Stderr)
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, logger)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		logger.Error("riskmon failed", "err", err)
	}
	logs.Close() // every line out before the exit
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		os.Exit(1)
	}
}

const usage = `usage: riskmon <command> [flags]

commands:
  serve     run the service (--demo for a synthetic county on an embedded database)
  migrate   apply pending database migrations and exit
  seed      fill an empty database with the synthetic demo county (--cases N)
  import    validate a JSON lines or CSV file of cases and, if every line is good, store it
  recount   count the tallies again from the cases and events, report and repair what differed
  rekey     wrap the stored petitioner hashes with a new key (service stopped; see the README)
  token     token new: make a named credential (its token once, and its credentials_file line)
  sms-relay turn Alertmanager's webhook into SMS gateway texts (beside Alertmanager)
  version   print the version

Run "riskmon <command> -h" for the flags of a command.`

func run(ctx context.Context, args []string, stdout io.Writer, logger *slog.Logger) error {
	if len(args) == 0 {
		fmt.Fprintln(stdout, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], logger)
	case "migrate":
		return migrate(ctx, args[1:], logger)
	case "seed":
		return seed(ctx, args[1:], logger)
	case "import":
		return importFile(ctx, args[1:], os.Stderr, logger)
	case "recount":
		return recount(ctx, args[1:], stdout, logger)
	case "rekey":
		return rekey(ctx, args[1:], os.Stderr, logger)
	case "token":
		return token(args[1:], stdout)
	case "sms-relay":
		return smsRelay(ctx, args[1:], logger)
	case "version":
		fmt.Fprintf(stdout, "riskmon %s (revision %s, %s)\n", version, revision, runtime.Version())
		return nil
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stdout, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// configFlags registers --config and one flag per configuration key, and
// returns a loader that reads them after parsing. Only flags that were set
// override the file and the environment.
func configFlags(fs *flag.FlagSet) func() config.Source {
	file := fs.String("config", "", "configuration file (YAML)")
	for _, k := range config.Keys() {
		fs.String(config.FlagName(k.Name), "", fmt.Sprintf("%s (env %s, default %q)", k.About, config.EnvName(k.Name), k.Default))
	}
	return func() config.Source {
		src := config.Source{File: *file, Env: config.FromEnviron(), Flags: map[string]string{}}
		fs.Visit(func(f *flag.Flag) {
			for _, k := range config.Keys() {
				if config.FlagName(k.Name) == f.Name {
					src.Flags[k.Name] = f.Value.String()
				}
			}
		})
		return src
	}
}

// parseConfig parses the flags of a command, checks them with check (if any)
// before anything else happens, and loads the configuration.
func parseConfig(fs *flag.FlagSet, args []string, check func() error) (*config.Config, error) {
	source := configFlags(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(); err != nil {
			return nil, err
		}
	}
	return config.Load(source())
}

// openMigrated opens the configured database with every migration applied.
func openMigrated(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	s, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func migrate(ctx context.Context, args []string, logger *slog.Logger) error {
	cfg, err := parseConfig(flag.NewFlagSet("migrate", flag.ContinueOnError), args, nil)
	if err != nil {
		return err
	}
	s, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	logger.Info("migrations applied", "dialect", s.Dialect())
	return nil
}

// seed fills an empty database with the demo county, scaled to about --cases
// cases over the last twelve months, or writes it as an import file with
// --jsonl: for trying riskmon on a real server and for the benchmarks.
func seed(ctx context.Context, args []string, logger *slog.Logger) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	n := fs.Int("cases", 4000, "about how many cases to make")
	disputes := fs.Int("disputes", 0, "how many disputes to register besides the demo's (benchmarks)")
	jsonl := fs.String("jsonl", "", "write the cases to this JSON lines file instead of the database")
	cfg, err := parseConfig(fs, args, func() error {
		if *n < 1 {
			return fmt.Errorf("seed: --cases %d must be at least 1", *n)
		}
		if *disputes < 0 {
			return fmt.Errorf("seed: --disputes %d must not be negative", *disputes)
		}
		return nil
	})
	if err != nil {
		return err
	}
	now := time.Now()
	from := now.AddDate(-1, 0, 0)
	rate := demo.RateFor(cfg.Rules, from, now, *n)
	if *jsonl != "" {
		return writeJSONL(ctx, *jsonl, demo.Stream(cfg.Rules, demo.Key, from, now, 1, rate), cfg.Rules.Location)
	}
	if err := cfg.CheckSecrets(false); err != nil {
		return err
	}
	heapLimit(*n)
	s, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.ClaimPetitionerKey(ctx, cfg.PetitionerKey); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if err := demo.SeedRate(ctx, s, cfg.Rules, cfg.PetitionerKey, now, rate); err != nil {
		return err
	}
	if err := seedDisputes(ctx, s, cfg.Rules, now, *disputes); err != nil {
		return err
	}
	logger.Info("demo county seeded", "dialect", s.Dialect(), "cases_wanted", *n, "disputes", *disputes, "took", time.Since(now).String())
	return nil
}

// seedDisputes registers n more demo disputes after the demo's own, in
// transactions of a few thousand.
func seedDisputes(ctx context.Context, s *store.Store, r petition.Rules, now time.Time, n int) error {
	const batch = 5000
	first := demo.RegisterSize
	for from := first; from < first+n; from += batch {
		to := min(from+batch, first+n)
		if err := s.LoadDisputes(ctx, r, petition.DefaultLeaderRoles, demo.Register(r, now, from, to)); err != nil {
			return fmt.Errorf("seed disputes: %w", err)
		}
	}
	return nil
}

// writeJSONL writes cases as an import file, a day at a time (a county of
// ten million cases is never all in memory). The demo's petitioners exist
// only as hashes; the hash stands in for the identifier.
func writeJSONL(ctx context.Context, path string, src store.CaseSource, loc *time.Location) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	for {
		batch, err := src(ctx)
		if err == nil && len(batch) == 0 {
			break
		}
		for _, lc := range batch {
			if err == nil {
				err = enc.Encode(intake.ImportLineOf(lc, loc))
			}
		}
		if err != nil {
			f.Close()
			return fmt.Errorf("seed: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("seed: %w", err)
	}
	return f.Close()
}
