package intake

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"riskmon/petition"
	"riskmon/store"
)

// ImportLine is one line of an import file: a case as the API takes it, plus
// its events in order.
type ImportLine struct {
	CaseRequest
	Events []EventRequest `json:"events,omitempty"`
}

// ImportLineOf is the line that File reads back as lc, times in loc:
// the inverse of validation, for writing import files. The hash stands in
// for the petitioner's identifier (the demo's petitioners exist only as
// hashes).
func ImportLineOf(lc store.LoadCase, loc *time.Location) ImportLine {
	ts := func(t time.Time) string { return t.In(loc).Format(time.RFC3339) }
	c := lc.Case
	persons := c.Persons
	line := ImportLine{CaseRequest: CaseRequest{CaseNo: c.CaseNo, ReceivedAt: ts(c.ReceivedAt), Channel: c.Channel,
		Category: c.Category, Unit: c.Unit, Persons: &persons, Level: c.Level, PetitionerID: c.PetitionerHash,
		RepeatOf: c.RepeatOf, Supervised: c.Supervised, Routing: c.Routing, Major: c.Major,
		MatterType: c.MatterType, Matter: c.Matter}}
	for _, e := range lc.Events {
		r := EventRequest{Type: e.Type, At: ts(e.At), Result: e.Result, Unit: e.Unit, Level: e.Level, To: e.To, Procedure: e.Procedure, Matter: e.Matter}
		if e.Due != 0 {
			r.Due = e.Due.String()
		}
		if e.Spec().Field == petition.FieldDays {
			days := e.Days
			r.Days = &days
		}
		line.Events = append(line.Events, r)
	}
	return line
}

// LineError is one problem on one line of an import file.
type LineError struct {
	Line    int
	Field   string
	Problem string
}

func (e LineError) String() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Problem)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Problem)
}

// MaxProblems is how many problems of an import file are kept: the first by
// line. The rest are counted, so a file of a million bad lines costs no more
// memory than one.
const MaxProblems = 1000

// File is an import file: JSON lines (.jsonl, .ndjson, .json) or CSV with a
// header (.csv). It is read twice, so that a file of millions of cases
// never sits in memory: Check reads every line, validates it on its own,
// against the other lines and against the database, and keeps of each case
// only where it is and what later lines need (an entry); Write reads the
// cases again, a batch at a time, earliest received first. Petitioner
// identifiers are hashed as they are read and never kept.
type File struct {
	name   string
	r      io.ReaderAt
	csv    bool
	header map[string]int // a CSV file's columns
	width  int            // and how many there are
	now    time.Time
	rules  petition.Rules
	key    petition.Key
	known  store.Known

	entries  []entry // the distinct valid cases, in file order
	problems []LineError
	count    int // problems found, kept or not
	checked  bool
}

// entry is where a case of the file is and what Write needs of it: 40
// bytes a case.
type entry struct {
	off      int64
	received int64  // Unix nanoseconds: the order Write writes in
	sum      uint64 // of the line as Check read it: Write refuses a changed file
	line     uint32
	size     uint32
	stored   bool // the database holds the case with all its events
}

// NewFile reads the import file r, named name: its extension gives the
// format.
func NewFile(r io.ReaderAt, name string, now time.Time, rules petition.Rules, key petition.Key) (*File, error) {
	f := &File{name: name, r: r, now: now, rules: rules, key: key}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		f.csv = true
	case ".jsonl", ".ndjson", ".json":
	default:
		return nil, fmt.Errorf("import %s: unknown format: name the file .jsonl (JSON lines) or .csv", name)
	}
	return f, nil
}

// Problems returns the first MaxProblems problems by line, those of one line
// in the order they were found, and how many there are in all.
func (f *File) Problems() ([]LineError, int) {
	f.trimProblems()
	return f.problems, f.count
}

func (f *File) problem(e LineError) {
	f.count++
	f.problems = append(f.problems, e)
	if len(f.problems) >= 2*MaxProblems {
		f.trimProblems()
	}
}

// trimProblems keeps the first MaxProblems by line. Problems are found out
// of line order (a repeat_of is resolved after the last line), so the kept
// ones are sorted again with every new lot.
func (f *File) trimProblems() {
	slices.SortStableFunc(f.problems, func(a, b LineError) int { return a.Line - b.Line })
	f.problems = f.problems[:min(len(f.problems), MaxProblems)]
}

// Cases is how many distinct valid cases Check found.
func (f *File) Cases() int { return len(f.entries) }

// PendingLines are the lines of the cases Write writes, in file order: the
// cases the database lacks, and those it holds with fewer events than the
// file gives.
func (f *File) PendingLines() []int {
	var lines []int
	for _, e := range f.entries {
		if !e.stored {
			lines = append(lines, int(e.line))
		}
	}
	return lines
}
