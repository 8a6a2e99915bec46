package store_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// periodCounts reads the completions since each start as unit/stage ->
// [completed..., late...]; ok as CompletionsSince says.
func periodCounts(t *testing.T, s *store.Store, loc *time.Location, starts ...calendar.Day) (map[string][]int64, bool) {
	t.Helper()
	out := map[string][]int64{}
	var ok bool
	err := s.Read(context.Background(), func(r *store.Reader) error {
		rows, k, err := r.CompletionsSince(context.Background(), loc, starts, 0, nil)
		for _, row := range rows {
			out[row.Unit+"/"+row.Key] = append(append([]int64(nil), row.Vals[0]...), row.Vals[1]...)
		}
		ok = k
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, ok
}

func dayIn(loc *time.Location, y int, m time.Month, d int) calendar.Day {
	return calendar.DayOf(time.Date(y, m, d, 12, 0, 0, 0, loc), loc)
}

// Completions count on the local day they happened: an acceptance at 23:30
// and one at 00:30 the next day fall in different months in Shanghai and in
// the same one in UTC. The tally follows the zone (rebuilt, not read until
// then) and is rebuilt after the upgrade that adds it.
func TestCompletionDays(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		if rebuilt, err := s.RecountCompletionDays(ctx, shanghai); err != nil || !rebuilt {
			t.Fatalf("first recount of a new database: rebuilt %v, %v; want rebuilt", rebuilt, err)
		}
		for no, events := range map[string][]petition.Event{
			"A": {{Type: petition.EventAccepted, At: at("2026-09-30 23:30:00")}},
			"B": {{Type: petition.EventAccepted, At: at("2026-10-01 00:30:00")}},
			"C": {{Type: petition.EventAccepted, At: at("2026-09-02 10:00:00")}, {Type: petition.EventReplied, At: at("2026-10-10 10:00:00")}},
		} {
			if _, _, err := s.CreateCase(ctx, rules, sample(no)); err != nil { // received 1 September
				t.Fatal(err)
			}
			for _, e := range events {
				if _, _, err := s.AddEvent(ctx, rules, no, e); err != nil {
					t.Fatal(err)
				}
			}
		}
		shanghaiWant := map[string][]int64{ // since 1 October, since 1 July; then late
			"u1/acceptance": {1, 3, 1, 2}, // A and B late (acceptance ended 16 September), C on time
			"u1/handling":   {1, 1, 0, 0},
		}
		check := func(when string, loc *time.Location, want map[string][]int64) {
			t.Helper()
			got, ok := periodCounts(t, s, loc, dayIn(loc, 2026, 10, 1), dayIn(loc, 2026, 7, 1))
			if !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("%s: got %v (ok %v), want %v", when, got, ok, want)
			}
		}
		check("written in Shanghai", shanghai, shanghaiWant)
		if rebuilt, err := s.RecountCompletionDays(ctx, shanghai); err != nil || rebuilt {
			t.Errorf("recount in the recorded zone: rebuilt %v, %v; want nothing done", rebuilt, err)
		}

		if rebuilt, err := s.RecountCompletionDays(ctx, time.UTC); err != nil || !rebuilt {
			t.Fatalf("recount in UTC: rebuilt %v, %v; want rebuilt", rebuilt, err)
		}
		if got, ok := periodCounts(t, s, shanghai, dayIn(shanghai, 2026, 10, 1)); ok || len(got) > 0 {
			t.Errorf("a tally of UTC days read for Shanghai: %v, ok %v", got, ok)
		}
		check("rebuilt in UTC", time.UTC, map[string][]int64{
			"u1/acceptance": {0, 3, 0, 2}, // 15:30 and 16:30 UTC on 30 September
			"u1/handling":   {1, 1, 0, 0},
		})

		// the upgrade: the table comes back empty, unread until rebuilt
		if err := store.MigrateDownTo(ctx, s, 10); err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if got, ok := periodCounts(t, s, shanghai, dayIn(shanghai, 2026, 10, 1)); ok || len(got) > 0 {
			t.Errorf("read before the rebuild after the upgrade: %v, ok %v", got, ok)
		}
		if rebuilt, err := s.RecountCompletionDays(ctx, shanghai); err != nil || !rebuilt {
			t.Fatalf("recount after the upgrade: rebuilt %v, %v; want rebuilt", rebuilt, err)
		}
		check("after the upgrade", shanghai, shanghaiWant)
	})
}

// A rebuild while writers complete stages loses and doubles nothing: the
// tally afterwards is what a rebuild with no writer makes of the events.
func TestCompletionDaysRebuildDuringWrites(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		const writers, perWriter = 4, 15
		var nos []string
		for w := 0; w < writers; w++ {
			for i := 0; i < perWriter; i++ {
				no := string(rune('A'+w)) + "-" + string(rune('a'+i))
				nos = append(nos, no)
				if _, _, err := s.CreateCase(ctx, rules, sample(no)); err != nil {
					t.Fatal(err)
				}
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, writers+1)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func(mine []string) {
				defer wg.Done()
				for i, no := range mine {
					e := petition.Event{Type: petition.EventAccepted, At: at("2026-09-02 10:00:00").Add(time.Duration(i) * 7 * time.Hour)}
					if _, _, err := s.AddEvent(ctx, rules, no, e); err != nil {
						errs <- err
						return
					}
				}
			}(nos[w*perWriter : (w+1)*perWriter])
		}
		wg.Add(1)
		go func() { // rebuild over and over while they write
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if err := store.ForgetCompletionDayZone(ctx, s); err != nil {
					errs <- err
					return
				}
				if _, err := s.RecountCompletionDays(ctx, shanghai); err != nil {
					errs <- err
					return
				}
			}
		}()
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		during, err := store.DayTally(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.ForgetCompletionDayZone(ctx, s); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecountCompletionDays(ctx, shanghai); err != nil {
			t.Fatal(err)
		}
		after, err := store.DayTally(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		var total int64
		for _, r := range after {
			total += r.Completed
		}
		if !reflect.DeepEqual(during, after) || total != writers*perWriter {
			t.Errorf("tally kept during the rebuilds\n%v\ndiffers from a quiet rebuild\n%v (%d completions, want %d)", during, after, total, writers*perWriter)
		}
	})
}
