package collector

import (
	"context"
	"sync"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// CategorySurge emits, for each receiving unit and category with a case in
// the last 7 days or in the usual weeks before them, the distinct
// petitioners of the 7 days and of the usual week: what
// PetitionCategorySurge compares. The usual weeks are whole calendar weeks
// (petition.SurgeBaselineEnd), read once and kept: a refresh reads the
// current week's cases and at most one usual week, a new one or the one
// kept longest once it is older than usualWeekFresh (a case registered
// late with a receipt time in a kept week counts there within the hour and
// eight refreshes). Only at the first refresh are all eight read. The
// current 7 days are kept the same way, a day at a time (windowDays): a
// refresh reads today's cases.
type CategorySurge struct {
	days  *windowDays
	weeks *usualWeeks
}

// usualWeekFresh is how long a usual week read is kept as it is.
const usualWeekFresh = time.Hour

var _ Scraper = CategorySurge{}

// usualWeeks keeps the usual weeks read, by their first day, in one zone.
type usualWeeks struct {
	mu   sync.Mutex
	loc  *time.Location
	kept map[calendar.Day]keptWeek
}

// keptWeek is one usual week's counts and when they were read.
type keptWeek struct {
	counts []petition.CategoryPetitioners
	read   time.Time
}

func (w keptWeek) readAt() time.Time { return w.read }

// toRead keeps, of was, the spans (weeks or days) that start at starts, and
// says which starts to read: those not kept or, when all are, the one kept
// longest once it is usualWeekFresh old, so that a case registered late
// into a kept span counts there within the hour and a refresh a span.
func toRead[K interface{ readAt() time.Time }](starts []calendar.Day, was map[calendar.Day]K, now time.Time) (map[calendar.Day]K, []calendar.Day) {
	kept := map[calendar.Day]K{}
	var again []calendar.Day
	var stalest calendar.Day
	for _, start := range starts {
		k, ok := was[start]
		if !ok {
			again = append(again, start)
			continue
		}
		kept[start] = k
		if old, ok := kept[stalest]; !ok || k.readAt().Before(old.readAt()) {
			stalest = start
		}
	}
	if len(again) == 0 && len(kept) > 0 && now.Sub(kept[stalest].readAt()) >= usualWeekFresh {
		again = append(again, stalest)
	}
	return kept, again
}

// Name of the scraper.
func (CategorySurge) Name() string { return "category_surge" }

// Scrape reads the current week at env.Now, and the usual weeks not kept.
func (s CategorySurge) Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error {
	current, err := s.days.current(ctx, r, env.Now, env.Rules.Location)
	if err != nil {
		return err
	}
	weeks, err := s.weeks.read(ctx, r, env.Now, env.Rules.Location)
	if err != nil {
		return err
	}
	for _, c := range petition.JoinSurge(current, weeks) {
		emit(categoryPetitioners, float64(c.Current), c.Unit, c.Category)
		emit(categoryPetitionersBaseline, c.Baseline(), c.Unit, c.Category)
	}
	return nil
}

// read returns the counts of the usual weeks at now, each in its place of
// Weeks: it reads through r the weeks not kept or, when all are, the one
// kept longest if it is no longer fresh, and forgets those no longer usual.
func (u *usualWeeks) read(ctx context.Context, r *store.Reader, now time.Time, loc *time.Location) ([]petition.CategoryPetitioners, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.loc != loc {
		u.loc, u.kept = loc, nil
	}
	starts := petition.SurgeWeeks(petition.SurgeBaselineEnd(now, loc))
	kept, again := toRead(starts[:], u.kept, now)
	for _, start := range again {
		counts, err := r.CategoryPetitionersWeek(ctx, start, loc)
		if err != nil {
			return nil, err
		}
		kept[start] = keptWeek{counts, now}
	}
	u.kept = kept
	var out []petition.CategoryPetitioners
	for k, start := range starts {
		for _, c := range kept[start].counts {
			c.Weeks[k], c.Current = c.Current, 0
			out = append(out, c)
		}
	}
	return petition.JoinSurge(nil, out), nil
}
