package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// PutLead records the lead of a matter (包案): a leader by role, a target
// date and a plan. A plan of resolved (化解) closes the matter at now (once:
// the same again keeps the first time) and clears the bureau's mark; any
// other plan reopens it. ErrNotFound when the matter is not registered.
func (s *Store) PutLead(ctx context.Context, code string, l petition.Lead, now time.Time) error {
	resolved := sql.NullInt64{}
	if l.Plan == petition.LeadResolved {
		resolved = sql.NullInt64{Int64: now.Unix(), Valid: true}
	}
	// in a transaction: its audit row goes in with it
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, "SELECT COUNT(*) FROM matters WHERE code = ?", code); err != nil {
			return fmt.Errorf("put lead of matter %s: %w", code, err)
		}
		if n == 0 {
			return fmt.Errorf("matter %s: %w", code, ErrNotFound)
		}
		_, err := tx.ExecContext(ctx, `UPDATE matters SET lead_role = ?, lead_target = ?, lead_plan = ?,
resolved_at = CASE WHEN ? THEN COALESCE(resolved_at, ?) ELSE NULL END,
marked_backlog = CASE WHEN ? THEN 0 ELSE marked_backlog END WHERE code = ?`,
			l.Role, nullDay(l.Target), l.Plan, resolved.Valid, resolved, resolved.Valid, code)
		if err != nil {
			return fmt.Errorf("put lead of matter %s: %w", code, err)
		}
		return nil
	})
}
