package demo

import (
	"context"
	"fmt"
	"time"

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
}

// NewSimulator returns a simulator writing to s.
func NewSimulator(s *store.Store, rules func() petition.Rules, key petition.Key, now func() time.Time, seed uint64) *Simulator {
	return &Simulator{store: s, rules: rules, now: now, g: newGen(rules(), key, seed)}
}

// Step adds a new case or advances an open one.
func (s *Simulator) Step(ctx context.Context) error {
	r := s.rules()
	s.g.r = r
	now := s.now()
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
