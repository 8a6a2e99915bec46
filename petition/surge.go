package petition

import (
	"sort"
	"time"

	"riskmon/calendar"
)

// A surge without a matter code: different people raising one kind of
// problem (a category) at one unit, many more of them in the last 7 days
// than in the unit's usual week. It is the matter-level warning for cases
// nobody has linked to a registered matter yet; the county-wide
// PetitionVolumeSurge counts cases, this counts distinct petitioners, from
// the keyed hashes, and only the counts leave the store. The thresholds
// (how many times the usual week, at least how many petitioners) live in
// the alerting rules beside the county-wide surge's.

// SurgeBaselineWeeks is how many weeks before the current 7 days make a
// unit's usual week for a category.
const SurgeBaselineWeeks = 8

// SurgeWindowDays is the window of the current count, in days: the rising
// rule's window, so that a matter and a category rise over the same week.
const SurgeWindowDays = RisingWindowDays

// CategoryPetitioners counts, for one receiving unit and one category, the
// distinct petitioners of the cases received in the current window
// (Current: the 7 days up to now) and in each of the usual weeks before it
// (Weeks[0] the latest, Weeks[SurgeBaselineWeeks-1] the earliest), which
// end where SurgeBaselineEnd says.
type CategoryPetitioners struct {
	Unit, Category string
	Current        int
	Weeks          [SurgeBaselineWeeks]int
}

// Baseline is the unit's usual week for the category: the mean of the
// weeks before the current one, each counted on its own, as the current
// week is (one who petitions every week counts in every week). A week
// without any petitioner counts as zero: a quiet category's baseline is low.
func (c CategoryPetitioners) Baseline() float64 {
	sum := 0
	for _, n := range c.Weeks {
		sum += n
	}
	return float64(sum) / SurgeBaselineWeeks
}

// SurgeBaselineEnd is the day at whose start (00:00 local) the usual weeks
// end at now: the Monday that starts the calendar week in which the current
// window (the 7 days up to now) begins. The usual weeks are then whole
// calendar weeks, Monday to Sunday, that end before the current window
// begins, so a surge does not raise its own baseline; each is counted once
// and kept, and a new one is read once a week.
func SurgeBaselineEnd(now time.Time, loc *time.Location) calendar.Day {
	d := calendar.DayOf(now.Add(-SurgeWindowDays*24*time.Hour), loc)
	return d - calendar.Day((int(d.Weekday())+6)%7)
}

// SurgeWeeks are the first days (Mondays) of the usual weeks that end at
// end, the latest first: Weeks[k] of a CategoryPetitioners counts week k.
func SurgeWeeks(end calendar.Day) [SurgeBaselineWeeks]calendar.Day {
	var out [SurgeBaselineWeeks]calendar.Day
	for k := range out {
		out[k] = end - calendar.Day(7*(k+1))
	}
	return out
}

// JoinSurge joins the current counts (Current) and the usual weeks' (Weeks)
// of the same unit and category, by unit and category.
func JoinSurge(current, weeks []CategoryPetitioners) []CategoryPetitioners {
	type key struct{ unit, category string }
	at := map[key]int{}
	var out []CategoryPetitioners
	for _, list := range [][]CategoryPetitioners{current, weeks} {
		for _, c := range list {
			k := key{c.Unit, c.Category}
			i, ok := at[k]
			if !ok {
				i = len(out)
				at[k] = i
				out = append(out, CategoryPetitioners{Unit: c.Unit, Category: c.Category})
			}
			out[i].Current += c.Current
			for w, n := range c.Weeks {
				out[i].Weeks[w] += n
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Unit != out[j].Unit {
			return out[i].Unit < out[j].Unit
		}
		return out[i].Category < out[j].Category
	})
	return out
}
