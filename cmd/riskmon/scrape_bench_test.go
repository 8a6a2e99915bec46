package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkServeMetrics is one scrape through the whole handler (router,
// access log, request metrics, the collector), gzip as Prometheus asks, with
// the access log formatted as serve formats it (into io.Discard). bench/scrape.sh measures the
// same over the network against a bare server.
func BenchmarkServeMetrics(b *testing.B) {
	h, col := testHandler(b, nil, io.Discard)
	if err := col.Refresh(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
}
