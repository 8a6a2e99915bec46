package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// LoadDispute is a dispute of an imported register with its events, in
// order.
type LoadDispute struct {
	Dispute petition.Dispute
	Events  []petition.DisputeEvent
}

// LoadDisputes writes an imported register in one transaction: all of it
// or, on any refusal, none. A dispute already stored with the same
// registration and the first of the given events is taken up where it
// stands (an import run again writes nothing twice); other content is
// ErrDisputeConflict, naming the dispute. A register is tens to thousands
// of disputes: held in memory, written as the API writes them, the counters
// added once at the end.
func (s *Store) LoadDisputes(ctx context.Context, rules petition.Rules, roles []string, ds []LoadDispute) error {
	ds = cutEach(ds, LoadDispute.inSeconds)
	for _, ld := range ds {
		if err := fieldErrors(ld.Dispute.Problems(roles), ErrInvalidValue); err != nil {
			return fmt.Errorf("load dispute %s: %w", ld.Dispute.No, err)
		}
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		known, err := knownOf(ctx, tx)
		if err != nil {
			return err
		}
		w := newRegisterWrites()
		for _, ld := range ds {
			if err := s.loadDisputeTx(ctx, tx, rules, roles, ld, known, w); err != nil {
				return fmt.Errorf("load dispute %s: %w", ld.Dispute.No, err)
			}
		}
		return w.write(ctx, tx, s.dialect)
	})
}

func (s *Store) loadDisputeTx(ctx context.Context, tx *sqlx.Tx, rules petition.Rules, roles []string, ld LoadDispute, known Known, w *registerWrites) error {
	stored, _, err := s.createDisputeTx(ctx, tx, ld.Dispute, s.dialect.forUpdate, w, func() (Known, error) { return known, nil })
	if err != nil {
		return err
	}
	// the stored events must be the first of the given ones
	if len(stored.Events) > len(ld.Events) {
		return fmt.Errorf("%w: %d events stored, the file gives %d", ErrDisputeConflict, len(stored.Events), len(ld.Events))
	}
	for i, se := range stored.Events {
		if !sameDisputeEvent(se.Event, ld.Events[i]) {
			return fmt.Errorf("%w: its event %d is stored as %s", ErrDisputeConflict, i+1, se.Event.Type)
		}
	}
	for i, e := range ld.Events[len(stored.Events):] {
		next, _, err := s.addDisputeEventTx(ctx, tx, rules, roles, stored, e, w)
		if err != nil {
			return fmt.Errorf("event %d (%s): %w", len(stored.Events)+i+1, e.Type, err)
		}
		stored.DisputeView = next
	}
	return nil
}
