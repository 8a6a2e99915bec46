package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"riskmon/collector"
	"riskmon/intake"
	"riskmon/portal"
	"riskmon/screen"
	"riskmon/store"
)

const landing = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>riskmon</title></head>
<body><h1>riskmon 信访风险监测</h1>
<ul>
<li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
<li><a href="/screen">/screen</a>: 备用大屏 / the fallback wall screen (<a href="/screen?lang=en">English</a>)</li>
<li><a href="/healthz">/healthz</a>: process alive</li>
<li><a href="/readyz">/readyz</a>: database reachable and snapshot fresh</li>
<li>/api/v1: the intake API (bearer token)</li>
</ul></body></html>
`

// routes says which endpoints a server serves.
type routes int

const (
	serveOps routes = 1 << iota // /metrics, /healthz, /readyz
	serveAPI                    // /api/v1
)

// newServer wires the routes of which. Handlers here only report; all work
// happens in the collector's background refresh.
func newServer(col *collector.Collector, s *store.Store, api *intake.API, logger *slog.Logger, which routes) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// The client address of the access log is the peer's: an X-Forwarded-For
	// header is anyone's to forge, unless the peer is a trusted proxy.
	e.IPExtractor = echo.ExtractIPDirect()
	if proxies := api.Config().TrustedProxies; len(proxies) > 0 {
		opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range proxies {
			opts = append(opts, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}
	e.Use(middleware.Recover())
	e.Use(securityHeaders)
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod: true, LogURIPath: true, LogStatus: true, LogLatency: true, LogRemoteIP: true, LogError: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			if intake.Quiet(c) { // an address's repeated failed authentication: logged once a minute
				return nil
			}
			attrs := [6]slog.Attr{slog.String("method", capped(v.Method)), slog.String("path", capped(v.URIPath)),
				slog.Int("status", v.Status), slog.Float64("latency_ms", float64(v.Latency.Microseconds())/1000),
				slog.String("remote", capped(v.RemoteIP))}
			n := 5
			if v.Error != nil {
				attrs[n] = slog.String("err", capped(v.Error.Error()))
				n++
			}
			logger.LogAttrs(c.Request().Context(), slog.LevelInfo, "request", attrs[:n]...)
			return nil
		},
	}))
	e.Use(instrument(col.HTTP()))
	api.AuthFailed, api.InFlight = col.HTTP().AuthFailed, col.HTTP().InFlight
	api.Series = func() (int, float64, float64, bool) {
		snap, _ := col.Latest()
		if snap == nil {
			return 0, 0, 0, false
		}
		s := snap.Series()
		return s.Total, s.PerUnit, s.PerCategory, true
	}
	e.GET("/", func(c echo.Context) error { return c.HTML(http.StatusOK, landing) })
	if which&serveAPI != 0 {
		api.Register(e)
		portal.New(api).Register(e)
	}
	if which&serveOps != 0 {
		e.GET("/metrics", echo.WrapHandler(col))
		e.GET("/screen", echo.WrapHandler(screen.NewHandler(col, api.Now)))
		e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
		ready := &readiness{ping: s.Ping, fresh: col.Fresh, now: api.Now, logger: logger}
		e.GET("/readyz", func(c echo.Context) error {
			code, body := ready.check(c.Request().Context())
			return c.String(code, body)
		})
	}
	return e
}

// logFieldMax is the most of a client-chosen value an access log line keeps:
// a megabyte path must not make a megabyte line.
const logFieldMax = 256

func capped(s string) string {
	if len(s) <= logFieldMax {
		return s
	}
	cut := logFieldMax
	for cut > 0 && !utf8.RuneStart(s[cut]) { // not inside a character
		cut--
	}
	return s[:cut] + fmt.Sprintf("…(%d bytes)", len(s))
}

// securityHeaders are on every answer: no sniffing a JSON or text answer
// into HTML, no referrer (a case number in a path stays here), and the
// server's HTML neither loads from elsewhere nor runs in a frame; /screen
// sets a policy of its own that also allows its style block.
//
// The values are assigned, not Set: Set canonicalised each name and built
// a slice each value, four allocations a request, the most of any one step
// of a scrape. They are shared by every answer and never change; each has a
// capacity of one, so a handler's Add copies rather than writes into them,
// and a handler's Set replaces them.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		for _, kv := range securityHeaderValues {
			h[kv.name] = kv.value
		}
		return next(c)
	}
}

var securityHeaderValues = []struct {
	name  string // canonical, as Set would write it
	value []string
}{
	{"X-Content-Type-Options", oneValue("nosniff")},
	{"Referrer-Policy", oneValue("no-referrer")},
	{"X-Frame-Options", oneValue("DENY")},
	{"Content-Security-Policy", oneValue(screen.ContentSecurityPolicy)},
}

func oneValue(v string) []string { return []string{v}[:1:1] }
