package demo

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

// Stream yields Generate's cases, the same ones, a day at a time in the order
// they were received (the order a bulk load of Generate's cases stores them
// in), and then an empty batch.
func TestStreamIsGenerateInReceivedOrder(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	r := petition.DefaultRules(loc)
	now := time.Date(2026, 10, 8, 15, 30, 0, 0, loc)
	from := now.AddDate(0, -2, 0)
	want := Generate(r, Key, from, now, 3, 20)
	slices.SortStableFunc(want, func(a, b store.LoadCase) int { return a.Case.ReceivedAt.Compare(b.Case.ReceivedAt) })
	src := Stream(r, Key, from, now, 3, 20)
	got, batches := storetest.Drain(t, src)
	if batches < 50 {
		t.Errorf("%d batches for two months: not a day at a time", batches)
	}
	if len(got) != len(want) || len(want) < 500 {
		t.Fatalf("streamed %d cases, generated %d (want at least 500)", len(got), len(want))
	}
	if !reflect.DeepEqual(got, want) {
		for i := range got {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("case %d: streamed %+v, generated %+v", i, got[i].Case, want[i].Case)
			}
		}
	}
	if batch, err := src(context.Background()); err != nil || len(batch) != 0 {
		t.Errorf("after the end: %d cases, %v; want none", len(batch), err)
	}
}
