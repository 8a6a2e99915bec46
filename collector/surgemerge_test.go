package collector

import "testing"

// The ids a refresh read past are found whatever order the planner gave
// them in.
func TestMergedIDs(t *testing.T) {
	m := newMergedIDs(10, []int64{17, 12, 30, 11}, 1)
	for _, tc := range []struct {
		id   int64
		want bool
	}{{11, true}, {12, true}, {17, true}, {30, true}, {10, false}, {13, false}, {31, false}} {
		if got := m.has(tc.id); got != tc.want {
			t.Errorf("has(%d) = %v, want %v", tc.id, got, tc.want)
		}
	}
}
