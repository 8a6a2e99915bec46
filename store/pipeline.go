package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// pipeline holds the statements a writer's transaction sends after its last
// read and sends them to MySQL together, one round trip for all (a
// multi-statement query, which openMySQL lets the connections send): a batch
// of creates or events writes its rows, the tallies kept beside them (issue
// 23), their versions and the audit rows without waiting for the server
// between one and the next. Each statement still runs and locks in the order
// written, and the first that fails stops the rest and fails the send, so
// the transaction rolls back as before. On SQLite, in the process, a
// statement costs no round trip: the pipeline runs each at once.
//
// With the tallies kept, a batch of creates made ten round trips and a batch
// of events eleven; with the pipeline they make five and four (the
// transaction's start, its reads, the pipeline, the commit), and at 1M cases
// serve 3% more of each on the same machine (docs/performance.md). The rows
// the tallies add are still written: this saves the waits between them.
type pipeline struct {
	tx   *sqlx.Tx
	hold bool // MySQL: hold statements until send
	q    strings.Builder
	args []any
}

func newPipeline(tx *sqlx.Tx, d dialect) *pipeline {
	return &pipeline{tx: tx, hold: d.name == dialectMySQL.name}
}

// errHeld is what a held statement's result answers: it has none until the
// pipeline is sent, and no writer reads one.
var errHeld = errors.New("a statement held in a pipeline has no result until it is sent")

type heldResult struct{}

func (heldResult) LastInsertId() (int64, error) { return 0, errHeld }
func (heldResult) RowsAffected() (int64, error) { return 0, errHeld }

// ExecContext runs q with args at once on SQLite; on MySQL it holds them for
// send and returns a result that has nothing to tell.
func (p *pipeline) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if !p.hold {
		return p.tx.ExecContext(ctx, q, args...)
	}
	if p.q.Len() > 0 {
		p.q.WriteString(";\n")
	}
	p.q.WriteString(q)
	p.args = append(p.args, args...)
	return heldResult{}, nil
}

var _ sqlx.ExecerContext = (*pipeline)(nil)

// send sends the statements held, if any: before the transaction reads
// again, and before it commits.
func (p *pipeline) send(ctx context.Context) error {
	if p.q.Len() == 0 {
		return nil
	}
	q, args := p.q.String(), p.args
	p.q.Reset()
	p.args = nil
	if _, err := p.tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("write the batch: %w", err)
	}
	return nil
}
