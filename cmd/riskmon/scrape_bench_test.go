package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"riskmon/collector"
	"riskmon/config"
	"riskmon/intake"
	"riskmon/store/storetest"
)

// BenchmarkServeMetrics is one scrape through the whole handler (router,
// access log, request metrics, the collector), gzip as Prometheus asks, with
// the access log written as serve writes it. bench/scrape.sh measures the
// same over the network against a bare server.
func BenchmarkServeMetrics(b *testing.B) {
	s := storetest.Open(b, "sqlite")
	conf, err := config.Load(config.Source{})
	if err != nil {
		b.Fatal(err)
	}
	col := collector.New(s, conf, time.Now, collector.BuildInfo{})
	if err := col.Refresh(context.Background()); err != nil {
		b.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := newServer(col, s, &intake.API{Store: s, Config: col.Config, Now: time.Now, Logger: logger}, logger, serveOps|serveAPI)
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
