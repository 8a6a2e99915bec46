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

// SupervisionCount counts the cases a level supervises in their current
// unit: those open in a stage, of them those past the stage's deadline, and
// those whose organ has not answered in writing (art. 40 ¶4).
type SupervisionCount struct {
	Unit       string `db:"unit"`
	Level      string `db:"level"`
	Open       int64  `db:"open"`
	Overdue    int64  `db:"overdue"`
	Unanswered int64  `db:"unanswered"`
}

// Overdue as in the backlog: the deadline has passed; a closed case owes no
// answer. From the facts, every supervised case the archive holds is in
// idx_cases_supervision's range; from the tally, a row a unit, level and
// deadline of the cases not closed, read once for the three counts (two
// reads of it, one for the answers, were a tenth of a refresh at ten
// million cases).
const (
	supervisionFactsQuery = `SELECT unit, supervision AS level,
SUM(CASE WHEN stage IS NOT NULL THEN 1 ELSE 0 END) AS open,
SUM(CASE WHEN stage IS NOT NULL AND stage_deadline < ? THEN 1 ELSE 0 END) AS overdue,
SUM(CASE WHEN supervision_answered = 0 AND status <> 'closed' THEN 1 ELSE 0 END) AS unanswered
FROM cases WHERE supervision IS NOT NULL GROUP BY supervision, unit
HAVING SUM(CASE WHEN stage IS NOT NULL THEN 1 ELSE 0 END) > 0
OR SUM(CASE WHEN supervision_answered = 0 AND status <> 'closed' THEN 1 ELSE 0 END) > 0`
	supervisionQuery = `SELECT unit, level, SUM(open) AS open,
SUM(CASE WHEN deadline > 0 AND deadline < ? THEN open ELSE 0 END) AS overdue, SUM(unanswered) AS unanswered
FROM supervision_tally GROUP BY unit, level HAVING SUM(open) > 0 OR SUM(unanswered) > 0`
)

// Supervision returns the supervised cases by current unit and level at now.
func (r *Reader) Supervision(ctx context.Context, now time.Time) ([]SupervisionCount, error) {
	q := supervisionQuery
	if r.facts {
		q = supervisionFactsQuery
	}
	return selectAll[SupervisionCount](ctx, r.tx, "supervised cases", q, secondAtOrAfter(now))
}
