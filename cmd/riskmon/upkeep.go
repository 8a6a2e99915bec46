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
		pctx, cancel := context.WithTimeout(ctx, upkeepTimeout)
		n, err := s.PruneAudit(pctx, time.Now().Add(-retention()))
		cancel()
		switch {
		case err != nil && ctx.Err() == nil:
			logger.Error("prune the audit trail", "err", err)
		case n > 0:
			logger.Info("audit trail pruned", "rows", n)
		}
		start := time.Now()
		n, err = s.FoldShards(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			logger.Error("fold the tallies' shards", "err", err)
		case n > 0:
			logger.Info("tallies' shards folded", "rows", n, "took", time.Since(start).Round(time.Millisecond).String())
		}
		start = time.Now()
		n, err = s.PruneTallies(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			logger.Error("prune the tallies' empty rows", "err", err)
		case n > 0:
			logger.Info("tallies' empty rows pruned", "rows", n, "took", time.Since(start).Round(time.Millisecond).String())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// upkeepTimeout bounds the audit pruning of one day (its batches of 1,000
// rows); the fold bounds each of its transactions itself.
const upkeepTimeout = 10 * time.Minute
