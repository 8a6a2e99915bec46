package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

func TestLoadDisputes(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		at := func(day int) time.Time { return time.Date(2026, 9, day, 10, 0, 0, 0, shanghai) }
		register := []store.LoadDispute{
			{Dispute: sampleDispute("L-1"), Events: []petition.DisputeEvent{
				{Type: "assigned", At: at(21), LeaderRole: "township_head", ResolveBy: calendar.Date(2026, 9, 24)},
				{Type: "resolved", At: at(25)},
			}},
			{Dispute: sampleDispute("L-2")},
		}
		if err := s.LoadDisputes(ctx, rules, roles, register); err != nil {
			t.Fatal(err)
		}
		want := [6]int64{2, 1, 1, 0, 0, 0} // L-1 resolved a day late
		if got := disputeCounts(t, s); got != want {
			t.Fatalf("counters %v, want %v", got, want)
		}
		// the same file again writes nothing; a longer history of L-2 adds
		// its new events
		register[1].Events = []petition.DisputeEvent{{Type: "inspected", At: at(22)}, {Type: "closed", At: at(23)}}
		if err := s.LoadDisputes(ctx, rules, roles, register); err != nil {
			t.Fatal(err)
		}
		if err := s.LoadDisputes(ctx, rules, roles, register); err != nil {
			t.Fatal(err)
		}
		v, err := s.Dispute(ctx, "L-2")
		if err != nil || len(v.Events) != 2 || v.State.Status != "closed" {
			t.Errorf("L-2 after a longer history: %+v %v", v, err)
		}
		if got := disputeCounts(t, s); got != want {
			t.Errorf("counters after loading again %v, want %v", got, want)
		}

		// every refusal leaves the register as it was, the good
		// disputes of the same file included
		good := store.LoadDispute{Dispute: sampleDispute("L-3")}
		otherHistory := register[0]
		otherHistory.Events = []petition.DisputeEvent{
			{Type: "assigned", At: at(21), LeaderRole: "county_leader", ResolveBy: calendar.Date(2026, 9, 24)},
			{Type: "resolved", At: at(25)}}
		shorterHistory := register[0]
		shorterHistory.Events = shorterHistory.Events[:1]
		nowhere := store.LoadDispute{Dispute: sampleDispute("L-4")}
		nowhere.Dispute.Unit = "u9"
		badStep := store.LoadDispute{Dispute: sampleDispute("L-5"), Events: []petition.DisputeEvent{
			{Type: "resolved", At: at(21)}, {Type: "inspected", At: at(22)}}}
		noCase := store.LoadDispute{Dispute: sampleDispute("L-6"), Events: []petition.DisputeEvent{{Type: "escalated", At: at(21), CaseNo: "C-404"}}}
		for name, tc := range map[string]struct {
			ld   store.LoadDispute
			want error
		}{
			"another history of a stored dispute":   {otherHistory, store.ErrDisputeConflict},
			"a shorter history of a stored dispute": {shorterHistory, store.ErrDisputeConflict},
			"an unknown unit":                       {nowhere, store.ErrUnknownRef},
			"a step after the resolution":           {badStep, petition.ErrTransition},
			"an escalation into no case":            {noCase, store.ErrUnknownRef},
		} {
			err := s.LoadDisputes(ctx, rules, roles, []store.LoadDispute{good, tc.ld})
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", name, err, tc.want)
			}
			if _, err := s.Dispute(ctx, "L-3"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: the good dispute of the refused file was written", name)
			}
		}
		if got := disputeCounts(t, s); got != want {
			t.Errorf("counters after the refusals %v, want %v", got, want)
		}
		talliesRecounted(t, ctx, s, shanghai, "after the writes")
	})
}
