package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// importBatch is how many cases one import transaction holds on the
// incremental path.
const importBatch = 500

// maxInList is the most values a query's IN list takes. MariaDB turns a
// list of in_predicate_conversion_threshold (1,000) values or more into a
// join with a derived table, and for case_events it then scans the whole
// table: a re-import of a million cases took over ten minutes instead of
// one.
const maxInList = 500

// Stored says how a case of an import stands against the database.
type Stored struct {
	Exists   bool
	Conflict string // why the stored case cannot take the imported one; "" if it can
	Events   int    // events already stored (a prefix of the imported ones)
}

// Compare looks up the cases of an import that the database already holds:
// the same content with a prefix of the same events can be imported again
// (the rest of its events are added); anything else is a conflict.
func (s *Store) Compare(ctx context.Context, cases []LoadCase) ([]Stored, error) {
	cases = cutEach(cases, LoadCase.inSeconds)
	out := make([]Stored, len(cases))
	for start := 0; start < len(cases); start += maxInList {
		end := min(start+maxInList, len(cases))
		nos := make([]string, 0, end-start)
		at := map[string][]int{}
		for i := start; i < end; i++ {
			no := cases[i].Case.CaseNo
			nos = append(nos, no)
			at[no] = append(at[no], i)
		}
		q, args, err := sqlx.In(selectCaseContentIn, nos)
		if err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		var rows []storedRow
		if err := s.db.SelectContext(ctx, &rows, q, args...); err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		events, err := s.eventsOf(ctx, rows)
		if err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		for _, row := range rows {
			for _, i := range at[row.CaseNo] {
				out[i] = compareStored(row.caseRow, events[row.ID], cases[i])
			}
		}
	}
	return out, nil
}

// eventsOf reads the events of many cases in one query, by case id.
func (s *Store) eventsOf(ctx context.Context, rows []storedRow) (map[int64][]eventRow, error) {
	out := map[int64][]eventRow{}
	var ids []int64
	for _, r := range rows {
		if r.LastSeq > 0 {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In("SELECT "+eventColumns+" FROM case_events WHERE case_id IN (?) ORDER BY case_id, seq", ids)
	if err != nil {
		return nil, err
	}
	var evs []eventRow
	if err := s.db.SelectContext(ctx, &evs, q, args...); err != nil {
		return nil, err
	}
	for _, e := range evs {
		out[e.CaseID] = append(out[e.CaseID], e)
	}
	return out, nil
}

// storedRow is a stored case's content and how many events it has.
type storedRow struct {
	caseRow
	LastSeq int `db:"last_seq"`
}

const selectCaseContentIn = "SELECT id, " + caseContentColumns + ", last_seq FROM cases WHERE case_no IN (?)"

func compareStored(row caseRow, stored []eventRow, lc LoadCase) Stored {
	c := lc.Case
	st := Stored{Exists: true, Events: len(stored)}
	if !row.same(c) {
		st.Conflict = "the stored case has other content"
		return st
	}
	if len(stored) > len(lc.Events) {
		st.Conflict = fmt.Sprintf("the stored case has %d events, the file %d", len(stored), len(lc.Events))
		return st
	}
	for i, e := range stored {
		if !sameEvent(e.event(), lc.Events[i]) {
			st.Conflict = fmt.Sprintf("stored event %d (%s) differs from the file's", i+1, e.Type)
			return st
		}
	}
	return st
}

// Import writes validated cases with their events, read from src in
// received order. Into a database without cases it bulk-loads (Load);
// otherwise it adds, in transactions of importBatch cases, each case that
// is new and each event beyond those stored, so importing the same file
// twice changes nothing. progress, if set, hears how many cases are done.
// After an interrupted bulk load it adds what is missing and then counts
// the tallies from the facts (Recount), holding the writers' gate exclusive
// throughout; otherwise it holds it shared, beside the service.
func (s *Store) Import(ctx context.Context, r petition.Rules, src CaseSource, progress func(done int)) error {
	var n int
	if err := s.db.GetContext(ctx, &n, "SELECT COUNT(*) FROM cases"); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	src = sourceInSeconds(src)
	if n == 0 {
		return s.load(ctx, r, src, progress)
	}
	interrupted, err := s.LoadInterrupted(ctx)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	gate, err := s.HoldWriters(ctx, interrupted)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer gate.Release()
	if interrupted {
		// the lookups of the import below need the indexes the load set aside
		if err := s.restoreIndexes(ctx); err != nil {
			return fmt.Errorf("import: finish the interrupted load: %w", err)
		}
	}
	if err := s.importIncremental(ctx, r, src, progress); err != nil {
		return err
	}
	if !interrupted {
		return nil
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error { return recountTx(ctx, tx, s.dialect, r.Location) })
	if err != nil {
		return fmt.Errorf("import: finish the interrupted load: %w", err)
	}
	return nil
}

func (s *Store) importIncremental(ctx context.Context, r petition.Rules, src CaseSource, progress func(done int)) error {
	for done := 0; ; {
		batch, err := src(ctx)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		if len(batch) == 0 {
			return nil
		}
		for start := 0; start < len(batch); start += importBatch {
			part := batch[start:min(start+importBatch, len(batch))]
			err := s.inTx(ctx, func(tx *sqlx.Tx) error { return s.importCases(ctx, tx, r, part) })
			if err != nil {
				return fmt.Errorf("import cases %d to %d: %w", done+1, done+len(part), err)
			}
			done += len(part)
			if progress != nil {
				progress(done)
			}
		}
	}
}

// importCases creates the new cases of a batch together, then adds to each
// case the events beyond those stored.
func (s *Store) importCases(ctx context.Context, tx *sqlx.Tx, r petition.Rules, cases []LoadCase) error {
	ws := make([]caseWrite, len(cases))
	for i, lc := range cases {
		ws[i] = caseWrite{r: r, c: lc.Case}
	}
	res, err := s.createCases(ctx, tx, ws)
	if err != nil {
		return err
	}
	for i, lc := range cases {
		if res[i].err != nil {
			return fmt.Errorf("case %s: %w", lc.Case.CaseNo, res[i].err)
		}
	}
	return s.importEvents(ctx, tx, r, cases)
}

// caseProgress is where a case's history stands during an import.
type caseProgress struct {
	id       int64
	seq      int
	category string
	stored   petition.State // as read
	st       petition.State
	changed  bool
}

// importEvents adds to each case the events beyond those stored: the cases'
// states read (and locked) at once, the events written in multi-row inserts,
// each case's new state once, the tallies in a statement a table. A case
// number the batch holds twice goes on from where the first left it.
func (s *Store) importEvents(ctx context.Context, tx *sqlx.Tx, r petition.Rules, cases []LoadCase) error {
	nos := make([]string, len(cases))
	for i, lc := range cases {
		nos[i] = lc.Case.CaseNo
	}
	q, args, err := sqlx.In("SELECT case_no, "+stateReadColumns+" FROM cases WHERE case_no IN (?)"+s.dialect.forUpdate, nos)
	if err != nil {
		return fmt.Errorf("read states: %w", err)
	}
	var rows []struct {
		matterStateRow
		CaseNo string `db:"case_no"`
	}
	if err := tx.SelectContext(ctx, &rows, q, args...); err != nil {
		return fmt.Errorf("read states: %w", err)
	}
	cur := make(map[string]*caseProgress, len(rows))
	for _, row := range rows {
		st := row.state()
		cur[row.CaseNo] = &caseProgress{id: row.ID, seq: row.LastSeq, category: row.Category, stored: st, st: st}
	}
	sink := newEventSink(tx, newEventTallies(r.Location))
	var changed []*caseProgress
	for _, lc := range cases {
		p := cur[lc.Case.CaseNo]
		if p == nil {
			return fmt.Errorf("case %s: %w", lc.Case.CaseNo, ErrNotFound)
		}
		if p.seq >= len(lc.Events) {
			continue
		}
		st, err := applyFrom(r, lc, p.st, p.seq, func(seq int, e petition.Event, unit string, out petition.Outcome) {
			sink.record(r, p.id, lc.Case.Category, seq, unit, e, out, "")
		})
		if err != nil {
			return err
		}
		p.st, p.seq = st, len(lc.Events)
		if !p.changed {
			p.changed = true
			changed = append(changed, p)
		}
		if err := sink.flushIfFull(ctx); err != nil {
			return err
		}
	}
	if err := sink.flush(ctx); err != nil {
		return err
	}
	ups := make([]stateUpdate, len(changed))
	for i, p := range changed {
		ups[i] = stateUpdate{p.id, p.seq, p.category, p.stored, p.st}
	}
	if err := updateStates(ctx, tx, s.dialect, ups); err != nil {
		return err
	}
	return sink.write(ctx, tx, s.dialect)
}

// Empty reports whether the database holds no cases.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var one []int
	if err := s.db.SelectContext(ctx, &one, "SELECT 1 FROM cases LIMIT 1"); err != nil {
		return false, fmt.Errorf("look up cases: %w", err)
	}
	return len(one) == 0, nil
}

// Exists reports which of the case numbers are stored.
func (s *Store) Exists(ctx context.Context, caseNos []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(caseNos); start += maxInList {
		q, args, err := sqlx.In("SELECT case_no FROM cases WHERE case_no IN (?)", caseNos[start:min(start+maxInList, len(caseNos))])
		if err != nil {
			return nil, fmt.Errorf("look up cases: %w", err)
		}
		var found []string
		if err := s.db.SelectContext(ctx, &found, q, args...); err != nil {
			return nil, fmt.Errorf("look up cases: %w", err)
		}
		for _, no := range found {
			out[no] = true
		}
	}
	return out, nil
}
