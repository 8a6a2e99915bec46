package calendar

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// shipped is the holiday data of the State Council's notices that riskmon
// ships; each year names its notice.
//
//go:embed holidays.yml
var shipped []byte

// Default is the shipped calendar.
func Default() (*Calendar, error) { return Load("") }

// Shipped is the shipped calendar, read once. The data is part of the
// binary and tested, so a problem with it is a bug: Shipped panics on it.
var Shipped = sync.OnceValue(func() *Calendar {
	c, err := Default()
	if err != nil {
		panic(err)
	}
	return c
})

// Load returns the shipped calendar with the operator's file at path (if
// path is not empty) added to it. Every problem is reported, each with the
// file and line it is on; nothing of a bad file is used.
func Load(path string) (*Calendar, error) {
	c := &Calendar{holidays: map[Day]string{}, workdays: map[Day]bool{}, years: map[int]Year{}}
	b := &builder{c: c, seen: map[Day]string{}}
	b.file("holidays.yml (shipped)", shipped)
	if path != "" {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
		b.file(path, raw)
	}
	if len(b.errs) > 0 {
		return nil, errors.Join(b.errs...)
	}
	c.first = 1 << 30
	for y := range c.years {
		c.first = min(c.first, y)
	}
	last := c.first
	for c.years[last+1] != (Year{}) {
		last++
	}
	c.until = Date(last, time.December, 31)
	return c, nil
}

// The file's form: years of notices, and local days off.
type fileDoc struct {
	Years []yaml.Node `yaml:"years"`
	Local []yaml.Node `yaml:"local"`
}

type yearDoc struct {
	Year     int         `yaml:"year"`
	Source   string      `yaml:"source"`
	Holidays []yaml.Node `yaml:"holidays"`
	Workdays []yaml.Node `yaml:"workdays"`
}

type rangeDoc struct {
	Name   string `yaml:"name"`
	From   string `yaml:"from"`
	To     string `yaml:"to"`
	Source string `yaml:"source"` // local days off only
}

// builder adds files to a calendar, collecting every problem.
type builder struct {
	c    *Calendar
	seen map[Day]string // day -> where it was given, for "given twice"
	errs []error
	name string
}

func (b *builder) bad(line int, format string, args ...any) {
	b.errs = append(b.errs, fmt.Errorf("calendar %s:%d: %s", b.name, line, fmt.Sprintf(format, args...)))
}

func (b *builder) file(name string, raw []byte) {
	b.name = name
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		b.errs = append(b.errs, fmt.Errorf("calendar %s: %w", name, err))
		return
	}
	if len(root.Content) == 0 {
		b.bad(1, "empty file: it needs years: or local:")
		return
	}
	var doc fileDoc
	if !b.decode(root.Content[0], &doc) {
		return
	}
	for _, n := range doc.Years {
		b.year(n)
	}
	for _, n := range doc.Local {
		var r rangeDoc
		if !b.decode(&n, &r) {
			continue
		}
		if strings.TrimSpace(r.Source) == "" {
			b.bad(n.Line, "local days off %q need a source (the decision that grants them)", r.Name)
		}
		b.holidayRange(n.Line, r, 0)
	}
}

// decode decodes n strictly into v, reporting unknown or mistyped fields.
func (b *builder) decode(n *yaml.Node, v any) bool {
	if err := n.Decode(v); err != nil {
		b.bad(n.Line, "%v", err)
		return false
	}
	return checkKnown(b, n, v)
}

// checkKnown refuses keys the form does not have, so a typo is not dropped.
func checkKnown(b *builder, n *yaml.Node, v any) bool {
	if n.Kind != yaml.MappingNode {
		b.bad(n.Line, "must be a mapping")
		return false
	}
	var known []string
	switch v.(type) {
	case *fileDoc:
		known = []string{"years", "local"}
	case *yearDoc:
		known = []string{"year", "source", "holidays", "workdays"}
	case *rangeDoc:
		known = []string{"name", "from", "to", "source"}
	}
	ok := true
	for i := 0; i < len(n.Content); i += 2 { // a mapping's content is key, value, key, value, …
		k := n.Content[i]
		if !slices.Contains(known, k.Value) {
			b.bad(k.Line, "unknown key %q (keys: %s)", k.Value, strings.Join(known, ", "))
			ok = false
		}
	}
	return ok
}

func (b *builder) year(n yaml.Node) {
	var y yearDoc
	if !b.decode(&n, &y) {
		return
	}
	if y.Year < 2000 || y.Year > 2200 {
		b.bad(n.Line, "year %d is not a plausible year", y.Year)
		return
	}
	if prev, ok := b.c.years[y.Year]; ok {
		b.bad(n.Line, "year %d is already given (%s)", y.Year, prev.Source)
		return
	}
	if strings.TrimSpace(y.Source) == "" {
		b.bad(n.Line, "year %d needs a source: the notice's title and date", y.Year)
	}
	b.c.years[y.Year] = Year{Year: y.Year, Source: y.Source}
	newYear := false
	for _, h := range y.Holidays {
		var r rangeDoc
		if !b.decode(&h, &r) {
			continue
		}
		if r.Source != "" {
			b.bad(h.Line, "a holiday of a year takes its year's source")
		}
		if from, to, ok := b.holidayRange(h.Line, r, y.Year); ok && from <= Date(y.Year, time.January, 1) && to >= Date(y.Year, time.January, 1) {
			newYear = true
		}
	}
	if !newYear {
		b.bad(n.Line, "year %d has no New Year's Day (1 January) among its holidays", y.Year)
	}
	for _, w := range y.Workdays {
		d, ok := b.date(w.Line, "workday", w.Value)
		if !ok {
			continue
		}
		if yy, _, _ := d.Date(); yy != y.Year {
			b.bad(w.Line, "workday %s is not in %d", d, y.Year)
		}
		if !d.weekend() {
			b.bad(w.Line, "workday %s is a %s: a make-up working day is always a Saturday or Sunday", d, d.Weekday())
		}
		if b.twice(w.Line, d) {
			continue
		}
		b.c.workdays[d] = true
	}
}

// holidayRange adds the days of r, a holiday of year (0: local days off).
func (b *builder) holidayRange(line int, r rangeDoc, year int) (from, to Day, ok bool) {
	if strings.TrimSpace(r.Name) == "" {
		b.bad(line, "a holiday needs a name")
	}
	from, ok1 := b.date(line, "from", r.From)
	to, ok2 := b.date(line, "to", r.To)
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	switch {
	case to < from:
		b.bad(line, "%s: to %s is before from %s", r.Name, to, from)
		return 0, 0, false
	case to-from > 14:
		b.bad(line, "%s: %d days is longer than any holiday", r.Name, to-from+1)
		return 0, 0, false
	}
	if year != 0 {
		// a New Year holiday may start on the last days of December
		if ty, _, _ := to.Date(); ty != year {
			b.bad(line, "%s ends on %s, not in %d", r.Name, to, year)
		}
	}
	for d := from; d <= to; d++ {
		if !b.twice(line, d) {
			b.c.holidays[d] = r.Name
		}
	}
	return from, to, true
}

func (b *builder) date(line int, field, v string) (Day, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(v))
	if err != nil {
		b.bad(line, "%s %q is not a date such as 2026-10-01", field, v)
		return 0, false
	}
	return Date(t.Date()), true
}

// twice reports (and names) a day given a second time.
func (b *builder) twice(line int, d Day) bool {
	here := fmt.Sprintf("%s:%d", b.name, line)
	if prev, ok := b.seen[d]; ok {
		b.bad(line, "%s is given twice (also at %s)", d, prev)
		return true
	}
	b.seen[d] = here
	return false
}
