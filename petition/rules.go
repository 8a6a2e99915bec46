package petition

import (
	"errors"
	"fmt"
	"time"
)

// Rules are the configurable parameters of petition work. The zero value is not
// usable: start from DefaultRules.
type Rules struct {
	AcceptanceDays      int            // 受理: decide within N days of receipt (2022 Reg. art. 23)
	HandlingDays        int            // 办理: reply within N days of acceptance (art. 34)
	MaxExtensionDays    int            // one extension of handling, at most N days (art. 34)
	ReviewDays          int            // 复查 decision within N days of the request (art. 35)
	ReReviewDays        int            // 复核 decision within N days of the request (art. 36)
	RequestWindowDays   int            // a review may be requested within N days of the decision
	DueSoon             time.Duration  // warning horizon before a deadline
	CollectiveThreshold int            // persons at or above which a petition is collective
	RepeatLookbackDays  int            // same person + same matter within N days is a repeat
	Location            *time.Location // calendar days are counted in this zone
}

// DefaultRules returns the statutory limits of the Regulations on Petition
// Work (信访条例 2005 arts. 21-22 and 33-35, kept by the 2022 信访工作条例) and
// the county's default thresholds, in the given zone.
func DefaultRules(loc *time.Location) Rules {
	return Rules{
		AcceptanceDays:      15,
		HandlingDays:        60,
		MaxExtensionDays:    30,
		ReviewDays:          30,
		ReReviewDays:        30,
		RequestWindowDays:   30,
		DueSoon:             72 * time.Hour,
		CollectiveThreshold: 5,
		RepeatLookbackDays:  365,
		Location:            loc,
	}
}

// AddDays adds n calendar days in the rules' zone, so that a deadline keeps the
// local time of day of the moment its clock started.
func (r Rules) AddDays(t time.Time, n int) time.Time {
	return t.In(r.Location).AddDate(0, 0, n).UTC()
}

// Collective reports whether a petition by this many persons is collective (集体访).
func (r Rules) Collective(persons int) bool {
	return persons >= r.CollectiveThreshold
}

// RepeatSince is the earliest receipt time of an earlier case that makes a case
// received at t a repeat under the derived rule (same petitioner, category and
// unit within the look-back). The window is [RepeatSince(t), t).
func (r Rules) RepeatSince(t time.Time) time.Time {
	return r.AddDays(t, -r.RepeatLookbackDays)
}

// Statuses of a case. A status names the last step that changed it.
const (
	StatusReceived          = "received"
	StatusAccepted          = "accepted"
	StatusNotAccepted       = "not_accepted"
	StatusReplied           = "replied"
	StatusReviewRequested   = "review_requested"
	StatusReviewed          = "reviewed"
	StatusReReviewRequested = "re_review_requested"
	StatusReReviewed        = "re_reviewed"
	StatusClosed            = "closed"
)

// Event types, the steps recorded in a case's history.
const (
	EventAccepted          = "accepted"
	EventNotAccepted       = "not_accepted"
	EventExtended          = "extended"
	EventReplied           = "replied"
	EventReviewRequested   = "review_requested"
	EventReviewed          = "reviewed"
	EventReReviewRequested = "re_review_requested"
	EventReReviewed        = "re_reviewed"
	EventClosed            = "closed"
	EventEvaluated         = "evaluated"
	EventReassigned        = "reassigned"
)

// EventTypes lists every event type.
var EventTypes = []string{
	EventAccepted, EventNotAccepted, EventExtended, EventReplied,
	EventReviewRequested, EventReviewed, EventReReviewRequested, EventReReviewed,
	EventClosed, EventEvaluated, EventReassigned,
}

// StageOf returns the stage a case in status is open in, or "" when it is open
// in none (waiting on the petitioner, not accepted, or closed).
func StageOf(status string) string {
	switch status {
	case StatusReceived:
		return StageAcceptance
	case StatusAccepted:
		return StageHandling
	case StatusReviewRequested:
		return StageReview
	case StatusReReviewRequested:
		return StageReReview
	}
	return ""
}

// State is what a case's history adds up to; the store keeps it on the case row.
type State struct {
	Status      string
	Unit        string
	Deadline    time.Time // deadline of the open stage; zero when open in none
	Extended    bool      // handling was extended (allowed once)
	DecidedAt   time.Time // last reply or review decision: starts the request window
	LastEventAt time.Time // receipt or the latest event
}

// Stage is the stage the case is open in, or "".
func (s State) Stage() string { return StageOf(s.Status) }

// Overdue reports whether the case is open in a stage past its deadline. At the
// deadline itself it is still on time.
func (s State) Overdue(now time.Time) bool {
	return s.Stage() != "" && now.After(s.Deadline)
}

// DueSoon reports whether the open stage's deadline is still ahead but within
// the horizon.
func (s State) DueSoon(now time.Time, horizon time.Duration) bool {
	return s.Stage() != "" && !now.After(s.Deadline) && !s.Deadline.After(now.Add(horizon))
}

// Received returns the state of a case just received at t by unit.
func (r Rules) Received(unit string, at time.Time) State {
	return State{
		Status:      StatusReceived,
		Unit:        unit,
		Deadline:    r.AddDays(at, r.AcceptanceDays),
		LastEventAt: at,
	}
}

// Event is one step in a case's history.
type Event struct {
	Type   string
	At     time.Time
	Days   int    // extended: days added
	Result string // evaluated: one of EvaluationResults
	Unit   string // reassigned: the new responsible unit
}

// Outcome is what an event did besides changing the state: the stage it
// completed (if any) and whether that was after the deadline.
type Outcome struct {
	CompletedStage string
	Late           bool
}

// ErrTransition is wrapped by every refusal of an event the case's status does
// not allow.
var ErrTransition = errors.New("event not allowed")

// ErrInvalidEvent is wrapped when the event itself is malformed.
var ErrInvalidEvent = errors.New("invalid event")

// Apply returns the state after e, or an error naming why e is refused.
func (r Rules) Apply(s State, e Event) (State, Outcome, error) {
	if e.At.Before(s.LastEventAt) {
		return s, Outcome{}, fmt.Errorf("%w: %s at %s is earlier than the case's last event at %s",
			ErrTransition, e.Type, e.At.UTC().Format(time.RFC3339), s.LastEventAt.UTC().Format(time.RFC3339))
	}
	refuse := func() (State, Outcome, error) {
		return s, Outcome{}, fmt.Errorf("%w: %s in status %s", ErrTransition, e.Type, s.Status)
	}
	next := s
	next.LastEventAt = e.At
	complete := func(status string) (State, Outcome, error) {
		out := Outcome{CompletedStage: s.Stage(), Late: e.At.After(s.Deadline)}
		next.Status = status
		next.Deadline = time.Time{}
		next.DecidedAt = e.At
		return next, out, nil
	}
	open := func(status string, days int) (State, Outcome, error) {
		next.Status = status
		next.Deadline = r.AddDays(e.At, days)
		return next, Outcome{}, nil
	}
	requestWindowOpen := func() bool {
		return !e.At.After(r.AddDays(s.DecidedAt, r.RequestWindowDays))
	}

	switch e.Type {
	case EventAccepted:
		if s.Status != StatusReceived {
			return refuse()
		}
		next, out, _ := complete(StatusAccepted)
		next.Deadline = r.AddDays(e.At, r.HandlingDays)
		return next, out, nil
	case EventNotAccepted:
		if s.Status != StatusReceived {
			return refuse()
		}
		return complete(StatusNotAccepted)
	case EventExtended:
		if s.Status != StatusAccepted {
			return refuse()
		}
		if s.Extended {
			return s, Outcome{}, fmt.Errorf("%w: handling was already extended once", ErrTransition)
		}
		if e.Days < 1 || e.Days > r.MaxExtensionDays {
			return s, Outcome{}, fmt.Errorf("%w: extension of %d days is outside 1..%d", ErrInvalidEvent, e.Days, r.MaxExtensionDays)
		}
		if e.At.After(s.Deadline) {
			return s, Outcome{}, fmt.Errorf("%w: extended after the handling deadline %s", ErrTransition, s.Deadline.Format(time.RFC3339))
		}
		next.Extended = true
		next.Deadline = r.AddDays(s.Deadline, e.Days)
		return next, Outcome{}, nil
	case EventReplied:
		if s.Status != StatusAccepted {
			return refuse()
		}
		return complete(StatusReplied)
	case EventReviewRequested:
		if s.Status != StatusReplied {
			return refuse()
		}
		if !requestWindowOpen() {
			return s, Outcome{}, fmt.Errorf("%w: review requested more than %d days after the reply", ErrTransition, r.RequestWindowDays)
		}
		return open(StatusReviewRequested, r.ReviewDays)
	case EventReviewed:
		if s.Status != StatusReviewRequested {
			return refuse()
		}
		return complete(StatusReviewed)
	case EventReReviewRequested:
		if s.Status != StatusReviewed {
			return refuse()
		}
		if !requestWindowOpen() {
			return s, Outcome{}, fmt.Errorf("%w: re-review requested more than %d days after the review", ErrTransition, r.RequestWindowDays)
		}
		return open(StatusReReviewRequested, r.ReReviewDays)
	case EventReReviewed:
		if s.Status != StatusReReviewRequested {
			return refuse()
		}
		return complete(StatusReReviewed)
	case EventClosed:
		switch s.Status {
		case StatusReplied, StatusReviewed, StatusReReviewed:
			next.Status = StatusClosed
			return next, Outcome{}, nil
		}
		return refuse()
	case EventEvaluated:
		if !Contains(EvaluationResults, e.Result) {
			return s, Outcome{}, fmt.Errorf("%w: evaluation result %q is not one of %v", ErrInvalidEvent, e.Result, EvaluationResults)
		}
		switch s.Status {
		case StatusReplied, StatusReviewed, StatusReReviewed, StatusClosed:
			return next, Outcome{}, nil
		}
		return refuse()
	case EventReassigned:
		if e.Unit == "" {
			return s, Outcome{}, fmt.Errorf("%w: reassigned needs the new unit", ErrInvalidEvent)
		}
		if s.Status == StatusClosed || s.Status == StatusNotAccepted {
			return refuse()
		}
		next.Unit = e.Unit
		return next, Outcome{}, nil
	}
	return s, Outcome{}, fmt.Errorf("%w: unknown event type %q", ErrInvalidEvent, e.Type)
}
