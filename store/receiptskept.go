package store

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"
)

// KeptReceipts keeps, from one refresh to the next, each unit's rows of the
// all-time receipt counters, as Receipts reads them. A writer only ever adds
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
	mu    sync.Mutex
	epoch int64 // the version of allReceiptDays read with what is kept
	units map[string]keptReceipts
}

// keptReceipts are a unit's receipt counters and the sum of them all.
type keptReceipts struct {
	sum  int64
	rows []ReceiptCount
}

// receiptUnitSumsQuery sums every counter of receipt_tally by unit.
var receiptUnitSumsQuery = "SELECT unit, SUM(" + strings.Join(receiptTally.vals, " + ") +
	") AS version FROM receipt_tally GROUP BY unit"

// KeptReceipts is Receipts, the units' rows taken from k and kept there;
// with ReadFacts, or k nil, it is Receipts.
func (r *Reader) KeptReceipts(ctx context.Context, k *KeptReceipts) ([]ReceiptCount, error) {
	if r.facts || k == nil {
		return r.Receipts(ctx)
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
	all := k.units == nil || epoch != k.epoch
	units := make(map[string]keptReceipts, len(sums))
	var stale []any
	for u, sum := range sums {
		if ku, ok := k.units[u]; ok && !all && ku.sum == sum {
			units[u] = ku
		} else {
			units[u] = keptReceipts{sum: sum}
			stale = append(stale, u)
		}
	}
	if len(stale) > 0 {
		q, args := receiptTally.sumQuery(), []any{}
		if !all {
			q, args = receiptTally.sumQueryWhere("unit IN ("+marks(len(stale))+")"), stale
		}
		got, err := selectAll[ReceiptCount](ctx, r.tx, "receipt counts", q, args...)
		if err != nil {
			return nil, err
		}
		for _, row := range got {
			ku := units[row.Unit]
			ku.rows = append(ku.rows, row)
			units[row.Unit] = ku
		}
	}
	k.units, k.epoch = units, epoch
	// in one order at every refresh, as the query gives them: the collector
	// emits in the order it reads, and its encoder reuses what is unchanged
	var out []ReceiptCount
	for _, u := range slices.Sorted(maps.Keys(units)) {
		out = append(out, units[u].rows...)
	}
	return out, nil
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
