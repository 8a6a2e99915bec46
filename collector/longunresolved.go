package collector

import (
	"context"

	"riskmon/store"
)

// LongUnresolved emits the long-unresolved matters (积案) by unit: open,
// without a county-level lead, past their target, and resolved in the
// month and quarter. Only counts: the matters are named in the API, not in
// the series. The matters' histories are kept from one refresh to the next
// (store.KeptHistories): a refresh reads the cases of the matters whose
// cases changed or whose counts the clock moved, not every case that names
// a matter.
type LongUnresolved struct{ kept *store.KeptHistories }

var _ Scraper = LongUnresolved{}

// Name of the scraper.
func (LongUnresolved) Name() string { return "long_unresolved" }

// Scrape applies the long-unresolved rule to every registered matter at
// env.Now.
func (s LongUnresolved) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	hs, err := r.KeptMatterHistories(ctx, env.Now, env.Matters.BacklogDays, s.kept)
	if err != nil {
		return err
	}
	starts := env.ReportingPeriodStarts()
	open, unowned, late := map[string]int{}, map[string]int{}, map[string]int{}
	resolved := map[unitAnd]int{}
	for _, h := range hs {
		if env.Matters.LongUnresolved(h) {
			open[h.Unit]++
			if !h.CountyLed(env.Disputes.CountyLeaderRoles) {
				unowned[h.Unit]++
			}
			if h.PastTarget(env.Now, env.Rules.Location) {
				late[h.Unit]++
			}
		}
		if at := h.Lead.ResolvedAt; !at.IsZero() && !at.After(env.Now) {
			for i, start := range starts {
				if !at.Before(start.Start(env.Rules.Location)) {
					resolved[unitAnd{h.Unit, ReportingPeriods[i]}]++
				}
			}
		}
	}
	env.eachUnit(func(unit string) {
		emit(mattersBacklog, float64(open[unit]), unit)
		emit(mattersBacklogUnowned, float64(unowned[unit]), unit)
		emit(mattersBacklogPastTarget, float64(late[unit]), unit)
		for _, p := range ReportingPeriods {
			emit(mattersBacklogResolvedPeriod, float64(resolved[unitAnd{unit, p}]), unit, p)
		}
	})
	emit(configBacklogRepeats, float64(env.Matters.BacklogRepeats))
	return nil
}
