package store

import (
	"context"
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
// limit is before today (a NULL resolve_by is never overdue). No
// inspection: none, or the latest at or before now minus the interval.
const openDisputesQuery = `SELECT unit, category, risk, COUNT(*) AS open,
SUM(CASE WHEN resolve_by < ? THEN 1 ELSE 0 END) AS overdue,
SUM(persons_estimate) AS persons,
SUM(CASE WHEN leader_role IS NULL THEN 1 ELSE 0 END) AS no_leader,
SUM(CASE WHEN handler_assigned = 0 THEN 1 ELSE 0 END) AS no_handler,
SUM(CASE WHEN resolve_by IS NULL THEN 1 ELSE 0 END) AS no_deadline,
SUM(CASE WHEN last_inspected_at IS NULL OR last_inspected_at <= ? THEN 1 ELSE 0 END) AS no_inspection
FROM disputes WHERE status = 'open' GROUP BY status, unit, category, risk`

// OpenDisputes returns the open disputes at now by unit, category and risk;
// loc gives today's date, inspectEvery how long an inspection counts.
func (r *Reader) OpenDisputes(ctx context.Context, now time.Time, loc *time.Location, inspectEvery time.Duration) ([]OpenDisputeCount, error) {
	// an inspection at whole second s counts while now < s + inspectEvery
	return selectAll[OpenDisputeCount](ctx, r.tx, "open disputes", openDisputesQuery,
		int32(calendar.DayOf(now, loc)), now.Add(-inspectEvery).Unix())
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
}

// DisputeCounts returns the register's all-time counters.
func (r *Reader) DisputeCounts(ctx context.Context) ([]DisputeCount, error) {
	return selectAll[DisputeCount](ctx, r.tx, "dispute counts", disputeTally.sumQuery())
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
