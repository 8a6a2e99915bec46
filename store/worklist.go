package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// A unit's worklist: what a township works from each morning and what the
// runbook's "find the case" steps point to. Its open cases by case number
// with where they stand, its open disputes, its long-unresolved matters
// with their leads. Nothing personal: no petitioner, no name.

// WorkCase is an open case of a unit.
type WorkCase struct {
	CaseNo   string
	Category string
	State    petition.State
}

// WorkDispute is an open dispute of a unit.
type WorkDispute struct {
	No       string
	Category string
	State    petition.DisputeState
}

// Worklist is a unit's page of open cases, the most urgent first, with how
// many it has in all, and all its open disputes and long-unresolved matters.
type Worklist struct {
	Cases      []WorkCase
	TotalCases int
	Disputes   []WorkDispute
	Matters    []petition.MatterHistory // the unit's matters; the caller applies the rule
}

// worklistCasesQuery pages a unit's open cases by urgency: the earliest
// deadline first, those open in no limited stage (a suggestion, a paused
// re-review) last, then by case number so that pages do not overlap.
const worklistCasesQuery = `SELECT case_no, ` + stateReadColumns + ` FROM cases
WHERE unit = ? AND stage IS NOT NULL
ORDER BY CASE WHEN stage_deadline IS NULL THEN 1 ELSE 0 END, stage_deadline, case_no LIMIT ? OFFSET ?`

// worklistDisputesQuery reads a unit's open disputes.
const worklistDisputesQuery = `SELECT dispute_no, category, ` + disputeStateColumns + `
FROM disputes WHERE status = 'open' AND unit = ? ORDER BY dispute_no`

// UnitWorklist reads unit's worklist at now: limit open cases from offset,
// and every open dispute and registered matter of the unit (a unit has
// tens). ErrNotFound for a unit that does not exist.
func (s *Store) UnitWorklist(ctx context.Context, unit string, now time.Time, backlogDays, limit, offset int) (Worklist, error) {
	var w Worklist
	err := s.inTxWith(ctx, &sql.TxOptions{ReadOnly: true}, func(tx *sqlx.Tx) error {
		ok, err := refExists(ctx, tx, "units", unit)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		if err := tx.GetContext(ctx, &w.TotalCases, "SELECT COUNT(*) FROM cases WHERE unit = ? AND stage IS NOT NULL", unit); err != nil {
			return err
		}
		var cases []struct {
			CaseNo string `db:"case_no"`
			matterStateRow
		}
		if err := tx.SelectContext(ctx, &cases, worklistCasesQuery, unit, limit, offset); err != nil {
			return err
		}
		for _, c := range cases {
			w.Cases = append(w.Cases, WorkCase{CaseNo: c.CaseNo, Category: c.Category, State: c.state()})
		}
		var disputes []struct {
			No       string `db:"dispute_no"`
			Category string `db:"category"`
			disputeStateRow
		}
		if err := tx.SelectContext(ctx, &disputes, worklistDisputesQuery, unit); err != nil {
			return err
		}
		for _, d := range disputes {
			w.Disputes = append(w.Disputes, WorkDispute{No: d.No, Category: d.Category, State: d.state()})
		}
		w.Matters, err = matterHistories(ctx, tx, now, backlogDays, unit)
		return err
	})
	if err != nil {
		return Worklist{}, fmt.Errorf("worklist of %s: %w", unit, err)
	}
	return w, nil
}
