package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// FoldShards moves, in each sharded tally, every key's counts into its
// shard 0 and deletes its other shards' rows, foldRows rows a
// transaction, and says how many rows went. Writers spread their additions over shards so
// that they rarely wait for one another; a refresh sums the shards, so an
// all-time tally read grows with keys × shards while the sums grow only
// with the keys. Folded daily, a read sums the keys and the rows written
// since. The sums do not change: every row read is locked, in key order as
// the writers lock them, so a concurrent addition either comes before the
// fold (and is folded) or after it (and waits); a row a writer creates
// meanwhile is not among those deleted.
func (s *Store) FoldShards(ctx context.Context) (int64, error) {
	var folded int64
	for _, t := range tallyTables {
		if t.num != "shard" {
			continue
		}
		// a chunk of foldRows rows a transaction, in key order, so that a
		// writer waits for one chunk, not for the table
		var after *tallyKey
		for {
			var n int64
			var last *tallyKey
			err := s.chunkTx(ctx, func(ctx context.Context, tx *sqlx.Tx) error {
				var err error
				n, last, err = foldTx(ctx, tx, s.dialect, t, after)
				return err
			})
			if err != nil {
				return folded, fmt.Errorf("fold %s: %w", t.name, err)
			}
			folded += n
			if last == nil {
				break
			}
			after = last
		}
	}
	return folded, nil
}

// foldRows is how many tally rows one fold transaction locks (a variable
// for the tests, which fold in small chunks).
var foldRows = 1000

// foldChunkTimeout bounds one chunk's transaction of the fold (about 15 ms
// at 10M) or of the prune (chunkTx).
const foldChunkTimeout = 30 * time.Second

// chunkTx runs step in a transaction of its own, bounded by
// foldChunkTimeout: a chunk of the fold or of the prune, each its own
// transaction so that a writer waits for one chunk, not for the table.
func (s *Store) chunkTx(ctx context.Context, step func(ctx context.Context, tx *sqlx.Tx) error) error {
	ctx, cancel := context.WithTimeout(ctx, foldChunkTimeout)
	defer cancel()
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return step(ctx, tx) })
}

// foldRead, when set (by a test), hears that a fold has read and locked
// the rows of a table and is about to delete them.
var foldRead func(table string)

// foldTx folds in tx the first foldRows rows of t after the key after (nil:
// from the first), and returns how many it moved and the last key it read
// (nil when it read the last).
func foldTx(ctx context.Context, tx *sqlx.Tx, d dialect, t tallyTable, after *tallyKey) (int64, *tallyKey, error) {
	into := t.adds()
	pk := into.keyCols // the text keys, then the shard
	where, args := "", []any{}
	if after != nil {
		where = " WHERE (" + strings.Join(pk, ", ") + ") > (" + marks(len(pk)) + ")"
		for _, c := range after.cols[:len(t.keys)] {
			args = append(args, c)
		}
		args = append(args, after.num)
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+strings.Join(append(append([]string{}, pk...), t.vals...), ", ")+
		" FROM "+t.name+where+" ORDER BY "+strings.Join(pk, ", ")+" LIMIT "+strconv.Itoa(foldRows)+d.forUpdate, args...)
	if err != nil {
		return 0, nil, err
	}
	var last tallyKey
	read := 0
	var moved []tallyKey
	for rows.Next() {
		k, vals, err := scanTallyRow(rows, t)
		if err != nil {
			rows.Close()
			return 0, nil, err
		}
		last, read = k, read+1
		if k.num != 0 {
			moved = append(moved, k)
			k.num = 0
			into.add(k, vals...)
		}
	}
	if err := rows.Close(); err != nil {
		return 0, nil, err
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	if foldRead != nil {
		foldRead(t.name)
	}
	if _, err := deleteTallyRows(ctx, tx, d, t.name, pk, moved, ""); err != nil {
		return 0, nil, err
	}
	if err := into.write(ctx, tx, d); err != nil {
		return 0, nil, err
	}
	if read < foldRows {
		return int64(len(moved)), nil, nil
	}
	return int64(len(moved)), &last, nil
}

// scanTallyRow scans a row of t's key columns (the integer one last), then
// its value columns.
func scanTallyRow(rows *sql.Rows, t tallyTable) (tallyKey, []int, error) {
	var k tallyKey
	vals := make([]int, len(t.vals))
	dest := make([]any, 0, len(t.keys)+1+len(t.vals))
	for i := range t.keys {
		dest = append(dest, &k.cols[i])
	}
	dest = append(dest, &k.num)
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	return k, vals, rows.Scan(dest...)
}

// PruneTallies deletes the rows of the tallies of what is open now
// (tallyTable.prune) that count nothing in any value, foldRows rows a
// transaction, and says how many went. The writers leave the rows they
// bring to zero and the reads pass over them; the daily upkeep deletes
// them. A row a writer counts into between the read and the delete stays:
// the delete checks the zero again, under the row's lock.
func (s *Store) PruneTallies(ctx context.Context) (int64, error) {
	var pruned int64
	for _, t := range tallyTables {
		if !t.prune {
			continue
		}
		for {
			var found int
			var n int64
			err := s.chunkTx(ctx, func(ctx context.Context, tx *sqlx.Tx) error {
				var err error
				found, n, err = pruneTx(ctx, tx, s.dialect, t)
				return err
			})
			if err != nil {
				return pruned, fmt.Errorf("prune %s: %w", t.name, err)
			}
			pruned += n
			if found < foldRows {
				break
			}
		}
	}
	return pruned, nil
}

// pruneRead, when set (by a test), hears that a prune has read a table's
// rows at zero and is about to delete them.
var pruneRead func(table string)

// pruneTx deletes in tx up to foldRows rows of t at zero, and returns how
// many it found and how many it deleted.
func pruneTx(ctx context.Context, tx *sqlx.Tx, d dialect, t tallyTable) (found int, deleted int64, err error) {
	pk := t.adds().keyCols
	zero := strings.Join(t.vals, " = 0 AND ") + " = 0"
	rows, err := tx.QueryContext(ctx, "SELECT "+strings.Join(append(slices.Clone(pk), t.vals...), ", ")+
		" FROM "+t.name+" WHERE "+zero+" LIMIT "+strconv.Itoa(foldRows))
	if err != nil {
		return 0, 0, err
	}
	var keys []tallyKey
	for rows.Next() {
		k, _, err := scanTallyRow(rows, t)
		if err != nil {
			rows.Close()
			return 0, 0, err
		}
		keys = append(keys, k)
	}
	if err := rows.Close(); err != nil {
		return 0, 0, err
	}
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	if pruneRead != nil {
		pruneRead(t.name)
	}
	deleted, err = deleteTallyRows(ctx, tx, d, t.name, pk, keys, zero+" AND ")
	return len(keys), deleted, err
}
