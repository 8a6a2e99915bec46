package intake

import (
	"context"
	"fmt"

	"riskmon/store"
)

// Check reads the whole file and finds every problem: of each line on its
// own (decode), a case number given twice with other content, a repeat_of
// that names no case received earlier in the file or stored, and a stored
// case the file disagrees with. It writes nothing. An error is a failure to
// read the file or the database; the file's problems are in Problems.
func (f *File) Check(ctx context.Context, s *store.Store) error {
	known, err := s.Known(ctx)
	if err != nil {
		return err
	}
	f.known = known
	empty, err := s.Empty(ctx)
	if err != nil {
		return err
	}
	// Into an empty database nothing is stored to compare with; should
	// cases come before Write, its bulk load refuses to run.
	c := &checker{f: f, s: s, index: map[store.Digest]uint32{}, compared: !empty}
	produce := f.readJSONLines
	if f.csv {
		cr, ok, err := f.readCSVHeader()
		if err != nil || !ok {
			return err
		}
		produce = func(send func([]rawLine) error) error { return f.readCSV(cr, send) }
	}
	if err := f.decodeAll(ctx, true, produce, func(lines []readLine) error { return c.take(ctx, lines) }); err != nil {
		return err
	}
	if err := c.compare(ctx); err != nil {
		return err
	}
	if err := c.resolveRepeats(ctx); err != nil {
		return err
	}
	f.checked = true
	return nil
}

// checker holds what Check needs across lines: a digest of each case
// number (about 30 bytes a case), the repeat_of names, and the cases not
// yet compared with the database.
type checker struct {
	f        *File
	s        *store.Store
	index    map[store.Digest]uint32 // case number -> entry
	repeats  []repeatRef
	compared bool     // whether the database holds cases to compare with
	unseen   []uint32 // entries not compared with the database yet
	cases    []store.LoadCase
}

// repeatRef is a case that names the case it repeats.
type repeatRef struct {
	entry uint32
	name  string
}

// compareBatch is how many cases one comparison with the database takes.
const compareBatch = 1000

// take files the lines decoded, in file order.
func (c *checker) take(ctx context.Context, lines []readLine) error {
	f := c.f
	for _, rl := range lines {
		for _, p := range rl.problems {
			f.problem(p)
		}
		if len(rl.problems) > 0 {
			continue
		}
		lc := rl.lc
		no := store.DigestOf(lc.Case.CaseNo)
		if j, dup := c.index[no]; dup {
			first, err := f.reread(j)
			if err != nil {
				return err
			}
			if fmt.Sprint(first) != fmt.Sprint(lc) {
				f.problem(LineError{Line: int(rl.line), Field: "case_no", Problem: fmt.Sprintf("%s is also on line %d, with other content", lc.Case.CaseNo, f.entries[j].line)})
			}
			continue // the same case twice is written once
		}
		i := uint32(len(f.entries))
		f.entries = append(f.entries, entry{off: rl.off, received: lc.Case.ReceivedAt.UnixNano(), sum: rl.sum, line: rl.line, size: rl.size})
		c.index[no] = i
		if lc.Case.RepeatOf != "" {
			c.repeats = append(c.repeats, repeatRef{entry: i, name: lc.Case.RepeatOf})
		}
		if !c.compared {
			continue
		}
		c.unseen, c.cases = append(c.unseen, i), append(c.cases, lc)
		if len(c.unseen) == compareBatch {
			if err := c.compare(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// compare looks up the cases taken since the last comparison in the
// database: one it holds must agree with the file, and one it holds with
// all its events is not written again.
func (c *checker) compare(ctx context.Context) error {
	stored, err := c.s.Compare(ctx, c.cases)
	if err != nil {
		return err
	}
	for k, st := range stored {
		e := &c.f.entries[c.unseen[k]]
		switch {
		case st.Conflict != "":
			c.f.problem(LineError{Line: int(e.line), Field: "case_no", Problem: c.cases[k].Case.CaseNo + ": " + st.Conflict})
		case st.Exists && st.Events >= len(c.cases[k].Events):
			e.stored = true
		}
	}
	c.unseen, c.cases = c.unseen[:0], c.cases[:0]
	return nil
}

// resolveRepeats: a linked repeat names a case received before it, in the
// file or in the database.
func (c *checker) resolveRepeats(ctx context.Context) error {
	f := c.f
	var ask []repeatRef
	for _, ref := range c.repeats {
		e := f.entries[ref.entry]
		j, ok := c.index[store.DigestOf(ref.name)]
		if !ok {
			ask = append(ask, ref)
			continue
		}
		if orig := f.entries[j]; orig.received >= e.received {
			f.problem(LineError{Line: int(e.line), Field: "repeat_of", Problem: fmt.Sprintf("%s (line %d) was not received earlier", ref.name, orig.line)})
		}
	}
	names := make([]string, len(ask))
	for i, ref := range ask {
		names[i] = ref.name
	}
	stored, err := c.s.Exists(ctx, names)
	if err != nil {
		return err
	}
	for _, ref := range ask {
		if !stored[ref.name] {
			f.problem(LineError{Line: int(f.entries[ref.entry].line), Field: "repeat_of", Problem: fmt.Sprintf("case %q is neither in the file nor stored", ref.name)})
		}
	}
	return nil
}
