package collector

import (
	"context"

	"riskmon/calendar"
	"riskmon/store"
)

// UnitReports emits when each unit last sent its daily report (日报) and
// whether today's is missing after the cut-off in a sensitive period.
type UnitReports struct{}

var _ Scraper = UnitReports{}

// Name of the scraper.
func (UnitReports) Name() string { return "unit_reports" }

// Scrape emits the latest reported date of every unit that ever reported,
// and missing (0 or 1) for every unit.
func (UnitReports) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	loc := env.Rules.Location
	today := calendar.DayOf(env.Now, loc)
	rows, err := r.ReportDays(ctx, today)
	if err != nil {
		return err
	}
	reported := map[string]bool{}
	for _, row := range rows {
		reported[row.Unit] = row.Reported
		emit(unitReportLast, float64(calendar.Day(row.Latest).Start(loc).Unix()), row.Unit)
	}
	// due: in a sensitive period, from the cut-off on (17:00 is late, 16:59
	// is not)
	due := env.Sensitive && !env.Now.Before(today.Start(loc).Add(env.Disputes.ReportCutoff))
	env.eachUnit(func(unit string) {
		emit(unitReportMissing, b2f(due && !reported[unit]), unit)
	})
	return nil
}
