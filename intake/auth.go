package intake

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"riskmon/access"
)

// credentialKey is where auth leaves the caller's credential in the
// request's context.
const credentialKey = "riskmon.credential"

// CredentialOf is the request's credential, as Authenticate found it or
// SetCredential set it.
func CredentialOf(c echo.Context) access.Credential { return credentialOf(c) }

// credentialOf is the caller's credential, as auth found it.
func credentialOf(c echo.Context) access.Credential {
	cr, _ := c.Get(credentialKey).(access.Credential)
	return cr
}

// auth lets a request through with the token of a credential in force:
// any for GET, one that writes for everything else; the route then asks
// the credential about the unit it touches (scope). The token is never
// logged.
func (a *API) auth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get("Authorization")
		// The scheme is case-insensitive (RFC 7235 §2.1), the token is not.
		scheme, tok, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			tok = ""
		}
		cr, e := a.Authenticate(c, tok)
		if e != nil {
			return a.refuse(c, e)
		}
		m := c.Request().Method
		if !cr.Writes() && m != http.MethodGet && m != http.MethodHead {
			return a.refuse(c, &Error{Status: http.StatusForbidden, Message: "this credential is read-only"})
		}
		return next(c)
	}
}

// bureauOnly lets through the bureau's credentials alone: the registry of
// units, categories and matters is the county's.
func (a *API) bureauOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !credentialOf(c).Bureau() {
			return a.refuse(c, &Error{Status: http.StatusForbidden, Message: "only a bureau credential may change the registry"})
		}
		return next(c)
	}
}

// outOfScope answers 403 for err when it is a scope refusal.
func (a *API) outOfScope(c echo.Context, err error) error {
	return a.refuse(c, &Error{Status: http.StatusForbidden, Message: err.Error()})
}

// writesUnit and readsUnit let through a credential that may write, or
// read, the unit of the route's :code.
func (a *API) writesUnit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := credentialOf(c).MayWrite(c.Param("code")); err != nil {
			return a.outOfScope(c, err)
		}
		return next(c)
	}
}

func (a *API) readsUnit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := credentialOf(c).MayRead(c.Param("code")); err != nil {
			return a.outOfScope(c, err)
		}
		return next(c)
	}
}

// Authenticate finds the credential of token ("" for none) for the request
// c and sets it on c (SetCredential): the API's bearer token and the
// portal's sign-in, under one throttle of failures by address. A refusal
// is 401, or 429 with Retry-After set on c's response.
func (a *API) Authenticate(c echo.Context, token string) (access.Credential, *Error) {
	cfg, now, addr := a.Config(), a.Now(), c.RealIP()
	if wait, warn := a.throttle.wait(addr, now); wait > 0 {
		a.authFailed(true)
		if warn { // in place of an access-log line a request
			a.Logger.Warn("authentication failures of an address throttled", "remote", addr, "per_minute", cfg.AuthFailuresPerMinute)
		}
		c.Set(quietKey, true)
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		return access.Credential{}, &Error{Status: http.StatusTooManyRequests, Message: "too many failed authentications from this address; retry later"}
	}
	msg := "missing bearer token"
	if token != "" {
		cr, ok := cfg.Access().Find(token)
		if ok {
			SetCredential(c, cr)
			return cr, nil
		}
		msg = "invalid bearer token"
	}
	a.authFailed(false)
	c.Set(quietKey, !a.throttle.failed(addr, now, cfg.AuthFailuresPerMinute))
	return access.Credential{}, &Error{Status: http.StatusUnauthorized, Message: msg}
}

// SetCredential makes cr the credential of the request c: what the intake
// functions (PutReport, Reports, …) check scopes against and audit.
func SetCredential(c echo.Context, cr access.Credential) { c.Set(credentialKey, cr) }

// authFailed tells AuthFailed, when set, of a failed authentication.
func (a *API) authFailed(throttled bool) {
	if a.AuthFailed != nil {
		a.AuthFailed(throttled)
	}
}
