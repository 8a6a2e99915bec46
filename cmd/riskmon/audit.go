package main

import (
	"context"
	"log/slog"
	"time"

	"riskmon/store"
)

// pruneAudit deletes the audit rows older than audit_retention at the start
// and then once a day. A failure is logged and tried again the next day:
// the rows kept a day longer harm nobody.
func pruneAudit(ctx context.Context, s *store.Store, retention func() time.Duration, logger *slog.Logger) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		n, err := s.PruneAudit(ctx, time.Now().Add(-retention()))
		switch {
		case err != nil && ctx.Err() == nil:
			logger.Error("prune the audit trail", "err", err)
		case n > 0:
			logger.Info("audit trail pruned", "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
