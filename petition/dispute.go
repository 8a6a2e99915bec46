package petition

import (
	"fmt"
	"strings"
	"time"

	"riskmon/calendar"
)

// The dispute register (矛盾纠纷排查调处台账): disputes that could turn into
// collective or skip-level petitions, screened by every township and
// department. A dispute is a matter, never a person: it holds no name,
// identifier, phone number or address, and its leader by role only.

// DisputeRisks grade a dispute's risk, highest first.
var DisputeRisks = []string{RiskHigh, "medium", "low"}

// RiskHigh is the highest risk: such a dispute escalating into a petition
// makes it a major matter (art. 25).
const RiskHigh = "high"

// DisputePotentials say what a dispute could become if left: a collective
// petition, a skip-level visit, an extreme act, an outcry online, or
// another escalation. Recorded at registration, optional.
var DisputePotentials = []string{"collective", "skip_level", "extreme_act", "online_outcry", "other"}

// DisputeSources say how a dispute came to the register.
var DisputeSources = []string{"screening", "hotline", "grid", "petition", "other"}

// DefaultLeaderRoles are the roles a dispute's responsible leader is
// recorded by (never a name); the list is configurable (leader_roles).
var DefaultLeaderRoles = []string{"county_leader", "township_party_secretary", "township_head",
	"department_head", "department_deputy_head"}

// The "four haves" an open dispute must have (四有): a responsible leader, a
// person handling it, a time limit and supervision that checks on it. Each
// names what a dispute misses in the label missing.
const (
	HaveLeader     = "leader"
	HaveHandler    = "handler"
	HaveDeadline   = "deadline"
	HaveInspection = "inspection"
)

// FourHaves lists them in the notice's order.
var FourHaves = []string{HaveLeader, HaveHandler, HaveDeadline, HaveInspection}

// Dispute statuses: open until resolved (化解), escalated into a petition (the
// register's failure) or closed another way (referred to court, say).
const (
	DisputeOpen      = "open"
	DisputeResolved  = "resolved"
	DisputeEscalated = "escalated"
	DisputeClosed    = "closed"
)

// Dispute event types.
const (
	DisputeEventAssigned    = "assigned"     // a leader role, a handler or a time limit, any of them
	DisputeEventInspected   = "inspected"    // a supervision visit (督察检查)
	DisputeEventRiskChanged = "risk_changed" // risk
	DisputeEventResolved    = "resolved"
	DisputeEventEscalated   = "escalated" // case_no: the petition it became
	DisputeEventClosed      = "closed"
)

// DisputeEventTypes lists them in the order a dispute meets them.
var DisputeEventTypes = []string{DisputeEventAssigned, DisputeEventInspected, DisputeEventRiskChanged,
	DisputeEventResolved, DisputeEventEscalated, DisputeEventClosed}

// RedateReasons say why a dispute's time limit was moved later: a court's
// procedure, a negotiation under way, funds awaited, or another reason. A
// time limit moves later only with one, and every move is counted, so that
// re-dating cannot quietly take a dispute out of the overdue count.
var RedateReasons = []string{"court", "negotiation", "funds", "other"}

// DefaultCountyLeaderRoles are the roles that lead at county level: a
// high-risk dispute needs one of them (县级领导包案), whatever its unit.
var DefaultCountyLeaderRoles = []string{"county_leader"}

// DisputeRules are the register's configurable values.
type DisputeRules struct {
	LeaderRoles []string // the roles a leader is recorded by
	// CountyLeaderRoles are the LeaderRoles at county level: a high-risk
	// dispute led by another role misses its leader.
	CountyLeaderRoles []string
	// An open dispute misses its inspection when none was made in the last
	// InspectionDays days, InspectionDaysSensitive in a sensitive period.
	InspectionDays, InspectionDaysSensitive int
	// ReportCutoff is the time after local midnight by which units send
	// their daily report in a sensitive period.
	ReportCutoff time.Duration
	// ScreeningLeadDays before a sensitive period starts, a unit that has
	// not screened the month before it is missing (screening.go).
	ScreeningLeadDays int
}

// InspectEvery is how long an inspection counts, in or out of a sensitive
// period.
func (r DisputeRules) InspectEvery(sensitive bool) time.Duration {
	if sensitive {
		return time.Duration(r.InspectionDaysSensitive) * 24 * time.Hour
	}
	return time.Duration(r.InspectionDays) * 24 * time.Hour
}

// MaxDisputePersons bounds persons_estimate: more is a typing error.
const MaxDisputePersons = 1000000

// Dispute is a dispute as found and registered.
type Dispute struct {
	No              string
	FoundAt         time.Time
	Unit            string
	Category        string
	Risk            string
	PersonsEstimate int // people who might act together
	LeaderRole      string
	HandlerAssigned bool
	ResolveBy       calendar.Day // the local date it is to be resolved by; 0: not set
	Source          string
	Matter          string // the registered matter it is part of (rising.go), or ""
	Potential       string // DisputePotentials, or "" when not said
}

// Problems lists every field of d that breaks a rule, leader roles being
// roles; whether the unit and category exist is the store's to say.
func (d Dispute) Problems(roles []string) []Problem {
	var ps []Problem
	ps = append(ps, CodeProblem("dispute_no", d.No)...)
	if d.FoundAt.IsZero() {
		ps = append(ps, Problem{"found_at", "is required"})
	}
	ps = append(ps, CodeProblem("unit", d.Unit)...)
	ps = append(ps, CodeProblem("category", d.Category)...)
	ps = append(ps, vocabProblem("risk", d.Risk, DisputeRisks)...)
	if d.PersonsEstimate < 0 || d.PersonsEstimate > MaxDisputePersons {
		ps = append(ps, Problem{"persons_estimate", fmt.Sprintf("%d is outside 0..%d", d.PersonsEstimate, MaxDisputePersons)})
	}
	if d.LeaderRole != "" {
		ps = append(ps, vocabProblem("leader_role", d.LeaderRole, roles)...)
	}
	ps = append(ps, vocabProblem("source", d.Source, DisputeSources)...)
	if d.Matter != "" {
		ps = append(ps, MatterCodeProblem("matter", d.Matter)...)
	}
	if d.Potential != "" {
		ps = append(ps, vocabProblem("potential", d.Potential, DisputePotentials)...)
	}
	return ps
}

// DisputeEvent is one step of a dispute. Only the fields of its type are
// set: assigned any of LeaderRole, HandlerAssigned and ResolveBy, and
// Reason with a ResolveBy that moves the time limit later; risk_changed
// Risk; escalated CaseNo.
type DisputeEvent struct {
	Type            string
	At              time.Time
	LeaderRole      string
	HandlerAssigned bool
	ResolveBy       calendar.Day
	Reason          string // RedateReasons
	Risk            string
	CaseNo          string
}

// Problems lists what is wrong with e on its own.
func (e DisputeEvent) Problems(roles []string) []Problem {
	var ps []Problem
	if !Contains(DisputeEventTypes, e.Type) {
		return append(ps, vocabProblem("type", e.Type, DisputeEventTypes)...)
	}
	if e.At.IsZero() {
		ps = append(ps, Problem{"at", "is required"})
	}
	extra := func(field string, set bool) {
		if set {
			ps = append(ps, Problem{field, "is not a field of " + e.Type})
		}
	}
	switch e.Type {
	case DisputeEventAssigned:
		if e.LeaderRole == "" && !e.HandlerAssigned && e.ResolveBy == 0 {
			ps = append(ps, Problem{"assigned", "needs leader_role, handler_assigned or resolve_by"})
		}
		if e.LeaderRole != "" {
			ps = append(ps, vocabProblem("leader_role", e.LeaderRole, roles)...)
		}
		switch {
		case e.Reason != "" && e.ResolveBy == 0:
			ps = append(ps, Problem{"reason", "is only for a new resolve_by"})
		case e.Reason != "":
			ps = append(ps, vocabProblem("reason", e.Reason, RedateReasons)...)
		}
	default:
		extra("leader_role", e.LeaderRole != "")
		extra("handler_assigned", e.HandlerAssigned)
		extra("resolve_by", e.ResolveBy != 0)
		extra("reason", e.Reason != "")
	}
	if e.Type == DisputeEventRiskChanged {
		ps = append(ps, vocabProblem("risk", e.Risk, DisputeRisks)...)
	} else {
		extra("risk", e.Risk != "")
	}
	if e.Type == DisputeEventEscalated {
		ps = append(ps, CodeProblem("case_no", e.CaseNo)...)
	} else {
		extra("case_no", e.CaseNo != "")
	}
	return ps
}

// DisputeState is where a dispute stands.
type DisputeState struct {
	Status          string
	Risk            string
	LeaderRole      string
	HandlerAssigned bool
	ResolveBy       calendar.Day
	LastInspectedAt time.Time // zero: never inspected
	LastEventAt     time.Time // when found, or the latest event
	CaseNo          string    // the petition it escalated into
}

// DisputeFound is a dispute's state when registered.
func DisputeFound(d Dispute) DisputeState {
	return DisputeState{Status: DisputeOpen, Risk: d.Risk, LeaderRole: d.LeaderRole, HandlerAssigned: d.HandlerAssigned,
		ResolveBy: d.ResolveBy, LastEventAt: d.FoundAt}
}

// DisputeOutcome is what an event did besides changing the state: a
// dispute resolved or escalated, a time limit moved later (re-dated); Late
// when the event came after the last day of the time limit in force before
// it, whatever its type: the dispute was overdue then, and stays counted as
// overdue in that month whatever the event did to its time limit.
type DisputeOutcome struct {
	Resolved, Late, Escalated, Redated bool
}

// ApplyDispute returns the state after e, or an error naming why e is
// refused: ErrInvalidEvent for a malformed event, ErrTransition for one the
// dispute's status does not allow. loc gives the local dates.
func ApplyDispute(s DisputeState, e DisputeEvent, roles []string, loc *time.Location) (DisputeState, DisputeOutcome, error) {
	if ps := e.Problems(roles); len(ps) > 0 {
		return s, DisputeOutcome{}, fmt.Errorf("%w: %s", ErrInvalidEvent, ps[0])
	}
	if e.At.Before(s.LastEventAt) {
		return s, DisputeOutcome{}, fmt.Errorf("%w: %s at %s is earlier than the dispute's last event at %s",
			ErrTransition, e.Type, e.At.UTC().Format(time.RFC3339), s.LastEventAt.UTC().Format(time.RFC3339))
	}
	if s.Status != DisputeOpen {
		return s, DisputeOutcome{}, fmt.Errorf("%w: %s in status %s", ErrTransition, e.Type, s.Status)
	}
	next := s
	next.LastEventAt = e.At
	out := DisputeOutcome{Late: s.overdue(e.At, loc)}
	switch e.Type {
	case DisputeEventAssigned:
		if e.LeaderRole != "" {
			next.LeaderRole = e.LeaderRole
		}
		next.HandlerAssigned = next.HandlerAssigned || e.HandlerAssigned
		out.Redated = s.ResolveBy != 0 && e.ResolveBy > s.ResolveBy
		switch {
		case out.Redated && e.Reason == "":
			return s, DisputeOutcome{}, fmt.Errorf("%w: moving resolve_by later, from %s to %s, needs a reason (%s)",
				ErrInvalidEvent, s.ResolveBy, e.ResolveBy, strings.Join(RedateReasons, ", "))
		case !out.Redated && e.Reason != "":
			return s, DisputeOutcome{}, fmt.Errorf("%w: a reason is only for moving resolve_by later", ErrInvalidEvent)
		}
		if e.ResolveBy != 0 {
			next.ResolveBy = e.ResolveBy
		}
	case DisputeEventInspected:
		next.LastInspectedAt = e.At
	case DisputeEventRiskChanged:
		if e.Risk == s.Risk {
			return s, DisputeOutcome{}, fmt.Errorf("%w: the risk is already %s", ErrTransition, s.Risk)
		}
		next.Risk = e.Risk
	case DisputeEventResolved:
		next.Status = DisputeResolved
		out.Resolved = true
	case DisputeEventEscalated:
		next.Status, next.CaseNo = DisputeEscalated, e.CaseNo
		out.Escalated = true
	case DisputeEventClosed:
		next.Status = DisputeClosed
	}
	return next, out, nil
}

// overdue reports whether at is past the last day of the time limit.
func (s DisputeState) overdue(at time.Time, loc *time.Location) bool {
	return s.overdueOn(calendar.DayOf(at, loc))
}

// overdueOn: the limit's last day is before today, so that it has ended
// (Day.End, the next day's start) by any instant of today: the same
// comparison the register's queries make.
func (s DisputeState) overdueOn(today calendar.Day) bool {
	return s.ResolveBy != 0 && s.ResolveBy < today
}

// Overdue reports whether an open dispute is past the last day of its time
// limit at now.
func (s DisputeState) Overdue(now time.Time, loc *time.Location) bool {
	return s.OverdueOn(calendar.DayOf(now, loc))
}

// OverdueOn is Overdue at any instant of the local day today: a count over
// a whole register finds the day once, not once a dispute.
func (s DisputeState) OverdueOn(today calendar.Day) bool {
	return s.Status == DisputeOpen && s.overdueOn(today)
}

// Missing lists which of the four haves an open dispute lacks at now: a
// leader (for a high-risk one, a leader of one of countyRoles), a handler, a
// time limit, or an inspection within the last inspectEvery.
func (s DisputeState) Missing(now time.Time, inspectEvery time.Duration, countyRoles []string) []string {
	return s.AppendMissing(nil, now, inspectEvery, countyRoles)
}

// AppendMissing is Missing appended to out: a count over a whole register
// reuses one slice instead of making one a dispute.
func (s DisputeState) AppendMissing(out []string, now time.Time, inspectEvery time.Duration, countyRoles []string) []string {
	if s.Status != DisputeOpen {
		return out
	}
	if s.LeaderRole == "" || s.Risk == RiskHigh && !Contains(countyRoles, s.LeaderRole) {
		out = append(out, HaveLeader)
	}
	if !s.HandlerAssigned {
		out = append(out, HaveHandler)
	}
	if s.ResolveBy == 0 {
		out = append(out, HaveDeadline)
	}
	if lapses := s.InspectionLapses(inspectEvery); lapses.IsZero() || !now.Before(lapses) {
		out = append(out, HaveInspection)
	}
	return out
}

// InspectionLapses is the instant from which an open dispute lacks an
// inspection (HaveInspection): inspectEvery after its last; the zero time
// for one never inspected, which lacks one at every instant.
func (s DisputeState) InspectionLapses(inspectEvery time.Duration) time.Time {
	if s.LastInspectedAt.IsZero() {
		return time.Time{}
	}
	return s.LastInspectedAt.Add(inspectEvery)
}

// MaxRemark bounds a daily report's remark, in characters.
const MaxRemark = 500

// UnitReport is a unit's daily report (日报) for a local date: the disputes
// it found, zero included (零报告: a report of nothing is still a report).
type UnitReport struct {
	Unit          string
	Day           calendar.Day
	DisputesFound int
	Remark        string
}

// Problems lists what is wrong with r at now: a report is for today or an
// earlier day, never a later one.
func (r UnitReport) Problems(now time.Time, loc *time.Location) []Problem {
	var ps []Problem
	ps = append(ps, CodeProblem("unit", r.Unit)...)
	if today := calendar.DayOf(now, loc); r.Day > today {
		ps = append(ps, Problem{"date", fmt.Sprintf("%s is after today, %s", r.Day, today)})
	}
	if r.DisputesFound < 0 || r.DisputesFound > MaxDisputePersons {
		ps = append(ps, Problem{"disputes_found", fmt.Sprintf("%d is outside 0..%d", r.DisputesFound, MaxDisputePersons)})
	}
	return append(ps, TextProblems("remark", r.Remark, MaxRemark)...)
}
