package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// execer runs a statement that returns no rows: a transaction, or a
// stmtBatch that sends it later with others.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// stmtBatch holds the last writes of an API write's transaction, those no
// later statement reads and whose results nobody uses (the tallies, the
// versions, the audit rows), and sends them in one round trip on MySQL,
// one after another on SQLite, which has none. On a 2-core machine each
// statement cost the writer two system calls and MariaDB a wake-up and a
// parse, and the tallies the writers keep (issue 23) had made a create's
// six statements ten. The driver fills in the placeholders
// (InterpolateParams), so the statements of a batch are plain text to the
// server (multiStatements); no statement text is ever made of a value.
type stmtBatch struct {
	tx    *sqlx.Tx
	multi bool
	q     strings.Builder
	args  []any
}

// batch begins a stmtBatch in tx.
func (s *Store) batch(tx *sqlx.Tx) *stmtBatch {
	return &stmtBatch{tx: tx, multi: s.dialect.multiStatements}
}

// ExecContext queues q with its args, or on SQLite runs it at once. A
// queued statement's error comes from flush.
func (b *stmtBatch) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if !b.multi {
		return b.tx.ExecContext(ctx, q, args...)
	}
	if b.q.Len() > 0 {
		b.q.WriteString(";\n")
	}
	b.q.WriteString(q)
	b.args = append(b.args, args...)
	return driver.ResultNoRows, nil
}

// flush sends the queued statements. The server runs them in order and
// stops at the first that fails, whose error this is; the transaction is
// then rolled back, as after any failed write.
func (b *stmtBatch) flush(ctx context.Context) error {
	if b.q.Len() == 0 {
		return nil
	}
	q, args := b.q.String(), b.args
	b.q.Reset()
	b.args = nil
	if _, err := b.tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("write tallies, versions and audit rows: %w", err)
	}
	return nil
}
