package collector

import (
	"context"

	"riskmon/petition"
	"riskmon/store"
)

// Backlog emits the open, overdue and due-soon cases by current unit. It
// keeps the backlog's rows of each unit, category and stage between
// refreshes (kept).
type Backlog struct{ kept *store.KeptBacklog }

var _ Scraper = Backlog{}

// Name of the scraper.
func (Backlog) Name() string { return "backlog" }

// Scrape emits the backlog gauges at env.Now.
func (s Backlog) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, err := r.KeptBacklog(ctx, env.Now, env.Rules.DueSoon, s.kept)
	if err != nil {
		return err
	}
	type ucs struct{ unit, category, stage string }
	openN, overdueN := map[ucs]int64{}, map[ucs]int64{}
	dueSoonN := map[unitAnd]int64{}
	oldest := map[string]int64{}
	for _, row := range rows {
		k := ucs{row.Unit, row.Category, row.Stage}
		openN[k] += row.Open
		overdueN[k] += row.Overdue
		dueSoonN[unitAnd{row.Unit, row.Stage}] += row.DueSoon
		if row.Oldest.Valid {
			v := row.Oldest.Int64
			if o, ok := oldest[row.Unit]; ok {
				v = min(v, o)
			}
			oldest[row.Unit] = v
		}
	}
	env.eachUnitCategory(func(unit, category string) {
		for _, st := range petition.Stages {
			k := ucs{unit, category, st}
			emit(open, float64(openN[k]), unit, category, st)
			emit(overdue, float64(overdueN[k]), unit, category, st)
		}
	})
	env.eachUnit(func(unit string) {
		for _, st := range petition.Stages {
			emit(dueSoon, float64(dueSoonN[unitAnd{unit, st}]), unit, st)
		}
		// A timestamp of 0 would read as "overdue since 1970": no case, no series.
		if o, ok := oldest[unit]; ok {
			emit(overdueOldestDeadline, float64(o), unit)
		}
	})
	return nil
}
