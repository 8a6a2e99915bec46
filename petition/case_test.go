package petition

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func validCase() Case {
	return Case{CaseNo: "C-1", ReceivedAt: at("2026-10-02 03:00:00"), Channel: "visit", Category: "land_requisition",
		Unit: "u1", Persons: 1, Level: "county", PetitionerHash: strings.Repeat("ab", 32)}
}

// fields lists the fields of ps in order.
func fields(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field)
	}
	return out
}

func TestCaseProblems(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Case)
		want   []string
	}{
		{"valid", func(*Case) {}, nil},
		{"valid at the bounds", func(c *Case) { c.CaseNo, c.Persons = strings.Repeat("x", 64), MaxPersons }, nil},
		{"case_no too long", func(c *Case) { c.CaseNo = strings.Repeat("x", 65) }, []string{"case_no"}},
		{"case_no with a space", func(c *Case) { c.CaseNo = "C 1" }, []string{"case_no"}},
		{"no receipt time", func(c *Case) { c.ReceivedAt = time.Time{} }, []string{"received_at"}},
		{"unknown channel", func(c *Case) { c.Channel = "fax" }, []string{"channel"}},
		{"bad category and unit codes", func(c *Case) { c.Category, c.Unit = "", "a/b" }, []string{"category", "unit"}},
		{"no persons", func(c *Case) { c.Persons = 0 }, []string{"persons"}},
		{"too many persons", func(c *Case) { c.Persons = MaxPersons + 1 }, []string{"persons"}},
		{"unknown level", func(c *Case) { c.Level = "planet" }, []string{"level"}},
		{"identifier in clear", func(c *Case) { c.PetitionerHash = "110101199001011234" }, []string{"petitioner_hash"}},
		{"repeat of itself", func(c *Case) { c.RepeatOf = c.CaseNo }, []string{"repeat_of"}},
		{"repeat_of not a code", func(c *Case) { c.RepeatOf = "C 0" }, []string{"repeat_of"}},
		{"every problem at once", func(c *Case) { *c = Case{} }, []string{"case_no", "received_at", "channel", "category", "unit", "persons", "level", "petitioner_hash"}},
	} {
		c := validCase()
		tc.change(&c)
		if got := fields(c.Problems()); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got problems with %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestEventProblems(t *testing.T) {
	r := DefaultRules(shanghai)
	when := at("2026-10-02 03:00:00")
	for _, tc := range []struct {
		name string
		e    Event
		want []string
	}{
		{"plain", Event{Type: EventReplied, At: when}, nil},
		{"unknown type", Event{Type: "approved", At: when}, []string{"type"}},
		{"no time", Event{Type: EventReplied}, []string{"at"}},
		{"extension", Event{Type: EventExtended, At: when, Days: r.MaxExtensionDays}, nil},
		{"extension without days", Event{Type: EventExtended, At: when}, []string{"days"}},
		{"extension too long", Event{Type: EventExtended, At: when, Days: r.MaxExtensionDays + 1}, []string{"days"}},
		{"negative extension", Event{Type: EventExtended, At: when, Days: -1}, []string{"days"}},
		{"days on a reply", Event{Type: EventReplied, At: when, Days: 3}, []string{"days"}},
		{"evaluation", Event{Type: EventEvaluated, At: when, Result: "satisfied"}, nil},
		{"evaluation without result", Event{Type: EventEvaluated, At: when}, []string{"result"}},
		{"unknown result", Event{Type: EventEvaluated, At: when, Result: "great"}, []string{"result"}},
		{"result on a closure", Event{Type: EventClosed, At: when, Result: "satisfied"}, []string{"result"}},
		{"reassignment", Event{Type: EventReassigned, At: when, Unit: "u2"}, nil},
		{"reassignment nowhere", Event{Type: EventReassigned, At: when}, []string{"unit"}},
		{"reassignment to a bad code", Event{Type: EventReassigned, At: when, Unit: "u 2"}, []string{"unit"}},
		{"unit on an acceptance", Event{Type: EventAccepted, At: when, Unit: "u2"}, []string{"unit"}},
	} {
		if got := fields(tc.e.Problems(r)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got problems with %v, want %v", tc.name, got, tc.want)
		}
	}
	// a field on the wrong event names the events it is for
	for _, tc := range []struct {
		e    Event
		want string
	}{
		{Event{Type: EventReplied, At: when, Days: 3}, "days: is only for extended events"},
		{Event{Type: EventAccepted, At: when, Unit: "u2"}, "unit: is only for review_requested, re_review_requested, reassigned, transferred events"},
		{Event{Type: EventExtended, At: when}, "days: is required for extended events"},
	} {
		ps := tc.e.Problems(r)
		if len(ps) != 1 || ps[0].String() != tc.want {
			t.Errorf("%+v: problems %v, want %q", tc.e, ps, tc.want)
		}
	}
}

// Every event type has a transition: Apply never answers "no transition"
// for a well-formed event, in any status.
func TestEverySpecHasATransition(t *testing.T) {
	r := DefaultRules(shanghai)
	when := at("2026-10-02 03:00:00")
	statuses := []string{StatusReceived, StatusAccepted, StatusNotAccepted, StatusReplied, StatusReviewRequested,
		StatusReviewed, StatusReReviewRequested, StatusReReviewed, StatusClosed}
	extra := map[string]Event{FieldDays: {Days: 1}, FieldResult: {Result: "satisfied"}, FieldUnit: {Unit: "u2"}}
	for _, spec := range EventSpecs {
		e := extra[spec.Field]
		e.Type, e.At = spec.Type, when
		for _, st := range statuses {
			_, _, err := r.Apply(State{Status: st, Deadline: when.AddDate(0, 0, 1), DecidedAt: when}, e)
			if err != nil && strings.Contains(err.Error(), "no transition") {
				t.Errorf("%s in %s: %v", spec.Type, st, err)
			}
		}
	}
}

func TestRepeatsAtTheEdgesOfTheLookBack(t *testing.T) {
	r := DefaultRules(shanghai)
	now := at("2026-10-02 03:00:00")
	for _, tc := range []struct {
		name    string
		earlier time.Time
		want    bool
	}{
		{"a second before", now.Add(-time.Second), true},
		{"at the same instant", now, false},
		{"after", now.Add(time.Second), false},
		{"exactly 365 calendar days before", at("2025-10-02 03:00:00"), true},
		{"a second more", at("2025-10-02 02:59:59"), false},
	} {
		if got := r.Repeats(tc.earlier, now); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
