package calendar

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func day(s string) Day {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return Date(t.Date())
}

func shippedCalendar(t *testing.T) *Calendar {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The shipped data as the notices give it: a few days checked by hand.
func TestShippedDays(t *testing.T) {
	c := shippedCalendar(t)
	for _, tc := range []struct {
		day  string
		rest bool
	}{
		{"2024-02-04", false}, // Sunday, make-up working day
		{"2024-02-10", true},  // Spring Festival
		{"2024-06-10", true},  // Dragon Boat, Monday
		{"2025-01-26", false}, // Sunday, make-up
		{"2025-10-08", true},  // National Day and Mid-Autumn together
		{"2025-10-11", false}, // Saturday, make-up
		{"2026-01-04", false}, // Sunday, make-up
		{"2026-02-23", true},  // last day of Spring Festival, Monday
		{"2026-02-24", false}, // Tuesday
		{"2026-02-28", false}, // Saturday, make-up
		{"2026-09-20", false}, // Sunday, make-up
		{"2026-10-07", true},
		{"2026-10-08", false},
		{"2026-10-10", false}, // Saturday, make-up
		{"2026-10-11", true},  // Sunday
		{"2027-01-02", true},  // Saturday, beyond the data: weekends still rest
		{"2027-01-04", false}, // Monday beyond the data
	} {
		if got := c.RestDay(day(tc.day)); got != tc.rest {
			t.Errorf("%s: rest day %v, want %v", tc.day, got, tc.rest)
		}
	}
	if got, want := c.CoveredUntil().String(), "2026-12-31"; got != want {
		t.Errorf("covered until %s, want %s", got, want)
	}
	if ys := c.Years(); len(ys) != 3 || ys[0].Year != 2024 || !strings.Contains(ys[2].Source, "2026") {
		t.Errorf("years %v", ys)
	}
}

// The edges of counting: the period starts the day after the event, and a
// last day on a rest day moves to the next working day.
func TestLastDay(t *testing.T) {
	c := shippedCalendar(t)
	for _, tc := range []struct {
		name          string
		from          string
		n             int
		count         Count
		roll          Roll
		want, nominal string
	}{
		{"a working day stays", "2026-11-01", 15, CalendarDays, RollRestDays, "2026-11-16", "2026-11-16"},
		{"Saturday to Monday", "2026-11-06", 15, CalendarDays, RollRestDays, "2026-11-23", "2026-11-21"},
		{"Sunday to Monday", "2026-11-07", 15, CalendarDays, RollRestDays, "2026-11-23", "2026-11-22"},
		{"inside National Day", "2026-09-20", 15, CalendarDays, RollRestDays, "2026-10-08", "2026-10-05"},
		{"first day of National Day", "2026-09-16", 15, CalendarDays, RollRestDays, "2026-10-08", "2026-10-01"},
		{"last day of National Day", "2026-09-22", 15, CalendarDays, RollRestDays, "2026-10-08", "2026-10-07"},
		{"the day after National Day", "2026-09-23", 15, CalendarDays, RollRestDays, "2026-10-08", "2026-10-08"},
		{"first day of Spring Festival", "2026-01-31", 15, CalendarDays, RollRestDays, "2026-02-24", "2026-02-15"},
		{"last day of Spring Festival", "2026-02-08", 15, CalendarDays, RollRestDays, "2026-02-24", "2026-02-23"},
		{"on a Sunday make-up working day", "2026-09-05", 15, CalendarDays, RollRestDays, "2026-09-20", "2026-09-20"},
		{"on a Saturday make-up working day", "2026-09-25", 15, CalendarDays, RollRestDays, "2026-10-10", "2026-10-10"},
		{"31 December into the New Year holidays", "2023-12-16", 15, CalendarDays, RollRestDays, "2024-01-02", "2023-12-31"},
		{"into a New Year holiday ending on a Saturday", "2025-12-17", 15, CalendarDays, RollRestDays, "2026-01-04", "2026-01-01"},
		{"beyond the data, weekends still move", "2026-12-18", 15, CalendarDays, RollRestDays, "2027-01-04", "2027-01-02"},
		{"holidays only: a weekend stays", "2026-11-06", 15, CalendarDays, RollHolidays, "2026-11-21", "2026-11-21"},
		{"holidays only: National Day moves", "2026-09-20", 15, CalendarDays, RollHolidays, "2026-10-08", "2026-10-05"},
		{"no roll", "2026-09-20", 15, CalendarDays, RollNone, "2026-10-05", "2026-10-05"},
		{"working days across National Day", "2026-09-30", 5, WorkingDays, RollRestDays, "2026-10-13", "2026-10-13"},
		{"working days count a make-up day", "2026-09-18", 2, WorkingDays, RollRestDays, "2026-09-21", "2026-09-21"},
	} {
		last, nominal := c.LastDay(day(tc.from), tc.n, tc.count, tc.roll)
		if got := last.String(); got != tc.want {
			t.Errorf("%s: last day %s, want %s", tc.name, got, tc.want)
		}
		if got := nominal.String(); got != tc.nominal {
			t.Errorf("%s: nominal last day %s, want %s", tc.name, got, tc.nominal)
		}
	}
}

// The event's day is its local date: 23:59 and 00:01 local are different
// days whatever the UTC date, and the period ends at 24:00 local.
func TestPeriodEndInTheZone(t *testing.T) {
	c := shippedCalendar(t)
	for _, tc := range []struct {
		at, want string
	}{
		{"2026-11-01T23:59:00+08:00", "2026-11-17T00:00:00+08:00"},
		{"2026-11-02T00:01:00+08:00", "2026-11-18T00:00:00+08:00"}, // 2026-11-01 16:01 UTC
		{"2026-09-20T10:00:00+08:00", "2026-10-09T00:00:00+08:00"}, // the domain's example: 5 October moves to 8 October
	} {
		at, _ := time.Parse(time.RFC3339, tc.at)
		end, _ := c.PeriodEnd(at, shanghai, 15, CalendarDays, RollRestDays)
		if got := end.In(shanghai).Format(time.RFC3339); got != tc.want {
			t.Errorf("received %s: period ends %s, want %s", tc.at, got, tc.want)
		}
	}
}

func TestLoadRefusesBadFiles(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"a year already shipped", `years:
  - year: 2026
    source: x
    holidays: [{name: 元旦, from: 2026-01-01, to: 2026-01-01}]
`, []string{":2: year 2026 is already given"}},
		{"a date twice", `years:
  - year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知
    holidays:
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
      - {name: 又一个, from: 2027-01-03, to: 2027-01-03}
`, []string{":6: 2027-01-03 is given twice (also at", ":5)"}},
		{"a make-up day on a weekday", `years:
  - year: 2027
    source: x
    holidays: [{name: 元旦, from: 2027-01-01, to: 2027-01-01}]
    workdays: [2027-01-06]
`, []string{":5: workday 2027-01-06 is a Wednesday"}},
		{"no New Year", `years:
  - year: 2027
    source: x
    holidays: [{name: 春节, from: 2027-02-06, to: 2027-02-12}]
`, []string{":2: year 2027 has no New Year's Day"}},
		{"no source", `years:
  - year: 2027
    holidays: [{name: 元旦, from: 2027-01-01, to: 2027-01-01}]
`, []string{"year 2027 needs a source"}},
		{"a year before 2000", `years:
  - year: 1999
    source: x
    holidays: [{name: 元旦, from: 1999-01-01, to: 1999-01-01}]
`, []string{":2: year 1999 is not a plausible year"}},
		{"a year after 2200", `years:
  - year: 2201
    source: x
    holidays: [{name: 元旦, from: 2201-01-01, to: 2201-01-01}]
`, []string{":2: year 2201 is not a plausible year"}},
		{"a typo in a key", `years:
  - year: 2027
    source: x
    holiday: [{name: 元旦, from: 2027-01-01, to: 2027-01-01}]
`, []string{`:4: unknown key "holiday"`}},
		{"not a date", `local:
  - {name: 县庆, from: 2027-13-01, to: 2027-13-01, source: 县政府决定}
`, []string{`:2: from "2027-13-01" is not a date`}},
		{"local days off without a source", `local:
  - {name: 县庆, from: 2027-05-20, to: 2027-05-20}
`, []string{":2: local days off \"县庆\" need a source"}},
		{"local days off on a holiday", `local:
  - {name: 县庆, from: 2026-10-01, to: 2026-10-01, source: 县政府决定}
`, []string{"2026-10-01 is given twice (also at holidays.yml (shipped)"}},
		{"backwards", `local:
  - {name: 县庆, from: 2027-05-21, to: 2027-05-20, source: 县政府决定}
`, []string{"to 2027-05-20 is before from 2027-05-21"}},
	} {
		path := filepath.Join(t.TempDir(), "cal.yml")
		if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path)
		if err == nil {
			t.Errorf("%s: loaded, want an error", tc.name)
			continue
		}
		if c != nil {
			t.Errorf("%s: a calendar came back with the error", tc.name)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) || !strings.Contains(err.Error(), path) {
				t.Errorf("%s: error %q lacks %q or the file name", tc.name, err, w)
			}
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yml")); err == nil {
		t.Error("a missing file loaded")
	}
}

func TestLoadAddsAYearAndLocalDays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cal.yml")
	file := `years:
  - year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知（示例）
    holidays:
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
    workdays: [2027-01-09]
local:
  - {name: 县庆, from: 2026-11-20, to: 2026-11-20, source: 县人民政府决定（示例）}
`
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.CoveredUntil().String(); got != "2027-12-31" {
		t.Errorf("covered until %s", got)
	}
	if !c.RestDay(day("2026-11-20")) || c.RestDay(day("2027-01-09")) || !c.RestDay(day("2027-01-01")) {
		t.Error("the operator's days were not applied")
	}
	if name, ok := c.Holiday(day("2026-11-20")); !ok || name != "县庆" {
		t.Errorf("local day off: %q %v", name, ok)
	}
}

// The plausible years run from 2000 to 2200, both included.
func TestLoadYearBounds(t *testing.T) {
	for _, year := range []int{2000, 2200} {
		path := filepath.Join(t.TempDir(), "cal.yml")
		file := fmt.Sprintf("years:\n  - year: %d\n    source: x\n    holidays: [{name: 元旦, from: %d-01-01, to: %d-01-01}]\n", year, year, year)
		if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path)
		if err != nil {
			t.Fatalf("year %d: %v", year, err)
		}
		if _, ok := c.Holiday(DayOf(time.Date(year, 1, 1, 12, 0, 0, 0, shanghai), shanghai)); !ok {
			t.Errorf("year %d: New Year's Day is not a holiday", year)
		}
	}
}
