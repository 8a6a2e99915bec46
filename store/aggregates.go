package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Reader answers the collector's aggregate queries from one consistent
// snapshot of the database, so that one refresh never mixes two moments.
type Reader struct {
	tx    *sqlx.Tx
	facts bool   // ReadFacts
	epoch *int64 // rewriteEpoch, once read
}

// Read runs fn in a read transaction. MariaDB's REPEATABLE READ gives every
// query in it the same snapshot; SQLite's transaction does the same.
func (s *Store) Read(ctx context.Context, fn func(*Reader) error) error {
	return s.read(ctx, false, fn)
}

// ReadFacts is Read with the backlog, the supervised cases and the receipt
// windows counted from the cases themselves instead of the tallies the
// writers keep: the reference the kept tallies are tested against, at a
// cost that grows with the archive (every open case, every supervised case,
// every receipt of the last 30 days).
func (s *Store) ReadFacts(ctx context.Context, fn func(*Reader) error) error {
	return s.read(ctx, true, fn)
}

func (s *Store) read(ctx context.Context, facts bool, fn func(*Reader) error) error {
	opts := &sql.TxOptions{}
	if s.dialect.name == "mysql" {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := s.db.BeginTxx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(&Reader{tx: tx, facts: facts})
}

// Units lists the units by code.
func (r *Reader) Units(ctx context.Context) ([]Unit, error) { return listUnits(ctx, r.tx) }

// Categories lists the categories by code.
func (r *Reader) Categories(ctx context.Context) ([]Category, error) {
	return listCategories(ctx, r.tx)
}

// AllTime is an all-time tally as the collector reads it: summed over its
// shards, a T a row, whose fields are the tally's key and value columns by
// their db tags.
type AllTime[T any] struct{ table *tallyTable }

// The all-time tallies the collector reads.
var (
	// AllReceipts: the receipts by the unit and category the cases had when
	// received.
	AllReceipts = AllTime[ReceiptCount]{&receiptTally}
	// AllCompletions: the stages each unit completed, and how many late.
	AllCompletions = AllTime[CompletionCount]{&completionTally}
	// AllEvaluations: the petitioners' evaluations by unit and result.
	AllEvaluations = AllTime[EvaluationCount]{&evaluationTally}
	// AllRequests: the review and re-review requests by the unit whose
	// decision they contest, and how many the record shows outside the window.
	AllRequests = AllTime[RequestCount]{&requestTally}
	// AllDiversions: the matters diverted into another procedure (2022 Reg.
	// arts. 28, 30, 31(1)-(5)) by the unit that held them, the case's
	// category and the procedure.
	AllDiversions = AllTime[DiversionCount]{&diversionTally}
	// AllDisputes: the register's counters.
	AllDisputes = AllTime[DisputeCount]{&disputeTally}
)

// Read reads a in r's snapshot.
func (a AllTime[T]) Read(ctx context.Context, r *Reader) ([]T, error) {
	return selectAll[T](ctx, r.tx, a.table.name, a.table.sumQuery())
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

// CompletionCount is one row of the stage completion counters.
type CompletionCount struct {
	Unit      string `db:"unit"`
	Stage     string `db:"stage"`
	Completed int64  `db:"completed"`
	Late      int64  `db:"late"`
}

// EvaluationCount is one row of the evaluation counters.
type EvaluationCount struct {
	Unit        string `db:"unit"`
	Result      string `db:"result"`
	Evaluations int64  `db:"evaluations"`
}

// RequestCount is one row of the review request counters.
type RequestCount struct {
	Unit     string `db:"unit"`
	Stage    string `db:"stage"`
	Requests int64  `db:"requests"`
	Late     int64  `db:"late"`
}

// DiversionCount is one row of the diversion counters.
type DiversionCount struct {
	Unit       string `db:"unit"`
	Category   string `db:"category"`
	DivertedTo string `db:"diverted_to"`
	Diversions int64  `db:"diversions"`
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
