package config

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"riskmon/petition"
)

// Period is a sensitive period (敏感期) such as National Day or the Two
// Sessions. Its name becomes a label value, so it is a short code.
type Period struct {
	Name  string
	Start time.Time // inclusive
	End   time.Time // exclusive
	// ReportUpWithin is the period's own limit for reporting a major
	// matter upward, 0 when it keeps report_up_within.
	ReportUpWithin time.Duration
}

// PeriodSpec is a period as written in the configuration file.
type PeriodSpec struct {
	Name     string
	Start    string // a date (2006-01-02) or an RFC 3339 time
	End      string // a date (the whole day is in) or an RFC 3339 time (excluded)
	Timezone string // of dates; the configured timezone when empty
	// ReportUpWithin is a duration (30m), or "" to keep report_up_within.
	ReportUpWithin string
}

// ResolvePeriods parses specs, reporting every bad one by its position and
// where it came from.
func ResolvePeriods(def *time.Location, from string, specs []PeriodSpec) ([]Period, error) {
	var out []Period
	var errs []error
	for i, sp := range specs {
		p, err := sp.resolve(def)
		if err != nil {
			errs = append(errs, &Error{Key: fmt.Sprintf("sensitive_periods[%d]", i), From: from, Problem: err.Error()})
			continue
		}
		out = append(out, p)
	}
	return out, errors.Join(errs...)
}

// Active reports whether now falls in the period.
func (p Period) Active(now time.Time) bool {
	return !now.Before(p.Start) && now.Before(p.End)
}

var periodName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

func decodePeriods(v any) ([]PeriodSpec, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, errors.New("must be a list of {name, start, end, timezone, report_up_within}")
	}
	var out []PeriodSpec
	for i, item := range list {
		m, ok := item.(map[any]any)
		if !ok {
			return nil, fmt.Errorf("entry %d must be a mapping", i)
		}
		var p PeriodSpec
		for k, val := range m {
			s := fmt.Sprint(val)
			switch k {
			case "name":
				p.Name = s
			case "start":
				p.Start = s
			case "end":
				p.End = s
			case "timezone":
				p.Timezone = s
			case "report_up_within":
				p.ReportUpWithin = s
			default:
				return nil, fmt.Errorf("entry %d: unknown key %v", i, k)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// resolve parses start and end. A date (2006-01-02) means the whole local day:
// a start date opens at its midnight, an end date closes at the next midnight.
func (sp PeriodSpec) resolve(def *time.Location) (Period, error) {
	p := Period{Name: sp.Name}
	if !periodName.MatchString(sp.Name) {
		return p, fmt.Errorf("name %q must be a lowercase code (a-z, 0-9, _), at most 40 characters", sp.Name)
	}
	loc := def
	if sp.Timezone != "" {
		l, err := time.LoadLocation(sp.Timezone)
		if err != nil {
			return p, fmt.Errorf("period %s: unknown time zone %q", sp.Name, sp.Timezone)
		}
		loc = l
	}
	var err error
	if p.Start, err = parseBound(sp.Start, loc, false); err != nil {
		return p, fmt.Errorf("period %s: start: %w", sp.Name, err)
	}
	if p.End, err = parseBound(sp.End, loc, true); err != nil {
		return p, fmt.Errorf("period %s: end: %w", sp.Name, err)
	}
	if !p.End.After(p.Start) {
		return p, fmt.Errorf("period %s: end %s is not after start %s", sp.Name, sp.End, sp.Start)
	}
	if sp.ReportUpWithin != "" {
		d, err := time.ParseDuration(sp.ReportUpWithin)
		if err != nil || d < time.Second {
			return p, fmt.Errorf("period %s: report_up_within: %q is not a duration of at least 1s, such as 30m", sp.Name, sp.ReportUpWithin)
		}
		p.ReportUpWithin = d
	}
	return p, nil
}

// reportUpLimits are the periods' own limits for reporting major matters.
func reportUpLimits(periods []Period) []petition.Limit {
	var out []petition.Limit
	for _, p := range periods {
		if p.ReportUpWithin > 0 {
			out = append(out, petition.Limit{Start: p.Start, End: p.End, Within: p.ReportUpWithin})
		}
	}
	return out
}

func parseBound(s string, loc *time.Location, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("missing")
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a date (2006-01-02) nor RFC 3339", s)
	}
	return t, nil
}

// PeriodNames returns each configured name once, in order of first mention:
// a period that recurs every year (national_day) is configured once per year.
func (c *Config) PeriodNames() []string {
	var names []string
	seen := map[string]bool{}
	for _, p := range c.Periods {
		if !seen[p.Name] {
			seen[p.Name] = true
			names = append(names, p.Name)
		}
	}
	return names
}

// PeriodActive reports whether any period called name is active at now.
func (c *Config) PeriodActive(name string, now time.Time) bool {
	for _, p := range c.Periods {
		if p.Name == name && p.Active(now) {
			return true
		}
	}
	return false
}

// InSensitivePeriod reports whether any configured period is active at now:
// the register's stricter rules (daily inspection, the daily report) apply
// in every one of them.
func (c *Config) InSensitivePeriod(now time.Time) bool {
	for _, p := range c.Periods {
		if p.Active(now) {
			return true
		}
	}
	return false
}
