package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// loadInProgressSetting marks a bulk load that has begun writing cases and
// not yet written its tallies: a load cut off there leaves cases the tallies
// do not count, and the mark tells the next import (or riskmon recount) to
// count them again from the facts.
const loadInProgressSetting = "bulk_load_in_progress"

// TallyDiff is a counter whose stored value was not what the facts count.
type TallyDiff struct {
	Table         string
	Key           string // "unit=x stage=y"
	Stored, Facts string // "completed=3 late=1"; "" for no row
}

func (d TallyDiff) String() string {
	or := func(s string) string {
		if s == "" {
			return "no row"
		}
		return s
	}
	return fmt.Sprintf("%s %s: stored %s, counted from the facts %s", d.Table, d.Key, or(d.Stored), or(d.Facts))
}

// Recount rebuilds every tally from the case and event rows, in one
// transaction, the day tally by the local days of loc, clears the mark of an
// interrupted bulk load (first adding back the indexes it set aside, which
// takes minutes at millions of cases), and returns the counters it changed. It rewrites
// what every writer adds to, so it holds the writers' gate exclusive.
func (s *Store) Recount(ctx context.Context, loc *time.Location) ([]TallyDiff, error) {
	return s.recount(ctx, loc, true)
}

// CheckTallies is Recount rolled back: what a recount would change.
func (s *Store) CheckTallies(ctx context.Context, loc *time.Location) ([]TallyDiff, error) {
	return s.recount(ctx, loc, false)
}

var errDryRun = errors.New("dry run")

func (s *Store) recount(ctx context.Context, loc *time.Location, commit bool) ([]TallyDiff, error) {
	gate, err := s.HoldWriters(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("recount: %w", err)
	}
	defer gate.Release()
	if commit {
		if err := s.restoreIndexes(ctx); err != nil {
			return nil, fmt.Errorf("recount: %w", err)
		}
	}
	var diffs []TallyDiff
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		diffs = nil
		before, err := readTallies(ctx, tx)
		if err != nil {
			return err
		}
		if err := recountTx(ctx, tx, s.dialect, loc); err != nil {
			return err
		}
		after, err := readTallies(ctx, tx)
		if err != nil {
			return err
		}
		diffs = diffTallies(before, after)
		if !commit {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return nil, fmt.Errorf("recount: %w", err)
	}
	return diffs, nil
}

// recountTx rebuilds the tallies from the facts in tx and clears the mark of
// an interrupted load.
func recountTx(ctx context.Context, tx *sqlx.Tx, d dialect, loc *time.Location) error {
	for _, t := range tallyTables {
		if t.fromFacts == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.name); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, t.fromFacts); err != nil {
			return err
		}
	}
	if err := rebuildCompletionDays(ctx, tx, d, loc); err != nil {
		return err
	}
	if err := talliesRewritten(ctx, tx, d); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM settings WHERE name = ?", loadInProgressSetting)
	return err
}

// readTallies reads every tally summed over its shards: table -> key -> values.
func readTallies(ctx context.Context, tx *sqlx.Tx) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, t := range tallyTables {
		keys := t.groupKeys()
		rows, err := tx.QueryContext(ctx, t.sumQuery())
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t.name, err)
		}
		m := map[string]string{}
		for rows.Next() {
			kv := make([]string, len(keys))
			vv := make([]int64, len(t.vals))
			dest := make([]any, 0, len(kv)+len(vv))
			for i := range kv {
				dest = append(dest, &kv[i])
			}
			for i := range vv {
				dest = append(dest, &vv[i])
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read %s: %w", t.name, err)
			}
			if slices.Equal(vv, make([]int64, len(vv))) {
				continue // a zero row counts what no row counts
			}
			m[joinPairs(keys, kv)] = joinPairs(t.vals, vv)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read %s: %w", t.name, err)
		}
		rows.Close()
		out[t.name] = m
	}
	return out, nil
}

func joinPairs[T any](names []string, vals []T) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s=%v", n, vals[i])
	}
	return strings.Join(parts, " ")
}

func diffTallies(before, after map[string]map[string]string) []TallyDiff {
	var out []TallyDiff
	for _, t := range tallyTables {
		b, a := before[t.name], after[t.name]
		keys := map[string]bool{}
		for k := range b {
			keys[k] = true
		}
		for k := range a {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		slices.Sort(sorted)
		for _, k := range sorted {
			if b[k] != a[k] {
				out = append(out, TallyDiff{Table: t.name, Key: k, Stored: b[k], Facts: a[k]})
			}
		}
	}
	return out
}

// LoadInterrupted says whether a bulk load began and did not finish: its
// cases are stored, its tallies not.
func (s *Store) LoadInterrupted(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, "SELECT COUNT(*) FROM settings WHERE name = ?", loadInProgressSetting); err != nil {
		return false, fmt.Errorf("read the load mark: %w", err)
	}
	return n > 0, nil
}
