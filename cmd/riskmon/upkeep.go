package main

import (
	"context"
	"log/slog"
	"time"

	"riskmon/store"
)

// upkeep runs the store's daily upkeep at the start and then once a day:
// it deletes the audit rows older than audit_retention, folds the sharded
// tallies (store.FoldShards) so that a refresh sums about a row a key, and
// deletes the rows the writers left at zero in the tallies of what is open
// now (store.PruneTallies). A failure is logged and tried again the next
// day: audit rows kept a day longer harm nobody, and an unfolded or
// unpruned tally is only slower to read.
// Two replicas may both run it: the second finds nothing to do.
func upkeep(ctx context.Context, s *store.Store, retention func() time.Duration, logger *slog.Logger) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		upkeepStep(ctx, logger, "prune the audit trail", "audit trail pruned", func() (int64, error) {
			pctx, cancel := context.WithTimeout(ctx, upkeepTimeout)
			defer cancel()
			return s.PruneAudit(pctx, time.Now().Add(-retention()))
		})
		upkeepStep(ctx, logger, "fold the tallies' shards", "tallies' shards folded", func() (int64, error) { return s.FoldShards(ctx) })
		upkeepStep(ctx, logger, "prune the tallies' empty rows", "tallies' empty rows pruned", func() (int64, error) { return s.PruneTallies(ctx) })
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// upkeepTimeout bounds the audit pruning of one day (its batches of 1,000
// rows); the fold and the prune of the tallies bound each of their
// transactions themselves (the store's chunkTx).
const upkeepTimeout = 10 * time.Minute

// upkeepStep runs one step of the upkeep and logs its failure (unless the
// service is stopping) or, when it did something, how many rows it moved
// and how long it took.
func upkeepStep(ctx context.Context, logger *slog.Logger, what, done string, run func() (int64, error)) {
	start := time.Now()
	n, err := run()
	switch {
	case err != nil && ctx.Err() == nil:
		logger.Error(what, "err", err)
	case n > 0:
		logger.Info(done, "rows", n, "took", time.Since(start).Round(time.Millisecond).String())
	}
}
