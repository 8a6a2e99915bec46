package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"riskmon/intake"
)

// importFile is `riskmon import FILE`: every line is validated first and
// every problem reported with its line; only a clean file is written.
func importFile(ctx context.Context, args []string, stderr io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	var path string
	cfg, err := parseConfig(fs, args, func() error {
		if fs.NArg() != 1 {
			return errors.New("usage: riskmon import [flags] FILE (.jsonl or .csv)")
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
	started := time.Now()
	batch, err := intake.ParseFile(f, path, time.Now(), cfg.Rules, cfg.PetitionerKey)
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	parsed := time.Now()
	if err := batch.Check(ctx, s, cfg.Rules); err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	logger.Info("import validated", "file", path, "cases", len(batch.Cases), "problems", len(batch.Errors),
		"parse", parsed.Sub(started).Round(time.Millisecond).String(), "check", time.Since(parsed).Round(time.Millisecond).String())
	if len(batch.Errors) > 0 {
		for i, e := range batch.Errors {
			if i == maxReported {
				fmt.Fprintf(stderr, "… and %d more problems\n", len(batch.Errors)-maxReported)
				break
			}
			fmt.Fprintln(stderr, printable(path+": "+e.String()))
		}
		return fmt.Errorf("import %s: %d problems; nothing written", path, len(batch.Errors))
	}
	pending := len(batch.Pending())
	progress := progressBar(stderr, pending)
	if err := batch.Write(ctx, s, cfg.Rules, progress); err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	logger.Info("import done", "file", path, "cases", len(batch.Cases), "written", pending, "unchanged", len(batch.Cases)-pending,
		"took", time.Since(started).Round(time.Millisecond).String())
	return nil
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
