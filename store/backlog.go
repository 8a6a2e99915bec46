package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// stateTallies count where cases stand now, not what happened to them: the
// open cases by deadline and in all (backlogTally), and the supervised ones
// (supervisionTally). A case's place moves with every change of its stored
// state (updateStates), so that a refresh reads these instead of the open
// cases.
type stateTallies struct{ backlog, supervision *tallyAdds }

func newStateTallies() stateTallies {
	return stateTallies{backlogTally.adds(), supervisionTally.adds()}
}

// tables are the state tallies in the order every writer writes them.
func (t stateTallies) tables() []*tallyAdds { return []*tallyAdds{t.backlog, t.supervision} }

// count adds n (1 or -1) for a case of category in state st. A closed case
// has no place in any of them.
func (t stateTallies) count(category string, st petition.State, n int) {
	if stage := st.Stage(); stage != "" {
		var deadline int64 // no clock: never overdue nor due
		if !st.Deadline.IsZero() {
			deadline = st.Deadline.Unix()
		}
		t.backlog.add(tallyKey{[4]string{st.Unit, category, stage}, int(deadline)}, n)
		t.backlog.add(tallyKey{[4]string{st.Unit, category, stage}, allOpen}, n)
	}
	t.countSupervised(st, n)
}

// move moves a case of category from its places at state from to its
// places at state to.
func (t stateTallies) move(category string, from, to petition.State) {
	t.count(category, from, -1)
	t.count(category, to, 1)
}

// write writes the tallies of changed states, then moves on the versions
// of the keys whose rows of backlog_tally moved (KeptBacklog).
func (t stateTallies) write(ctx context.Context, ex sqlx.ExecerContext, d dialect) error {
	if err := writeTallies(ctx, ex, d, t.tables()); err != nil {
		return err
	}
	return bumpBacklog(ctx, ex, d, t.movedKeys())
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
// are those at or before its Unix().

// backlogFactsQuery counts the backlog from the cases: the reference.
// GROUP BY follows idx_cases_open so the index is read in order, with no
// temporary table; it reads every open case.
const backlogFactsQuery = `SELECT unit, category, stage, COUNT(*) AS open,
SUM(CASE WHEN stage_deadline < ? THEN 1 ELSE 0 END) AS overdue,
SUM(CASE WHEN stage_deadline >= ? AND stage_deadline <= ? THEN 1 ELSE 0 END) AS due_soon,
MIN(CASE WHEN stage_deadline < ? THEN stage_deadline END) AS oldest
FROM cases WHERE stage IS NOT NULL GROUP BY stage, unit, category`

// From the tallies, the open cases of each unit, category and stage (the
// rows of allOpen, through idx_backlog_tally_due), and the first deadline
// among them (a seek of backlog_tally's key for each: MariaDB reads a group
// whole for a MIN in a correlated subquery, and stops at the first row for
// an ORDER BY with LIMIT 1); the overdue are those less the ones without a
// clock and the ones due from now on: the deadlines ahead are at most a
// stage's length away (arts. 22, 34-36), and the table holds the open
// cases' deadline days, so no read walks the past, however long the
// archive. idx_backlog_tally_due leaves the count out (migration 36): a
// write to a count leaves the index alone, and the counts are looked up by
// the key.
var (
	// backlogFirstDeadline is the first deadline of an open case of the key
	// whose allOpen row is o; NULL when none of them has a clock
	backlogFirstDeadline = `(SELECT b.deadline FROM backlog_tally b WHERE b.unit = o.unit AND b.category = o.category AND b.stage = o.stage
AND b.deadline > 0 AND b.cases > 0 ORDER BY b.deadline LIMIT 1)`
	backlogOpenQuery = `SELECT o.unit, o.category, o.stage, o.cases AS open, ` + backlogFirstDeadline + ` AS oldest
FROM backlog_tally o WHERE o.deadline = ` + allOpenSQL + ` AND o.cases > 0`
	backlogAheadQuery = `SELECT unit, category, stage, SUM(cases) AS not_overdue,
SUM(CASE WHEN deadline >= ? AND deadline <= ? THEN cases ELSE 0 END) AS due_soon
FROM backlog_tally WHERE deadline = 0 OR deadline >= ? GROUP BY unit, category, stage`
)

// Backlog returns the open cases by current unit, category and stage at now.
func (r *Reader) Backlog(ctx context.Context, now time.Time, horizon time.Duration) ([]BacklogCount, error) {
	p := secondAtOrAfter(now)
	if r.facts {
		return selectAll[BacklogCount](ctx, r.tx, "backlog", backlogFactsQuery, p, p, now.Add(horizon).Unix(), p)
	}
	open, err := selectAll[BacklogCount](ctx, r.tx, "backlog", backlogOpenQuery)
	if err != nil {
		return nil, err
	}
	type ahead struct {
		Unit       string `db:"unit"`
		Category   string `db:"category"`
		Stage      string `db:"stage"`
		NotOverdue int64  `db:"not_overdue"`
		DueSoon    int64  `db:"due_soon"`
	}
	byKey, err := selectMap(ctx, r.tx, "backlog", func(a ahead) ([3]string, ahead) { return [3]string{a.Unit, a.Category, a.Stage}, a },
		backlogAheadQuery, p, now.Add(horizon).Unix(), p)
	if err != nil {
		return nil, err
	}
	for i := range open {
		b := &open[i]
		a := byKey[[3]string{b.Unit, b.Category, b.Stage}]
		b.Overdue, b.DueSoon = b.Open-a.NotOverdue, a.DueSoon
		if b.Oldest.Valid && b.Oldest.Int64 >= p {
			b.Oldest = sql.NullInt64{} // the first deadline has not passed
		}
		if b.Overdue < 0 {
			return nil, fmt.Errorf("backlog: %s/%s/%s: %d open, %d not overdue: the tallies disagree (riskmon recount repairs them)",
				b.Unit, b.Category, b.Stage, b.Open, a.NotOverdue)
		}
	}
	slices.SortFunc(open, func(a, b BacklogCount) int {
		return cmp.Or(cmp.Compare(a.Stage, b.Stage), cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Category, b.Category))
	})
	return open, nil
}
