package intake

import (
	"time"

	"riskmon/calendar"
	"riskmon/petition"
)

// DisputeRequest is a dispute as a unit registers it. It has no field for a
// person: a body naming one (name, id_number, phone, …) is refused whole as
// an unknown field.
type DisputeRequest struct {
	DisputeNo       string `json:"dispute_no"`
	FoundAt         string `json:"found_at"`
	Unit            string `json:"unit"`
	Category        string `json:"category"`
	Risk            string `json:"risk"`
	PersonsEstimate *int   `json:"persons_estimate"`
	LeaderRole      string `json:"leader_role,omitempty"`
	HandlerAssigned bool   `json:"handler_assigned,omitempty"`
	ResolveBy       string `json:"resolve_by,omitempty"`
	Source          string `json:"source"`
	Matter          string `json:"matter,omitempty"`    // the registered matter it is part of
	Potential       string `json:"potential,omitempty"` // what it could become: collective, skip_level, extreme_act, online_outcry, other
}

// DisputeEventRequest is one step of a dispute.
type DisputeEventRequest struct {
	Type            string `json:"type"`
	At              string `json:"at"`
	LeaderRole      string `json:"leader_role,omitempty"`
	HandlerAssigned bool   `json:"handler_assigned,omitempty"`
	ResolveBy       string `json:"resolve_by,omitempty"`
	Reason          string `json:"reason,omitempty"` // with a resolve_by later than the one in force: court, negotiation, funds, other
	Risk            string `json:"risk,omitempty"`
	CaseNo          string `json:"case_no,omitempty"`
}

// ReportRequest is the body of a unit's daily report; the unit and the date
// are in the path.
type ReportRequest struct {
	DisputesFound *int   `json:"disputes_found"`
	Remark        string `json:"remark,omitempty"`
}

// Validate checks every field and returns the dispute to store, or every
// problem found. The dispute's rules are petition.Dispute's.
func (r DisputeRequest) Validate(w Window, roles []string) (petition.Dispute, []Detail) {
	var ds details
	bad := ds.add
	found, _ := parseTime("found_at", r.FoundAt, w, bad)
	persons := 0 // reported below when missing, not again by the dispute's rules
	if r.PersonsEstimate == nil {
		bad("persons_estimate", "is required (0 when nobody is expected to act)")
	} else {
		persons = *r.PersonsEstimate
	}
	d := petition.Dispute{No: r.DisputeNo, FoundAt: found, Unit: r.Unit, Category: r.Category, Risk: r.Risk,
		PersonsEstimate: persons, LeaderRole: r.LeaderRole, HandlerAssigned: r.HandlerAssigned,
		ResolveBy: parseDay("resolve_by", r.ResolveBy, bad), Source: r.Source, Matter: r.Matter, Potential: r.Potential}
	ds = withRuleProblems(ds, d.Problems(roles), nil)
	if len(ds) > 0 {
		return petition.Dispute{}, ds
	}
	return d, nil
}

// Validate checks the event's fields against its type; the rules are
// petition.DisputeEvent's.
func (r DisputeEventRequest) Validate(w Window, roles []string) (petition.DisputeEvent, []Detail) {
	var ds details
	bad := ds.add
	at, _ := parseTime("at", r.At, w, bad)
	e := petition.DisputeEvent{Type: r.Type, At: at, LeaderRole: r.LeaderRole, HandlerAssigned: r.HandlerAssigned,
		ResolveBy: parseDay("resolve_by", r.ResolveBy, bad), Reason: r.Reason, Risk: r.Risk, CaseNo: r.CaseNo}
	ds = withRuleProblems(ds, e.Problems(roles), nil)
	if len(ds) > 0 {
		return petition.DisputeEvent{}, ds
	}
	return e, nil
}

// Validate checks a report of unit for the local date day (as in the path)
// at now.
func (r ReportRequest) Validate(unit, day string, now time.Time, loc *time.Location) (petition.UnitReport, []Detail) {
	var ds details
	bad := ds.add
	rep := petition.UnitReport{Unit: unit, Day: parseDay("date", day, bad)}
	if r.DisputesFound == nil {
		bad("disputes_found", "is required (0 is a report: nothing found)")
	} else {
		rep.DisputesFound = *r.DisputesFound
	}
	rep.Remark = r.Remark
	ds = withRuleProblems(ds, rep.Problems(now, loc), nil)
	if len(ds) > 0 {
		return petition.UnitReport{}, ds
	}
	return rep, nil
}

// parseDay reads an optional local date (2006-01-02); empty is none (0).
func parseDay(field, s string, bad func(string, string, ...any)) calendar.Day {
	if s == "" {
		return 0
	}
	t, err := time.ParseInLocation(time.DateOnly, s, time.UTC)
	if err != nil {
		bad(field, "%q is not a date (2006-01-02)", s)
		return 0
	}
	return calendar.DayOf(t, time.UTC)
}
