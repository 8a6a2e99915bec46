package intake

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

type access int

const (
	noAccess access = iota
	readAccess
	writeAccess
)

// accessOf compares the presented token with every configured one in
// constant time; hashing first makes the comparison independent of length too.
func accessOf(presented string, readWrite, readOnly []string) access {
	p := sha256.Sum256([]byte(presented))
	got := noAccess
	for _, group := range []struct {
		tokens []string
		grants access
	}{{readWrite, writeAccess}, {readOnly, readAccess}} {
		for _, tok := range group.tokens {
			h := sha256.Sum256([]byte(tok))
			if subtle.ConstantTimeCompare(p[:], h[:]) == 1 {
				got = max(got, group.grants)
			}
		}
	}
	return got
}

// auth lets a request through with a valid bearer token: any token for GET,
// a read-write one for everything else. The token is never logged.
func (a *API) auth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		cfg := a.Config()
		h := c.Request().Header.Get("Authorization")
		// The scheme is case-insensitive (RFC 7235 §2.1), the token is not.
		scheme, tok, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || tok == "" {
			return a.refuse(c, &Error{Status: http.StatusUnauthorized, Message: "missing bearer token"})
		}
		got := accessOf(tok, cfg.APITokens, cfg.APIReadTokens)
		if got == noAccess {
			return a.refuse(c, &Error{Status: http.StatusUnauthorized, Message: "invalid bearer token"})
		}
		m := c.Request().Method
		if got < writeAccess && m != http.MethodGet && m != http.MethodHead {
			return a.refuse(c, &Error{Status: http.StatusForbidden, Message: "this token is read-only"})
		}
		return next(c)
	}
}
