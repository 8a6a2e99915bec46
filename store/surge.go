package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
)

// categoryPetitionersQuery counts the distinct petitioners of each
// receiving unit and category received at or after ? and not after ?,
// through idx_cases_window, which covers it: it reads the
// window's cases only.
const categoryPetitionersQuery = `SELECT received_unit AS unit, category, COUNT(DISTINCT petitioner_hash) AS petitioners
FROM cases WHERE received_at >= ? AND received_at <= ?
GROUP BY received_unit, category`

type categoryPetitionersRow struct {
	Unit        string `db:"unit"`
	Category    string `db:"category"`
	Petitioners int    `db:"petitioners"`
}

// CategoryPetitionersNow returns, at now, each receiving unit and category
// with a case received in the current window ([now-7d, now]) and its
// distinct petitioners (Current), by unit and category.
func (r *Reader) CategoryPetitionersNow(ctx context.Context, now time.Time) ([]petition.CategoryPetitioners, error) {
	return r.categoryPetitioners(ctx, secondAtOrAfter(now.Add(-petition.SurgeWindowDays*24*time.Hour)), now.Unix())
}

// categoryPetitioners counts the cases received in [from, to], in Unix
// seconds.
func (r *Reader) categoryPetitioners(ctx context.Context, from, to int64) ([]petition.CategoryPetitioners, error) {
	rows, err := selectAll[categoryPetitionersRow](ctx, r.tx, "petitioners by unit and category", categoryPetitionersQuery, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]petition.CategoryPetitioners, len(rows))
	for i, row := range rows {
		out[i] = petition.CategoryPetitioners{Unit: row.Unit, Category: row.Category, Current: row.Petitioners}
	}
	return petition.JoinSurge(out, nil), nil
}

// CategoryPetitionersWeek returns each receiving unit and category with a
// case received in the calendar week that starts at 00:00 local of start,
// with its distinct petitioners (Current), by unit and category.
func (r *Reader) CategoryPetitionersWeek(ctx context.Context, start calendar.Day, loc *time.Location) ([]petition.CategoryPetitioners, error) {
	from, to := start.Start(loc).Unix(), (start+7).Start(loc).Unix()-1
	return r.categoryPetitioners(ctx, from, to)
}

// petitionerReceiptsQuery lists each receiving unit, category and
// petitioner of the cases received at or after ? and not after ?, with the
// latest receipt, the highest case id among them and how many, through
// idx_cases_window, which covers it (an InnoDB or SQLite index
// holds the row's id).
const petitionerReceiptsQuery = `SELECT received_unit AS unit, category, petitioner_hash AS petitioner, MAX(received_at) AS latest, MAX(id) AS last_id, COUNT(*) AS cases
FROM cases WHERE received_at >= ? AND received_at <= ?
GROUP BY received_unit, category, petitioner_hash`

// PetitionerReceipt is a receiving unit, category and petitioner (the
// keyed hash, never the person) with the latest receipt of their cases in
// a span, in Unix seconds, the highest id of those cases and their count.
// The collector keeps the days of the surge window as these, so that a
// refresh reads today's cases only; they never leave the process.
type PetitionerReceipt struct {
	Unit       string `db:"unit"`
	Category   string `db:"category"`
	Petitioner string `db:"petitioner"`
	Latest     int64  `db:"latest"`
	LastID     int64  `db:"last_id"`
	Cases      int64  `db:"cases"`
}

// PetitionerReceipts returns the receiving units, categories and
// petitioners of the cases received in [from, to], each with its latest
// receipt.
func (r *Reader) PetitionerReceipts(ctx context.Context, from, to time.Time) ([]PetitionerReceipt, error) {
	return selectAll[PetitionerReceipt](ctx, r.tx, "petitioners' receipts", petitionerReceiptsQuery, secondAtOrAfter(from), to.Unix())
}

// receiptsAfterQuery lists the cases with an id above ? received at or
// after ? and before ?: the planner walks the primary key from the id on
// when few cases are newer, as between two refreshes.
const receiptsAfterQuery = `SELECT id, received_at, received_unit, category, petitioner_hash
FROM cases WHERE id > ? AND received_at >= ? AND received_at < ?`

// EachReceiptAfter calls each with every case with an id above after
// received in [from, to), in Unix seconds: its id, receipt, receiving unit,
// category and petitioner (the keyed hash). The three texts are the
// driver's bytes, good only until each returns: the surge keeps a number
// for the unit and category and the hash's 32 bytes, so that thousands of
// rows a refresh under the writers make no string (three a row, the
// garbage collector's work) to be dropped at once. Ids are given as cases
// are created, but a writer may commit after one that took a higher id:
// what this finds is complete only where a count says so (the surge's
// hours of today check it against HourReceipts).
func (r *Reader) EachReceiptAfter(ctx context.Context, after, from, to int64, each func(id, at int64, unit, category, petitioner []byte)) error {
	rows, err := r.tx.QueryContext(ctx, receiptsAfterQuery, after, from, to)
	if err != nil {
		return fmt.Errorf("read receipts after an id: %w", err)
	}
	defer rows.Close()
	var (
		id, at                     int64
		unit, category, petitioner sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&id, &at, &unit, &category, &petitioner); err != nil {
			return fmt.Errorf("read receipts after an id: %w", err)
		}
		each(id, at, unit, category, petitioner)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read receipts after an id: %w", err)
	}
	return nil
}
