package intake

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"riskmon/calendar"
	"riskmon/petition"
)

// The worklist's pages of open cases: WorklistPerPage by default, at most
// WorklistMaxPerPage, so that one request reads a bounded number of rows.
const (
	WorklistPerPage    = 50
	WorklistMaxPerPage = 200
)

// WorklistResponse is GET /api/v1/units/{code}/worklist: the unit's open
// cases, most urgent first, a page at a time; all its open disputes, most
// urgent first; its long-unresolved matters with their leads. No person.
type WorklistResponse struct {
	Unit       string         `json:"unit"`
	AsOf       string         `json:"as_of"`
	Page       int            `json:"page"`
	PerPage    int            `json:"per_page"`
	TotalCases int            `json:"total_cases"`
	Cases      []WorkCase     `json:"cases"`
	Disputes   []WorkDispute  `json:"disputes"`
	Matters    []WorkBacklogM `json:"long_unresolved_matters"`
}

// WorkCase is an open case on the worklist.
type WorkCase struct {
	CaseNo      string `json:"case_no"`
	Category    string `json:"category"`
	Status      string `json:"status"`
	Stage       string `json:"stage"`
	Deadline    string `json:"deadline,omitempty"`  // 24:00 of the last day, written 00:00 of the next
	DaysLeft    *int   `json:"days_left,omitempty"` // to the last day: 0 on it, negative when overdue
	Overdue     bool   `json:"overdue"`
	DueSoon     bool   `json:"due_soon"`
	Supervision string `json:"supervision,omitempty"`  // the highest level supervising it (督办)
	AssignedDue string `json:"assigned_due,omitempty"` // the bureau's assignment (交办): its completion report's date
	Major       bool   `json:"major"`
	Unreported  bool   `json:"major_unreported,omitempty"` // a major matter not yet reported to the county leadership
}

// WorkDispute is an open dispute on the worklist.
type WorkDispute struct {
	DisputeNo string   `json:"dispute_no"`
	Category  string   `json:"category"`
	Risk      string   `json:"risk"`
	Missing   []string `json:"missing"`
	ResolveBy string   `json:"resolve_by,omitempty"`
	DaysLeft  *int     `json:"days_to_resolve_by,omitempty"`
	Overdue   bool     `json:"overdue"`
}

// WorkBacklogM is a long-unresolved matter on the worklist, with its lead.
type WorkBacklogM struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	LeadRole   string `json:"lead_role,omitempty"`
	LeadTarget string `json:"lead_target,omitempty"`
	LeadPlan   string `json:"lead_plan,omitempty"`
	CountyLed  bool   `json:"county_led"`
	PastTarget bool   `json:"past_target"`
}

func (a *API) worklist(c echo.Context) error {
	var ds details
	page, perPage := 1, WorklistPerPage
	for _, p := range []struct {
		name     string
		to       *int
		min, max int
	}{{"page", &page, 1, 1_000_000}, {"per_page", &perPage, 1, WorklistMaxPerPage}} {
		if q := c.QueryParam(p.name); q != "" {
			n, err := strconv.Atoi(q)
			if err != nil || n < p.min || n > p.max {
				ds.add(p.name, "must be a whole number from %d to %d", p.min, p.max)
				continue
			}
			*p.to = n
		}
	}
	if len(ds) > 0 {
		return a.refuse(c, invalid(ds))
	}
	out, e := a.Worklist(c, c.Param("code"), page, perPage)
	if e != nil {
		return a.refuse(c, e)
	}
	return c.JSON(http.StatusOK, out)
}

// Worklist is unit's worklist, the cases' page page of perPage, as the
// request's credential may read it: the API's route and the portal's page.
func (a *API) Worklist(c echo.Context, unit string, page, perPage int) (WorklistResponse, *Error) {
	if err := credentialOf(c).MayRead(unit); err != nil {
		return WorklistResponse{}, &Error{Status: http.StatusForbidden, Message: err.Error()}
	}
	cfg, now := a.Config(), a.Now()
	loc := cfg.Rules.Location
	ctx, cancel := a.ctx(c)
	defer cancel()
	w, err := a.Store.UnitWorklist(ctx, unit, now, cfg.Matters.BacklogDays, perPage, (page-1)*perPage)
	if err != nil {
		return WorklistResponse{}, a.errorOf(c, err)
	}
	out := WorklistResponse{Unit: unit, AsOf: now.In(loc).Format(time.RFC3339), Page: page, PerPage: perPage,
		TotalCases: w.TotalCases, Cases: []WorkCase{}, Disputes: []WorkDispute{}, Matters: []WorkBacklogM{}}
	today := calendar.DayOf(now, loc)
	for _, wc := range w.Cases {
		st := wc.State
		line := WorkCase{CaseNo: wc.CaseNo, Category: wc.Category, Status: st.Status, Stage: st.Stage(),
			Overdue: st.Overdue(now), DueSoon: st.DueSoon(now, cfg.Rules.DueSoon), Supervision: st.Supervision,
			AssignedDue: dayString(st.AssignedDue), Major: st.Major, Unreported: st.MajorUnreported()}
		if !st.Deadline.IsZero() {
			line.Deadline = st.Deadline.In(loc).Format(time.RFC3339)
			// the deadline is 24:00 of the last day: the day before it
			days := int(calendar.DayOf(st.Deadline.Add(-time.Nanosecond), loc) - today)
			line.DaysLeft = &days
		}
		out.Cases = append(out.Cases, line)
	}
	for _, d := range w.Disputes {
		line := WorkDispute{DisputeNo: d.No, Category: d.Category, Risk: d.State.Risk, ResolveBy: dayString(d.State.ResolveBy)}
		line.Missing, line.DaysLeft, line.Overdue = disputeStanding(d.State, now, cfg)
		out.Disputes = append(out.Disputes, line)
	}
	// overdue first, then the highest risk, then what misses most
	risk := func(r string) int { return slices.Index(petition.DisputeRisks, r) }
	slices.SortStableFunc(out.Disputes, func(x, y WorkDispute) int {
		return cmp.Or(-cmp.Compare(b2i(x.Overdue), b2i(y.Overdue)), cmp.Compare(risk(x.Risk), risk(y.Risk)),
			-cmp.Compare(len(x.Missing), len(y.Missing)), cmp.Compare(x.DisputeNo, y.DisputeNo))
	})
	for _, h := range w.Matters {
		if !cfg.Matters.LongUnresolved(h) {
			continue
		}
		out.Matters = append(out.Matters, WorkBacklogM{Code: h.Code, Name: h.Name, LeadRole: h.Lead.Role,
			LeadTarget: dayString(h.Lead.Target), LeadPlan: h.Lead.Plan, CountyLed: h.CountyLed(cfg.Disputes.CountyLeaderRoles),
			PastTarget: h.PastTarget(now, loc)})
	}
	// past the target first, then without a county-level lead
	slices.SortStableFunc(out.Matters, func(x, y WorkBacklogM) int {
		return cmp.Or(-cmp.Compare(b2i(x.PastTarget), b2i(y.PastTarget)), cmp.Compare(b2i(x.CountyLed), b2i(y.CountyLed)),
			cmp.Compare(x.Code, y.Code))
	})
	return out, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
