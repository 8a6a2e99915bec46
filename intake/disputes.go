package intake

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"riskmon/calendar"
	"riskmon/config"
	"riskmon/petition"
	"riskmon/store"
)

// ReportsShown is how many days of a unit's reports GET lists unless asked
// for more (since): the unit dashboard's month.
const ReportsShown = 30

// DisputeResponse is a dispute as the API returns it: as found, where it
// stands, what of the four haves it misses, and its events.
type DisputeResponse struct {
	DisputeNo       string                 `json:"dispute_no"`
	FoundAt         string                 `json:"found_at"`
	Unit            string                 `json:"unit"`
	Category        string                 `json:"category"`
	FoundRisk       string                 `json:"found_risk"`
	PersonsEstimate int                    `json:"persons_estimate"`
	Source          string                 `json:"source"`
	Matter          string                 `json:"matter,omitempty"`    // the registered matter it is part of
	Potential       string                 `json:"potential,omitempty"` // what it could become
	Status          string                 `json:"status"`
	Risk            string                 `json:"risk"`
	LeaderRole      string                 `json:"leader_role,omitempty"`
	HandlerAssigned bool                   `json:"handler_assigned"`
	ResolveBy       string                 `json:"resolve_by,omitempty"`
	DaysToResolveBy *int                   `json:"days_to_resolve_by,omitempty"` // open ones: 0 on the last day, negative when overdue
	Overdue         bool                   `json:"overdue"`
	Missing         []string               `json:"missing"` // of the four haves, open ones only
	LastInspectedAt string                 `json:"last_inspected_at,omitempty"`
	CaseNo          string                 `json:"case_no,omitempty"`     // the petition it escalated into
	RecordedBy      string                 `json:"recorded_by,omitempty"` // the credential whose API write registered it
	Events          []DisputeEventResponse `json:"events"`
}

// DisputeEventResponse is one event of a dispute.
type DisputeEventResponse struct {
	Seq             int    `json:"seq"`
	Type            string `json:"type"`
	At              string `json:"at"`
	LeaderRole      string `json:"leader_role,omitempty"`
	HandlerAssigned bool   `json:"handler_assigned,omitempty"`
	ResolveBy       string `json:"resolve_by,omitempty"`
	Reason          string `json:"reason,omitempty"` // why resolve_by moved later
	Risk            string `json:"risk,omitempty"`
	CaseNo          string `json:"case_no,omitempty"`
	Late            bool   `json:"late,omitempty"`        // after the last day of the time limit then in force
	RecordedBy      string `json:"recorded_by,omitempty"` // the credential whose API write recorded it
}

// ReportResponse is a unit's daily report.
type ReportResponse struct {
	Unit          string `json:"unit"`
	Date          string `json:"date"`
	DisputesFound int    `json:"disputes_found"`
	Remark        string `json:"remark,omitempty"`
	ReportedAt    string `json:"reported_at"`
}

func dayString(d calendar.Day) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// disputeStanding is where a dispute stands at now: which of the four haves
// it misses (never nil), the days left to its time limit (open ones with
// one: 0 on the last day, negative when overdue) and whether it is overdue.
func disputeStanding(st petition.DisputeState, now time.Time, cfg *config.Config) (missing []string, daysLeft *int, overdue bool) {
	loc := cfg.Rules.Location
	missing = st.Missing(now, cfg.Disputes.InspectEvery(cfg.InSensitivePeriod(now)), cfg.Disputes.CountyLeaderRoles)
	if missing == nil {
		missing = []string{}
	}
	if st.Status == petition.DisputeOpen && st.ResolveBy != 0 {
		days := int(st.ResolveBy - calendar.DayOf(now, loc))
		daysLeft = &days
	}
	return missing, daysLeft, st.Overdue(now, loc)
}

func disputeResponse(v store.DisputeView, now time.Time, cfg *config.Config) DisputeResponse {
	loc := cfg.Rules.Location
	local := func(t time.Time) string { return t.In(loc).Format(time.RFC3339) }
	f, st := v.Found, v.State
	out := DisputeResponse{
		DisputeNo: f.No, FoundAt: local(f.FoundAt), Unit: f.Unit, Category: f.Category, FoundRisk: f.Risk,
		PersonsEstimate: f.PersonsEstimate, Source: f.Source, Matter: f.Matter, Potential: f.Potential, Status: st.Status, Risk: st.Risk, LeaderRole: st.LeaderRole,
		HandlerAssigned: st.HandlerAssigned, ResolveBy: dayString(st.ResolveBy), CaseNo: st.CaseNo, RecordedBy: v.RecordedBy,
		Events: []DisputeEventResponse{},
	}
	out.Missing, out.DaysToResolveBy, out.Overdue = disputeStanding(st, now, cfg)
	if !st.LastInspectedAt.IsZero() {
		out.LastInspectedAt = local(st.LastInspectedAt)
	}
	for _, e := range v.Events {
		ev := e.Event
		out.Events = append(out.Events, DisputeEventResponse{Seq: e.Seq, Type: ev.Type, At: local(ev.At),
			LeaderRole: ev.LeaderRole, HandlerAssigned: ev.HandlerAssigned, ResolveBy: dayString(ev.ResolveBy),
			Reason: ev.Reason, Risk: ev.Risk, CaseNo: ev.CaseNo, Late: e.Late, RecordedBy: e.RecordedBy})
	}
	return out
}

func reportResponse(r store.StoredReport, loc *time.Location) ReportResponse {
	return ReportResponse{Unit: r.Unit, Date: r.Day.String(), DisputesFound: r.DisputesFound, Remark: r.Remark,
		ReportedAt: r.ReportedAt.In(loc).Format(time.RFC3339)}
}

func (a *API) createDispute(c echo.Context) error {
	var req DisputeRequest
	if e := decode(c.Response(), c.Request(), &req); e != nil {
		return a.refuse(c, e)
	}
	out, created, e := a.CreateDispute(c, req)
	if e != nil {
		return a.refuse(c, e)
	}
	return c.JSON(createdOrOK(created), out)
}

// CreateDispute registers the dispute of req as the request's credential
// sends it, and says whether it is new: the API's route and the portal's
// form, one validation and one set of messages.
func (a *API) CreateDispute(c echo.Context, req DisputeRequest) (DisputeResponse, bool, *Error) {
	cfg := a.Config()
	d, ds := req.Validate(windowOf(a.Now(), cfg.Rules), cfg.Disputes.LeaderRoles)
	if len(ds) > 0 {
		return DisputeResponse{}, false, invalid(ds)
	}
	if err := credentialOf(c).MayWrite(d.Unit); err != nil {
		return DisputeResponse{}, false, &Error{Status: http.StatusForbidden, Message: err.Error()}
	}
	auditObject(c, d.No)
	ctx, cancel := a.ctx(c)
	defer cancel()
	v, created, err := a.Store.CreateDispute(ctx, cfg.Disputes.LeaderRoles, d)
	if err != nil {
		return DisputeResponse{}, false, a.errorOf(c, err)
	}
	return disputeResponse(v, a.Now(), cfg), created, nil
}

func (a *API) addDisputeEvent(c echo.Context) error {
	var req DisputeEventRequest
	if e := decode(c.Response(), c.Request(), &req); e != nil {
		return a.refuse(c, e)
	}
	out, added, e := a.AddDisputeEvent(c, c.Param("dispute_no"), req)
	if e != nil {
		return a.refuse(c, e)
	}
	return c.JSON(createdOrOK(added), out)
}

// AddDisputeEvent records the event of req on dispute no as the request's
// credential sends it (its scope judged on the dispute's unit, in the
// write's transaction), and says whether it was added.
func (a *API) AddDisputeEvent(c echo.Context, no string, req DisputeEventRequest) (DisputeResponse, bool, *Error) {
	cfg := a.Config()
	ev, ds := req.Validate(windowOf(a.Now(), cfg.Rules), cfg.Disputes.LeaderRoles)
	if len(ds) > 0 {
		return DisputeResponse{}, false, invalid(ds)
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	v, added, err := a.Store.AddDisputeEventAs(ctx, cfg.Rules, cfg.Disputes.LeaderRoles, no, ev, credentialOf(c).MayWrite)
	if err != nil {
		return DisputeResponse{}, false, a.errorOf(c, err)
	}
	return disputeResponse(v, a.Now(), cfg), added, nil
}

func (a *API) getDispute(c echo.Context) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	v, err := a.Store.Dispute(ctx, c.Param("dispute_no"))
	if err != nil {
		return a.fail(c, err)
	}
	if err := credentialOf(c).MayRead(v.Found.Unit); err != nil {
		return a.outOfScope(c, err)
	}
	return c.JSON(http.StatusOK, disputeResponse(v, a.Now(), a.Config()))
}

func (a *API) putReport(c echo.Context) error {
	var req ReportRequest
	if e := decode(c.Response(), c.Request(), &req); e != nil {
		return a.refuse(c, e)
	}
	out, e := a.PutReport(c, c.Param("code"), c.Param("date"), req)
	if e != nil {
		return a.refuse(c, e)
	}
	return c.JSON(http.StatusOK, out)
}

// PutReport stores the daily report of unit for date (a local date) as the
// request's credential (SetCredential) sends it: the API's route and the
// portal's form, one validation and one set of messages. A refusal is the
// Error to show, with its details by field.
func (a *API) PutReport(c echo.Context, unit, date string, req ReportRequest) (ReportResponse, *Error) {
	if err := credentialOf(c).MayWrite(unit); err != nil {
		return ReportResponse{}, &Error{Status: http.StatusForbidden, Message: err.Error()}
	}
	cfg := a.Config()
	now := a.Now()
	rep, ds := req.Validate(unit, date, now, cfg.Rules.Location)
	if len(ds) > 0 {
		return ReportResponse{}, invalid(ds)
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	if err := a.Store.PutReport(ctx, rep, now); err != nil {
		return ReportResponse{}, a.errorOf(c, err)
	}
	return reportResponse(store.StoredReport{UnitReport: rep, ReportedAt: now.Truncate(time.Second)}, cfg.Rules.Location), nil
}

// Reports are unit's daily reports since the local day since, latest first,
// as the request's credential may read them.
func (a *API) Reports(c echo.Context, unit string, since calendar.Day) ([]ReportResponse, *Error) {
	if err := credentialOf(c).MayRead(unit); err != nil {
		return nil, &Error{Status: http.StatusForbidden, Message: err.Error()}
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	reports, err := a.Store.Reports(ctx, unit, since)
	if err != nil {
		return nil, a.errorOf(c, err)
	}
	loc := a.Config().Rules.Location
	out := make([]ReportResponse, 0, len(reports))
	for _, r := range reports {
		out = append(out, reportResponse(r, loc))
	}
	return out, nil
}

// listReports answers a unit's reports, latest first, of the last
// ReportsShown days or since the date given.
// ScreeningRequest is the body of PUT /api/v1/units/{code}/screenings/{month}:
// the disputes the monthly screening (一月一排查) found, by risk; a risk left
// out is 0, and an empty object is a screening that found nothing.
type ScreeningRequest struct {
	Found map[string]int `json:"found"`
}

func (a *API) putScreening(c echo.Context) error {
	var req ScreeningRequest
	if e := decode(c.Response(), c.Request(), &req); e != nil {
		return a.refuse(c, e)
	}
	cfg, now := a.Config(), a.Now()
	var ds details
	sc := petition.Screening{Unit: c.Param("code"), Found: req.Found}
	m, err := petition.ParseMonth(c.Param("month"))
	if err != nil {
		ds.add("month", "%s", err.Error())
	}
	sc.Month = m
	if len(ds) == 0 {
		ds = withRuleProblems(ds, sc.Problems(now, cfg.Rules.Location), nil)
	}
	if len(ds) > 0 {
		return a.refuse(c, invalid(ds))
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	if err := a.Store.PutScreening(ctx, sc, now); err != nil {
		return a.fail(c, err)
	}
	found := map[string]int{}
	for _, risk := range petition.DisputeRisks {
		found[risk] = req.Found[risk]
	}
	return c.JSON(http.StatusOK, map[string]any{"unit": sc.Unit, "month": sc.Month.String(), "found": found})
}

func (a *API) listReports(c echo.Context) error {
	cfg := a.Config()
	loc := cfg.Rules.Location
	since := calendar.DayOf(a.Now(), loc) - (ReportsShown - 1)
	if q := c.QueryParam("since"); q != "" {
		var ds details
		since = parseDay("since", q, ds.add)
		if len(ds) > 0 {
			return a.refuse(c, invalid(ds))
		}
	}
	out, e := a.Reports(c, c.Param("code"), since)
	if e != nil {
		return a.refuse(c, e)
	}
	return c.JSON(http.StatusOK, out)
}
