package intake

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
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

// ImportLineOf is the line that ParseFile reads back as lc, times in loc:
// the inverse of validation, for writing import files. The hash stands in
// for the petitioner's identifier (the demo's petitioners exist only as
// hashes).
func ImportLineOf(lc store.LoadCase, loc *time.Location) ImportLine {
	ts := func(t time.Time) string { return t.In(loc).Format(time.RFC3339) }
	c := lc.Case
	persons := c.Persons
	line := ImportLine{CaseRequest: CaseRequest{CaseNo: c.CaseNo, ReceivedAt: ts(c.ReceivedAt), Channel: c.Channel,
		Category: c.Category, Unit: c.Unit, Persons: &persons, Level: c.Level, PetitionerID: c.PetitionerHash,
		RepeatOf: c.RepeatOf, Supervised: c.Supervised, Routing: c.Routing}}
	for _, e := range lc.Events {
		r := EventRequest{Type: e.Type, At: ts(e.At), Result: e.Result, Unit: e.Unit, Level: e.Level}
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

// Batch is a parsed import file: the cases in file order with their line
// numbers, and every problem found.
type Batch struct {
	Cases  []store.LoadCase
	Lines  []int
	Errors []LineError
	stored []store.Stored // after Check: how each case stands in the database
}

// csvColumns are the columns an import CSV may have; events is a JSON array.
var csvColumns = []string{"case_no", "received_at", "channel", "category", "unit", "persons", "level",
	"petitioner_id", "repeat_of", "supervised", "routing", "events"}

// ParseFile reads JSON lines (.jsonl, .ndjson, .json) or CSV with a header
// (.csv) and validates every line on its own. Petitioner identifiers are
// hashed with key as they are read and never kept.
func ParseFile(r io.Reader, name string, now time.Time, rules petition.Rules, key petition.Key) (*Batch, error) {
	b := &Batch{}
	add := func(line int, il ImportLine) {
		nc, ds := il.CaseRequest.Validate(now, key)
		var events []petition.Event
		for i, er := range il.Events {
			ev, eds := er.Validate(now, rules)
			for _, d := range eds {
				ds = append(ds, Detail{Field: fmt.Sprintf("events[%d].%s", i, d.Field), Problem: d.Problem})
			}
			events = append(events, ev)
		}
		for _, d := range ds {
			b.Errors = append(b.Errors, LineError{Line: line, Field: d.Field, Problem: d.Problem})
		}
		if len(ds) == 0 {
			b.Cases = append(b.Cases, store.LoadCase{Case: nc, Events: events})
			b.Lines = append(b.Lines, line)
		}
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return b, parseCSV(r, b, add)
	case ".jsonl", ".ndjson", ".json":
		return b, parseJSONLines(r, b, add)
	}
	return nil, fmt.Errorf("import %s: unknown format: name the file .jsonl (JSON lines) or .csv", name)
}

// parseJSONLines decodes and validates chunks of lines on every core, and
// adds them back in file order.
func parseJSONLines(r io.Reader, b *Batch, add func(int, ImportLine)) error {
	type parsed struct {
		line int
		il   ImportLine
		err  *Error
	}
	type chunk struct {
		first int
		raw   [][]byte
		out   []parsed
		done  chan struct{}
	}
	work := make(chan *chunk)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				for i, raw := range c.raw {
					p := parsed{line: c.first + i}
					if len(raw) > 0 {
						p.err = decodeBytes(raw, &p.il)
						c.out = append(c.out, p)
					}
				}
				close(c.done)
			}
		}()
	}
	chunks := make(chan *chunk, 4*runtime.GOMAXPROCS(0))
	collected := make(chan struct{})
	go func() {
		// in file order: Validate (add) is cheap next to decoding
		for c := range chunks {
			<-c.done
			for _, p := range c.out {
				if p.err != nil {
					for _, d := range p.err.Details {
						b.Errors = append(b.Errors, LineError{Line: p.line, Field: d.Field, Problem: p.err.Message + ": " + d.Problem})
					}
					continue
				}
				add(p.line, p.il)
			}
		}
		close(collected)
	}()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxBody)
	line := 0
	cur := &chunk{first: 1, done: make(chan struct{})}
	flush := func() {
		chunks <- cur
		work <- cur
		cur = &chunk{first: line + 1, done: make(chan struct{})}
	}
	for sc.Scan() {
		line++
		cur.raw = append(cur.raw, bytes.Clone(bytes.TrimSpace(sc.Bytes())))
		if len(cur.raw) == 1000 {
			flush()
		}
	}
	flush()
	close(work)
	close(chunks)
	wg.Wait()
	<-collected
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read line %d: %w", line+1, err)
	}
	return nil
}

func parseCSV(r io.Reader, b *Batch, add func(int, ImportLine)) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("read the CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) // Excel's byte order mark
		if !petition.Contains(csvColumns, h) {
			b.Errors = append(b.Errors, LineError{Line: 1, Field: h, Problem: "unknown column; columns are " + strings.Join(csvColumns, ", ")})
			continue
		}
		col[h] = i
	}
	if len(b.Errors) > 0 {
		return nil
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				b.Errors = append(b.Errors, LineError{Line: pe.Line, Problem: "malformed CSV: " + pe.Err.Error()})
				continue
			}
			return fmt.Errorf("read CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			b.Errors = append(b.Errors, LineError{Line: line, Problem: fmt.Sprintf("%d fields, the header has %d", len(rec), len(header))})
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		il := ImportLine{CaseRequest: CaseRequest{CaseNo: get("case_no"), ReceivedAt: get("received_at"), Channel: get("channel"),
			Category: get("category"), Unit: get("unit"), Level: get("level"), PetitionerID: get("petitioner_id"), RepeatOf: get("repeat_of")}}
		bad := false
		if p := get("persons"); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil {
				b.Errors = append(b.Errors, LineError{Line: line, Field: "persons", Problem: fmt.Sprintf("%q is not a whole number", p)})
				bad = true
			}
			il.Persons = &n
		}
		for _, flag := range []struct {
			column string
			to     *bool
		}{{"supervised", &il.Supervised}, {"routing", &il.Routing}} {
			if s := get(flag.column); s != "" {
				v, err := strconv.ParseBool(s)
				if err != nil {
					b.Errors = append(b.Errors, LineError{Line: line, Field: flag.column, Problem: fmt.Sprintf("%q is not true or false", s)})
					bad = true
				}
				*flag.to = v
			}
		}
		if ev := get("events"); ev != "" {
			if e := decodeBytes([]byte(ev), &il.Events); e != nil {
				b.Errors = append(b.Errors, LineError{Line: line, Field: "events", Problem: "must be a JSON array of events: " + e.Message})
				bad = true
			}
		}
		if !bad {
			add(line, il)
		}
	}
}

// Check validates the batch against itself and the database: units and
// categories exist, repeat_of names an earlier case, every history is allowed
// by the rules, a case number repeats only with the same content, and cases
// already stored agree with the file.
func (b *Batch) Check(ctx context.Context, s *store.Store, rules petition.Rules) error {
	known, err := s.Known(ctx)
	if err != nil {
		return err
	}
	first := map[string]int{} // case number -> index of its first line
	var keep []int
	for i, lc := range b.Cases {
		c, line := lc.Case, b.Lines[i]
		bad := func(field, format string, args ...any) {
			b.Errors = append(b.Errors, LineError{Line: line, Field: field, Problem: fmt.Sprintf(format, args...)})
		}
		if j, dup := first[c.CaseNo]; dup {
			if fmt.Sprint(b.Cases[j]) != fmt.Sprint(lc) {
				bad("case_no", "%s is also on line %d, with other content", c.CaseNo, b.Lines[j])
			}
			continue // the same case twice is written once
		}
		first[c.CaseNo] = i
		for _, p := range known.CaseProblems(c) { // repeat_of: checkRepeatOf, against the file too
			bad(p.Field, "%s", p.Problem)
		}
		received := c
		received.ReceivedAt = c.ReceivedAt.Truncate(time.Second)
		st := rules.Received(received)
		for k, e := range lc.Events {
			for _, p := range known.EventProblems(e) {
				bad(fmt.Sprintf("events[%d].%s", k, p.Field), "%s", p.Problem)
			}
			e.At = e.At.Truncate(time.Second)
			next, _, err := rules.Apply(st, e)
			if err != nil {
				bad(fmt.Sprintf("events[%d]", k), "%v", err)
				break
			}
			st = next
		}
		keep = append(keep, i)
	}
	if err := b.checkRepeatOf(ctx, s, first); err != nil {
		return err
	}
	stored, err := s.Compare(ctx, b.Cases)
	if err != nil {
		return err
	}
	for i, st := range stored {
		if st.Conflict != "" {
			b.Errors = append(b.Errors, LineError{Line: b.Lines[i], Field: "case_no", Problem: b.Cases[i].Case.CaseNo + ": " + st.Conflict})
		}
	}
	cases, lines, kept := make([]store.LoadCase, 0, len(keep)), make([]int, 0, len(keep)), make([]store.Stored, 0, len(keep))
	for _, i := range keep {
		cases, lines, kept = append(cases, b.Cases[i]), append(lines, b.Lines[i]), append(kept, stored[i])
	}
	b.Cases, b.Lines, b.stored = cases, lines, kept
	sort.SliceStable(b.Errors, func(i, j int) bool { return b.Errors[i].Line < b.Errors[j].Line })
	return nil
}

// checkRepeatOf: a linked repeat names a case received before it, in the
// file or in the database.
func (b *Batch) checkRepeatOf(ctx context.Context, s *store.Store, first map[string]int) error {
	var refs []string
	var refLines []int
	for i, lc := range b.Cases {
		ref := lc.Case.RepeatOf
		if ref == "" {
			continue
		}
		if j, ok := first[ref]; ok {
			if !b.Cases[j].Case.ReceivedAt.Before(lc.Case.ReceivedAt) {
				b.Errors = append(b.Errors, LineError{Line: b.Lines[i], Field: "repeat_of", Problem: fmt.Sprintf("%s (line %d) was not received earlier", ref, b.Lines[j])})
			}
			continue
		}
		refs, refLines = append(refs, ref), append(refLines, b.Lines[i])
	}
	stored, err := s.Exists(ctx, refs)
	if err != nil {
		return err
	}
	for i, ref := range refs {
		if !stored[ref] {
			b.Errors = append(b.Errors, LineError{Line: refLines[i], Field: "repeat_of", Problem: fmt.Sprintf("case %q is neither in the file nor stored", ref)})
		}
	}
	return nil
}

// Write stores a checked batch, earliest received first so that a linked
// repeat follows its original. Cases already stored with all their events
// are skipped: importing a file again only reads it.
func (b *Batch) Write(ctx context.Context, s *store.Store, rules petition.Rules, progress func(done int)) error {
	if len(b.Errors) > 0 {
		return fmt.Errorf("import: %d problems; nothing written", len(b.Errors))
	}
	if b.stored == nil {
		return errors.New("import: the batch was not checked")
	}
	cases := b.Pending()
	sort.SliceStable(cases, func(i, j int) bool { return cases[i].Case.ReceivedAt.Before(cases[j].Case.ReceivedAt) })
	return s.Import(ctx, rules, cases, progress)
}

// Pending returns the checked cases Write writes: those not stored, and
// those stored with fewer events than the file gives.
func (b *Batch) Pending() []store.LoadCase {
	if b.stored == nil { // not checked: nothing is known to write
		return nil
	}
	var cases []store.LoadCase
	for i, lc := range b.Cases {
		if !b.stored[i].Exists || b.stored[i].Events < len(lc.Events) {
			cases = append(cases, lc)
		}
	}
	return cases
}
