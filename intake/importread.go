package intake

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"riskmon/petition"
	"riskmon/store"
)

// chunkLines is how many lines a decoder takes at a time.
const chunkLines = 1000

// csvColumns are the columns an import CSV may have; events is a JSON array.
var csvColumns = []string{"case_no", "received_at", "channel", "category", "unit", "persons", "level",
	"petitioner_id", "repeat_of", "supervised", "routing", "major", "matter_type", "matter", "events"}

// rawLine is a line of the file (a record of a CSV file) as read, and where
// it is.
type rawLine struct {
	line     uint32
	off      int64
	size     uint32
	data     []byte      // the line's bytes (for a CSV record, only when Write reads it)
	fields   []string    // a CSV record as Check reads it
	problems []LineError // found while reading it: a malformed CSV record
	want     uint64      // Write: the sum Check saw
}

// readLine is a line decoded and validated on its own.
type readLine struct {
	rawLine
	lc  store.LoadCase
	sum uint64
}

// decode decodes and validates one line on its own: its fields as the API
// checks them and, when full, the units and categories it names and its
// history under the rules. Write's second reading is not full: the line's
// sum shows it is the line Check validated, and the store replays the
// history as it writes.
func (f *File) decode(raw rawLine, full bool) readLine {
	rl := readLine{rawLine: raw}
	rl.data, rl.fields = nil, nil // not kept past decoding
	if len(raw.problems) > 0 {
		return rl
	}
	line := int(raw.line)
	var il ImportLine
	if f.csv {
		fields := raw.fields
		if fields == nil {
			rec, err := csvReader(bytes.NewReader(raw.data)).Read()
			if err != nil {
				rl.problems = []LineError{{Line: line, Problem: "malformed CSV: " + err.Error()}}
				return rl
			}
			fields = rec
		}
		rl.sum = sumFields(fields)
		if il, rl.problems = f.csvLine(line, fields); len(rl.problems) > 0 {
			return rl
		}
	} else {
		h := fnv.New64a()
		h.Write(raw.data)
		rl.sum = h.Sum64()
		if err := decodeBytes(raw.data, &il); err != nil {
			for _, d := range err.Details {
				rl.problems = append(rl.problems, LineError{Line: line, Field: d.Field, Problem: err.Message + ": " + d.Problem})
			}
			return rl
		}
	}
	rl.lc, rl.problems = f.validate(line, il, full)
	return rl
}

// validate checks a case on its own, in the order the API does; the units,
// categories and history only when full.
func (f *File) validate(line int, il ImportLine, full bool) (store.LoadCase, []LineError) {
	var out []LineError
	bad := func(field, problem string) { out = append(out, LineError{Line: line, Field: field, Problem: problem}) }
	c, ds := il.CaseRequest.Validate(windowOf(f.now, f.rules), f.key)
	var events []petition.Event
	for i, er := range il.Events {
		ev, eds := er.Validate(windowOf(f.now, f.rules), f.rules)
		for _, d := range eds {
			ds = append(ds, Detail{Field: fmt.Sprintf("events[%d].%s", i, d.Field), Problem: d.Problem})
		}
		events = append(events, ev)
	}
	for _, d := range ds {
		bad(d.Field, d.Problem)
	}
	if len(out) > 0 || !full {
		return store.LoadCase{Case: c, Events: events}, out
	}
	for _, p := range f.known.CaseProblems(c) { // repeat_of is checked against the whole file (checker)
		bad(p.Field, p.Problem)
	}
	received := c
	received.ReceivedAt = c.ReceivedAt.Truncate(time.Second)
	st := f.rules.Received(received)
	for k, e := range events {
		for _, p := range f.known.EventProblems(e) {
			bad(fmt.Sprintf("events[%d].%s", k, p.Field), p.Problem)
		}
		e.At = e.At.Truncate(time.Second)
		next, _, err := f.rules.Apply(st, e)
		if err != nil {
			bad(fmt.Sprintf("events[%d]", k), err.Error())
			break
		}
		st = next
	}
	return store.LoadCase{Case: c, Events: events}, out
}

// sumFields is the sum of a CSV record, field by field.
func sumFields(fields []string) uint64 {
	h := fnv.New64a()
	for _, s := range fields {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// decodeAll decodes and validates (decode) on every core the chunks of lines
// that produce sends, and hands them to use in the order they were sent.
func (f *File) decodeAll(ctx context.Context, full bool, produce func(send func([]rawLine) error) error, use func([]readLine) error) error {
	type chunk struct {
		in   []rawLine
		out  []readLine
		done chan struct{}
	}
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *chunk)
	order := make(chan *chunk, 2*workers)
	g, gctx := errgroup.WithContext(ctx)
	for range workers {
		g.Go(func() error {
			for c := range work {
				c.out = make([]readLine, len(c.in))
				for i, raw := range c.in {
					c.out[i] = f.decode(raw, full)
				}
				c.in = nil
				close(c.done)
			}
			return nil
		})
	}
	g.Go(func() error {
		for c := range order {
			select {
			case <-c.done:
			case <-gctx.Done():
				return gctx.Err()
			}
			if err := use(c.out); err != nil {
				return err
			}
		}
		return nil
	})
	err := produce(func(in []rawLine) error {
		c := &chunk{in: in, done: make(chan struct{})}
		for _, ch := range []chan *chunk{order, work} {
			select {
			case ch <- c:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	close(work)
	close(order)
	if werr := g.Wait(); werr != nil {
		return werr // the first cause: a producer cut short returns only ctx's error
	}
	return err
}

// readJSONLines sends the file's lines with where each is; blank lines are
// counted and skipped.
func (f *File) readJSONLines(send func([]rawLine) error) error {
	sc := bufio.NewScanner(io.NewSectionReader(f.r, 0, math.MaxInt64))
	sc.Buffer(make([]byte, 64*1024), MaxBody)
	var pos, start int64
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		adv, tok, err := bufio.ScanLines(data, atEOF)
		start, pos = pos, pos+int64(adv)
		return adv, tok, err
	})
	var line uint32
	chunk := make([]rawLine, 0, chunkLines)
	for sc.Scan() {
		if line == math.MaxUint32 {
			return fmt.Errorf("more than %d lines", line)
		}
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		chunk = append(chunk, rawLine{line: line, off: start, size: uint32(len(sc.Bytes())), data: bytes.Clone(sc.Bytes())})
		if len(chunk) == chunkLines {
			if err := send(chunk); err != nil {
				return err
			}
			chunk = make([]rawLine, 0, chunkLines)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read line %d: %w", line+1, err)
	}
	if len(chunk) == 0 {
		return nil
	}
	return send(chunk)
}

func csvReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // a short record is reported with its line (csvLine)
	return cr
}

// readCSVHeader reads the header of a CSV file; an unknown column is a
// problem, and nothing more is read.
func (f *File) readCSVHeader() (*csv.Reader, bool, error) {
	cr := csvReader(io.NewSectionReader(f.r, 0, math.MaxInt64))
	header, err := cr.Read()
	if err != nil {
		return nil, false, fmt.Errorf("read the CSV header: %w", err)
	}
	f.header, f.width = map[string]int{}, len(header)
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) // Excel's byte order mark
		if !petition.Contains(csvColumns, h) {
			f.problem(LineError{Line: 1, Field: h, Problem: "unknown column; columns are " + strings.Join(csvColumns, ", ")})
			continue
		}
		f.header[h] = i
	}
	return cr, f.count == 0, nil
}

// readCSV sends the records after the header with where each is.
func (f *File) readCSV(cr *csv.Reader, send func([]rawLine) error) error {
	chunk := make([]rawLine, 0, chunkLines)
	for {
		off := cr.InputOffset()
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		raw := rawLine{off: off, size: uint32(cr.InputOffset() - off), fields: rec}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("read CSV: %w", err)
			}
			raw.line = uint32(pe.Line)
			raw.problems = []LineError{{Line: pe.Line, Problem: "malformed CSV: " + pe.Err.Error()}}
		} else {
			line, _ := cr.FieldPos(0)
			raw.line = uint32(line)
		}
		chunk = append(chunk, raw)
		if len(chunk) == chunkLines {
			if err := send(chunk); err != nil {
				return err
			}
			chunk = make([]rawLine, 0, chunkLines)
		}
	}
	if len(chunk) == 0 {
		return nil
	}
	return send(chunk)
}

// csvLine is the import line of a CSV record.
func (f *File) csvLine(line int, rec []string) (ImportLine, []LineError) {
	if len(rec) != f.width {
		return ImportLine{}, []LineError{{Line: line, Problem: fmt.Sprintf("%d fields, the header has %d", len(rec), f.width)}}
	}
	var out []LineError
	get := func(name string) string {
		if i, ok := f.header[name]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	il := ImportLine{CaseRequest: CaseRequest{CaseNo: get("case_no"), ReceivedAt: get("received_at"), Channel: get("channel"),
		Category: get("category"), Unit: get("unit"), Level: get("level"), PetitionerID: get("petitioner_id"), RepeatOf: get("repeat_of"),
		MatterType: get("matter_type"), Matter: get("matter")}}
	if p := get("persons"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			out = append(out, LineError{Line: line, Field: "persons", Problem: fmt.Sprintf("%q is not a whole number", p)})
		}
		il.Persons = &n
	}
	for _, flag := range []struct {
		column string
		to     *bool
	}{{"supervised", &il.Supervised}, {"routing", &il.Routing}, {"major", &il.Major}} {
		if s := get(flag.column); s != "" {
			v, err := strconv.ParseBool(s)
			if err != nil {
				out = append(out, LineError{Line: line, Field: flag.column, Problem: fmt.Sprintf("%q is not true or false", s)})
			}
			*flag.to = v
		}
	}
	if ev := get("events"); ev != "" {
		if e := decodeBytes([]byte(ev), &il.Events); e != nil {
			out = append(out, LineError{Line: line, Field: "events", Problem: "must be a JSON array of events: " + e.Message})
		}
	}
	return il, out
}
