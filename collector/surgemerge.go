package collector

import (
	"context"
	"slices"
	"time"

	"riskmon/store"
)

// The surge's kept hours of today take the cases created since the latest
// refresh (mergeNew), checked against the hours' counts from the buckets;
// what they add goes into the kept maps once the refresh has read all it
// reads (hourMerge).

// mergedIDs are the ids a refresh read above floor, sorted, and which
// refresh (0: none has merged since the window was kept anew).
type mergedIDs struct {
	floor int64
	ids   []int64
	in    int64
}

// newMergedIDs is what the refresh numbered in read above floor: ids, in
// any order (the planner's), sorted in place.
func newMergedIDs(floor int64, ids []int64, in int64) mergedIDs {
	slices.Sort(ids)
	return mergedIDs{floor: floor, ids: ids, in: in}
}

// has says whether the refresh read id above floor.
func (m mergedIDs) has(id int64) bool {
	_, found := slices.BinarySearch(m.ids, id)
	return found
}

// newReceipt is a case created since the latest refresh as the surge
// keeps it: no string, no pointer (petitionerOf).
type newReceipt struct {
	id, at int64
	p      petitionerOf
}

// receiptsAfter reads the cases with an id above after received in [from,
// to) as newReceipts.
func receiptsAfter(ctx context.Context, r *store.Reader, after, from, to int64) ([]newReceipt, error) {
	var out []newReceipt
	err := r.EachReceiptAfter(ctx, after, from, to, func(id, at int64, unit, category, petitioner []byte) {
		out = append(out, newReceipt{id: id, at: at, p: newPetitionerOf(unit, category, petitioner)})
	})
	return out, err
}

// mergeNew finds for each moved hour of kept the cases with an id above
// w.upTo received in it up to now (ns), and whether they are all it lacks:
// its kept count and theirs make its count in received. Ids are given at
// insert and a writer may commit after one with a higher id was read; then
// the hour's count is short, its case is looked for among the ids the
// latest refresh read past (w.merged), and failing that the hour is
// returned in short, to be read whole; so is the current hour while it
// holds a case received after now. It returns the petitioners new to a
// whole hour and those new to the current one, and the ids it read above
// w.upTo, and raises *upTo to the highest of them. It changes nothing
// kept: the merges it returns add the cases to the hours' maps in place
// once the refresh has read all it reads (a refresh that fails leaves w as
// it was), where copying a map cost as many entries as the hour held, at
// every refresh, and the current hour holds the most.
func (w *windowDays) mergeNew(ctx context.Context, r *store.Reader, moved []int64, received map[int64]int64, kept map[int64]keptHour, upTo *int64, ns int64) (added, curAdded []petitionerOf, merges []hourMerge, short, ids []int64, err error) {
	const hour = int64(time.Hour / time.Second)
	if len(moved) == 0 {
		return nil, nil, nil, nil, nil, nil
	}
	rows, err := receiptsAfter(ctx, r, w.upTo, moved[0]*hour, min((moved[len(moved)-1]+1)*hour, ns+1))
	if err != nil {
		return nil, nil, nil, nil, nil, err
	}
	byHour := map[int64][]newReceipt{}
	ids = make([]int64, len(rows))
	for i, c := range rows {
		byHour[c.at/hour] = append(byHour[c.at/hour], c)
		*upTo = max(*upTo, c.id)
		ids[i] = c.id
	}
	lacks := func(h int64) bool { return kept[h].received+int64(len(byHour[h])) != received[h] }
	// an hour short of cases looks for them among the ids the latest refresh
	// read past (mergedIDs), unless that refresh or a later one read it
	// whole: such a read may have counted cases above floor not among the
	// ids, and only the count would then stand between a case counted twice
	// and one missed
	var late []int64
	for _, h := range moved {
		if lacks(h) && w.merged.in > 0 && kept[h].readIn < w.merged.in {
			late = append(late, h)
		}
	}
	if len(late) > 0 {
		rows, err := receiptsAfter(ctx, r, w.merged.floor, late[0]*hour, min((late[len(late)-1]+1)*hour, ns+1))
		if err != nil {
			return nil, nil, nil, nil, nil, err
		}
		for _, c := range rows {
			if h := c.at / hour; c.id <= w.upTo && !w.merged.has(c.id) && slices.Contains(late, h) {
				byHour[h] = append(byHour[h], c)
			}
		}
	}
	for _, h := range moved {
		k, news := kept[h], byHour[h]
		if lacks(h) {
			short = append(short, h)
			continue
		}
		m := hourMerge{hour: h, received: received[h], latest: make(map[petitionerOf]int64, len(news))} // at most an entry a case: grown once
		for _, c := range news {
			_, seen := k.latest[c.p]
			if was, ok := m.latest[c.p]; !ok && !seen {
				if h < ns/hour {
					added = append(added, c.p)
				} else {
					curAdded = append(curAdded, c.p)
				}
				m.latest[c.p] = c.at
			} else if c.at > max(was, k.latest[c.p]) {
				m.latest[c.p] = c.at
			}
		}
		merges = append(merges, m)
	}
	return added, curAdded, merges, short, ids, nil
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
