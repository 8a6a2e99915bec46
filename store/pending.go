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

// AssignedOpen is an assignment (交办) not yet reported done, by current unit.
type AssignedOpen struct {
	Unit string `db:"unit"`
	Due  int32  `db:"assigned_due"`
}

// Open assignments are few: idx_cases_assigned holds them apart.
const assignedQuery = `SELECT unit, assigned_due FROM cases WHERE assigned_due IS NOT NULL`

// Assigned returns the open assignments (2022 Reg. art. 22(三)); the
// collector tells which are past their date (petition.State.AssignmentOverdue).
func (r *Reader) Assigned(ctx context.Context) ([]AssignedOpen, error) {
	return selectAll[AssignedOpen](ctx, r.tx, "open assignments", assignedQuery)
}
