package store

import (
	"context"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"
)

// KeptReceipts keeps, from one refresh to the next, each unit's rows of the
// all-time receipt counters, as AllReceipts reads them. A writer only ever adds
// to receipt_tally, and every receipt it counts adds at least one (a case,
// or the repeat it makes of an earlier one: countReceipt); the fold moves
// counts between a key's shards and leaves its sums as they were. So the
// sum of all a unit's counters moves whenever its rows do: a refresh reads
// that sum, a row a unit, and the rows only of the units whose sum moved.
// What rewrites the tally wholesale (the bulk load, recount) may leave a
// unit's sum where it was with other rows, and moves the row of
// allReceiptDays on (talliesRewritten): then every unit is read. A writer
// needs no version of its own for this, and a create writes nothing more.
// Its zero value keeps nothing yet.
type KeptReceipts struct {
	mu   sync.Mutex
	kept keptUnits[ReceiptCount] // each unit's version the sum of its counters
}

// receiptUnitSumsQuery sums every counter of receipt_tally by unit.
var receiptUnitSumsQuery = "SELECT unit, SUM(" + strings.Join(receiptTally.vals, " + ") +
	") AS version FROM receipt_tally GROUP BY unit"

// KeptReceipts is AllReceipts.Read, the units' rows taken from k and kept there;
// with ReadFacts, or k nil, it is AllReceipts.Read.
func (r *Reader) KeptReceipts(ctx context.Context, k *KeptReceipts) ([]ReceiptCount, error) {
	if r.facts || k == nil {
		return AllReceipts.Read(ctx, r)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	epoch, err := r.rewriteEpoch(ctx)
	if err != nil {
		return nil, err
	}
	sums, err := unitVersionsOf(ctx, r.tx, "receipt sums", receiptUnitSumsQuery)
	if err != nil {
		return nil, err
	}
	return k.kept.refresh(ctx, r.tx, "receipt counts", epoch, sums, receiptTally.sumQuery(),
		func(n int) string { return receiptTally.sumQueryWhere("unit IN (" + marks(n) + ")") },
		func(c ReceiptCount) string { return c.Unit })
}

// rewriteEpoch is the version of allReceiptDays: what moves when the
// tallies are rewritten wholesale (talliesRewritten, bumpRewriteEpoch). A
// Reader reads it once: every kept reader of a refresh asks for it.
func (r *Reader) rewriteEpoch(ctx context.Context) (int64, error) {
	if r.epoch == nil {
		v, err := selectAll[int64](ctx, r.tx, "the tallies' rewrite version",
			"SELECT COALESCE(SUM(version), 0) FROM receipt_day_versions WHERE day = ?", int64(allReceiptDays))
		if err != nil {
			return 0, err
		}
		r.epoch = &v[0]
	}
	return *r.epoch, nil
}

// bumpRewriteEpoch moves the version of allReceiptDays on.
func bumpRewriteEpoch(ctx context.Context, tx *sqlx.Tx, d dialect) error {
	return bumpReceiptDays(ctx, tx, d, []dayShard{{allReceiptDays, 0}})
}
