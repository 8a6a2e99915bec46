package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// historyAggregates are what the long-unresolved rule counts of a matter's
// cases (petition.MatterHistory): the cases in the 12 months up to now, the
// latest receipt, the latest re-review decision, the cases open since before
// backlog_days. A case received after now does not count, which the
// aggregates say rather than the WHERE clause: a range on received_at there
// would draw the planner to the receipt indexes, and the whole archive.
//
// The last three say until when the others hold as the clock moves on
// (historyAggs.holdAt): the earliest receipt the 12 months count, the
// earliest receipt after now, the earliest open case not yet old.
const historyAggregates = `c.matter AS code,
SUM(CASE WHEN c.received_at >= ? AND c.received_at <= ? THEN 1 ELSE 0 END) AS cases_year,
MAX(CASE WHEN c.received_at <= ? THEN c.received_at END) AS last_received,
MAX(CASE WHEN c.decision = 're_reviewed' AND c.received_at <= ? THEN c.decided_at END) AS last_re_reviewed,
SUM(CASE WHEN c.stage IS NOT NULL AND c.received_at < ? THEN 1 ELSE 0 END) AS old_open,
MIN(CASE WHEN c.received_at >= ? AND c.received_at <= ? THEN c.received_at END) AS first_in_year,
MIN(CASE WHEN c.received_at > ? THEN c.received_at END) AS next_received,
MIN(CASE WHEN c.stage IS NOT NULL AND c.received_at >= ? THEN c.received_at END) AS first_young_open`

// historyQuery aggregates every matter's cases in the order of
// idx_cases_matter, which covers it: the cases that name a matter, not the
// archive, and no join a row.
const historyQuery = `SELECT ` + historyAggregates + ` FROM cases c WHERE c.matter IS NOT NULL GROUP BY c.matter`

// historyOfQuery is historyQuery for the matters whose codes %s marks (one
// unit's, or those whose cases changed): a range of idx_cases_matter each.
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
	FirstInYear    sql.NullInt64 `db:"first_in_year"`
	NextReceived   sql.NullInt64 `db:"next_received"`
	FirstYoungOpen sql.NullInt64 `db:"first_young_open"`
}

// historyBounds are the instants the history queries compare receipts
// with, in Unix seconds: the start of the 12 months, now, and the receipt
// before which an open case is old.
type historyBounds struct{ since, now, old int64 }

func boundsAt(now time.Time, backlogDays int) historyBounds {
	return historyBounds{since: secondAtOrAfter(petition.BacklogSince(now)), now: now.Unix(),
		old: secondAtOrAfter(now.Add(-time.Duration(backlogDays) * 24 * time.Hour))}
}

// args are the history queries' arguments, in the order of historyAggregates.
func (b historyBounds) args() []any {
	return []any{b.since, b.now, b.now, b.now, b.old, b.since, b.now, b.now, b.old}
}

// holdAt says whether aggregates read at bounds a still hold at the later
// bounds b, the cases being the same: no case counted in the 12 months has
// left them, none received after then has been received by now, no open
// case has grown old. A matter without cases holds for ever.
func (h historyAggs) holdAt(a, b historyBounds) bool {
	return b.now >= a.now &&
		(!h.FirstInYear.Valid || h.FirstInYear.Int64 >= b.since) &&
		(!h.NextReceived.Valid || h.NextReceived.Int64 > b.now) &&
		(!h.FirstYoungOpen.Valid || h.FirstYoungOpen.Int64 >= b.old)
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
	matters, err := matterRows(ctx, tx, unit)
	if err != nil {
		return nil, err
	}
	aggs, err := readHistories(ctx, tx, boundsAt(now, backlogDays), matters, unit == "")
	if err != nil {
		return nil, err
	}
	out := make([]petition.MatterHistory, len(matters))
	for i, row := range matters {
		out[i] = historyOf(row, aggs[row.Code])
	}
	return out, nil
}

// matterRows reads the registered matters of unit, or all when unit is "",
// by code.
func matterRows(ctx context.Context, tx *sqlx.Tx, unit string) ([]matterRow, error) {
	q, args := matterSelect+" ORDER BY code", []any{}
	if unit != "" {
		q, args = matterSelect+" WHERE unit = ? ORDER BY code", []any{unit}
	}
	var matters []matterRow
	if err := tx.SelectContext(ctx, &matters, q, args...); err != nil {
		return nil, fmt.Errorf("read matters: %w", err)
	}
	return matters, nil
}

// readHistories reads the aggregates of matters at b, each over its cases
// received after it was last resolved; all says that matters are every
// registered matter, read in one pass over idx_cases_matter rather than a
// range a matter. A matter without such cases has no entry.
func readHistories(ctx context.Context, tx *sqlx.Tx, b historyBounds, matters []matterRow, all bool) (map[string]historyAggs, error) {
	out := map[string]historyAggs{}
	if len(matters) == 0 {
		return out, nil
	}
	var codes, resolvedCodes []any
	for _, m := range matters {
		if m.ResolvedAt.Valid {
			resolvedCodes = append(resolvedCodes, m.Code)
		} else {
			codes = append(codes, m.Code)
		}
	}
	if len(codes) > 0 {
		q, args := historyQuery, b.args()
		if !all {
			q, args = fmt.Sprintf(historyOfQuery, marks(len(codes))), append(b.args(), codes...)
		}
		rows, err := selectAll[historyAggs](ctx, tx, "matter histories", q, args...)
		if err != nil {
			return nil, err
		}
		for _, a := range rows {
			out[a.Code] = a // all: the resolved ones' are replaced or dropped below
		}
	}
	for _, c := range resolvedCodes {
		delete(out, c.(string))
	}
	if len(resolvedCodes) > 0 {
		q := fmt.Sprintf(resolvedHistoryQuery, marks(len(resolvedCodes)))
		rows, err := selectAll[historyAggs](ctx, tx, "resolved matter histories", q, append(b.args(), resolvedCodes...)...)
		if err != nil {
			return nil, err
		}
		for _, a := range rows {
			out[a.Code] = a
		}
	}
	return out, nil
}

// historyOf is a matter's history from its row and its aggregates.
func historyOf(row matterRow, a historyAggs) petition.MatterHistory {
	m := row.matter()
	return petition.MatterHistory{Code: m.Code, Name: m.Name, Unit: m.Unit, Category: m.Category, Marked: m.MarkedBacklog,
		CasesYear: a.CasesYear, LastReceived: fromNullUnix(a.LastReceived), LastReReviewed: fromNullUnix(a.LastReReviewed),
		OldOpen: a.OldOpen, Lead: m.Lead}
}

// KeptHistories keeps the matters' histories from one refresh to the next.
// What the long-unresolved rule counts of a matter changes when its cases
// change, which every writer records by moving the matter's cases_version
// on (bumpMatters), when it is resolved again, or when the clock moves a
// counted case out of the 12 months, an uncounted one into now, or an open
// one past backlog_days (historyAggs.holdAt). A refresh reads the matters'
// rows and again only the cases of the matters one of those befell: not
// every case that names a matter, which grows with the archive. Its zero
// value keeps nothing yet.
type KeptHistories struct {
	mu          sync.Mutex
	backlogDays int
	at          historyBounds
	kept        map[string]keptHistory
}

// keptHistory is one matter's aggregates and what they were read for.
type keptHistory struct {
	version  int64
	resolved sql.NullInt64
	aggs     historyAggs
}

// KeptMatterHistories is MatterHistories, reading the cases only of the
// matters whose kept history no longer holds, and keeping what it read in k.
func (r *Reader) KeptMatterHistories(ctx context.Context, now time.Time, backlogDays int, k *KeptHistories) ([]petition.MatterHistory, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	matters, err := matterRows(ctx, r.tx, "")
	if err != nil {
		return nil, err
	}
	b := boundsAt(now, backlogDays)
	if k.kept == nil || k.backlogDays != backlogDays {
		k.kept = map[string]keptHistory{}
	}
	var stale []matterRow
	isStale := map[string]bool{}
	for _, m := range matters {
		h, ok := k.kept[m.Code]
		if !ok || h.version != m.CasesVersion || h.resolved != m.ResolvedAt || !h.aggs.holdAt(k.at, b) {
			stale = append(stale, m)
			isStale[m.Code] = true
		}
	}
	// every matter at the first refresh: one pass over the index
	aggs, err := readHistories(ctx, r.tx, b, stale, len(stale) == len(matters))
	if err != nil {
		return nil, err
	}
	kept := make(map[string]keptHistory, len(matters))
	out := make([]petition.MatterHistory, len(matters))
	for i, m := range matters {
		h := k.kept[m.Code]
		if isStale[m.Code] { // every matter not kept is
			h = keptHistory{version: m.CasesVersion, resolved: m.ResolvedAt, aggs: aggs[m.Code]}
		}
		kept[m.Code] = h
		out[i] = historyOf(m, h.aggs)
	}
	k.kept, k.at, k.backlogDays = kept, b, backlogDays
	return out, nil
}

// bumpMatters moves on the cases_version of the matters named in codes ("" is
// none) in the writer's transaction, after its other writes: one row a
// statement, in code order, so that writers lock the matters' rows in one
// order and hold them only until they commit (a list or a range over a table
// of a few rows is a scan, whose locks would take every row).
func bumpMatters(ctx context.Context, ex sqlx.ExecerContext, codes []string) error {
	codes = slices.DeleteFunc(slices.Clone(codes), func(c string) bool { return c == "" })
	slices.Sort(codes)
	for _, c := range slices.Compact(codes) {
		if _, err := ex.ExecContext(ctx, "UPDATE matters SET cases_version = cases_version + 1 WHERE code = ?", c); err != nil {
			return fmt.Errorf("version the cases of matter %s: %w", c, err)
		}
	}
	return nil
}
