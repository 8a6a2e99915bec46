package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/calendar"
	"riskmon/petition"
)

// StoredReport is a unit's daily report as stored.
type StoredReport struct {
	petition.UnitReport
	ReportedAt time.Time // the latest time it was sent
}

// PutReport stores a unit's daily report for its date, replacing one sent
// before for the same date: a unit corrects its report by sending it again.
// The unit must exist; at stamps it.
func (s *Store) PutReport(ctx context.Context, r petition.UnitReport, at time.Time) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := checkUnit(ctx, tx, r.Unit); err != nil {
			return err
		}
		q := s.dialect.upsertRows("unit_reports", []string{"unit", "day"}, []string{"disputes_found", "remark", "reported_at"}, false, 1)
		_, err := tx.ExecContext(ctx, q, r.Unit, int32(r.Day), r.DisputesFound, r.Remark, at.Unix())
		return err
	})
	if err != nil {
		return fmt.Errorf("report of %s for %s: %w", r.Unit, r.Day, err)
	}
	return nil
}

// Reports returns a unit's reports for the days from since on, latest
// first; ErrNotFound when the unit does not exist.
func (s *Store) Reports(ctx context.Context, unit string, since calendar.Day) ([]StoredReport, error) {
	var rows []struct {
		Day           int32  `db:"day"`
		DisputesFound int    `db:"disputes_found"`
		Remark        string `db:"remark"`
		ReportedAt    int64  `db:"reported_at"`
	}
	err := s.inTxWith(ctx, &sql.TxOptions{ReadOnly: true}, func(tx *sqlx.Tx) error {
		ok, err := refExists(ctx, tx, "units", unit)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound // no reports and no unit are different answers
		}
		return tx.SelectContext(ctx, &rows, `SELECT day, disputes_found, remark, reported_at FROM unit_reports
WHERE unit = ? AND day >= ? ORDER BY day DESC`, unit, int32(since))
	})
	if err != nil {
		return nil, fmt.Errorf("reports of %s: %w", unit, err)
	}
	out := make([]StoredReport, len(rows))
	for i, r := range rows {
		out[i] = StoredReport{UnitReport: petition.UnitReport{Unit: unit, Day: calendar.Day(r.Day), DisputesFound: r.DisputesFound,
			Remark: r.Remark}, ReportedAt: fromUnix(r.ReportedAt)}
	}
	return out, nil
}
