package collector

import (
	"context"

	"riskmon/store"
)

// Matters emits the rising matters: how many rise by unit and category, and
// the busiest of them by name with their counts. It keeps the matters'
// cases of the 30 days between refreshes (kept).
type Matters struct{ kept *store.KeptActivity }

var _ Scraper = Matters{}

// Name of the scraper.
func (Matters) Name() string { return "matters" }

// Scrape reads the matters' activity at env.Now and applies the rising rule
// of the period in force.
func (s Matters) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	all, err := r.KeptMatterActivity(ctx, env.Now, s.kept)
	if err != nil {
		return err
	}
	rising := env.Matters.RisingOf(all, env.Sensitive)
	count := map[unitAnd]int{}
	for _, a := range rising {
		count[unitAnd{a.Unit, a.Category}]++
	}
	env.eachUnitCategory(func(unit, category string) {
		emit(mattersRising, float64(count[unitAnd{unit, category}]), unit, category)
	})
	for _, a := range env.Matters.Shown(rising) {
		emit(matterRisingInfo, 1, a.Unit, a.Code, a.Name)
		emit(matterHighRiskDisputes, float64(a.HighRiskDisputes), a.Unit, a.Code)
		for i, n := range [][3]int{{a.Petitioners7, a.Cases7, a.Persons7}, {a.Petitioners30, a.Cases30, a.Persons30}} {
			emit(matterPetitioners, float64(n[0]), a.Unit, a.Code, MatterWindows[i])
			emit(matterCases, float64(n[1]), a.Unit, a.Code, MatterWindows[i])
			emit(matterPersons, float64(n[2]), a.Unit, a.Code, MatterWindows[i])
		}
	}
	emit(configRisingPetitioners, float64(env.Matters.RisingMin(env.Sensitive)))
	emit(configRisingMattersShown, float64(env.Matters.RisingShown))
	return nil
}
