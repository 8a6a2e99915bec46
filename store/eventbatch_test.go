package store_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

// Events queued together are written in one transaction with the outcome
// of AddEvent called one after another: two steps of one case in order, a
// refused step, an unknown case and a repeated last event among them. Each
// caller gets the case as its own event left it.
func TestEventsQueuedTogetherEndAsOneByOne(t *testing.T) {
	recv := sample("x").ReceivedAt
	step := func(typ string, hours int) petition.Event {
		e := petition.Event{Type: typ, At: recv.Add(time.Duration(hours) * time.Hour)}
		if typ == petition.EventEvaluated {
			e.Result = "satisfied"
		}
		return e
	}
	writes := []struct {
		caseNo string
		e      petition.Event
		want   string
		events int // in the view the caller gets
	}{
		{"EV-A", step(petition.EventAccepted, 1), "added", 1},
		{"EV-B", step(petition.EventAccepted, 1), "added", 1},
		{"EV-A", step(petition.EventReplied, 2), "added", 2},
		{"EV-C", step(petition.EventReplied, 2), "refused", 0},
		{"EV-NONE", step(petition.EventAccepted, 1), "not found", 0},
		{"EV-B", step(petition.EventAccepted, 1), "unchanged", 1},
		{"EV-A", step(petition.EventReplyDelivered, 3), "added", 3},
	}
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			batched, serial := setup(t, dialect), setup(t, dialect)
			for _, s := range []*store.Store{batched, serial} {
				for i, no := range []string{"EV-A", "EV-B", "EV-C"} {
					c := sample(no)
					c.PetitionerHash = petition.PetitionerHash([]byte("k"), no)
					c.ReceivedAt = c.ReceivedAt.Add(time.Duration(i) * time.Second)
					if _, _, err := s.CreateCase(ctx, rules, c); err != nil {
						t.Fatal(err)
					}
				}
			}
			var qs []store.QueuedEvent
			for _, w := range writes {
				qs = append(qs, store.EnqueueEvent(batched, rules, w.caseNo, w.e))
			}
			got := make([]string, len(qs))
			views := make([]store.CaseView, len(qs))
			var wg sync.WaitGroup
			for i, q := range qs {
				wg.Go(func() {
					var added bool
					var err error
					views[i], added, err = q.Await(ctx)
					got[i] = eventOutcome(added, err)
				})
			}
			wg.Wait()
			for i, w := range writes {
				if got[i] != w.want {
					t.Errorf("write %d (%s %s): %s, want %s", i, w.caseNo, w.e.Type, got[i], w.want)
				}
				if n := len(views[i].Events); n != w.events {
					t.Errorf("write %d: the case shown with %d events, want %d", i, n, w.events)
				}
			}
			st := batched.WriteStats().Queues[1]
			var batches uint64
			for _, n := range st.Batches {
				batches += n
			}
			if st.Writes != "events" || st.BatchWrites != uint64(len(writes)) || batches != 1 {
				t.Errorf("event queue stats %+v, want the %d events in one batch", st, len(writes))
			}
			for _, w := range writes {
				_, _, _ = serial.AddEvent(ctx, rules, w.caseNo, w.e)
			}
			if got, want := caseRows(t, batched), caseRows(t, serial); !reflect.DeepEqual(got, want) {
				t.Errorf("cases differ from events added one by one:\n%v\n%v", got, want)
			}
			events := "SELECT case_id, seq, type, at, unit, COALESCE(completed_stage, ''), late FROM case_events ORDER BY case_id, seq"
			if got, want := dumpRows(t, batched, events), dumpRows(t, serial, events); !reflect.DeepEqual(got, want) {
				t.Errorf("events differ from one by one:\n%v\n%v", got, want)
			}
			if got, want := tallies(t, batched), tallies(t, serial); !reflect.DeepEqual(got, want) {
				t.Errorf("tallies differ from one by one:\n%v\n%v", got, want)
			}
			for no := range map[string]bool{"EV-A": true, "EV-B": true} {
				stored, err := batched.Case(ctx, no)
				if err != nil {
					t.Fatal(err)
				}
				var last store.CaseView
				for i, w := range writes {
					if w.caseNo == no && got[i] == "added" {
						last = views[i]
					}
				}
				if !reflect.DeepEqual(viewJSON(last), viewJSON(stored)) {
					t.Errorf("%s: the last caller was shown\n%+v\nthe case is stored as\n%+v", no, last, stored)
				}
			}
		})
	}
}

func eventOutcome(added bool, err error) string {
	return writeOutcome("added", "unchanged", added, err)
}

// viewJSON compares views as the API shows them: times as instants.
func viewJSON(v store.CaseView) store.CaseView {
	v.ReceivedAt = v.ReceivedAt.UTC()
	v.State = normalState(v.State)
	for i := range v.Events {
		v.Events[i].Event.At = v.Events[i].Event.At.UTC()
	}
	return v
}

func normalState(st petition.State) petition.State {
	for _, t := range []*time.Time{&st.StageStart, &st.HearingSince, &st.Deadline, &st.DecidedAt, &st.DeliveredAt, &st.LastEventAt} {
		*t = t.UTC()
	}
	return st
}
