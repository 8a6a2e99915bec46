package main

import (
	"context"
	"log/slog"
	"time"

	"riskmon/petition"
	"riskmon/store"
)

// deadlineKeeper recomputes the stored deadlines of open cases whenever the
// rules they are computed from change: at start (which also completes an
// upgrade) and after a reload. It works in the background; rules that arrive
// while it works supersede any still waiting.
type deadlineKeeper struct {
	store  *store.Store
	logger *slog.Logger
	next   chan petition.Rules // holds at most the latest rules not yet applied
	done   func(store.Recomputed, error)
}

func newDeadlineKeeper(s *store.Store, logger *slog.Logger) *deadlineKeeper {
	return &deadlineKeeper{store: s, logger: logger, next: make(chan petition.Rules, 1)}
}

// request asks for the deadlines to follow r. Only the reload goroutine and
// start-up call it, one at a time.
func (k *deadlineKeeper) request(r petition.Rules) {
	select {
	case <-k.next: // superseded
	default:
	}
	k.next <- r
}

// run applies requested rules until ctx ends.
func (k *deadlineKeeper) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-k.next:
			began := time.Now()
			res, err := k.store.RecomputeDeadlines(ctx, r)
			switch {
			case err != nil && ctx.Err() == nil:
				k.logger.Error("recomputing deadlines failed; the stored ones stand until the next start or reload", "err", err)
			case err == nil && !res.Current:
				k.logger.Info("deadlines recomputed for the rules in force", "open_cases", res.Checked, "moved", res.Moved,
					"without_clock_start", res.Skipped, "took", time.Since(began).String())
			}
			if k.done != nil {
				k.done(res, err)
			}
		}
	}
}
