package petition

import (
	"errors"
	"testing"
	"time"
)

// Only a claim's handling has art. 34's limit; a suggestion's answer has
// suggestion_reply_days when set, an accusation's handling none.
func TestHandlingLimitByMatterType(t *testing.T) {
	recv := at("2026-03-02 10:00:00")
	accepted := recv.Add(time.Hour)
	for _, tc := range []struct {
		matter           string
		suggestionDays   int
		want             string // local deadline, "" for none
		extensionRefused bool
	}{
		{"", 0, "2026-05-07 00:00:00", false}, // stored before matter types: a claim
		{MatterClaim, 0, "2026-05-07 00:00:00", false},
		{MatterSuggestion, 0, "", true},
		{MatterSuggestion, 30, "2026-04-02 00:00:00", true},
		{MatterAccusation, 30, "", true},
	} {
		r := DefaultRules(shanghai)
		r.SuggestionReplyDays = tc.suggestionDays
		st, _, err := r.Apply(r.Received(Case{Unit: "u1", ReceivedAt: recv, MatterType: tc.matter}), Event{Type: EventAccepted, At: accepted})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if !st.Deadline.IsZero() {
			got = st.Deadline.In(shanghai).Format("2006-01-02 15:04:05")
		}
		if got != tc.want {
			t.Errorf("%q (suggestion_reply_days %d): handling deadline %q, want %q", tc.matter, tc.suggestionDays, got, tc.want)
		}
		if st.Overdue(recv.AddDate(1, 0, 0)) != (tc.want != "") {
			t.Errorf("%q: overdue a year on: %v", tc.matter, st.Overdue(recv.AddDate(1, 0, 0)))
		}
		_, _, err = r.Apply(st, Event{Type: EventExtended, At: accepted.Add(time.Hour), Days: 10})
		if got := errors.Is(err, ErrTransition); got != tc.extensionRefused {
			t.Errorf("%q: extension refused %v (%v), want %v", tc.matter, got, err, tc.extensionRefused)
		}
	}
}

// A diverted claim leaves the petition procedure: its clock ends, nothing is
// completed (on time or late), and it is never overdue.
func TestDiverted(t *testing.T) {
	r := DefaultRules(shanghai)
	recv := at("2026-03-02 10:00:00")
	st, _, _ := r.Apply(r.Received(Case{Unit: "u1", ReceivedAt: recv}), Event{Type: EventAccepted, At: recv.Add(time.Hour)})
	// after the handling deadline: the diversion ends the clock all the same
	next, out, err := r.Apply(st, Event{Type: EventDiverted, At: recv.AddDate(0, 0, 70), Procedure: "litigation"})
	if err != nil {
		t.Fatal(err)
	}
	if out != (Outcome{}) || next.Stage() != "" || !next.Deadline.IsZero() || next.Overdue(recv.AddDate(0, 0, 100)) {
		t.Errorf("diverted: outcome %+v, stage %q, deadline %s, overdue %v; want nothing completed, no stage",
			out, next.Stage(), next.Deadline, next.Overdue(recv.AddDate(0, 0, 100)))
	}
	replied, _, _ := r.Apply(st, Event{Type: EventReplied, At: recv.AddDate(0, 0, 10)})
	if _, _, err := r.Apply(replied, Event{Type: EventDiverted, At: recv.AddDate(0, 0, 11), Procedure: "litigation"}); !errors.Is(err, ErrTransition) {
		t.Errorf("diverted after the reply: %v, want refused (the handling is decided)", err)
	}
	if ps := (Event{Type: EventDiverted, At: recv, Procedure: "the_mayor"}).Problems(r); len(ps) != 1 || ps[0].Field != FieldProcedure {
		t.Errorf("an unknown procedure: %v", ps)
	}
	sugg, _, _ := r.Apply(r.Received(Case{Unit: "u1", ReceivedAt: recv, MatterType: MatterSuggestion}), Event{Type: EventAccepted, At: recv.Add(time.Hour)})
	sugg, _, _ = r.Apply(sugg, Event{Type: EventReplied, At: recv.AddDate(0, 0, 90)})
	if _, _, err := r.Apply(sugg, Event{Type: EventReviewRequested, At: recv.AddDate(0, 0, 91)}); !errors.Is(err, ErrTransition) {
		t.Errorf("a review of a suggestion's answer: %v, want refused", err)
	}
	if ps := (Case{CaseNo: "C", ReceivedAt: recv, Channel: "letter", Category: "other", Unit: "u1", Persons: 1, Level: "county",
		PetitionerHash: PetitionerHash([]byte("k"), "x"), MatterType: "complaint"}).Problems(); len(ps) != 1 || ps[0].Field != "matter_type" {
		t.Errorf("an unknown matter type: %v", ps)
	}
}
