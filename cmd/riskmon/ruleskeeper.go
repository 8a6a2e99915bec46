package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"riskmon/petition"
	"riskmon/store"
)

// rulesKeeper keeps what the database derives from the rules in line with
// them, whenever they change: at start (which also completes an upgrade)
// and after a reload. That is the stored deadlines of open cases, a cache of
// the calendar and the time limits, and the day tally of completions, which
// counts by the local days of the configured zone. It works in the
// background; rules that arrive while it works supersede any still waiting.
type rulesKeeper struct {
	store  *store.Store
	logger *slog.Logger
	next   chan petition.Rules // holds at most the latest rules not yet applied
	done   func(kept, error)
}

// kept is what one application of the rules did.
type kept struct {
	deadlines   store.Recomputed
	daysRebuilt bool // the day tally was rebuilt for the rules' zone
}

func newRulesKeeper(s *store.Store, logger *slog.Logger) *rulesKeeper {
	return &rulesKeeper{store: s, logger: logger, next: make(chan petition.Rules, 1)}
}

// request asks for the database to follow r. Only the reload goroutine and
// start-up call it, one at a time.
func (k *rulesKeeper) request(r petition.Rules) {
	select {
	case <-k.next: // superseded
	default:
	}
	k.next <- r
}

// run applies requested rules until ctx ends.
func (k *rulesKeeper) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-k.next:
			res, err := k.apply(ctx, r)
			if k.done != nil {
				k.done(res, err)
			}
		}
	}
}

// apply brings the deadlines and the day tally in line with r, logging what
// it did and each failure once; a failure of one does not stop the other.
func (k *rulesKeeper) apply(ctx context.Context, r petition.Rules) (kept, error) {
	var res kept
	began := time.Now()
	var errDeadlines, errDays error
	res.deadlines, errDeadlines = k.store.RecomputeDeadlines(ctx, r)
	switch {
	case errDeadlines != nil && ctx.Err() == nil:
		k.logger.Error("recomputing deadlines failed; the stored ones stand until the next start or reload", "err", errDeadlines)
	case errDeadlines == nil && !res.deadlines.Current:
		k.logger.Info("deadlines recomputed for the rules in force", "open_cases", res.deadlines.Checked, "moved", res.deadlines.Moved,
			"without_clock_start", res.deadlines.Skipped, "took", time.Since(began).String())
	}
	began = time.Now()
	res.daysRebuilt, errDays = k.store.RecountCompletionDays(ctx, r.Location)
	switch {
	case errDays != nil && ctx.Err() == nil:
		k.logger.Error("rebuilding the completions by day failed; the month and quarter counts are absent until the next start or reload", "err", errDays)
	case res.daysRebuilt:
		k.logger.Info("completions by day rebuilt for the time zone", "zone", r.Location.String(), "took", time.Since(began).String())
	}
	return res, errors.Join(errDeadlines, errDays)
}
