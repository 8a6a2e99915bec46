// Package portal is the townships' and the bureau's web pages under
// /portal/: sign in with a credential's token once, then send today's daily
// report (a zero report with one button) and see the last 30 days. It is
// server-rendered (html/template, no script, nothing from elsewhere) and
// writes through the intake functions the API uses (one validation, one
// set of messages), as the credential signed in, whose scope decides every
// unit it may open.
package portal

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"riskmon/access"
	"riskmon/calendar"
	"riskmon/intake"
	"riskmon/store"
)

//go:embed pages.html
var pages string

//go:embed style.css
var style []byte

var tmpl = template.Must(template.New("portal").Parse(pages))

// Portal serves the pages over the API's functions.
type Portal struct {
	API *intake.API
}

// New returns the portal of api.
func New(api *intake.API) *Portal {
	return &Portal{API: api}
}

const (
	sessionCookie = "riskmon_portal"
	langCookie    = "riskmon_lang"
	sessionKey    = "riskmon.portal.session"
)

// Register adds the /portal/ routes to e, after the API's (Register).
func (p *Portal) Register(e *echo.Echo) {
	e.GET("/portal/style.css", func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "max-age=3600")
		return c.Blob(http.StatusOK, "text/css; charset=utf-8", style)
	})
	e.GET("/portal/signin", p.signInPage)
	e.POST("/portal/signin", p.signIn)
	// signed in, then as the credential, under the API's limits
	g := e.Group("/portal", append([]echo.MiddlewareFunc{p.signedIn}, p.API.Limits()...)...)
	g.GET("/", p.home)
	g.POST("/signout", p.signOut)
	g.GET("/units/:code", p.today)
	g.POST("/units/:code/report", p.sendReport)
	g.GET("/units/:code/worklist", p.worklist)
	g.GET("/units/:code/register", p.register)
	g.POST("/units/:code/disputes", p.registerDispute)
	g.POST("/units/:code/disputes/:no/events", p.disputeStep)
}

// page is what every page shows.
type page struct {
	T       texts
	CSRF    string
	Error   string
	Expired bool
}

// lang picks the page's language: ?lang= (then kept in a cookie), the
// cookie, or Chinese.
func lang(c echo.Context) texts {
	l := c.QueryParam("lang")
	if l == "en" || l == "zh" {
		c.SetCookie(&http.Cookie{Name: langCookie, Value: l, Path: "/portal/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure(c), MaxAge: 365 * 86400})
	} else if ck, err := c.Cookie(langCookie); err == nil {
		l = ck.Value
	}
	if l == "en" {
		return en
	}
	return zh
}

// secure: the cookies are Secure when the portal is served over TLS.
func secure(c echo.Context) bool { return c.Scheme() == "https" }

func (p *Portal) render(c echo.Context, status int, name string, data any) error {
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, b.Bytes())
}

func (p *Portal) signInPage(c echo.Context) error {
	return p.render(c, http.StatusOK, "signin", page{T: lang(c), Expired: c.QueryParam("expired") != ""})
}

// signIn checks the token under the API's throttle of failures by address
// (a guesser gains nothing by using the form) and starts a session.
func (p *Portal) signIn(c echo.Context) error {
	t := lang(c)
	cr, e := p.API.Authenticate(c, strings.TrimSpace(c.FormValue("token")))
	if e != nil {
		msg := t.BadToken
		if e.Status == http.StatusTooManyRequests {
			msg = t.Throttled
		}
		return p.render(c, e.Status, "signin", page{T: t, Error: msg})
	}
	se, err := startSession(c.Request().Context(), p.API.Store, cr.Name, p.API.Now())
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: se.id, Path: "/portal/", HttpOnly: true, Secure: secure(c), SameSite: http.SameSiteStrictMode})
	return c.Redirect(http.StatusSeeOther, "/portal/")
}

// signedIn lets through a request of a live session whose credential is
// still in force, as that credential; a form must carry the session's CSRF
// token. Anything else goes to the sign-in page.
func (p *Portal) signedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(sessionCookie)
		if err != nil {
			return c.Redirect(http.StatusSeeOther, "/portal/signin")
		}
		ctx := c.Request().Context()
		se, ok, err := liveSession(ctx, p.API.Store, ck.Value, p.API.Now())
		if err != nil {
			return err
		}
		if !ok { // none, or expired (and deleted)
			return c.Redirect(http.StatusSeeOther, "/portal/signin?expired=1")
		}
		cr, ok := credentialNamed(p.API.Config().Access(), se.credential)
		if !ok { // removed at a reload: its sessions end
			if err := endSession(ctx, p.API.Store, ck.Value); err != nil {
				return err
			}
			return c.Redirect(http.StatusSeeOther, "/portal/signin?expired=1")
		}
		if c.Request().Method == http.MethodPost && !se.csrfMatches(c.FormValue("csrf")) {
			return p.render(c, http.StatusForbidden, "forbidden", page{T: lang(c), CSRF: se.csrf})
		}
		intake.SetCredential(c, cr)
		c.Set(sessionKey, se)
		return next(c)
	}
}

func credentialNamed(set access.Set, name string) (access.Credential, bool) {
	i := slices.IndexFunc(set, func(c access.Credential) bool { return c.Name == name })
	if i < 0 {
		return access.Credential{}, false
	}
	return set[i], true
}

func sessionOf(c echo.Context) *session { return c.Get(sessionKey).(*session) }

func (p *Portal) signOut(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := endSession(c.Request().Context(), p.API.Store, ck.Value); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/portal/", MaxAge: -1, HttpOnly: true, Secure: secure(c), SameSite: http.SameSiteStrictMode})
	return c.Redirect(http.StatusSeeOther, "/portal/signin")
}

// units are the units the credential may open: a reporter's or a limited
// reader's own, the bureau's all.
func (p *Portal) units(c echo.Context, cr access.Credential) ([]store.Unit, error) {
	all, err := p.API.Store.Units(c.Request().Context())
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(u store.Unit) bool { return cr.MayRead(u.Code) != nil }), nil
}

func (p *Portal) home(c echo.Context) error {
	cr := intake.CredentialOf(c)
	units, err := p.units(c, cr)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "home", struct {
		page
		Units []store.Unit
	}{page{T: lang(c), CSRF: sessionOf(c).csrf}, units})
}

// todayPage is the unit's page of today's report.
type todayPage struct {
	page
	Unit             store.Unit
	Today, Cutoff    string
	Sensitive, Saved bool
	TodayReport      *intake.ReportResponse
	Reports          []intake.ReportResponse
	Form             struct{ Found, Remark string }
	Problems         map[string]string
}

func (p *Portal) today(c echo.Context) error {
	return p.showToday(c, http.StatusOK, nil, c.QueryParam("saved") != "")
}

// showToday renders the unit's page, with the refusal e (and the form as
// sent) when there is one.
func (p *Portal) showToday(c echo.Context, status int, e *intake.Error, saved bool) error {
	t := lang(c)
	u, ok, err := p.unitOf(c)
	if !ok {
		return err
	}
	code := u.Code
	cfg, now := p.API.Config(), p.API.Now()
	loc := cfg.Rules.Location
	today := calendar.DayOf(now, loc)
	d := todayPage{page: page{T: t, CSRF: sessionOf(c).csrf}, Unit: u, Today: today.String(), Saved: saved,
		Sensitive: cfg.InSensitivePeriod(now)}
	cut := cfg.Disputes.ReportCutoff
	d.Cutoff = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(cut).Format("15:04")
	reports, re := p.API.Reports(c, code, today-29)
	if re != nil {
		return p.render(c, re.Status, "forbidden", page{T: t, CSRF: sessionOf(c).csrf})
	}
	d.Reports = reports
	if len(reports) > 0 && reports[0].Date == d.Today {
		d.TodayReport = &reports[0]
		d.TodayReport.ReportedAt = reportedAtLocal(reports[0].ReportedAt)
	}
	if e != nil {
		d.Error, d.Problems = refusal(t, e)
		d.Form.Found, d.Form.Remark = c.FormValue("disputes_found"), c.FormValue("remark")
	}
	return p.render(c, status, "today", d)
}

// reportedAtLocal is an RFC 3339 time as the page shows it.
func reportedAtLocal(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.Format("15:04")
}

// sendReport sends today's report through the API's own function: the
// same checks and the same messages, next to the field they concern.
func (p *Portal) sendReport(c echo.Context) error {
	code := c.Param("code")
	found, e := wholeNumber(c, "disputes_found")
	if e != nil {
		return p.showToday(c, e.Status, e, false)
	}
	req := intake.ReportRequest{DisputesFound: found, Remark: c.FormValue("remark")}
	today := calendar.DayOf(p.API.Now(), p.API.Config().Rules.Location)
	if _, e := p.API.PutReport(c, code, today.String(), req); e != nil {
		return p.showToday(c, e.Status, e, false)
	}
	return c.Redirect(http.StatusSeeOther, "/portal/units/"+code+"?saved=1")
}

// unitOf is the unit of the route's :code that the credential may open, or
// the page that says it may not (403) or that there is none (404).
func (p *Portal) unitOf(c echo.Context) (store.Unit, bool, error) {
	t := lang(c)
	cr := intake.CredentialOf(c)
	code := c.Param("code")
	forbidden := page{T: t, CSRF: sessionOf(c).csrf}
	if cr.MayRead(code) != nil {
		return store.Unit{}, false, p.render(c, http.StatusForbidden, "forbidden", forbidden)
	}
	units, err := p.units(c, cr)
	if err != nil {
		return store.Unit{}, false, err
	}
	i := slices.IndexFunc(units, func(u store.Unit) bool { return u.Code == code })
	if i < 0 {
		return store.Unit{}, false, p.render(c, http.StatusNotFound, "forbidden", forbidden)
	}
	return units[i], true, nil
}

// refusal is what a page shows of the API's refusal e: its message (for
// invalid values, a line that points to the fields) and each field's
// problem, in t's language.
func refusal(t texts, e *intake.Error) (string, map[string]string) {
	msg := e.Message
	if e.Status == http.StatusUnprocessableEntity {
		msg = t.Invalid // the fields' own problems are next to them
	}
	problems := map[string]string{}
	for _, d := range e.Details {
		problems[d.Field] = problemText(t, d.Problem)
	}
	return msg, problems
}

// wholeNumber reads the form's field name, a number the API takes as a
// JSON integer: nil when left empty, or the refusal of what is not one.
func wholeNumber(c echo.Context, name string) (*int, *intake.Error) {
	v := strings.TrimSpace(c.FormValue(name))
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return nil, &intake.Error{Status: http.StatusUnprocessableEntity, Message: "invalid values",
			Details: []intake.Detail{{Field: name, Problem: "must be a whole number"}}}
	}
	return &n, nil
}
