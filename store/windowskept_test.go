package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"riskmon/collector"
	"riskmon/petition"
	"riskmon/store"
)

// windowsOf reads s's windows at now as the collector asks for them:
// through k, or from the facts alone when k is nil.
func windowsOf(t *testing.T, s *store.Store) func(now time.Time, k *store.KeptWindows) []store.WindowCount {
	return func(now time.Time, k *store.KeptWindows) []store.WindowCount {
		t.Helper()
		return readOf(t, s, k == nil, func(r *store.Reader) ([]store.WindowCount, error) {
			return r.KeptWindows(context.Background(), now, (&collector.Env{Now: now, Rules: rules}).WindowStarts(), k)
		})
	}
}

// The kept receipt windows (KeptWindows) equal those counted from the cases
// (ReadFacts) at every UTC midnight, local midnight and hour a window
// starts on (−1 s, −1 ns, 0, +1 ns, +1 s) over six weeks, while cases are
// created between the instants with the writers' clock the reader's: just
// received, registered a day, two and five days late, collective and
// skip-level, one a week late into the part-hour a window starts in and one
// into the last hour of that day, one
// that makes an earlier case a repeat; by a slow writer
// whose clock read the day before the reader's, across midnight; after a
// recount that repairs the buckets; and when the clock goes back, also from
// windows that needed of their first days only the last hour's cases.
func TestKeptWindowsFollowTheWrites(t *testing.T) {
	t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	day, hour := 24*time.Hour, time.Hour
	offsets := []time.Duration{-time.Second, -time.Nanosecond, 0, time.Nanosecond, time.Second}
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		n := 0
		create := func(clock, received time.Time, unit, petitioner string, persons int, level string) {
			t.Helper()
			s.SetClock(func() time.Time { return clock })
			n++
			c := sample(fmt.Sprintf("W-%04d", n))
			c.ReceivedAt, c.Unit, c.Persons, c.Level = received, unit, persons, level
			c.PetitionerHash = petition.PetitionerHash([]byte("k"), petitioner)
			_, _, err := s.CreateCase(ctx, rules, c)
			must(t, err)
		}
		k := &store.KeptWindows{}
		read := windowsOf(t, s)
		var counted [4]int64 // over the instants, by window: a walk of empty windows proves nothing
		check := func(now time.Time, after string) {
			t.Helper()
			for _, w := range keptIsFacts(t, now, after, read(now, k), read(now, nil)) {
				for i, v := range w.Received {
					counted[i] += v
				}
			}
		}
		walk := func(edge time.Time, after string) {
			t.Helper()
			for _, off := range offsets {
				check(edge.Add(off), after)
			}
		}
		for d := range 42 {
			midnight := t0.Add(time.Duration(d) * day)
			unit := []string{"u1", "u2"}[d%2]
			walk(midnight, "nothing")
			switch d {
			case 15, 22, 29: // a writer that read its clock before midnight commits after the reader's refresh
				late := midnight.Add(-time.Second)
				for back := range 4 {
					create(late, late.Add(-time.Duration(back)*day-hour), unit, fmt.Sprintf("slow-%d-%d", d, back), 1, "county")
				}
				check(midnight.Add(time.Second), "a slow writer")
			case 20: // a recount repairs the buckets a reader has kept wrong
				_, err := s.DB().ExecContext(ctx, "UPDATE receipt_bucket_tally SET received = received + 1")
				must(t, err)
				wrong := &store.KeptWindows{}
				_ = read(midnight.Add(time.Second), wrong)
				_, err = s.Recount(ctx, rules.Location)
				must(t, err)
				if got, want := read(midnight.Add(time.Second), wrong), read(midnight.Add(time.Second), nil); !reflect.DeepEqual(got, want) {
					t.Fatalf("after a recount: kept %+v, counted %+v", got, want)
				}
			}
			morning := midnight.Add(9*hour + 30*time.Minute)
			create(morning, morning.Add(-10*time.Minute), unit, fmt.Sprintf("p-%d", d), 1, "county")
			walk(morning, "a case just received")
			if d == 12 { // an earlier visit of p-8 makes p-8's case a repeat: a receipt counted into day 8
				create(morning.Add(hour), t0.Add(5*day+10*hour), []string{"u1", "u2"}[8%2], "p-8", 1, "county")
				walk(morning.Add(hour), "an earlier case of the same petitioner")
			}
			walk(midnight.Add(13*hour), "nothing")
			// the today window's start: local midnight
			walk(time.Date(midnight.Year(), midnight.Month(), midnight.Day(), 0, 0, 0, 0, rules.Location).Add(day), "nothing")
			if d%3 == 0 {
				evening := midnight.Add(21*hour + 15*time.Minute)
				create(evening, evening.Add(-25*hour), unit, fmt.Sprintf("a-%d", d), 1, "county")                  // a day late
				create(evening, evening.Add(-2*day-hour), unit, fmt.Sprintf("b-%d", d), 1, "county")               // two days late
				create(evening, evening.Add(-5*day-3*hour), "u2", fmt.Sprintf("c-%d", d), 30, "county")            // collective, five days late
				create(evening, evening.Add(-7*day+hour), "u1", fmt.Sprintf("e-%d", d), 1, petition.NationalLevel) // skip-level, near the 7 days' start
				create(evening, evening.Add(-7*day+2*hour), "u2", fmt.Sprintf("g-%d", d), 1, "county")             // into the last UTC hour of the 7 days' first day
				walk(evening, "cases registered late")
				// a week late, into the part-hour the 7 days start in,
				// whose cases the reader keeps since the walk above
				later := evening.Add(time.Minute)
				create(later, evening.Add(-7*day+10*time.Minute), "u1", fmt.Sprintf("f-%d", d), 1, "county")
				walk(later, "a case registered into the part-hour a window starts in")
			}
		}
		if slices.Contains(counted[:], 0) {
			t.Fatalf("receipts summed over the instants by window %v: a window never counted proves nothing", counted)
		}
		// windows that start in the last UTC hour of their days, whose
		// cases alone the reader needs of those days; then the clock
		// goes back two days, and the same days' rows are needed whole
		check(t0.Add(40*day+23*hour+30*time.Minute), "nothing")
		check(t0.Add(38*day+12*hour), "the clock went back two days")
		check(t0, "the clock went back")
		check(t0.Add(42*day), "the clock came forward")
	})
}
