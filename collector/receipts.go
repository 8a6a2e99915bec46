package collector

import (
	"context"

	"riskmon/petition"
	"riskmon/store"
)

// Receipts emits the all-time receipt counters from the receipt tally,
// kept between refreshes (kept: each unit's rows, read again when the sum
// of its counters moves).
type Receipts struct{ kept *store.KeptReceipts }

var _ Scraper = Receipts{}

// Name of the scraper.
func (Receipts) Name() string { return "receipts" }

// Scrape emits received, persons, collective and repeat counters.
func (s Receipts) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, err := r.KeptReceipts(ctx, s.kept)
	if err != nil {
		return err
	}
	type key struct{ unit, category, channel, level string }
	var cases orderedSums[key]
	var persons, collective, repeats = map[unitAnd]int64{}, map[unitAnd]int64{}, map[unitAnd]int64{}
	timelyCollective, timelySkip := map[string]int64{}, map[unitAnd]int64{} // by unit; by unit and level
	for _, row := range rows {
		timelyCollective[row.Unit] += row.TimelyCollective
		if petition.SkipLevel(row.Channel, row.Level) {
			timelySkip[unitAnd{row.Unit, row.Level}] += row.TimelyCases
		}
		cases.add(key{row.Unit, row.Category, row.Channel, row.Level}, row.Cases)
		uc := unitAnd{row.Unit, row.Category}
		persons[uc] += row.Persons
		collective[uc] += row.Collective
		repeats[uc] += row.Repeats
	}
	// by channel and level only the combinations received: zero-filled,
	// they were most of the series (16 a unit and category) and no panel or
	// alert reads them by combination
	cases.positive(func(k key, n int64) {
		emit(receivedTotal, float64(n), k.unit, k.category, k.channel, k.level)
	})
	env.eachUnitCategory(func(unit, category string) {
		uc := unitAnd{unit, category}
		emit(personsReceivedTotal, float64(persons[uc]), unit, category)
		emit(collectiveReceivedTotal, float64(collective[uc]), unit, category)
		emit(repeatReceivedTotal, float64(repeats[uc]), unit, category)
	})
	env.eachUnit(func(unit string) {
		emit(collectiveTimelyTotal, float64(timelyCollective[unit]), unit)
		for _, lvl := range petition.SkipLevels {
			emit(skipLevelTimelyTotal, float64(timelySkip[unitAnd{unit, lvl}]), unit, lvl)
		}
	})
	return nil
}

// Completions emits the stage completion counters.
type Completions struct{}

var _ Scraper = Completions{}

// Name of the scraper.
func (Completions) Name() string { return "completions" }

// Scrape emits completed and completed-late counters for every unit and stage.
func (Completions) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, err := store.AllCompletions.Read(ctx, r)
	if err != nil {
		return err
	}
	done, late := map[unitAnd]int64{}, map[unitAnd]int64{}
	for _, row := range rows {
		done[unitAnd{row.Unit, row.Stage}] += row.Completed
		late[unitAnd{row.Unit, row.Stage}] += row.Late
	}
	env.eachUnit(func(unit string) {
		for _, st := range petition.Stages {
			emit(stageCompletedTotal, float64(done[unitAnd{unit, st}]), unit, st)
			emit(stageCompletedLateTotal, float64(late[unitAnd{unit, st}]), unit, st)
		}
	})
	return nil
}

// Evaluations emits the evaluation counters.
type Evaluations struct{}

var _ Scraper = Evaluations{}

// Name of the scraper.
func (Evaluations) Name() string { return "evaluations" }

// Scrape emits one counter for every unit and result.
func (Evaluations) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, err := store.AllEvaluations.Read(ctx, r)
	if err != nil {
		return err
	}
	n := map[unitAnd]int64{}
	for _, row := range rows {
		n[unitAnd{row.Unit, row.Result}] += row.Evaluations
	}
	env.eachUnit(func(unit string) {
		for _, res := range petition.EvaluationResults {
			emit(evaluationsTotal, float64(n[unitAnd{unit, res}]), unit, res)
		}
	})
	return nil
}
