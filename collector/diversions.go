package collector

import (
	"context"

	"riskmon/store"
)

// Diversions emits the counters of matters diverted out of the petition
// procedure.
type Diversions struct{}

var _ Scraper = Diversions{}

// Name of the scraper.
func (Diversions) Name() string { return "diversions" }

// Scrape emits the diversions of every unit, category and procedure.
func (Diversions) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, err := store.AllDiversions.Read(ctx, r)
	if err != nil {
		return err
	}
	type key struct{ unit, category, procedure string }
	var n orderedSums[key]
	for _, row := range rows {
		n.add(key{row.Unit, row.Category, row.DivertedTo}, row.Diversions)
	}
	// only the combinations diverted: zero-filled they were 8 series a unit
	// and category, and no panel or alert reads them by combination
	n.positive(func(k key, v int64) {
		emit(divertedTotal, float64(v), k.unit, k.category, k.procedure)
	})
	return nil
}
