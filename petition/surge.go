package petition

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
// (Current) and in each of the weeks before it (Weeks[0] the week just
// before, Weeks[SurgeBaselineWeeks-1] the earliest).
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
