package collector

import (
	"context"

	"riskmon/store"
)

// ReceiptWindows emits receipts in the today, 7d and 30d windows, by the unit
// and category at receipt, like the counters they window. It keeps the
// settled days' receipt buckets between refreshes (kept).
type ReceiptWindows struct{ kept *store.KeptWindows }

var _ Scraper = ReceiptWindows{}

// Name of the scraper.
func (ReceiptWindows) Name() string { return "receipt_windows" }

// Scrape emits the window gauges.
func (s ReceiptWindows) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, err := r.KeptWindows(ctx, env.Now, env.WindowStarts(), s.kept)
	if err != nil {
		return err
	}
	byUC := map[unitAnd]store.WindowCount{}
	type unitWindows struct{ collective, skipLevel, repeats []int64 } // one count a window
	byUnit := map[string]*unitWindows{}
	for _, row := range rows {
		byUC[unitAnd{row.Unit, row.Category}] = row
		u := byUnit[row.Unit]
		if u == nil {
			n := len(Windows)
			u = &unitWindows{make([]int64, n), make([]int64, n), make([]int64, n)}
			byUnit[row.Unit] = u
		}
		for i := range Windows {
			u.collective[i] += row.Collective[i]
			u.skipLevel[i] += row.SkipLevel[i]
			u.repeats[i] += row.Repeats[i]
		}
	}
	env.eachUnitCategory(func(unit, category string) {
		row, ok := byUC[unitAnd{unit, category}]
		for i, w := range Windows {
			v := 0.0
			if ok {
				v = float64(row.Received[i])
			}
			emit(receivedWindow, v, unit, category, w)
		}
	})
	env.eachUnit(func(unit string) {
		u := byUnit[unit]
		for i, w := range Windows {
			var c, s, rep float64
			if u != nil {
				c, s, rep = float64(u.collective[i]), float64(u.skipLevel[i]), float64(u.repeats[i])
			}
			emit(collectiveReceivedWindow, c, unit, w)
			emit(skipLevelReceivedWindow, s, unit, w)
			emit(repeatReceivedWindow, rep, unit, w)
		}
	})
	return nil
}
