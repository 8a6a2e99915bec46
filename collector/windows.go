package collector

import (
	"context"

	"riskmon/store"
)

// ReceiptWindows emits receipts in the today, 7d and 30d windows, by the unit
// and category at receipt, like the counters they window.
type ReceiptWindows struct{}

var _ Scraper = ReceiptWindows{}

// Name of the scraper.
func (ReceiptWindows) Name() string { return "receipt_windows" }

// Scrape emits the window gauges.
func (ReceiptWindows) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, err := r.Windows(ctx, env.WindowStarts())
	if err != nil {
		return err
	}
	byUC := map[[2]string]store.WindowCount{}
	byUnit := map[string]*[3][]int64{} // collective, skip-level, repeats per window
	for _, row := range rows {
		byUC[[2]string{row.Unit, row.Category}] = row
		u := byUnit[row.Unit]
		if u == nil {
			u = &[3][]int64{make([]int64, len(Windows)), make([]int64, len(Windows)), make([]int64, len(Windows))}
			byUnit[row.Unit] = u
		}
		for i := range Windows {
			u[0][i] += row.Collective[i]
			u[1][i] += row.SkipLevel[i]
			u[2][i] += row.Repeats[i]
		}
	}
	env.eachUnitCategory(func(unit, category string) {
		row, ok := byUC[[2]string{unit, category}]
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
				c, s, rep = float64(u[0][i]), float64(u[1][i]), float64(u[2][i])
			}
			emit(collectiveReceivedWindow, c, unit, w)
			emit(skipLevelReceivedWindow, s, unit, w)
			emit(repeatReceivedWindow, rep, unit, w)
		}
	})
	return nil
}
