package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Reader answers the collector's aggregate queries from one consistent
// snapshot of the database, so that one refresh never mixes two moments.
type Reader struct {
	tx *sqlx.Tx
}

// Read runs fn in a read transaction. MariaDB's REPEATABLE READ gives every
// query in it the same snapshot; SQLite's transaction does the same.
func (s *Store) Read(ctx context.Context, fn func(*Reader) error) error {
	opts := &sql.TxOptions{}
	if s.dialect.name == "mysql" {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := s.db.BeginTxx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(&Reader{tx: tx})
}

// Units lists the units by code.
func (r *Reader) Units(ctx context.Context) ([]Unit, error) { return listUnits(ctx, r.tx) }

// Categories lists the categories by code.
func (r *Reader) Categories(ctx context.Context) ([]Category, error) {
	return listCategories(ctx, r.tx)
}

// ReceiptCount is one row of the all-time receipt counters.
type ReceiptCount struct {
	Unit       string `db:"unit"`
	Category   string `db:"category"`
	Channel    string `db:"channel"`
	Level      string `db:"level"`
	Cases      int64  `db:"cases"`
	Persons    int64  `db:"persons"`
	Collective int64  `db:"collective"`
	Repeats    int64  `db:"repeats"`
	// of them, registered within the backfill horizon of their receipt
	TimelyCases      int64 `db:"timely_cases"`
	TimelyCollective int64 `db:"timely_collective"`
}

// Receipts returns the all-time receipt counters by the unit and category the
// cases had when received.
func (r *Reader) Receipts(ctx context.Context) ([]ReceiptCount, error) {
	return selectAll[ReceiptCount](ctx, r.tx, "receipt counts", receiptTally.sumQuery())
}

// CompletionCount is one row of the stage completion counters.
type CompletionCount struct {
	Unit      string `db:"unit"`
	Stage     string `db:"stage"`
	Completed int64  `db:"completed"`
	Late      int64  `db:"late"`
}

// Completions returns how many stages each unit completed, and how many late.
func (r *Reader) Completions(ctx context.Context) ([]CompletionCount, error) {
	return selectAll[CompletionCount](ctx, r.tx, "completion counts", completionTally.sumQuery())
}

// EvaluationCount is one row of the evaluation counters.
type EvaluationCount struct {
	Unit        string `db:"unit"`
	Result      string `db:"result"`
	Evaluations int64  `db:"evaluations"`
}

// Evaluations returns the petitioners' evaluations by unit and result.
func (r *Reader) Evaluations(ctx context.Context) ([]EvaluationCount, error) {
	return selectAll[EvaluationCount](ctx, r.tx, "evaluation counts", evaluationTally.sumQuery())
}

// RequestCount is one row of the review request counters.
type RequestCount struct {
	Unit     string `db:"unit"`
	Stage    string `db:"stage"`
	Requests int64  `db:"requests"`
	Late     int64  `db:"late"`
}

// Requests returns the review and re-review requests by the unit whose
// decision they contest, and how many the record shows outside the window.
func (r *Reader) Requests(ctx context.Context) ([]RequestCount, error) {
	return selectAll[RequestCount](ctx, r.tx, "request counts", requestTally.sumQuery())
}

func selectAll[T any](ctx context.Context, tx *sqlx.Tx, what, query string, args ...any) ([]T, error) {
	var out []T
	if err := tx.SelectContext(ctx, &out, query, args...); err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return out, nil
}

// WindowCount counts the cases received by a unit in a category since each of
// the window starts given to Windows, in the same order.
type WindowCount struct {
	Unit       string
	Category   string
	Received   []int64
	Collective []int64
	SkipLevel  []int64
	Repeats    []int64
}

// sumsSince returns, for each of exprs and each of starts in that order, a
// column summing the expression over the rows whose col is at or after the
// start, with their arguments followed by the earliest start: the argument
// of the WHERE col >= ? that lets one pass over the widest range serve all.
func sumsSince(col string, exprs []string, starts []int64) (cols string, args []any) {
	var sums []string
	for _, e := range exprs {
		for _, s := range starts {
			sums = append(sums, fmt.Sprintf("SUM(CASE WHEN %s >= ? THEN %s ELSE 0 END)", col, e))
			args = append(args, s)
		}
	}
	return strings.Join(sums, ", "), append(args, slices.Min(starts))
}

// Windows counts receipts since each start in one pass over the index range of
// the widest window. The starts cut the range into bands (a row's band is the
// latest start at or before its receipt); the query sums four columns by
// band, and a window is the sum of the bands from its start on: four sums a
// row instead of four a window.
func (r *Reader) Windows(ctx context.Context, starts []time.Time) ([]WindowCount, error) {
	if len(starts) == 0 {
		return nil, nil
	}
	secs := make([]int64, len(starts))
	for i, s := range starts {
		secs[i] = secondAtOrAfter(s)
	}
	bounds := slices.Compact(slices.Sorted(slices.Values(secs)))
	band := "CASE"
	var args []any
	for i := len(bounds) - 1; i > 0; i-- {
		band += fmt.Sprintf(" WHEN received_at >= ? THEN %d", i)
		args = append(args, bounds[i])
	}
	band += " ELSE 0 END"
	q := "SELECT received_unit, category, " + band + ` AS band, COUNT(*), SUM(collective), SUM(skip_level), SUM(is_repeat)
FROM cases WHERE received_at >= ? GROUP BY received_unit, category, band`
	rows, err := r.tx.QueryContext(ctx, q, append(args, bounds[0])...)
	if err != nil {
		return nil, fmt.Errorf("read receipt windows: %w", err)
	}
	defer rows.Close()
	n := len(starts)
	type unitCategory struct{ unit, category string }
	byKey := map[unitCategory]*WindowCount{}
	var out []*WindowCount
	for rows.Next() {
		var k unitCategory
		var b int
		var sums [4]int64 // received, collective, skip-level, repeats
		if err := rows.Scan(&k.unit, &k.category, &b, &sums[0], &sums[1], &sums[2], &sums[3]); err != nil {
			return nil, fmt.Errorf("read receipt windows: %w", err)
		}
		w := byKey[k]
		if w == nil {
			vals := make([]int64, 4*n)
			w = &WindowCount{Unit: k.unit, Category: k.category,
				Received: vals[:n], Collective: vals[n : 2*n], SkipLevel: vals[2*n : 3*n], Repeats: vals[3*n:]}
			byKey[k] = w
			out = append(out, w)
		}
		for i, start := range secs {
			if bounds[b] >= start { // the band lies inside window i
				w.Received[i] += sums[0]
				w.Collective[i] += sums[1]
				w.SkipLevel[i] += sums[2]
				w.Repeats[i] += sums[3]
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read receipt windows: %w", err)
	}
	counts := make([]WindowCount, len(out))
	for i, w := range out {
		counts[i] = *w
	}
	return counts, nil
}

// BacklogCount describes the open cases of a unit, category and stage.
type BacklogCount struct {
	Unit     string        `db:"unit"`
	Category string        `db:"category"`
	Stage    string        `db:"stage"`
	Open     int64         `db:"open"`
	Overdue  int64         `db:"overdue"`
	DueSoon  int64         `db:"due_soon"`
	Oldest   sql.NullInt64 `db:"oldest"` // earliest passed deadline, Unix seconds
}

// secondAtOrAfter returns the first whole second at or after t, as Unix
// seconds. Stored times are whole seconds, so for a stored s, s >= t exactly
// when s >= secondAtOrAfter(t), and s < t exactly when s < secondAtOrAfter(t):
// the comparisons of petition.State.Overdue (a deadline has passed when now
// is after it) and of the receipt windows, at any instant. Truncating t
// instead would keep a case on time, or in the last hour, for up to a second
// after the API says otherwise.
func secondAtOrAfter(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

// GROUP BY follows idx_cases_open so the index is read in order, with no
// temporary table. A case is overdue when its deadline has passed
// (deadline < secondAtOrAfter(now)): at the deadline instant itself it is on
// time, and due soon; due soon up to the deadline now + horizon, whose whole
// seconds are those at or before its Unix().
const backlogQuery = `SELECT unit, category, stage, COUNT(*) AS open,
SUM(CASE WHEN stage_deadline < ? THEN 1 ELSE 0 END) AS overdue,
SUM(CASE WHEN stage_deadline >= ? AND stage_deadline <= ? THEN 1 ELSE 0 END) AS due_soon,
MIN(CASE WHEN stage_deadline < ? THEN stage_deadline END) AS oldest
FROM cases WHERE stage IS NOT NULL GROUP BY stage, unit, category`

// Backlog returns the open cases by current unit, category and stage at now.
func (r *Reader) Backlog(ctx context.Context, now time.Time, horizon time.Duration) ([]BacklogCount, error) {
	p := secondAtOrAfter(now)
	return selectAll[BacklogCount](ctx, r.tx, "backlog", backlogQuery, p, p, now.Add(horizon).Unix(), p)
}

// SupervisedCount counts the open cases a level supervises in a unit.
type SupervisedCount struct {
	Unit    string `db:"unit"`
	Level   string `db:"level"`
	Open    int64  `db:"open"`
	Overdue int64  `db:"overdue"`
}

// Supervised cases are few: idx_cases_supervision holds them apart from
// the others. Overdue as in the backlog: the deadline has passed.
const supervisedQuery = `SELECT unit, supervision AS level, COUNT(*) AS open,
SUM(CASE WHEN stage_deadline < ? THEN 1 ELSE 0 END) AS overdue
FROM cases WHERE supervision IS NOT NULL AND stage IS NOT NULL GROUP BY supervision, unit`

// Supervised returns the open supervised cases by current unit and level at now.
func (r *Reader) Supervised(ctx context.Context, now time.Time) ([]SupervisedCount, error) {
	return selectAll[SupervisedCount](ctx, r.tx, "supervised cases", supervisedQuery, secondAtOrAfter(now))
}

// UnansweredCount counts the cases a level supervises whose organ has not
// answered in writing (art. 40 ¶4), by current unit.
type UnansweredCount struct {
	Unit       string `db:"unit"`
	Level      string `db:"level"`
	Unanswered int64  `db:"unanswered"`
}

// idx_cases_supervision_answer holds the unanswered apart: a closed case owes
// no answer.
const unansweredQuery = `SELECT unit, supervision AS level, COUNT(*) AS unanswered FROM cases
WHERE supervision_answered = 0 AND supervision IS NOT NULL AND status <> 'closed' GROUP BY supervision, unit`

// SupervisionUnanswered returns the supervised cases not yet answered, by
// current unit and level.
func (r *Reader) SupervisionUnanswered(ctx context.Context) ([]UnansweredCount, error) {
	return selectAll[UnansweredCount](ctx, r.tx, "unanswered supervision", unansweredQuery)
}
