package store

import (
	"context"
	"database/sql"
	"time"

	"riskmon/petition"
)

// countOpen adds n (1 or -1) to the backlog tally for st, the state of a
// case of category: its current unit, stage and deadline. A closed case has
// no place in it.
func (t *tallyAdds) countOpen(category string, st petition.State, n int) {
	stage := st.Stage()
	if stage == "" {
		return
	}
	var deadline int64 // no clock: never overdue nor due (backlogTally)
	if !st.Deadline.IsZero() {
		deadline = st.Deadline.Unix()
	}
	t.add(tallyKey{[4]string{st.Unit, category, stage}, int(deadline)}, n)
}

// moveOpen moves a case of category from its place in the backlog at state
// from to its place at state to.
func (t *tallyAdds) moveOpen(category string, from, to petition.State) {
	t.countOpen(category, from, -1)
	t.countOpen(category, to, 1)
}

// BacklogCount describes the open cases of a unit, category and stage.
type BacklogCount struct {
	Unit     string        `db:"unit"`
	Category string        `db:"category"`
	Stage    string        `db:"stage"`
	Open     int64         `db:"open"`
	Overdue  int64         `db:"overdue"`
	DueSoon  int64         `db:"due_soon"`
	Oldest   sql.NullInt64 `db:"oldest"` // earliest passed deadline, Unix seconds
}

// A case is overdue when its deadline has passed (deadline <
// secondAtOrAfter(now)): at the deadline instant itself it is on time, and
// due soon; due soon up to the deadline now + horizon, whose whole seconds
// are those at or before its Unix(). The tally is read whole, in its key's
// order: a row a unit, category, stage and deadline day of the open cases,
// whatever the size of the archive.
const backlogQuery = `SELECT unit, category, stage, SUM(cases) AS open,
SUM(CASE WHEN deadline <> 0 AND deadline < ? THEN cases ELSE 0 END) AS overdue,
SUM(CASE WHEN deadline <> 0 AND deadline >= ? AND deadline <= ? THEN cases ELSE 0 END) AS due_soon,
MIN(CASE WHEN deadline <> 0 AND deadline < ? AND cases > 0 THEN deadline END) AS oldest
FROM backlog_tally GROUP BY unit, category, stage`

// backlogFactsQuery is backlogQuery counted from the cases: the reference.
// GROUP BY follows idx_cases_open so the index is read in order, with no
// temporary table; it reads every open case.
const backlogFactsQuery = `SELECT unit, category, stage, COUNT(*) AS open,
SUM(CASE WHEN stage_deadline < ? THEN 1 ELSE 0 END) AS overdue,
SUM(CASE WHEN stage_deadline >= ? AND stage_deadline <= ? THEN 1 ELSE 0 END) AS due_soon,
MIN(CASE WHEN stage_deadline < ? THEN stage_deadline END) AS oldest
FROM cases WHERE stage IS NOT NULL GROUP BY stage, unit, category`

// Backlog returns the open cases by current unit, category and stage at now.
func (r *Reader) Backlog(ctx context.Context, now time.Time, horizon time.Duration) ([]BacklogCount, error) {
	p := secondAtOrAfter(now)
	q := backlogQuery
	if r.facts {
		q = backlogFactsQuery
	}
	return selectAll[BacklogCount](ctx, r.tx, "backlog", q, p, p, now.Add(horizon).Unix(), p)
}
