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

// mergedIDs are the ids a refresh read above floor, and which refresh.
type mergedIDs struct {
	floor int64
	ids   map[int64]bool
	in    int64
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
func (w *windowDays) mergeNew(ctx context.Context, r *store.Reader, moved []int64, received map[int64]int64, kept map[int64]keptHour, upTo *int64, ns int64) (added, curAdded []petitionerOf, merges []hourMerge, short []int64, ids map[int64]bool, err error) {
	const hour = int64(time.Hour / time.Second)
	ids = map[int64]bool{}
	if len(moved) == 0 {
		return nil, nil, nil, nil, ids, nil
	}
	rows, err := r.ReceiptsAfter(ctx, w.upTo, moved[0]*hour, min((moved[len(moved)-1]+1)*hour, ns+1))
	if err != nil {
		return nil, nil, nil, nil, nil, err
	}
	byHour := map[int64][]store.CaseReceipt{}
	for _, c := range rows {
		byHour[c.At/hour] = append(byHour[c.At/hour], c)
		*upTo = max(*upTo, c.ID)
		ids[c.ID] = true
	}
	lacks := func(h int64) bool { return kept[h].received+int64(len(byHour[h])) != received[h] }
	// an hour short of cases looks for them among the ids the latest refresh
	// read past (mergedIDs), unless that refresh or a later one read it
	// whole: such a read may have counted cases above floor not among the
	// ids, and only the count would then stand between a case counted twice
	// and one missed
	var late []int64
	for _, h := range moved {
		if lacks(h) && w.merged.ids != nil && kept[h].readIn < w.merged.in {
			late = append(late, h)
		}
	}
	if len(late) > 0 {
		rows, err := r.ReceiptsAfter(ctx, w.merged.floor, late[0]*hour, min((late[len(late)-1]+1)*hour, ns+1))
		if err != nil {
			return nil, nil, nil, nil, nil, err
		}
		for _, c := range rows {
			if h := c.At / hour; c.ID <= w.upTo && !w.merged.ids[c.ID] && slices.Contains(late, h) {
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
		m := hourMerge{hour: h, received: received[h], latest: map[petitionerOf]int64{}}
		for _, c := range news {
			p := newPetitionerOf(c.Unit, c.Category, c.Petitioner)
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
