package petition

import (
	"errors"
	"testing"
	"time"

	"riskmon/calendar"
)

// A unit objects to the bureau's transfer within 5 working days of receiving
// it (2022 Reg. art. 23 ¶3), counted by the calendar's working days: from
// Friday 25 September 2026, Monday to Wednesday, then the National Day
// holiday, then Thursday and Friday 8-9 October: until 24:00 of the 9th.
// The case goes back to the bureau's routing.
func TestObjectionWindow(t *testing.T) {
	r := DefaultRules(shanghai)
	st := r.Received(Case{Unit: "bureau", ReceivedAt: at("2026-09-21 10:00:00"), Routing: true})
	st, _, err := r.Apply(st, Event{Type: EventTransferred, At: at("2026-09-25 10:00:00"), Unit: "u1"})
	if err != nil {
		t.Fatal(err)
	}
	end := at("2026-10-10 00:00:00")
	if got := r.ObjectionWindowEnd(st.TransferredAt); !got.Equal(end) {
		t.Errorf("window ends %s, want %s", got.In(shanghai), end)
	}
	for _, tc := range []struct {
		at      time.Time
		allowed bool
	}{{end.Add(-time.Second), true}, {end, true}, {end.Add(time.Second), false}} {
		next, out, err := r.Apply(st, Event{Type: EventObjected, At: tc.at})
		switch {
		case tc.allowed && err != nil:
			t.Errorf("objected at %s: %v, want allowed", tc.at.In(shanghai), err)
		case !tc.allowed && !errors.Is(err, ErrTransition):
			t.Errorf("objected at %s: %v, want refused", tc.at.In(shanghai), err)
		case tc.allowed && (next.Status != StatusRegistered || next.Unit != "bureau" || !next.StageStart.Equal(tc.at) || out != (Outcome{})):
			t.Errorf("objected at %s: %s with %s from %s, %+v; want back in the bureau's routing from the objection, nothing completed",
				tc.at.In(shanghai), next.Status, next.Unit, next.StageStart, out)
		}
	}
	// a case a unit passed on, or one lodged with the unit, has no bureau to go back to
	direct := r.Received(Case{Unit: "u1", ReceivedAt: at("2026-09-21 10:00:00")})
	passed, _, _ := r.Apply(direct, Event{Type: EventTransferred, At: at("2026-09-22 10:00:00"), Unit: "u2"})
	if _, _, err := r.Apply(passed, Event{Type: EventObjected, At: at("2026-09-23 10:00:00")}); !errors.Is(err, ErrTransition) {
		t.Errorf("objection to a unit's transfer: %v, want refused", err)
	}
}

// The bureau's assignment (交办) is open until the unit reports completion
// and overdue after 24:00 of its date; only the bureau assigns with a date.
func TestAssignment(t *testing.T) {
	r := DefaultRules(shanghai)
	st := r.Received(Case{Unit: "bureau", ReceivedAt: at("2026-09-21 10:00:00"), Routing: true})
	due := calendar.Date(2026, 10, 20)
	st, _, err := r.Apply(st, Event{Type: EventTransferred, At: at("2026-09-22 10:00:00"), Unit: "u1", Due: due})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		now  time.Time
		want bool
	}{{at("2026-10-20 23:59:59"), false}, {at("2026-10-21 00:00:00"), false}, {at("2026-10-21 00:00:00").Add(time.Nanosecond), true}} {
		if got := st.AssignmentOverdue(tc.now, shanghai); got != tc.want {
			t.Errorf("at %s: overdue %v, want %v", tc.now.In(shanghai), got, tc.want)
		}
	}
	// the unit passes it on: the assignment goes with the matter
	passed, _, err := r.Apply(st, Event{Type: EventTransferred, At: at("2026-09-23 10:00:00"), Unit: "u2"})
	if err != nil || passed.AssignedDue != due || passed.TransferredBy != "" {
		t.Errorf("passed on by the unit: due %s, transferred by %q, %v; want the assignment kept, no objection to the bureau", passed.AssignedDue, passed.TransferredBy, err)
	}
	done, _, err := r.Apply(st, Event{Type: EventCompletionReported, At: at("2026-10-25 10:00:00")})
	if err != nil || done.AssignedDue != 0 || done.AssignmentOverdue(at("2026-11-01 00:00:00"), shanghai) {
		t.Errorf("reported done: %+v %v, want the assignment ended", done, err)
	}
	direct := r.Received(Case{Unit: "u1", ReceivedAt: at("2026-09-21 10:00:00")})
	if _, _, err := r.Apply(direct, Event{Type: EventTransferred, At: at("2026-09-22 10:00:00"), Unit: "u2", Due: due}); !errors.Is(err, ErrTransition) {
		t.Errorf("a unit assigning with a date: %v, want refused", err)
	}
	routed := r.Received(Case{Unit: "bureau", ReceivedAt: at("2026-09-21 10:00:00"), Routing: true})
	if _, _, err := r.Apply(routed, Event{Type: EventTransferred, At: at("2026-09-22 10:00:00"), Unit: "u2", Due: calendar.Date(2026, 9, 21)}); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("a date before the transfer: %v, want invalid", err)
	}
	if ps := (Event{Type: EventReassigned, At: at("2026-09-22 10:00:00"), Unit: "u2", Due: due}).Problems(r); len(ps) != 1 || ps[0].Field != FieldDue {
		t.Errorf("a date on a reassignment: %v, want one problem with due", ps)
	}
}

// Telling the petitioner to go to the competent organ (告知) completes the
// open stage, on time or late.
func TestRedirected(t *testing.T) {
	r := DefaultRules(shanghai)
	st := r.Received(Case{Unit: "u1", ReceivedAt: at("2026-03-02 10:00:00")})
	next, out, err := r.Apply(st, Event{Type: EventRedirected, At: at("2026-03-20 10:00:00")})
	if err != nil || next.Status != StatusRedirected || out.CompletedStage != StageAcceptance || !out.Late {
		t.Errorf("redirected after the acceptance deadline: %s %+v %v, want the acceptance completed late", next.Status, out, err)
	}
}
