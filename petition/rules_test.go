package petition

import (
	"errors"
	"testing"
	"time"

	"riskmon/calendar"
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
	s := r.Received(Case{Unit: "u1", ReceivedAt: recv})
	steps := []struct {
		event        Event
		wantStatus   string
		wantStage    string
		wantDeadline time.Time
		wantOutcome  Outcome
	}{
		// handling: 60 days from 5 October, last day Friday 4 December
		{Event{Type: EventAccepted, At: at("2026-10-05 10:00:00")}, StatusAccepted, StageHandling, at("2026-12-05 00:00:00"), Outcome{CompletedStage: StageAcceptance}},
		// extended by 30: 90 days, last day Sunday 3 January 2027, moved to Monday the 4th
		{Event{Type: EventExtended, At: at("2026-12-01 09:00:00"), Days: 30}, StatusAccepted, StageHandling, at("2027-01-05 00:00:00"), Outcome{}},
		// a second past 24:00 of the last day is late
		{Event{Type: EventReplied, At: at("2027-01-05 00:00:01")}, StatusReplied, "", time.Time{}, Outcome{CompletedStage: StageHandling, Late: true}},
		{Event{Type: EventEvaluated, At: at("2027-01-05 10:00:00"), Result: "dissatisfied"}, StatusReplied, "", time.Time{}, Outcome{}},
		// review: 30 days from 4 February, last day Saturday 6 March, moved to Monday the 8th
		{Event{Type: EventReviewRequested, At: at("2027-02-04 10:00:01")}, StatusReviewRequested, StageReview, at("2027-03-09 00:00:00"), Outcome{}},
		{Event{Type: EventReviewed, At: at("2027-03-08 23:59:59")}, StatusReviewed, "", time.Time{}, Outcome{CompletedStage: StageReview}},
		// re-review: 30 days from 10 March, last day Friday 9 April
		{Event{Type: EventReReviewRequested, At: at("2027-03-10 00:00:00")}, StatusReReviewRequested, StageReReview, at("2027-04-10 00:00:00"), Outcome{}},
		{Event{Type: EventReReviewed, At: at("2027-04-10 00:00:01")}, StatusReReviewed, "", time.Time{}, Outcome{CompletedStage: StageReReview, Late: true}},
		{Event{Type: EventClosed, At: at("2027-04-11 00:00:00")}, StatusClosed, "", time.Time{}, Outcome{}},
	}
	// acceptance: 15 days from 20 September, last day 5 October (National
	// Day), moved to Thursday 8 October: ends at 24:00 of the 8th
	if got, want := s.Deadline, at("2026-10-09 00:00:00"); !got.Equal(want) {
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
	s := r.Received(Case{Unit: "u1", ReceivedAt: at("2026-09-20 10:00:00")}) // deadline 24:00 of 8 October
	cases := []struct {
		now         time.Time
		wantOverdue bool
		wantDueSoon bool
	}{
		{at("2026-10-03 03:00:00"), false, false}, // on the nominal last day's eve, inside the holiday: on time
		{at("2026-10-05 23:59:59"), false, false}, // the nominal last day: on time
		{at("2026-10-06 00:00:00"), false, true},
		{at("2026-10-08 23:59:59"), false, true},
		{at("2026-10-09 00:00:00"), false, true},
		{at("2026-10-09 00:00:01"), true, false},
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
	received := r.Received(Case{Unit: "u1", ReceivedAt: recv})
	apply := func(s State, e Event) State {
		t.Helper()
		next, _, err := r.Apply(s, e)
		if err != nil {
			t.Fatal(err)
		}
		return next
	}
	accepted := apply(received, Event{Type: EventAccepted, At: recv.Add(time.Hour)})
	extended := apply(accepted, Event{Type: EventExtended, At: recv.Add(2 * time.Hour), Days: 10})
	replied := apply(accepted, Event{Type: EventReplied, At: recv.Add(24 * time.Hour)})
	closed := apply(replied, Event{Type: EventClosed, At: recv.Add(48 * time.Hour)})
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
		// the review goes to the organ above the one that decided (art. 35)
		{"review by the unit that decided", replied, Event{Type: EventReviewRequested, At: later, Unit: "u1"}, ErrTransition},
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
	s := r.Received(Case{Unit: "u1", ReceivedAt: at("2026-09-20 10:00:00")})
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

// The request window is a period like the others: it ends at 24:00 of its
// last day, moved past rest days.
func TestRequestWindowEdges(t *testing.T) {
	r := DefaultRules(shanghai)
	for _, tc := range []struct {
		name          string
		replied, asks string
		inWindow      bool
	}{
		{"at 24:00 of the last day", "2026-09-21 10:00:00", "2026-10-22 00:00:00", true},
		{"a second later", "2026-09-21 10:00:00", "2026-10-22 00:00:01", false},
		// replied 5 September: the 30th day, 5 October, is in the holiday: the window runs to 8 October
		{"last day in the holiday", "2026-09-05 10:00:00", "2026-10-08 18:00:00", true},
		{"after the moved last day", "2026-09-05 10:00:00", "2026-10-09 00:00:01", false},
	} {
		// the same window after the reply and after the review decision
		for _, step := range []struct{ decided, request string }{
			{StatusReplied, EventReviewRequested}, {StatusReviewed, EventReReviewRequested},
		} {
			decided := State{Status: step.decided, Unit: "u1", DecidedAt: at(tc.replied), LastEventAt: at(tc.replied), Decision: step.decided}
			// the window counts from the petitioner's receipt of the
			// decision (arts. 35-36), which the record may lack: a request
			// outside it is recorded, marked late, never refused
			next, out, err := r.Apply(decided, Event{Type: step.request, At: at(tc.asks)})
			if err != nil || StageOf(next.Status) == "" {
				t.Errorf("%s, %s: %v (status %s), want recorded", step.request, tc.name, err, next.Status)
			}
			if got, want := out.Late, !tc.inWindow; got != want {
				t.Errorf("%s, %s: late %v, want %v", step.request, tc.name, got, want)
			}
		}
	}
}

// Handling may be extended up to the instant of its deadline, not after.
func TestExtensionAtTheDeadline(t *testing.T) {
	r := DefaultRules(shanghai)
	recv := at("2026-03-02 10:00:00")
	accepted, _, err := r.Apply(r.Received(Case{Unit: "u1", ReceivedAt: recv}), Event{Type: EventAccepted, At: recv.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at      time.Time
		allowed bool
	}{
		{accepted.Deadline.Add(-time.Second), true},
		{accepted.Deadline, true},
		{accepted.Deadline.Add(time.Nanosecond), false},
	} {
		got, _, err := r.Apply(accepted, Event{Type: EventExtended, At: tc.at, Days: 30})
		if (err == nil) != tc.allowed {
			t.Errorf("extended at %s (deadline %s): err %v, want allowed %v", tc.at, accepted.Deadline, err, tc.allowed)
		}
		if tc.allowed && !got.Deadline.After(accepted.Deadline) {
			t.Errorf("extended at %s: deadline %s did not move", tc.at, got.Deadline)
		}
	}
}

// Each stage counts its days as configured; a change of rules moves an open
// deadline when it is recomputed from the stage's clock start.
func TestDeadlineFollowsTheRulesInForce(t *testing.T) {
	r := DefaultRules(shanghai)
	s := r.Received(Case{Unit: "u1", ReceivedAt: at("2026-09-30 10:00:00")})
	if got, want := s.Deadline, at("2026-10-16 00:00:00"); !got.Equal(want) { // 15 October, a Thursday
		t.Errorf("calendar days: %s, want %s", got, want)
	}
	working := r
	working.DayCount = map[string]calendar.Count{StageAcceptance: calendar.WorkingDays}
	// 15 working days after 30 September: 8, 9, 10 (make-up), 12-16, 19-23, 26, 27 October
	if got, want := working.WithDeadline(s).Deadline, at("2026-10-28 00:00:00"); !got.Equal(want) {
		t.Errorf("working days: %s, want %s", got, want)
	}
	noRoll := r
	noRoll.Roll = calendar.RollNone
	s2 := r.Received(Case{Unit: "u1", ReceivedAt: at("2026-09-20 10:00:00")})
	end, nominal := r.StageDeadline(s2)
	if !end.Equal(at("2026-10-09 00:00:00")) || !nominal.Equal(at("2026-10-06 00:00:00")) {
		t.Errorf("rolled: end %s from %s", end, nominal)
	}
	if got, want := noRoll.WithDeadline(s2).Deadline, at("2026-10-06 00:00:00"); !got.Equal(want) {
		t.Errorf("no roll-forward: %s, want %s", got, want)
	}
	if got := r.WithDeadline(State{Status: StatusClosed, Deadline: at("2026-10-06 00:00:00")}); !got.Deadline.IsZero() {
		t.Errorf("a closed case keeps a deadline: %s", got.Deadline)
	}
}

// A petitioner evaluates each decision once; a new decision can be evaluated
// again.
func TestOneEvaluationPerDecision(t *testing.T) {
	r := DefaultRules(shanghai)
	s := r.Received(Case{Unit: "u1", ReceivedAt: at("2026-11-02 10:00:00")})
	step := func(e Event) error {
		next, _, err := r.Apply(s, e)
		if err == nil {
			s = next
		}
		return err
	}
	for _, e := range []Event{
		{Type: EventAccepted, At: at("2026-11-03 10:00:00")},
		{Type: EventReplied, At: at("2026-11-10 10:00:00")},
		{Type: EventEvaluated, At: at("2026-11-11 10:00:00"), Result: "dissatisfied"},
	} {
		if err := step(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := step(Event{Type: EventEvaluated, At: at("2026-11-12 10:00:00"), Result: "satisfied"}); !errors.Is(err, ErrTransition) {
		t.Errorf("second evaluation of the reply: %v, want refused", err)
	}
	if err := step(Event{Type: EventReviewRequested, At: at("2026-11-13 10:00:00")}); err != nil {
		t.Fatal(err)
	}
	if err := step(Event{Type: EventReviewed, At: at("2026-11-20 10:00:00")}); err != nil {
		t.Fatal(err)
	}
	if err := step(Event{Type: EventEvaluated, At: at("2026-11-21 10:00:00"), Result: "satisfied"}); err != nil {
		t.Errorf("evaluation of the review decision: %v", err)
	}
	if err := step(Event{Type: EventClosed, At: at("2026-11-22 10:00:00")}); err != nil {
		t.Fatal(err)
	}
	if err := step(Event{Type: EventEvaluated, At: at("2026-11-23 10:00:00"), Result: "satisfied"}); !errors.Is(err, ErrTransition) {
		t.Errorf("second evaluation after closing: %v, want refused", err)
	}
}

// Supervision starts at any time a case is open in a stage, and only a
// higher level can take it up again.
func TestSupervision(t *testing.T) {
	r := DefaultRules(shanghai)
	when := at("2026-11-03 10:00:00")
	open := r.Received(Case{Unit: "u1", ReceivedAt: at("2026-11-02 10:00:00")})
	atReceipt := r.Received(Case{Unit: "u1", ReceivedAt: at("2026-11-02 10:00:00"), Supervised: true})
	if atReceipt.Supervision != "county" || open.Supervision != "" {
		t.Errorf("at receipt: %q and %q, want county and none", atReceipt.Supervision, open.Supervision)
	}
	replied := State{Status: StatusReplied, Unit: "u1", DecidedAt: when.Add(-time.Hour), LastEventAt: when.Add(-time.Hour)}
	notAccepted := State{Status: StatusNotAccepted, Unit: "u1", DecidedAt: when.Add(-time.Hour), LastEventAt: when.Add(-time.Hour)}
	closed := replied
	closed.Status = StatusClosed
	for _, tc := range []struct {
		name  string
		state State
		level string
		want  string // the level after, or "" when refused
	}{
		{"county takes up an open case", open, "county", "county"},
		{"the province over the county", atReceipt, "province", "province"},
		{"the county again", atReceipt, "county", ""},
		// art. 40: a handling opinion not carried out, a refusal against the rules
		{"a replied case, open in no stage", replied, "city", "city"},
		{"a case not accepted", notAccepted, "county", "county"},
		{"the national bureau over the province", State{Status: StatusAccepted, Supervision: "province"}, "national", "national"},
		{"a closed case", closed, "city", ""},
	} {
		got, _, err := r.Apply(tc.state, Event{Type: EventSupervised, At: when, Level: tc.level})
		switch {
		case tc.want == "" && !errors.Is(err, ErrTransition):
			t.Errorf("%s: %v, want refused", tc.name, err)
		case tc.want != "" && (err != nil || got.Supervision != tc.want):
			t.Errorf("%s: %q %v, want %q", tc.name, got.Supervision, err, tc.want)
		}
	}
}

// A review may be requested after the unit closed the case, within the window,
// which counts from the reply's delivery when it is recorded.
func TestReviewAfterClosureAndDelivery(t *testing.T) {
	r := DefaultRules(shanghai)
	replied := State{Status: StatusReplied, Unit: "u1", Decision: StatusReplied,
		DecidedAt: at("2026-09-21 10:00:00"), LastEventAt: at("2026-09-21 10:00:00")}
	closed, _, err := r.Apply(replied, Event{Type: EventClosed, At: at("2026-09-22 10:00:00")})
	if err != nil {
		t.Fatal(err)
	}
	delivered, _, err := r.Apply(closed, Event{Type: EventReplyDelivered, At: at("2026-09-30 10:00:00")})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		state    State
		asks     string
		inWindow bool
	}{
		{"closed, within 30 days of the reply", closed, "2026-10-21 12:00:00", true},
		{"closed, after the window", closed, "2026-10-22 00:00:01", false},
		// delivered 30 September: the 30th day, 30 October, is a Friday
		{"delivered later: the window counts from the delivery", delivered, "2026-10-30 23:00:00", true},
		{"after the delivered window", delivered, "2026-10-31 00:00:01", false},
	} {
		_, out, err := r.Apply(tc.state, Event{Type: EventReviewRequested, At: at(tc.asks)})
		if err != nil || out.Late != !tc.inWindow {
			t.Errorf("%s: late %v (%v), want %v", tc.name, out.Late, err, !tc.inWindow)
		}
	}
	if _, _, err := r.Apply(delivered, Event{Type: EventReplyDelivered, At: at("2026-10-01 10:00:00")}); !errors.Is(err, ErrTransition) {
		t.Errorf("a second delivery: %v, want refused", err)
	}
	reReviewed := State{Status: StatusClosed, Unit: "u1", Decision: StatusReReviewed, DecidedAt: at("2026-09-21 10:00:00")}
	if _, _, err := r.Apply(reReviewed, Event{Type: EventReviewRequested, At: at("2026-09-25 10:00:00")}); !errors.Is(err, ErrTransition) {
		t.Errorf("review after a re-review: %v, want refused (the re-review is final)", err)
	}
}

// A hearing during a re-review pauses its clock: no deadline while it lasts,
// and the days it took (both ends included) are added.
func TestHearingPausesTheReReview(t *testing.T) {
	r := DefaultRules(shanghai)
	s := State{Status: StatusReviewed, Unit: "u1", Decision: StatusReviewed, DecidedAt: at("2027-03-01 10:00:00"),
		LastEventAt: at("2027-03-01 10:00:00")}
	apply := func(e Event) {
		t.Helper()
		next, _, err := r.Apply(s, e)
		if err != nil {
			t.Fatalf("%s: %v", e.Type, err)
		}
		s = next
	}
	apply(Event{Type: EventReReviewRequested, At: at("2027-03-10 10:00:00")})
	if want := at("2027-04-10 00:00:00"); !s.Deadline.Equal(want) { // 30 days: Friday 9 April
		t.Fatalf("re-review deadline %s, want %s", s.Deadline, want)
	}
	apply(Event{Type: EventHearingStarted, At: at("2027-03-15 09:00:00")})
	if !s.Deadline.IsZero() || s.Overdue(at("2027-05-01 00:00:00")) {
		t.Errorf("during the hearing: deadline %s, overdue %v; want none", s.Deadline, s.Overdue(at("2027-05-01 00:00:00")))
	}
	if _, _, err := r.Apply(s, Event{Type: EventReReviewed, At: at("2027-03-16 10:00:00")}); !errors.Is(err, ErrTransition) {
		t.Errorf("a decision during the hearing: %v, want refused", err)
	}
	if _, _, err := r.Apply(s, Event{Type: EventHearingStarted, At: at("2027-03-16 10:00:00")}); !errors.Is(err, ErrTransition) {
		t.Errorf("a second hearing at once: %v, want refused", err)
	}
	apply(Event{Type: EventHearingEnded, At: at("2027-03-17 17:00:00")})
	// 15 to 17 March: 3 days; 33 days from 10 March, Monday 12 April
	if want := at("2027-04-13 00:00:00"); !s.Deadline.Equal(want) || s.Paused != 3 {
		t.Errorf("after the hearing: deadline %s paused %d, want %s and 3", s.Deadline, s.Paused, want)
	}
	if _, _, err := r.Apply(State{Status: StatusReviewRequested, StageStart: at("2027-03-10 10:00:00")}, Event{Type: EventHearingStarted, At: at("2027-03-11 10:00:00")}); !errors.Is(err, ErrTransition) {
		t.Errorf("a hearing in a review: %v, want refused (only re-reviews hold hearings)", err)
	}
}

// A case the bureau registers is routed first; a transfer completes the
// stage it ends, for the unit that held it, and starts the new unit's
// acceptance the day after the new unit received it.
func TestTransfers(t *testing.T) {
	r := DefaultRules(shanghai)
	routed := r.Received(Case{Unit: "bureau", ReceivedAt: at("2026-11-02 10:00:00"), Routing: true})
	if routed.Status != StatusRegistered || routed.Stage() != StageRouting || !routed.Deadline.Equal(at("2026-11-18 00:00:00")) {
		t.Fatalf("registered: %+v", routed)
	}
	toTownship, out, err := r.Apply(routed, Event{Type: EventTransferred, At: at("2026-11-20 09:00:00"), Unit: "u1"})
	if err != nil {
		t.Fatal(err)
	}
	// routing was 2 days late; u1's 15 days run from 20 November: Saturday 5 December, moved to Monday the 7th
	if out != (Outcome{CompletedStage: StageRouting, Late: true}) || toTownship.Unit != "u1" ||
		toTownship.Stage() != StageAcceptance || !toTownship.Deadline.Equal(at("2026-12-08 00:00:00")) {
		t.Errorf("transferred: %+v %+v", toTownship, out)
	}
	onward, out, err := r.Apply(toTownship, Event{Type: EventTransferred, At: at("2026-11-23 09:00:00"), Unit: "u2"})
	if err != nil {
		t.Fatal(err)
	}
	// u1 passes it on, which decides nothing (art. 23: a decision either way
	// completes acceptance); u2's acceptance restarts: 8 December, a Tuesday
	if out != (Outcome{}) || onward.Unit != "u2" || !onward.Deadline.Equal(at("2026-12-09 00:00:00")) {
		t.Errorf("passed on: %+v %+v", onward, out)
	}
	if _, _, err := r.Apply(onward, Event{Type: EventTransferred, At: at("2026-11-24 09:00:00"), Unit: "u2"}); !errors.Is(err, ErrTransition) {
		t.Errorf("a transfer to the unit that has it: %v, want refused", err)
	}
	accepted, _, err := r.Apply(onward, Event{Type: EventAccepted, At: at("2026-11-24 09:00:00")})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Apply(accepted, Event{Type: EventTransferred, At: at("2026-11-25 09:00:00"), Unit: "u1"}); !errors.Is(err, ErrTransition) {
		t.Errorf("a transfer after acceptance: %v, want refused (reassign instead)", err)
	}
}

// A case registered within the backfill horizon (24 hours by default) of its
// receipt is news and may page; later, it is history.
func TestTimelyAtTheBackfillHorizon(t *testing.T) {
	r := DefaultRules(shanghai)
	recv := at("2026-10-02 03:00:00")
	for _, tc := range []struct {
		registered time.Time
		want       bool
	}{
		{recv, true},
		{recv.Add(24 * time.Hour), true},
		{recv.Add(24*time.Hour + time.Nanosecond), false},
		{recv.Add(-time.Hour), true}, // registered before the stated receipt: a clock skew, still news
	} {
		if got := r.Timely(recv, tc.registered); got != tc.want {
			t.Errorf("registered %s after receipt: timely %v, want %v", tc.registered.Sub(recv), got, tc.want)
		}
	}
}

// Skip-level (越级访) is a visit above the level allowed (2022 Reg. art. 20);
// every other channel may reach any level (art. 17).
func TestSkipLevelIsAVisit(t *testing.T) {
	for _, tc := range []struct {
		channel, level string
		want           bool
	}{
		{"visit", "county", false}, {"visit", "city", false}, {"visit", "province", true}, {"visit", "national", true},
		{"online", "national", false}, {"letter", "national", false}, {"phone", "national", false},
		{"online", "province", false}, {"letter", "province", false}, {"phone", "province", false},
	} {
		if got := SkipLevel(tc.channel, tc.level); got != tc.want {
			t.Errorf("SkipLevel(%s, %s) = %v, want %v", tc.channel, tc.level, got, tc.want)
		}
	}
}

// The organ answers each supervision in writing, once (art. 40 ¶4); a higher
// level's supervision asks for an answer again.
func TestSupervisionAnswered(t *testing.T) {
	r := DefaultRules(shanghai)
	st := r.Received(Case{Unit: "u1", ReceivedAt: at("2026-11-02 10:00:00")})
	step := func(st State, e Event) (State, error) {
		next, _, err := r.Apply(st, e)
		return next, err
	}
	if _, err := step(st, Event{Type: EventSupervisionAnswered, At: at("2026-11-03 10:00:00")}); !errors.Is(err, ErrTransition) {
		t.Errorf("an answer without supervision: %v, want refused", err)
	}
	st, _ = step(st, Event{Type: EventSupervised, At: at("2026-11-03 10:00:00"), Level: "county"})
	st, err := step(st, Event{Type: EventSupervisionAnswered, At: at("2026-11-04 10:00:00")})
	if err != nil || !st.SupervisionAnswered {
		t.Fatalf("answered: %+v %v", st, err)
	}
	if _, err := step(st, Event{Type: EventSupervisionAnswered, At: at("2026-11-05 10:00:00")}); !errors.Is(err, ErrTransition) {
		t.Errorf("a second answer: %v, want refused", err)
	}
	st, _ = step(st, Event{Type: EventSupervised, At: at("2026-11-05 10:00:00"), Level: "city"})
	if got, want := st.SupervisionAnswered, false; got != want {
		t.Errorf("after the city took it up: answered %v, want %v", got, want)
	}
}

// A hearing starts only within the re-review's limit, like an extension
// within handling's: one started later would clear an overdue case.
func TestHearingOnlyBeforeTheDeadline(t *testing.T) {
	r := DefaultRules(shanghai)
	st := State{Status: StatusReReviewRequested, Unit: "u1", StageStart: at("2026-03-02 10:00:00"), LastEventAt: at("2026-03-02 10:00:00")}
	st = r.WithDeadline(st) // 30 days: 1 April, 24:00
	for _, tc := range []struct {
		at      time.Time
		allowed bool
	}{
		{st.Deadline.Add(-time.Second), true},
		{st.Deadline, true},
		{st.Deadline.Add(time.Second), false},
		{at("2026-04-20 10:00:00"), false},
	} {
		_, _, err := r.Apply(st, Event{Type: EventHearingStarted, At: tc.at})
		if got := err == nil; got != tc.allowed || (err != nil && !errors.Is(err, ErrTransition)) {
			t.Errorf("hearing started at %s (deadline %s): %v, want allowed %v", tc.at, st.Deadline, err, tc.allowed)
		}
	}
}

// A review request may name the reviewing organ, the level above the one
// that decided (art. 35): the review stage and its deadline are charged to
// it from then on, not to the unit that replied.
func TestReviewChargedToTheReviewer(t *testing.T) {
	r := DefaultRules(shanghai)
	replied := State{Status: StatusReplied, Unit: "u1", Decision: StatusReplied,
		DecidedAt: at("2026-09-21 10:00:00"), LastEventAt: at("2026-09-21 10:00:00")}
	got, out, err := r.Apply(replied, Event{Type: EventReviewRequested, At: at("2026-09-25 10:00:00"), Unit: "city-bureau"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Unit != "city-bureau" || got.Stage() != StageReview || out.Late {
		t.Errorf("review requested of the city: %+v %+v, want the review open with the city, on time", got, out)
	}
	unnamed, _, err := r.Apply(replied, Event{Type: EventReviewRequested, At: at("2026-09-25 10:00:00")})
	if err != nil || unnamed.Unit != "u1" {
		t.Errorf("review requested without an organ: %+v %v, want it kept with u1", unnamed, err)
	}
}
