package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"riskmon/collector"
	"riskmon/intake"
	"riskmon/store"
)

const landing = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>riskmon</title></head>
<body><h1>riskmon 信访风险监测</h1>
<ul>
<li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
<li><a href="/healthz">/healthz</a>: process alive</li>
<li><a href="/readyz">/readyz</a>: database reachable and snapshot fresh</li>
<li>/api/v1: the intake API (bearer token)</li>
</ul></body></html>
`

// newServer wires the routes. Handlers here only report; all work happens in
// the collector's background refresh.
func newServer(col *collector.Collector, s *store.Store, api *intake.API, logger *slog.Logger) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Use(middleware.Recover())
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod: true, LogURIPath: true, LogStatus: true, LogLatency: true, LogRemoteIP: true, LogError: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			attrs := []any{"method", v.Method, "path", v.URIPath, "status", v.Status,
				"latency_ms", float64(v.Latency.Microseconds()) / 1000, "remote", v.RemoteIP}
			if v.Error != nil {
				attrs = append(attrs, "err", v.Error)
			}
			logger.Info("request", attrs...)
			return nil
		},
	}))
	e.GET("/", func(c echo.Context) error { return c.HTML(http.StatusOK, landing) })
	api.Register(e)
	e.GET("/metrics", echo.WrapHandler(col))
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := s.Ping(ctx); err != nil {
			return c.String(http.StatusServiceUnavailable, "not ready: "+err.Error()+"\n")
		}
		if !col.Fresh() {
			return c.String(http.StatusServiceUnavailable, "not ready: the metrics snapshot is older than the staleness limit\n")
		}
		return c.String(http.StatusOK, "ready\n")
	})
	return e
}
