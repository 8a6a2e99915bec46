package collector

import (
	"context"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// Assignments emits the bureau's open assignments (交办) by unit. It keeps
// the units' assignments between refreshes (kept).
type Assignments struct{ kept *store.KeptAssignments }

var _ Scraper = Assignments{}

// Name of the scraper.
func (Assignments) Name() string { return "assignments" }

// Scrape emits, for every unit, the assignments not yet reported done and
// of them those past their date (2022 Reg. art. 22(三)).
func (s Assignments) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, err := r.KeptAssigned(ctx, s.kept)
	if err != nil {
		return err
	}
	open, late := map[string]int64{}, map[string]int64{}
	for _, row := range rows {
		open[row.Unit] += row.Cases
		if (petition.State{AssignedDue: calendar.Day(row.Due)}).AssignmentOverdue(env.Now, env.Rules.Location) {
			late[row.Unit] += row.Cases
		}
	}
	env.eachUnit(func(unit string) {
		emit(assignedOpen, float64(open[unit]), unit)
		emit(assignedOverdue, float64(late[unit]), unit)
	})
	return nil
}
