package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"riskmon/calendar"
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
	res, err := s.db.ExecContext(ctx, `UPDATE matters SET lead_role = ?, lead_target = ?, lead_plan = ?,
resolved_at = CASE WHEN ? THEN COALESCE(resolved_at, ?) ELSE NULL END,
marked_backlog = CASE WHEN ? THEN 0 ELSE marked_backlog END WHERE code = ?`,
		l.Role, nullDay(l.Target), l.Plan, resolved.Valid, resolved, resolved.Valid, code)
	if err != nil {
		return fmt.Errorf("put lead of matter %s: %w", code, err)
	}
	// MySQL counts changed rows: the same lead again changes none
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		if _, err := s.MatterByCode(ctx, code); err != nil {
			return err
		}
	}
	return nil
}

// historyQuery reads every registered matter with its lead and what the
// long-unresolved rule counts of its cases received after it was last
// resolved (petition.MatterHistory), through idx_cases_matter: the cases
// that name a matter, not the archive.
const historyQuery = `SELECT m.code, m.unit, m.category, m.marked_backlog, m.lead_role, m.lead_target, m.lead_plan, m.resolved_at,
COALESCE(h.cases_year, 0) AS cases_year, h.last_received, h.last_re_reviewed, COALESCE(h.old_open, 0) AS old_open
FROM matters m LEFT JOIN (
SELECT c.matter,
SUM(CASE WHEN c.received_at >= ? THEN 1 ELSE 0 END) AS cases_year,
MAX(c.received_at) AS last_received,
MAX(CASE WHEN c.decision = 're_reviewed' THEN c.decided_at END) AS last_re_reviewed,
SUM(CASE WHEN c.stage IS NOT NULL AND c.received_at < ? THEN 1 ELSE 0 END) AS old_open
FROM cases c JOIN matters r ON r.code = c.matter
WHERE c.matter IS NOT NULL AND c.received_at <= ? AND (r.resolved_at IS NULL OR c.received_at > r.resolved_at)
GROUP BY c.matter) h ON h.matter = m.code
ORDER BY m.code`

type historyRow struct {
	Code           string         `db:"code"`
	Unit           string         `db:"unit"`
	Category       string         `db:"category"`
	Marked         bool           `db:"marked_backlog"`
	LeadRole       sql.NullString `db:"lead_role"`
	LeadTarget     sql.NullInt32  `db:"lead_target"`
	LeadPlan       sql.NullString `db:"lead_plan"`
	ResolvedAt     sql.NullInt64  `db:"resolved_at"`
	CasesYear      int            `db:"cases_year"`
	LastReceived   sql.NullInt64  `db:"last_received"`
	LastReReviewed sql.NullInt64  `db:"last_re_reviewed"`
	OldOpen        int            `db:"old_open"`
}

// MatterHistories returns every registered matter's history at now for the
// long-unresolved rule: a case counts in the 12 months when received at or
// after petition.BacklogSince(now), as old when received more than
// backlogDays before now.
func (r *Reader) MatterHistories(ctx context.Context, now time.Time, backlogDays int) ([]petition.MatterHistory, error) {
	rows, err := selectAll[historyRow](ctx, r.tx, "matter histories", historyQuery,
		secondAtOrAfter(petition.BacklogSince(now)), secondAtOrAfter(now.Add(-time.Duration(backlogDays)*24*time.Hour)), now.Unix())
	if err != nil {
		return nil, err
	}
	out := make([]petition.MatterHistory, len(rows))
	for i, row := range rows {
		out[i] = petition.MatterHistory{Code: row.Code, Unit: row.Unit, Category: row.Category, Marked: row.Marked,
			CasesYear: row.CasesYear, LastReceived: fromNullUnix(row.LastReceived), LastReReviewed: fromNullUnix(row.LastReReviewed),
			OldOpen: row.OldOpen, Lead: petition.Lead{Role: row.LeadRole.String, Target: calendar.Day(row.LeadTarget.Int32),
				Plan: row.LeadPlan.String, ResolvedAt: fromNullUnix(row.ResolvedAt)}}
	}
	return out, nil
}
