package collector

import (
	"context"

	"riskmon/petition"
	"riskmon/store"
)

// UnitScreenings emits the month each unit last screened its area (一月一
// 排查) and whether, in the days before a sensitive period, it owes the
// screening of the month before the period starts.
type UnitScreenings struct{}

var _ Scraper = UnitScreenings{}

// Name of the scraper.
func (UnitScreenings) Name() string { return "unit_screenings" }

// Scrape emits the latest screened month of every unit that ever screened,
// and missing (0 or 1) for every unit.
func (UnitScreenings) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	loc := env.Rules.Location
	rows, err := r.LatestScreenings(ctx)
	if err != nil {
		return err
	}
	latest := map[string]petition.Month{}
	for _, row := range rows {
		latest[row.Unit] = petition.Month(row.Month)
		emit(unitScreeningLast, float64(petition.Month(row.Month).Start(loc).Unix()), row.Unit)
	}
	due, owed := petition.ScreeningDue(env.Now, loc, env.PeriodStarts, env.Disputes.ScreeningLeadDays)
	env.eachUnit(func(unit string) {
		m, screened := latest[unit]
		emit(unitScreeningMissing, b2f(owed && (!screened || m < due)), unit)
	})
	emit(configScreeningLead, float64(env.Disputes.ScreeningLeadDays*86400))
	return nil
}
