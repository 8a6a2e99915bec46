package store_test

import (
	"context"
	"strings"
	"testing"

	"riskmon/store"
)

// dumpRows reads the rows of a query, each as its columns' text.
func dumpRows(t *testing.T, s *store.Store, query string) []string {
	t.Helper()
	rows, err := s.DB().QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		v := make([]any, len(cols))
		for i := range v {
			v[i] = new(string)
		}
		if err := rows.Scan(v...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, x := range v {
			b.WriteString(*x.(*string) + "|")
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
