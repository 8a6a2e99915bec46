package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

// twoProcesses opens the same new database twice, as two riskmon processes
// would, with the unit and category of sample.
func twoProcesses(t *testing.T, dialect string) (a, b *store.Store) {
	t.Helper()
	dsn := storetest.DSN(t, dialect)
	a = storetest.OpenDSN(t, dsn)
	b = storetest.OpenDSN(t, dsn)
	ctx := context.Background()
	if err := a.PutUnit(ctx, store.Unit{Code: "u1", Name: "一镇", Kind: "township"}); err != nil {
		t.Fatal(err)
	}
	if err := a.PutCategory(ctx, store.Category{Code: "other", Name: "其他"}); err != nil {
		t.Fatal(err)
	}
	return a, b
}

// eachProcessPair runs test, as a subtest named for the dialect, on the
// twoProcesses of each dialect.
func eachProcessPair(t *testing.T, test func(t *testing.T, ctx context.Context, a, b *store.Store)) {
	t.Helper()
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			a, b := twoProcesses(t, dialect)
			test(t, context.Background(), a, b)
		})
	}
}

func TestWritersGate(t *testing.T) {
	eachProcessPair(t, func(t *testing.T, ctx context.Context, a, b *store.Store) {
		hold := func(s *store.Store, exclusive bool) (*store.Gate, error) {
			g, err := s.HoldWriters(ctx, exclusive)
			if err == nil {
				t.Cleanup(func() { g.Release() })
			}
			return g, err
		}
		// what must wait for the other writers
		refused := func(what string, err error) {
			t.Helper()
			if !errors.Is(err, store.ErrOtherWriters) {
				t.Errorf("%s: %v, want ErrOtherWriters", what, err)
			}
		}
		held := func(s *store.Store, exclusive bool, what string) *store.Gate {
			t.Helper()
			g, err := hold(s, exclusive)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			return g
		}
		sa, sb := held(a, false, "a shared hold"), held(b, false, "a second shared hold")
		_, err := hold(b, true)
		refused("exclusive beside two shared", err)
		// the bulk load, the recount and the import after an interrupted
		// load take it exclusive and refuse beside a running service
		refused("Load beside a running service", b.Load(ctx, rules, []store.LoadCase{{Case: sample("G-1")}}))
		_, err = b.Recount(ctx, shanghai)
		refused("Recount beside a running service", err)
		k1 := []byte("the-first-key-0123456")
		_, err = b.Rekey(ctx, petition.NewKey(k1), petition.NewKey(k1, []byte("the-second-key-012345")), nil)
		refused("Rekey beside a running service", err)
		for _, g := range []*store.Gate{sa, sb} {
			if err := g.Release(); err != nil {
				t.Fatal(err)
			}
		}
		ex := held(a, true, "exclusive once the others let go")
		_, err = hold(b, false)
		refused("shared beside an exclusive", err)
		if err := ex.Release(); err != nil {
			t.Fatal(err)
		}
		if err := b.Load(ctx, rules, []store.LoadCase{{Case: sample("G-1")}}); err != nil {
			t.Errorf("Load alone: %v", err)
		}
	})
}

func TestPetitionerKeyClaim(t *testing.T) {
	eachProcessPair(t, func(t *testing.T, ctx context.Context, a, b *store.Store) {
		k1 := petition.NewKey([]byte("the-first-key-0123456"))
		k2 := petition.NewKey([]byte("the-other-key-0123456"))
		if err := a.ClaimPetitionerKey(ctx, k1); err != nil {
			t.Fatalf("first use: %v", err)
		}
		if err := b.ClaimPetitionerKey(ctx, k1); err != nil {
			t.Errorf("the same key again: %v", err)
		}
		if err := b.ClaimPetitionerKey(ctx, k2); !errors.Is(err, store.ErrOtherPetitionerKey) {
			t.Errorf("another key: %v, want ErrOtherPetitionerKey", err)
		}
		var stored string
		if err := a.DB().QueryRow("SELECT value FROM settings WHERE name = 'petitioner_key_fingerprint'").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != k1.Fingerprint() || stored == k1.Hash("") {
			t.Errorf("stored fingerprint %q, want k1's and not a hash anyone could compute", stored)
		}
	})
}

// A rekey cut off between batches leaves writers refused; run again with the
// same keys it finishes, each hash wrapped once, and the new chain's hashes
// match the stored ones (a repeat is seen across the rotation).
func TestRekeyInterruptedAndResumed(t *testing.T) {
	eachProcessPair(t, func(t *testing.T, ctx context.Context, s, _ *store.Store) {
		store.SetBatchSizes(t, 3)
		old := petition.NewKey([]byte("the-first-key-0123456"))
		next := petition.NewKey([]byte("the-first-key-0123456"), []byte("the-second-key-012345"))
		if err := s.ClaimPetitionerKey(ctx, old); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC)
		for i := range 8 {
			c := sample(fmt.Sprintf("R-%d", i))
			c.ReceivedAt = at.Add(time.Duration(i) * time.Hour)
			c.PetitionerHash = old.Hash(fmt.Sprintf("person-%d", i))
			if _, _, err := s.CreateCase(ctx, rules, c); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Rekey(ctx, old, petition.NewKey([]byte("the-second-key-012345")), nil); err == nil {
			t.Error("a chain that does not extend the old one was taken")
		}
		cut, cancel := context.WithCancel(ctx)
		_, err := s.Rekey(cut, old, next, func(done int) { cancel() })
		if err == nil {
			t.Fatal("the cut rekey went through")
		}
		if err := s.ClaimPetitionerKey(ctx, old); !errors.Is(err, store.ErrRekeyUnfinished) {
			t.Errorf("a writer during an unfinished rekey: %v, want ErrRekeyUnfinished", err)
		}
		n, err := s.Rekey(ctx, old, next, nil)
		if err != nil {
			t.Fatalf("resume: %v", err)
		}
		if n != 5 {
			t.Errorf("the resumed rekey rehashed %d cases, want the 5 the cut one left", n)
		}
		for i, got := range dumpRows(t, s, "SELECT petitioner_hash FROM cases ORDER BY id") {
			if want := next.Hash(fmt.Sprintf("person-%d", i)) + "|"; got != want {
				t.Errorf("case %d in id order: hash %s, want the new chain's %s", i, got, want)
			}
		}
		if err := s.ClaimPetitionerKey(ctx, next); err != nil {
			t.Errorf("the new chain after the rekey: %v", err)
		}
		if err := s.ClaimPetitionerKey(ctx, old); !errors.Is(err, store.ErrOtherPetitionerKey) {
			t.Errorf("the old key after the rekey: %v, want ErrOtherPetitionerKey", err)
		}
		if n, err := s.Rekey(ctx, old, next, nil); err != nil || n != 0 {
			t.Errorf("a rekey run again after it finished: %d, %v; want nothing done", n, err)
		}
		c := sample("R-again")
		c.ReceivedAt = at.Add(48 * time.Hour)
		c.PetitionerHash = next.Hash("person-3")
		v, _, err := s.CreateCase(ctx, rules, c)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Repeat {
			t.Error("a petition of the same person and matter after the rotation is not a repeat")
		}
	})
}

// A bulk load cut off after some of its transactions left cases the tallies
// did not count, for ever: the rerun took the incremental path. Now the
// load leaves a mark and the rerun counts the tallies from the facts.
func TestInterruptedLoadIsFinishedByTheRerun(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		store.SetBatchSizes(t, 2)
		cases := loadCases(6)
		bad := append([]store.LoadCase(nil), cases...)
		bad[5].Case.Channel = "carrier-pigeon" // the third transaction fails, after at least one committed
		if err := s.Load(ctx, rules, bad); err == nil {
			t.Fatal("a load with a bad case went through")
		}
		if stored := storedCases(t, s); stored == 0 || stored == len(cases) {
			t.Fatalf("%d cases stored; the test needs a load cut half-way", stored)
		}
		if ok, err := s.LoadInterrupted(ctx); err != nil || !ok {
			t.Errorf("LoadInterrupted = %v, %v; want true", ok, err)
		}
		if err := s.Import(ctx, rules, store.Cases(cases), nil); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.LoadInterrupted(ctx); err != nil || ok {
			t.Errorf("LoadInterrupted after the rerun = %v, %v; want false", ok, err)
		}
		if got := counts(t, s); got[0] != int64(len(cases)) {
			t.Errorf("the tallies count %d cases, want %d", got[0], len(cases))
		}
		talliesRecounted(t, ctx, s, shanghai, "after the rerun")
	})
}

// Recount reports each counter that differed; CheckTallies reports and
// changes nothing.
func TestRecountReportsWhatDiffered(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		for i := range 3 {
			if _, _, err := s.CreateCase(ctx, rules, sample(fmt.Sprintf("C-%d", i))); err != nil {
				t.Fatal(err)
			}
		}
		want := tallies(t, s)
		if _, err := s.DB().Exec("UPDATE receipt_tally SET cases = cases + 5"); err != nil { // 5 on each shard's row
			t.Fatal(err)
		}
		if _, err := s.DB().Exec("DELETE FROM settings WHERE name = 'completion_day_zone'"); err != nil {
			t.Fatal(err)
		}
		diffs, err := s.CheckTallies(ctx, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		if len(diffs) != 1 || diffs[0].Table != "receipt_tally" || diffs[0].Key != "unit=u1 category=other channel=visit level=county" {
			t.Fatalf("CheckTallies = %v, want the one receipt counter", diffs)
		}
		if got := diffs[0].String(); got != "receipt_tally unit=u1 category=other channel=visit level=county: stored cases=18 persons=3 collective=0 repeats=0 timely_cases=0 timely_collective=0, counted from the facts cases=3 persons=3 collective=0 repeats=0 timely_cases=0 timely_collective=0" {
			t.Errorf("diff reads %q", got)
		}
		if again, _ := s.CheckTallies(ctx, shanghai); !reflect.DeepEqual(again, diffs) {
			t.Errorf("CheckTallies changed something: then %v, now %v", diffs, again)
		}
		if _, err := s.Recount(ctx, shanghai); err != nil {
			t.Fatal(err)
		}
		if got := tallies(t, s); !reflect.DeepEqual(got, want) {
			t.Errorf("after Recount %v, want %v", got, want)
		}
		talliesRecounted(t, ctx, s, shanghai, "after Recount")
	})
}

// A MySQL hold lives on its connection: a restart or a KILL drops it, and a
// bulk load could then start beside the service. Keep notices and holds
// again, or says who took the gate meanwhile.
func TestGateKeptAcrossALostConnection(t *testing.T) {
	ctx := context.Background()
	a, b := twoProcesses(t, "mysql")
	g, err := a.HoldWriters(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Release() })
	if err := g.Keep(ctx); err != nil {
		t.Fatalf("Keep of a live hold: %v", err)
	}
	killOthers := func() {
		t.Helper()
		conn, err := b.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		rows, err := conn.QueryContext(ctx, "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()")
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			conn.ExecContext(ctx, fmt.Sprintf("KILL %d", id)) // some end on their own meanwhile
		}
	}
	killOthers()
	// KILL returns before the killed session has rolled back and let go of
	// its lock: ask until the server has (on its schedule, not the test's)
	var taken *store.Gate
	for deadline := time.Now().Add(time.Minute); ; {
		if taken, err = b.HoldWriters(ctx, true); err == nil {
			break
		}
		if !errors.Is(err, store.ErrOtherWriters) || time.Now().After(deadline) {
			t.Fatalf("exclusive after the service's hold was lost: %v (the test needs the hold gone)", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := g.Keep(ctx); !errors.Is(err, store.ErrOtherWriters) {
		t.Errorf("Keep while another process holds the gate: %v, want ErrOtherWriters", err)
	}
	taken.Release()
	if err := g.Keep(ctx); err != nil {
		t.Fatalf("Keep once the gate is free: %v", err)
	}
	if _, err := b.HoldWriters(ctx, true); !errors.Is(err, store.ErrOtherWriters) {
		t.Errorf("exclusive after Keep took the hold again: %v, want ErrOtherWriters", err)
	}
	killOthers()
	if err := g.Keep(ctx); err != nil {
		t.Errorf("Keep after a second KILL: %v", err)
	}
}
