package collector

import (
	"context"

	"riskmon/store"
)

// CategorySurge emits, for each receiving unit and category with a case in
// the last 9 weeks, the distinct petitioners of the last 7 days and of the
// unit's usual week: what PetitionCategorySurge compares.
type CategorySurge struct{}

var _ Scraper = CategorySurge{}

// Name of the scraper.
func (CategorySurge) Name() string { return "category_surge" }

// Scrape reads the weekly distinct petitioners at env.Now.
func (CategorySurge) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	all, err := r.CategoryPetitioners(ctx, env.Now)
	if err != nil {
		return err
	}
	for _, c := range all {
		emit(categoryPetitioners, float64(c.Current), c.Unit, c.Category)
		emit(categoryPetitionersBaseline, c.Baseline(), c.Unit, c.Category)
	}
	return nil
}
