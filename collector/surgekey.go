package collector

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"riskmon/petition"
)

// petitionerOf is a receiving unit and category and a petitioner (the
// keyed hash, never the person) as the surge keeps them: the unit and
// category as their number among the pairs this process has met
// (unitCategories), the hash as its 32 bytes. It holds no pointer, so the
// garbage collector passes over the kept maps of them (the window's days
// hold a petitioner a case) at every cycle, and a lookup hashes 36 bytes,
// not three strings. With keys of three strings, under twenty writers at
// 10M cases, the surge took about 12 ms of CPU a refresh, four tenths of
// it hashing and comparing keys, and marking the kept maps' strings at
// every cycle the writers' requests set off was 8% of the process's CPU
// (docs/performance.md).
type petitionerOf struct {
	pair uint32
	hash [sha256.Size]byte
}

// newPetitionerOf is the key of a unit, category and petitioner hash, from
// strings or from the bytes a driver hands over (store.EachReceiptAfter:
// from those it makes no string). A hash riskmon writes is 64 lower-case
// hex digits (petition.PetitionerHash) and is keyed by the bytes they
// spell; any other text (upper-case digits too, which would spell the same
// bytes as another text) by its SHA-256, which tells it from every other as
// surely as the database does.
func newPetitionerOf[T string | []byte](unit, category, petitioner T) petitionerOf {
	p := petitionerOf{pair: pairNumber(unitCategories, unit, category)}
	if !petition.IsPetitionerHash(petitioner) {
		p.hash = sha256.Sum256([]byte(petitioner))
	} else if _, err := hex.Decode(p.hash[:], []byte(petitioner)); err != nil {
		p.hash = sha256.Sum256([]byte(petitioner)) // not reached: IsPetitionerHash lets only hex through
	}
	return p
}

// unitCategory is p's receiving unit and category.
func (p petitionerOf) unitCategory() unitAnd { return unitCategories.pair(p.pair) }

// pairNumbers numbers the unit and category pairs the surge meets, for the
// life of the process: they are the county's units by its categories, a
// few thousand at most. They are looked up by unit, then category, so that
// a lookup by bytes makes no string (Go's map index by string(b) does not
// copy b); a string is made once a pair, when it is numbered.
type pairNumbers struct {
	mu      sync.Mutex
	numbers map[string]map[string]uint32
	pairs   []unitAnd
}

var unitCategories = &pairNumbers{numbers: map[string]map[string]uint32{}}

// pairNumber is the number n gives unit and category, at their first use
// (a function: a method cannot take a type parameter).
func pairNumber[T string | []byte](n *pairNumbers, unit, category T) uint32 {
	n.mu.Lock()
	defer n.mu.Unlock()
	if i, ok := n.numbers[string(unit)][string(category)]; ok {
		return i
	}
	uc := unitAnd{string(unit), string(category)}
	i := uint32(len(n.pairs))
	if n.numbers[uc.unit] == nil {
		n.numbers[uc.unit] = map[string]uint32{}
	}
	n.numbers[uc.unit][uc.label] = i
	n.pairs = append(n.pairs, uc)
	return i
}

// pair is the pair numbered i.
func (n *pairNumbers) pair(i uint32) unitAnd {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.pairs[i]
}
