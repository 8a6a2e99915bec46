package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/jmoiron/sqlx"
)

// liveHour is an hour a window starts within: its cases as windowCases
// counts them, by unit and category (keyCases), their sums, and the
// highest id among them. A
// refresh reads the hour's sums from its buckets, and when they moved, the
// cases with an id above upTo received in it: when they make the sums,
// they are added, else (a writer committed after one with a higher id was
// read, or an earlier case made one of the hour's a repeat) the hour is
// read whole. The last hour's window starts within the hour before the
// current one, where the intake writes: in a surge it holds the most cases
// of any, and summing it from the cases at every refresh cost as many rows
// as it held; writers that register cases late move the 7 and 30 days'
// hours, which were read whole again with their day's version.
type liveHour struct {
	sums  [4]int64
	upTo  int64
	byKey map[unitCategory]keyCases
}

// keyCases are a live hour's cases of one unit and category: their receipt
// times in order, and from each on the sum of their values, so that a
// refresh finds what the cases from the window's start add with a search
// a unit and category. Summing them a case at every refresh cost as many
// map lookups as the hour held (with 613,501 cases in the hour at 10M,
// receipt_windows took 8.9 ms idle, and 5.7-6.3 ms this way). A keyCases
// is never changed: a merge makes the keys it adds to anew.
type keyCases struct {
	at     []int64
	suffix [][4]int64 // suffix[i] sums the cases i and after; one longer than at
}

// keptCase is a case as the windows count it: when it was received, and
// what it adds to its unit and category.
type keptCase struct {
	at   int64
	key  unitCategory
	vals [4]int64
}

// since returns, by unit and category, what the hour's cases received at
// or after from add; a unit and category with none is absent.
func (lh liveHour) since(from int64) map[unitCategory][4]int64 {
	out := make(map[unitCategory][4]int64, len(lh.byKey))
	for key, kc := range lh.byKey {
		if i, _ := slices.BinarySearch(kc.at, from); i < len(kc.at) {
			out[key] = kc.suffix[i]
		}
	}
	return out
}

// withCases returns byKey with cases added: the keys they add to made
// anew, the others shared.
func withCases(byKey map[unitCategory]keyCases, cases []keptCase) map[unitCategory]keyCases {
	news := map[unitCategory][]keptCase{}
	for _, c := range cases {
		news[c.key] = append(news[c.key], c)
	}
	out := make(map[unitCategory]keyCases, len(byKey)+len(news))
	maps.Copy(out, byKey)
	for key, cs := range news {
		old := byKey[key]
		all := make([]keptCase, 0, len(old.at)+len(cs))
		for i, at := range old.at {
			var v [4]int64
			for j := range v {
				v[j] = old.suffix[i][j] - old.suffix[i+1][j]
			}
			all = append(all, keptCase{at, key, v})
		}
		all = append(all, cs...)
		slices.SortStableFunc(all, func(a, b keptCase) int { return cmp.Compare(a.at, b.at) })
		kc := keyCases{at: make([]int64, len(all)), suffix: make([][4]int64, len(all)+1)}
		for i := len(all) - 1; i >= 0; i-- {
			kc.at[i] = all[i].at
			for j := range kc.suffix[i] {
				kc.suffix[i][j] = kc.suffix[i+1][j] + all[i].vals[j]
			}
		}
		out[key] = kc
	}
	return out
}

// hourCaseRow is a row of hourCasesQuery.
type hourCaseRow struct {
	ID       int64  `db:"id"`
	At       int64  `db:"at"`
	Unit     string `db:"unit"`
	Category string `db:"category"`
	V0       int64  `db:"v0"`
	V1       int64  `db:"v1"`
	V2       int64  `db:"v2"`
	V3       int64  `db:"v3"`
}

// hourCasesQuery reads the cases of [?, ?) as windowCases counts them, a
// row a case with its id; hourCasesAfterQuery those with an id above ?,
// through the primary key or the window's index, whichever holds fewer
// (between two refreshes, few cases are newer).
var hourCasesQuery = func() string {
	src := windowCases
	q := "SELECT id, " + src.col + " AS at, " + src.unit + " AS unit, category"
	for i, v := range src.vals {
		q += fmt.Sprintf(", %s AS v%d", v, i)
	}
	return q + " FROM " + src.table + " WHERE " + src.col + " >= ? AND " + src.col + " < ?"
}()

var hourCasesAfterQuery = hourCasesQuery + " AND id > ?"

// liveSumsQuery sums the hour buckets of n hours, a row an hour.
func liveSumsQuery(n int) string {
	return `SELECT '' AS unit, '' AS category, bucket, SUM(received) AS received, SUM(collective) AS collective,
SUM(skip_level) AS skip_level, SUM(repeats) AS repeats FROM receipt_bucket_tally
WHERE span = ? AND bucket IN (` + marks(n) + `) GROUP BY bucket`
}

// refreshLive brings k's live hours up to date in tx: the hours liveFrom
// falls in (-1: none), the others forgotten. The hours are kept as values
// and replaced whole, so that a refresh that fails leaves k as it was (an
// append shares the array of the kept cases beyond their length only).
func (k *KeptWindows) refreshLive(ctx context.Context, tx *sqlx.Tx, liveFrom []int64) error {
	var hours []any
	need := map[int64]bool{}
	for _, s := range liveFrom {
		if h := floorDiv(s, secondsPerHour); s >= 0 && !need[h] {
			need[h] = true
			hours = append(hours, h)
		}
	}
	if len(hours) == 0 {
		k.live = nil
		return nil
	}
	sums, err := selectMap(ctx, tx, "receipts of the windows' live hours", func(b bucketRow) (int64, [4]int64) { return b.Bucket, b.vals() },
		liveSumsQuery(len(hours)), append([]any{spanHour}, hours...)...)
	if err != nil {
		return err
	}
	kept := make(map[int64]liveHour, len(hours))
	for h := range need {
		lh, ok := k.live[h]
		if ok && lh.sums != sums[h] {
			news, err := readLive(ctx, tx, hourCasesAfterQuery, h, lh.upTo)
			if err != nil {
				return err
			}
			var both [4]int64
			for i := range both {
				both[i] = lh.sums[i] + news.sums[i]
			}
			if both == sums[h] {
				lh = liveHour{both, max(lh.upTo, news.upTo), withCases(lh.byKey, news.cases)}
			} else {
				ok = false // short, or a kept case changed
			}
		}
		if !ok {
			whole, err := readLive(ctx, tx, hourCasesQuery, h)
			if err != nil {
				return err
			}
			lh = liveHour{whole.sums, whole.upTo, withCases(nil, whole.cases)}
			k.liveReads++
		}
		kept[h] = lh
	}
	k.live = kept
	return nil
}

// liveCases are the cases of an hour read by readLive, with their sums
// and highest id.
type liveCases struct {
	sums  [4]int64
	upTo  int64
	cases []keptCase
}

// readLive reads the cases of the hour h by query, with args after the
// hour's bounds.
func readLive(ctx context.Context, tx *sqlx.Tx, query string, h int64, args ...any) (liveCases, error) {
	got, err := selectAll[hourCaseRow](ctx, tx, "receipts of a live hour", query,
		append([]any{h * secondsPerHour, (h + 1) * secondsPerHour}, args...)...)
	if err != nil {
		return liveCases{}, err
	}
	lc := liveCases{cases: make([]keptCase, 0, len(got))}
	for _, c := range got {
		v := [4]int64{c.V0, c.V1, c.V2, c.V3}
		for i := range v {
			lc.sums[i] += v[i]
		}
		lc.upTo = max(lc.upTo, c.ID)
		lc.cases = append(lc.cases, keptCase{c.At, unitCategory{c.Unit, c.Category}, v})
	}
	return lc, nil
}
