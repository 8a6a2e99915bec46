package intake

import (
	"time"

	"riskmon/access"
	"riskmon/petition"
	"riskmon/store"
)

// CaseResponse is a case as the API returns it. It never carries the
// petitioner, in clear or hashed.
type CaseResponse struct {
	CaseNo       string          `json:"case_no"`
	ReceivedAt   string          `json:"received_at"`
	Channel      string          `json:"channel"`
	Category     string          `json:"category"`
	Unit         string          `json:"unit"`
	ReceivedUnit string          `json:"received_unit"`
	Persons      int             `json:"persons"`
	Level        string          `json:"level"`
	RepeatOf     string          `json:"repeat_of,omitempty"`
	Supervised   bool            `json:"supervised"`
	Supervision  string          `json:"supervision,omitempty"` // the highest level supervising it
	Routing      bool            `json:"routing,omitempty"`     // registered by the petition bureau to be passed on
	Collective   bool            `json:"collective"`
	SkipLevel    bool            `json:"skip_level"`
	Repeat       *bool           `json:"repeat,omitempty"`           // to bureau credentials only: it tells whether the petitioner came before
	MatterType   string          `json:"matter_type"`                // claim, suggestion or accusation (art. 28)
	Matter       string          `json:"matter,omitempty"`           // the registered matter it raises now
	Major        bool            `json:"major"`                      // a major matter, reported upward at once (art. 25)
	AssignedDue  string          `json:"assigned_due,omitempty"`     // an assignment's date for the completion report, while open (art. 22(三))
	ReportedTo   []string        `json:"reported_to,omitempty"`      // whom it was reported to
	ReportDue    string          `json:"major_report_due,omitempty"` // while the county leadership has no report: when it is late
	Status       string          `json:"status"`
	Stage        string          `json:"stage,omitempty"`
	Deadline     string          `json:"deadline,omitempty"`    // 24:00 of the last day, written 00:00 of the next
	RolledFrom   string          `json:"rolled_from,omitempty"` // the deadline before a rest day moved it (Civil Code art. 203)
	Extended     bool            `json:"extended"`
	Overdue      bool            `json:"overdue"`
	DueSoon      bool            `json:"due_soon"`
	Events       []EventResponse `json:"events"`
}

// EventResponse is one event of a case.
type EventResponse struct {
	Seq            int    `json:"seq"`
	Type           string `json:"type"`
	At             string `json:"at"`
	Unit           string `json:"unit"`
	Days           int    `json:"days,omitempty"`
	Result         string `json:"result,omitempty"`
	NewUnit        string `json:"new_unit,omitempty"`
	Level          string `json:"level,omitempty"`
	CompletedStage string `json:"completed_stage,omitempty"`
	Late           bool   `json:"late,omitempty"`
	To             string `json:"to,omitempty"`
	Procedure      string `json:"procedure,omitempty"`
	Due            string `json:"due,omitempty"`
	Matter         string `json:"matter,omitempty"`
	// LateRequest: a review or re-review request that the record shows
	// outside the window, recorded all the same (arts. 35-36)
	LateRequest bool `json:"late_request,omitempty"`
	// LateReport: a major matter reported upward after the limit (art. 25)
	LateReport bool `json:"late_report,omitempty"`
	// RecordedBy: the credential whose API write recorded it (none for an
	// import's or one recorded before riskmon kept it)
	RecordedBy string `json:"recorded_by,omitempty"`
}

// caseResponseFor is the case as cr may see it: whether the case is a
// repeat says whether its petitioner came before, which a credential that
// is not the bureau's could ask of any identity by sending cases; only
// the bureau sees it.
func caseResponseFor(cr access.Credential, v store.CaseView, now time.Time, r petition.Rules) CaseResponse {
	out := caseResponse(v, now, r)
	if !cr.Bureau() {
		out.Repeat = nil
	}
	return out
}

func caseResponse(v store.CaseView, now time.Time, r petition.Rules) CaseResponse {
	local := func(t time.Time) string { return t.In(r.Location).Format(time.RFC3339) }
	out := CaseResponse{
		CaseNo: v.CaseNo, ReceivedAt: local(v.ReceivedAt), Channel: v.Channel, Category: v.Category,
		Unit: v.State.Unit, ReceivedUnit: v.ReceivedUnit, Persons: v.Persons, Level: v.Level, RepeatOf: v.RepeatOf,
		Supervised: v.Supervised, Supervision: v.State.Supervision, Routing: v.Routing, Collective: v.Collective, SkipLevel: v.SkipLevel, Repeat: &v.Repeat,
		Status: v.State.Status, Stage: v.State.Stage(), Extended: v.State.Extended(),
		Overdue: v.State.Overdue(now), DueSoon: v.State.DueSoon(now, r.DueSoon), Events: []EventResponse{},
		Major: v.State.Major, MatterType: petition.MatterOf(v.State.MatterType), Matter: v.State.Matter,
	}
	for _, to := range petition.ReportRecipients {
		if v.State.ReportedTo(to) {
			out.ReportedTo = append(out.ReportedTo, to)
		}
	}
	out.AssignedDue = dayString(v.State.AssignedDue)
	if v.State.MajorUnreported() {
		out.ReportDue = local(r.ReportUpDeadline(v.State.MajorSince))
	}
	if out.Stage != "" {
		out.Deadline = local(v.State.Deadline)
		// Say what moved it only when the rules in force give the stored
		// deadline (a recompute after a change of rules may be under way).
		if end, nominal := r.StageDeadline(v.State); end.Equal(v.State.Deadline) && !nominal.Equal(end) {
			out.RolledFrom = local(nominal)
		}
	}
	for _, e := range v.Events {
		out.Events = append(out.Events, EventResponse{
			Seq: e.Seq, Type: e.Event.Type, At: local(e.Event.At), Unit: e.Unit, Days: e.Event.Days,
			Result: e.Event.Result, NewUnit: e.Event.Unit, Level: e.Event.Level, CompletedStage: e.CompletedStage,
			To: e.Event.To, Procedure: e.Event.Procedure, Due: dayString(e.Event.Due), Matter: e.Event.Matter, Late: e.Late && e.CompletedStage != "", LateRequest: e.Late && petition.RequestedStage(e.Event.Type) != "",
			LateReport: e.Late && e.Event.Type == petition.EventReportedUp, RecordedBy: e.RecordedBy,
		})
	}
	return out
}
