package intake

import (
	"net/http"
	"strings"

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
}

func (a *API) putMatter(c echo.Context) error {
	var req MatterRequest
	if e := decode(c.Response(), c.Request(), &req); e != nil {
		return a.refuse(c, e)
	}
	m := store.Matter{Code: c.Param("code"), Name: strings.TrimSpace(req.Name), Unit: req.Unit, Category: req.Category}
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
	return c.JSON(http.StatusOK, matterJSON(m))
}

func (a *API) listMatters(c echo.Context) error {
	return respondList(a, c, a.Store.Matters, matterJSON)
}

func matterJSON(m store.Matter) map[string]string {
	return map[string]string{"code": m.Code, "name": m.Name, "unit": m.Unit, "category": m.Category}
}
