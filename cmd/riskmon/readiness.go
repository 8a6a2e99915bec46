package main

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// readyFor is how long an answer of /readyz is kept: a flood of probes costs
// the database one ping a second.
const readyFor = time.Second

// readiness answers /readyz: ready when the database answers and the metrics
// snapshot is fresh. The database's error names hosts, ports and users: it
// is logged, and the probe gets a generic body.
type readiness struct {
	ping   func(context.Context) error
	fresh  func() bool
	now    func() time.Time
	logger *slog.Logger

	mu   sync.Mutex
	at   time.Time // of the kept answer; zero before the first
	code int
	body string
}

func (r *readiness) check(ctx context.Context) (code int, body string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if !r.at.IsZero() && now.Sub(r.at) < readyFor {
		return r.code, r.body
	}
	r.at, r.code, r.body = now, http.StatusOK, "ready\n"
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	switch err := r.ping(ctx); {
	case err != nil:
		r.logger.Error("not ready: the database does not answer", "err", err)
		r.code, r.body = http.StatusServiceUnavailable, "not ready: the database does not answer\n"
	case !r.fresh():
		r.code, r.body = http.StatusServiceUnavailable, "not ready: the metrics snapshot is older than the staleness limit\n"
	}
	return r.code, r.body
}
