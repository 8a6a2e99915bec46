package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"riskmon/petition"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "riskmon.yml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaults(t *testing.T) {
	c, err := Load(Source{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != ":9720" || c.DB != "sqlite:riskmon.db" || c.RefreshInterval != 15*time.Second ||
		c.StalenessLimit != 2*time.Minute || c.Rules.Location.String() != "Asia/Shanghai" ||
		c.Rules.AcceptanceDays != 15 || c.Rules.HandlingDays != 60 || c.Rules.DueSoon != 72*time.Hour ||
		c.Rules.CollectiveThreshold != 5 || c.Rules.RepeatLookbackDays != 365 || !c.MigrateOnStart {
		t.Errorf("unexpected defaults: %+v", c)
	}
}

func TestLayersOverrideInOrder(t *testing.T) {
	file := writeFile(t, "listen: ':1000'\nrefresh_interval: 20s\ntimezone: UTC\ncollective_threshold: 8\n")
	c, err := Load(Source{
		File:  file,
		Env:   map[string]string{"RISKMON_REFRESH_INTERVAL": "30s", "RISKMON_LISTEN": ":2000", "RISKMON_PETITIONER_KEY": "0123456789abcdef"},
		Flags: map[string]string{"listen": ":3000"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := []any{c.Listen, c.RefreshInterval, c.Timezone, c.Rules.CollectiveThreshold, c.PetitionerKey.Fingerprint()}
	want := []any{":3000", 30 * time.Second, "UTC", 8, petition.NewKey([]byte("0123456789abcdef")).Fingerprint()}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("value %d = %v, want %v", i, got[i], want[i])
		}
	}
	if err := c.CheckSecrets(false); err != nil {
		t.Errorf("CheckSecrets: %v", err)
	}
}

func TestErrorsNameKeyAndSource(t *testing.T) {
	file := writeFile(t, "refresh_interval: soon\ncolour: blue\n")
	calendarFile := writeFile(t, "years:\n  - {year: 2027, source: x, holidays: [{name: 元旦, from: 2027-01-01, to: 2027-01-01}],\n     workdays: [\n       2027-01-06]}\n")
	cases := []struct {
		name string
		src  Source
		want []string
	}{
		{"bad duration in file and unknown key", Source{File: file}, []string{`unknown key`, `"colour"`}},
		{"bad env duration", Source{Env: map[string]string{"RISKMON_REFRESH_INTERVAL": "often"}},
			[]string{`config key "refresh_interval" (from RISKMON_REFRESH_INTERVAL): "often" is not a duration`}},
		{"bad zone", Source{Env: map[string]string{"RISKMON_TIMEZONE": "Mars/Olympus"}}, []string{`"timezone"`, `unknown time zone "Mars/Olympus"`}},
		{"bad db", Source{Flags: map[string]string{"db": "postgres://x"}}, []string{`(from --db)`, `must be sqlite:PATH or mysql:DSN`}},
		{"out of range", Source{Env: map[string]string{"RISKMON_ACCEPTANCE_DAYS": "0"}}, []string{`"acceptance_days"`, `outside 1..365`}},
		{"unknown env", Source{Env: map[string]string{"RISKMON_LISTNE": ":1"}}, []string{`RISKMON_LISTNE`, `unknown RISKMON_ variable`}},
		{"stale by design", Source{Env: map[string]string{"RISKMON_REFRESH_INTERVAL": "5m"}}, []string{`"staleness_limit"`, `must be longer than refresh_interval`}},
		{"bad roll-forward", Source{Env: map[string]string{"RISKMON_DEADLINE_ROLL_FORWARD": "weekends"}},
			[]string{`"deadline_roll_forward"`, `"weekends" is not one of rest_days, holidays, none`}},
		{"bad day count", Source{Flags: map[string]string{"handling_day_count": "business"}},
			[]string{`"handling_day_count" (from --handling-day-count)`, `"business" is not one of calendar, working`}},
		{"bad calendar file", Source{Env: map[string]string{"RISKMON_CALENDAR_FILE": calendarFile}},
			[]string{`"calendar_file"`, calendarFile + `:4: workday 2027-01-06 is a Wednesday`}},
		{"missing calendar file", Source{Env: map[string]string{"RISKMON_CALENDAR_FILE": "/nonexistent/holidays.yml"}},
			[]string{`"calendar_file"`, `/nonexistent/holidays.yml`}},
		{"a leader by name", Source{Env: map[string]string{"RISKMON_LEADER_ROLES": "township_head,Zhang San"}},
			[]string{`"leader_roles"`, `"Zhang San" must be 1 to 64 letters`, `a role, never a name`}},
		{"no leader role", Source{Env: map[string]string{"RISKMON_LEADER_ROLES": " , "}}, []string{`"leader_roles"`, `at least one role`}},
		{"bad cut-off", Source{Env: map[string]string{"RISKMON_REPORT_CUTOFF": "25:00"}}, []string{`"report_cutoff"`, `"25:00" is not a local time`}},
		{"two problems at once", Source{Env: map[string]string{"RISKMON_QUERY_TIMEOUT": "x", "RISKMON_MIGRATE_ON_START": "maybe"}},
			[]string{`"query_timeout"`, `"migrate_on_start"`}},
	}
	for _, c := range cases {
		_, err := Load(c.src)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", c.name, err, w)
			}
		}
	}
	// the same file also reports its bad duration once the unknown key is gone
	_, err := Load(Source{File: writeFile(t, "refresh_interval: soon\n")})
	if err == nil || !strings.Contains(err.Error(), `"soon" is not a duration`) {
		t.Errorf("bad duration in file: %v", err)
	}
}

func TestMissingSecret(t *testing.T) {
	c, err := Load(Source{Env: map[string]string{"RISKMON_PETITIONER_KEY": "short"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckSecrets(true); err == nil || !strings.Contains(err.Error(), "petitioner_key") {
		t.Errorf("CheckSecrets = %v, want an error naming petitioner_key", err)
	}
}

func TestSensitivePeriods(t *testing.T) {
	file := writeFile(t, `sensitive_periods:
  - {name: national_day, start: 2026-10-01, end: 2026-10-07}
  - {name: national_day, start: 2027-10-01, end: 2027-10-07}
  - {name: drill, start: "2026-11-28T10:00:00+08:00", end: "2026-11-28T12:00:00+08:00", timezone: UTC}
  - {name: two_sessions, start: 2027-03-05, end: 2027-03-11, timezone: UTC}
`)
	c, err := Load(Source{File: file})
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	cases := []struct {
		name string
		now  time.Time
		want bool
	}{
		{"national_day", time.Date(2026, 9, 30, 23, 59, 59, 0, sh), false},
		{"national_day", time.Date(2026, 10, 1, 0, 0, 0, 0, sh), true},
		{"national_day", time.Date(2026, 10, 7, 23, 59, 59, 0, sh), true},
		{"national_day", time.Date(2026, 10, 8, 0, 0, 0, 0, sh), false},
		{"national_day", time.Date(2027, 10, 3, 0, 0, 0, 0, sh), true},
		{"drill", time.Date(2026, 11, 28, 11, 0, 0, 0, sh), true},
		{"drill", time.Date(2026, 11, 28, 12, 0, 0, 0, sh), false},
		// dates in the period's own zone: UTC midnight is 08:00 in Shanghai
		{"two_sessions", time.Date(2027, 3, 5, 7, 59, 59, 0, sh), false},
		{"two_sessions", time.Date(2027, 3, 5, 8, 0, 0, 0, sh), true},
		{"two_sessions", time.Date(2027, 3, 12, 7, 59, 59, 0, sh), true},
		{"two_sessions", time.Date(2027, 3, 12, 8, 0, 0, 0, sh), false},
	}
	for _, tc := range cases {
		if got := c.PeriodActive(tc.name, tc.now); got != tc.want {
			t.Errorf("PeriodActive(%s, %s) = %v, want %v", tc.name, tc.now, got, tc.want)
		}
		// every instant of these cases lies in at most one period
		if got := c.InSensitivePeriod(tc.now); got != tc.want {
			t.Errorf("InSensitivePeriod(%s) = %v, want %v", tc.now, got, tc.want)
		}
	}
	if got, want := strings.Join(c.PeriodNames(), ","), "national_day,drill,two_sessions"; got != want {
		t.Errorf("PeriodNames = %s, want %s", got, want)
	}

	bad := writeFile(t, `sensitive_periods:
  - {name: "National Day", start: 2026-10-01, end: 2026-10-07}
  - {name: late, start: 2026-10-07, end: 2026-10-01}
  - {name: nodate, start: soon, end: 2026-10-01}
`)
	_, err = Load(Source{File: bad})
	for _, w := range []string{"sensitive_periods[0]", "lowercase code", "sensitive_periods[1]", "not after start", "sensitive_periods[2]", `"soon" is neither a date`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("bad periods: error %v does not contain %q", err, w)
		}
	}
}

// Every bound of a setting is inclusive: the minimum and maximum load, one
// step beyond them is refused; the staleness limit must exceed the refresh
// interval.
func TestSettingBounds(t *testing.T) {
	for _, tc := range []struct {
		env map[string]string
		ok  bool
	}{
		{map[string]string{"RISKMON_ACCEPTANCE_DAYS": "1"}, true},
		{map[string]string{"RISKMON_ACCEPTANCE_DAYS": "0"}, false},
		{map[string]string{"RISKMON_ACCEPTANCE_DAYS": "365"}, true},
		{map[string]string{"RISKMON_ACCEPTANCE_DAYS": "366"}, false},
		{map[string]string{"RISKMON_COLLECTIVE_THRESHOLD": "2"}, true},
		{map[string]string{"RISKMON_COLLECTIVE_THRESHOLD": "1"}, false},
		{map[string]string{"RISKMON_REPEAT_LOOKBACK_DAYS": "3650"}, true},
		{map[string]string{"RISKMON_REPEAT_LOOKBACK_DAYS": "3651"}, false},
		{map[string]string{"RISKMON_DUE_SOON_HORIZON": "1m"}, true},
		{map[string]string{"RISKMON_DUE_SOON_HORIZON": "59.999s"}, false},
		{map[string]string{"RISKMON_QUERY_TIMEOUT": "100ms"}, true},
		{map[string]string{"RISKMON_QUERY_TIMEOUT": "99ms"}, false},
		{map[string]string{"RISKMON_REFRESH_INTERVAL": "1m", "RISKMON_STALENESS_LIMIT": "1m1s"}, true},
		{map[string]string{"RISKMON_REFRESH_INTERVAL": "1m", "RISKMON_STALENESS_LIMIT": "1m"}, false},
	} {
		_, err := Load(Source{Env: tc.env})
		if (err == nil) != tc.ok {
			t.Errorf("%v: err %v, want loaded %v", tc.env, err, tc.ok)
		}
	}
}

func TestDisputeDefaults(t *testing.T) {
	c, err := Load(Source{Env: map[string]string{"RISKMON_REPORT_CUTOFF": "16:30", "RISKMON_LEADER_ROLES": "county_leader, village_head"}})
	if err != nil {
		t.Fatal(err)
	}
	d := c.Disputes
	if got, want := d.LeaderRoles, []string{"county_leader", "village_head"}; !slices.Equal(got, want) {
		t.Errorf("leader roles %v, want %v", got, want)
	}
	if d.ReportCutoff != 16*time.Hour+30*time.Minute || d.InspectEvery(false) != 7*24*time.Hour || d.InspectEvery(true) != 24*time.Hour {
		t.Errorf("dispute rules %+v", d)
	}
}

// A sensitive period may set its own, shorter limit for reporting a major
// matter upward; a bad one is refused naming the period.
func TestReportUpWithinPerPeriod(t *testing.T) {
	file := writeFile(t, `report_up_within: 2h
sensitive_periods:
  - {name: national_day, start: 2026-10-01, end: 2026-10-07, report_up_within: 30m}
  - {name: two_sessions, start: 2027-03-05, end: 2027-03-11}
`)
	c, err := Load(Source{File: file})
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, tc := range []struct {
		since time.Time
		want  time.Duration
	}{
		{time.Date(2026, 9, 30, 23, 0, 0, 0, sh), 2 * time.Hour},
		{time.Date(2026, 10, 2, 3, 0, 0, 0, sh), 30 * time.Minute},
		{time.Date(2027, 3, 6, 3, 0, 0, 0, sh), 2 * time.Hour}, // a period without a limit of its own
	} {
		if got := c.Rules.ReportUpDeadline(tc.since).Sub(tc.since); got != tc.want {
			t.Errorf("limit for a matter major since %s: %s, want %s", tc.since, got, tc.want)
		}
	}
	bad := writeFile(t, `sensitive_periods:
  - {name: national_day, start: 2026-10-01, end: 2026-10-07, report_up_within: soon}
`)
	_, err = Load(Source{File: bad})
	if err == nil || !strings.Contains(err.Error(), "national_day: report_up_within") {
		t.Errorf("a bad period limit: %v, want an error naming the period and the key", err)
	}
}
