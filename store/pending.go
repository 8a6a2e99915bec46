package store

// The reads of matters that wait on a unit: major matters for their report
// upward, assignments for their completion report. Each is kept apart from
// the archive by an index, so it costs the matters waiting.

import (
	"context"
	"time"
)

// MajorPending is a major matter not yet reported to the county leadership
// (petition.State.MajorUnreported), with when it became major.
type MajorPending struct {
	Unit       string `db:"unit"`
	MajorSince int64  `db:"major_since"`
}

// Since is when the matter became major.
func (m MajorPending) Since() time.Time { return fromUnix(m.MajorSince) }

// Only major matters registered in time count: history loaded later pages
// nobody. idx_cases_major_unreported holds them apart from the archive, so
// the read costs the number of matters waiting, not the number of cases.
const majorPendingQuery = `SELECT unit, major_since FROM cases WHERE major_unreported = 1 AND timely = 1`

// MajorUnreported returns the timely major matters the county leadership
// has not had reported to it, by current unit; the collector tells which
// are past their limit (petition.Rules.ReportUpDeadline), since the limit
// depends on the sensitive period in force when each became major.
func (r *Reader) MajorUnreported(ctx context.Context) ([]MajorPending, error) {
	return selectAll[MajorPending](ctx, r.tx, "unreported major matters", majorPendingQuery)
}

// AssignedOpen counts the assignments (交办) not yet reported done of a
// current unit due on one date.
type AssignedOpen struct {
	Unit  string `db:"unit"`
	Due   int32  `db:"assigned_due"`
	Cases int64  `db:"cases"`
}

// idx_cases_assigned holds the open assignments apart from the archive, in
// the order of the grouping: the read counts them by date and unit in the
// index, a row a date and unit (27,480 open assignments of the 10M county
// are 7,319 rows).
const (
	assignedSelect = "SELECT unit, assigned_due, COUNT(*) AS cases FROM cases WHERE assigned_due IS NOT NULL"
	assignedGroup  = " GROUP BY assigned_due, unit"
	assignedQuery  = assignedSelect + assignedGroup
)

// Assigned returns the open assignments (2022 Reg. art. 22(三)); the
// collector tells which are past their date (petition.State.AssignmentOverdue).
func (r *Reader) Assigned(ctx context.Context) ([]AssignedOpen, error) {
	return selectAll[AssignedOpen](ctx, r.tx, "open assignments", assignedQuery)
}
