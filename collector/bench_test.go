package collector

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"riskmon/demo"
	"riskmon/store"
	"riskmon/store/storetest"
)

// benchStores returns the databases to benchmark: RISKMON_BENCH_DB (a DSN, or
// several separated by spaces, already seeded with `riskmon seed`), or else a
// small demo county on each dialect.
func benchStores(b *testing.B) map[string]*store.Store {
	out := map[string]*store.Store{}
	ctx := context.Background()
	if env := os.Getenv("RISKMON_BENCH_DB"); env != "" {
		for _, dsn := range strings.Fields(env) {
			s, err := store.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			out[s.Dialect()+"/"+dsn[strings.LastIndexAny(dsn, "/:")+1:]] = s
		}
		return out
	}
	for _, d := range storetest.Dialects {
		s := storetest.Open(b, d)
		now := time.Now()
		r := fixtureConfig(b).Rules
		if err := demo.SeedRate(ctx, s, r, demo.Key, now, demo.RateFor(r, now.AddDate(-1, 0, 0), now, 10000)); err != nil {
			b.Fatal(err)
		}
		out[d+"/10k"] = s
	}
	return out
}

// BenchmarkRefresh measures one refresh of the snapshot: every query and the
// encoding of the result, and reports each scraper's mean time (ms/name):
// which of them a refresh's cost comes from.
func BenchmarkRefresh(b *testing.B) {
	for name, s := range benchStores(b) {
		b.Run(name, func(b *testing.B) {
			c := New(s, fixtureConfig(b), time.Now, BuildInfo{})
			// the first refresh after a start reads what later ones keep (the
			// surge's usual weeks and days): it is not the steady cost, and
			// RISKMON_BENCH_FIRST=1 measures it alone
			if os.Getenv("RISKMON_BENCH_FIRST") == "" {
				if err := c.Refresh(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			took := map[string]time.Duration{}
			for b.Loop() {
				if err := c.Refresh(context.Background()); err != nil {
					b.Fatal(err)
				}
				c.status.mu.Lock()
				for _, run := range c.status.runs {
					took[run.name] += run.took
				}
				c.status.mu.Unlock()
			}
			for scraper, d := range took {
				b.ReportMetric(float64(d.Microseconds())/1000/float64(b.N), "ms/"+scraper)
			}
		})
	}
}

// discard is a ResponseWriter that keeps nothing, so the benchmark measures
// the handler and not a recorder's buffer.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(p []byte) (int, error) { return len(p), nil }
func (d discard) WriteHeader(int)             {}

// BenchmarkScrape measures what one /metrics request costs once the
// snapshot is built, compressed as Prometheus asks for it; it does not
// depend on the number of cases.
func BenchmarkScrape(b *testing.B) {
	for name, s := range benchStores(b) {
		b.Run(name, func(b *testing.B) {
			c := New(s, fixtureConfig(b), time.Now, BuildInfo{})
			if err := c.Refresh(context.Background()); err != nil {
				b.Fatal(err)
			}
			req := httptest.NewRequest("GET", "/metrics", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			b.ReportAllocs()
			for b.Loop() {
				c.ServeHTTP(discard{h: http.Header{}}, req)
			}
		})
	}
}
