package collector

import (
	"github.com/prometheus/client_golang/prometheus"
)

// The HTTP server's own metrics, by route (the pattern, never the path a
// client chose: a case number is no label) and status code: they show a
// rising error rate or a database that answers 503 (PetitionAPIErrors).
// They are live, and appear with the first request of a route.
var (
	httpRequestsDoc = ownLive("http_requests_total", "HTTP requests served, by route pattern, method and status code.",
		"counter", true, "route", "method", "code").Doc
	httpDurationDoc = ownLive("http_request_duration_seconds", "Time to answer an HTTP request, by route pattern.",
		"histogram", true, "route").Doc
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
