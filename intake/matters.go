package intake

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"riskmon/petition"
	"riskmon/store"
)

// MatterRequest is the body of PUT /api/v1/matters/{code}: the matter as
// the bureau names it (e.g. 城东棚户区改造项目), the unit that answers for it
// and its category. It has no field for a person: a body naming one is
// refused whole as an unknown field, and a name that looks like an ID or
// phone number is refused (petition.NameProblems).
type MatterRequest struct {
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	Category string `json:"category"`
	// MarkedBacklog: the bureau marks the matter long-unresolved (积案)
	// whatever its cases say
	MarkedBacklog bool `json:"marked_backlog,omitempty"`
}

// LeadRequest is the body of PUT /api/v1/matters/{code}/lead: the leader
// who owns the matter (包案) by role, never by name, the date by which it is
// to be resolved (2006-01-02, local) and the plan's state; resolved (化解)
// closes the matter.
type LeadRequest struct {
	Role   string `json:"role"`
	Target string `json:"target,omitempty"`
	Plan   string `json:"plan"`
}

func (a *API) putMatter(c echo.Context) error {
	var req MatterRequest
	if e := decode(c.Response(), c.Request(), &req); e != nil {
		return a.refuse(c, e)
	}
	m := store.Matter{Code: c.Param("code"), Name: strings.TrimSpace(req.Name), Unit: req.Unit, Category: req.Category,
		MarkedBacklog: req.MarkedBacklog}
	ds := withRuleProblems(nil, petition.MatterCodeProblem("code", m.Code), nil)
	ds = checkName(req.Name, ds)
	ds = withRuleProblems(ds, petition.CodeProblem("unit", m.Unit), nil)
	ds = withRuleProblems(ds, petition.CodeProblem("category", m.Category), nil)
	if len(ds) > 0 {
		return a.refuse(c, invalid(ds))
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	if err := a.Store.PutMatterWithin(ctx, m, a.Config().MaxMatters); err != nil {
		return a.fail(c, err)
	}
	return a.respondMatter(ctx, c, m.Code)
}

// respondMatter answers with the matter as stored, its lead included.
func (a *API) respondMatter(ctx context.Context, c echo.Context, code string) error {
	m, err := a.Store.MatterByCode(ctx, code)
	if err != nil {
		return a.fail(c, err)
	}
	return c.JSON(http.StatusOK, a.matterJSON(m))
}

func (a *API) putLead(c echo.Context) error {
	var req LeadRequest
	if e := decode(c.Response(), c.Request(), &req); e != nil {
		return a.refuse(c, e)
	}
	var ds details
	cfg := a.Config()
	l := petition.Lead{Role: req.Role, Plan: req.Plan, Target: parseDay("target", req.Target, ds.add)}
	if len(ds) == 0 {
		ds = withRuleProblems(ds, l.LeadProblems(cfg.Disputes.LeaderRoles), nil)
	}
	if len(ds) > 0 {
		return a.refuse(c, invalid(ds))
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	code := c.Param("code")
	if err := a.Store.PutLead(ctx, code, l, a.Now()); err != nil {
		return a.fail(c, err)
	}
	return a.respondMatter(ctx, c, code)
}

func (a *API) listMatters(c echo.Context) error {
	return respondList(a, c, a.Store.Matters, a.matterJSON)
}

// MatterResponse is a registered matter as the API returns it, with its
// lead when one is recorded.
type MatterResponse struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	Unit          string `json:"unit"`
	Category      string `json:"category"`
	MarkedBacklog bool   `json:"marked_backlog"`
	LeadRole      string `json:"lead_role,omitempty"`
	LeadTarget    string `json:"lead_target,omitempty"`
	LeadPlan      string `json:"lead_plan,omitempty"`
	ResolvedAt    string `json:"resolved_at,omitempty"`
}

func (a *API) matterJSON(m store.Matter) MatterResponse {
	out := MatterResponse{Code: m.Code, Name: m.Name, Unit: m.Unit, Category: m.Category, MarkedBacklog: m.MarkedBacklog,
		LeadRole: m.Lead.Role, LeadTarget: dayString(m.Lead.Target), LeadPlan: m.Lead.Plan}
	if !m.Lead.ResolvedAt.IsZero() {
		out.ResolvedAt = m.Lead.ResolvedAt.In(a.Config().Rules.Location).Format(time.RFC3339)
	}
	return out
}
