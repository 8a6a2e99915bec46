package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

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

// windowSource is where receipts are counted: the cases themselves or one
// span of the receipt buckets, with its unit column, the column the window
// ranges over and the four values summed (received, collective,
// skip-level, repeats).
type windowSource struct {
	what, table, unit, col string
	vals                   []string
	span                   string // of receiptBucketTally; "" for the cases
}

var (
	windowCases = windowSource{"receipts", "cases", "received_unit", "received_at",
		[]string{"1", "collective", "skip_level", "is_repeat"}, ""}
	windowHours = windowSource{"receipts by hour", receiptBucketTally.name, "unit", receiptBucketTally.num,
		receiptBucketTally.vals, spanHour}
	windowDays = windowSource{"receipts by day", receiptBucketTally.name, "unit", receiptBucketTally.num,
		receiptBucketTally.vals, spanDay}
)

// span is [from, to) of a source's column.
type span struct{ from, to int64 }

// endless is the end of a span that runs to the latest receipt, however far
// ahead.
const endless = math.MaxInt64

// Windows counts the receipts since each start. From the tallies, a window
// from the second S is the cases received in its first part-hour, [S, the
// next whole hour), read through idx_cases_window, then the whole hours up
// to the next UTC midnight, then the whole days: at most an hour of cases
// and 24 + 31 tally rows a unit and category, whatever the archive holds.
// ReadFacts counts every case since S instead.
func (r *Reader) Windows(ctx context.Context, starts []time.Time) ([]WindowCount, error) {
	if len(starts) == 0 {
		return nil, nil
	}
	n := len(starts)
	cases, hours, days := make([]span, n), make([]span, n), make([]span, n)
	for i, start := range starts {
		s := secondAtOrAfter(start)
		if r.facts {
			cases[i] = span{s, endless}
			continue
		}
		h := ceilDiv(s, secondsPerHour) // the first whole hour
		d := ceilDiv(h, 24)             // the first whole UTC day
		cases[i], hours[i], days[i] = span{s, h * secondsPerHour}, span{h, d * 24}, span{d, endless}
	}
	byKey := map[unitCategory]*WindowCount{}
	if err := r.windowSums(ctx, windowCases, cases, byKey); err != nil {
		return nil, err
	}
	if !r.facts {
		if err := r.windowSums(ctx, windowHours, hours, byKey); err != nil {
			return nil, err
		}
		if err := r.windowSums(ctx, windowDays, days, byKey); err != nil {
			return nil, err
		}
	}
	return sortedWindows(byKey), nil
}

// windowOf is byKey's count of key for n windows, added when missing.
func windowOf(byKey map[unitCategory]*WindowCount, key unitCategory, n int) *WindowCount {
	w := byKey[key]
	if w == nil {
		all := make([]int64, 4*n)
		w = &WindowCount{Unit: key.unit, Category: key.category,
			Received: all[:n], Collective: all[n : 2*n], SkipLevel: all[2*n : 3*n], Repeats: all[3*n:]}
		byKey[key] = w
	}
	return w
}

// sortedWindows are byKey's counts by unit and category.
func sortedWindows(byKey map[unitCategory]*WindowCount) []WindowCount {
	out := make([]WindowCount, 0, len(byKey))
	for _, w := range byKey {
		out = append(out, *w)
	}
	slices.SortFunc(out, func(a, b WindowCount) int {
		return cmp.Or(cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Category, b.Category))
	})
	return out
}

type unitCategory struct{ unit, category string }

// windowSums adds to byKey, for each window i, src's receipts within
// spans[i], in one query over the union of the spans.
func (r *Reader) windowSums(ctx context.Context, src windowSource, spans []span, byKey map[unitCategory]*WindowCount) error {
	n := len(spans)
	var sums, where []string
	var args, whereArgs []any
	for _, v := range src.vals {
		for _, sp := range spans {
			sums = append(sums, fmt.Sprintf("SUM(CASE WHEN %s >= ? AND %s < ? THEN %s ELSE 0 END)", src.col, src.col, v))
			args = append(args, sp.from, sp.to)
		}
	}
	for _, sp := range spans {
		if sp.from < sp.to {
			where = append(where, fmt.Sprintf("(%s >= ? AND %s < ?)", src.col, src.col))
			whereArgs = append(whereArgs, sp.from, sp.to)
		}
	}
	if len(where) == 0 {
		return nil
	}
	cond := "(" + strings.Join(where, " OR ") + ")"
	if src.span != "" {
		cond = "span = ? AND " + cond
		whereArgs = append([]any{src.span}, whereArgs...)
	}
	q := "SELECT " + src.unit + ", category, " + strings.Join(sums, ", ") + " FROM " + src.table +
		" WHERE " + cond + " GROUP BY " + src.unit + ", category"
	rows, err := r.tx.QueryContext(ctx, q, append(args, whereArgs...)...)
	if err != nil {
		return fmt.Errorf("read %s: %w", src.what, err)
	}
	defer rows.Close()
	vals := make([]int64, 4*n)
	dest := make([]any, 2, 2+len(vals))
	var k unitCategory
	dest[0], dest[1] = &k.unit, &k.category
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("read %s: %w", src.what, err)
		}
		w := windowOf(byKey, k, n)
		for i := range n {
			w.Received[i] += vals[i]
			w.Collective[i] += vals[n+i]
			w.SkipLevel[i] += vals[2*n+i]
			w.Repeats[i] += vals[3*n+i]
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", src.what, err)
	}
	return nil
}

// ceilDiv is a / n rounded up (n > 0).
func ceilDiv(a, n int64) int64 { return -floorDiv(-a, n) }

// HourReceipts returns the cases received in each UTC hour (counted from
// the Unix epoch, floored) of [from, to] that received any: from the hour
// buckets, or with ReadFacts from the cases. A case once received stays in
// its hour, so a count that has not moved says that the hour's cases are
// the ones read before (the surge's kept hours of today).
func (r *Reader) HourReceipts(ctx context.Context, from, to int64) (map[int64]int64, error) {
	type hourRow struct {
		Hour     int64 `db:"hour"`
		Received int64 `db:"received"`
	}
	if r.facts {
		at, err := selectAll[int64](ctx, r.tx, "receipts by hour", "SELECT received_at FROM cases WHERE received_at >= ? AND received_at < ?",
			from*secondsPerHour, (to+1)*secondsPerHour)
		out := map[int64]int64{}
		for _, s := range at {
			out[floorDiv(s, secondsPerHour)]++
		}
		return out, err
	}
	return selectMap(ctx, r.tx, "receipts by hour", func(h hourRow) (int64, int64) { return h.Hour, h.Received },
		`SELECT bucket AS hour, SUM(received) AS received FROM receipt_bucket_tally
WHERE span = ? AND bucket >= ? AND bucket <= ? GROUP BY bucket`, spanHour, from, to)
}
