// Package calendar counts days as the law counts them (Civil Code arts.
// 200-204): which days are rest days — Saturdays, Sundays and the statutory
// holidays, except the make-up working days the State Council declares — and
// when a period of days that starts with an event ends. The holidays are data:
// holidays.yml ships with the binary, operators add years and local days off
// with a file of the same format. Pure: no clock of its own.
package calendar

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"time"
)

// Day is a civil date, as days since 1970-01-01: a day in no time zone.
type Day int32

// DayOf is the local date of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Date(y, m, d)
}

// Date is the day y-m-d (normalised as time.Date does).
func Date(y int, m time.Month, d int) Day {
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Start is the instant the day begins (00:00) in loc.
func (d Day) Start(loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// End is the instant the day ends (24:00, written 00:00 of the next day) in loc.
func (d Day) End(loc *time.Location) time.Time { return (d + 1).Start(loc) }

// Date is the day's year, month and day.
func (d Day) Date() (int, time.Month, int) {
	return time.Unix(int64(d)*86400, 0).UTC().Date()
}

// Weekday is the day's day of the week.
func (d Day) Weekday() time.Weekday { return time.Weekday((int(d)%7 + 7 + 4) % 7) } // 1970-01-01 was a Thursday

func (d Day) String() string { return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly) }

func (d Day) weekend() bool { w := d.Weekday(); return w == time.Saturday || w == time.Sunday }

// Calendar knows the holidays and make-up working days of the years it has
// data for; beyond them only weekends are rest days.
type Calendar struct {
	holidays map[Day]string // day -> the holiday's name
	workdays map[Day]bool   // make-up working days
	years    map[int]Year
	first    int // first year with data
	until    Day // last day of the contiguous run of years from first
}

// Year is the data of one year and where it comes from.
type Year struct {
	Year   int
	Source string
}

// Holiday reports whether d is a statutory holiday or a local day off, and
// its name.
func (c *Calendar) Holiday(d Day) (string, bool) {
	name, ok := c.holidays[d]
	return name, ok
}

// Workday reports whether d is a make-up working day (调休上班).
func (c *Calendar) Workday(d Day) bool { return c.workdays[d] }

// RestDay reports whether d is a rest day: a holiday, or a Saturday or
// Sunday that is not a make-up working day.
func (c *Calendar) RestDay(d Day) bool {
	if c.workdays[d] {
		return false
	}
	if _, ok := c.holidays[d]; ok {
		return true
	}
	return d.weekend()
}

// CoveredUntil is the last day of the calendar's data: the end of the last
// year of the run of consecutive years it has from its first.
func (c *Calendar) CoveredUntil() Day { return c.until }

// Years lists the years with data and their sources, in order.
func (c *Calendar) Years() []Year {
	var out []Year
	for y := c.first; ; y++ {
		yr, ok := c.years[y]
		if !ok {
			if len(out) == len(c.years) {
				return out
			}
			continue
		}
		out = append(out, yr)
	}
}

// Roll says whether a period whose last day is a rest day ends later.
type Roll string

// The roll-forward rules (deadline_roll_forward).
const (
	RollRestDays Roll = "rest_days" // to the next working day (Civil Code art. 203)
	RollHolidays Roll = "holidays"  // past statutory holidays and local days off only
	RollNone     Roll = "none"
)

// Rolls lists the roll-forward rules.
var Rolls = []Roll{RollRestDays, RollHolidays, RollNone}

// Count says which days a period counts.
type Count string

// The ways of counting (day_count per stage).
const (
	CalendarDays Count = "calendar" // every day
	WorkingDays  Count = "working"  // working days only (工作日)
)

// Counts lists the ways of counting.
var Counts = []Count{CalendarDays, WorkingDays}

// LastDay is the last day of a period of n days that starts the day after
// from (Civil Code art. 201), counted as count says and moved by roll when
// it falls on a rest day (art. 203), and the last day it would have had
// without moving (the same day when roll did not move it).
func (c *Calendar) LastDay(from Day, n int, count Count, roll Roll) (last, nominal Day) {
	if count == WorkingDays {
		d := from
		for left := n; left > 0; {
			d++
			if !c.RestDay(d) {
				left--
			}
		}
		return d, d // the n-th working day is a working day: nothing to move
	}
	nominal = from + Day(n)
	last = nominal
	switch roll {
	case RollRestDays:
		for c.RestDay(last) {
			last++
		}
	case RollHolidays:
		for {
			if _, ok := c.holidays[last]; !ok || c.workdays[last] {
				break
			}
			last++
		}
	}
	return last, nominal
}

// PeriodEnd is the instant a period of n days started by an event at t ends:
// 24:00 local time (in loc) of its last day (LastDay), and the end it would
// have had had roll not moved it.
func (c *Calendar) PeriodEnd(t time.Time, loc *time.Location, n int, count Count, roll Roll) (end, nominal time.Time) {
	last, nom := c.LastDay(DayOf(t, loc), n, count, roll)
	return last.End(loc), nom.End(loc)
}

// Fingerprint identifies the calendar's data: two calendars with the same
// holidays and make-up working days have the same fingerprint.
func (c *Calendar) Fingerprint() string {
	days := make([]Day, 0, len(c.holidays)+len(c.workdays))
	for d := range c.holidays {
		days = append(days, d)
	}
	for d := range c.workdays {
		days = append(days, -d-1) // workdays apart from holidays
	}
	slices.Sort(days)
	h := sha256.New()
	for _, d := range days {
		binary.Write(h, binary.LittleEndian, int32(d))
	}
	return hex.EncodeToString(h.Sum(nil))
}
