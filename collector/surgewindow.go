package collector

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// windowDays keeps the days of the surge window before today, so that a
// refresh reads today's cases, not the whole 7 days: what the window holds
// grows with the county's daily volume, and a refresh's cost should follow
// the changes, not the window. Each kept day holds, by receiving unit,
// category and petitioner (the keyed hash, which never leaves the process),
// the latest receipt that day: the window's first day counts the
// petitioners with a case at or after its start. A kept day is read again
// when it is older than usualWeekFresh, the stalest one a refresh, so that
// a case registered late with a receipt time in a kept day counts within
// the hour and six refreshes, as in the usual weeks (toRead).
type windowDays struct {
	mu   sync.Mutex
	loc  *time.Location
	kept map[calendar.Day]keptDay
	// between is the union of the kept days after the window's first, made
	// again only when one of them is read or the window moves a day: a
	// refresh adds the first day's and today's petitioners to it.
	between *unionOfDays
	// hours are today's whole UTC hours before the current one, kept as
	// the days are, and read again when their receipts moved
	// (store.Reader.HourReceipts): a refresh reads the current hour's cases.
	hours map[int64]keptHour
	// cur is the current UTC hour, curHour, from its start (or the day's)
	// to the second curTo of the refresh that read it, kept as the whole
	// hours are (unless the clock went back within it): a refresh
	// takes the cases created since, as it does for a whole hour whose
	// receipts moved, and the hour, once whole, is kept with them. In a
	// surge the current hour holds the most cases of any, and reading it
	// whole at every refresh cost as many rows as it held.
	cur            keptHour
	curHour, curTo int64
	// upTo is the highest case id read into hours and cur: a kept hour's
	// cases are at or below it, and the cases created since above
	// (mergeNew).
	upTo int64
	// merged is what the latest refresh took from the cases created since:
	// the ids it read above floor (upTo before it), and which refresh it
	// was (refreshes: the clock may go back). A writer that
	// commits after a case with a higher id was read leaves an hour short
	// at the next refresh, its case among the ids above floor not read; an
	// hour not read whole since takes it from them instead of being read
	// whole, which cost as many rows as the hour held (0.74 s with 400,000
	// cases in the current hour, under twenty writers).
	merged mergedIDs
	// refreshes counts the refreshes that kept what they read: the clock
	// may go back, their order may not
	refreshes int64
	rest      *restOfWindow
	// curCounts are the petitioners of cur neither between nor in today's
	// whole hours, by unit and category: made again with rest or when cur
	// is read whole, else moved by the petitioners new to cur or to today,
	// so that a refresh does not walk the current hour's petitioners.
	curCounts map[unitAnd]int
}

// keptHour is a UTC hour of today: the petitioners received in it from
// the second from on (the day's start, in a zone whose midnight is not a
// UTC hour's), with their latest receipts, and how many cases they were
// when read (a whole hour's: its receipts; the current hour's: those up to
// the refresh).
type keptHour struct {
	from     int64
	received int64
	latest   map[petitionerOf]int64
	read     time.Time
	readIn   int64 // the refresh that read it whole (windowDays.refreshes)
}

// unionOfDays is the petitioners of the days [first, last], and their
// count by unit and category.
type unionOfDays struct {
	first, last calendar.Day
	seen        map[petitionerOf]bool
	counts      map[unitAnd]int
}

// add counts p unless seen.
func (u *unionOfDays) add(p petitionerOf) {
	if !u.seen[p] {
		u.seen[p] = true
		u.counts[p.unitCategory()]++
	}
}

// keptDay is one day's petitioners and when they were read.
type keptDay struct {
	latest map[petitionerOf]int64
	read   time.Time
}

func (d keptDay) readAt() time.Time { return d.read }

// latestOf is each petitioner's latest receipt among rows.
func latestOf(rows []store.PetitionerReceipt) map[petitionerOf]int64 {
	latest := make(map[petitionerOf]int64, len(rows))
	for _, row := range rows {
		latest[newPetitionerOf(row.Unit, row.Category, row.Petitioner)] = row.Latest
	}
	return latest
}

// current returns the distinct petitioners of [now-7d, now] by receiving
// unit and category (Current), as store.Reader.CategoryPetitionersNow
// counts them from the cases.
func (w *windowDays) current(ctx context.Context, r *store.Reader, now time.Time, loc *time.Location) ([]petition.CategoryPetitioners, error) {
	from := now.Add(-petition.SurgeWindowDays * 24 * time.Hour)
	first, today := calendar.DayOf(from, loc), calendar.DayOf(now, loc)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.loc != loc {
		w.loc, w.kept, w.between, w.hours, w.cur, w.upTo, w.rest, w.curCounts = loc, nil, nil, nil, keptHour{}, 0, nil, nil
		w.merged = mergedIDs{}
	}
	var days []calendar.Day
	for d := first; d < today; d++ {
		days = append(days, d)
	}
	kept, again := toRead(days, w.kept, now)
	stale := w.between == nil || w.between.first != first+1 || w.between.last != today-1
	for _, d := range again {
		rows, err := r.PetitionerReceipts(ctx, d.Start(loc), (d + 1).Start(loc).Add(-time.Second))
		if err != nil {
			return nil, err
		}
		was, ok := w.kept[d]
		kept[d] = keptDay{latest: latestOf(rows), read: now}
		// a day between read again (the stalest, hourly) changes the union
		// only when it holds other petitioners: making it again cost a walk
		// of six days' petitioners, seven times an hour
		stale = stale || (d > first && (!ok || !sameKeys(was.latest, kept[d].latest)))
	}
	between := w.between
	if stale {
		between = &unionOfDays{first: first + 1, last: today - 1, seen: map[petitionerOf]bool{}, counts: map[unitAnd]int{}}
		for d := first + 1; d < today; d++ {
			for p := range kept[d].latest {
				between.add(p)
			}
		}
	}

	todayFrom := today.Start(loc)
	if todayFrom.Before(from) {
		todayFrom = from
	}
	current, added, curAdded, hoursChanged, curWhole, err := w.todayHours(ctx, r, todayFrom, now)
	if err != nil {
		// the days read are dropped with the refresh: kept, the next would
		// add to a rest of the window made before them
		return nil, err
	}
	w.kept, w.between = kept, between // the days before the window are forgotten
	if stale || hoursChanged || slices.Contains(again, first) || w.rest == nil || w.rest.day != first {
		w.rest, w.curCounts = w.restOf(kept[first].latest, first), nil
	} else {
		if !curWhole {
			for _, p := range curAdded { // before today's: one new to both is today's
				if !w.between.seen[p] && !w.rest.today[p] {
					w.curCounts[p.unitCategory()]++
				}
				w.rest.inCur(p)
			}
		}
		for _, p := range added {
			if _, inCur := current[p]; w.rest.addToday(p, w.between) && inCur {
				w.curCounts[p.unitCategory()]--
			}
		}
	}
	if curWhole || w.curCounts == nil {
		w.curCounts = map[unitAnd]int{}
		for p := range current {
			if !w.between.seen[p] && !w.rest.today[p] {
				w.curCounts[p.unitCategory()]++
			}
		}
		w.rest.markCur(current)
	}
	// the window: the days between, the first day from the window's start,
	// and today
	counts := maps.Clone(w.between.counts)
	for uc, n := range w.rest.todayCounts {
		counts[uc] += n
	}
	for uc, n := range w.curCounts {
		counts[uc] += n
	}
	fromSec := from.Unix()
	if from.Nanosecond() > 0 {
		fromSec++ // the first whole second at or after from
	}
	for _, f := range w.rest.first {
		if f.latest < fromSec {
			break // latest first: the rest are before the window
		}
		if !f.today && !f.cur { // those of cur are in curCounts
			counts[f.p.unitCategory()]++
		}
	}
	out := make([]petition.CategoryPetitioners, 0, len(counts))
	for uc, n := range counts {
		out = append(out, petition.CategoryPetitioners{Unit: uc.unit, Category: uc.label, Current: n})
	}
	return petition.JoinSurge(out, nil), nil
}

// todayHours keeps in w.hours the petitioners received in [from, now]
// (from, the day's start, a whole second) by UTC hour, the whole hours
// before the current one, and in w.cur the current hour's, which it
// returns; the petitioners new to a kept whole hour, when the others are as
// they were, and those new to the current one; whether the whole hours
// changed otherwise (rest must be made again); and whether the current
// hour was read whole (curCounts must be made again). A kept hour whose receipts moved
// (store.Reader.HourReceipts), the current one included, takes the cases
// created since: those with an id above w.upTo, read once for all such
// hours, and complete when the hour's count says so; else, as a new hour or
// the stalest whole one once usualWeekFresh old (one a refresh, as the
// days), it is read whole. Writers scatter late receipts over today's hours
// and crowd the current one: reading an hour whole again cost as many rows
// as it holds.
func (w *windowDays) todayHours(ctx context.Context, r *store.Reader, from, now time.Time) (map[petitionerOf]int64, []petitionerOf, []petitionerOf, bool, bool, error) {
	const hour = int64(time.Hour / time.Second)
	fs, ns := from.Unix(), now.Unix()
	first, current := fs/hour, ns/hour
	received, err := r.HourReceipts(ctx, first, current)
	if err != nil {
		return nil, nil, nil, false, false, err
	}
	upTo := w.upTo
	read := func(from, to int64) (keptHour, error) {
		rows, err := r.PetitionerReceipts(ctx, time.Unix(from, 0), time.Unix(to, 0))
		k := keptHour{from: from, latest: latestOf(rows), read: now, readIn: w.refreshes + 1}
		for _, row := range rows {
			upTo = max(upTo, row.LastID)
			k.received += row.Cases
		}
		return k, err
	}
	kept := map[int64]keptHour{}
	var moved []int64 // kept hours whose receipts moved
	// rest is made again where the whole hours differ from those kept: an
	// hour read or gone (the count below), not none kept (the day's first
	// hour has none)
	stalest, rebuild := int64(-1), false
	for h := first; h < current; h++ {
		k, ok := w.hours[h]
		if !ok && h == w.curHour && w.cur.latest != nil {
			k, ok = w.cur, true // the current hour at the latest refresh, whole now
		}
		segFrom := max(h*hour, fs)
		switch {
		case ok && k.from == segFrom && k.received == received[h]:
			if stalest < 0 || k.read.Before(kept[stalest].read) {
				stalest = h
			}
		case ok && k.from == segFrom && segFrom == h*hour:
			moved = append(moved, h)
		default:
			latest, err := read(segFrom, h*hour+hour-1)
			if err != nil {
				return nil, nil, nil, false, false, err
			}
			rebuild = rebuild || !ok || !sameKeys(k.latest, latest.latest)
			k, k.received = latest, received[h] // the hour's, when the day starts within it too
		}
		kept[h] = k
	}
	curFrom := max(current*hour, fs)
	if w.curHour == current && w.curTo <= ns && w.cur.latest != nil && w.cur.from == curFrom && curFrom == current*hour {
		kept[current] = w.cur
		moved = append(moved, current)
	}
	added, curAdded, merges, short, ids, err := w.mergeNew(ctx, r, moved, received, kept, &upTo, ns)
	if err != nil {
		return nil, nil, nil, false, false, err
	}
	cur, merged := kept[current]
	merged = merged && !slices.Contains(short, current)
	delete(kept, current)
	for _, h := range short { // not complete from the new cases: read whole
		if h == current {
			continue
		}
		k, err := read(h*hour, h*hour+hour-1)
		if err != nil {
			return nil, nil, nil, false, false, err
		}
		rebuild = rebuild || !sameKeys(kept[h].latest, k.latest)
		kept[h] = k
	}
	if stalest >= 0 && now.Sub(kept[stalest].read) >= usualWeekFresh {
		k := kept[stalest]
		again, err := read(k.from, stalest*hour+hour-1)
		if err != nil {
			return nil, nil, nil, false, false, err
		}
		rebuild = rebuild || !sameKeys(k.latest, again.latest)
		again.received = k.received // the hour's, as kept
		kept[stalest] = again
	}
	rebuild = rebuild || len(kept) != len(w.hours) // an hour became whole, or the day turned
	if !merged {
		if cur, err = read(curFrom, ns); err != nil {
			return nil, nil, nil, false, false, err
		}
	}
	// every read done: the refresh can no longer fail, and the new cases
	// go into the kept maps
	for _, m := range merges {
		if m.hour == current {
			cur = m.into(cur)
		} else {
			kept[m.hour] = m.into(kept[m.hour])
		}
	}
	w.refreshes++
	w.merged = newMergedIDs(w.upTo, ids, w.refreshes)
	w.hours, w.cur, w.curHour, w.curTo, w.upTo = kept, cur, current, ns, upTo
	return cur.latest, added, curAdded, rebuild, !merged, nil
}

// sameKeys reports whether a and b hold the same petitioners: what the
// window counts of a whole hour of today is who, not when.
func sameKeys(a, b map[petitionerOf]int64) bool {
	return maps.EqualFunc(a, b, func(int64, int64) bool { return true })
}
