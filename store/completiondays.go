package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/calendar"
	"riskmon/petition"
)

// completionDayZoneSetting names the zone whose local days
// completion_day_tally counts by. The writers count by the zone of the rules
// they are given; a tally whose recorded zone is not the configured one is
// rebuilt (RecountCompletionDays) and not read until then.
const completionDayZoneSetting = "completion_day_zone"

// RecountCompletionDays makes completion_day_tally count by the local days of
// loc. When the zone recorded with the tally is another, or none (the
// upgrade that added the table), it rebuilds the tally from the completion
// events and records loc, in one transaction; it reports whether it did.
//
// On MySQL the transaction is SERIALIZABLE, so that a writer completing a
// stage meanwhile is counted once: the rebuild first reads the events with
// shared locks on them and on the gap past the last, so a writer that
// inserted its event before finishes (tally and all) before the read goes
// on, and one that had not waits to insert it until the rebuild commits,
// then adds its count to the rebuilt tally. Reading before touching the
// tally is what keeps the two from waiting on each other in a circle. The
// session's READ COMMITTED would let a count be lost or doubled.
func (s *Store) RecountCompletionDays(ctx context.Context, loc *time.Location) (bool, error) {
	zone, err := completionDayZone(ctx, s.db, "")
	if err != nil {
		return false, fmt.Errorf("recount completion days: %w", err)
	}
	if zone == loc.String() {
		return false, nil
	}
	rebuilt := false
	err = s.inTxWith(ctx, s.dialect.serializable, func(tx *sqlx.Tx) error {
		zone, err := completionDayZone(ctx, tx, s.dialect.forUpdate) // another process may have rebuilt it
		if err != nil || zone == loc.String() {
			rebuilt = false
			return err
		}
		rebuilt = true
		if err := rebuildCompletionDays(ctx, tx, s.dialect, loc); err != nil {
			return err
		}
		return bumpRewriteEpoch(ctx, tx, s.dialect) // what KeptDaySums keeps of them is read again
	})
	if err != nil {
		return false, fmt.Errorf("recount completion days: %w", err)
	}
	return rebuilt, nil
}

// rebuildCompletionDays counts every day tally (dayTallies) again from the
// events, by the local days of loc, and records loc as their zone.
func rebuildCompletionDays(ctx context.Context, tx *sqlx.Tx, d dialect, loc *time.Location) error {
	rows, err := tx.QueryContext(ctx, `SELECT unit, completed_stage, result, report_to, at, late FROM case_events
WHERE completed_stage IS NOT NULL OR result IS NOT NULL OR report_to IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("read the events of the day tallies: %w", err)
	}
	defer rows.Close()
	days := newDayTallies()
	var (
		unit              string
		stage, result, to sql.NullString
		at                int64
		late              bool
	)
	for rows.Next() {
		if err := rows.Scan(&unit, &stage, &result, &to, &at, &late); err != nil {
			return fmt.Errorf("read the events of the day tallies: %w", err)
		}
		days.countDays(unit, petition.Event{At: fromUnix(at), Result: result.String, To: to.String}, stage.String, late, loc)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the events of the day tallies: %w", err)
	}
	for _, t := range days.tables() {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.table); err != nil {
			return fmt.Errorf("reset %s: %w", t.table, err)
		}
		if err := t.write(ctx, tx, d); err != nil {
			return err
		}
	}
	return recordCompletionDayZone(ctx, tx, d, loc)
}

func recordCompletionDayZone(ctx context.Context, tx *sqlx.Tx, d dialect, loc *time.Location) error {
	if err := putSetting(ctx, tx, d, completionDayZoneSetting, loc.String()); err != nil {
		return fmt.Errorf("record the zone of the completion days: %w", err)
	}
	return nil
}

// completionDayZone returns the zone recorded with completion_day_tally, ""
// when none is.
func completionDayZone(ctx context.Context, q sqlx.QueryerContext, lock string) (string, error) {
	var zone string
	err := sqlx.GetContext(ctx, q, &zone, "SELECT value FROM settings WHERE name = ?"+lock, completionDayZoneSetting)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return zone, err
}

// CompletionsSince counts stage completions by unit and stage (Vals:
// completed, of them late) since the start of each local day of starts (of
// loc), from the day tally. ok is false, and nothing is read, while the
// tally counts by another zone's days (RecountCompletionDays has not run for
// loc yet): the counts would be wrong, not just late.
func (r *Reader) CompletionsSince(ctx context.Context, loc *time.Location, starts []calendar.Day, today calendar.Day, k *KeptDaySums) ([]PeriodSums, bool, error) {
	return r.daySumsSince(ctx, loc, completionDayTally, starts, today, k)
}

// PeriodSums is what a day tally counts for a unit and a key (a stage, a
// result, a recipient) since each start given: Vals[v][i] sums the tally's
// value column v since start i.
type PeriodSums struct {
	Unit, Key string
	Vals      [][]int64
}

// EvaluationsSince counts evaluations by unit and result since each start,
// like CompletionsSince.
func (r *Reader) EvaluationsSince(ctx context.Context, loc *time.Location, starts []calendar.Day, today calendar.Day, k *KeptDaySums) ([]PeriodSums, bool, error) {
	return r.daySumsSince(ctx, loc, evaluationDayTally, starts, today, k)
}

// ReportsSince counts reports upward by unit and recipient since each
// start (Vals: reports, of them late), like CompletionsSince.
func (r *Reader) ReportsSince(ctx context.Context, loc *time.Location, starts []calendar.Day, today calendar.Day, k *KeptDaySums) ([]PeriodSums, bool, error) {
	return r.daySumsSince(ctx, loc, reportDayTally, starts, today, k)
}

// daySumsSince reads day tally t (its key columns: unit, the key, day)
// summed since each start; ok is false while the day tallies count by
// another zone's days. With k (today the local day of the refresh), the
// days before today come from k while their sum is unchanged (KeptDaySums).
func (r *Reader) daySumsSince(ctx context.Context, loc *time.Location, t tallyTable, starts []calendar.Day, today calendar.Day, k *KeptDaySums) (out []PeriodSums, ok bool, err error) {
	what := "read " + strings.TrimSuffix(t.name, "_tally")
	zone, err := completionDayZone(ctx, r.tx, "")
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", what, err)
	}
	if zone != loc.String() || len(starts) == 0 {
		return nil, false, nil
	}
	days := make([]int64, len(starts))
	for i, s := range starts {
		days[i] = int64(s)
	}
	// The day leads the key: the range of the earliest start is all that is read.
	from := slices.Min(days)
	if r.facts || k == nil {
		out, err = r.daySums(ctx, t, days, from, endless)
	} else {
		out, err = k.read(ctx, r, t, zone, days, from, int64(today))
	}
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", what, err)
	}
	return out, true, nil
}

// daySums reads t's rows of the days [from, to) summed since each start.
func (r *Reader) daySums(ctx context.Context, t tallyTable, starts []int64, from, to int64) ([]PeriodSums, error) {
	cols, args := sumsSince("day", t.vals, starts)
	key := t.keys[1]
	q := "SELECT unit, " + key + ", " + cols + " FROM " + t.name + " WHERE day >= ?"
	args = append(args, from)
	if to != endless {
		q += " AND day < ?"
		args = append(args, to)
	}
	rows, err := r.tx.QueryContext(ctx, q+" GROUP BY unit, "+key, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	n := len(starts)
	var out []PeriodSums
	for rows.Next() {
		flat := make([]int64, len(t.vals)*n)
		ps := PeriodSums{}
		dest := []any{&ps.Unit, &ps.Key}
		for i := range flat {
			dest = append(dest, &flat[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for v := range t.vals {
			ps.Vals = append(ps.Vals, flat[v*n:(v+1)*n])
		}
		out = append(out, ps)
	}
	return out, rows.Err()
}

// sumsSince returns, for each of exprs and each of starts in that order, a
// column summing the expression over the rows whose col is at or after the
// start, with their arguments: a WHERE col >= the earliest start then lets
// one pass over the widest range serve all.
func sumsSince(col string, exprs []string, starts []int64) (cols string, args []any) {
	var sums []string
	for _, e := range exprs {
		for _, s := range starts {
			sums = append(sums, fmt.Sprintf("SUM(CASE WHEN %s >= ? THEN %s ELSE 0 END)", col, e))
			args = append(args, s)
		}
	}
	return strings.Join(sums, ", "), args
}
