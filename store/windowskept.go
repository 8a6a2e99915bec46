package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// A receipt window's whole days before the day before yesterday (UTC) are
// settled: the buckets of such a day change only when a writer counts a
// receipt into a day before the day before its own (a case registered late,
// an earlier case made a repeat), and such a writer moves the day's row of
// receipt_day_versions on in its transaction (bumpReceiptDays). A writer
// whose day is the receipt's or the next moves nothing: by the time a
// reader holds that day settled, two days on, the writer has long
// committed, for no write lasts a day. What rewrites the buckets wholesale
// (the bulk load, recount) moves the row of allReceiptDays on.
const (
	settledMargin  = 2             // days, counted back from the reader's today
	lateWriteDays  = 1             // a writer moves the versions of days before its today less this
	allReceiptDays = math.MinInt64 // the row of receipt_day_versions that stands for every day
)

// dayShard is a row of receipt_day_versions: a UTC day, and the shard of
// the unit and category whose bucket of the day a writer counted into.
type dayShard struct {
	day   int64
	shard int
}

// lateDays are the days and shards of the receipt buckets t adds to that
// lie before the day before now's: those bumpReceiptDays moves on.
func (t caseTallies) lateDays(now time.Time) []dayShard {
	today := floorDiv(now.Unix(), secondsPerDay)
	var out []dayShard
	for k, row := range t.buckets.rows {
		if k.cols[0] == spanDay && int64(k.num) < today-lateWriteDays && *row != [maxTallyValues]int{} {
			out = append(out, dayShard{int64(k.num), shardOf(k.cols[1] + "\x00" + k.cols[2])})
		}
	}
	return out
}

// bumpReceiptDays moves on the versions of days in the writer's
// transaction, after its tallies.
func bumpReceiptDays(ctx context.Context, ex sqlx.ExecerContext, d dialect, days []dayShard) error {
	days = slices.Clone(days)
	slices.SortFunc(days, func(a, b dayShard) int { return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.shard, b.shard)) })
	keys := make([][]any, 0, len(days))
	for _, ds := range slices.Compact(days) {
		keys = append(keys, []any{ds.day, ds.shard})
	}
	return bumpVersions(ctx, ex, d, "receipt_day_versions", []string{"day", "shard"}, keys)
}

// bumpVersions adds one to the version of each row of table keyed by keys
// (in keyCols' order, sorted and distinct), creating it at 1: one statement,
// its rows in key order as the tallies' are, so that writers lock them in
// one order (an insert by key takes the key's lock alone, not a range's, as
// an UPDATE over a list would: bumpMatters).
func bumpVersions(ctx context.Context, ex sqlx.ExecerContext, d dialect, table string, keyCols []string, keys [][]any) error {
	if len(keys) == 0 {
		return nil
	}
	args := make([]any, 0, (len(keyCols)+1)*len(keys))
	for _, k := range keys {
		args = append(append(args, k...), 1)
	}
	q := d.upsertRows(table, keyCols, []string{"version"}, true, len(keys))
	if _, err := ex.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("version %s %v: %w", table, keys, err)
	}
	return nil
}

// KeptWindows keeps, from one refresh to the next, the receipt buckets of
// the settled days the windows span (each day's row of a unit and
// category, the sum of the hour rows of a day from the hour a window starts
// at), and the cases of each hour a window starts within, settled or not, in
// order by unit and category (liveHour: a window that starts mid-hour
// counts that hour's cases from its start on; at ten million cases the
// part-hours' cases were the windows' costliest read). A refresh reads the
// settled days' versions, and again only the days whose version moved; the
// whole hours and days not settled it reads as Windows does. A clock that
// goes back needs no care: what is kept of a day is its buckets at a
// version, whatever the clock, and of an hour its cases checked against its
// buckets; a day no longer settled is read live and forgotten. Its zero
// value keeps nothing yet.
type KeptWindows struct {
	mu    sync.Mutex
	epoch int64                     // the version of allReceiptDays read with what is kept
	days  map[int64]*keptReceiptDay // the settled days the latest refresh needed
	live  map[int64]liveHour        // by hour, the hours windows start within
	// liveReads counts the live hours read whole, dayReads the reads of
	// settled days' buckets: the tests tell a merge from a read, and a kept
	// day from one read again, by them
	liveReads, dayReads int
}

// keptReceiptDay is a settled day's buckets at version.
type keptReceiptDay struct {
	version int64
	sums    map[unitCategory][4]int64           // the day's own rows
	hours   map[int64]map[unitCategory][4]int64 // by hour a window starts at, the day's hour rows from it on, summed
}

// dayRange is the settled days [from, to) of a window.
type dayRange struct{ from, to int64 }

// bucketRow is a row of receipt_bucket_tally as KeptWindows reads it.
type bucketRow struct {
	Unit       string `db:"unit"`
	Category   string `db:"category"`
	Bucket     int64  `db:"bucket"`
	Received   int64  `db:"received"`
	Collective int64  `db:"collective"`
	SkipLevel  int64  `db:"skip_level"`
	Repeats    int64  `db:"repeats"`
}

func (b bucketRow) vals() [4]int64 { return [4]int64{b.Received, b.Collective, b.SkipLevel, b.Repeats} }

const bucketRowsQuery = "SELECT unit, category, bucket, received, collective, skip_level, repeats FROM receipt_bucket_tally WHERE span = ? AND "

// bucketSumsQuery sums the rows of a span's buckets [?, ?) by unit and
// category: the hours of a settled day from a window's start on, a row a
// unit and category where the hours are twenty-four (at ten million cases
// and twenty writers scattering late receipts, a day's hours moved at every
// refresh, and reading them a row an hour cost more than the sum).
const bucketSumsQuery = `SELECT unit, category, 0 AS bucket, SUM(received) AS received, SUM(collective) AS collective,
SUM(skip_level) AS skip_level, SUM(repeats) AS repeats FROM receipt_bucket_tally
WHERE span = ? AND bucket >= ? AND bucket < ? GROUP BY unit, category`

// KeptWindows is Windows at now, the settled days' buckets taken from k
// and kept there; with ReadFacts, or k nil, it is Windows.
func (r *Reader) KeptWindows(ctx context.Context, now time.Time, starts []time.Time, k *KeptWindows) ([]WindowCount, error) {
	if r.facts || k == nil || len(starts) == 0 {
		return r.Windows(ctx, starts)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	settled := floorDiv(now.Unix(), secondsPerDay) - settledMargin // days before it are settled
	n := len(starts)
	cases, hours, days := make([]span, n), make([]span, n), make([]span, n)
	sumDays, hourFrom, liveFrom := make([]dayRange, n), make([]int64, n), make([]int64, n)
	first := settled // the first settled day a window needs
	for i, start := range starts {
		s := secondAtOrAfter(start)
		h := ceilDiv(s, secondsPerHour)
		d := ceilDiv(h, 24)
		cases[i], hours[i], days[i] = span{s, h * secondsPerHour}, span{h, d * 24}, span{max(d, settled), endless}
		hourFrom[i] = -1
		if h < d*24 && d-1 < settled { // the hours lie in day d-1, settled
			hours[i], hourFrom[i] = span{}, h
			first = min(first, d-1)
		}
		if d < settled {
			sumDays[i] = dayRange{d, settled}
			first = min(first, d)
		}
		// the part-hour before the window's first whole hour: counted from
		// its hour's cases, kept (liveHour), settled or not
		liveFrom[i] = -1
		if s < h*secondsPerHour {
			cases[i], liveFrom[i] = span{}, s
		}
	}
	if err := k.refresh(ctx, r.tx, first, settled, sumDays, hourFrom); err != nil {
		return nil, err
	}
	if err := k.refreshLive(ctx, r.tx, liveFrom); err != nil {
		return nil, err
	}
	byKey := map[unitCategory]*WindowCount{}
	for _, src := range []struct {
		s     windowSource
		spans []span
	}{{windowCases, cases}, {windowHours, hours}, {windowDays, days}} {
		if err := r.windowSums(ctx, src.s, src.spans, byKey); err != nil {
			return nil, err
		}
	}
	add := func(i int, key unitCategory, v [4]int64) {
		w := windowOf(byKey, key, n)
		w.Received[i] += v[0]
		w.Collective[i] += v[1]
		w.SkipLevel[i] += v[2]
		w.Repeats[i] += v[3]
	}
	for i := range n {
		for day := sumDays[i].from; day < sumDays[i].to; day++ {
			for key, v := range k.days[day].sums {
				add(i, key, v)
			}
		}
		if hourFrom[i] >= 0 {
			for key, v := range k.days[floorDiv(hourFrom[i], 24)].hours[hourFrom[i]] {
				add(i, key, v)
			}
		}
		if liveFrom[i] >= 0 {
			for key, v := range k.live[floorDiv(liveFrom[i], secondsPerHour)].since(liveFrom[i]) {
				add(i, key, v)
			}
		}
	}
	return sortedWindows(byKey), nil
}

// refresh brings k's days [first, settled) up to date in tx: the sums of
// the days sumDays span and the hours of a day from each of hourFrom (-1:
// none), read again where their day's version moved; the others it
// forgets.
func (k *KeptWindows) refresh(ctx context.Context, tx *sqlx.Tx, first, settled int64, sumDays []dayRange, hourFrom []int64) error {
	type versionRow struct {
		Day     int64 `db:"day"`
		Version int64 `db:"version"`
	}
	// a day's shards summed: every bump adds one, so the sum moves with any
	rows, err := selectAll[versionRow](ctx, tx, "receipt day versions",
		"SELECT day, SUM(version) AS version FROM receipt_day_versions WHERE (day >= ? AND day < ?) OR day = ? GROUP BY day",
		first, settled, int64(allReceiptDays))
	if err != nil {
		return err
	}
	versions, epoch := map[int64]int64{}, int64(0)
	for _, v := range rows {
		if v.Day == allReceiptDays {
			epoch = v.Version
		} else {
			versions[v.Day] = v.Version
		}
	}
	if epoch != k.epoch {
		k.days = nil
	}
	k.epoch = epoch
	needHours := map[int64]bool{} // the hours windows start at, in settled days
	for _, h := range hourFrom {
		if h >= 0 {
			needHours[h] = true
		}
	}
	kept := map[int64]*keptReceiptDay{}
	var sumsToRead []any
	var hoursToRead []int64
	need := func(day int64) *keptReceiptDay {
		if kd := kept[day]; kd != nil {
			return kd
		}
		kd := k.days[day]
		if kd == nil || kd.version != versions[day] {
			kd = &keptReceiptDay{version: versions[day]}
			sumsToRead = append(sumsToRead, day)
		}
		kept[day] = kd
		return kd
	}
	for _, sd := range sumDays {
		for day := sd.from; day < sd.to; day++ {
			need(day)
		}
	}
	for hour := range needHours {
		if kd := need(floorDiv(hour, 24)); kd.hours[hour] == nil {
			hoursToRead = append(hoursToRead, hour)
		}
	}
	if len(sumsToRead) > 0 {
		got, err := selectAll[bucketRow](ctx, tx, "receipts by settled day",
			bucketRowsQuery+"bucket IN ("+marks(len(sumsToRead))+")", append([]any{spanDay}, sumsToRead...)...)
		if err != nil {
			return err
		}
		for _, day := range sumsToRead {
			kept[day.(int64)].sums = map[unitCategory][4]int64{}
		}
		k.dayReads++
		for _, b := range got {
			kept[b.Bucket].sums[unitCategory{b.Unit, b.Category}] = b.vals()
		}
	}
	for _, hour := range hoursToRead {
		kd := kept[floorDiv(hour, 24)]
		sums, err := selectMap(ctx, tx, "receipts of a settled day from an hour", func(b bucketRow) (unitCategory, [4]int64) { return unitCategory{b.Unit, b.Category}, b.vals() },
			bucketSumsQuery, spanHour, hour, (floorDiv(hour, 24)+1)*24)
		if err != nil {
			return err
		}
		k.dayReads++
		if kd.hours == nil {
			kd.hours = map[int64]map[unitCategory][4]int64{}
		}
		kd.hours[hour] = sums
	}
	for _, kd := range kept {
		for hour := range kd.hours {
			if !needHours[hour] {
				delete(kd.hours, hour) // kept only while a window starts at the hour
			}
		}
	}
	k.days = kept
	return nil
}
