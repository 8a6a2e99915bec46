package demo

import (
	"context"
	"fmt"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// The demo county's dispute register (矛盾纠纷排查调处台账) and daily reports:
// disputes in every state, some high-risk ones without a leader, some past
// their time limit, escalations, and two units that forget today's report.

// ForgetfulUnits do not send today's daily report in the demo.
var ForgetfulUnits = []string{"huangtu", "sasac"}

// UnscreenedUnit skipped its monthly screening (一月一排查) last month and
// this: before the demo's inspection it is missing.
const UnscreenedUnit = "jinsha"

// RegisterSize is how many disputes the demo's register holds.
const RegisterSize = 36

// SeedRegister writes the demo's register and thirty days of daily reports
// at now. The escalations name DEMO-NOW-1 (collective) and DEMO-NOW-2
// (skip-level), which Seed writes first.
func SeedRegister(ctx context.Context, s *store.Store, r petition.Rules, now time.Time) error {
	if err := s.LoadDisputes(ctx, r, petition.DefaultLeaderRoles, Register(r, now, 0, RegisterSize)); err != nil {
		return fmt.Errorf("seed demo register: %w", err)
	}
	today := calendar.DayOf(now, r.Location)
	for back := 29; back >= 0; back-- {
		if err := sendReports(ctx, s, today-calendar.Day(back), now, back); err != nil {
			return err
		}
	}
	// every unit screened two months ago; all but one last month and this
	this := petition.MonthOf(now, r.Location)
	for back := petition.Month(2); back >= 0; back-- {
		for i, u := range append(Units[:len(Units):len(Units)], Bureau) {
			if back < 2 && u.Code == UnscreenedUnit {
				continue
			}
			sc := petition.Screening{Unit: u.Code, Month: this - back, Found: map[string]int{"medium": i % 3, "low": i % 4}}
			if err := s.PutScreening(ctx, sc, now); err != nil {
				return fmt.Errorf("demo screening: %w", err)
			}
		}
	}
	return nil
}

// sendReports sends every unit's report for day, but the forgetful units'
// for today; a few units miss a day now and then (seed varies which).
func sendReports(ctx context.Context, s *store.Store, day calendar.Day, at time.Time, seed int) error {
	// the bureau reports too, last, so that the units' gaps stay where they were
	for i, u := range append(Units[:len(Units):len(Units)], Bureau) {
		if seed == 0 && petition.Contains(ForgetfulUnits, u.Code) {
			continue
		}
		if seed > 0 && (i*7+seed)%23 == 0 {
			continue // a day missed: the 30-day view shows the gap
		}
		rep := petition.UnitReport{Unit: u.Code, Day: day, DisputesFound: (i + seed) % 4 / 3}
		if rep.DisputesFound > 0 {
			rep.Remark = "演示：新排查矛盾纠纷一起，已登记台账"
		}
		if err := s.PutReport(ctx, rep, at); err != nil {
			return fmt.Errorf("demo report: %w", err)
		}
	}
	return nil
}

// Register is the demo's disputes from..to-1 as found by now, each with its
// events; the demo holds the first RegisterSize, benchmarks more.
func Register(r petition.Rules, now time.Time, from, to int) []store.LoadDispute {
	out := make([]store.LoadDispute, 0, to-from)
	for i := from; i < to; i++ {
		d, events := demoDispute(r, now, i)
		if i >= RegisterSize {
			d, events = aged(d, events, now, i)
		}
		out = append(out, store.LoadDispute{Dispute: d, Events: events})
	}
	return out
}

// aged spreads a benchmark's disputes over the last year as a register
// fills: one found more than 90 days ago was settled long since (resolved,
// one in five closed another way), a recent one is in any of the demo's
// states. About a quarter stay open, as in a county that works its register.
func aged(d petition.Dispute, events []petition.DisputeEvent, now time.Time, i int) (petition.Dispute, []petition.DisputeEvent) {
	age := time.Duration((i*37)%365) * 24 * time.Hour
	if age <= 90*24*time.Hour {
		return d, events
	}
	d.FoundAt = now.Add(-age)
	end := petition.DisputeEvent{Type: petition.DisputeEventResolved, At: d.FoundAt.Add(30 * 24 * time.Hour)}
	if i%5 == 0 {
		end.Type = petition.DisputeEventClosed
	}
	return d, []petition.DisputeEvent{end}
}

// demoDispute is the demo's dispute i with the events that bring it where
// it stands at now; i%6 chooses its state.
func demoDispute(r petition.Rules, now time.Time, i int) (petition.Dispute, []petition.DisputeEvent) {
	today := calendar.DayOf(now, r.Location)
	found := now.Add(-time.Duration(3+i%300) * 24 * time.Hour) // benchmarks make thousands
	d := petition.Dispute{
		No: fmt.Sprintf("DEMO-D-%03d", i+1), FoundAt: found, Unit: Units[(i*5)%len(Units)].Code,
		Category: petition.DefaultCategories[i%len(petition.DefaultCategories)].Code,
		Risk:     petition.DisputeRisks[(i+i/6)%len(petition.DisputeRisks)], PersonsEstimate: 3 + (i*13)%40,
		Source: petition.DisputeSources[i%len(petition.DisputeSources)],
	}
	if i%3 != 2 {
		d.Potential = petition.DisputePotentials[i%len(petition.DisputePotentials)] // a third left unsaid
	}
	owned := func(days int) {
		d.LeaderRole, d.HandlerAssigned = petition.DefaultLeaderRoles[i%len(petition.DefaultLeaderRoles)], true
		d.ResolveBy = today + calendar.Day(days)
	}
	at := func(ago time.Duration) time.Time { return now.Add(-ago) }
	var events []petition.DisputeEvent
	switch i % 6 {
	case 0: // in hand: all four haves, inspected this morning
		owned(10 + i%7)
		events = append(events, petition.DisputeEvent{Type: petition.DisputeEventInspected, At: at(3 * time.Hour)})
	case 1: // high risk, a handler and a time limit but no leader yet
		d.Risk, d.HandlerAssigned, d.ResolveBy = "high", true, today+15
	case 2: // past its time limit, last inspected three days ago
		owned(-2 - i%3)
		d.FoundAt = now.Add(-30 * 24 * time.Hour)
		events = append(events, petition.DisputeEvent{Type: petition.DisputeEventInspected, At: at(72 * time.Hour)})
		if i%4 == 0 {
			// moved to next week an hour ago, for a court's procedure: no
			// longer overdue, still overdue this month, counted as re-dated
			events = append(events, petition.DisputeEvent{Type: petition.DisputeEventAssigned, At: at(time.Hour),
				ResolveBy: today + 7, Reason: "court"})
		}
	case 3: // resolved, late every other time
		owned(-5 + 10*(i/6%2))
		events = append(events,
			petition.DisputeEvent{Type: petition.DisputeEventRiskChanged, At: at(48 * time.Hour), Risk: otherRisk(d.Risk)},
			petition.DisputeEvent{Type: petition.DisputeEventResolved, At: at(24 * time.Hour)})
	case 4: // registered, then assigned
		events = append(events, petition.DisputeEvent{Type: petition.DisputeEventAssigned, At: at(36 * time.Hour),
			LeaderRole: "township_head", HandlerAssigned: true, ResolveBy: today + 20})
	case 5: // referred to court
		events = append(events, petition.DisputeEvent{Type: petition.DisputeEventClosed, At: at(12 * time.Hour)})
	}
	// two disputes became today's petitions: collective, and lodged at the province
	switch i {
	case 4:
		events = append(events, petition.DisputeEvent{Type: petition.DisputeEventEscalated, At: at(90 * time.Minute), CaseNo: "DEMO-NOW-1"})
	case 10:
		events = append(events, petition.DisputeEvent{Type: petition.DisputeEventEscalated, At: at(30 * time.Minute), CaseNo: "DEMO-NOW-2"})
	}
	return d, events
}

// otherRisk is a risk other than risk, for a risk_changed event.
func otherRisk(risk string) string {
	if risk == "low" {
		return "medium"
	}
	return "low"
}
