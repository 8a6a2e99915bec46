package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Session is a portal session as stored: the credential's name, when it
// began and when it was last used. Its key is the SHA-256 of the cookie's
// value (the portal's to compute): the table gives no way in.
type Session struct {
	Credential string
	Began      time.Time
	LastSeen   time.Time
}

// CreateSession stores a session under idHash, and deletes the sessions
// last used before staleBefore, so that the table holds the live ones.
func (s *Store) CreateSession(ctx context.Context, idHash string, se Session, staleBefore time.Time) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM portal_sessions WHERE last_seen < ?", staleBefore.Unix()); err != nil {
			return fmt.Errorf("prune the portal's sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO portal_sessions (id_hash, credential, began, last_seen) VALUES (?, ?, ?, ?)",
			idHash, se.Credential, se.Began.Unix(), se.LastSeen.Unix()); err != nil {
			return fmt.Errorf("store a portal session: %w", err)
		}
		return nil
	})
}

// SessionByHash returns the session stored under idHash; ok is false when
// there is none.
func (s *Store) SessionByHash(ctx context.Context, idHash string) (se Session, ok bool, err error) {
	var row struct {
		Credential string `db:"credential"`
		Began      int64  `db:"began"`
		LastSeen   int64  `db:"last_seen"`
	}
	err = s.db.GetContext(ctx, &row, "SELECT credential, began, last_seen FROM portal_sessions WHERE id_hash = ?", idHash)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, false, nil
	}
	if err != nil {
		return Session{}, false, fmt.Errorf("read a portal session: %w", err)
	}
	return Session{Credential: row.Credential, Began: fromUnix(row.Began), LastSeen: fromUnix(row.LastSeen)}, true, nil
}

// TouchSession records that the session of idHash was used at at.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, "UPDATE portal_sessions SET last_seen = ? WHERE id_hash = ? AND last_seen < ?", at.Unix(), idHash, at.Unix()); err != nil {
		return fmt.Errorf("touch a portal session: %w", err)
	}
	return nil
}

// EndSession deletes the session of idHash (sign-out, or found expired).
func (s *Store) EndSession(ctx context.Context, idHash string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM portal_sessions WHERE id_hash = ?", idHash); err != nil {
		return fmt.Errorf("end a portal session: %w", err)
	}
	return nil
}
