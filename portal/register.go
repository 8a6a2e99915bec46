package portal

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"riskmon/intake"
	"riskmon/store"
)

// worklistPage is a unit's open cases (case numbers and dates only, never
// a person), its long-unresolved matters; registerPage its open disputes
// and the form to register one.
type worklistPage struct {
	page
	Unit store.Unit
	W    intake.WorklistResponse
}

func (p *Portal) worklist(c echo.Context) error {
	u, ok, err := p.unitOf(c)
	if !ok {
		return err
	}
	w, e := p.API.Worklist(c, u.Code, 1, intake.WorklistMaxPerPage)
	if e != nil {
		return p.render(c, e.Status, "forbidden", page{T: lang(c), CSRF: sessionOf(c).csrf})
	}
	return p.render(c, http.StatusOK, "worklist", worklistPage{page{T: lang(c), CSRF: sessionOf(c).csrf}, u, w})
}

type step struct{ Type, Label string }

type registerPage struct {
	worklistPage
	Saved      bool
	Categories []store.Category
	Roles      []string
	Steps      []step
	Problems   map[string]string
	Form       struct {
		No, Category, Risk, Persons, Source, Leader, ResolveBy string
		Handler                                                bool
	}
}

func (p *Portal) register(c echo.Context) error {
	return p.showRegister(c, http.StatusOK, nil, c.QueryParam("saved") != "")
}

func (p *Portal) showRegister(c echo.Context, status int, e *intake.Error, saved bool) error {
	u, ok, err := p.unitOf(c)
	if !ok {
		return err
	}
	t := lang(c)
	w, we := p.API.Worklist(c, u.Code, 1, 1)
	if we != nil {
		return p.render(c, we.Status, "forbidden", page{T: t, CSRF: sessionOf(c).csrf})
	}
	cats, err := p.API.Store.Categories(c.Request().Context())
	if err != nil {
		return err
	}
	d := registerPage{worklistPage: worklistPage{page{T: t, CSRF: sessionOf(c).csrf}, u, w}, Saved: saved, Categories: cats,
		Roles: p.API.Config().Disputes.LeaderRoles,
		Steps: []step{{"inspected", t.Inspected}, {"resolved", t.Resolved}}}
	d.Form.Risk, d.Form.Source = "medium", "screening"
	if e != nil {
		d.Error, d.Problems = refusal(t, e)
		f := &d.Form
		f.No, f.Category, f.Risk, f.Persons = c.FormValue("dispute_no"), c.FormValue("category"), c.FormValue("risk"), c.FormValue("persons_estimate")
		f.Source, f.Leader, f.ResolveBy, f.Handler = c.FormValue("source"), c.FormValue("leader_role"), c.FormValue("resolve_by"), c.FormValue("handler_assigned") != ""
	}
	return p.render(c, status, "register", d)
}

// registerDispute registers a dispute found now through the API's own
// function: the same checks and messages, next to the fields.
func (p *Portal) registerDispute(c echo.Context) error {
	code := c.Param("code")
	req := intake.DisputeRequest{DisputeNo: strings.TrimSpace(c.FormValue("dispute_no")),
		FoundAt: p.API.Now().Format(time.RFC3339), Unit: code, Category: c.FormValue("category"), Risk: c.FormValue("risk"),
		LeaderRole: c.FormValue("leader_role"), HandlerAssigned: c.FormValue("handler_assigned") != "",
		ResolveBy: c.FormValue("resolve_by"), Source: c.FormValue("source")}
	persons, e := wholeNumber(c, "persons_estimate")
	if e != nil {
		return p.showRegister(c, e.Status, e, false)
	}
	req.PersonsEstimate = persons
	if _, _, e := p.API.CreateDispute(c, req); e != nil {
		return p.showRegister(c, e.Status, e, false)
	}
	return c.Redirect(http.StatusSeeOther, "/portal/units/"+code+"/register?saved=1")
}

// disputeStep records a step of a dispute of the unit (inspected,
// resolved) at now.
func (p *Portal) disputeStep(c echo.Context) error {
	code := c.Param("code")
	typ := c.FormValue("type")
	if typ != "inspected" && typ != "resolved" {
		return p.showRegister(c, http.StatusUnprocessableEntity, &intake.Error{Status: http.StatusUnprocessableEntity, Message: "invalid values"}, false)
	}
	req := intake.DisputeEventRequest{Type: typ, At: p.API.Now().Format(time.RFC3339)}
	if _, _, e := p.API.AddDisputeEvent(c, c.Param("no"), req); e != nil {
		return p.showRegister(c, e.Status, e, false)
	}
	return c.Redirect(http.StatusSeeOther, "/portal/units/"+code+"/register?saved=1")
}
