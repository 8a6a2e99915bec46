package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"riskmon/petition"
	"riskmon/store"
)

// The hour the last hour's window starts within, not settled, kept between
// refreshes (liveHour), follows the writes as the counts from the cases
// (ReadFacts) say: a case created into it between refreshes (after the
// window's start, at its second, before it; collective, skip-level) is
// taken from the cases created since, not by reading the hour whole; one
// committed after a higher id was read, or an earlier case that makes one of
// the hour's a repeat, makes the hour read whole; the hour turning, or the
// clock going back to a forgotten hour, reads the new one whole.
func TestKeptWindowsLiveHour(t *testing.T) {
	t0 := time.Date(2026, 10, 5, 10, 40, 0, 0, time.UTC)
	nine := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		k := &store.KeptWindows{}
		read := windowsOf(t, s)
		n := 0
		steps := []struct {
			name      string
			now       time.Duration // after t0
			received  time.Duration // after 09:00; 0: no case
			who       string
			persons   int
			level     string
			late      bool // committed after a higher id was read
			wantReads int  // the hours windows start within read whole so far (the last hour's, the 7 days', the 30 days')
		}{
			{"the first read", 0, 58 * time.Minute, "p1", 1, "county", false, 3},
			{"a case into the part-hour", time.Minute, 41*time.Minute + 30*time.Second, "p2", 1, "county", false, 3},
			{"at the window's start", 3 * time.Minute, 43 * time.Minute, "p3", 1, "county", false, 3},
			{"before the window's start", 4 * time.Minute, 30 * time.Minute, "p4", 1, "county", false, 3},
			{"collective", 5 * time.Minute, 50 * time.Minute, "p5", 30, "county", false, 3},
			{"skip-level", 6 * time.Minute, 51 * time.Minute, "p6", 1, petition.NationalLevel, false, 3},
			{"committed late", 7 * time.Minute, 52 * time.Minute, "p7", 1, "county", true, 4},
			{"merged again", 8 * time.Minute, 53 * time.Minute, "p8", 1, "county", false, 4},
			// p1's visit at 08:30 makes the case of 09:58 a repeat: the
			// hour's count is as kept, its repeats are not
			{"a repeat made", 9 * time.Minute, -30 * time.Minute, "p1", 1, "county", false, 5},
			{"nothing new", 10 * time.Minute, 0, "", 0, "", false, 5},
			{"the hour turned", 25 * time.Minute, 0, "", 0, "", false, 8},
			{"the clock back", 10 * time.Minute, 0, "", 0, "", false, 11},
		}
		counted := int64(0)
		for _, st := range steps {
			now := t0.Add(st.now)
			if st.received != 0 {
				s.SetClock(func() time.Time { return now })
				n++
				c := sample(fmt.Sprintf("L-%02d", n))
				c.ReceivedAt, c.Persons, c.Level = nine.Add(st.received), st.persons, st.level
				c.PetitionerHash = petition.PetitionerHash([]byte("k"), st.who)
				_, _, err := s.CreateCase(ctx, rules, c)
				must(t, err)
				if st.late {
					var id int64
					must(t, s.DB().QueryRowContext(ctx, "SELECT MAX(id) FROM cases").Scan(&id))
					k.SetLiveUpTo(id)
				}
			}
			for _, w := range keptIsFacts(t, now, st.name, read(now, k), read(now, nil)) {
				counted += w.Received[3] + w.Repeats[3] + w.Collective[3] + w.SkipLevel[3]
			}
			if got := k.LiveReads(); got != st.wantReads {
				t.Fatalf("%s: the live hours read whole %d times, want %d", st.name, got, st.wantReads)
			}
		}
		if counted == 0 {
			t.Fatal("the last hour's window never counted a case: the walk proves nothing")
		}
	})
}

// A quiet day, refreshed every five minutes from before one UTC midnight to
// after the next, local midnight between: the kept windows equal the count
// from the cases, and a refresh in the same UTC hour as the one before reads
// nothing again, neither a live hour whole nor a settled day's buckets
// (what the day's first hour costs the surge, it must not cost the windows).
func TestKeptWindowsQuietDay(t *testing.T) {
	t0 := time.Date(2026, 10, 1, 23, 2, 0, 0, time.UTC)
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		for i := range 40 * 6 { // every four hours for forty days, at 17 past
			c := sample(fmt.Sprintf("Q-%03d", i))
			c.ReceivedAt = t0.Add(-time.Duration(i)*4*time.Hour - 45*time.Minute)
			c.PetitionerHash = petition.PetitionerHash([]byte("k"), fmt.Sprint("q", i%9))
			c.Persons = 1 + 30*(i%7/6)
			_, _, err := s.CreateCase(ctx, rules, c)
			must(t, err)
		}
		k := &store.KeptWindows{}
		read := windowsOf(t, s)
		var was time.Time
		var live, days int
		for now := t0; now.Before(t0.Add(26 * time.Hour)); now = now.Add(5 * time.Minute) {
			keptIsFacts(t, now, "a quiet five minutes", read(now, k), read(now, nil))
			if now.Truncate(time.Hour).Equal(was.Truncate(time.Hour)) {
				if got := k.LiveReads(); got != live {
					t.Errorf("at %s: %d live hours read whole, nothing having moved", now, got-live)
				}
				if got := k.DayReads(); got != days {
					t.Errorf("at %s: %d reads of settled days, nothing having moved", now, got-days)
				}
			}
			was, live, days = now, k.LiveReads(), k.DayReads()
		}
	})
}
