package intake

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// AuditPage is how many audit rows one GET /api/v1/audit answers at most.
const AuditPage = 1000

// AuditResponse is one row of the audit trail.
type AuditResponse struct {
	ID         int64  `json:"id"`
	At         string `json:"at"`
	Credential string `json:"credential"`
	Method     string `json:"method"`
	Route      string `json:"route"`
	Object     string `json:"object"`
}

// audit answers the audit trail to the bureau: the writes accepted at or
// after since (RFC 3339; default the last 24 hours), oldest first, at most
// AuditPage of them after the row after (the last id of the page before).
func (a *API) audit(c echo.Context) error {
	if !credentialOf(c).Bureau() {
		return a.refuse(c, &Error{Status: http.StatusForbidden, Message: "only a bureau credential reads the audit trail"})
	}
	var ds details
	since := a.Now().Add(-24 * time.Hour)
	if q := c.QueryParam("since"); q != "" {
		t, err := time.Parse(time.RFC3339, q)
		if err != nil {
			ds.add("since", "%q is not RFC 3339 with offset, e.g. 2026-10-02T03:00:00+08:00", q)
		}
		since = t
	}
	var after int64
	if q := c.QueryParam("after"); q != "" {
		n, err := strconv.ParseInt(q, 10, 64)
		if err != nil || n < 0 {
			ds.add("after", "must be an audit row's id")
		}
		after = n
	}
	if len(ds) > 0 {
		return a.refuse(c, invalid(ds))
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	rows, err := a.Store.AuditSince(ctx, since, after, AuditPage)
	if err != nil {
		return a.fail(c, err)
	}
	loc := a.Config().Rules.Location
	out := make([]AuditResponse, len(rows))
	for i, r := range rows {
		out[i] = AuditResponse{ID: r.ID, At: r.At.In(loc).Format(time.RFC3339), Credential: r.Credential, Method: r.Method, Route: r.Route, Object: r.Object}
	}
	return c.JSON(http.StatusOK, out)
}
