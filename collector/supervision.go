package collector

import (
	"context"

	"riskmon/petition"
	"riskmon/store"
)

// Supervision emits the open supervised cases (督办) by unit and level.
type Supervision struct{}

var _ Scraper = Supervision{}

// Name of the scraper.
func (Supervision) Name() string { return "supervision" }

// Scrape emits open, overdue and unanswered supervised cases for every unit
// and level.
func (Supervision) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, err := r.Supervision(ctx, env.Now)
	if err != nil {
		return err
	}
	open, overdue, waiting := map[unitAnd]int64{}, map[unitAnd]int64{}, map[unitAnd]int64{}
	for _, row := range rows {
		k := unitAnd{row.Unit, row.Level}
		open[k] += row.Open
		overdue[k] += row.Overdue
		waiting[k] += row.Unanswered
	}
	env.eachUnit(func(unit string) {
		for _, lvl := range petition.SupervisionLevels {
			emit(supervisedOpen, float64(open[unitAnd{unit, lvl}]), unit, lvl)
			emit(supervisedOverdue, float64(overdue[unitAnd{unit, lvl}]), unit, lvl)
			emit(supervisionUnanswered, float64(waiting[unitAnd{unit, lvl}]), unit, lvl)
		}
	})
	return nil
}
