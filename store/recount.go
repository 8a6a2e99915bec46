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

// tallyTable is a counter table, its key and value columns and how the facts
// count it; the day tallies are counted in Go (rebuildCompletionDays), by
// the zone's days.
type tallyTable struct {
	name       string
	keys, vals []string
	fromFacts  string // INSERT ... SELECT from cases or case_events; "" for the day tally
}

var tallyTables = []tallyTable{
	{"receipt_tally", []string{"unit", "category", "channel", "level"},
		[]string{"cases", "persons", "collective", "repeats", "timely_cases", "timely_collective"},
		`INSERT INTO receipt_tally (unit, category, channel, level, cases, persons, collective, repeats, timely_cases,
timely_collective, shard)
SELECT received_unit, category, channel, level, COUNT(*), SUM(persons), SUM(collective), SUM(is_repeat), SUM(timely),
SUM(timely * collective), 0
FROM cases GROUP BY received_unit, category, channel, level`},
	{"completion_tally", []string{"unit", "stage"}, []string{"completed", "late"},
		`INSERT INTO completion_tally (unit, stage, completed, late, shard)
SELECT unit, completed_stage, COUNT(*), SUM(late), 0 FROM case_events
WHERE completed_stage IS NOT NULL GROUP BY unit, completed_stage`},
	{"evaluation_tally", []string{"unit", "result"}, []string{"evaluations"},
		// only evaluations carry a result
		`INSERT INTO evaluation_tally (unit, result, evaluations, shard)
SELECT unit, result, COUNT(*), 0 FROM case_events WHERE result IS NOT NULL GROUP BY unit, result`},
	{"request_tally", []string{"unit", "stage"}, []string{"requests", "late"},
		// only the two request types open the review stages
		`INSERT INTO request_tally (unit, stage, requests, late, shard)
SELECT unit, CASE type WHEN 'review_requested' THEN 'review' ELSE 're_review' END, COUNT(*), SUM(late), 0 FROM case_events
WHERE type IN ('review_requested', 're_review_requested') GROUP BY unit, type`},
	{"diversion_tally", []string{"unit", "category", "diverted_to"}, []string{"diversions"},
		// only diversions name a procedure; the category is the case's
		`INSERT INTO diversion_tally (unit, category, diverted_to, diversions, shard)
SELECT e.unit, c.category, e.diverted_to, COUNT(*), 0 FROM case_events e JOIN cases c ON c.id = e.case_id
WHERE e.diverted_to IS NOT NULL GROUP BY e.unit, c.category, e.diverted_to`},
	{"completion_day_tally", []string{"unit", "stage", "day"}, []string{"completed", "late"}, ""},
	{"evaluation_day_tally", []string{"unit", "result", "day"}, []string{"evaluations"}, ""},
	{"report_day_tally", []string{"unit", "recipient", "day"}, []string{"reports", "late"}, ""},
	disputeTallyTable(),
}

// disputeTallyTable counts the register from its facts: found by the risk
// when found; resolved and escalated by the risk at the end, which no event
// changes after either; late and timely from the dispute's last event, the
// one that ended it; major from the case it became.
func disputeTallyTable() tallyTable {
	return tallyTable{"dispute_tally", []string{"unit", "category", "risk"},
		[]string{"found", "resolved", "resolved_late", "escalated", "escalated_timely", "escalated_major_timely"},
		`INSERT INTO dispute_tally (unit, category, risk, shard, found, resolved, resolved_late, escalated, escalated_timely,
escalated_major_timely)
SELECT unit, category, risk, 0, SUM(found), SUM(resolved), SUM(late), SUM(escalated), SUM(timely), SUM(major) FROM (
SELECT unit, category, found_risk AS risk, 1 AS found, 0 AS resolved, 0 AS late, 0 AS escalated, 0 AS timely, 0 AS major
FROM disputes
UNION ALL
SELECT d.unit, d.category, d.risk, 0, CASE WHEN d.status = 'resolved' THEN 1 ELSE 0 END, CASE WHEN d.status = 'resolved' THEN e.late ELSE 0 END,
CASE WHEN d.status = 'escalated' THEN 1 ELSE 0 END, CASE WHEN d.status = 'escalated' THEN e.timely ELSE 0 END,
CASE WHEN d.status = 'escalated' AND e.timely = 1 AND (c.collective = 1 OR c.skip_level = 1) THEN 1 ELSE 0 END
FROM disputes d JOIN dispute_events e ON e.dispute_id = d.id AND e.seq = d.last_seq
LEFT JOIN cases c ON c.case_no = d.escalated_case
WHERE d.status IN ('resolved', 'escalated')
) facts GROUP BY unit, category, risk`}
}

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
// interrupted bulk load, and returns the counters it changed. It rewrites
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
	_, err := tx.ExecContext(ctx, "DELETE FROM settings WHERE name = ?", loadInProgressSetting)
	return err
}

// readTallies reads every tally summed over its shards: table -> key -> values.
func readTallies(ctx context.Context, tx *sqlx.Tx) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, t := range tallyTables {
		sums := make([]string, len(t.vals))
		for i, v := range t.vals {
			sums[i] = "SUM(" + v + ")"
		}
		keys := strings.Join(t.keys, ", ")
		rows, err := tx.QueryContext(ctx, "SELECT "+keys+", "+strings.Join(sums, ", ")+" FROM "+t.name+" GROUP BY "+keys)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t.name, err)
		}
		m := map[string]string{}
		for rows.Next() {
			kv := make([]string, len(t.keys))
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
			m[joinPairs(t.keys, kv)] = joinPairs(t.vals, vv)
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
