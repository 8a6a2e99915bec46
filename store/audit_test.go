package store_test

import (
	"context"
	"testing"
	"time"

	"riskmon/store"
	"riskmon/store/storetest"
)

// The audit row goes in with its write or not at all, and PruneAudit
// deletes the rows older than the retention, in batches, and no others.
func TestAuditWrittenWithTheWriteAndPruned(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			s := storetest.Open(t, d)
			storetest.PutTwoUnits(t, s)
			t0 := at("2026-10-01 10:00:00")
			for i := range 2503 {
				ctx := store.WithAudit(context.Background(), store.Audit{At: t0.Add(time.Duration(i) * time.Minute), Credential: "bureau", Method: "PUT", Route: "/api/v1/units/:code", Object: "u1"})
				if err := s.PutUnitWithin(ctx, store.Unit{Code: "u1", Name: "一镇", Kind: "township"}, 10); err != nil {
					t.Fatal(err)
				}
			}
			// refused inside its transaction (the cap): no row
			ctx := store.WithAudit(context.Background(), store.Audit{At: t0, Credential: "bureau", Method: "PUT", Route: "/api/v1/units/:code", Object: "u9"})
			if err := s.PutUnitWithin(ctx, store.Unit{Code: "u9", Name: "九镇", Kind: "township"}, 2); err == nil {
				t.Fatal("a unit over the cap was taken")
			}
			count := func() int {
				rows, err := s.AuditSince(context.Background(), time.Time{}, 0, 10000)
				if err != nil {
					t.Fatal(err)
				}
				return len(rows)
			}
			if got := count(); got != 2503 {
				t.Fatalf("%d audit rows, want 2503", got)
			}
			n, err := s.PruneAudit(context.Background(), t0.Add(2500*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if n != 2500 || count() != 3 {
				t.Errorf("pruned %d, %d left; want 2500 and 3", n, count())
			}
		})
	}
}
