package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"slices"
	"time"

	"riskmon/petition"
)

// CaseSource yields the cases of an import in batches, earliest received
// first; an empty batch ends it. A file too large to hold in memory is read
// a batch at a time (intake.File).
type CaseSource func(ctx context.Context) ([]LoadCase, error)

// Cases is the source of cases held in memory: sorted by the time they were
// received (cases received together keep their order), in one batch, which
// the writers cut into their transactions.
func Cases(cases []LoadCase) CaseSource {
	sorted := slices.Clone(cases)
	slices.SortStableFunc(sorted, func(a, b LoadCase) int { return a.Case.ReceivedAt.Compare(b.Case.ReceivedAt) })
	return func(context.Context) ([]LoadCase, error) {
		batch := sorted
		sorted = nil
		return batch, nil
	}
}

// Digest stands for a case number or a matter in the sets an import keeps: 16
// bytes of SHA-256 whatever the length of the text, and no pointers for the
// collector to follow through a million entries. Two texts share a Digest
// with a chance of about 2^-128.
type Digest [16]byte

// DigestOf is the Digest of parts taken together.
func DigestOf(parts ...string) Digest {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0}) // "ab","c" and "a","bc" differ
	}
	var d Digest
	copy(d[:], h.Sum(nil))
	return d
}

// loadOrder follows a bulk load's cases as they arrive, in received order:
// it refuses a case received before the one ahead of it, and derives each
// case's repeat flag (a case number given twice the database refuses). A case repeats when the
// intake linked it, or when the latest case of the same matter received
// strictly before it lies within the repeat rule's look-back (the latest is
// the closest, so it decides). It keeps two times per matter, not the
// cases.
type loadOrder struct {
	rules   petition.Rules
	last    time.Time
	matters map[Digest]matterTimes
}

// matterTimes are the latest time a matter's cases were received and the
// latest before it (noTime if none), as Unix nanoseconds: 16 bytes.
type matterTimes struct{ latest, before int64 }

const noTime = math.MinInt64

func newLoadOrder(r petition.Rules) *loadOrder {
	return &loadOrder{rules: r, matters: map[Digest]matterTimes{}}
}

// repeats checks the next batch and returns its repeat flags.
func (o *loadOrder) repeats(batch []LoadCase) ([]bool, error) {
	out := make([]bool, len(batch))
	for i, lc := range batch {
		c := lc.Case
		if c.ReceivedAt.Before(o.last) {
			return nil, fmt.Errorf("case %s was received before the case ahead of it: a load takes cases in received order", c.CaseNo)
		}
		o.last = c.ReceivedAt
		at := c.ReceivedAt.UnixNano()
		mk := matterOf(c)
		m := DigestOf(mk.hash, mk.category, mk.unit)
		mt, seen := o.matters[m]
		prev := int64(noTime)
		switch {
		case !seen:
			o.matters[m] = matterTimes{latest: at, before: noTime}
		case at > mt.latest:
			prev = mt.latest
			o.matters[m] = matterTimes{latest: at, before: mt.latest}
		default: // received with the latest: the one before decides
			prev = mt.before
		}
		out[i] = c.RepeatOf != "" || prev != noTime && o.rules.Repeats(time.Unix(0, prev), c.ReceivedAt)
	}
	return out, nil
}
