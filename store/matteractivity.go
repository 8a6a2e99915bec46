package store

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"riskmon/petition"
)

// KeptActivity keeps, from one refresh to the next, each matter's cases
// received in the 30 days or later (when, by whom, how many persons): what
// the rising rule counts of them in the 7 and 30 days (MatterActivity) it
// counts anew at every refresh from what is kept, as the windows move. A
// matter's cases change only with a write naming it, which moves its
// cases_version on (bumpMatters), so a refresh reads the matters' rows and
// again only the cases of the matters whose version moved: not the window's
// every case. A clock that goes back before what is kept reads them all
// again. Its zero value keeps nothing yet.
type KeptActivity struct {
	mu      sync.Mutex
	from    int64 // the 30 days' start at the latest read: every case at or after it is kept
	matters map[string]keptActivity
}

// keptActivity is a matter's cases from the 30 days' start on, and the
// version they were read at.
type keptActivity struct {
	version int64
	cases   []activityCase
}

type activityCase struct {
	At         int64  `db:"received_at"`
	Matter     string `db:"matter"`
	Petitioner string `db:"petitioner_hash"`
	Persons    int    `db:"persons"`
}

// activityCasesQuery reads the cases received at or after ? that name a
// matter (every one, through idx_cases_window, which covers
// it); activityCasesOfQuery those of the matters %s marks, through
// idx_cases_matter.
const (
	activityCasesQuery   = "SELECT received_at, matter, petitioner_hash, persons FROM cases WHERE received_at >= ? AND matter IS NOT NULL"
	activityCasesOfQuery = "SELECT received_at, matter, petitioner_hash, persons FROM cases WHERE matter IN (%s) AND received_at >= ?"
)

// KeptMatterActivity is MatterActivity, reading the cases only of the
// matters whose version moved and keeping them in k; with ReadFacts, or k
// nil, it is MatterActivity.
func (r *Reader) KeptMatterActivity(ctx context.Context, now time.Time, k *KeptActivity) ([]petition.MatterActivity, error) {
	if r.facts || k == nil {
		return r.MatterActivity(ctx, now)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	from7, from30 := activityStarts(now)
	matters, err := matterRows(ctx, r.tx, "")
	if err != nil {
		return nil, err
	}
	all := k.matters == nil || from30 < k.from
	kept := make(map[string]keptActivity, len(matters))
	var stale []any
	for _, m := range matters {
		ka := k.matters[m.Code] // a matter registered since has version 0 until a case names it
		if all || ka.version != m.CasesVersion {
			stale = append(stale, m.Code)
			ka = keptActivity{}
		}
		ka.version = m.CasesVersion
		kept[m.Code] = ka
	}
	var rows []activityCase
	switch {
	case all:
		rows, err = selectAll[activityCase](ctx, r.tx, "matter activity", activityCasesQuery, from30)
	case len(stale) > 0:
		rows, err = selectAll[activityCase](ctx, r.tx, "matter activity",
			fmt.Sprintf(activityCasesOfQuery, marks(len(stale))), append(stale, from30)...)
	}
	if err != nil {
		return nil, err
	}
	for _, c := range rows {
		ka := kept[c.Matter]
		ka.cases = append(ka.cases, c)
		kept[c.Matter] = ka
	}
	open, err := selectMap(ctx, r.tx, "matter disputes", func(d matterActivityRow) (string, matterActivityRow) { return d.Code, d }, matterDisputesQuery)
	if err != nil {
		return nil, err
	}
	var out []petition.MatterActivity
	for _, m := range matters {
		ka := kept[m.Code]
		ka.cases = activityFrom(ka.cases, from30) // what the window has left
		kept[m.Code] = ka
		a := petition.MatterActivity{Code: m.Code, Name: m.Name, Unit: m.Unit, Category: m.Category}
		p7, p30 := map[string]bool{}, map[string]bool{}
		for _, c := range ka.cases {
			if c.At > now.Unix() {
				continue // received after now: counted once now reaches it
			}
			a.Cases30, a.Persons30, p30[c.Petitioner] = a.Cases30+1, a.Persons30+c.Persons, true
			if c.At >= from7 {
				a.Cases7, a.Persons7, p7[c.Petitioner] = a.Cases7+1, a.Persons7+c.Persons, true
			}
		}
		a.Petitioners7, a.Petitioners30 = len(p7), len(p30)
		d, ok := open[m.Code]
		a.OpenDisputes, a.HighRiskDisputes = d.OpenDisputes, d.HighRiskDisputes
		if a.Cases30 > 0 || ok {
			out = append(out, a)
		}
	}
	k.matters, k.from = kept, from30
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// activityFrom is cases less those received before from, in place.
func activityFrom(cases []activityCase, from int64) []activityCase {
	out := cases[:0]
	for _, c := range cases {
		if c.At >= from {
			out = append(out, c)
		}
	}
	return out
}

// activityStarts are the first whole seconds of the 7 and of the 30 days up
// to now: a case counts in a window when received at or after its start
// and not after now.
func activityStarts(now time.Time) (from7, from30 int64) {
	return secondAtOrAfter(now.Add(-petition.RisingWindowDays * 24 * time.Hour)), secondAtOrAfter(now.Add(-30 * 24 * time.Hour))
}
