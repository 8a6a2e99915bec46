package store

import (
	"context"
	"fmt"
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
			cctx, cancel := context.WithTimeout(ctx, foldChunkTimeout)
			err := s.inTx(cctx, func(tx *sqlx.Tx) error {
				var err error
				n, last, err = foldTx(cctx, tx, s.dialect, t, after)
				return err
			})
			cancel()
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

// foldChunkTimeout bounds one chunk's transaction (about 15 ms at 10M).
const foldChunkTimeout = 30 * time.Second

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
		var k tallyKey
		vals := make([]int, len(t.vals))
		dest := make([]any, 0, len(pk)+len(t.vals))
		for i := range t.keys {
			dest = append(dest, &k.cols[i])
		}
		dest = append(dest, &k.num)
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
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
	if err := deleteTallyRows(ctx, tx, d, t.name, pk, moved, ""); err != nil {
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
