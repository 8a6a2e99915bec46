package store_test

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/collector"
	"riskmon/store"
)

// The kept day sums (KeptDaySums) of the completions, evaluations and
// reports upward equal the day tallies read whole while the county is
// written between its reads: cases and their events, which land on today
// and on days long past (an event recorded late); across a month's start
// and back (the starts and today move); and after a recount, or the
// tallies' move to another zone's days and back, repairs rows changed in a
// way that leaves their sum where it was (what only the rewrite's version
// can tell a reader).
func TestKeptDaySumsFollowTheWrites(t *testing.T) {
	cases := diffCounty(rules, 11)
	type since func(r *store.Reader, ctx context.Context, loc *time.Location, starts []calendar.Day, today calendar.Day, k *store.KeptDaySums) ([]store.PeriodSums, bool, error)
	tallies := []struct {
		name string
		read since
	}{
		{"completions", (*store.Reader).CompletionsSince},
		{"evaluations", (*store.Reader).EvaluationsSince},
		{"reports", (*store.Reader).ReportsSince},
	}
	eachStore(t, diffStore, func(t *testing.T, ctx context.Context, s *store.Store) {
		_, err := s.RecountCompletionDays(ctx, rules.Location)
		must(t, err)
		kept := make([]*store.KeptDaySums, len(tallies))
		for i := range kept {
			kept[i] = &store.KeptDaySums{}
		}
		read := func(i int, now time.Time, k *store.KeptDaySums) []store.PeriodSums {
			t.Helper()
			starts := (&collector.Env{Now: now, Rules: rules}).ReportingPeriodStarts()
			got := readOf(t, s, k == nil, func(r *store.Reader) ([]store.PeriodSums, error) {
				rows, _, err := tallies[i].read(r, ctx, rules.Location, starts, calendar.DayOf(now, rules.Location), k)
				return rows, err
			})
			slices.SortFunc(got, func(a, b store.PeriodSums) int { return cmp.Or(cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Key, b.Key)) })
			return got
		}
		end := time.Date(2026, 10, 8, 15, 30, 0, 0, rules.Location) // diffCounty's now
		counted := make([]int64, len(tallies))                      // over the reads: a walk of empty sums proves nothing
		check := func(now time.Time, after string) {
			t.Helper()
			for i := range tallies {
				for _, ps := range keptIsFacts(t, now, tallies[i].name+" after "+after, read(i, now, kept[i]), read(i, now, nil)) {
					counted[i] += ps.Vals[0][0] + ps.Vals[0][1]
				}
			}
		}
		for n, lc := range cases {
			must(t, writeOneByOne(ctx, s, rules, []store.LoadCase{lc}))
			if n%3 == 0 || len(lc.Events) > 0 {
				check(end, lc.Case.CaseNo)
			}
		}
		// a month starts, and the clock goes back over it
		for _, now := range []time.Time{end.AddDate(0, 0, 24), end.AddDate(0, 0, -8), end.AddDate(0, 0, -7), end} {
			check(now, "the clock moved")
		}
		for i, n := range counted {
			if n == 0 {
				t.Fatalf("%s: nothing counted: the walk proves nothing", tallies[i].name)
			}
		}
		// rows changed with their sum as it was: a reader that kept them
		// reads them as they were, until a rewrite's version moves: a
		// recount's, or a rebuild's by another zone's days and back
		month := int64(calendar.DayOf(end, rules.Location)) - 7 // 1 October: the days of the month before today
		const change = "UPDATE completion_day_tally SET completed = completed - 1, late = late + 1 WHERE completed > 0 AND day >= ? AND day < ?"
		completions := func(k *store.KeptDaySums) []store.PeriodSums { return read(0, end, k) }
		keptRepaired(t, s, change, []any{month, month + 7}, func() {
			_, err := s.Recount(ctx, rules.Location)
			must(t, err)
		}, completions)
		check(end, "a recount")
		keptRepaired(t, s, change, []any{month, month + 7}, func() {
			_, err := s.RecountCompletionDays(ctx, time.UTC)
			must(t, err)
			_, err = s.RecountCompletionDays(ctx, rules.Location)
			must(t, err)
		}, completions)
		check(end, "a zone and back")
	})
}
