package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"riskmon/config"
	"riskmon/store"
)

// rekey is `riskmon rekey --new-key-file FILE`: it wraps every stored
// petitioner hash with the one key FILE adds to the running chain
// (petition.Key), with the service stopped. Cut off, it is run again with the
// same keys and finishes.
func rekey(ctx context.Context, args []string, stderr io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("rekey", flag.ContinueOnError)
	newFile := fs.String("new-key-file", "", "file of the new key chain: the running chain, one key a line, and the new key on a last line")
	cfg, err := parseConfig(fs, args, func() error {
		if *newFile == "" {
			return errors.New("rekey: --new-key-file is required")
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := cfg.CheckSecrets(false); err != nil {
		return err
	}
	next, err := config.ReadKeyFile(*newFile)
	if err != nil {
		return fmt.Errorf("rekey: --new-key-file: %w", err)
	}
	if !cfg.PetitionerKey.Extends(next) {
		return fmt.Errorf("rekey: %s must hold the running key chain (%d keys) and one new key after it; it holds %d keys", *newFile, cfg.PetitionerKey.Len(), next.Len())
	}
	if err := (&config.Config{PetitionerKey: next.Last()}).CheckSecrets(false); err != nil {
		return fmt.Errorf("rekey: the new key: %w", err)
	}
	s, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	started := time.Now()
	var total int
	if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM cases").Scan(&total); err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	n, err := s.Rekey(ctx, cfg.PetitionerKey, next, progressBar(stderr, total))
	if errors.Is(err, store.ErrOtherWriters) {
		return fmt.Errorf("%w: stop the service and any import first", err)
	}
	if err != nil {
		return err
	}
	logger.Info("petitioner hashes rekeyed; set petitioner_key_file to the new chain before starting the service",
		"cases", n, "new_key_file", *newFile, "took", time.Since(started).Round(time.Millisecond).String())
	return nil
}

// maxReported is how many problems or differences a command prints; the
// rest are counted.
const maxReported = 1000

// recount is `riskmon recount [--dry-run]`: it counts every tally again from
// the cases and events, prints each counter that differed and stores the
// recount (with --dry-run only prints, and fails when any differs).
func recount(ctx context.Context, args []string, stdout io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("recount", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "only report what differs; fail if anything does")
	cfg, err := parseConfig(fs, args, nil)
	if err != nil {
		return err
	}
	s, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	interrupted, err := s.LoadInterrupted(ctx)
	if err != nil {
		return err
	}
	count := s.Recount
	if *dry {
		count = s.CheckTallies
	}
	diffs, err := count(ctx, cfg.Rules.Location)
	if err != nil {
		if errors.Is(err, store.ErrOtherWriters) {
			return fmt.Errorf("%w: stop the service and any import first", err)
		}
		return err
	}
	for i, d := range diffs {
		if i == maxReported {
			fmt.Fprintf(stdout, "… and %d more\n", len(diffs)-maxReported)
			break
		}
		fmt.Fprintln(stdout, d)
	}
	logger.Info("tallies recounted", "differed", len(diffs), "stored", !*dry, "interrupted_load", interrupted)
	if *dry && (len(diffs) > 0 || interrupted) {
		return fmt.Errorf("recount: %d counters differ from the facts; run riskmon recount to repair them", len(diffs))
	}
	return nil
}
