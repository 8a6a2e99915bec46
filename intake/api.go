package intake

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"riskmon/config"
	"riskmon/petition"
	"riskmon/store"
)

// API serves /api/v1.
type API struct {
	Store  *store.Store
	Config func() *config.Config // the configuration in force (reloadable)
	Now    func() time.Time
	Logger *slog.Logger
	// Ready, if set, says whether the database has been prepared (reached,
	// migrated, the key checked); until then every request gets 503.
	Ready func() bool
	// AuthFailed, if set, hears of each failed authentication: refused
	// (401) or throttled (429).
	AuthFailed func(throttled bool)
	// InFlight, if set, hears of each request taking (+1) or leaving (-1)
	// its slot.
	InFlight func(delta int)
	// Series, if set, says how many series the latest snapshot exports and
	// about how many one more unit or category adds (ok false before the
	// first): the budget max_series is checked against it.
	Series func() (total int, perUnit, perCategory float64, ok bool)

	throttle *authThrottle
	limits   []echo.MiddlewareFunc
}

// retryAfter is the Retry-After of a 503, in seconds: a database that is
// back within seconds takes the retry, and twenty clients retrying do not
// hammer one that is not.
const retryAfter = "5"

// whenReady answers 503 until the database is prepared.
func (a *API) whenReady(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if a.Ready != nil && !a.Ready() {
			return a.unavailable(c, "starting: the database is not reachable yet; retry later")
		}
		return next(c)
	}
}

// unavailable answers 503 with Retry-After.
func (a *API) unavailable(c echo.Context, msg string) error {
	c.Response().Header().Set("Retry-After", retryAfter)
	return a.refuse(c, &Error{Status: http.StatusServiceUnavailable, Message: msg})
}

// Limits are the API's bounds on a credential's requests, in flight and by
// rate, one set for every route that acts as a credential: the portal's
// pages run under the same, so that a session is not a way around them.
// Register makes them.
func (a *API) Limits() []echo.MiddlewareFunc {
	if a.limits == nil {
		panic("intake: Limits before Register")
	}
	return a.limits
}

// Register adds the /api/v1 routes to e.
func (a *API) Register(e *echo.Echo) {
	a.throttle = newAuthThrottle()
	a.limits = []echo.MiddlewareFunc{a.bounded(), a.limited()}
	g := e.Group("/api/v1", append([]echo.MiddlewareFunc{a.whenReady, a.auth}, a.limits...)...)
	g.POST("/cases", a.createCase)
	g.GET("/cases/:case_no", a.getCase)
	g.POST("/cases/:case_no/events", a.addEvent)
	g.GET("/units", a.listUnits)
	g.PUT("/units/:code", a.putUnit, a.bureauOnly)
	g.GET("/categories", a.listCategories)
	g.PUT("/categories/:code", a.putCategory, a.bureauOnly)
	g.GET("/matters", a.listMatters)
	g.PUT("/matters/:code", a.putMatter, a.bureauOnly)
	g.PUT("/matters/:code/lead", a.putLead, a.bureauOnly)
	g.POST("/disputes", a.createDispute)
	g.GET("/disputes/:dispute_no", a.getDispute)
	g.POST("/disputes/:dispute_no/events", a.addDisputeEvent)
	g.PUT("/units/:code/reports/:date", a.putReport, a.writesUnit)
	g.GET("/units/:code/reports", a.listReports, a.readsUnit)
	g.GET("/units/:code/worklist", a.worklist, a.readsUnit)
	g.PUT("/units/:code/screenings/:month", a.putScreening, a.writesUnit)
	g.GET("/audit", a.audit)
}

// refuse writes an Error as JSON. A 5xx carries no detail to the client; its
// cause was logged by fail.
func (a *API) refuse(c echo.Context, e *Error) error {
	switch e.Status {
	case http.StatusUnauthorized:
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="riskmon"`)
	case http.StatusServiceUnavailable: // the request may be sent again as it is
		if c.Response().Header().Get("Retry-After") == "" {
			c.Response().Header().Set("Retry-After", retryAfter)
		}
	}
	return c.JSON(e.Status, e)
}

// fail answers an error from below: a known kind becomes its status, a
// database that is down or too slow 503 with Retry-After (the request may
// be sent again as it is), anything else a 500. The cause of a 5xx is logged
// here, once.
func (a *API) fail(c echo.Context, err error) error {
	return a.refuse(c, a.errorOf(c, err))
}

// errorOf is the answer to an error from below, logged here once when it is
// riskmon's (5xx).
func (a *API) errorOf(c echo.Context, err error) *Error {
	if e := storeError(err); e != nil {
		return e
	}
	if store.Unavailable(err) {
		a.Logger.Error("api request failed: database unavailable", "path", c.Path(), "err", err)
		return &Error{Status: http.StatusServiceUnavailable, Message: "the database is unavailable; retry later"}
	}
	a.Logger.Error("api request failed", "path", c.Path(), "err", err)
	return &Error{Status: http.StatusInternalServerError, Message: "internal error"}
}

// createdOrOK is 201 for a write that changed something, 200 for a retry.
func createdOrOK(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// ctx is the request's context with its timeout and, for a write, the
// audit record the store commits with it: the credential, the route, the
// object (the route's parameters, or what the handler named with
// auditObject) and the time.
func (a *API) ctx(c echo.Context) (context.Context, context.CancelFunc) {
	ctx := c.Request().Context()
	if m := c.Request().Method; m != http.MethodGet && m != http.MethodHead {
		object, _ := c.Get(objectKey).(string)
		if object == "" {
			object = strings.Join(c.ParamValues(), "/")
		}
		ctx = store.WithAudit(ctx, store.Audit{At: a.Now(), Credential: credentialOf(c).Name, Method: m, Route: c.Path(), Object: object})
	}
	return context.WithTimeout(ctx, 10*time.Second)
}

// objectKey is where a create names the object its audit record shows.
const objectKey = "riskmon.object"

// auditObject names the object of a write whose route has no parameter
// naming it (a new case's or dispute's number).
func auditObject(c echo.Context, object string) { c.Set(objectKey, object) }

func (a *API) createCase(c echo.Context) error {
	var req CaseRequest
	if e := decode(c.Response(), c.Request(), &req); e != nil {
		return a.refuse(c, e)
	}
	cfg := a.Config()
	nc, ds := req.Validate(windowOf(a.Now(), cfg.Rules), cfg.PetitionerKey)
	if len(ds) > 0 {
		return a.refuse(c, invalid(ds))
	}
	cr := credentialOf(c)
	if err := cr.MayWrite(nc.Unit); err != nil {
		return a.outOfScope(c, err)
	}
	auditObject(c, nc.CaseNo)
	ctx, cancel := a.ctx(c)
	defer cancel()
	v, created, err := a.Store.CreateCase(ctx, cfg.Rules, nc)
	if err != nil {
		return a.fail(c, err)
	}
	return c.JSON(createdOrOK(created), caseResponseFor(cr, v, a.Now(), cfg.Rules))
}

func (a *API) addEvent(c echo.Context) error {
	var req EventRequest
	if e := decode(c.Response(), c.Request(), &req); e != nil {
		return a.refuse(c, e)
	}
	cfg := a.Config()
	ev, ds := req.Validate(windowOf(a.Now(), cfg.Rules), cfg.Rules)
	if len(ds) > 0 {
		return a.refuse(c, invalid(ds))
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	caseNo := c.Param("case_no")
	cr := credentialOf(c)
	v, added, err := a.Store.AddEventAs(ctx, cfg.Rules, caseNo, ev, cr.MayWrite)
	if err != nil {
		return a.fail(c, err)
	}
	return c.JSON(createdOrOK(added), caseResponseFor(cr, v, a.Now(), cfg.Rules))
}

func (a *API) getCase(c echo.Context) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	return a.respondCase(c, ctx, http.StatusOK, c.Param("case_no"))
}

func (a *API) respondCase(c echo.Context, ctx context.Context, status int, caseNo string) error {
	v, err := a.Store.Case(ctx, caseNo)
	if err != nil {
		return a.fail(c, err)
	}
	cr := credentialOf(c)
	if err := cr.MayRead(v.State.Unit); err != nil {
		return a.outOfScope(c, err)
	}
	cfg := a.Config()
	return c.JSON(status, caseResponseFor(cr, v, a.Now(), cfg.Rules))
}

// UnitRequest is the body of PUT /api/v1/units/{code}.
type UnitRequest struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// CategoryRequest is the body of PUT /api/v1/categories/{code}.
type CategoryRequest struct {
	Name string `json:"name"`
}

// maxName bounds the name of a unit, a category or a matter, in characters.
const maxName = 100

// checkName checks a registry entry's name: required, free text without a
// person's identifiers (petition.NameProblems).
func checkName(name string, ds []Detail) []Detail {
	n := strings.TrimSpace(name)
	if n == "" {
		return append(ds, Detail{Field: "name", Problem: fmt.Sprintf("is required, at most %d characters", maxName)})
	}
	return withRuleProblems(ds, petition.NameProblems("name", n, maxName), nil)
}

func checkCode(code string) []Detail {
	return withRuleProblems(nil, petition.CodeProblem("code", code), nil)
}

func (a *API) putUnit(c echo.Context) error {
	var req UnitRequest
	if e := decode(c.Response(), c.Request(), &req); e != nil {
		return a.refuse(c, e)
	}
	u := store.Unit{Code: c.Param("code"), Name: strings.TrimSpace(req.Name), Kind: req.Kind}
	ds := checkName(req.Name, checkCode(u.Code))
	if u.Kind != petition.UnitTownship && u.Kind != petition.UnitDepartment {
		ds = append(ds, Detail{Field: "kind", Problem: "must be township or department"})
	}
	if len(ds) > 0 {
		return a.refuse(c, invalid(ds))
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	if e := a.withinSeries(ctx, "unit", u.Code, a.Store.UnitCodes); e != nil {
		return a.refuse(c, e)
	}
	if err := a.Store.PutUnitWithin(ctx, u, a.Config().MaxUnits); err != nil {
		return a.fail(c, err)
	}
	return c.JSON(http.StatusOK, unitJSON(u))
}

// withinSeries refuses a new unit or category (what, code) when the series
// it would add take the export past max_series: every unit multiplies the
// series, and a scrape that times out shows nothing. An existing one (a
// new name) is always taken.
func (a *API) withinSeries(ctx context.Context, what, code string, codes func(context.Context) ([]string, error)) *Error {
	if a.Series == nil {
		return nil
	}
	total, perUnit, perCategory, ok := a.Series()
	if !ok {
		return nil
	}
	known, err := codes(ctx)
	if err != nil {
		return &Error{Status: http.StatusServiceUnavailable, Message: "the database is unavailable; retry later"}
	}
	if slices.Contains(known, code) {
		return nil
	}
	adds := perUnit
	if what == "category" {
		adds = perCategory
	}
	budget := a.Config().MaxSeries
	if after := total + int(math.Ceil(adds)); after > budget {
		return invalid([]Detail{{Field: "code", Problem: fmt.Sprintf("a new %s would take the exported series from %d to about %d, past max_series %d: raise it with the Prometheus servers' capacity in mind", what, total, after, budget)}})
	}
	return nil
}

func (a *API) putCategory(c echo.Context) error {
	var req CategoryRequest
	if e := decode(c.Response(), c.Request(), &req); e != nil {
		return a.refuse(c, e)
	}
	cat := store.Category{Code: c.Param("code"), Name: strings.TrimSpace(req.Name)}
	if ds := checkName(req.Name, checkCode(cat.Code)); len(ds) > 0 {
		return a.refuse(c, invalid(ds))
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	if e := a.withinSeries(ctx, "category", cat.Code, a.Store.CategoryCodes); e != nil {
		return a.refuse(c, e)
	}
	if err := a.Store.PutCategoryWithin(ctx, cat, a.Config().MaxCategories); err != nil {
		return a.fail(c, err)
	}
	return c.JSON(http.StatusOK, categoryJSON(cat))
}

func (a *API) listUnits(c echo.Context) error {
	return respondList(a, c, a.Store.Units, unitJSON)
}

func (a *API) listCategories(c echo.Context) error {
	return respondList(a, c, a.Store.Categories, categoryJSON)
}

// respondList answers with every item list returns, each as toJSON shows it.
func respondList[T, V any](a *API, c echo.Context, list func(context.Context) ([]T, error), toJSON func(T) V) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	items, err := list(ctx)
	if err != nil {
		return a.fail(c, err)
	}
	out := make([]V, 0, len(items))
	for _, item := range items {
		out = append(out, toJSON(item))
	}
	return c.JSON(http.StatusOK, out)
}

func unitJSON(u store.Unit) map[string]string {
	return map[string]string{"code": u.Code, "name": u.Name, "kind": u.Kind}
}

func categoryJSON(c store.Category) map[string]string {
	return map[string]string{"code": c.Code, "name": c.Name}
}
