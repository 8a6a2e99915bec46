package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/calendar"
	"riskmon/petition"
)

// The dispute register: disputes, their events and their counters
// (dispute_tally), written one transaction a call. Unlike creates and
// events of cases they do not share transactions: a county registers tens
// of disputes a day, not thousands.

// ErrDisputeConflict is a registration of a stored dispute number with
// other content.
var ErrDisputeConflict = errors.New("conflicts with the stored dispute")

// DisputeView is a stored dispute as the API shows it: as found, where it
// stands, and its events.
type DisputeView struct {
	Found      petition.Dispute
	State      petition.DisputeState
	Events     []DisputeEventView
	RecordedBy string // the credential whose API write registered it; "" for an import's or the demo's
}

// DisputeEventView is a stored event of a dispute.
type DisputeEventView struct {
	Seq        int
	Event      petition.DisputeEvent
	Late       bool   // a resolution after the last day of the time limit
	RecordedBy string // the credential whose API write recorded it, or ""
}

// DisputeProblems names every reference of d that does not exist.
func (k Known) DisputeProblems(d petition.Dispute) []petition.Problem {
	ps := k.check(nil, "unit", d.Unit, k.Units)
	ps = k.check(ps, "category", d.Category, k.Categories)
	if d.Matter != "" {
		ps = k.check(ps, "matter", d.Matter, k.Matters)
	}
	return ps
}

// CreateDispute registers a dispute, counts it as found and returns it as
// stored. The same registration again is a no-op (created is false); the
// same number with other content is ErrDisputeConflict. roles are the
// leader roles the configuration allows.
func (s *Store) CreateDispute(ctx context.Context, roles []string, d petition.Dispute) (view DisputeView, created bool, err error) {
	if err := fieldErrors(d.Problems(roles), ErrInvalidValue); err != nil {
		return DisputeView{}, false, fmt.Errorf("create dispute %s: %w", d.No, err)
	}
	d = disputeInSeconds(d)
	for attempt := 0; ; attempt++ {
		view, created, err = s.createDispute(ctx, d)
		// a concurrent registration of the same number won the race: the
		// next attempt finds its row and compares
		if err == nil || !duplicateKey(err) || attempt > 0 {
			break
		}
	}
	if err != nil {
		return DisputeView{}, false, fmt.Errorf("create dispute %s: %w", d.No, err)
	}
	return view, created, nil
}

func (s *Store) createDispute(ctx context.Context, d petition.Dispute) (view DisputeView, created bool, err error) {
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		w := newRegisterWrites()
		stored, isNew, err := s.createDisputeTx(ctx, tx, d, "", w, func() (Known, error) { return knownIn(ctx, tx, d) })
		if err != nil {
			return err
		}
		view, created = stored.DisputeView, isNew
		return w.write(ctx, tx, s.dialect)
	})
	return view, created, err
}

// createDisputeTx registers d in tx, counting it into t, and returns it as
// stored (read with lock when it was there already: the dialect's FOR
// UPDATE, or ""); known reads the units and categories it must name, only
// when d is new.
func (s *Store) createDisputeTx(ctx context.Context, tx *sqlx.Tx, d petition.Dispute, lock string, w *registerWrites, known func() (Known, error)) (storedDispute, bool, error) {
	stored, err := readDispute(ctx, tx, d.No, lock)
	switch {
	case err == nil:
		if !sameDispute(stored.Found, d) {
			return storedDispute{}, false, ErrDisputeConflict
		}
		return stored, false, nil
	case !errors.Is(err, ErrNotFound):
		return storedDispute{}, false, err
	}
	k, err := known()
	if err != nil {
		return storedDispute{}, false, err
	}
	if err := fieldErrors(k.DisputeProblems(d), ErrUnknownRef); err != nil {
		return storedDispute{}, false, err
	}
	st := petition.DisputeFound(d)
	res, err := tx.ExecContext(ctx, `INSERT INTO disputes (dispute_no, found_at, unit, category, found_risk, persons_estimate,
found_leader_role, found_handler_assigned, found_resolve_by, source, registered_at, status, risk, leader_role,
handler_assigned, resolve_by, last_event_at, matter, potential, recorded_by) VALUES (`+marks(20)+`)`,
		d.No, d.FoundAt.Unix(), d.Unit, d.Category, d.Risk, d.PersonsEstimate, nullString(d.LeaderRole), d.HandlerAssigned,
		nullDay(d.ResolveBy), d.Source, s.now().Unix(), st.Status, st.Risk, nullString(st.LeaderRole), st.HandlerAssigned,
		nullDay(st.ResolveBy), d.FoundAt.Unix(), nullString(d.Matter), nullString(d.Potential), nullString(recordedBy(ctx)))
	if err != nil {
		return storedDispute{}, false, fmt.Errorf("insert dispute: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return storedDispute{}, false, fmt.Errorf("insert dispute: %w", err)
	}
	w.tally.add(tallyKey{[4]string{d.Unit, d.Category, d.Risk}, shardOf(d.No)}, 1)
	w.changed(d.Unit)
	return storedDispute{id: id, DisputeView: DisputeView{Found: d, State: st, RecordedBy: recordedBy(ctx)}}, true, nil
}

// AddDisputeEvent records one step of a dispute and counts what it ended;
// the dispute's last event again is a no-op (added is false). A step the
// dispute's status does not allow wraps petition.ErrTransition and names
// the status; an escalation names a case that must exist. The rules give
// the local dates of the time limit and the backfill horizon; roles are the
// leader roles allowed.
func (s *Store) AddDisputeEvent(ctx context.Context, rules petition.Rules, roles []string, no string, e petition.DisputeEvent) (view DisputeView, added bool, err error) {
	return s.AddDisputeEventAs(ctx, rules, roles, no, e, nil)
}

// AddDisputeEventAs is AddDisputeEvent for a caller that may write only
// where may says: it is asked about the dispute's unit in the transaction
// that locks the dispute, and its error refuses the event.
func (s *Store) AddDisputeEventAs(ctx context.Context, rules petition.Rules, roles []string, no string, e petition.DisputeEvent, may Guard) (view DisputeView, added bool, err error) {
	e = disputeEventInSeconds(e)
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		stored, err := readDispute(ctx, tx, no, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if err := may.check(stored.Found.Unit); err != nil {
			return err
		}
		w := newRegisterWrites()
		view, added, err = s.addDisputeEventTx(ctx, tx, rules, roles, stored, e, w)
		if err != nil {
			return err
		}
		return w.write(ctx, tx, s.dialect)
	})
	if err != nil {
		return DisputeView{}, false, fmt.Errorf("dispute %s: %s: %w", no, e.Type, err)
	}
	return view, added, nil
}

// addDisputeEventTx records e of the stored dispute in tx, counting what it
// ended into t, and returns the dispute after it.
func (s *Store) addDisputeEventTx(ctx context.Context, tx *sqlx.Tx, rules petition.Rules, roles []string, stored storedDispute, e petition.DisputeEvent, w *registerWrites) (DisputeView, bool, error) {
	if n := len(stored.Events); n > 0 && sameDisputeEvent(stored.Events[n-1].Event, e) {
		return stored.DisputeView, false, nil
	}
	next, out, err := petition.ApplyDispute(stored.State, e, roles, rules.Location)
	if err != nil {
		return DisputeView{}, false, err
	}
	major := false
	if e.Type == petition.DisputeEventEscalated {
		if major, err = majorCase(ctx, tx, e.CaseNo); err != nil {
			return DisputeView{}, false, err
		}
	}
	timely := rules.Timely(e.At, s.now())
	id, seq := stored.id, len(stored.Events)+1
	redatedRisk := ""
	if out.Redated {
		redatedRisk = stored.State.Risk
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO dispute_events (dispute_id, seq, type, at, leader_role, handler_assigned,
resolve_by, risk, case_no, late, timely, reason, redated_risk, recorded_by) VALUES (`+marks(14)+`)`,
		id, seq, e.Type, e.At.Unix(), nullString(e.LeaderRole), e.HandlerAssigned, nullDay(e.ResolveBy), nullString(e.Risk),
		nullString(e.CaseNo), out.Late, timely, nullString(e.Reason), nullString(redatedRisk), nullString(recordedBy(ctx)))
	if err != nil {
		return DisputeView{}, false, fmt.Errorf("insert dispute event: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE disputes SET status = ?, risk = ?, leader_role = ?, handler_assigned = ?,
resolve_by = ?, last_inspected_at = ?, escalated_case = ?, last_event_at = ?, last_seq = ? WHERE id = ?`,
		next.Status, next.Risk, nullString(next.LeaderRole), next.HandlerAssigned, nullDay(next.ResolveBy),
		nullUnix(next.LastInspectedAt), nullString(next.CaseNo), next.LastEventAt.Unix(), seq, id)
	if err != nil {
		return DisputeView{}, false, fmt.Errorf("update dispute: %w", err)
	}
	if out.Escalated && stored.State.Risk == petition.RiskHigh {
		if err := caseBecameMajor(ctx, tx, s.dialect, e.CaseNo, e.At); err != nil {
			return DisputeView{}, false, err
		}
	}
	if out.Resolved || out.Escalated || out.Redated {
		d := stored.Found
		pages := out.Escalated && timely
		w.tally.add(tallyKey{[4]string{d.Unit, d.Category, stored.State.Risk}, shardOf(d.No)}, 0, b2i(out.Resolved), b2i(out.Resolved && out.Late),
			b2i(out.Escalated), b2i(pages), b2i(pages && major), b2i(out.Redated))
	}
	w.changed(stored.Found.Unit)
	view := stored.DisputeView
	view.State = next
	view.Events = append(slices.Clip(view.Events), DisputeEventView{Seq: seq, Event: e, Late: out.Late, RecordedBy: recordedBy(ctx)})
	return view, true, nil
}

// Dispute returns a dispute with its events.
func (s *Store) Dispute(ctx context.Context, no string) (DisputeView, error) {
	var view DisputeView
	err := s.inTxWith(ctx, &sql.TxOptions{ReadOnly: true}, func(tx *sqlx.Tx) error {
		stored, err := readDispute(ctx, tx, no, "")
		view = stored.DisputeView
		return err
	})
	if err != nil {
		return DisputeView{}, fmt.Errorf("dispute %s: %w", no, err)
	}
	return view, nil
}

// storedDispute is a dispute as read, with its row id.
type storedDispute struct {
	DisputeView
	id int64
}

type disputeRow struct {
	ID                   int64          `db:"id"`
	No                   string         `db:"dispute_no"`
	FoundAt              int64          `db:"found_at"`
	Unit                 string         `db:"unit"`
	Category             string         `db:"category"`
	FoundRisk            string         `db:"found_risk"`
	PersonsEstimate      int            `db:"persons_estimate"`
	FoundLeaderRole      sql.NullString `db:"found_leader_role"`
	FoundHandlerAssigned bool           `db:"found_handler_assigned"`
	FoundResolveBy       sql.NullInt32  `db:"found_resolve_by"`
	Source               string         `db:"source"`
	Matter               sql.NullString `db:"matter"`
	Potential            sql.NullString `db:"potential"`
	RecordedBy           sql.NullString `db:"recorded_by"`
	disputeStateRow
}

// disputeStateColumns are the columns of a disputeStateRow: where a dispute
// stands now.
const disputeStateColumns = "status, risk, leader_role, handler_assigned, resolve_by, last_inspected_at, escalated_case, last_event_at"

// disputeStateRow is the stored form of a petition.DisputeState.
type disputeStateRow struct {
	Status          string         `db:"status"`
	Risk            string         `db:"risk"`
	LeaderRole      sql.NullString `db:"leader_role"`
	HandlerAssigned bool           `db:"handler_assigned"`
	ResolveBy       sql.NullInt32  `db:"resolve_by"`
	LastInspectedAt sql.NullInt64  `db:"last_inspected_at"`
	EscalatedCase   sql.NullString `db:"escalated_case"`
	LastEventAt     int64          `db:"last_event_at"`
}

func (r disputeStateRow) state() petition.DisputeState {
	return petition.DisputeState{Status: r.Status, Risk: r.Risk, LeaderRole: r.LeaderRole.String,
		HandlerAssigned: r.HandlerAssigned, ResolveBy: calendar.Day(r.ResolveBy.Int32),
		LastInspectedAt: fromNullUnix(r.LastInspectedAt), LastEventAt: fromUnix(r.LastEventAt), CaseNo: r.EscalatedCase.String}
}

type disputeEventRow struct {
	Seq             int            `db:"seq"`
	Type            string         `db:"type"`
	At              int64          `db:"at"`
	LeaderRole      sql.NullString `db:"leader_role"`
	HandlerAssigned bool           `db:"handler_assigned"`
	ResolveBy       sql.NullInt32  `db:"resolve_by"`
	Risk            sql.NullString `db:"risk"`
	CaseNo          sql.NullString `db:"case_no"`
	Late            bool           `db:"late"`
	Reason          sql.NullString `db:"reason"`
	RecordedBy      sql.NullString `db:"recorded_by"`
}

// readDispute reads a dispute and its events, the dispute's row locked when
// lock is the dialect's FOR UPDATE.
func readDispute(ctx context.Context, tx *sqlx.Tx, no, lock string) (storedDispute, error) {
	var row disputeRow
	err := tx.GetContext(ctx, &row, `SELECT id, dispute_no, found_at, unit, category, found_risk, persons_estimate,
found_leader_role, found_handler_assigned, found_resolve_by, source, matter, potential, recorded_by, `+disputeStateColumns+`
FROM disputes WHERE dispute_no = ?`+lock, no)
	if errors.Is(err, sql.ErrNoRows) {
		return storedDispute{}, ErrNotFound
	}
	if err != nil {
		return storedDispute{}, fmt.Errorf("read dispute: %w", err)
	}
	out := storedDispute{id: row.ID, DisputeView: DisputeView{
		Found: petition.Dispute{No: row.No, FoundAt: fromUnix(row.FoundAt), Unit: row.Unit, Category: row.Category,
			Risk: row.FoundRisk, PersonsEstimate: row.PersonsEstimate, LeaderRole: row.FoundLeaderRole.String,
			HandlerAssigned: row.FoundHandlerAssigned, ResolveBy: calendar.Day(row.FoundResolveBy.Int32), Source: row.Source,
			Matter: row.Matter.String, Potential: row.Potential.String},
		State:      row.state(),
		RecordedBy: row.RecordedBy.String,
	}}
	var events []disputeEventRow
	if err := tx.SelectContext(ctx, &events, `SELECT seq, type, at, leader_role, handler_assigned, resolve_by, risk, case_no, late, reason, recorded_by
FROM dispute_events WHERE dispute_id = ? ORDER BY seq`, row.ID); err != nil {
		return storedDispute{}, fmt.Errorf("read dispute events: %w", err)
	}
	for _, e := range events {
		out.Events = append(out.Events, DisputeEventView{Seq: e.Seq, Late: e.Late, RecordedBy: e.RecordedBy.String, Event: petition.DisputeEvent{
			Type: e.Type, At: fromUnix(e.At), LeaderRole: e.LeaderRole.String, HandlerAssigned: e.HandlerAssigned,
			ResolveBy: calendar.Day(e.ResolveBy.Int32), Risk: e.Risk.String, CaseNo: e.CaseNo.String, Reason: e.Reason.String}})
	}
	return out, nil
}

// sameDispute compares disputes by value; times by instant.
func sameDispute(a, b petition.Dispute) bool {
	same := a.FoundAt.Equal(b.FoundAt)
	a.FoundAt, b.FoundAt = time.Time{}, time.Time{}
	return same && a == b
}

// sameDisputeEvent compares events by value; times by instant.
func sameDisputeEvent(a, b petition.DisputeEvent) bool {
	same := a.At.Equal(b.At)
	a.At, b.At = time.Time{}, time.Time{}
	return same && a == b
}

// majorCase reads whether the case a dispute escalated into exists and is
// collective or lodged above the county (skip-level), in tx.
func majorCase(ctx context.Context, tx *sqlx.Tx, caseNo string) (bool, error) {
	var c struct {
		Collective bool `db:"collective"`
		SkipLevel  bool `db:"skip_level"`
	}
	err := tx.GetContext(ctx, &c, "SELECT collective, skip_level FROM cases WHERE case_no = ?", caseNo)
	if errors.Is(err, sql.ErrNoRows) {
		return false, &FieldError{Field: "case_no", Problem: fmt.Sprintf("case %q does not exist", caseNo), Kind: ErrUnknownRef}
	}
	if err != nil {
		return false, fmt.Errorf("look up case: %w", err)
	}
	return c.Collective || c.SkipLevel, nil
}

// caseBecameMajor makes the case a high-risk dispute escalated into a major
// matter from at, in tx: the register saw the risk, and the petition is
// reported upward like any major matter (art. 25).
func caseBecameMajor(ctx context.Context, tx *sqlx.Tx, d dialect, caseNo string, at time.Time) error {
	var row matterStateRow
	if err := tx.GetContext(ctx, &row, selectState+d.forUpdate, caseNo); err != nil {
		return fmt.Errorf("read the escalated case: %w", err)
	}
	st := row.state()
	if st.Major {
		return nil
	}
	return updateStates(ctx, tx, d, []stateUpdate{{row.ID, row.LastSeq, row.Category, st, st.BecameMajor(at)}})
}

// knownIn reads whether a unit and a category exist, in tx.
func knownIn(ctx context.Context, tx *sqlx.Tx, d petition.Dispute) (Known, error) {
	return knownRefs(ctx, tx, d.Unit, d.Category, d.Matter)
}

// knownRefs reads, in tx, whether the unit, the category and the matter (if
// not "") exist: what a dispute or a matter names, one row each, not the
// whole reference lists of knownOf.
func knownRefs(ctx context.Context, tx *sqlx.Tx, unit, category, matter string) (Known, error) {
	units, err := refExists(ctx, tx, "units", unit)
	if err != nil {
		return Known{}, err
	}
	cats, err := refExists(ctx, tx, "categories", category)
	if err != nil {
		return Known{}, err
	}
	matters := matter == ""
	if !matters {
		if matters, err = refExists(ctx, tx, "matters", matter); err != nil {
			return Known{}, err
		}
	}
	return Known{Units: map[string]bool{unit: units}, Categories: map[string]bool{category: cats},
		Matters: map[string]bool{matter: matters}}, nil
}

// checkUnit refuses a unit that does not exist as the field unit's
// ErrUnknownRef: what a unit's report or screening names.
func checkUnit(ctx context.Context, tx *sqlx.Tx, unit string) error {
	ok, err := refExists(ctx, tx, "units", unit)
	if err != nil {
		return err
	}
	return fieldErrors(Known{}.check(nil, "unit", unit, map[string]bool{unit: ok}), ErrUnknownRef)
}

// refExists reads whether the reference table (units or categories) holds
// code, in tx.
func refExists(ctx context.Context, tx *sqlx.Tx, table, code string) (bool, error) {
	var n int
	if err := tx.GetContext(ctx, &n, "SELECT COUNT(*) FROM "+table+" WHERE code = ?", code); err != nil {
		return false, fmt.Errorf("check %s: %w", table, err)
	}
	return n > 0, nil
}

// nullDay stores a date, none as NULL.
func nullDay(d calendar.Day) sql.NullInt32 { return sql.NullInt32{Int32: int32(d), Valid: d != 0} }
