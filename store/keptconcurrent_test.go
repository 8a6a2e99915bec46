package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/collector"
	"riskmon/petition"
	"riskmon/store"
)

// While writers create cases (received over the last 30 days, repeats of
// one another, naming matters) and register disputes and their events at
// once, every refresh's kept readers (KeptWindows, KeptRegister,
// KeptMatterActivity, KeptBacklog, KeptReceipts) say what the same snapshot
// says without them: a version (or a sum) moved on in the writer's
// transaction is seen with its facts or not at all.
func TestKeptReadersUnderConcurrentWriters(t *testing.T) {
	now := time.Date(2026, 10, 20, 10, 0, 0, 0, time.UTC)
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		s.SetClock(func() time.Time { return now })
		must(t, s.PutCategory(ctx, store.Category{Code: "land", Name: "土地"}))
		for _, m := range []string{"m1", "m2", "m3"} {
			must(t, s.PutMatterWithin(ctx, store.Matter{Code: m, Name: "事项" + m, Unit: "u1", Category: "other"}, 10))
		}
		const writers, each = 4, 40
		var wg sync.WaitGroup
		writing := make(chan struct{}) // closed once the writers are done
		errs := make(chan error, writers+2)
		read := make(chan struct{}) // closed once the reader has kept what it read first
		// a write done: the reader reads once a write (or fewer), so that
		// it does not starve the writers of SQLite's connection
		wrote := make(chan struct{}, 1)
		tick := func() {
			select {
			case wrote <- struct{}{}:
			default:
			}
		}
		for w := range writers {
			wg.Go(func() {
				<-read
				for i := range each {
					c := sample(fmt.Sprintf("CW-%d-%03d", w, i))
					c.ReceivedAt = now.Add(-time.Duration((w*each+i)*7919%(30*24*60)) * time.Minute)
					c.Unit = []string{"u1", "u2"}[i%2]
					c.Matter = []string{"", "m1", "m2", "m3"}[i%4]
					c.PetitionerHash = petition.PetitionerHash([]byte("k"), fmt.Sprint("cw", i%13))
					if _, _, err := s.CreateCase(ctx, rules, c); err != nil {
						errs <- fmt.Errorf("case %s: %w", c.CaseNo, err)
						return
					}
					tick()
				}
			})
		}
		wg.Go(func() {
			<-read
			for i := range each {
				d := sampleDispute(fmt.Sprintf("DW-%03d", i))
				// categories and risks interleaved within each unit
				d.Unit, d.ResolveBy = []string{"u1", "u2"}[i%2], calendar.Date(2026, 10, 1+i%25)
				d.Category, d.Risk = []string{"other", "land"}[i/2%2], petition.DisputeRisks[i%len(petition.DisputeRisks)]
				d.LeaderRole, d.HandlerAssigned = "county_leader", true
				if _, _, err := s.CreateDispute(ctx, roles, d); err != nil {
					errs <- fmt.Errorf("dispute %s: %w", d.No, err)
					return
				}
				e := petition.DisputeEvent{Type: petition.DisputeEventInspected, At: now.Add(-time.Duration(i) * time.Hour)}
				if _, _, err := s.AddDisputeEvent(ctx, rules, roles, d.No, e); err != nil {
					errs <- fmt.Errorf("dispute %s: %w", d.No, err)
					return
				}
				tick()
			}
		})
		var readers sync.WaitGroup
		compared := 0
		readers.Go(func() {
			windows, register, activity, backlog := &store.KeptWindows{}, &store.KeptRegister{}, &store.KeptActivity{}, &store.KeptBacklog{}
			receipts := &store.KeptReceipts{}
			at := store.RegisterAt{Now: now, Loc: shanghai, InspectEvery: 7 * 24 * time.Hour, CountyRoles: []string{"county_leader"},
				MonthStart: time.Date(2026, 10, 1, 0, 0, 0, 0, shanghai)}
			starts := (&collector.Env{Now: now, Rules: rules}).WindowStarts()
			for last := false; !last; {
				if compared > 0 {
					select {
					case <-wrote:
					case <-writing:
						last = true // one comparison more once the writers are done
					}
				}
				err := s.Read(ctx, func(r *store.Reader) error {
					return errors.Join(
						sameRead(r, "receipt windows", func(r *store.Reader, kept bool) ([]store.WindowCount, error) {
							return r.KeptWindows(ctx, now, starts, keptOrNil(kept, windows))
						}),
						sameRead(r, "register", func(r *store.Reader, kept bool) (store.RegisterNow, error) {
							got, err := r.Register(ctx, at, keptOrNil(kept, register))
							return sortedRegister(got), err
						}),
						sameRead(r, "matter activity", func(r *store.Reader, kept bool) ([]petition.MatterActivity, error) {
							return r.KeptMatterActivity(ctx, now, keptOrNil(kept, activity))
						}),
						sameRead(r, "backlog", func(r *store.Reader, kept bool) ([]store.BacklogCount, error) {
							return r.KeptBacklog(ctx, now, rules.DueSoon, keptOrNil(kept, backlog))
						}),
						sameRead(r, "receipts", func(r *store.Reader, kept bool) ([]store.ReceiptCount, error) {
							got, err := r.KeptReceipts(ctx, keptOrNil(kept, receipts))
							return sortedReceipts(got), err
						}))
				})
				if compared++; compared == 1 {
					close(read)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
		wg.Wait()
		close(writing)
		readers.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		t.Logf("%d snapshots compared", compared)
		if compared < 3 {
			t.Fatalf("%d snapshots compared: the writers outran the reader", compared)
		}
	})
}

// differ says how kept and read differ, or nil.
// sameRead reads with read in r twice, with its kept reader and without
// (nil), and says how the two differ.
func sameRead[T any](r *store.Reader, what string, read func(r *store.Reader, kept bool) (T, error)) error {
	kept, err := read(r, true)
	if err != nil {
		return err
	}
	plain, err := read(r, false)
	if err != nil {
		return err
	}
	return differ(what, kept, plain)
}

// keptOrNil is k when kept, else nil: the same reader without what it keeps.
func keptOrNil[K any](kept bool, k *K) *K {
	if kept {
		return k
	}
	return nil
}

func differ[T any](what string, kept, read T) error {
	if reflect.DeepEqual(kept, read) {
		return nil
	}
	return fmt.Errorf("%s: kept %+v, read %+v", what, kept, read)
}
