package collector

import (
	"github.com/prometheus/client_golang/prometheus"
)

// The HTTP server's own metrics, by route (the pattern, never the path a
// client chose: a case number is no label) and status code: they show a
// rising error rate or a database that answers 503 (PetitionAPIErrors).
// They are live, and appear with the first request of a route.
var (
	httpRequestsDoc = documentVec("http_requests_total", "counter",
		"HTTP requests served, by route pattern, method and status code.", "route", "method", "code")
	httpDurationDoc = documentVec("http_request_duration_seconds", "histogram",
		"Time to answer an HTTP request, by route pattern.", "route")
)

// HTTPMetrics are the request metrics; the server's middleware observes them
// (promhttp's instrumentation, curried with the route).
type HTTPMetrics struct {
	Requests *prometheus.CounterVec
	Duration *prometheus.HistogramVec
}

func newHTTPMetrics() *HTTPMetrics {
	return &HTTPMetrics{
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: httpRequestsDoc.Name, Help: httpRequestsDoc.Help}, httpRequestsDoc.Labels),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: httpDurationDoc.Name, Help: httpDurationDoc.Help,
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, httpDurationDoc.Labels),
	}
}

// HTTP returns the request metrics, registered with the self metrics.
func (c *Collector) HTTP() *HTTPMetrics { return c.http }

// documentVec declares a live metric that a client_golang vector exports, so
// that docs/metrics.md and the rule tests know it like the others.
func documentVec(name, typ, help string, labels ...string) MetricDoc {
	d := declare(name, help, prometheus.GaugeValue, true, labels...)
	d.Doc.Type, d.Doc.PerRequest, d.own = typ, true, true
	declared[len(declared)-1] = d
	return d.Doc
}
