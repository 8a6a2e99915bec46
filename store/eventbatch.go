package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// eventWrite is an event to add to a case, its time cut to the second.
type eventWrite struct {
	r      petition.Rules
	caseNo string
	e      petition.Event
	may    Guard  // nil: any unit
	audit  *Audit // the API's write: recorded with the event
}

// eventResult is what became of an event: the case after it, whether it
// was added (not a repeat of the case's last event), or why it was refused.
type eventResult struct {
	view  CaseView
	added bool
	err   error // ErrNotFound, petition.ErrTransition or ErrUnknownRef
}

// writeEventBatch stores a batch of events.
func (s *Store) writeEventBatch(batch []*eventCall) { commitBatch(batch, s.addEventsInTx) }

// addEventsInTx runs addEvents in a transaction of its own.
func (s *Store) addEventsInTx(ctx context.Context, ws []eventWrite) ([]eventResult, error) {
	var res []eventResult
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		res, err = s.addEvents(ctx, tx, ws)
		return err
	})
	return res, err
}

// caseStep is where a case stands while a batch of events is applied to
// it: the case as stored, with the events so far.
type caseStep struct {
	id      int64
	view    CaseView
	stored  petition.State // as read: where the case counts in the state tallies
	changed bool
}

// now is the case as it stands: the events so far, and no later ones should
// the batch add more.
func (p *caseStep) now() CaseView {
	v := p.view
	v.Events = slices.Clip(v.Events)
	return v
}

// addEvents applies events in their order, as many calls of AddEvent one
// after another would: the cases are read and locked in one query and
// their events in another, the new events go in one multi-row insert, the
// changed cases' states in one update and the tallies in a statement a
// table. An event the case cannot take is refused in its result and the
// others go on. Each result holds the case as its event left it.
func (s *Store) addEvents(ctx context.Context, tx *sqlx.Tx, ws []eventWrite) ([]eventResult, error) {
	cur, order, err := s.caseSteps(ctx, tx, ws)
	if err != nil {
		return nil, err
	}
	res := make([]eventResult, len(ws))
	pipe := newPipeline(tx, s.dialect)
	sink := newEventSink(pipe)
	for i, w := range ws {
		p := cur[w.caseNo]
		if p == nil {
			res[i].err = ErrNotFound
			continue
		}
		st := p.view.State
		if err := w.may.check(st.Unit, w.e.Unit); err != nil {
			res[i].err = err
			continue
		}
		if n := len(p.view.Events); n > 0 && sameEvent(p.view.Events[n-1].Event, w.e) {
			res[i] = eventResult{view: p.now()}
			continue
		}
		next, out, err := w.r.Apply(st, w.e)
		if err != nil {
			res[i].err = fmt.Errorf("%w; current status %s", err, st.Status)
			continue
		}
		if err := checkEventRefs(ctx, tx, w.e); err != nil {
			if errors.Is(err, ErrUnknownRef) {
				res[i].err = err
				continue
			}
			return nil, err
		}
		ev := sink.record(w.r, p.id, p.view.Category, len(p.view.Events)+1, st.Unit, w.e, out, w.audit.credential())
		p.view.State, p.changed = next, true
		p.view.Events = append(p.view.Events, ev)
		res[i] = eventResult{view: p.now(), added: true}
	}
	if err := sink.flush(ctx); err != nil {
		return nil, err
	}
	if err := writeAcceptedAudits(ctx, pipe, len(ws), func(i int) *Audit { return acceptedAudit(ws[i].audit, res[i].err) }); err != nil {
		return nil, err
	}
	var ups []stateUpdate
	for _, no := range order {
		if p := cur[no]; p.changed {
			ups = append(ups, stateUpdate{p.id, len(p.view.Events), p.view.Category, p.stored, p.view.State})
		}
	}
	if err := updateStates(ctx, pipe, s.dialect, ups); err != nil {
		return nil, err
	}
	if err := sink.write(ctx, pipe, s.dialect); err != nil {
		return nil, err
	}
	if err := pipe.send(ctx); err != nil {
		return nil, err
	}
	return res, nil
}

// caseSteps reads and locks the batch's cases, in case number order so
// that two batches lock them in the same order, with their events. order
// lists the cases found.
func (s *Store) caseSteps(ctx context.Context, tx *sqlx.Tx, ws []eventWrite) (cur map[string]*caseStep, order []string, err error) {
	nos := make([]string, 0, len(ws))
	seen := map[string]bool{}
	for _, w := range ws {
		if !seen[w.caseNo] {
			seen[w.caseNo] = true
			nos = append(nos, w.caseNo)
		}
	}
	q, args, err := sqlx.In("SELECT id, "+caseColumns+" FROM cases WHERE case_no IN (?) ORDER BY case_no"+s.dialect.forUpdate, nos)
	if err != nil {
		return nil, nil, fmt.Errorf("read cases: %w", err)
	}
	var rows []viewRow
	if err := tx.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, nil, fmt.Errorf("read cases: %w", err)
	}
	cur = make(map[string]*caseStep, len(rows))
	byID := make(map[int64]*caseStep, len(rows))
	var ids []int64
	for _, row := range rows {
		p := &caseStep{id: row.caseRow.ID, view: row.view()}
		p.stored = p.view.State
		cur[row.CaseNo], byID[p.id] = p, p
		order = append(order, row.CaseNo)
		if row.LastSeq > 0 {
			ids = append(ids, p.id)
		}
	}
	if len(ids) == 0 {
		return cur, order, nil
	}
	q, args, err = sqlx.In("SELECT "+eventColumns+" FROM case_events WHERE case_id IN (?) ORDER BY case_id, seq", ids)
	if err != nil {
		return nil, nil, fmt.Errorf("read events: %w", err)
	}
	var events []eventRow
	if err := tx.SelectContext(ctx, &events, q, args...); err != nil {
		return nil, nil, fmt.Errorf("read events: %w", err)
	}
	for _, e := range events {
		p := byID[e.CaseID]
		p.view.Events = append(p.view.Events, e.view())
	}
	return cur, order, nil
}
