package collector

import (
	"context"
	"maps"
	"slices"

	"riskmon/store"
)

// Reference emits the display names of units and categories, so dashboards
// join them by code instead of hard-coding names.
type Reference struct{}

var _ Scraper = Reference{}

// Name of the scraper.
func (Reference) Name() string { return "reference" }

// Scrape emits one info series per unit and category.
func (Reference) Scrape(_ context.Context, _ *store.Reader, env *Env, emit Emit) error {
	for _, u := range env.Units {
		emit(unitInfo, 1, u.Code, u.Name)
	}
	for _, c := range env.Categories {
		emit(categoryInfo, 1, c.Code, c.Name)
	}
	return nil
}

// Periods emits whether each configured sensitive period is in force.
type SensitivePeriods struct{}

var _ Scraper = SensitivePeriods{}

// Name of the scraper.
func (SensitivePeriods) Name() string { return "sensitive_periods" }

// Scrape emits 0 or 1 for every configured period.
func (SensitivePeriods) Scrape(_ context.Context, _ *store.Reader, env *Env, emit Emit) error {
	for _, name := range slices.Sorted(maps.Keys(env.SensitivePeriods)) { // one order: the encoder reuses an unchanged family
		v := 0.0
		if env.SensitivePeriods[name] {
			v = 1
		}
		emit(sensitivePeriodActive, v, name)
	}
	return nil
}
