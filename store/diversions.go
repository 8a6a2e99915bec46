package store

import "context"

// DiversionCount is one row of the diversion counters.
type DiversionCount struct {
	Unit       string `db:"unit"`
	Category   string `db:"category"`
	DivertedTo string `db:"diverted_to"`
	Diversions int64  `db:"diversions"`
}

// Diversions returns the matters diverted into another procedure (2022 Reg.
// arts. 28, 30, 31(1)-(5)) by the unit that held them, the case's category
// and the procedure.
func (r *Reader) Diversions(ctx context.Context) ([]DiversionCount, error) {
	return selectAll[DiversionCount](ctx, r.tx, "diversion counts", diversionTally.sumQuery())
}
