package store

import (
	"maps"
	"testing"
)

// since, on a live hour made from cases and then given more out of order,
// sums what a walk of the cases sums, with the window's start on each case
// and a second either side.
func TestLiveHourSince(t *testing.T) {
	a, b := unitCategory{"u1", "c1"}, unitCategory{"u2", "c1"}
	first := []keptCase{{100, a, [4]int64{1, 0, 0, 0}}, {50, a, [4]int64{1, 1, 0, 0}}, {100, b, [4]int64{1, 0, 1, 1}}}
	later := []keptCase{{75, a, [4]int64{1, 0, 0, 1}}, {10, b, [4]int64{1, 1, 1, 0}}, {3599, a, [4]int64{1, 0, 0, 0}}}
	walk := func(cases []keptCase, from int64) map[unitCategory][4]int64 {
		out := map[unitCategory][4]int64{}
		for _, c := range cases {
			if c.at >= from {
				v := out[c.key]
				for i := range v {
					v[i] += c.vals[i]
				}
				out[c.key] = v
			}
		}
		return out
	}
	lh := liveHour{byKey: withCases(nil, first)}
	merged := liveHour{byKey: withCases(lh.byKey, later)}
	all := append(append([]keptCase{}, first...), later...)
	for _, from := range []int64{0, 9, 10, 11, 49, 50, 51, 74, 75, 76, 99, 100, 101, 3598, 3599, 3600} {
		if got, want := lh.since(from), walk(first, from); !maps.Equal(got, want) {
			t.Errorf("from %d: got %v, want %v", from, got, want)
		}
		if got, want := merged.since(from), walk(all, from); !maps.Equal(got, want) {
			t.Errorf("merged, from %d: got %v, want %v", from, got, want)
		}
	}
	// the merge made new keys and left the first hour's as they were
	if got, want := lh.since(0), walk(first, 0); !maps.Equal(got, want) {
		t.Errorf("after the merge the first hour says %v, want %v", got, want)
	}
}
