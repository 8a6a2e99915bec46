package store

import (
	"context"
	"strconv"
	"time"

	"riskmon/petition"
)

// countSupervised adds n (1 or -1) to the supervision tally for st: a case
// a level supervises, not closed, counts as open while in a stage and as
// unanswered until its organ answers in writing (2022 Reg. art. 40 ¶4).
func (t stateTallies) countSupervised(st petition.State, n int) {
	if st.Supervision == "" || st.Status == petition.StatusClosed {
		return
	}
	open, unanswered := b2i(st.Stage() != ""), b2i(!st.SupervisionAnswered)
	if open+unanswered == 0 {
		return
	}
	deadline := int64(noStage)
	if open == 1 {
		deadline = 0 // a stage without a clock
		if !st.Deadline.IsZero() {
			deadline = st.Deadline.Unix()
		}
	}
	t.supervision.add(tallyKey{[4]string{st.Unit, st.Supervision}, int(deadline)}, n*open, n*unanswered)
}

// noStage is the deadline under which supervisionTally counts the cases not
// in a stage.
const noStage = -1

var noStageSQL = strconv.Itoa(noStage)

// SupervisedCount counts the open cases a level supervises in a unit.
type SupervisedCount struct {
	Unit    string `db:"unit"`
	Level   string `db:"level"`
	Open    int64  `db:"open"`
	Overdue int64  `db:"overdue"`
}

// Overdue as in the backlog: the deadline has passed. From the facts, every
// supervised case the archive holds is in idx_cases_supervision's range;
// from the tally, a row a unit, level and deadline of the cases not closed.
const (
	supervisedFactsQuery = `SELECT unit, supervision AS level, COUNT(*) AS open,
SUM(CASE WHEN stage_deadline < ? THEN 1 ELSE 0 END) AS overdue
FROM cases WHERE supervision IS NOT NULL AND stage IS NOT NULL GROUP BY supervision, unit`
	supervisedQuery = `SELECT unit, level, SUM(open) AS open,
SUM(CASE WHEN deadline > 0 AND deadline < ? THEN open ELSE 0 END) AS overdue
FROM supervision_tally GROUP BY unit, level HAVING SUM(open) > 0`
)

// Supervised returns the open supervised cases by current unit and level at now.
func (r *Reader) Supervised(ctx context.Context, now time.Time) ([]SupervisedCount, error) {
	q := supervisedQuery
	if r.facts {
		q = supervisedFactsQuery
	}
	return selectAll[SupervisedCount](ctx, r.tx, "supervised cases", q, secondAtOrAfter(now))
}

// UnansweredCount counts the cases a level supervises whose organ has not
// answered in writing (art. 40 ¶4), by current unit.
type UnansweredCount struct {
	Unit       string `db:"unit"`
	Level      string `db:"level"`
	Unanswered int64  `db:"unanswered"`
}

// A closed case owes no answer.
const (
	unansweredFactsQuery = `SELECT unit, supervision AS level, COUNT(*) AS unanswered FROM cases
WHERE supervision_answered = 0 AND supervision IS NOT NULL AND status <> 'closed' GROUP BY supervision, unit`
	unansweredQuery = `SELECT unit, level, SUM(unanswered) AS unanswered FROM supervision_tally
GROUP BY unit, level HAVING SUM(unanswered) > 0`
)

// SupervisionUnanswered returns the supervised cases not yet answered, by
// current unit and level.
func (r *Reader) SupervisionUnanswered(ctx context.Context) ([]UnansweredCount, error) {
	q := unansweredQuery
	if r.facts {
		q = unansweredFactsQuery
	}
	return selectAll[UnansweredCount](ctx, r.tx, "unanswered supervision", q)
}
