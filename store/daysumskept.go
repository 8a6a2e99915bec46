package store

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// KeptDaySums keeps, from one refresh to the next, what a day tally (the
// stage completions, evaluations or reports upward of the month and the
// quarter) sums since each start over the days before today. A writer only
// ever adds to a day tally, and each fact it counts adds at least one
// (countDays), so the sum of every counter over those days moves whenever
// one of their rows does, an event recorded late into a past day included:
// a refresh reads that sum, one row, and the days' sums again only when it
// moved, when the starts or today changed, or when the tallies were
// rewritten (recount, the bulk load, a new zone: the row of allReceiptDays,
// talliesRewritten, moves on, and the zone is kept with the sums). Today's
// rows and any later it reads at every refresh: that is where events land.
// Its zero value keeps nothing yet.
type KeptDaySums struct {
	mu      sync.Mutex
	kept    bool // something is kept
	zone    string
	epoch   int64
	starts  []int64
	today   int64
	sum     int64        // of every counter of the days [min(starts), today)
	settled []PeriodSums // the sums of those days
}

// read is daySums of [from, ∞) since starts: the days before today from k
// while their sum stands, today's and later from t.
func (k *KeptDaySums) read(ctx context.Context, r *Reader, t tallyTable, zone string, starts []int64, from, today int64) ([]PeriodSums, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	epoch, err := r.rewriteEpoch(ctx)
	if err != nil {
		return nil, err
	}
	sums, err := selectAll[int64](ctx, r.tx, "the sum of the days before today",
		"SELECT COALESCE(SUM("+strings.Join(t.vals, " + ")+"), 0) FROM "+t.name+" WHERE day >= ? AND day < ?", from, today)
	if err != nil {
		return nil, err
	}
	if !k.kept || k.zone != zone || k.epoch != epoch || !slices.Equal(k.starts, starts) || k.today != today || k.sum != sums[0] {
		settled, err := r.daySums(ctx, t, starts, from, today)
		if err != nil {
			return nil, err
		}
		k.kept, k.zone, k.epoch, k.starts, k.today, k.sum, k.settled = true, zone, epoch, slices.Clone(starts), today, sums[0], settled
	}
	live, err := r.daySums(ctx, t, starts, max(from, today), endless)
	if err != nil {
		return nil, err
	}
	return addPeriodSums(k.settled, live), nil
}

// addPeriodSums is a and b added by unit and key, in a's order and then
// b's; neither is changed.
func addPeriodSums(a, b []PeriodSums) []PeriodSums {
	type key struct{ unit, key string }
	at := make(map[key]int, len(a))
	var out []PeriodSums
	for _, ps := range slices.Concat(a, b) {
		i, ok := at[key{ps.Unit, ps.Key}]
		if !ok {
			at[key{ps.Unit, ps.Key}] = len(out)
			out = append(out, PeriodSums{Unit: ps.Unit, Key: ps.Key, Vals: cloneVals(ps.Vals)})
			continue
		}
		for v, vals := range ps.Vals {
			for s, n := range vals {
				out[i].Vals[v][s] += n
			}
		}
	}
	return out
}

func cloneVals(vals [][]int64) [][]int64 {
	out := make([][]int64, len(vals))
	for i, v := range vals {
		out[i] = slices.Clone(v)
	}
	return out
}
