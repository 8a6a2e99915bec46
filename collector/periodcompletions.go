package collector

import (
	"context"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// PeriodCompletions emits the stage completions of the current calendar month
// and quarter (local), for the on-time rate of a period: completed on time
// over completed plus still open past the deadline (petition_overdue), so
// that a unit sitting on its cases does not show 100%. The days before today
// are kept between refreshes (kept: read again when their sum moves).
type PeriodCompletions struct{ kept *store.KeptDaySums }

var _ Scraper = PeriodCompletions{}

// Name of the scraper.
func (PeriodCompletions) Name() string { return "period_completions" }

// Scrape emits the period starts and, when the day tally counts by the
// configured zone's days, the completions of every unit and stage since
// them.
func (s PeriodCompletions) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	starts := env.ReportingPeriodStarts()
	for i, p := range ReportingPeriods {
		emit(reportingPeriodStart, float64(starts[i].Start(env.Rules.Location).Unix()), p)
	}
	rows, ok, err := r.CompletionsSince(ctx, env.Rules.Location, starts, calendar.DayOf(env.Now, env.Rules.Location), s.kept)
	if err != nil || !ok {
		return err
	}
	emitPeriodSums(env, rows, petition.Stages, 2, func(unit, stage string, i int, vals [][]int64) {
		emit(stageCompletedPeriod, float64(vals[0][i]), unit, stage, ReportingPeriods[i])
		emit(stageCompletedLatePeriod, float64(vals[1][i]), unit, stage, ReportingPeriods[i])
	})
	return nil
}

// PeriodEvaluations emits the evaluations of the current month and quarter,
// for the satisfaction and participation rates of a period, the days before
// today kept as PeriodCompletions keeps them.
type PeriodEvaluations struct{ kept *store.KeptDaySums }

var _ Scraper = PeriodEvaluations{}

// Name of the scraper.
func (PeriodEvaluations) Name() string { return "period_evaluations" }

// Scrape emits the evaluations of every unit and result since the starts of
// the periods, while the day tallies count by the configured zone.
func (s PeriodEvaluations) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, ok, err := r.EvaluationsSince(ctx, env.Rules.Location, env.ReportingPeriodStarts(), calendar.DayOf(env.Now, env.Rules.Location), s.kept)
	if err != nil || !ok {
		return err
	}
	emitPeriodSums(env, rows, petition.EvaluationResults, 1, func(unit, result string, i int, vals [][]int64) {
		emit(evaluationsPeriod, float64(vals[0][i]), unit, result, ReportingPeriods[i])
	})
	return nil
}

// emitPeriodSums calls fn for every unit, key of keys and reporting period,
// with the sums read for them: nvals value columns, zeros when none were read.
func emitPeriodSums(env *Env, rows []store.PeriodSums, keys []string, nvals int, fn func(unit, key string, period int, vals [][]int64)) {
	byKey := map[unitAnd][][]int64{}
	for _, row := range rows {
		byKey[unitAnd{row.Unit, row.Key}] = row.Vals
	}
	none := zeroSums(nvals, len(ReportingPeriods))
	env.eachUnit(func(unit string) {
		for _, k := range keys {
			vals, found := byKey[unitAnd{unit, k}]
			if !found {
				vals = none
			}
			for i := range ReportingPeriods {
				fn(unit, k, i, vals)
			}
		}
	})
}

func zeroSums(vals, periods int) [][]int64 {
	out := make([][]int64, vals)
	for i := range out {
		out[i] = make([]int64, periods)
	}
	return out
}
