package collector

import (
	"cmp"
	"slices"

	"riskmon/calendar"
)

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
				rest.todayCounts[p.unitCategory()]++
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
	rest.todayCounts[p.unitCategory()]++
	if i, ok := rest.firstAt[p]; ok {
		rest.first[i].today = true
	}
	return true
}
