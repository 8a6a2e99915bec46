package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// deadlineRulesSetting names the fingerprint of the rules the stored
// deadlines were computed with (petition.Rules.DeadlineFingerprint).
const deadlineRulesSetting = "deadline_rules"

// recomputeBatch is how many open cases one step of a recompute reads and
// updates: small transactions that never hold up the API for long.
const recomputeBatch = 1000

// Recomputed says what a recompute of the stored deadlines did.
type Recomputed struct {
	Checked int  // open cases read
	Moved   int  // deadlines that changed
	Skipped int  // open cases without a clock start, left as they are
	Current bool // the stored deadlines were already the rules' own: nothing was read
}

// RecomputeDeadlines brings the stored deadlines of open cases in line with r:
// each is computed again from its stage's clock start (a stored deadline is
// a cache of the rules), batch by batch, touching no history and no counter
// but those of where cases stand now (stateTallies), which count open cases
// by deadline and move with them, and r's fingerprint is recorded last. When
// the recorded fingerprint is r's already it reads nothing. A case that an event changes meanwhile keeps the
// deadline the event computed.
func (s *Store) RecomputeDeadlines(ctx context.Context, r petition.Rules) (Recomputed, error) {
	var res Recomputed
	fp := r.DeadlineFingerprint()
	var stored string
	err := s.db.GetContext(ctx, &stored, "SELECT value FROM settings WHERE name = ?", deadlineRulesSetting)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return res, fmt.Errorf("recompute deadlines: %w", err)
	}
	if stored == fp {
		res.Current = true
		return res, nil
	}
	q := "SELECT " + stateReadColumns + " FROM cases WHERE stage IS NOT NULL AND id > ? ORDER BY id LIMIT ?"
	for after := int64(0); ; {
		var rows []matterStateRow
		if err := s.db.SelectContext(ctx, &rows, q, after, recomputeBatch); err != nil {
			return res, fmt.Errorf("recompute deadlines: %w", err)
		}
		if len(rows) == 0 {
			break
		}
		after = rows[len(rows)-1].ID
		res.Checked += len(rows)
		var moved []movedDeadline
		for _, row := range rows {
			if !row.StageStart.Valid {
				res.Skipped++
				continue
			}
			st := row.state()
			if want := r.WithDeadline(st).Deadline; !want.Equal(st.Deadline) {
				moved = append(moved, movedDeadline{id: row.ID, seq: row.LastSeq, deadline: want.Unix()})
			}
		}
		n, err := s.moveDeadlines(ctx, moved)
		if err != nil {
			return res, fmt.Errorf("recompute deadlines: %w", err)
		}
		res.Moved += n
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		return putSetting(ctx, tx, s.dialect, deadlineRulesSetting, fp)
	})
	if err != nil {
		return res, fmt.Errorf("recompute deadlines: record the rules: %w", err)
	}
	return res, nil
}

type movedDeadline struct {
	id       int64
	seq      int
	deadline int64
}

// moveDeadlines stores new deadlines, each only if its case has had no
// event since it was read (last_seq unchanged), through updateStates like
// every change of a state, so the state tallies move with them; it returns
// how many it stored.
func (s *Store) moveDeadlines(ctx context.Context, moved []movedDeadline) (int, error) {
	if len(moved) == 0 {
		return 0, nil
	}
	byID := make(map[int64]movedDeadline, len(moved))
	ids := make([]int64, len(moved))
	for i, m := range moved {
		byID[m.id], ids[i] = m, m.id
	}
	var n int
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		q, args, err := sqlx.In("SELECT "+stateReadColumns+" FROM cases WHERE id IN (?) ORDER BY id"+s.dialect.forUpdate, ids)
		if err != nil {
			return err
		}
		var rows []matterStateRow
		if err := tx.SelectContext(ctx, &rows, q, args...); err != nil {
			return err
		}
		var ups []stateUpdate
		for _, row := range rows {
			m := byID[row.ID]
			if row.LastSeq != m.seq {
				continue // an event came first and computed its own
			}
			st := row.state()
			next := st
			next.Deadline = fromUnix(m.deadline)
			ups = append(ups, stateUpdate{row.ID, row.LastSeq, row.Category, st, next})
		}
		n = len(ups)
		return updateStates(ctx, tx, s.dialect, ups)
	})
	return n, err
}
