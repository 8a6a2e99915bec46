package petition

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"riskmon/calendar"
)

// lifecycle is the case life cycle as the Regulations and the county's
// practice describe it, written out by hand (not derived from Apply): for a
// case in each status, the event types it accepts. Every other type is
// refused as a transition. Some statuses appear twice, for a state the
// status alone does not tell: a closed case remembers its last decision, and
// a re-review may be paused by a hearing.
var lifecycle = []struct {
	state   string // a name of lifecycleStates
	allowed string // event types, space-separated
}{
	// linked to a registered matter: at every status (a matter is often
	// recognised only when others raise it too)
	// at the petition bureau: passed on (transferred), or another unit
	// made responsible; supervision may start at once
	{"registered", "transferred reassigned supervised marked_major reported_up diverted redirected linked"},
	{"received", "accepted not_accepted transferred reassigned supervised marked_major reported_up diverted redirected linked"},
	// a not-accepted case is finished: nothing to decide, evaluate or move;
	// a higher level may still supervise the refusal (art. 40)
	{"not_accepted", "supervised marked_major reported_up linked"},
	{"accepted", "extended replied reassigned supervised marked_major reported_up diverted linked"},
	// supervised: the organ answers it in writing, once a level (art. 40 ¶4)
	{"accepted, supervised", "extended replied reassigned supervised supervision_answered marked_major reported_up diverted linked"},
	{"accepted, supervision answered", "extended replied reassigned supervised marked_major reported_up diverted linked"},
	// after a decision: the next step may be requested, the reply
	// delivered, the decision evaluated once, the case closed; a decision
	// not carried out may be supervised (art. 40)
	{"replied", "review_requested closed evaluated reassigned reply_delivered supervised marked_major reported_up linked"},
	{"review_requested", "reviewed reassigned supervised marked_major reported_up linked"},
	{"reviewed", "re_review_requested closed evaluated reassigned reply_delivered supervised marked_major reported_up linked"},
	{"re_review_requested", "re_reviewed hearing_started reassigned supervised marked_major reported_up linked"},
	{"re_review_requested, hearing", "hearing_ended reassigned supervised marked_major reported_up linked"},
	{"re_reviewed", "closed evaluated reassigned reply_delivered supervised marked_major reported_up linked"},
	// closed after the reply: review may still be requested within the window
	{"closed after replied", "review_requested evaluated reply_delivered reported_up linked"},
	{"closed after reviewed", "re_review_requested evaluated reply_delivered reported_up linked"},
	// a major matter is reported upward, to each recipient once (art.
	// 25); a report is never refused for the status, nor a matter for not
	// being major; marking it major again is refused
	{"received, major", "accepted not_accepted transferred reassigned supervised reported_up diverted redirected linked"},
	{"received, reported", "accepted not_accepted transferred reassigned supervised marked_major diverted redirected linked"},
	{"received, major, reported", "accepted not_accepted transferred reassigned supervised diverted redirected linked"},
	// diverted into another procedure (arts. 28, 30, 31(1)-(5)): out of the
	// petition procedure, nothing to decide or move; the bureau may still
	// supervise an improper diversion (art. 40) and report the matter
	{"diverted", "supervised marked_major reported_up linked"},
	// told to go to the competent organ (告知, arts. 22-23): decided, the
	// same as diverted for what may follow
	{"redirected", "supervised marked_major reported_up linked"},
	// received from the bureau's transfer: the unit may object within 5
	// working days (art. 23 ¶3); assigned (交办) with a date, it reports
	// completion (art. 22(三)), whatever the status
	{"received from the bureau", "accepted not_accepted transferred reassigned supervised marked_major reported_up diverted redirected objected linked"},
	{"assigned", "accepted not_accepted transferred reassigned supervised marked_major reported_up diverted redirected objected completion_reported linked"},
	{"accepted, assigned", "extended replied reassigned supervised marked_major reported_up diverted completion_reported linked"},
	{"assigned, reported done", "accepted not_accepted transferred reassigned supervised marked_major reported_up diverted redirected objected linked"},
	// a suggestion is answered without the claim's limit: no extension, no
	// review of the answer (arts. 29, 34-35)
	{"suggestion accepted", "replied reassigned supervised marked_major reported_up diverted linked"},
	{"suggestion replied", "closed evaluated reassigned reply_delivered supervised marked_major reported_up linked"},
}

// lifecycleStates builds each state of the table by its history, a day
// between steps, from a case received (or registered) at recv.
func lifecycleStates(r Rules, recv time.Time) map[string]State {
	steps := map[string][]string{
		"registered":                     nil,
		"received":                       nil,
		"not_accepted":                   {EventNotAccepted},
		"accepted":                       {EventAccepted},
		"accepted, supervised":           {EventAccepted, EventSupervised},
		"accepted, supervision answered": {EventAccepted, EventSupervised, EventSupervisionAnswered},
		"replied":                        {EventAccepted, EventReplied},
		"review_requested":               {EventAccepted, EventReplied, EventReviewRequested},
		"reviewed":                       {EventAccepted, EventReplied, EventReviewRequested, EventReviewed},
		"re_review_requested":            {EventAccepted, EventReplied, EventReviewRequested, EventReviewed, EventReReviewRequested},
		"re_review_requested, hearing":   {EventAccepted, EventReplied, EventReviewRequested, EventReviewed, EventReReviewRequested, EventHearingStarted},
		"re_reviewed":                    {EventAccepted, EventReplied, EventReviewRequested, EventReviewed, EventReReviewRequested, EventReReviewed},
		"closed after replied":           {EventAccepted, EventReplied, EventClosed},
		"closed after reviewed":          {EventAccepted, EventReplied, EventReviewRequested, EventReviewed, EventClosed},
		"received, major":                {EventMarkedMajor},
		"received, reported":             {EventReportedUp},
		"received, major, reported":      {EventMarkedMajor, EventReportedUp},
		"diverted":                       {EventDiverted},
		"redirected":                     {EventRedirected},
		"received from the bureau":       {EventTransferred},
		"assigned":                       {EventTransferred},
		"accepted, assigned":             {EventTransferred, EventAccepted},
		"assigned, reported done":        {EventTransferred, EventCompletionReported},
		"suggestion accepted":            {EventAccepted},
		"suggestion replied":             {EventAccepted, EventReplied},
	}
	out := map[string]State{}
	for name, types := range steps {
		bureau := name == "registered" || strings.Contains(name, "bureau") || strings.Contains(name, "assigned")
		c := Case{Unit: "u1", ReceivedAt: recv, Routing: bureau}
		if strings.HasPrefix(name, "suggestion") {
			c.MatterType = MatterSuggestion
		}
		st := r.Received(c)
		for i, typ := range types {
			var err error
			e := Event{Type: typ, At: recv.Add(time.Duration(i+1) * 24 * time.Hour)}
			switch typ {
			case EventSupervised:
				e.Level = SupervisionLevels[0] // the probe's level is the highest
			case EventReportedUp:
				e.To = ReportRecipients[0] // the probe's recipient
			case EventDiverted:
				e.Procedure = Procedures[0]
			case EventTransferred:
				e.Unit = "u3" // the probe transfers to u2
				if strings.Contains(name, "assigned") {
					e.Due = calendar.DayOf(e.At, r.Location) + 15
				}
			}
			st, _, err = r.Apply(st, e)
			if err != nil {
				panic(name + ": " + err.Error())
			}
		}
		out[name] = st
	}
	return out
}

// probe is an event of type typ with a valid field, a day after the last.
func probe(typ string, s State) Event {
	e := Event{Type: typ, At: s.LastEventAt.Add(24 * time.Hour)}
	spec, _ := SpecOf(typ)
	switch spec.Field {
	case FieldDays:
		e.Days = 10
	case FieldResult:
		e.Result = EvaluationResults[0]
	case FieldUnit:
		e.Unit = "u2"
	case FieldLevel:
		e.Level = SupervisionLevels[len(SupervisionLevels)-1]
	case FieldTo:
		e.To = ReportRecipients[0]
	case FieldProcedure:
		e.Procedure = Procedures[0]
	case FieldMatter:
		e.Matter = "chengdong-shantytown"
	}
	return e
}

func TestLifecycleTable(t *testing.T) {
	r := DefaultRules(shanghai)
	states := lifecycleStates(r, at("2026-03-02 10:00:00"))
	if len(states) != len(lifecycle) {
		t.Fatalf("%d states built, %d in the table", len(states), len(lifecycle))
	}
	seen := map[string]bool{}
	for _, row := range lifecycle {
		s, ok := states[row.state]
		if !ok {
			t.Fatalf("no state %q", row.state)
		}
		seen[s.Status] = true
		allowed := strings.Fields(row.allowed)
		for _, typ := range allowed {
			if !slices.Contains(EventTypes, typ) {
				t.Fatalf("%s: %q is not an event type", row.state, typ)
			}
		}
		for _, typ := range EventTypes {
			next, _, err := r.Apply(s, probe(typ, s))
			switch want := slices.Contains(allowed, typ); {
			case want && err != nil:
				t.Errorf("%s + %s: refused (%v), want allowed", row.state, typ, err)
			case !want && !errors.Is(err, ErrTransition):
				t.Errorf("%s + %s: err %v (status %s), want a refused transition", row.state, typ, err, next.Status)
			case !want && next != s:
				t.Errorf("%s + %s: refused but the state changed", row.state, typ)
			}
		}
	}
	for _, status := range []string{StatusRegistered, StatusReceived, StatusAccepted, StatusNotAccepted, StatusReplied,
		StatusReviewRequested, StatusReviewed, StatusReReviewRequested, StatusReReviewed, StatusClosed, StatusDiverted, StatusRedirected} {
		if !seen[status] {
			t.Errorf("status %s has no row in the table", status)
		}
	}
}
