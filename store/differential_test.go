package store_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"riskmon/collector"
	"riskmon/demo"
	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

// The refresh reads the open cases and the receipt windows from tallies the
// writers keep (backlog.go, receiptwindows.go). These tests hold them to
// what the facts alone say (Store.ReadFacts), on random histories written
// through every path into both databases, at instants on every edge a
// deadline or a window can cross, to the nanosecond (issue 23).

// diffZones are zones whose local midnight falls on the UTC hour, on a
// half hour and on a quarter hour: the "today" window's first part-hour is
// read from the cases, and a zone off the hour puts cases in it.
var diffZones = []string{"Asia/Shanghai", "America/St_Johns", "Asia/Kathmandu"}

// diffOffsets are where around an edge an instant is taken.
var diffOffsets = []time.Duration{-time.Second, -time.Nanosecond, 0, time.Nanosecond, time.Second}

// diffCounty is a random county of about 200 cases received in the 45 days
// before now, each with the history it would have by now (every event type
// the demo knows: transfers, assignments, objections, diversions, reviews,
// reports upward). Random receipts almost never fall on the edge
// of an hour or a day, where a tally's bucket ends: cases received on such
// edges, a second either side and on the second itself, are added.
func diffCounty(r petition.Rules, seed uint64) []store.LoadCase {
	// 8 October: the day after National Day, so deadlines roll over the holiday
	now := time.Date(2026, 10, 8, 15, 30, 0, 0, r.Location)
	cases := demo.Generate(r, demo.Key, now.AddDate(0, 0, -45), now, seed, 4)
	local := now.AddDate(0, 0, -2)
	for i, edge := range []time.Time{
		now.Truncate(24*time.Hour).AddDate(0, 0, -3),                                // a UTC midnight
		now.Truncate(time.Hour).Add(-5 * time.Hour),                                 // an hour
		time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, r.Location), // a local midnight
	} {
		for j, off := range []time.Duration{-time.Second, 0, time.Second} {
			c := cases[i*3+j].Case
			c.CaseNo, c.ReceivedAt = fmt.Sprintf("EDGE-%d-%d", i, j), edge.Add(off)
			cases = append(cases, store.LoadCase{Case: c})
		}
	}
	return cases
}

// diffStore is a store of dialect holding the demo's reference data.
func diffStore(t *testing.T, dialect string) *store.Store {
	t.Helper()
	s := setup(t, dialect)
	if err := demo.PutReference(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

// edgeInstants are the instants at which a kept count could differ from the
// facts': around every open case's deadline and the moment it comes within
// the due-soon horizon, and around every moment a receipt, the hour or the
// UTC day it fell in, leaves a window (the last hour, 7 and 30 days: the
// tallies split a window at its first whole hour and UTC day) or today's
// (the next local midnight). Every deadline's and every edge receipt's
// (one within a second of a whole hour, where the tallies' buckets meet),
// and max of the others, drawn with seed.
func edgeInstants(t *testing.T, s *store.Store, r petition.Rules, cases []store.LoadCase, max int, seed uint64) []time.Time {
	t.Helper()
	var must, drawn []time.Time
	around := func(to *[]time.Time, edges ...time.Time) {
		for _, e := range edges {
			for _, off := range diffOffsets {
				*to = append(*to, e.Add(off))
			}
		}
	}
	for _, lc := range cases {
		st, err := s.CaseState(context.Background(), lc.Case.CaseNo)
		if err != nil {
			t.Fatal(err)
		}
		if st.Stage() != "" && !st.Deadline.IsZero() {
			around(&must, st.Deadline, st.Deadline.Add(-r.DueSoon))
		}
		recv := lc.Case.ReceivedAt.Truncate(time.Second)
		to := &drawn
		if recv.Sub(recv.Round(time.Hour)).Abs() <= time.Second {
			to = &must
		}
		local := recv.In(r.Location)
		around(to, time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, r.Location))
		for _, w := range []time.Duration{time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour} {
			around(to, recv.Add(w), recv.Truncate(time.Hour).Add(w), recv.Truncate(time.Hour).Add(time.Hour+w),
				recv.Truncate(24*time.Hour).Add(w), recv.Truncate(24*time.Hour).Add(24*time.Hour+w))
		}
	}
	rnd := rand.New(rand.NewPCG(seed, 1))
	rnd.Shuffle(len(drawn), func(i, j int) { drawn[i], drawn[j] = drawn[j], drawn[i] })
	out := append(must, drawn[:min(max, len(drawn))]...)
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(out, time.Time.Equal)
}

// countsAt are the backlog and the receipt windows at each instant, read in
// one transaction: from the tallies, or from the facts.
type countsAt struct {
	backlog    []store.BacklogCount
	kept       []store.BacklogCount // the backlog kept from one instant to the next (KeptBacklog)
	windows    []store.WindowCount
	keptWin    []store.WindowCount // the windows kept from one instant to the next (KeptWindows)
	supervised []store.SupervisionCount
}

func readCountsAt(t *testing.T, s *store.Store, r petition.Rules, facts bool, instants []time.Time) []countsAt {
	t.Helper()
	ctx := context.Background()
	read := s.Read
	if facts {
		read = s.ReadFacts
	}
	out := make([]countsAt, len(instants))
	kept, keptWin := &store.KeptBacklog{}, &store.KeptWindows{}
	byKey := func(a, b store.BacklogCount) int {
		return cmp.Or(cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Category, b.Category), cmp.Compare(a.Stage, b.Stage))
	}
	err := read(ctx, func(rd *store.Reader) error {
		for i, now := range instants {
			var err error
			if out[i].backlog, err = rd.Backlog(ctx, now, r.DueSoon); err != nil {
				return err
			}
			slices.SortFunc(out[i].backlog, byKey)
			if out[i].kept, err = rd.KeptBacklog(ctx, now, r.DueSoon, kept); err != nil {
				return err
			}
			slices.SortFunc(out[i].kept, byKey)
			starts := (&collector.Env{Now: now, Rules: r}).WindowStarts()
			if out[i].windows, err = rd.Windows(ctx, starts); err != nil {
				return err
			}
			if out[i].keptWin, err = rd.KeptWindows(ctx, now, starts, keptWin); err != nil {
				return err
			}
			if out[i].supervised, err = rd.Supervision(ctx, now); err != nil {
				return err
			}
			slices.SortFunc(out[i].supervised, func(a, b store.SupervisionCount) int {
				return cmp.Or(cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Level, b.Level))
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameAsFacts fails t at the first instants where the tallies' counts are
// not the facts', and when the tallies are not what a recount makes.
func sameAsFacts(t *testing.T, s *store.Store, r petition.Rules, instants []time.Time) {
	t.Helper()
	kept := readCountsAt(t, s, r, false, instants)
	facts := readCountsAt(t, s, r, true, instants)
	bad := 0
	for i, now := range instants {
		if !reflect.DeepEqual(kept[i], facts[i]) && bad < 5 {
			bad++
			t.Errorf("at %s the tallies say\n%+v\nthe facts say\n%+v", now.UTC().Format(time.RFC3339Nano), kept[i], facts[i])
		}
	}
	talliesRecounted(t, context.Background(), s, r.Location, "after the writes")
}

// nonEmpty fails t unless the counts at instants show open, overdue and
// due-soon cases, supervised ones open, overdue and unanswered, and receipts
// in every window: a comparison of empty results proves nothing.
func nonEmpty(t *testing.T, counts []countsAt) {
	t.Helper()
	var open, overdue, dueSoon, supervised, supervisedOverdue, unanswered int64
	var windows [4]int64
	for _, c := range counts {
		for _, b := range c.backlog {
			open, overdue, dueSoon = open+b.Open, overdue+b.Overdue, dueSoon+b.DueSoon
		}
		for _, s := range c.supervised {
			supervised, supervisedOverdue, unanswered = supervised+s.Open, supervisedOverdue+s.Overdue, unanswered+s.Unanswered
		}
		for _, w := range c.windows {
			for i, n := range w.Received {
				windows[i] += n
			}
		}
	}
	if open == 0 || overdue == 0 || dueSoon == 0 || supervised == 0 || supervisedOverdue == 0 || unanswered == 0 ||
		slices.Contains(windows[:], 0) {
		t.Fatalf("open %d, overdue %d, due soon %d, supervised %d, of them overdue %d, unanswered %d, window receipts %v: the county proves nothing",
			open, overdue, dueSoon, supervised, supervisedOverdue, unanswered, windows)
	}
}

func TestKeptTalliesEqualTheFactsOnEveryWritePath(t *testing.T) {
	for zi, zone := range diffZones {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		r := petition.DefaultRules(loc)
		cases := diffCounty(r, uint64(zi+1))
		for path, write := range writePaths {
			for _, dialect := range storetest.Dialects {
				t.Run(zone+"/"+path+"/"+dialect, func(t *testing.T) {
					t.Parallel() // the reads of one wait on MariaDB while another's run
					s := diffStore(t, dialect)
					if err := write(context.Background(), s, r, cases); err != nil {
						t.Fatal(err)
					}
					instants := edgeInstants(t, s, r, cases, 200, uint64(zi))
					nonEmpty(t, readCountsAt(t, s, r, true, instants))
					sameAsFacts(t, s, r, instants)
				})
			}
		}
	}
}

// Writers that run at once, creating cases and adding their events one by
// one as the API's clients do, leave the tallies the facts' own.
func TestKeptTalliesEqualTheFactsUnderConcurrentWriters(t *testing.T) {
	r := rules
	cases := diffCounty(r, 7)
	eachStore(t, diffStore, func(t *testing.T, ctx context.Context, s *store.Store) {
		const writers = 8
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Go(func() {
				for i := w; i < len(cases); i += writers {
					lc := cases[i]
					if _, _, err := s.CreateCase(ctx, r, lc.Case); err != nil {
						errs <- fmt.Errorf("case %s: %w", lc.Case.CaseNo, err)
						return
					}
					for _, e := range lc.Events {
						if _, _, err := s.AddEvent(ctx, r, lc.Case.CaseNo, e); err != nil {
							errs <- fmt.Errorf("case %s: %w", lc.Case.CaseNo, err)
							return
						}
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		sameAsFacts(t, s, r, edgeInstants(t, s, r, cases, 200, 7))
	})
}

// What changes stored cases besides their writers keeps the tallies true: a
// change of the rules moves the stored deadlines of open cases
// (RecomputeDeadlines), and migration 22 fills the tallies from the cases an
// older riskmon stored. Each step returns the rules in force after it.
func TestKeptTalliesAfterAStep(t *testing.T) {
	steps := map[string]func(ctx context.Context, s *store.Store) (petition.Rules, error){
		"deadlines recomputed": func(ctx context.Context, s *store.Store) (petition.Rules, error) {
			if _, err := s.RecomputeDeadlines(ctx, rules); err != nil { // records the fingerprint
				return rules, err
			}
			shorter := rules
			shorter.HandlingDays, shorter.AcceptanceDays = 30, 10
			res, err := s.RecomputeDeadlines(ctx, shorter)
			if err == nil && res.Moved == 0 {
				err = fmt.Errorf("%+v: no deadline moved, nothing is proved", res)
			}
			return shorter, err
		},
		"upgraded from migration 21": func(ctx context.Context, s *store.Store) (petition.Rules, error) {
			if err := store.MigrateDownTo(ctx, s, 21); err != nil {
				return rules, err
			}
			return rules, s.Migrate(ctx)
		},
	}
	cases := diffCounty(rules, 11)
	for name, step := range steps {
		for _, dialect := range storetest.Dialects {
			t.Run(name+"/"+dialect, func(t *testing.T) {
				s := diffStore(t, dialect)
				ctx := context.Background()
				if err := s.Load(ctx, rules, cases); err != nil {
					t.Fatal(err)
				}
				r, err := step(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				sameAsFacts(t, s, r, edgeInstants(t, s, r, cases, 200, 11))
			})
		}
	}
}
