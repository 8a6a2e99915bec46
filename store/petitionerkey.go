package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// The settings that say which petitioner key wrote the stored hashes, and
// how far an unfinished rekey has come ("TARGET-FINGERPRINT LAST-CASE-ID").
const (
	petitionerKeySetting = "petitioner_key_fingerprint"
	rekeySetting         = "rekey_progress"
)

// ErrOtherPetitionerKey is the answer to a process whose petitioner key is not
// the one the stored hashes were made with: its hashes would never match the
// stored ones, and repeats would go unseen without a word.
var ErrOtherPetitionerKey = errors.New("the database's petitioner hashes were made with another petitioner key")

// ErrRekeyUnfinished is the answer to any writer while a rekey has begun and
// not finished: some hashes are under the old key, some under the new.
var ErrRekeyUnfinished = errors.New("a rekey of the petitioner hashes is unfinished: run riskmon rekey again with the same keys to finish it")

// ClaimPetitionerKey records the fingerprint of k at first use and refuses a
// key whose fingerprint is not the recorded one. Two processes claiming at
// once both read the winner's.
func (s *Store) ClaimPetitionerKey(ctx context.Context, k petition.Key) error {
	if _, err := s.db.ExecContext(ctx, s.dialect.upsert("settings", []string{"name", "value"}, nil, false), petitionerKeySetting, k.Fingerprint()); err != nil {
		return fmt.Errorf("claim the petitioner key: %w", err)
	}
	got, err := s.petitionerKeyState(ctx, s.db)
	if err != nil {
		return fmt.Errorf("claim the petitioner key: %w", err)
	}
	if got.rekeying {
		return ErrRekeyUnfinished
	}
	if got.fingerprint != k.Fingerprint() {
		return ErrOtherPetitionerKey
	}
	return nil
}

type keyState struct {
	fingerprint string // "" when none is recorded
	rekeying    bool
	target      string // the fingerprint an unfinished rekey goes to
	after       int64  // the last case id it has rehashed
}

func (s *Store) petitionerKeyState(ctx context.Context, q sqlx.QueryerContext) (keyState, error) {
	var st keyState
	var rows []struct {
		Name  string `db:"name"`
		Value string `db:"value"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, "SELECT name, value FROM settings WHERE name IN (?, ?)", petitionerKeySetting, rekeySetting); err != nil {
		return st, err
	}
	for _, r := range rows {
		switch r.Name {
		case petitionerKeySetting:
			st.fingerprint = r.Value
		case rekeySetting:
			target, after, ok := strings.Cut(r.Value, " ")
			n, err := strconv.ParseInt(after, 10, 64)
			if !ok || err != nil {
				return st, fmt.Errorf("the setting %s holds %q, not a fingerprint and a case id", rekeySetting, r.Value)
			}
			st.rekeying, st.target, st.after = true, target, n
		}
	}
	return st, nil
}

// RekeyProgress hears how many cases a rekey has rehashed.
type RekeyProgress func(done int)

// rekeyBatch is how many cases one rekey transaction rehashes (a variable
// for the tests that cut a rekey between batches).
var rekeyBatch = 2000

// Rekey wraps every stored petitioner hash with the key next adds to from,
// batch by batch; each batch records how far it came in the same
// transaction, so a rekey cut off anywhere is finished by running it again
// with the same keys, and the last one records next's fingerprint. It holds
// the writers' gate exclusive: a hash written meanwhile with the old key
// would be left behind. It returns how many cases it rehashed.
func (s *Store) Rekey(ctx context.Context, from, next petition.Key, progress RekeyProgress) (int, error) {
	if !from.Extends(next) {
		return 0, errors.New("rekey: the new key chain must be the old one with one key added at the end")
	}
	gate, err := s.HoldWriters(ctx, true)
	if err != nil {
		return 0, fmt.Errorf("rekey: %w", err)
	}
	defer gate.Release()
	st, err := s.petitionerKeyState(ctx, s.db)
	if err != nil {
		return 0, fmt.Errorf("rekey: %w", err)
	}
	switch {
	case st.rekeying && st.target != next.Fingerprint():
		return 0, errors.New("rekey: an unfinished rekey goes to another key; finish it with that key first")
	case !st.rekeying && st.fingerprint == next.Fingerprint():
		return 0, nil // done already
	case !st.rekeying && st.fingerprint != "" && st.fingerprint != from.Fingerprint():
		return 0, fmt.Errorf("rekey: the old key given: %w", ErrOtherPetitionerKey)
	}
	wrap := next.Last()
	done := 0
	for after := st.after; ; {
		var rows []struct {
			ID   int64  `db:"id"`
			Hash string `db:"petitioner_hash"`
		}
		if err := s.db.SelectContext(ctx, &rows, "SELECT id, petitioner_hash FROM cases WHERE id > ? ORDER BY id LIMIT ?", after, rekeyBatch); err != nil {
			return done, fmt.Errorf("rekey: %w", err)
		}
		last := len(rows) < rekeyBatch
		err := s.inTx(ctx, func(tx *sqlx.Tx) error {
			if len(rows) > 0 {
				q := "UPDATE cases SET petitioner_hash = CASE id"
				var args, ids []any
				for _, r := range rows {
					q += " WHEN ? THEN ?"
					args = append(args, r.ID, wrap.Wrap(r.Hash))
					ids = append(ids, r.ID)
				}
				q += " END WHERE id IN (" + marks(len(ids)) + ")"
				if _, err := tx.ExecContext(ctx, q, append(args, ids...)...); err != nil {
					return err
				}
				after = rows[len(rows)-1].ID
			}
			if last {
				if _, err := tx.ExecContext(ctx, "DELETE FROM settings WHERE name = ?", rekeySetting); err != nil {
					return err
				}
				return putSetting(ctx, tx, s.dialect, petitionerKeySetting, next.Fingerprint())
			}
			return putSetting(ctx, tx, s.dialect, rekeySetting, fmt.Sprintf("%s %d", next.Fingerprint(), after))
		})
		if err != nil {
			return done, fmt.Errorf("rekey: %w", err)
		}
		done += len(rows)
		if progress != nil {
			progress(done)
		}
		if last {
			return done, nil
		}
	}
}
