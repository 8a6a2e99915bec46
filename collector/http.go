package collector

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

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
	authFailuresDoc = ownLive("http_auth_failures_total", "Failed authentications of the API: refused (401, a missing or wrong token) or throttled (429, an address past auth_failures_per_minute).",
		"counter", true, "outcome").Doc
	apiInFlightDoc = ownLive("http_api_in_flight", "API requests being served now, of at most api_max_in_flight.",
		"gauge", true).Doc
)

// HTTPMetrics are the request metrics; the server's middleware observes them.
type HTTPMetrics struct {
	Requests     *prometheus.CounterVec
	Duration     *prometheus.HistogramVec
	AuthFailures *prometheus.CounterVec
	APIInFlight  prometheus.Gauge
	series       sync.Map // requestKey → requestSeries: a label lookup, once a route, method and code
}

type requestKey struct {
	route, method string
	code          int
}

type requestSeries struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

func newHTTPMetrics() *HTTPMetrics {
	m := &HTTPMetrics{
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: httpRequestsDoc.Name, Help: httpRequestsDoc.Help}, httpRequestsDoc.Labels),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: httpDurationDoc.Name, Help: httpDurationDoc.Help,
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, httpDurationDoc.Labels),
		AuthFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: authFailuresDoc.Name, Help: authFailuresDoc.Help}, authFailuresDoc.Labels),
		APIInFlight:  prometheus.NewGauge(prometheus.GaugeOpts{Name: apiInFlightDoc.Name, Help: apiInFlightDoc.Help}),
	}
	for _, outcome := range []string{"refused", "throttled"} { // 0 from the start: increase() sees the first
		m.AuthFailures.WithLabelValues(outcome)
	}
	return m
}

// AuthFailed counts a failed authentication, refused or throttled.
func (m *HTTPMetrics) AuthFailed(throttled bool) {
	outcome := "refused"
	if throttled {
		outcome = "throttled"
	}
	m.AuthFailures.WithLabelValues(outcome).Inc()
}

// HTTP returns the request metrics, registered with the self metrics.
func (c *Collector) HTTP() *HTTPMetrics { return c.http }

// Observe counts one answered request and its time. The method is lower case
// as promhttp writes it; one the standard does not name is "other", so that a
// client's invented methods add no series.
func (m *HTTPMetrics) Observe(route, method string, code int, took time.Duration) {
	k := requestKey{route, methodLabel(method), code}
	s, ok := m.series.Load(k)
	if !ok {
		s, _ = m.series.LoadOrStore(k, requestSeries{
			requests: m.Requests.WithLabelValues(k.route, k.method, strconv.Itoa(code)),
			duration: m.Duration.WithLabelValues(route),
		})
	}
	rs := s.(requestSeries)
	rs.requests.Inc()
	rs.duration.Observe(took.Seconds())
}

func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return strings.ToLower(m)
	}
	return "other"
}

// InFlight moves the API's requests in flight by delta.
func (m *HTTPMetrics) InFlight(delta int) { m.APIInFlight.Add(float64(delta)) }
