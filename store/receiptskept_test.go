package store_test

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"riskmon/store"
)

// The kept receipt counters (KeptReceipts) equal the tally read whole while
// the county is written between its reads: cases created one by one, some
// of them repeats that count into an earlier case's row, and their events;
// after a fold moves the shards' counts into one row; after a recount
// repairs rows changed in a way that leaves a unit's sum of counters where
// it was (what only the rewrite's version can tell a reader); and after a
// bulk load into a database a reader kept empty.
func TestKeptReceiptsFollowTheWrites(t *testing.T) {
	cases := diffCounty(rules, 7)
	eachStore(t, diffStore, func(t *testing.T, ctx context.Context, s *store.Store) {
		receiptsOf := func(s *store.Store, k *store.KeptReceipts) []store.ReceiptCount {
			t.Helper()
			return sortedReceipts(readOf(t, s, k == nil, func(r *store.Reader) ([]store.ReceiptCount, error) { return r.KeptReceipts(ctx, k) }))
		}
		k := &store.KeptReceipts{}
		end := time.Date(2026, 10, 8, 15, 30, 0, 0, rules.Location) // diffCounty's now
		// the repeats counted: a walk that makes none proves nothing of them
		var repeats int64
		check := func(after string) {
			t.Helper()
			repeats = 0
			for _, c := range keptIsFacts(t, end, after, receiptsOf(s, k), receiptsOf(s, nil)) {
				repeats += c.Repeats
			}
		}
		check("nothing")
		for _, lc := range cases {
			_, _, err := s.CreateCase(ctx, rules, lc.Case)
			must(t, err)
			check(lc.Case.CaseNo)
			for _, e := range lc.Events {
				_, _, err := s.AddEvent(ctx, rules, lc.Case.CaseNo, e)
				must(t, err)
			}
			if len(lc.Events) > 0 {
				check(lc.Case.CaseNo + "'s events")
			}
		}
		if repeats == 0 {
			t.Fatal("no case was a repeat: the walk proves nothing of them")
		}
		if _, err := s.FoldShards(ctx); err != nil {
			t.Fatal(err)
		}
		check("a fold")
		// a row changed with its unit's sum as it was: a reader that
		// kept it reads it as it was, until the recount's version moves
		keptRepaired(t, s, "UPDATE receipt_tally SET cases = cases + 1, persons = persons - 1 WHERE unit = ?",
			[]any{receiptsOf(s, nil)[0].Unit}, func() {
				_, err := s.Recount(ctx, rules.Location)
				must(t, err)
			}, func(k *store.KeptReceipts) []store.ReceiptCount { return receiptsOf(s, k) })
		check("a recount")
		// a bulk load into the database a reader keeps empty
		b := diffStore(t, s.Dialect()) // a new database of the same kind
		kb := &store.KeptReceipts{}
		if got := receiptsOf(b, kb); got != nil {
			t.Fatalf("an empty county's receipts: %+v", got)
		}
		must(t, b.Load(ctx, rules, cases))
		if got, want := receiptsOf(b, kb), receiptsOf(b, nil); !reflect.DeepEqual(got, want) || want == nil {
			t.Fatalf("after a bulk load: kept %+v, counted %+v", got, want)
		}
	})
}

// sortedReceipts sorts rows by their key, which a kept reader returns in no
// order.
func sortedReceipts(rows []store.ReceiptCount) []store.ReceiptCount {
	slices.SortFunc(rows, func(a, b store.ReceiptCount) int {
		return cmp.Or(cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Category, b.Category),
			cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.Level, b.Level))
	})
	return rows
}
