package petition

import (
	"fmt"
	"time"
)

// Monthly screening (一月一排查): every unit screens its area for disputes
// once a month and reports what it found by risk. Before a sensitive
// period, a unit that has not screened in the month before the period
// starts is a gap in what the county knows.

// Month is a calendar month as year*12 + month-1: months subtract.
type Month int

// MonthOf is the local month of t.
func MonthOf(t time.Time, loc *time.Location) Month {
	l := t.In(loc)
	return Month(l.Year()*12 + int(l.Month()) - 1)
}

// ParseMonth reads 2006-01.
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a month such as 2026-09", s)
	}
	return MonthOf(t, time.UTC), nil
}

// String is the month as 2006-01.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", int(m)/12, int(m)%12+1) }

// Start is 00:00 local of the month's first day.
func (m Month) Start(loc *time.Location) time.Time {
	return time.Date(int(m)/12, time.Month(int(m)%12+1), 1, 0, 0, 0, 0, loc)
}

// Screening is a unit's monthly screening: the disputes found by risk.
type Screening struct {
	Unit  string
	Month Month
	Found map[string]int // by DisputeRisks; a risk left out is 0
}

// Problems lists what is wrong with s at now: a screening is for this month
// or an earlier one, with counts of the known risks, none negative.
func (s Screening) Problems(now time.Time, loc *time.Location) []Problem {
	var ps []Problem
	ps = append(ps, CodeProblem("unit", s.Unit)...)
	if this := MonthOf(now, loc); s.Month > this {
		ps = append(ps, Problem{"month", fmt.Sprintf("%s is after this month, %s", s.Month, this)})
	}
	for risk, n := range s.Found {
		if !Contains(DisputeRisks, risk) {
			ps = append(ps, vocabProblem("found", risk, DisputeRisks)...)
		} else if n < 0 || n > MaxDisputePersons {
			ps = append(ps, Problem{"found." + risk, fmt.Sprintf("%d is outside 0..%d", n, MaxDisputePersons)})
		}
	}
	return ps
}

// ScreeningDue is the month whose screening a unit owes at now before a
// sensitive period: the month before the start of the first period that
// starts within leadDays of now (and has not started); ok is false when no
// period is that close.
func ScreeningDue(now time.Time, loc *time.Location, starts []time.Time, leadDays int) (due Month, ok bool) {
	for _, start := range starts {
		if now.Before(start) && !now.Before(start.Add(-time.Duration(leadDays)*24*time.Hour)) {
			m := MonthOf(start, loc) - 1
			if !ok || m < due {
				due, ok = m, true
			}
		}
	}
	return due, ok
}
