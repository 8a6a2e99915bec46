package petition

import (
	"fmt"
	"strings"
	"time"

	"riskmon/calendar"
)

// Event types, the steps recorded in a case's history.
const (
	EventAccepted            = "accepted"
	EventNotAccepted         = "not_accepted"
	EventExtended            = "extended"
	EventReplied             = "replied"
	EventReviewRequested     = "review_requested"
	EventReviewed            = "reviewed"
	EventReReviewRequested   = "re_review_requested"
	EventReReviewed          = "re_reviewed"
	EventClosed              = "closed"
	EventEvaluated           = "evaluated"
	EventReassigned          = "reassigned"
	EventSupervised          = "supervised"
	EventReplyDelivered      = "reply_delivered"
	EventHearingStarted      = "hearing_started"
	EventHearingEnded        = "hearing_ended"
	EventTransferred         = "transferred"
	EventSupervisionAnswered = "supervision_answered"
	EventMarkedMajor         = "marked_major"
	EventReportedUp          = "reported_up"
	EventDiverted            = "diverted"
	EventCompletionReported  = "completion_reported"
	EventObjected            = "objected"
	EventRedirected          = "redirected"
	EventLinked              = "linked"
)

// The fields an event may carry besides its type and time, named as the API
// names them. Each event type carries at most one (EventSpec.Field).
const (
	FieldDays   = "days"   // extended: days added to the handling deadline
	FieldResult = "result" // evaluated: one of EvaluationResults
	FieldUnit   = "unit"   // reassigned, transferred: the new responsible unit, which must exist
	FieldLevel  = "level"  // supervised: the level that takes the case up (SupervisionLevels)
	FieldTo     = "to"     // reported_up: whom the matter was reported to (ReportRecipients)
	// FieldProcedure: diverted: the procedure the matter goes into (Procedures)
	FieldProcedure = "procedure"
	// FieldDue: transferred, optionally besides its unit: the date by which
	// the unit reports the assigned matter done (交办, art. 22(三))
	FieldDue = "due"
	// FieldMatter: linked: the registered matter the case raises
	FieldMatter = "matter"
)

// EventSpec is what is special about an event type. Everything that treats
// event types differently (validation, storage, tallies, import files) reads
// it here; the transitions are in Apply.
type EventSpec struct {
	Type     string
	Field    string // the extra field the event carries, or ""
	Optional bool   // the field may be left out
	Also     string // a second field, always optional, or ""
}

// EventSpecs lists every event type, in the order a case meets them.
var EventSpecs = []EventSpec{
	{Type: EventAccepted},
	{Type: EventNotAccepted},
	{Type: EventExtended, Field: FieldDays},
	{Type: EventReplied},
	// a review or re-review request may name the reviewing organ, the level
	// above the one that decided (arts. 35-36): the stage is charged to it
	{Type: EventReviewRequested, Field: FieldUnit, Optional: true},
	{Type: EventReviewed},
	{Type: EventReReviewRequested, Field: FieldUnit, Optional: true},
	{Type: EventReReviewed},
	{Type: EventClosed},
	{Type: EventEvaluated, Field: FieldResult},
	{Type: EventReassigned, Field: FieldUnit},
	{Type: EventSupervised, Field: FieldLevel},
	{Type: EventReplyDelivered},
	{Type: EventHearingStarted},
	{Type: EventHearingEnded},
	// a transfer (转送) names the unit; the bureau's assignment (交办) also a
	// date for the completion report (art. 22(三))
	{Type: EventTransferred, Field: FieldUnit, Also: FieldDue},
	{Type: EventSupervisionAnswered},
	// a major matter (重大事项) is reported upward at once (art. 25), to
	// each recipient once
	{Type: EventMarkedMajor},
	{Type: EventReportedUp, Field: FieldTo},
	// a matter for another procedure leaves the petition procedure (arts.
	// 28, 30, 31(1)-(5))
	{Type: EventDiverted, Field: FieldProcedure},
	// the unit reports the assigned matter done (办结报告, art. 22(三))
	{Type: EventCompletionReported},
	// the unit objects to a transfer outside its remit, within 5 working
	// days of receiving it (art. 23 ¶3)
	{Type: EventObjected},
	// the petitioner is told to go to the competent organ (告知, arts. 22-23)
	{Type: EventRedirected},
	// the case is found to raise a registered matter, or another one than
	// recorded: at any status, since a matter is often recognised only
	// when others raise it too
	{Type: EventLinked, Field: FieldMatter},
}

// EventTypes lists every event type.
var EventTypes = func() []string {
	out := make([]string, len(EventSpecs))
	for i, s := range EventSpecs {
		out[i] = s.Type
	}
	return out
}()

// SpecOf returns the spec of an event type; ok is false for an unknown type.
func SpecOf(eventType string) (spec EventSpec, ok bool) {
	for _, s := range EventSpecs {
		if s.Type == eventType {
			return s, true
		}
	}
	return EventSpec{}, false
}

// Event is one step in a case's history. Of Days, Result and Unit only the
// field of its type's spec is set.
type Event struct {
	Type      string
	At        time.Time
	Days      int
	Result    string
	Unit      string
	Level     string
	To        string
	Procedure string
	Due       calendar.Day // transferred: the assignment's date, 0 for none
	Matter    string       // linked: the matter's code
}

// Spec is the spec of the event's type (the zero spec for an unknown type).
func (e Event) Spec() EventSpec {
	s, _ := SpecOf(e.Type)
	return s
}

// Problems lists every field of e that breaks a rule, whatever the case's
// status; none when e is well formed. Whether the case's status allows it is
// Apply's to say.
func (e Event) Problems(r Rules) []Problem {
	spec, ok := SpecOf(e.Type)
	if !ok {
		return []Problem{{"type", fmt.Sprintf("%q is not one of %s", e.Type, strings.Join(EventTypes, ", "))}}
	}
	var ps []Problem
	if e.At.IsZero() {
		ps = append(ps, Problem{"at", "is required"})
	}
	for _, f := range []struct {
		name string
		set  bool
	}{{FieldDays, e.Days != 0}, {FieldResult, e.Result != ""}, {FieldUnit, e.Unit != ""}, {FieldLevel, e.Level != ""}, {FieldTo, e.To != ""}, {FieldProcedure, e.Procedure != ""}, {FieldDue, e.Due != 0}, {FieldMatter, e.Matter != ""}} {
		switch {
		case f.set && spec.Field != f.name && spec.Also != f.name:
			ps = append(ps, Problem{f.name, "is only for " + typesWith(f.name) + " events"})
		case !f.set && spec.Field == f.name && !spec.Optional:
			ps = append(ps, Problem{f.name, "is required for " + e.Type + " events"})
		}
	}
	switch {
	case spec.Field == FieldDays && e.Days != 0 && (e.Days < 1 || e.Days > r.MaxExtensionDays):
		ps = append(ps, Problem{FieldDays, fmt.Sprintf("%d is outside 1..%d", e.Days, r.MaxExtensionDays)})
	case spec.Field == FieldResult && e.Result != "":
		ps = append(ps, vocabProblem(FieldResult, e.Result, EvaluationResults)...)
	case spec.Field == FieldUnit && e.Unit != "":
		ps = append(ps, CodeProblem(FieldUnit, e.Unit)...)
	case spec.Field == FieldLevel && e.Level != "":
		ps = append(ps, vocabProblem(FieldLevel, e.Level, SupervisionLevels)...)
	case spec.Field == FieldTo && e.To != "":
		ps = append(ps, vocabProblem(FieldTo, e.To, ReportRecipients)...)
	case spec.Field == FieldProcedure && e.Procedure != "":
		ps = append(ps, vocabProblem(FieldProcedure, e.Procedure, Procedures)...)
	case spec.Field == FieldMatter && e.Matter != "":
		ps = append(ps, MatterCodeProblem(FieldMatter, e.Matter)...)
	}
	return ps
}

// RequestedStage is the stage a review or re-review request opens, or ""
// for every other event type.
func RequestedStage(eventType string) string {
	switch eventType {
	case EventReviewRequested:
		return StageReview
	case EventReReviewRequested:
		return StageReReview
	}
	return ""
}

// typesWith names the event types that carry field.
func typesWith(field string) string {
	var types []string
	for _, s := range EventSpecs {
		if s.Field == field || s.Also == field {
			types = append(types, s.Type)
		}
	}
	return strings.Join(types, ", ")
}

// Outcome is what an event did besides changing the state: the stage it
// completed (if any) and whether that was after the deadline; for a review or
// re-review request, whether the record shows it outside the petitioner's
// window (it is recorded all the same); for a report upward of a major
// matter, whether it came after the limit (Rules.ReportUpDeadline).
type Outcome struct {
	CompletedStage string
	Late           bool
}
