package demo

import (
	"context"
	"fmt"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// Simulator adds and advances cases as a front desk would, through the same
// store functions the intake uses, so the demo's numbers keep moving.
type Simulator struct {
	store *store.Store
	rules func() petition.Rules
	now   func() time.Time
	g     *gen
	open  []string // case numbers this simulator created and has not closed
	seq   int

	dseq      int
	disputes  []string     // open disputes this simulator registered
	reportDay calendar.Day // the last day the units' reports were sent for
}

// NewSimulator returns a simulator writing to s.
func NewSimulator(s *store.Store, rules func() petition.Rules, key petition.Key, now func() time.Time, seed uint64) *Simulator {
	return &Simulator{store: s, rules: rules, now: now, g: newGen(rules(), key, seed)}
}

// Step sends the units' daily reports on a new day, then adds a new case
// or advances an open one, or (one step in four) does the same with a
// dispute.
func (s *Simulator) Step(ctx context.Context) error {
	r := s.rules()
	s.g.r = r
	now := s.now()
	if today := calendar.DayOf(now, r.Location); today != s.reportDay {
		if err := sendReports(ctx, s.store, today, now, 0); err != nil {
			return fmt.Errorf("simulate: %w", err)
		}
		s.reportDay = today
	}
	if s.g.rnd.Float64() < 0.25 {
		return s.disputeStep(ctx, r, now)
	}
	if len(s.open) == 0 || s.g.rnd.Float64() < 0.6 {
		s.seq++
		c := s.g.newCase(now, s.seq)
		c.CaseNo = fmt.Sprintf("DEMO-LIVE-%d-%d", now.Unix(), s.seq)
		if _, _, err := s.store.CreateCase(ctx, r, c); err != nil {
			return fmt.Errorf("simulate: %w", err)
		}
		s.open = append(s.open, c.CaseNo)
		return nil
	}
	i := s.g.rnd.IntN(len(s.open))
	caseNo := s.open[i]
	st, err := s.store.CaseState(ctx, caseNo)
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	e := petition.Event{At: now}
	switch st.Status {
	case petition.StatusReceived:
		e.Type = petition.EventAccepted
	case petition.StatusAccepted:
		e.Type = petition.EventReplied
	default:
		e.Type = petition.EventClosed
		s.open = append(s.open[:i], s.open[i+1:]...)
	}
	if _, _, err := s.store.AddEvent(ctx, r, caseNo, e); err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	return nil
}

// Run steps every interval until ctx ends; errors go to report.
func (s *Simulator) Run(ctx context.Context, every time.Duration, report func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Step(ctx); err != nil && ctx.Err() == nil {
				report(err)
			}
		}
	}
}

// disputeStep registers a new dispute (a high-risk one in three without a
// leader) or takes an open one a step: assigned, inspected, resolved, or
// (rarely) escalated into the latest case the simulator received.
func (s *Simulator) disputeStep(ctx context.Context, r petition.Rules, now time.Time) error {
	roles := petition.DefaultLeaderRoles
	if len(s.disputes) == 0 || s.g.rnd.Float64() < 0.4 {
		s.dseq++
		d := petition.Dispute{No: fmt.Sprintf("DEMO-D-LIVE-%d-%d", now.Unix(), s.dseq), FoundAt: now,
			Unit: Units[s.g.pick(unitWeights)].Code, Category: petition.DefaultCategories[s.g.rnd.IntN(len(petition.DefaultCategories))].Code,
			Risk: petition.DisputeRisks[s.g.pick([]float64{1, 3, 6})], PersonsEstimate: s.g.rnd.IntN(30), Source: "screening"}
		if d.Risk != "high" || s.g.rnd.Float64() < 0.6 {
			d.LeaderRole = roles[s.g.rnd.IntN(len(roles))]
		}
		if _, _, err := s.store.CreateDispute(ctx, roles, d); err != nil {
			return fmt.Errorf("simulate: %w", err)
		}
		s.disputes = append(s.disputes, d.No)
		return nil
	}
	i := s.g.rnd.IntN(len(s.disputes))
	no := s.disputes[i]
	e := petition.DisputeEvent{At: now}
	switch x := s.g.rnd.Float64(); {
	case x < 0.3:
		e.Type, e.HandlerAssigned, e.ResolveBy = petition.DisputeEventAssigned, true, calendar.DayOf(now, r.Location)+calendar.Day(5+s.g.rnd.IntN(20))
		e.LeaderRole = roles[s.g.rnd.IntN(len(roles))]
		// a time limit moved later says why (petition.RedateReasons)
		v, err := s.store.Dispute(ctx, no)
		if err != nil {
			return fmt.Errorf("simulate: %w", err)
		}
		if v.State.ResolveBy != 0 && e.ResolveBy > v.State.ResolveBy {
			e.Reason = petition.RedateReasons[s.g.rnd.IntN(len(petition.RedateReasons))]
		}
	case x < 0.7:
		e.Type = petition.DisputeEventInspected
	case x < 0.95 || len(s.open) == 0:
		e.Type = petition.DisputeEventResolved
	default:
		e.Type, e.CaseNo = petition.DisputeEventEscalated, s.open[len(s.open)-1]
	}
	if _, _, err := s.store.AddDisputeEvent(ctx, r, roles, no, e); err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	if e.Type == petition.DisputeEventResolved || e.Type == petition.DisputeEventEscalated {
		s.disputes = append(s.disputes[:i], s.disputes[i+1:]...)
	}
	return nil
}
