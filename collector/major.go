package collector

import (
	"context"

	"riskmon/petition"
	"riskmon/store"
)

// MajorMatters emits the major matters waiting for their report upward and
// the reports of the current month and quarter (2022 Reg. art. 25).
type MajorMatters struct{}

var _ Scraper = MajorMatters{}

// Name of the scraper.
func (MajorMatters) Name() string { return "major_matters" }

// Scrape emits, for every unit, the timely major matters not reported to the
// county leadership and of them those past their limit, and the reports of
// the period by recipient.
func (MajorMatters) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	emit(configReportUpWithin, env.Rules.ReportUpDeadline(env.Now).Sub(env.Now).Seconds())
	pending, err := r.MajorUnreported(ctx)
	if err != nil {
		return err
	}
	waiting, late := map[string]int64{}, map[string]int64{}
	for _, m := range pending {
		waiting[m.Unit]++
		if env.Now.After(env.Rules.ReportUpDeadline(m.Since())) {
			late[m.Unit]++
		}
	}
	env.eachUnit(func(unit string) {
		emit(majorUnreported, float64(waiting[unit]), unit)
		emit(majorUnreportedOverdue, float64(late[unit]), unit)
	})
	rows, ok, err := r.ReportsSince(ctx, env.Rules.Location, env.ReportingPeriodStarts())
	if err != nil || !ok {
		return err
	}
	emitPeriodSums(env, rows, petition.ReportRecipients, 2, func(unit, to string, i int, vals [][]int64) {
		emit(majorReportsPeriod, float64(vals[0][i]), unit, to, ReportingPeriods[i])
		emit(majorReportsLatePeriod, float64(vals[1][i]), unit, to, ReportingPeriods[i])
	})
	return nil
}

// PeriodEvaluations emits the evaluations of the current month and quarter,
// for the satisfaction and participation rates of a period.
type PeriodEvaluations struct{}

var _ Scraper = PeriodEvaluations{}

// Name of the scraper.
func (PeriodEvaluations) Name() string { return "period_evaluations" }

// Scrape emits the evaluations of every unit and result since the starts of
// the periods, while the day tallies count by the configured zone.
func (PeriodEvaluations) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, ok, err := r.EvaluationsSince(ctx, env.Rules.Location, env.ReportingPeriodStarts())
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
