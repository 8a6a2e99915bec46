package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"riskmon/petition"
)

// categoryPetitionersQuery counts the distinct petitioners of each
// receiving unit and category in each week of the last 1+SurgeBaselineWeeks
// (week 0 the current window, received at or after its first ? and not
// after now; week k the k-th before it), through
// idx_cases_petitioners_window, which covers it: it reads the 9 weeks'
// cases, never the history before them.
var categoryPetitionersQuery = func() string {
	var week strings.Builder
	week.WriteString("CASE")
	for k := range petition.SurgeBaselineWeeks {
		fmt.Fprintf(&week, " WHEN received_at >= ? THEN %d", k)
	}
	fmt.Fprintf(&week, " ELSE %d END", petition.SurgeBaselineWeeks)
	return `SELECT received_unit AS unit, category, ` + week.String() + ` AS week,
COUNT(DISTINCT petitioner_hash) AS petitioners
FROM cases WHERE received_at >= ? AND received_at <= ?
GROUP BY received_unit, category, week`
}()

type categoryPetitionersRow struct {
	Unit        string `db:"unit"`
	Category    string `db:"category"`
	Week        int    `db:"week"`
	Petitioners int    `db:"petitioners"`
}

// CategoryPetitioners returns, at now, each receiving unit and category
// with a case received in the current window or the baseline's weeks
// before it, by unit and category: what a unit's surge reads
// (petition.CategoryPetitioners). Week k holds the cases received in
// [now-(k+1)·7d, now-k·7d), the current one also those received at now.
func (r *Reader) CategoryPetitioners(ctx context.Context, now time.Time) ([]petition.CategoryPetitioners, error) {
	week := petition.SurgeWindowDays * 24 * time.Hour
	args := make([]any, 0, petition.SurgeBaselineWeeks+2)
	for k := range petition.SurgeBaselineWeeks + 1 {
		args = append(args, secondAtOrAfter(now.Add(-time.Duration(k+1)*week)))
	}
	args = append(args, now.Unix())
	rows, err := selectAll[categoryPetitionersRow](ctx, r.tx, "petitioners by unit and category", categoryPetitionersQuery, args...)
	if err != nil {
		return nil, err
	}
	at := map[[2]string]int{}
	var out []petition.CategoryPetitioners
	for _, row := range rows {
		key := [2]string{row.Unit, row.Category}
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, petition.CategoryPetitioners{Unit: row.Unit, Category: row.Category})
		}
		switch {
		case row.Week == 0:
			out[i].Current = row.Petitioners
		case row.Week <= petition.SurgeBaselineWeeks:
			out[i].Weeks[row.Week-1] = row.Petitioners
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Unit != out[j].Unit {
			return out[i].Unit < out[j].Unit
		}
		return out[i].Category < out[j].Category
	})
	return out, nil
}
