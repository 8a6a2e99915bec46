package collector

import (
	"context"

	"riskmon/petition"
	"riskmon/store"
)

// Register emits the open disputes of the register (矛盾纠纷排查调处台账):
// how many, how many overdue, which of the four haves they miss and the
// people at stake. It keeps the register between refreshes (kept: each
// unit's open disputes, read again when the unit's register changes).
type Disputes struct{ kept *store.KeptRegister }

var _ Scraper = Disputes{}

// Name of the scraper.
func (Disputes) Name() string { return "disputes" }

// Scrape emits the register's gauges at env.Now for every unit, category,
// risk and missing have.
func (s Disputes) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	reg, err := r.Register(ctx, store.RegisterAt{Now: env.Now, Loc: env.Rules.Location, InspectEvery: env.InspectEvery(),
		CountyRoles: env.Disputes.CountyLeaderRoles, MonthStart: env.ReportingPeriodStarts()[0].Start(env.Rules.Location)}, s.kept)
	if err != nil {
		return err
	}
	// overdue this month: those overdue now, and those that were earlier
	rows, earlier, potentials := reg.Open, reg.OverdueEarlier, reg.Potentials
	potential := map[unitAnd]int64{}
	for _, row := range potentials {
		potential[unitAnd{row.Unit, row.Potential}] = row.Open
	}
	overdueMonth := map[string]int64{}
	for _, row := range earlier {
		overdueMonth[row.Unit] += row.Overdue
	}
	openByUnit := map[string]int64{}
	for _, row := range rows {
		overdueMonth[row.Unit] += row.Overdue
		openByUnit[row.Unit] += row.Open
	}
	type ucr struct{ unit, category, risk string }
	type urm struct{ unit, risk, missing string }
	openN, overdueN := map[ucr]int64{}, map[ucr]int64{}
	unowned, persons := map[urm]int64{}, map[unitAnd]int64{}
	for _, row := range rows {
		k := ucr{row.Unit, row.Category, row.Risk}
		openN[k] += row.Open
		overdueN[k] += row.Overdue
		persons[unitAnd{row.Unit, row.Risk}] += row.Persons
		// in the order of petition.FourHaves
		for i, n := range []int64{row.NoLeader, row.NoHandler, row.NoDeadline, row.NoInspection} {
			unowned[urm{row.Unit, row.Risk, petition.FourHaves[i]}] += n
		}
	}
	env.eachUnitCategory(func(unit, category string) {
		for _, risk := range petition.DisputeRisks {
			k := ucr{unit, category, risk}
			emit(disputesOpen, float64(openN[k]), unit, category, risk)
			emit(disputesOverdue, float64(overdueN[k]), unit, category, risk)
		}
	})
	env.eachUnit(func(unit string) {
		emit(disputesOverdueMonth, float64(overdueMonth[unit]), unit)
		said := int64(0)
		for _, p := range petition.DisputePotentials {
			said += potential[unitAnd{unit, p}]
			emit(disputesOpenPotential, float64(potential[unitAnd{unit, p}]), unit, p)
		}
		emit(disputesOpenPotential, float64(openByUnit[unit]-said), unit, PotentialUnsaid)
		for _, risk := range petition.DisputeRisks {
			emit(disputesPersonsEstimate, float64(persons[unitAnd{unit, risk}]), unit, risk)
			for _, have := range petition.FourHaves {
				emit(disputesUnowned, float64(unowned[urm{unit, risk, have}]), unit, risk, have)
			}
		}
	})
	emit(configInspectionInterval, env.InspectEvery().Seconds())
	return nil
}

// RegisterCounts emits the register's all-time counters.
type DisputeCounts struct{}

var _ Scraper = DisputeCounts{}

// Name of the scraper.
func (DisputeCounts) Name() string { return "dispute_counts" }

// Scrape emits found, resolved, late, escalated and the escalations that
// page, from dispute_tally.
func (DisputeCounts) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, err := store.AllDisputes.Read(ctx, r)
	if err != nil {
		return err
	}
	type ucr struct{ unit, category, risk string }
	found := map[ucr]int64{}
	resolved, late, escalated, timely := map[unitAnd]int64{}, map[unitAnd]int64{}, map[unitAnd]int64{}, map[unitAnd]int64{}
	major := map[string]int64{}
	redated := map[unitAnd]int64{}
	for _, row := range rows {
		redated[unitAnd{row.Unit, row.Risk}] += row.Redated
		found[ucr{row.Unit, row.Category, row.Risk}] += row.Found
		uc := unitAnd{row.Unit, row.Category}
		resolved[uc] += row.Resolved
		late[uc] += row.ResolvedLate
		escalated[uc] += row.Escalated
		timely[uc] += row.EscalatedTimely
		major[row.Unit] += row.EscalatedMajorTimely
	}
	env.eachUnitCategory(func(unit, category string) {
		for _, risk := range petition.DisputeRisks {
			emit(disputesFoundTotal, float64(found[ucr{unit, category, risk}]), unit, category, risk)
		}
		uc := unitAnd{unit, category}
		emit(disputesResolvedTotal, float64(resolved[uc]), unit, category)
		emit(disputesResolvedLate, float64(late[uc]), unit, category)
		emit(disputesEscalatedTotal, float64(escalated[uc]), unit, category)
		emit(disputesEscalatedTimely, float64(timely[uc]), unit, category)
	})
	env.eachUnit(func(unit string) {
		emit(disputesEscalatedMajor, float64(major[unit]), unit)
		for _, risk := range petition.DisputeRisks {
			emit(disputesRedatedTotal, float64(redated[unitAnd{unit, risk}]), unit, risk)
		}
	})
	return nil
}
