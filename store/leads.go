package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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

// historyAggregates are what the long-unresolved rule counts of a matter's
// cases (petition.MatterHistory): the cases in the 12 months up to now, the
// latest receipt, the latest re-review decision, the cases open since before
// backlog_days. A case received after now does not count, which the
// aggregates say rather than the WHERE clause: a range on received_at there
// would draw the planner to the receipt indexes, and the whole archive.
const historyAggregates = `c.matter AS code,
SUM(CASE WHEN c.received_at >= ? AND c.received_at <= ? THEN 1 ELSE 0 END) AS cases_year,
MAX(CASE WHEN c.received_at <= ? THEN c.received_at END) AS last_received,
MAX(CASE WHEN c.decision = 're_reviewed' AND c.received_at <= ? THEN c.decided_at END) AS last_re_reviewed,
SUM(CASE WHEN c.stage IS NOT NULL AND c.received_at < ? THEN 1 ELSE 0 END) AS old_open`

// historyQuery aggregates every matter's cases in the order of
// idx_cases_matter, which covers it: the cases that name a matter, not the
// archive, and no join a row.
const historyQuery = `SELECT ` + historyAggregates + ` FROM cases c WHERE c.matter IS NOT NULL GROUP BY c.matter`

// historyOfQuery is historyQuery for the matters whose codes %s marks (one
// unit's): a range of idx_cases_matter each.
const historyOfQuery = `SELECT ` + historyAggregates + ` FROM cases c WHERE c.matter IN (%s) GROUP BY c.matter`

// resolvedHistoryQuery is historyQuery for the resolved matters (few: %s
// marks their codes), over their cases received after the resolution only:
// a range of idx_cases_matter each, and the matter's row a case.
const resolvedHistoryQuery = `SELECT ` + historyAggregates + ` FROM cases c
WHERE c.matter IN (%s) AND c.received_at > (SELECT r.resolved_at FROM matters r WHERE r.code = c.matter) GROUP BY c.matter`

// historyAggs is one row of either history query.
type historyAggs struct {
	Code           string        `db:"code"`
	CasesYear      int           `db:"cases_year"`
	LastReceived   sql.NullInt64 `db:"last_received"`
	LastReReviewed sql.NullInt64 `db:"last_re_reviewed"`
	OldOpen        int           `db:"old_open"`
}

// MatterHistories returns every registered matter's history at now for the
// long-unresolved rule, counting only the cases received after the matter
// was last resolved: a case counts in the 12 months when received at or
// after petition.BacklogSince(now), as old when received more than
// backlogDays before now.
func (r *Reader) MatterHistories(ctx context.Context, now time.Time, backlogDays int) ([]petition.MatterHistory, error) {
	return matterHistories(ctx, r.tx, now, backlogDays, "")
}

// matterHistories is MatterHistories of the matters of unit, or of all
// when unit is "", with their names.
func matterHistories(ctx context.Context, tx *sqlx.Tx, now time.Time, backlogDays int, unit string) ([]petition.MatterHistory, error) {
	q, args := matterSelect+" ORDER BY code", []any{}
	if unit != "" {
		q, args = matterSelect+" WHERE unit = ? ORDER BY code", []any{unit}
	}
	var matters []matterRow
	if err := tx.SelectContext(ctx, &matters, q, args...); err != nil {
		return nil, fmt.Errorf("read matters: %w", err)
	}
	if len(matters) == 0 {
		return nil, nil
	}
	aggArgs := []any{secondAtOrAfter(petition.BacklogSince(now)), now.Unix(), now.Unix(), now.Unix(),
		secondAtOrAfter(now.Add(-time.Duration(backlogDays) * 24 * time.Hour))}
	var codes, resolvedCodes []any
	for _, m := range matters {
		codes = append(codes, m.Code)
		if m.ResolvedAt.Valid {
			resolvedCodes = append(resolvedCodes, m.Code)
		}
	}
	q, qArgs := historyQuery, aggArgs
	if unit != "" {
		q, qArgs = fmt.Sprintf(historyOfQuery, marks(len(codes))), append(slices.Clip(aggArgs), codes...)
	}
	all, err := selectAll[historyAggs](ctx, tx, "matter histories", q, qArgs...)
	if err != nil {
		return nil, err
	}
	var resolved []historyAggs
	if len(resolvedCodes) > 0 {
		q := fmt.Sprintf(resolvedHistoryQuery, marks(len(resolvedCodes)))
		if resolved, err = selectAll[historyAggs](ctx, tx, "resolved matter histories", q, append(slices.Clip(aggArgs), resolvedCodes...)...); err != nil {
			return nil, err
		}
	}
	byCode, sinceResolved := map[string]historyAggs{}, map[string]historyAggs{}
	for _, a := range all {
		byCode[a.Code] = a
	}
	for _, a := range resolved {
		sinceResolved[a.Code] = a
	}
	out := make([]petition.MatterHistory, len(matters))
	for i, row := range matters {
		m := row.matter()
		a := byCode[m.Code]
		if !m.Lead.ResolvedAt.IsZero() {
			a = sinceResolved[m.Code] // none since: zero
		}
		out[i] = petition.MatterHistory{Code: m.Code, Name: m.Name, Unit: m.Unit, Category: m.Category, Marked: m.MarkedBacklog,
			CasesYear: a.CasesYear, LastReceived: fromNullUnix(a.LastReceived), LastReReviewed: fromNullUnix(a.LastReReviewed),
			OldOpen: a.OldOpen, Lead: m.Lead}
	}
	return out, nil
}
