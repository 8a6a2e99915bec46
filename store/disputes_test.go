package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

var roles = petition.DefaultLeaderRoles

func sampleDispute(no string) petition.Dispute {
	return petition.Dispute{No: no, FoundAt: time.Date(2026, 9, 20, 9, 0, 0, 0, shanghai), Unit: "u1", Category: "other",
		Risk: "high", PersonsEstimate: 30, Source: "screening"}
}

// disputeCounts reads the register's counters summed over units, categories
// and shards: found, resolved, resolved late, escalated, escalated timely,
// escalated major and timely.
func disputeCounts(t *testing.T, s *store.Store) [6]int64 {
	t.Helper()
	var out [6]int64
	err := s.DB().QueryRow(`SELECT COALESCE(SUM(found), 0), COALESCE(SUM(resolved), 0), COALESCE(SUM(resolved_late), 0),
COALESCE(SUM(escalated), 0), COALESCE(SUM(escalated_timely), 0), COALESCE(SUM(escalated_major_timely), 0) FROM dispute_tally`).
		Scan(&out[0], &out[1], &out[2], &out[3], &out[4], &out[5])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDisputeRegister(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		d := sampleDispute("D-1")
		if _, created, err := s.CreateDispute(ctx, roles, d); err != nil || !created {
			t.Fatalf("create: %v %v", created, err)
		}
		again := d
		again.FoundAt = again.FoundAt.UTC() // the same instant
		if _, created, err := s.CreateDispute(ctx, roles, again); err != nil || created {
			t.Errorf("the same registration again: created %v, %v; want a no-op", created, err)
		}
		other := d
		other.PersonsEstimate = 31
		if _, _, err := s.CreateDispute(ctx, roles, other); !errors.Is(err, store.ErrDisputeConflict) {
			t.Errorf("other content under the same number: %v, want ErrDisputeConflict", err)
		}
		nowhere := sampleDispute("D-2")
		nowhere.Unit = "u9"
		if _, _, err := s.CreateDispute(ctx, roles, nowhere); !errors.Is(err, store.ErrUnknownRef) {
			t.Errorf("a dispute of an unknown unit: %v, want ErrUnknownRef", err)
		}
		named := sampleDispute("D-3")
		named.LeaderRole = "Li Si"
		if _, _, err := s.CreateDispute(ctx, roles, named); !errors.Is(err, store.ErrInvalidValue) {
			t.Errorf("a leader by name: %v, want ErrInvalidValue", err)
		}

		at := func(day int) time.Time { return time.Date(2026, 9, day, 10, 0, 0, 0, shanghai) }
		steps := []petition.DisputeEvent{
			{Type: "assigned", At: at(21), LeaderRole: "township_head", HandlerAssigned: true, ResolveBy: calendar.Date(2026, 9, 25)},
			{Type: "inspected", At: at(22)},
			{Type: "risk_changed", At: at(23), Risk: "medium"},
			{Type: "resolved", At: at(26)},
		}
		for i, e := range steps {
			v, added, err := s.AddDisputeEvent(ctx, rules, roles, "D-1", e)
			if err != nil || !added || len(v.Events) != i+1 {
				t.Fatalf("event %d %s: added %v, %d events, %v", i, e.Type, added, len(v.Events), err)
			}
		}
		if _, added, err := s.AddDisputeEvent(ctx, rules, roles, "D-1", steps[3]); err != nil || added {
			t.Errorf("the last event again: added %v, %v; want a no-op", added, err)
		}
		if _, _, err := s.AddDisputeEvent(ctx, rules, roles, "D-1", petition.DisputeEvent{Type: "inspected", At: at(27)}); !errors.Is(err, petition.ErrTransition) {
			t.Errorf("an event after the resolution: %v, want ErrTransition", err)
		}
		v, err := s.Dispute(ctx, "D-1")
		if err != nil {
			t.Fatal(err)
		}
		if v.State.Status != "resolved" || v.State.Risk != "medium" || v.Found.Risk != "high" || !v.Events[3].Late ||
			!v.State.LastInspectedAt.Equal(at(22)) || v.State.ResolveBy != calendar.Date(2026, 9, 25) {
			t.Errorf("stored as %+v", v)
		}
		if _, _, err := s.AddDisputeEvent(ctx, rules, roles, "D-404", steps[1]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an event of an unknown dispute: %v", err)
		}

		if _, _, err := s.CreateDispute(ctx, roles, sampleDispute("D-4")); err != nil {
			t.Fatal(err)
		}
		up := petition.DisputeEvent{Type: "escalated", At: at(22), CaseNo: "C-1"}
		if _, _, err := s.AddDisputeEvent(ctx, rules, roles, "D-4", up); !errors.Is(err, store.ErrUnknownRef) {
			t.Errorf("escalated into a case that does not exist: %v", err)
		}
		if _, _, err := s.CreateCase(ctx, rules, sample("C-1")); err != nil {
			t.Fatal(err)
		}
		// recorded an hour after it happened: news, it pages
		s.SetClock(func() time.Time { return up.At.Add(time.Hour) })
		if _, _, err := s.AddDisputeEvent(ctx, rules, roles, "D-4", up); err != nil {
			t.Fatal(err)
		}
		// recorded two months later: history, it pages nobody; into a
		// collective petition
		if _, _, err := s.CreateDispute(ctx, roles, sampleDispute("D-5")); err != nil {
			t.Fatal(err)
		}
		big := sample("C-2")
		big.Persons = 40
		if _, _, err := s.CreateCase(ctx, rules, big); err != nil {
			t.Fatal(err)
		}
		s.SetClock(func() time.Time { return up.At.Add(60 * 24 * time.Hour) })
		if _, _, err := s.AddDisputeEvent(ctx, rules, roles, "D-5", petition.DisputeEvent{Type: "escalated", At: at(23), CaseNo: "C-2"}); err != nil {
			t.Fatal(err)
		}
		// news, into the collective petition
		if _, _, err := s.CreateDispute(ctx, roles, sampleDispute("D-6")); err != nil {
			t.Fatal(err)
		}
		s.SetClock(func() time.Time { return at(24).Add(time.Hour) })
		if _, _, err := s.AddDisputeEvent(ctx, rules, roles, "D-6", petition.DisputeEvent{Type: "escalated", At: at(24), CaseNo: "C-2"}); err != nil {
			t.Fatal(err)
		}
		// found: D-1, D-4, D-5, D-6; resolved late: D-1; escalated: D-4,
		// D-5 and D-6, of them timely D-4 (a petition of one person) and
		// D-6 (collective)
		if got, want := disputeCounts(t, s), [6]int64{4, 1, 1, 3, 2, 1}; got != want {
			t.Errorf("counters %v, want %v", got, want)
		}
		talliesRecounted(t, ctx, s, shanghai, "after the writes")
	})
}

func TestUnitReports(t *testing.T) {
	eachStore(t, setupTwo, func(t *testing.T, ctx context.Context, s *store.Store) {
		at := time.Date(2026, 10, 1, 16, 0, 0, 0, shanghai)
		day := calendar.Date(2026, 10, 1)
		if err := s.PutReport(ctx, petition.UnitReport{Unit: "u1", Day: day - 1, DisputesFound: 2}, at.Add(-24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.PutReport(ctx, petition.UnitReport{Unit: "u1", Day: day}, at); err != nil { // a zero report
			t.Fatal(err)
		}
		if err := s.PutReport(ctx, petition.UnitReport{Unit: "u1", Day: day, DisputesFound: 1, Remark: "补报：一起征地纠纷"}, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.PutReport(ctx, petition.UnitReport{Unit: "u9", Day: day}, at); !errors.Is(err, store.ErrUnknownRef) {
			t.Errorf("a report of an unknown unit: %v", err)
		}
		got, err := s.Reports(ctx, "u1", day-30)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Day != day || got[0].DisputesFound != 1 || got[0].Remark != "补报：一起征地纠纷" ||
			!got[0].ReportedAt.Equal(at.Add(time.Hour)) || got[1].DisputesFound != 2 {
			t.Errorf("reports %+v: want today's corrected report, then yesterday's", got)
		}
		if got, err := s.Reports(ctx, "u2", day-30); err != nil || len(got) != 0 {
			t.Errorf("a unit that never reported: %v, %v; want none", got, err)
		}
		if _, err := s.Reports(ctx, "u9", day-30); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("reports of an unknown unit: %v, want ErrNotFound", err)
		}
	})
}

// A high-risk dispute escalating into a petition makes it a major matter
// from the escalation (2022 Reg. art. 25); a medium-risk one does not; the
// mark survives the case's later events, and its report is due from then.
func TestHighRiskEscalationIsMajor(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		up := time.Date(2026, 9, 22, 10, 0, 0, 0, shanghai)
		for _, tc := range []struct {
			dispute, caseNo, risk string
			major                 bool
		}{{"D-HIGH", "C-HIGH", "high", true}, {"D-MED", "C-MED", "medium", false}} {
			d := sampleDispute(tc.dispute)
			d.Risk = tc.risk
			if _, _, err := s.CreateDispute(ctx, roles, d); err != nil {
				t.Fatal(err)
			}
			c := sample(tc.caseNo)
			c.ReceivedAt = up.Add(-time.Hour)
			if _, _, err := s.CreateCase(ctx, rules, c); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.AddDisputeEvent(ctx, rules, roles, tc.dispute, petition.DisputeEvent{Type: "escalated", At: up, CaseNo: tc.caseNo}); err != nil {
				t.Fatal(err)
			}
			v, _, err := s.AddEvent(ctx, rules, tc.caseNo, petition.Event{Type: petition.EventAccepted, At: up.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			if got := v.State.Major; got != tc.major {
				t.Errorf("%s escalated into %s: major %v, want %v", tc.risk, tc.caseNo, got, tc.major)
			}
			if tc.major && (!v.State.MajorSince.Equal(up) || !v.State.MajorUnreported()) {
				t.Errorf("%s: major since %s, unreported %v; want since the escalation, unreported", tc.caseNo, v.State.MajorSince, v.State.MajorUnreported())
			}
		}
	})
}

// DisputesOverdueEarlier counts, once each, the disputes with an event
// after their limit since the start that are not overdue now: a dispute
// overdue now is OpenDisputes' to count (the month's figure adds the two),
// and two late events of one dispute are one dispute.
func TestDisputesOverdueEarlier(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		month := time.Date(2026, 10, 1, 0, 0, 0, 0, shanghai)
		now := time.Date(2026, 10, 20, 10, 0, 0, 0, shanghai)
		owned := func(no string, by calendar.Day) petition.Dispute {
			d := sampleDispute(no)
			d.LeaderRole, d.HandlerAssigned, d.ResolveBy = "county_leader", true, by
			return d
		}
		write := func(d petition.Dispute, events ...petition.DisputeEvent) {
			t.Helper()
			if _, _, err := s.CreateDispute(ctx, roles, d); err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				if _, _, err := s.AddDisputeEvent(ctx, rules, roles, d.No, e); err != nil {
					t.Fatal(err)
				}
			}
		}
		inspected := func(day int) petition.DisputeEvent {
			return petition.DisputeEvent{Type: "inspected", At: time.Date(2026, 10, day, 9, 0, 0, 0, shanghai)}
		}
		// overdue since 6 October, inspected late twice: overdue now, not earlier
		write(owned("OV-NOW", calendar.Date(2026, 10, 5)), inspected(8), inspected(9))
		// overdue from 6 October until re-dated on the 9th, inspected late
		// before: earlier, once
		write(owned("OV-EARLIER", calendar.Date(2026, 10, 5)), inspected(7),
			petition.DisputeEvent{Type: "assigned", At: time.Date(2026, 10, 9, 9, 0, 0, 0, shanghai),
				ResolveBy: calendar.Date(2026, 10, 30), Reason: "court"})
		// late in September: before the month
		write(owned("OV-SEPTEMBER", calendar.Date(2026, 9, 25)),
			petition.DisputeEvent{Type: "resolved", At: time.Date(2026, 9, 28, 9, 0, 0, 0, shanghai)})
		var got []store.UnitOverdue
		err := s.Read(ctx, func(r *store.Reader) error {
			var err error
			got, err = r.DisputesOverdueEarlier(ctx, now, shanghai, month)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := []store.UnitOverdue{{Unit: "u1", Overdue: 1}}; !reflect.DeepEqual(got, want) {
			t.Errorf("overdue earlier this month: %+v, want %+v", got, want)
		}
	})
}
