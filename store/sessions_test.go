package store_test

import (
	"context"
	"testing"
	"time"

	"riskmon/store"
	"riskmon/store/storetest"
)

// TestSessions: a stored session reads back to the second, a touch moves
// its last use forward only, ending deletes it, and a new session prunes
// those last used before the given time, on both databases.
func TestSessions(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			s := storetest.Open(t, d)
			t0 := at("2026-10-01 10:00:00")
			old := store.Session{Credential: "zhen-a-clerk", Began: t0, LastSeen: t0}
			if err := s.CreateSession(ctx, "hash-old", old, t0.Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}
			if got, ok, err := s.SessionByHash(ctx, "hash-old"); err != nil || !ok || !got.Began.Equal(t0) || !got.LastSeen.Equal(t0) || got.Credential != "zhen-a-clerk" {
				t.Fatalf("got %+v %v %v, want %+v", got, ok, err, old)
			}
			if err := s.TouchSession(ctx, "hash-old", t0.Add(10*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if err := s.TouchSession(ctx, "hash-old", t0.Add(5*time.Minute)); err != nil { // a slower replica's
				t.Fatal(err)
			}
			if got, _, _ := s.SessionByHash(ctx, "hash-old"); !got.LastSeen.Equal(t0.Add(10 * time.Minute)) {
				t.Errorf("last seen %s, want %s", got.LastSeen, t0.Add(10*time.Minute))
			}
			if _, ok, err := s.SessionByHash(ctx, "hash-none"); ok || err != nil {
				t.Errorf("a session never stored: %v %v", ok, err)
			}
			// a sign-in 40 minutes after its last use, with 30 minutes idle
			t1 := t0.Add(50 * time.Minute)
			if err := s.CreateSession(ctx, "hash-new", store.Session{Credential: "bureau", Began: t1, LastSeen: t1}, t1.Add(-30*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ := s.SessionByHash(ctx, "hash-old"); ok {
				t.Error("the idle session was not pruned")
			}
			if err := s.EndSession(ctx, "hash-new"); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ := s.SessionByHash(ctx, "hash-new"); ok {
				t.Error("an ended session is still there")
			}
			if err := s.CreateSession(ctx, "hash-dup", old, t0); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateSession(ctx, "hash-dup", old, t0); err == nil {
				t.Error("a second session under one hash was taken")
			}
		})
	}
}
