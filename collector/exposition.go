package collector

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// exposition gathers a refresh's samples and writes them in the text
// exposition format exactly as the client library's registry and expfmt
// would (families by name, samples by their label values taken in the order
// of the labels' names, the same escaping and numbers; the test compares the
// two byte for byte on every metric the scrapers emit and on awkward
// values). It does without them because a refresh spent more on them than on
// its queries: a const metric, its label pairs and a protobuf message for
// each of thousands of samples, gathered through a channel, checked,
// sorted and encoded, 40 ms of a refresh whatever the number of cases.
type exposition struct {
	families map[string]*family
	err      error // the first sample refused
}

// family is one metric's samples; values holds each sample's label values,
// one after another.
type family struct {
	d      typedDesc
	byName []int // the label positions in the order of the labels' names
	values []string
	nums   []float64
}

func newExposition() *exposition { return &exposition{families: map[string]*family{}} }

// add is the scrapers' Emit.
func (e *exposition) add(d typedDesc, v float64, labels ...string) {
	if len(labels) != len(d.Doc.Labels) {
		e.refuse(fmt.Errorf("%s: %d label values for the labels %v", d.Doc.Name, len(labels), d.Doc.Labels))
		return
	}
	for i, l := range labels {
		if !utf8.ValidString(l) {
			e.refuse(fmt.Errorf("%s: label %s: the value %q is not valid UTF-8", d.Doc.Name, d.Doc.Labels[i], l))
			return
		}
	}
	f := e.families[d.Doc.Name]
	if f == nil {
		f = &family{d: d, byName: make([]int, len(d.Doc.Labels))}
		for i := range f.byName {
			f.byName[i] = i
		}
		slices.SortFunc(f.byName, func(a, b int) int { return strings.Compare(d.Doc.Labels[a], d.Doc.Labels[b]) })
		e.families[d.Doc.Name] = f
	}
	f.values = append(f.values, labels...)
	f.nums = append(f.nums, v)
}

func (e *exposition) refuse(err error) {
	if e.err == nil {
		e.err = err
	}
}

// text writes the samples; two samples of one metric with the same label
// values are an error, as they are to the registry. A refresh writes them
// through its encoder (encoding.go), which the tests hold to this.
func (e *exposition) text() ([]byte, error) {
	if e.err != nil {
		return nil, e.err
	}
	var buf bytes.Buffer
	buf.Grow(e.size()) // growing by doubling cost more than writing
	for _, name := range e.names() {
		f := e.families[name]
		order, err := f.order()
		if err != nil {
			return nil, err
		}
		f.write(&buf, order)
	}
	return buf.Bytes(), nil
}

// names are the families' names in the order they are written.
func (e *exposition) names() []string {
	names := make([]string, 0, len(e.families))
	for name := range e.families {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// size is about the length of the text: a little more, so that it is written
// into one buffer.
func (e *exposition) size() int {
	n := 0
	for _, f := range e.families {
		line := len(f.d.Doc.Name) + 32 // the value, braces and the newline
		for _, l := range f.d.Doc.Labels {
			line += len(l) + 4
		}
		n += 2*len(f.d.Doc.Name) + len(f.d.Doc.Help) + 32 + line*len(f.nums)
		for _, v := range f.values {
			n += len(v)
		}
	}
	return n
}

// order is the order f's samples are written in: by their label values
// taken in the order of the labels' names. Two samples with the same label
// values are an error.
func (f *family) order() ([]int, error) {
	n := len(f.byName)
	order := make([]int, len(f.nums))
	for i := range order {
		order[i] = i
	}
	compare := func(a, b int) int {
		for pos := range n {
			if c := strings.Compare(f.label(a, pos), f.label(b, pos)); c != 0 {
				return c
			}
		}
		return 0
	}
	slices.SortStableFunc(order, compare)
	for i := 1; i < len(order); i++ {
		if compare(order[i-1], order[i]) == 0 {
			return nil, fmt.Errorf("%s emitted twice with the label values %q", f.d.Doc.Name, f.values[order[i]*n:order[i]*n+n])
		}
	}
	return order, nil
}

// label is sample's value of the label at pos in the order of the labels'
// names.
func (f *family) label(sample, pos int) string {
	return f.values[sample*len(f.byName)+f.byName[pos]]
}

// write writes f's samples in order (f.order's).
func (f *family) write(buf *bytes.Buffer, order []int) {
	n := len(f.byName)
	name := f.d.Doc.Name
	buf.WriteString("# HELP ")
	buf.WriteString(name)
	buf.WriteByte(' ')
	helpEscaper.WriteString(buf, f.d.Doc.Help)
	buf.WriteString("\n# TYPE ")
	buf.WriteString(name)
	buf.WriteByte(' ')
	buf.WriteString(f.d.Doc.Type)
	buf.WriteByte('\n')
	num := make([]byte, 0, 32)
	for _, s := range order {
		buf.WriteString(name)
		if n > 0 {
			buf.WriteByte('{')
			for pos := range n {
				if pos > 0 {
					buf.WriteByte(',')
				}
				buf.WriteString(f.d.Doc.Labels[f.byName[pos]])
				buf.WriteString(`="`)
				labelEscaper.WriteString(buf, f.label(s, pos))
				buf.WriteByte('"')
			}
			buf.WriteByte('}')
		}
		buf.WriteByte(' ')
		buf.Write(appendNumber(num[:0], f.nums[s]))
		buf.WriteByte('\n')
	}
}

// The escaping and the numbers of expfmt's text format.
var (
	helpEscaper  = strings.NewReplacer("\\", `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer("\\", `\\`, "\n", `\n`, "\"", `\"`)
)

func appendNumber(b []byte, f float64) []byte {
	switch {
	case f == 0: // and -0, which strconv writes as "-0"
		return append(b, '0')
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, +1):
		return append(b, "+Inf"...)
	case math.IsInf(f, -1):
		return append(b, "-Inf"...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}
