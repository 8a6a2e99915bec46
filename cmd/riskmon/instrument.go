package main

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"riskmon/collector"
)

// instrument counts every request by route pattern, method and status code
// and times it by route, with promhttp's instrumentation: the route comes
// from the router (a pattern such as /api/v1/cases/:case_no), never from
// the path a client sent, so a scan of random paths adds one series, not
// one per path.
func instrument(m *collector.HTTPMetrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			route := c.Path()
			if route == "" || strings.Contains(route, "*") {
				route = "unmatched"
			}
			labels := prometheus.Labels{"route": route}
			var err error
			h := promhttp.InstrumentHandlerDuration(m.Duration.MustCurryWith(labels),
				promhttp.InstrumentHandlerCounter(m.Requests.MustCurryWith(labels),
					http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						res := c.Response()
						orig := res.Writer
						res.Writer = w // the status goes through promhttp's writer
						defer func() { res.Writer = orig }()
						c.SetRequest(r)
						if err = next(c); err != nil {
							c.Error(err) // answer here, so that the counted status is the one sent
						}
					})))
			h.ServeHTTP(c.Response().Writer, c.Request())
			return err // the access log still names the error; the answer is written already
		}
	}
}
