package collector

import (
	"strings"
	"testing"

	"riskmon/petition"
)

// A petitioner's key is the same for the same unit, category and hash, and
// differs when any of them does: the surge counts distinct keys where the
// database counts distinct texts.
func TestPetitionerKeys(t *testing.T) {
	h1 := petition.PetitionerHash([]byte("key"), "person-1")
	h2 := petition.PetitionerHash([]byte("key"), "person-2")
	for _, tc := range []struct {
		name string
		a, b [3]string
		want bool
	}{
		{"the same", [3]string{"u1", "other", h1}, [3]string{"u1", "other", h1}, true},
		{"another petitioner", [3]string{"u1", "other", h1}, [3]string{"u1", "other", h2}, false},
		{"another unit", [3]string{"u1", "other", h1}, [3]string{"u2", "other", h1}, false},
		{"another category", [3]string{"u1", "other", h1}, [3]string{"u1", "land_requisition", h1}, false},
		{"the unit and category's text split elsewhere", [3]string{"u1o", "ther", h1}, [3]string{"u1", "other", h1}, false},
		{"upper-case digits are another text", [3]string{"u1", "other", h1}, [3]string{"u1", "other", strings.ToUpper(h1)}, false},
		{"a short text", [3]string{"u1", "other", "p1"}, [3]string{"u1", "other", "p1"}, true},
		{"short texts", [3]string{"u1", "other", "p1"}, [3]string{"u1", "other", "p2"}, false},
		{"a hash's digits one short", [3]string{"u1", "other", h1[:63]}, [3]string{"u1", "other", h1}, false},
		{"not hex", [3]string{"u1", "other", strings.Repeat("g", 64)}, [3]string{"u1", "other", strings.Repeat("h", 64)}, false},
	} {
		a, b := newPetitionerOf(tc.a[0], tc.a[1], tc.a[2]), newPetitionerOf(tc.b[0], tc.b[1], tc.b[2])
		if got := a == b; got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
		for i, in := range [][3]string{tc.a, tc.b} {
			if got, want := newPetitionerOf([]byte(in[0]), []byte(in[1]), []byte(in[2])), []petitionerOf{a, b}[i]; got != want {
				t.Errorf("%s: the key from bytes %v, from strings %v", tc.name, got, want)
			}
		}
		for i, p := range []petitionerOf{a, b} {
			in := [][3]string{tc.a, tc.b}[i]
			if got, want := p.unitCategory(), (unitAnd{in[0], in[1]}); got != want {
				t.Errorf("%s: unit and category %v, want %v", tc.name, got, want)
			}
		}
	}
}

// A key made from the driver's bytes (store.EachReceiptAfter) makes no
// string once its unit and category are numbered: under twenty writers a
// refresh keys thousands of new cases, and three strings a case were the
// garbage collector's work.
func TestPetitionerKeyFromBytesAllocatesNothing(t *testing.T) {
	unit, category := []byte("u-bytes"), []byte("other")
	hash := []byte(petition.PetitionerHash([]byte("key"), "person-1"))
	first := newPetitionerOf(unit, category, hash)
	var got petitionerOf
	allocs := testing.AllocsPerRun(100, func() { got = newPetitionerOf(unit, category, hash) })
	if allocs != 0 || got != first {
		t.Errorf("the key from bytes again: %v allocations, key %v, want 0 and %v", allocs, got, first)
	}
}
