package petition

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"riskmon/calendar"
)

// ErrTransition is wrapped by every refusal of an event the case's status does
// not allow.
var ErrTransition = errors.New("event not allowed")

// ErrInvalidEvent is wrapped when the event itself is malformed.
var ErrInvalidEvent = errors.New("invalid event")

// Apply returns the state after e, or an error naming why e is refused.
func (r Rules) Apply(s State, e Event) (State, Outcome, error) {
	if ps := e.Problems(r); len(ps) > 0 {
		return s, Outcome{}, fmt.Errorf("%w: %s", ErrInvalidEvent, ps[0])
	}
	if e.At.Before(s.LastEventAt) {
		return s, Outcome{}, fmt.Errorf("%w: %s at %s is earlier than the case's last event at %s",
			ErrTransition, e.Type, e.At.UTC().Format(time.RFC3339), s.LastEventAt.UTC().Format(time.RFC3339))
	}
	refuse := func() (State, Outcome, error) {
		return s, Outcome{}, fmt.Errorf("%w: %s in status %s", ErrTransition, e.Type, s.Status)
	}
	next := s
	next.LastEventAt = e.At
	// ended is what e does when it ends the open stage: that stage completed,
	// late when after its deadline
	ended := Outcome{CompletedStage: s.Stage(), Late: e.At.After(s.Deadline)}
	complete := func(status string) (State, Outcome, error) {
		next.Status = status
		next.StageStart = time.Time{}
		next.DecidedAt, next.Evaluated, next.DeliveredAt = e.At, false, time.Time{}
		if status == StatusReplied || status == StatusReviewed || status == StatusReReviewed {
			next.Decision = status
		}
		return r.WithDeadline(next), ended, nil
	}
	// open starts the clock of the stage status is open in.
	open := func(status string) (State, Outcome, error) {
		next.Status = status
		next.StageStart = e.At
		return r.WithDeadline(next), Outcome{}, nil
	}
	// the window counts from the delivery of the decision, or from the
	// decision itself when its delivery is not recorded
	requestWindowOpen := func() bool {
		from := s.DecidedAt
		if !s.DeliveredAt.IsZero() {
			from = s.DeliveredAt
		}
		return !e.At.After(r.RequestWindowEnd(from))
	}
	// request records a review or re-review request. The window runs from the
	// petitioner's receipt of the written decision (arts. 35-36), which the
	// record may not hold: a request the record shows outside it is
	// recorded and marked late, never refused. The reviewing organ it names
	// answers for the stage from then on.
	request := func(status string) (State, Outcome, error) {
		if e.Unit != "" {
			if e.Unit == s.Unit {
				return s, Outcome{}, fmt.Errorf("%w: the case is with %s already; name the reviewing organ, the level above", ErrTransition, e.Unit)
			}
			next.Unit = e.Unit
		}
		late := !requestWindowOpen()
		next, out, err := open(status)
		out.Late = late
		return next, out, err
	}
	// after decision: the petitioner may ask for the next step even when the
	// unit has closed the case after its decision
	waitingAfter := func(decision string) bool {
		return s.Status == decision || (s.Status == StatusClosed && s.Decision == decision)
	}

	switch e.Type {
	case EventAccepted:
		if s.Status != StatusReceived {
			return refuse()
		}
		_, out, _ := complete(StatusAccepted)
		next, _, _ = open(StatusAccepted)
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
		if !s.Claim() {
			return s, Outcome{}, fmt.Errorf("%w: only a claim's handling has a limit to extend (art. 34); this is a %s", ErrTransition, s.MatterType)
		}
		if s.Extended() {
			return s, Outcome{}, fmt.Errorf("%w: handling was already extended once", ErrTransition)
		}
		if e.At.After(s.Deadline) {
			return s, Outcome{}, fmt.Errorf("%w: extended after the handling deadline %s", ErrTransition, s.Deadline.Format(time.RFC3339))
		}
		next.Extension = e.Days
		return r.WithDeadline(next), Outcome{}, nil
	case EventReplied:
		if s.Status != StatusAccepted {
			return refuse()
		}
		return complete(StatusReplied)
	case EventReviewRequested:
		if !waitingAfter(StatusReplied) {
			return refuse()
		}
		if !s.Claim() {
			// arts. 35-36 review the handling opinion of a claim; a
			// suggestion's answer or an accusation's passing on is not one
			return s, Outcome{}, fmt.Errorf("%w: only a claim's handling opinion is reviewed (art. 35); this is a %s", ErrTransition, s.MatterType)
		}
		return request(StatusReviewRequested)
	case EventReviewed:
		if s.Status != StatusReviewRequested {
			return refuse()
		}
		return complete(StatusReviewed)
	case EventReReviewRequested:
		if !waitingAfter(StatusReviewed) {
			return refuse()
		}
		return request(StatusReReviewRequested)
	case EventReReviewed:
		if s.Status != StatusReReviewRequested {
			return refuse()
		}
		if !s.HearingSince.IsZero() {
			return s, Outcome{}, fmt.Errorf("%w: the re-review's hearing has not ended", ErrTransition)
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
		switch s.Status {
		case StatusReplied, StatusReviewed, StatusReReviewed, StatusClosed:
			// one evaluation a decision: the satisfaction rate counts each once
			if s.Evaluated {
				return s, Outcome{}, fmt.Errorf("%w: the decision of %s was already evaluated", ErrTransition,
					s.DecidedAt.In(r.Location).Format(time.RFC3339))
			}
			next.Evaluated = true
			return next, Outcome{}, nil
		}
		return refuse()
	case EventReassigned:
		if s.Status == StatusClosed || s.Status == StatusNotAccepted || s.Status == StatusDiverted || s.Status == StatusRedirected {
			return refuse()
		}
		next.Unit = e.Unit
		return next, Outcome{}, nil
	case EventTransferred:
		// 转送/交办: the bureau passes the case on (completing routing), or a
		// unit passes on a case that is not its own before deciding on it.
		// The new unit's acceptance starts the day after it received the
		// transfer (At); the old unit's time is not charged to it, and the
		// stage the transfer ends is counted for the unit that held it.
		if s.Status != StatusRegistered && s.Status != StatusReceived {
			return refuse()
		}
		if e.Unit == s.Unit {
			return s, Outcome{}, fmt.Errorf("%w: the case is with %s already", ErrTransition, e.Unit)
		}
		next.Status, next.Unit, next.StageStart = StatusReceived, e.Unit, e.At
		// a unit passing the case on hands the assignment on with it; a new
		// transfer by the bureau sets its own
		next.TransferredBy, next.TransferredAt = "", time.Time{}
		if s.Status == StatusRegistered {
			next.AssignedDue = e.Due
		}
		if e.Due != 0 {
			// 交办: the bureau assigns the matter with a date for the
			// completion report (art. 22(三)); a unit passing a case on
			// assigns nothing
			if s.Status != StatusRegistered {
				return s, Outcome{}, fmt.Errorf("%w: only the petition bureau's transfer assigns (交办) with a date", ErrTransition)
			}
			if e.Due < calendar.DayOf(e.At, r.Location) {
				return s, Outcome{}, fmt.Errorf("%w: due %s is before the transfer", ErrInvalidEvent, e.Due)
			}
		}
		if s.Status == StatusRegistered {
			// the unit may object to the bureau's transfer (art. 23 ¶3)
			next.TransferredBy, next.TransferredAt = s.Unit, e.At
		}
		if s.Status == StatusReceived {
			// passing a case on decides nothing: acceptance is completed by
			// a decision either way (art. 23), so the timely acceptance
			// rate counts decisions only
			return r.WithDeadline(next), Outcome{}, nil
		}
		// the bureau's routing is done by passing the case on (art. 22)
		return r.WithDeadline(next), ended, nil
	case EventHearingStarted:
		// a hearing (听证) during a re-review pauses its clock (2022 Reg. art.
		// 36 ¶2); like the extension, it must start within the limit, or a
		// late hearing would clear an overdue case
		if s.Status != StatusReReviewRequested || !s.HearingSince.IsZero() {
			return refuse()
		}
		if e.At.After(s.Deadline) {
			return s, Outcome{}, fmt.Errorf("%w: hearing started after the re-review deadline %s", ErrTransition, s.Deadline.Format(time.RFC3339))
		}
		next.HearingSince = e.At
		return r.WithDeadline(next), Outcome{}, nil
	case EventHearingEnded:
		if s.HearingSince.IsZero() {
			return refuse()
		}
		// the days the hearing took, both ends included, do not count
		next.Paused += int(calendar.DayOf(e.At, r.Location)-calendar.DayOf(s.HearingSince, r.Location)) + 1
		next.HearingSince = time.Time{}
		return r.WithDeadline(next), Outcome{}, nil
	case EventReplyDelivered:
		// once a decision, before the petitioner asks for the next step
		if s.Decision == "" || !waitingAfter(s.Decision) || !s.DeliveredAt.IsZero() {
			return refuse()
		}
		next.DeliveredAt = e.At
		return next, Outcome{}, nil
	case EventSupervised:
		// Supervision (督办) can start at any time until the case is closed,
		// not only while a stage is open: the bureau supervises a case
		// accepted or handled against the rules, delayed, or whose handling
		// opinion is not carried out (2022 Reg. art. 40), which is after the
		// reply or the refusal. A higher level can take it up after a lower
		// one, and the organ then owes it a written answer again.
		if s.Status == StatusClosed {
			return refuse()
		}
		if slices.Index(SupervisionLevels, e.Level) <= slices.Index(SupervisionLevels, s.Supervision) {
			return s, Outcome{}, fmt.Errorf("%w: already supervised at %s level", ErrTransition, s.Supervision)
		}
		next.Supervision, next.SupervisionAnswered = e.Level, false
		return next, Outcome{}, nil
	case EventSupervisionAnswered:
		// the organ's written answer to the supervision (书面反馈, art. 40 ¶4),
		// once for each level that took the case up
		if s.Supervision == "" || s.SupervisionAnswered {
			return refuse()
		}
		next.SupervisionAnswered = true
		return next, Outcome{}, nil
	case EventDiverted:
		// 导入: a matter for litigation, arbitration, another procedure or
		// another organ leaves the petition procedure, from registration up
		// to the handling decision (arts. 28, 30, 31(1)-(5)); its clocks end
		// there, completing nothing, late or not
		switch s.Status {
		case StatusRegistered, StatusReceived, StatusAccepted:
			next.Status, next.StageStart, next.HearingSince = StatusDiverted, time.Time{}, time.Time{}
			return r.WithDeadline(next), Outcome{}, nil
		}
		return refuse()
	case EventCompletionReported:
		// the unit's report that the assigned matter is done (办结报告, art.
		// 22(三)) ends the assignment, whatever the case's status
		if s.AssignedDue == 0 {
			return refuse()
		}
		next.AssignedDue = 0
		return next, Outcome{}, nil
	case EventObjected:
		// a unit that finds the bureau's transfer outside its remit objects
		// within 5 working days of receiving it (art. 23 ¶3); the case goes
		// back to the bureau's routing, whose clock starts again. Passing it
		// on completes nothing for the unit.
		if s.Status != StatusReceived || s.TransferredBy == "" {
			return refuse()
		}
		if end := r.ObjectionWindowEnd(s.TransferredAt); e.At.After(end) {
			return s, Outcome{}, fmt.Errorf("%w: objected after the 5 working days of art. 23 ¶3, which ended %s", ErrTransition,
				end.In(r.Location).Format(time.RFC3339))
		}
		next.Status, next.Unit, next.StageStart = StatusRegistered, s.TransferredBy, e.At
		next.AssignedDue, next.TransferredBy, next.TransferredAt = 0, "", time.Time{}
		return r.WithDeadline(next), Outcome{}, nil
	case EventLinked:
		// which matter a case raises is a fact about the matter, not a step
		// of the procedure: taken at any status, changing no clock
		if e.Matter == s.Matter {
			return s, Outcome{}, fmt.Errorf("%w: the case is linked to %s already", ErrTransition, e.Matter)
		}
		next.Matter = e.Matter
		return next, Outcome{}, nil
	case EventRedirected:
		// 告知: the petitioner is told to go to the competent organ (arts.
		// 22-23), a decision that completes routing or acceptance
		if s.Status != StatusRegistered && s.Status != StatusReceived {
			return refuse()
		}
		return complete(StatusRedirected)
	case EventMarkedMajor:
		// the bureau or the unit finds a matter major after receipt: its
		// report upward is due from now (art. 25)
		if s.Status == StatusClosed || s.Major {
			return refuse()
		}
		return next.BecameMajor(e.At), Outcome{}, nil
	case EventReportedUp:
		// a report upward (报告, art. 25) is never refused for the case's
		// status: a late report must still be recordable, and a case that
		// is not major may be reported all the same. Each recipient once.
		if s.ReportedTo(e.To) {
			return s, Outcome{}, fmt.Errorf("%w: already reported to %s", ErrTransition, e.To)
		}
		next.Reported |= recipientBit(e.To)
		// late only for a major matter whose limit riskmon knows (one
		// stored before reports were recorded has no MajorSince)
		late := s.Major && !s.MajorSince.IsZero() && e.At.After(r.ReportUpDeadline(s.MajorSince))
		return next, Outcome{Late: late}, nil
	}
	// Problems refused unknown types: a spec without a transition is a bug.
	return s, Outcome{}, fmt.Errorf("%w: event type %q has no transition", ErrInvalidEvent, e.Type)
}
