package petition

import (
	"time"

	"riskmon/calendar"
)

// Long-unresolved matters (积案): a matter petitioned again and again, or
// again after its procedure ended, or with a case open for half a year, is
// a problem the procedure has not solved. The county puts a leader on each
// (包案, 2022 Reg. art. 18 ¶2): recorded by role, never by name, with a
// target date and a plan, until the matter is resolved (化解).

// LeadPlans are the states of a lead's plan; resolved closes the matter.
var LeadPlans = []string{"planned", "in_progress", LeadResolved}

// LeadResolved is the plan state of a resolved matter (化解).
const LeadResolved = "resolved"

// Lead is the leader who owns a matter, by role, with the target date and
// the plan's state; ResolvedAt is when the matter was resolved, zero while
// it is not.
type Lead struct {
	Role       string
	Target     calendar.Day // 0: none set
	Plan       string
	ResolvedAt time.Time
}

// LeadProblems lists what is wrong with l, roles being the leader roles
// allowed: a role, never a name.
func (l Lead) LeadProblems(roles []string) []Problem {
	var ps []Problem
	ps = append(ps, vocabProblem("role", l.Role, roles)...)
	ps = append(ps, vocabProblem("plan", l.Plan, LeadPlans)...)
	if l.Target == 0 && l.Plan != LeadResolved {
		ps = append(ps, Problem{"target", "is required: the date by which the matter is to be resolved"})
	}
	return ps
}

// MatterHistory is what riskmon knows of a matter's cases that counts for
// the long-unresolved rule, counting only cases received after the matter
// was last resolved: the cases received in the last 12 months, the latest
// case and the latest re-review decision (复查复核) of a case of it, and its
// cases open since before BacklogDays.
type MatterHistory struct {
	Code, Name, Unit, Category string
	Marked                     bool // marked long-unresolved by the bureau
	CasesYear                  int
	LastReceived               time.Time // zero: none
	LastReReviewed             time.Time // zero: none
	OldOpen                    int
	Lead                       Lead
}

// LongUnresolved reports whether the matter is long-unresolved: marked so,
// petitioned at least BacklogRepeats times in 12 months, petitioned again
// after a re-review decision (the procedure is over, the problem is not),
// or with a case open longer than BacklogDays; and not resolved since.
func (r MatterRules) LongUnresolved(h MatterHistory) bool {
	if h.Marked {
		return true
	}
	again := !h.LastReReviewed.IsZero() && h.LastReceived.After(h.LastReReviewed)
	return h.CasesYear >= r.BacklogRepeats || again || h.OldOpen > 0
}

// CountyLed reports whether the matter's lead is a county-level leader
// (one of countyRoles).
func (h MatterHistory) CountyLed(countyRoles []string) bool {
	return Contains(countyRoles, h.Lead.Role)
}

// PastTarget reports whether the lead's target date has passed at now.
func (h MatterHistory) PastTarget(now time.Time, loc *time.Location) bool {
	return h.Lead.Target != 0 && !now.Before(h.Lead.Target.End(loc))
}

// BacklogSince is the start of the 12 months the repeat count of the rule
// covers, at now.
func BacklogSince(now time.Time) time.Time { return now.AddDate(-1, 0, 0) }
