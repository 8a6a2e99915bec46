package main

import (
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"riskmon/collector"
)

// instrument counts every request by route pattern, method and status code
// and times it by route: the route comes from the router (a pattern such as
// /api/v1/cases/:case_no), never from the path a client sent, so a scan of
// random paths adds one series, not one per path. It observes the metrics
// itself rather than through promhttp's wrappers, which check their labels
// anew for every handler they build: built per request, because the route is
// known only then, they took half of a scrape's time.
func instrument(m *collector.HTTPMetrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			began := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err) // answer here, so that the counted status is the one sent
			}
			route := c.Path()
			if route == "" || strings.Contains(route, "*") {
				route = "unmatched"
			}
			m.Observe(route, c.Request().Method, c.Response().Status, time.Since(began))
			return err // the access log still names the error; the answer is written already
		}
	}
}
