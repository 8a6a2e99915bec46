package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"riskmon/intake"
	"riskmon/store"
)

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + dir + "/import.db"
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Setenv("RISKMON_PETITIONER_KEY", "import-key-0123456789")
	if err := run(context.Background(), []string{"seed", "--cases", "1", "--db", db}, io.Discard, logger); err != nil {
		t.Fatal(err)
	}
	file := dir + "/cases.jsonl"
	line := `{"case_no":"CLI-1","received_at":"2026-09-01T10:00:00+08:00","channel":"letter","category":"other","unit":"qingshan","persons":1,"level":"county","petitioner_id":"A"}` + "\n" +
		`{"case_no":"CLI-2","received_at":"2026-09-01T10:00:00+08:00","channel":"letter","category":"other","unit":"nowhere","persons":1,"level":"county","petitioner_id":"A"}` + "\n"
	if err := os.WriteFile(file, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	err := importFile(context.Background(), []string{"--db", db, file}, &stderr, logger)
	if err == nil || !strings.Contains(err.Error(), "1 problems; nothing written") || !strings.Contains(stderr.String(), `cases.jsonl: line 2: unit: unit "nowhere" does not exist`) {
		t.Errorf("import of a bad file: %v\n%s", err, stderr.String())
	}
	if err := importFile(context.Background(), []string{"--db", db}, &stderr, logger); err == nil || !strings.Contains(err.Error(), "usage: riskmon import") {
		t.Errorf("import without a file: %v", err)
	}
	if err := os.WriteFile(file, []byte(strings.SplitAfter(line, "\n")[0]), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Case(context.Background(), "CLI-1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CLI-1 after the refused file: %v, want not found (nothing written)", err)
	}
	if err := importFile(context.Background(), []string{"--db", db, file}, &stderr, logger); err != nil {
		t.Errorf("import of a good file: %v", err)
	}
	v, err := s.Case(context.Background(), "CLI-1")
	if err != nil {
		t.Fatalf("CLI-1 after the import: %v", err)
	}
	want := time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC)
	if v.ReceivedUnit != "qingshan" || v.Channel != "letter" || v.Category != "other" || !v.ReceivedAt.Equal(want) ||
		v.State.Status != "received" || v.State.Deadline.IsZero() {
		t.Errorf("CLI-1 stored as %+v", v)
	}
}

// A file of a million bad lines printed a million problems, and a value
// with escape sequences reached the terminal raw. Now the first 1,000 are
// printed, with a count of the rest, and control characters escaped.
func TestImportReportsAtMostAThousandProblems(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + dir + "/import.db"
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Setenv("RISKMON_PETITIONER_KEY", "import-key-0123456789")
	if err := run(context.Background(), []string{"migrate", "--db", db}, io.Discard, logger); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("case_no,received_at,channel,category,unit,persons,level,petitioner_id,\x1b[31mred\u202e\n")
	csvFile := dir + "/bad.csv"
	if err := os.WriteFile(csvFile, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	err := importFile(context.Background(), []string{"--db", db, csvFile}, &stderr, logger)
	if err == nil || strings.ContainsAny(stderr.String(), "\x1b\u202e") || !strings.Contains(stderr.String(), `\x1b[31mred\u202e`) {
		t.Errorf("a header with control characters: %v\n%q", err, stderr.String())
	}
	b.Reset()
	for i := range 1500 {
		fmt.Fprintf(&b, `{"case_no":"B-%d","channel":"carrier-pigeon"}`+"\n", i)
	}
	jsonFile := dir + "/bad.jsonl"
	if err := os.WriteFile(jsonFile, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	err = importFile(context.Background(), []string{"--db", db, jsonFile}, &stderr, logger)
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if err == nil || !strings.Contains(err.Error(), "problems; nothing written") {
		t.Fatalf("a bad file: %v", err)
	}
	if got := len(lines); got != intake.MaxProblems+1 {
		t.Errorf("%d lines printed, want %d problems and a count", got, intake.MaxProblems)
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "… and ") || !strings.HasSuffix(last, " more problems") {
		t.Errorf("the last line %q does not count the rest", last)
	}
	if !strings.Contains(lines[0], "line 1:") || strings.Contains(stderr.String(), "line 1500:") {
		t.Errorf("not the first problems in line order: %q … %q", lines[0], lines[len(lines)-2])
	}
}

func TestImportRegisterCommand(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + dir + "/register.db"
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Setenv("RISKMON_PETITIONER_KEY", "import-key-0123456789")
	if err := run(context.Background(), []string{"seed", "--cases", "1", "--db", db}, io.Discard, logger); err != nil {
		t.Fatal(err)
	}
	file := dir + "/register.jsonl"
	dispute := func(no, extra string) string {
		return `{"dispute_no":"` + no + `","found_at":"2026-09-20T09:00:00+08:00","unit":"qingshan","category":"land_requisition","risk":"high","persons_estimate":30,"source":"screening"` + extra + "}\n"
	}
	write := func(lines ...string) {
		if err := os.WriteFile(file, []byte(strings.Join(lines, "")), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var stderr bytes.Buffer
	for _, tc := range []struct {
		name, want, wantStderr string
		lines                  []string
	}{
		{"a phone number", "1 problems; nothing written", `register.jsonl: line 2: phone: is personal data`,
			[]string{dispute("CLI-D-1", ""), dispute("CLI-D-2", `,"phone":"13800000000"`)}},
		{"an escalation into no case", "load dispute CLI-D-2: event 1 (escalated)", "",
			[]string{dispute("CLI-D-1", ""), dispute("CLI-D-2", `,"events":[{"type":"escalated","at":"2026-09-21T09:00:00+08:00","case_no":"CLI-404"}]`)}},
	} {
		write(tc.lines...)
		stderr.Reset()
		err := importFile(context.Background(), []string{"--db", db, "--disputes", file}, &stderr, logger)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(stderr.String(), tc.wantStderr) || strings.Contains(stderr.String(), "13800000000") {
			t.Errorf("%s: %v\n%s", tc.name, err, stderr.String())
		}
		if _, err := s.Dispute(context.Background(), "CLI-D-1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: CLI-D-1 was written from a refused file: %v", tc.name, err)
		}
	}
	write(dispute("CLI-D-1", ""), dispute("CLI-D-2", `,"events":[{"type":"closed","at":"2026-09-21T09:00:00+08:00"}]`))
	for range 2 { // the same file twice: the second writes nothing
		if err := importFile(context.Background(), []string{"--db", db, "--disputes", file}, &stderr, logger); err != nil {
			t.Fatalf("import of a good register: %v", err)
		}
	}
	if v, err := s.Dispute(context.Background(), "CLI-D-2"); err != nil || v.State.Status != "closed" || len(v.Events) != 1 {
		t.Errorf("CLI-D-2 after the import: %+v %v", v, err)
	}
}

// seed --jsonl writes the demo county a day at a time: the file it writes
// imports whole, and holds as many cases as were asked for, about.
func TestSeedJSONLImports(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := "sqlite:" + dir + "/seeded.db"
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Setenv("RISKMON_PETITIONER_KEY", "import-key-0123456789")
	file := dir + "/county.jsonl"
	if err := run(ctx, []string{"seed", "--cases", "400", "--jsonl", file}, io.Discard, logger); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
	if len(lines) < 300 || len(lines) > 500 {
		t.Fatalf("seed --cases 400 --jsonl wrote %d lines, want about 400", len(lines))
	}
	if err := run(ctx, []string{"seed", "--cases", "1", "--db", db}, io.Discard, logger); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var before int
	if err := s.DB().QueryRow("SELECT COUNT(*) FROM cases").Scan(&before); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if err := importFile(ctx, []string{"--db", db, file}, &stderr, logger); err != nil {
		t.Fatalf("import of the seeded file: %v\n%s", err, stderr.String())
	}
	var after int
	if err := s.DB().QueryRow("SELECT COUNT(*) FROM cases").Scan(&after); err != nil {
		t.Fatal(err)
	}
	// the small seed's own year may share a case or two with the file's
	if got := after - before; got < len(lines)-before || got > len(lines) {
		t.Errorf("the import added %d cases, want the file's %d (less what the database held)", got, len(lines))
	}
}
