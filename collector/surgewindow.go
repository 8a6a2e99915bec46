package collector

import (
	"cmp"
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
	rest *restOfWindow
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
		u.counts[unitAnd{p.unit, p.category}]++
	}
}

// keptDay is one day's petitioners and when they were read.
type keptDay struct {
	latest map[petitionerOf]int64
	read   time.Time
}

func (d keptDay) readAt() time.Time { return d.read }

type petitionerOf struct{ unit, category, petitioner string }

// latestOf is each petitioner's latest receipt among rows.
func latestOf(rows []store.PetitionerReceipt) map[petitionerOf]int64 {
	latest := make(map[petitionerOf]int64, len(rows))
	for _, row := range rows {
		latest[petitionerOf{row.Unit, row.Category, row.Petitioner}] = row.Latest
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
					w.curCounts[unitAnd{p.unit, p.category}]++
				}
				w.rest.inCur(p)
			}
		}
		for _, p := range added {
			if _, inCur := current[p]; w.rest.addToday(p, w.between) && inCur {
				w.curCounts[unitAnd{p.unit, p.category}]--
			}
		}
	}
	if curWhole || w.curCounts == nil {
		w.curCounts = map[unitAnd]int{}
		for p := range current {
			if !w.between.seen[p] && !w.rest.today[p] {
				w.curCounts[unitAnd{p.unit, p.category}]++
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
			counts[unitAnd{f.p.unit, f.p.category}]++
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
		k := keptHour{from: from, latest: latestOf(rows), read: now}
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
	added, curAdded, merges, short, err := w.mergeNew(ctx, r, moved, received, kept, &upTo, ns)
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
	w.hours, w.cur, w.curHour, w.curTo, w.upTo = kept, cur, current, ns, upTo
	return cur.latest, added, curAdded, rebuild, !merged, nil
}

// mergeNew finds for each moved hour of kept the cases with an id above
// w.upTo received in it up to now (ns), and whether they are all it lacks:
// its kept count and theirs make its count in received. Ids are given at
// insert and a writer may commit after one with a higher id was read; then
// the hour's count is short, and the hour is returned in short, to be read
// whole; so is the current hour while it holds a case received after now.
// It returns the petitioners new to a whole hour and those new to the
// current one, and raises *upTo to the highest id read. It changes nothing
// kept: the merges it returns add the cases to the hours' maps in place
// once the refresh has read all it reads (a refresh that fails leaves w as
// it was), where copying a map cost as many entries as the hour held, at
// every refresh, and the current hour holds the most.
func (w *windowDays) mergeNew(ctx context.Context, r *store.Reader, moved []int64, received map[int64]int64, kept map[int64]keptHour, upTo *int64, ns int64) (added, curAdded []petitionerOf, merges []hourMerge, short []int64, err error) {
	const hour = int64(time.Hour / time.Second)
	if len(moved) == 0 {
		return nil, nil, nil, nil, nil
	}
	rows, err := r.ReceiptsAfter(ctx, w.upTo, moved[0]*hour, min((moved[len(moved)-1]+1)*hour, ns+1))
	if err != nil {
		return nil, nil, nil, nil, err
	}
	byHour := map[int64][]store.CaseReceipt{}
	for _, c := range rows {
		byHour[c.At/hour] = append(byHour[c.At/hour], c)
		*upTo = max(*upTo, c.ID)
	}
	for _, h := range moved {
		k, news := kept[h], byHour[h]
		if k.received+int64(len(news)) != received[h] {
			short = append(short, h)
			continue
		}
		m := hourMerge{hour: h, received: received[h], latest: map[petitionerOf]int64{}}
		for _, c := range news {
			p := petitionerOf{c.Unit, c.Category, c.Petitioner}
			_, seen := k.latest[p]
			if was, ok := m.latest[p]; !ok && !seen {
				if h < ns/hour {
					added = append(added, p)
				} else {
					curAdded = append(curAdded, p)
				}
				m.latest[p] = c.At
			} else if c.At > max(was, k.latest[p]) {
				m.latest[p] = c.At
			}
		}
		merges = append(merges, m)
	}
	return added, curAdded, merges, short, nil
}

// hourMerge is what the cases created since add to a kept hour: its new
// count, and the petitioners new to it or with a later receipt.
type hourMerge struct {
	hour, received int64
	latest         map[petitionerOf]int64
}

// into adds m to k, changing k's map in place.
func (m hourMerge) into(k keptHour) keptHour {
	for p, at := range m.latest {
		k.latest[p] = at
	}
	k.received = m.received
	return k
}

// sameKeys reports whether a and b hold the same petitioners: what the
// window counts of a whole hour of today is who, not when.
func sameKeys(a, b map[petitionerOf]int64) bool {
	return maps.EqualFunc(a, b, func(int64, int64) bool { return true })
}

// restOfWindow is what the window holds beyond the days between, made
// again when they, the first day or today's whole hours change, so that a
// refresh adds to the days between only what moves: the first day's
// petitioners not between, latest first (the window's start passes them by
// in that order), and today's whole hours' petitioners not between, with
// their count.
type restOfWindow struct {
	day         calendar.Day // the first day
	first       []firstPetitioner
	firstAt     map[petitionerOf]int // where each of first stands in it
	today       map[petitionerOf]bool
	todayCounts map[unitAnd]int
}

// firstPetitioner is a petitioner of the first day not between, with the
// latest receipt that day; today says they are also in today's whole
// hours, cur in the current hour. (Looking each up in the current hour at
// every refresh cost a map lookup a petitioner of the first day: a fifth
// of an idle refresh's CPU at 10M, and more as the current hour grows.)
type firstPetitioner struct {
	p          petitionerOf
	latest     int64
	today, cur bool
}

func (w *windowDays) restOf(firstDay map[petitionerOf]int64, day calendar.Day) *restOfWindow {
	rest := &restOfWindow{day: day, today: map[petitionerOf]bool{}, todayCounts: map[unitAnd]int{}}
	for _, h := range w.hours {
		for p := range h.latest {
			if !w.between.seen[p] && !rest.today[p] {
				rest.today[p] = true
				rest.todayCounts[unitAnd{p.unit, p.category}]++
			}
		}
	}
	for p, latest := range firstDay {
		if !w.between.seen[p] {
			rest.first = append(rest.first, firstPetitioner{p: p, latest: latest, today: rest.today[p]})
		}
	}
	slices.SortFunc(rest.first, func(a, b firstPetitioner) int { return cmp.Compare(b.latest, a.latest) })
	rest.firstAt = make(map[petitionerOf]int, len(rest.first))
	for i, f := range rest.first {
		rest.firstAt[f.p] = i
	}
	return rest
}

// markCur marks the first day's petitioners of the current hour, current.
func (rest *restOfWindow) markCur(current map[petitionerOf]int64) {
	for i := range rest.first {
		_, rest.first[i].cur = current[rest.first[i].p]
	}
}

// inCur marks p, new to the current hour, if of the first day.
func (rest *restOfWindow) inCur(p petitionerOf) {
	if i, ok := rest.firstAt[p]; ok {
		rest.first[i].cur = true
	}
}

// addToday counts p, new to today's whole hours, as restOf would have,
// and reports whether p was new to rest.
func (rest *restOfWindow) addToday(p petitionerOf, between *unionOfDays) bool {
	if between.seen[p] || rest.today[p] {
		return false
	}
	rest.today[p] = true
	rest.todayCounts[unitAnd{p.unit, p.category}]++
	if i, ok := rest.firstAt[p]; ok {
		rest.first[i].today = true
	}
	return true
}
