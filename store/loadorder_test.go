package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"riskmon/store"
	"riskmon/store/storetest"
)

// A bulk load derives repeats as the cases arrive, so it refuses a source
// out of received order; and a case number given twice, which the
// database's unique key refuses even in a load's relaxed session.
func TestLoadRefusesWhatItCannotWrite(t *testing.T) {
	late, early := sample("O-2"), sample("O-1")
	early.ReceivedAt = late.ReceivedAt.Add(-time.Hour)
	for _, tc := range []struct {
		name  string
		cases []store.LoadCase
		want  []string // any of
	}{
		{"out of order", []store.LoadCase{{Case: late}, {Case: early}}, []string{"case O-1 was received before the case ahead of it"}},
		{"a case number twice", []store.LoadCase{{Case: early}, {Case: early}}, []string{"Duplicate entry", "UNIQUE constraint failed"}},
	} {
		for _, d := range storetest.Dialects {
			t.Run(tc.name+"/"+d, func(t *testing.T) {
				s := setup(t, d)
				batches := [][]store.LoadCase{tc.cases}
				src := func(context.Context) ([]store.LoadCase, error) {
					if len(batches) == 0 {
						return nil, nil
					}
					b := batches[0]
					batches = batches[1:]
					return b, nil
				}
				err := s.Import(context.Background(), rules, src, nil)
				if err == nil || !containsAny(err.Error(), tc.want) {
					t.Errorf("err = %v, want one of %q", err, tc.want)
				}
				if stored := storedCases(t, s); stored != 0 {
					t.Errorf("%d cases stored, want none", stored)
				}
			})
		}
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
