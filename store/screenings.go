package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// PutScreening records a unit's monthly screening (一月一排查) at at;
// sending it again replaces it. ErrUnknownRef when the unit does not exist.
func (s *Store) PutScreening(ctx context.Context, sc petition.Screening, at time.Time) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := checkUnit(ctx, tx, sc.Unit); err != nil {
			return err
		}
		q := s.dialect.upsertRows("unit_screenings", []string{"unit", "month"},
			[]string{"found_high", "found_medium", "found_low", "screened_at"}, false, 1)
		_, err := tx.ExecContext(ctx, q, sc.Unit, int(sc.Month), sc.Found["high"], sc.Found["medium"], sc.Found["low"], at.Unix())
		return err
	})
	if err != nil {
		return fmt.Errorf("screening of %s for %s: %w", sc.Unit, sc.Month, err)
	}
	return nil
}

// UnitMonth is a unit's latest screened month.
type UnitMonth struct {
	Unit  string `db:"unit"`
	Month int    `db:"month"`
}

// LatestScreenings returns, for every unit that ever screened, the latest
// month it screened (a county has tens of units and a row a unit a month).
func (r *Reader) LatestScreenings(ctx context.Context) ([]UnitMonth, error) {
	return selectAll[UnitMonth](ctx, r.tx, "latest screenings", `SELECT unit, MAX(month) AS month FROM unit_screenings GROUP BY unit`)
}
