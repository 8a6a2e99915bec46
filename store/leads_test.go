package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// TestMatterHistories reads what the long-unresolved rule counts of each
// matter on both databases, at the edges of the 12 months and of
// backlog_days, and after a resolution (only later cases count).
func TestMatterHistories(t *testing.T) {
	t0 := at("2025-10-01 10:00:00")
	reReviewed := []petition.Event{
		{Type: petition.EventAccepted, At: t0.Add(day)}, {Type: petition.EventReplied, At: t0.Add(10 * day)},
		{Type: petition.EventReviewRequested, At: t0.Add(11 * day)}, {Type: petition.EventReviewed, At: t0.Add(20 * day)},
		{Type: petition.EventReReviewRequested, At: t0.Add(21 * day)}, {Type: petition.EventReReviewed, At: t0.Add(30 * day)},
		// closing moves no decision time: A2, between the two, is "again"
		{Type: petition.EventClosed, At: t0.Add(40 * day)},
	}
	cases := []store.LoadCase{
		// m1: re-reviewed a year ago, petitioned again before the case closed
		// (A2, never accepted, is also open past backlog_days)
		onMatter(edgeCase("A1", "P1", t0, reReviewed...), "m1"),
		onMatter(edgeCase("A2", "P1", t0.Add(35*day)), "m1"),
		// m2: open (never accepted) since t0+100d
		onMatter(edgeCase("B1", "P2", t0.Add(100*day)), "m2"),
		// m3: three cases, the last resolved away
		onMatter(edgeCase("C1", "P3", t0.Add(300*day)), "m3"),
		onMatter(edgeCase("C2", "P4", t0.Add(301*day)), "m3"),
		onMatter(edgeCase("C3", "P5", t0.Add(302*day)), "m3"),
	}
	eachStore(t, fourMatters, func(t *testing.T, ctx context.Context, s *store.Store) {
		r := petition.DefaultRules(shanghai)
		if err := s.Load(ctx, r, cases); err != nil {
			t.Fatal(err)
		}
		read := func(now time.Time) map[string]petition.MatterHistory {
			t.Helper()
			out := map[string]petition.MatterHistory{}
			err := s.Read(ctx, func(rd *store.Reader) error {
				hs, err := rd.MatterHistories(ctx, now, 180)
				for _, h := range hs {
					out[h.Code] = h
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		brief := func(h petition.MatterHistory) string {
			return fmt.Sprintf("year %d, old open %d, again after re-review %v", h.CasesYear, h.OldOpen,
				!h.LastReReviewed.IsZero() && h.LastReceived.After(h.LastReReviewed))
		}
		// the 12 months of A1 end at t0 + 1 year; B1 is old 180 days after receipt
		yearEnd, oldFrom := t0.AddDate(1, 0, 0), t0.Add(280*day)
		for _, tc := range []struct {
			now  time.Time
			want map[string]string
		}{
			{yearEnd.Add(-time.Second), map[string]string{"m1": "year 2, old open 1, again after re-review true",
				"m2": "year 1, old open 1, again after re-review false", "m3": "year 3, old open 0, again after re-review false",
				"m4": "year 0, old open 0, again after re-review false"}},
			{yearEnd, map[string]string{"m1": "year 2, old open 1, again after re-review true"}},
			{yearEnd.Add(time.Nanosecond), map[string]string{"m1": "year 1, old open 1, again after re-review true"}},
			{oldFrom.Add(-time.Nanosecond), map[string]string{"m2": "year 1, old open 0, again after re-review false"}},
			{oldFrom.Add(time.Second), map[string]string{"m2": "year 1, old open 1, again after re-review false"}},
		} {
			got := read(tc.now)
			for m, want := range tc.want {
				if g := brief(got[m]); g != want {
					t.Errorf("at %s, %s: %s, want %s", tc.now.Format(time.RFC3339Nano), m, g, want)
				}
			}
		}
		// resolved: only cases received after count again; the mark is cleared
		if err := s.PutMatterWithin(ctx, store.Matter{Code: "m3", Name: "事项m3", Unit: "u1", Category: "other", MarkedBacklog: true}, 10); err != nil {
			t.Fatal(err)
		}
		resolvedAt := t0.Add(301*day + time.Hour)
		if err := s.PutLead(ctx, "m3", petition.Lead{Role: "county_leader", Plan: petition.LeadResolved}, resolvedAt); err != nil {
			t.Fatal(err)
		}
		// the same again keeps the first time
		if err := s.PutLead(ctx, "m3", petition.Lead{Role: "county_leader", Plan: petition.LeadResolved}, resolvedAt.Add(day)); err != nil {
			t.Fatal(err)
		}
		h := read(t0.Add(303 * day))["m3"]
		if h.CasesYear != 1 || h.Marked || !h.Lead.ResolvedAt.Equal(resolvedAt) {
			t.Errorf("after the resolution: %d cases counted, marked %v, resolved at %s; want 1 (C3), unmarked, %s",
				h.CasesYear, h.Marked, h.Lead.ResolvedAt, resolvedAt)
		}
		// reopened by a new plan
		if err := s.PutLead(ctx, "m3", petition.Lead{Role: "county_leader", Target: calendar.Date(2026, 12, 1), Plan: "in_progress"}, resolvedAt.Add(2*day)); err != nil {
			t.Fatal(err)
		}
		if h := read(t0.Add(303 * day))["m3"]; h.CasesYear != 3 || !h.Lead.ResolvedAt.IsZero() || h.Lead.Target != calendar.Date(2026, 12, 1) {
			t.Errorf("reopened: %d cases, resolved at %s, target %s; want 3, none, 2026-12-01", h.CasesYear, h.Lead.ResolvedAt, h.Lead.Target)
		}
		if err := s.PutLead(ctx, "nope", petition.Lead{Role: "county_leader", Plan: petition.LeadResolved}, resolvedAt); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a lead of no matter: %v, want ErrNotFound", err)
		}
	})
}
