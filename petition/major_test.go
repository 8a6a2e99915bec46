package petition

import (
	"errors"
	"testing"
	"time"
)

func TestMajorAtReceipt(t *testing.T) {
	r := DefaultRules(shanghai)
	recv := at("2026-10-02 03:00:00")
	for _, tc := range []struct {
		name    string
		c       Case
		want    bool
		because string
	}{
		{"49 persons", Case{Channel: "visit", Level: "county", Persons: 49}, false, "collective, below major_persons"},
		{"50 persons", Case{Channel: "visit", Level: "county", Persons: 50}, true, "at major_persons"},
		{"a visit to Beijing", Case{Channel: "visit", Level: "national", Persons: 1}, true, "skip-level at national level"},
		{"a province visit", Case{Channel: "visit", Level: "province", Persons: 1}, false, "skip-level, not national"},
		{"online to Beijing", Case{Channel: "online", Level: "national", Persons: 1}, false, "art. 17: any level by network"},
		{"marked by the intake", Case{Channel: "letter", Level: "county", Persons: 1, Major: true}, true, "the intake says so"},
	} {
		tc.c.ReceivedAt = recv
		st := r.Received(tc.c)
		if got := st.Major; got != tc.want {
			t.Errorf("%s (%s): major %v, want %v", tc.name, tc.because, got, tc.want)
		}
		if got, want := st.MajorUnreported(), tc.want; got != want {
			t.Errorf("%s: unreported %v, want %v", tc.name, got, want)
		}
		if tc.want && !st.MajorSince.Equal(recv) {
			t.Errorf("%s: major since %s, want the receipt", tc.name, st.MajorSince)
		}
	}
}

// The limit counts from when the matter became major, by the limit in force
// then; a report at the limit itself is in time.
func TestReportUpDeadline(t *testing.T) {
	r := DefaultRules(shanghai)
	national := Limit{Start: at("2026-10-01 00:00:00"), End: at("2026-10-08 00:00:00"), Within: 30 * time.Minute}
	r.ReportUpLimits = []Limit{national, {Start: at("2026-10-01 00:00:00"), End: at("2026-10-02 00:00:00"), Within: 2 * time.Hour}}
	for _, tc := range []struct {
		since, want string
	}{
		{"2026-09-30 23:59:59", "2026-10-01 00:59:59"}, // before the period: the default hour
		{"2026-10-01 00:00:00", "2026-10-01 00:30:00"}, // the shortest of the periods in force
		{"2026-10-07 23:00:00", "2026-10-07 23:30:00"},
		{"2026-10-08 00:00:00", "2026-10-08 01:00:00"}, // the end is not in the period
	} {
		if got := r.ReportUpDeadline(at(tc.since)); !got.Equal(at(tc.want)) {
			t.Errorf("ReportUpDeadline(%s) = %s, want %s", tc.since, got.In(shanghai), tc.want)
		}
	}
}

func TestReportedUp(t *testing.T) {
	r := DefaultRules(shanghai)
	recv := at("2026-10-02 03:00:00")
	major := r.Received(Case{Unit: "u1", Channel: "visit", Level: "county", Persons: 60, ReceivedAt: recv})
	for _, tc := range []struct {
		name     string
		st       State
		at       time.Time
		wantLate bool
	}{
		{"at the limit", major, recv.Add(time.Hour), false},
		{"a second after", major, recv.Add(time.Hour + time.Second), true},
		{"a case not major", r.Received(Case{Unit: "u1", Persons: 1, ReceivedAt: recv}), recv.Add(48 * time.Hour), false},
	} {
		next, out, err := r.Apply(tc.st, Event{Type: EventReportedUp, At: tc.at, To: ReportCountyLeadership})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := out.Late; got != tc.wantLate {
			t.Errorf("%s: late %v, want %v", tc.name, got, tc.wantLate)
		}
		if next.MajorUnreported() || !next.ReportedTo(ReportCountyLeadership) {
			t.Errorf("%s: after the report: unreported %v, reported %v", tc.name, next.MajorUnreported(), next.ReportedTo(ReportCountyLeadership))
		}
	}
	// to the city bureau first: the county leadership is still owed its report
	next, _, err := r.Apply(major, Event{Type: EventReportedUp, At: recv.Add(time.Minute), To: "city_bureau"})
	if err != nil || !next.MajorUnreported() {
		t.Errorf("reported to the city bureau only: unreported %v (%v), want true", next.MajorUnreported(), err)
	}
	if _, _, err := r.Apply(next, Event{Type: EventReportedUp, At: recv.Add(2 * time.Minute), To: "city_bureau"}); !errors.Is(err, ErrTransition) {
		t.Errorf("the city bureau again: %v, want refused", err)
	}
	if ps := (Event{Type: EventReportedUp, At: recv, To: "the_mayor"}).Problems(r); len(ps) != 1 || ps[0].Field != FieldTo {
		t.Errorf("an unknown recipient: %v, want one problem with to", ps)
	}
	if ps := (Event{Type: EventReportedUp, At: recv}).Problems(r); len(ps) != 1 || ps[0].Field != FieldTo {
		t.Errorf("no recipient: %v, want one problem with to", ps)
	}
	// marked later: the limit counts from the mark
	plain := r.Received(Case{Unit: "u1", Persons: 1, ReceivedAt: recv})
	marked, _, err := r.Apply(plain, Event{Type: EventMarkedMajor, At: recv.Add(24 * time.Hour)})
	if err != nil || !marked.MajorUnreported() || !marked.MajorSince.Equal(recv.Add(24*time.Hour)) {
		t.Fatalf("marked major: %+v %v", marked, err)
	}
	if _, out, _ := r.Apply(marked, Event{Type: EventReportedUp, At: recv.Add(24*time.Hour + 59*time.Minute), To: ReportCountyLeadership}); out.Late {
		t.Errorf("reported 59 minutes after the mark: late, want in time")
	}
}
