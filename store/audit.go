package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Audit is one write the API accepted, as the audit trail keeps it: the
// credential's name (the operator's choice, never a person's), the method
// and route pattern, the object written (a case or dispute number, a
// unit's code and date, …) and when.
type Audit struct {
	ID         int64     `db:"id"`
	At         time.Time `db:"-"`
	Credential string    `db:"credential"`
	Method     string    `db:"method"`
	Route      string    `db:"route"`
	Object     string    `db:"object"`
}

type auditKey struct{}

// WithAudit returns ctx carrying a: the store's write made with it records a
// in its own transaction, so that a write and its audit row are committed
// or lost together. Its events and disputes show a.Credential as who
// recorded them.
func WithAudit(ctx context.Context, a Audit) context.Context {
	return context.WithValue(ctx, auditKey{}, a)
}

func auditOf(ctx context.Context) (Audit, bool) {
	a, ok := ctx.Value(auditKey{}).(Audit)
	return a, ok
}

// recordedBy is the credential of ctx's audit, or "" (NULL) for a write
// that is not the API's.
func recordedBy(ctx context.Context) string {
	a, _ := auditOf(ctx)
	return a.Credential
}

const auditColumns = "at, credential, method, route, object"

// writeAudits inserts the audit rows of as in tx.
func writeAudits(ctx context.Context, ex sqlx.ExecerContext, as ...Audit) error {
	if len(as) == 0 {
		return nil
	}
	rows := newBulkInsert(ex, "audit_log", columns(auditColumns))
	for _, a := range as {
		rows.add(a.At.Unix(), a.Credential, a.Method, a.Route, a.Object)
	}
	if err := rows.flush(ctx); err != nil {
		return fmt.Errorf("write the audit trail: %w", err)
	}
	return nil
}

// writeAcceptedAudits writes, for a batch of n writes in tx, the audit
// rows audit(i) gives (nil: none, a write that is not the API's or was
// refused).
func writeAcceptedAudits(ctx context.Context, ex sqlx.ExecerContext, n int, audit func(i int) *Audit) error {
	var as []Audit
	for i := range n {
		if a := audit(i); a != nil {
			as = append(as, *a)
		}
	}
	return writeAudits(ctx, ex, as...)
}

// acceptedAudit is a, or nil when its write was refused (err).
func acceptedAudit(a *Audit, err error) *Audit {
	if err != nil {
		return nil
	}
	return a
}

// auditRow is a stored audit row.
type auditRow struct {
	Audit
	AtUnix int64 `db:"at"`
}

// AuditSince returns at most limit audit rows written at or after since,
// oldest first, and after the row of id after (0: from the first), so that
// a reader pages through them.
func (s *Store) AuditSince(ctx context.Context, since time.Time, after int64, limit int) ([]Audit, error) {
	var rows []auditRow
	err := s.db.SelectContext(ctx, &rows, "SELECT id, "+auditColumns+" FROM audit_log WHERE at >= ? AND id > ? ORDER BY id LIMIT ?",
		since.Unix(), after, limit)
	if err != nil {
		return nil, fmt.Errorf("read the audit trail: %w", err)
	}
	out := make([]Audit, len(rows))
	for i, r := range rows {
		out[i] = r.Audit
		out[i].At = fromUnix(r.AtUnix)
	}
	return out, nil
}

// PruneAudit deletes the audit rows written before until (audit_retention
// ago), at most batch of them a statement, and says how many went.
func (s *Store) PruneAudit(ctx context.Context, until time.Time) (int64, error) {
	var total int64
	for {
		var ids []int64
		if err := s.db.SelectContext(ctx, &ids, "SELECT id FROM audit_log WHERE at < ? ORDER BY id LIMIT 1000", until.Unix()); err != nil {
			return total, fmt.Errorf("prune the audit trail: %w", err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		res, err := s.db.ExecContext(ctx, "DELETE FROM audit_log WHERE id IN ("+marks(len(ids))+")", anys(ids)...)
		if err != nil {
			return total, fmt.Errorf("prune the audit trail: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
}

// auditFrom is ctx's audit for a write that goes into a batch, or nil.
func auditFrom(ctx context.Context) *Audit {
	if a, ok := auditOf(ctx); ok {
		return &a
	}
	return nil
}

// credential is the name that recorded a write of a, or "" (NULL).
func (a *Audit) credential() string {
	if a == nil {
		return ""
	}
	return a.Credential
}
