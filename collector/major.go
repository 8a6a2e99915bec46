package collector

import (
	"context"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// MajorMatters emits the major matters waiting for their report upward and
// the reports of the current month and quarter (2022 Reg. art. 25), their
// days before today kept as PeriodCompletions keeps them.
type MajorMatters struct{ reports *store.KeptDaySums }

var _ Scraper = MajorMatters{}

// Name of the scraper.
func (MajorMatters) Name() string { return "major_matters" }

// Scrape emits, for every unit, the timely major matters not reported to the
// county leadership and of them those past their limit, and the reports of
// the period by recipient.
func (s MajorMatters) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
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
	rows, ok, err := r.ReportsSince(ctx, env.Rules.Location, env.ReportingPeriodStarts(), calendar.DayOf(env.Now, env.Rules.Location), s.reports)
	if err != nil || !ok {
		return err
	}
	emitPeriodSums(env, rows, petition.ReportRecipients, 2, func(unit, to string, i int, vals [][]int64) {
		emit(majorReportsPeriod, float64(vals[0][i]), unit, to, ReportingPeriods[i])
		emit(majorReportsLatePeriod, float64(vals[1][i]), unit, to, ReportingPeriods[i])
	})
	return nil
}
