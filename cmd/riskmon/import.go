package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"riskmon/config"
	"riskmon/intake"
	"riskmon/store"
)

// heapLimit is the heap a bulk import or seed of about cases cases keeps
// to, unless GOMEMLIMIT says otherwise: the collector runs more often as the
// heap nears it. A load keeps about 130 bytes a case until it ends (a digest
// of each matter with its two latest receipts, where each line of a file is,
// the tallies) and works in a few batches besides, 256 MB; without the limit
// the heap would grow to twice what it keeps before collecting: 2.2 GB at
// 10M cases.
func heapLimit(cases int) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(256<<20 + 130*int64(cases))
	}
}

// importFile is `riskmon import FILE`: every line is validated first and
// its problems reported with their lines (the first MaxProblems, and how
// many more); only a clean file is written. The file is read twice, not
// held in memory, so it must be a file, not a pipe.
func importFile(ctx context.Context, args []string, stderr io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	disputes := fs.Bool("disputes", false, "FILE is a dispute register (JSON lines of disputes with their events), not cases")
	var path string
	cfg, err := parseConfig(fs, args, func() error {
		if fs.NArg() != 1 {
			return errors.New("usage: riskmon import [flags] FILE (.jsonl or .csv; --disputes: .jsonl)")
		}
		path = fs.Arg(0)
		return nil
	})
	if err != nil {
		return err
	}
	if err := cfg.CheckSecrets(false); err != nil {
		return err
	}
	s, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.ClaimPetitionerKey(ctx, cfg.PetitionerKey); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	if *disputes {
		return importRegister(ctx, s, cfg, f, path, stderr, logger)
	}
	heapLimit(0) // the check keeps 40 bytes a case; the count is what it learns
	started := time.Now()
	file, err := intake.NewFile(f, path, time.Now(), cfg.Rules, cfg.PetitionerKey)
	if err != nil {
		return err
	}
	if err := file.Check(ctx, s); err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	_, count := file.Problems()
	pending := len(file.PendingLines())
	logger.Info("import checked", "file", path, "cases", file.Cases(), "problems", count,
		"took", time.Since(started).Round(time.Millisecond).String())
	if err := reportProblems(stderr, path, file); err != nil {
		return err
	}
	heapLimit(file.Cases())
	if err := file.Write(ctx, s, progressBar(stderr, pending)); err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	logger.Info("import done", "file", path, "cases", file.Cases(), "written", pending, "unchanged", file.Cases()-pending,
		"took", time.Since(started).Round(time.Millisecond).String())
	return nil
}

// importRegister is `riskmon import --disputes FILE`: the register is read
// and checked whole, its problems reported with their lines, and only a
// clean file written, in one transaction.
func importRegister(ctx context.Context, s *store.Store, cfg *config.Config, f io.Reader, path string, stderr io.Writer, logger *slog.Logger) error {
	started := time.Now()
	known, err := s.Known(ctx)
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	reg, err := intake.ReadRegister(f, time.Now(), cfg.Rules, cfg.Disputes.LeaderRoles, known)
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	if err := reportProblems(stderr, path, reg); err != nil {
		return err
	}
	if err := s.LoadDisputes(ctx, cfg.Rules, cfg.Disputes.LeaderRoles, reg.Disputes); err != nil {
		return fmt.Errorf("import %s: %w; nothing written", path, err)
	}
	logger.Info("register imported", "file", path, "disputes", len(reg.Disputes),
		"took", time.Since(started).Round(time.Millisecond).String())
	return nil
}

// reportProblems prints a file's problems (the first MaxProblems and how
// many more) and refuses it when it has any.
func reportProblems(stderr io.Writer, path string, file interface {
	Problems() ([]intake.LineError, int)
}) error {
	problems, count := file.Problems()
	if count == 0 {
		return nil
	}
	for _, e := range problems {
		fmt.Fprintln(stderr, printable(path+": "+e.String()))
	}
	if count > len(problems) {
		fmt.Fprintf(stderr, "… and %d more problems\n", count-len(problems))
	}
	return fmt.Errorf("import %s: %d problems; nothing written", path, count)
}

// progressBar draws "[#####     ] 50% 500/1000 cases" on a terminal and
// nothing elsewhere, so logs of scripted imports stay clean.
func progressBar(w io.Writer, total int) func(int) {
	f, ok := w.(*os.File)
	if !ok || total == 0 {
		return nil
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(done int) {
		const width = 30
		n := done * width / total
		fmt.Fprintf(w, "\r[%-*s] %3d%% %d/%d cases", width, strings.Repeat("#", n), done*100/total, done, total)
		if done >= total {
			fmt.Fprintln(w)
		}
	}
}

// printable escapes what a terminal would act on rather than show: control
// characters (an escape sequence could rewrite the screen) and invisible
// format characters such as a right-to-left override. A file's values reach
// the problems it is told about.
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
