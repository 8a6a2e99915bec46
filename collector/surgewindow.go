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
	rest  *restOfWindow
}

// keptHour is a whole UTC hour of today: the petitioners received in it
// from the second from on (the day's start, in a zone whose midnight is not
// a UTC hour's), with their latest receipts, and the hour's receipts when
// they were read.
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
		w.loc, w.kept, w.between, w.hours, w.rest = loc, nil, nil, nil, nil
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
		kept[d] = keptDay{latest: latestOf(rows), read: now}
		stale = stale || d > first
	}
	w.kept = kept // the days before the window are forgotten
	if stale {
		w.between = &unionOfDays{first: first + 1, last: today - 1, seen: map[petitionerOf]bool{}, counts: map[unitAnd]int{}}
		for d := first + 1; d < today; d++ {
			for p := range kept[d].latest {
				w.between.add(p)
			}
		}
	}

	todayFrom := today.Start(loc)
	if todayFrom.Before(from) {
		todayFrom = from
	}
	current, hoursChanged, err := w.todayHours(ctx, r, todayFrom, now)
	if err != nil {
		return nil, err
	}
	if stale || hoursChanged || slices.Contains(again, first) || w.rest == nil || w.rest.day != first {
		w.rest = w.restOf(kept[first].latest, first)
	}
	// the window: the days between, the first day from the window's start,
	// and today
	counts := maps.Clone(w.between.counts)
	for uc, n := range w.rest.todayCounts {
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
		if !f.today {
			counts[unitAnd{f.p.unit, f.p.category}]++
		}
	}
	for p := range current {
		if w.between.seen[p] || w.rest.today[p] {
			continue
		}
		if latest, ok := kept[first].latest[p]; ok && latest >= fromSec {
			continue // counted as the first day's
		}
		counts[unitAnd{p.unit, p.category}]++
	}
	out := make([]petition.CategoryPetitioners, 0, len(counts))
	for uc, n := range counts {
		out = append(out, petition.CategoryPetitioners{Unit: uc.unit, Category: uc.label, Current: n})
	}
	return petition.JoinSurge(out, nil), nil
}

// todayHours keeps in w.hours the petitioners received in [from, now]
// (from, the day's start, a whole second) by UTC hour, the whole hours
// before the current one, read again when their receipts moved or when the
// stalest is usualWeekFresh old (one a refresh, as the days), and returns
// the current hour's, read, and whether a whole hour was read.
func (w *windowDays) todayHours(ctx context.Context, r *store.Reader, from, now time.Time) (map[petitionerOf]int64, bool, error) {
	const hour = int64(time.Hour / time.Second)
	fs, ns := from.Unix(), now.Unix()
	first, current := fs/hour, ns/hour
	received := map[int64]int64{}
	if current > first {
		var err error
		if received, err = r.HourReceipts(ctx, first, current-1); err != nil {
			return nil, false, err
		}
	}
	read := func(from, to int64) (map[petitionerOf]int64, error) {
		rows, err := r.PetitionerReceipts(ctx, time.Unix(from, 0), time.Unix(to, 0))
		return latestOf(rows), err
	}
	kept := map[int64]keptHour{}
	stalest, changed := int64(-1), len(w.hours) == 0
	for h := first; h < current; h++ {
		k, ok := w.hours[h]
		segFrom := max(h*hour, fs)
		if !ok || k.from != segFrom || k.received != received[h] {
			latest, err := read(segFrom, h*hour+hour-1)
			if err != nil {
				return nil, false, err
			}
			changed = changed || !ok || !maps.Equal(k.latest, latest)
			k = keptHour{from: segFrom, received: received[h], latest: latest, read: now}
		} else if stalest < 0 || k.read.Before(kept[stalest].read) {
			stalest = h
		}
		kept[h] = k
	}
	if stalest >= 0 && now.Sub(kept[stalest].read) >= usualWeekFresh {
		k := kept[stalest]
		latest, err := read(k.from, stalest*hour+hour-1)
		if err != nil {
			return nil, false, err
		}
		changed = changed || !maps.Equal(k.latest, latest)
		k.latest, k.read = latest, now
		kept[stalest] = k
	}
	changed = changed || len(kept) != len(w.hours) // an hour became whole, or the day turned
	w.hours = kept
	latest, err := read(max(current*hour, fs), ns)
	return latest, changed, err
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
	today       map[petitionerOf]bool
	todayCounts map[unitAnd]int
}

// firstPetitioner is a petitioner of the first day not between, with the
// latest receipt that day; today says they are also in today's whole hours.
type firstPetitioner struct {
	p      petitionerOf
	latest int64
	today  bool
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
			rest.first = append(rest.first, firstPetitioner{p, latest, rest.today[p]})
		}
	}
	slices.SortFunc(rest.first, func(a, b firstPetitioner) int { return cmp.Compare(b.latest, a.latest) })
	return rest
}
