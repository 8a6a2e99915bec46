package store_test

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"testing"

	"riskmon/store"
	"riskmon/store/storetest"
)

type scanInner struct {
	Risk string `db:"risk"`
}

type scanRow struct {
	Unit  string        `db:"unit"`
	Cases int64         `db:"cases"`
	Maybe sql.NullInt64 `db:"maybe"`
	scanInner
}

// selectAll fills a struct's fields by their tags, embedded ones too, and
// scalars and scanners from one column; a column no field names, or a
// scalar given several columns, is an error that names it, not a row
// half-filled. SUM is a DECIMAL on MariaDB, handed over as text.
func TestSelectAll(t *testing.T) {
	const rowsQuery = "SELECT 'a' AS unit, SUM(2) AS cases, NULL AS maybe, 'high' AS risk UNION ALL SELECT 'b', 3, 7, 'low'"
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, d)
			got, err := store.SelectAll[scanRow](ctx, s, rowsQuery)
			if err != nil {
				t.Fatal(err)
			}
			want := []scanRow{
				{Unit: "a", Cases: 2, scanInner: scanInner{"high"}},
				{Unit: "b", Cases: 3, Maybe: sql.NullInt64{Int64: 7, Valid: true}, scanInner: scanInner{"low"}},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("rows: got %+v, want %+v", got, want)
			}
			ints, err := store.SelectAll[int64](ctx, s, "SELECT 4 UNION ALL SELECT 5")
			if want := []int64{4, 5}; err != nil || !reflect.DeepEqual(ints, want) {
				t.Errorf("int64: got %v, %v; want %v", ints, err, want)
			}
			nulls, err := store.SelectAll[sql.NullString](ctx, s, "SELECT NULL")
			if want := []sql.NullString{{}}; err != nil || !reflect.DeepEqual(nulls, want) {
				t.Errorf("NullString: got %v, %v; want %v", nulls, err, want)
			}
			none, err := store.SelectAll[scanRow](ctx, s, "SELECT 'a' AS unit WHERE 1 = 0")
			if err != nil || none != nil {
				t.Errorf("no rows: got %v, %v; want none", none, err)
			}
			for _, c := range []struct {
				query, want string
				read        func(string) error
			}{
				{"SELECT 'a' AS unit, 1 AS persons", "column persons: no field of store_test.scanRow", func(q string) error {
					_, err := store.SelectAll[scanRow](ctx, s, q)
					return err
				}},
				{"SELECT 1, 2", "2 columns for the one value of int64", func(q string) error {
					_, err := store.SelectAll[int64](ctx, s, q)
					return err
				}},
				{"SELECT 'x' AS cases", "cases", func(q string) error { // text into an integer
					_, err := store.SelectAll[scanRow](ctx, s, q)
					return err
				}},
			} {
				err := c.read(c.query)
				if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "read the test's rows") {
					t.Errorf("%s: got %v, want an error naming %q", c.query, err, c.want)
				}
			}
		})
	}
}
