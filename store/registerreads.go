package store

import (
	"context"
	"fmt"
	"time"

	"riskmon/calendar"
)

// The collector's reads of the dispute register and the daily reports.

// OpenDisputeCount counts the open disputes of a unit, category and current
// risk, and how many of them miss each of the four haves.
type OpenDisputeCount struct {
	Unit         string `db:"unit"`
	Category     string `db:"category"`
	Risk         string `db:"risk"`
	Open         int64  `db:"open"`
	Overdue      int64  `db:"overdue"`
	Persons      int64  `db:"persons"`
	NoLeader     int64  `db:"no_leader"`
	NoHandler    int64  `db:"no_handler"`
	NoDeadline   int64  `db:"no_deadline"`
	NoInspection int64  `db:"no_inspection"`
}

// openDisputesQuery is petition.DisputeState's Overdue and Missing in SQL,
// over idx_disputes_open_state read in order, never leaving the index (migration 15). Overdue: the last day of the time
// limit is before today (a NULL resolve_by is never overdue). No leader:
// none, or for a high-risk dispute none of the county-level roles (the
// list is spliced in: IN with one mark a role). No inspection: none, or
// the latest at or before now minus the interval.
const openDisputesQuery = `SELECT unit, category, risk, COUNT(*) AS open,
SUM(CASE WHEN resolve_by < ? THEN 1 ELSE 0 END) AS overdue,
SUM(persons_estimate) AS persons,
SUM(CASE WHEN leader_role IS NULL OR (risk = 'high' AND leader_role NOT IN (%s)) THEN 1 ELSE 0 END) AS no_leader,
SUM(CASE WHEN handler_assigned = 0 THEN 1 ELSE 0 END) AS no_handler,
SUM(CASE WHEN resolve_by IS NULL THEN 1 ELSE 0 END) AS no_deadline,
SUM(CASE WHEN last_inspected_at IS NULL OR last_inspected_at <= ? THEN 1 ELSE 0 END) AS no_inspection
FROM disputes WHERE status = 'open' GROUP BY status, unit, category, risk`

// OpenDisputes returns the open disputes at now by unit, category and risk;
// loc gives today's date, inspectEvery how long an inspection counts,
// countyRoles the leader roles a high-risk dispute needs (at least one).
func (r *Reader) OpenDisputes(ctx context.Context, now time.Time, loc *time.Location, inspectEvery time.Duration, countyRoles []string) ([]OpenDisputeCount, error) {
	if len(countyRoles) == 0 {
		countyRoles = []string{""} // no role is empty; IN () is no SQL
	}
	args := []any{int32(calendar.DayOf(now, loc))}
	for _, role := range countyRoles {
		args = append(args, role)
	}
	// an inspection at whole second s counts while now < s + inspectEvery
	args = append(args, now.Add(-inspectEvery).Unix())
	return selectAll[OpenDisputeCount](ctx, r.tx, "open disputes", fmt.Sprintf(openDisputesQuery, marks(len(countyRoles))), args...)
}

// overdueEarlierQuery counts, by unit, the disputes not overdue now that
// were overdue at some moment since a start: with an event since then that
// came after the limit in force (dispute_events.late: resolved late,
// re-dated once overdue, ...), through idx_dispute_events_late: the
// period's events, not the register's history. The ones overdue now are
// OpenDisputes' to count. The disputes are looked up once each, not once a
// late event (IN, a semi-join): at 100k disputes whose events all fell in
// the month, 15 ms against 26 ms for a join and COUNT(DISTINCT).
const overdueEarlierQuery = `SELECT d.unit, COUNT(*) AS overdue FROM disputes d
WHERE d.id IN (SELECT e.dispute_id FROM dispute_events e WHERE e.late = 1 AND e.at >= ?)
AND NOT (d.status = 'open' AND d.resolve_by IS NOT NULL AND d.resolve_by < ?)
GROUP BY d.unit`

// UnitOverdue is a count of disputes of a unit.
type UnitOverdue struct {
	Unit    string `db:"unit"`
	Overdue int64  `db:"overdue"`
}

// DisputesOverdueEarlier returns, by unit, the disputes that are not
// overdue at now (loc gives today's date) but were at some moment since
// start: with OpenDisputes' overdue ones, the disputes overdue in the
// period, so that moving a time limit later does not take a dispute out of
// the month it was overdue in.
func (r *Reader) DisputesOverdueEarlier(ctx context.Context, now time.Time, loc *time.Location, start time.Time) ([]UnitOverdue, error) {
	return selectAll[UnitOverdue](ctx, r.tx, "disputes overdue earlier", overdueEarlierQuery,
		secondAtOrAfter(start), int32(calendar.DayOf(now, loc)))
}

// PotentialCount counts a unit's open disputes that could become one thing.
type PotentialCount struct {
	Unit      string `db:"unit"`
	Potential string `db:"potential"`
	Open      int64  `db:"open"`
}

// OpenPotentials returns the open disputes by unit and what they could
// become, those registered without it left out, through
// idx_disputes_potential.
func (r *Reader) OpenPotentials(ctx context.Context) ([]PotentialCount, error) {
	return selectAll[PotentialCount](ctx, r.tx, "open disputes by potential", `SELECT unit, potential, COUNT(*) AS open
FROM disputes WHERE status = 'open' AND potential IS NOT NULL GROUP BY status, potential, unit`)
}

// DisputeCount is one row of the register's all-time counters.
type DisputeCount struct {
	Unit                 string `db:"unit"`
	Category             string `db:"category"`
	Risk                 string `db:"risk"`
	Found                int64  `db:"found"`
	Resolved             int64  `db:"resolved"`
	ResolvedLate         int64  `db:"resolved_late"`
	Escalated            int64  `db:"escalated"`
	EscalatedTimely      int64  `db:"escalated_timely"`
	EscalatedMajorTimely int64  `db:"escalated_major_timely"`
	Redated              int64  `db:"redated"`
}

// ReportDays is a unit's latest reported date and whether it reported on
// the given day.
type ReportDays struct {
	Unit     string `db:"unit"`
	Latest   int32  `db:"latest"`
	Reported bool   `db:"reported"`
}

// A county has tens of units and a report a unit a day: the table is small
// enough to read whole, in primary-key order.
const reportDaysQuery = `SELECT unit, MAX(day) AS latest, MAX(CASE WHEN day = ? THEN 1 ELSE 0 END) AS reported
FROM unit_reports GROUP BY unit`

// ReportDays returns, for every unit that ever reported, its latest reported
// date and whether it reported for day.
func (r *Reader) ReportDays(ctx context.Context, day calendar.Day) ([]ReportDays, error) {
	return selectAll[ReportDays](ctx, r.tx, "report days", reportDaysQuery, int32(day))
}
