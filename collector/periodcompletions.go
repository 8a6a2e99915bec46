package collector

import (
	"context"

	"riskmon/petition"
	"riskmon/store"
)

// PeriodCompletions emits the stage completions of the current calendar month
// and quarter (local), for the on-time rate of a period: completed on time
// over completed plus still open past the deadline (petition_overdue), so
// that a unit sitting on its cases does not show 100%.
type PeriodCompletions struct{}

var _ Scraper = PeriodCompletions{}

// Name of the scraper.
func (PeriodCompletions) Name() string { return "period_completions" }

// Scrape emits the period starts and, when the day tally counts by the
// configured zone's days, the completions of every unit and stage since
// them.
func (PeriodCompletions) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	starts := env.ReportingPeriodStarts()
	for i, p := range ReportingPeriods {
		emit(reportingPeriodStart, float64(starts[i].Start(env.Rules.Location).Unix()), p)
	}
	rows, ok, err := r.CompletionsSince(ctx, env.Rules.Location, starts)
	if err != nil || !ok {
		return err
	}
	byUS := map[unitAnd]store.PeriodCompletions{}
	for _, row := range rows {
		byUS[unitAnd{row.Unit, row.Stage}] = row
	}
	env.eachUnit(func(unit string) {
		for _, st := range petition.Stages {
			row, found := byUS[unitAnd{unit, st}]
			for i, p := range ReportingPeriods {
				var done, late float64
				if found {
					done, late = float64(row.Completed[i]), float64(row.Late[i])
				}
				emit(stageCompletedPeriod, done, unit, st, p)
				emit(stageCompletedLatePeriod, late, unit, st, p)
			}
		}
	})
	return nil
}
