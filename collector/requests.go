package collector

import (
	"context"

	"riskmon/petition"
	"riskmon/store"
)

// Requests emits the review and re-review request counters.
type Requests struct{}

var _ Scraper = Requests{}

// Name of the scraper.
func (Requests) Name() string { return "requests" }

// Scrape emits requests and late requests for every unit and review stage.
func (Requests) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	rows, err := store.AllRequests.Read(ctx, r)
	if err != nil {
		return err
	}
	n, late := map[unitAnd]int64{}, map[unitAnd]int64{}
	for _, row := range rows {
		n[unitAnd{row.Unit, row.Stage}] += row.Requests
		late[unitAnd{row.Unit, row.Stage}] += row.Late
	}
	env.eachUnit(func(unit string) {
		for _, st := range []string{petition.StageReview, petition.StageReReview} {
			emit(reviewRequestsTotal, float64(n[unitAnd{unit, st}]), unit, st)
			emit(reviewRequestsLateTotal, float64(late[unitAnd{unit, st}]), unit, st)
		}
	})
	return nil
}
