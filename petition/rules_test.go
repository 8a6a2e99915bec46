package petition

import (
	"errors"
	"testing"
	"time"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDeadlinesFollowTheStatute(t *testing.T) {
	r := DefaultRules(shanghai)
	recv := at("2026-09-20 10:00:00")
	s := r.Received("u1", recv)
	steps := []struct {
		event        Event
		wantStatus   string
		wantStage    string
		wantDeadline time.Time
		wantOutcome  Outcome
	}{
		{Event{Type: EventAccepted, At: at("2026-10-05 10:00:00")}, StatusAccepted, StageHandling, at("2026-12-04 10:00:00"), Outcome{CompletedStage: StageAcceptance}},
		{Event{Type: EventExtended, At: at("2026-12-01 09:00:00"), Days: 30}, StatusAccepted, StageHandling, at("2027-01-03 10:00:00"), Outcome{}},
		{Event{Type: EventReplied, At: at("2027-01-03 10:00:01")}, StatusReplied, "", time.Time{}, Outcome{CompletedStage: StageHandling, Late: true}},
		{Event{Type: EventEvaluated, At: at("2027-01-04 10:00:00"), Result: "dissatisfied"}, StatusReplied, "", time.Time{}, Outcome{}},
		{Event{Type: EventReviewRequested, At: at("2027-02-02 10:00:01")}, StatusReviewRequested, StageReview, at("2027-03-04 10:00:01"), Outcome{}},
		{Event{Type: EventReviewed, At: at("2027-03-04 10:00:01")}, StatusReviewed, "", time.Time{}, Outcome{CompletedStage: StageReview}},
		{Event{Type: EventReReviewRequested, At: at("2027-03-10 00:00:00")}, StatusReReviewRequested, StageReReview, at("2027-04-09 00:00:00"), Outcome{}},
		{Event{Type: EventReReviewed, At: at("2027-04-09 00:00:01")}, StatusReReviewed, "", time.Time{}, Outcome{CompletedStage: StageReReview, Late: true}},
		{Event{Type: EventClosed, At: at("2027-04-10 00:00:00")}, StatusClosed, "", time.Time{}, Outcome{}},
	}
	if got, want := s.Deadline, at("2026-10-05 10:00:00"); !got.Equal(want) {
		t.Fatalf("acceptance deadline = %s, want %s", got, want)
	}
	for _, st := range steps {
		next, out, err := r.Apply(s, st.event)
		if err != nil {
			t.Fatalf("%s: %v", st.event.Type, err)
		}
		if next.Status != st.wantStatus || next.Stage() != st.wantStage || !next.Deadline.Equal(st.wantDeadline) || out != st.wantOutcome {
			t.Errorf("%s: got status %s stage %q deadline %s outcome %+v; want %s %q %s %+v", st.event.Type,
				next.Status, next.Stage(), next.Deadline, out, st.wantStatus, st.wantStage, st.wantDeadline, st.wantOutcome)
		}
		s = next
	}
}

func TestOverdueAndDueSoonEdges(t *testing.T) {
	r := DefaultRules(shanghai)
	s := r.Received("u1", at("2026-09-20 10:00:00")) // deadline 2026-10-05 10:00:00
	cases := []struct {
		now         time.Time
		wantOverdue bool
		wantDueSoon bool
	}{
		{at("2026-10-02 09:59:59"), false, false},
		{at("2026-10-02 10:00:00"), false, true},
		{at("2026-10-05 09:59:59"), false, true},
		{at("2026-10-05 10:00:00"), false, true},
		{at("2026-10-05 10:00:01"), true, false},
	}
	for _, c := range cases {
		if got := s.Overdue(c.now); got != c.wantOverdue {
			t.Errorf("Overdue(%s) = %v, want %v", c.now, got, c.wantOverdue)
		}
		if got := s.DueSoon(c.now, r.DueSoon); got != c.wantDueSoon {
			t.Errorf("DueSoon(%s) = %v, want %v", c.now, got, c.wantDueSoon)
		}
	}
	closed := State{Status: StatusClosed}
	if closed.Overdue(at("2030-01-01 00:00:00")) {
		t.Error("a closed case is overdue")
	}
}

func TestRefusedEvents(t *testing.T) {
	r := DefaultRules(shanghai)
	recv := at("2026-09-20 10:00:00")
	received := r.Received("u1", recv)
	accepted, _, _ := r.Apply(received, Event{Type: EventAccepted, At: recv.Add(time.Hour)})
	extended, _, _ := r.Apply(accepted, Event{Type: EventExtended, At: recv.Add(2 * time.Hour), Days: 10})
	replied, _, _ := r.Apply(accepted, Event{Type: EventReplied, At: recv.Add(24 * time.Hour)})
	closed, _, _ := r.Apply(replied, Event{Type: EventClosed, At: recv.Add(48 * time.Hour)})
	later := recv.Add(72 * time.Hour)
	cases := []struct {
		name    string
		state   State
		event   Event
		wantErr error
	}{
		{"reply before acceptance", received, Event{Type: EventReplied, At: later}, ErrTransition},
		{"accept twice", accepted, Event{Type: EventAccepted, At: later}, ErrTransition},
		{"extend twice", extended, Event{Type: EventExtended, At: later, Days: 5}, ErrTransition},
		{"extend too long", accepted, Event{Type: EventExtended, At: later, Days: 31}, ErrInvalidEvent},
		{"extend zero days", accepted, Event{Type: EventExtended, At: later, Days: 0}, ErrInvalidEvent},
		{"extend after deadline", accepted, Event{Type: EventExtended, At: accepted.Deadline.Add(time.Second), Days: 5}, ErrTransition},
		{"review too late", replied, Event{Type: EventReviewRequested, At: replied.DecidedAt.AddDate(0, 0, 30).Add(time.Second)}, ErrTransition},
		{"event before the last", accepted, Event{Type: EventReplied, At: recv}, ErrTransition},
		{"evaluate before reply", accepted, Event{Type: EventEvaluated, At: later, Result: "satisfied"}, ErrTransition},
		{"unknown result", replied, Event{Type: EventEvaluated, At: later, Result: "great"}, ErrInvalidEvent},
		{"close unaccepted", received, Event{Type: EventClosed, At: later}, ErrTransition},
		{"reassign closed", closed, Event{Type: EventReassigned, At: later, Unit: "u2"}, ErrTransition},
		{"reassign nowhere", accepted, Event{Type: EventReassigned, At: later}, ErrInvalidEvent},
		{"unknown type", accepted, Event{Type: "approved", At: later}, ErrInvalidEvent},
	}
	for _, c := range cases {
		got, _, err := r.Apply(c.state, c.event)
		if !errors.Is(err, c.wantErr) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.wantErr)
		}
		if got != c.state {
			t.Errorf("%s: state changed on refusal: %+v", c.name, got)
		}
	}
}

func TestReassignKeepsTheClock(t *testing.T) {
	r := DefaultRules(shanghai)
	s := r.Received("u1", at("2026-09-20 10:00:00"))
	got, out, err := r.Apply(s, Event{Type: EventReassigned, At: at("2026-09-21 10:00:00"), Unit: "u2"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Unit != "u2" || !got.Deadline.Equal(s.Deadline) || out != (Outcome{}) {
		t.Errorf("got %+v %+v, want unit u2 and the same deadline", got, out)
	}
}

func TestRepeatWindowAndCollective(t *testing.T) {
	r := DefaultRules(shanghai)
	if got, want := r.RepeatSince(at("2026-10-01 08:00:00")), at("2025-10-01 08:00:00"); !got.Equal(want) {
		t.Errorf("RepeatSince = %s, want %s", got, want)
	}
	for _, c := range []struct {
		persons int
		want    bool
	}{{1, false}, {4, false}, {5, true}, {300, true}} {
		if got := r.Collective(c.persons); got != c.want {
			t.Errorf("Collective(%d) = %v, want %v", c.persons, got, c.want)
		}
	}
}

func TestPetitionerHashFoldsCaseAndSpace(t *testing.T) {
	key := []byte("k")
	if PetitionerHash(key, " 11010519491231002x") != PetitionerHash(key, "11010519491231002X") {
		t.Error("the same ID card hashed differently")
	}
	if PetitionerHash(key, "a") == PetitionerHash([]byte("other"), "a") {
		t.Error("the key does not change the hash")
	}
}
