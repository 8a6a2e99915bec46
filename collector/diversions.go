package collector

import (
	"context"

	"riskmon/petition"
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
	rows, err := r.Diversions(ctx)
	if err != nil {
		return err
	}
	type key struct{ unit, category, procedure string }
	n := map[key]int64{}
	for _, row := range rows {
		n[key{row.Unit, row.Category, row.DivertedTo}] += row.Diversions
	}
	env.eachUnitCategory(func(unit, category string) {
		for _, p := range petition.Procedures {
			emit(divertedTotal, float64(n[key{unit, category, p}]), unit, category, p)
		}
	})
	return nil
}
