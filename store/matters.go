package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/calendar"
	"riskmon/petition"
)

// Matter is a registered matter (petition/rising.go): the problem many
// petitioners raise, answered for by one unit.
type Matter struct {
	Code     string `db:"code"`
	Name     string `db:"name"`
	Unit     string `db:"unit"`
	Category string `db:"category"`
	// MarkedBacklog: the bureau marked the matter long-unresolved (积案),
	// whatever its cases say; resolving it clears the mark.
	MarkedBacklog bool `db:"marked_backlog"`
	// Lead is the leader who owns it (PutLead); read, never written by a PUT
	// of the matter.
	Lead petition.Lead `db:"-"`
}

// matterRow is a stored matter with its lead.
type matterRow struct {
	Matter
	LeadRole   sql.NullString `db:"lead_role"`
	LeadTarget sql.NullInt32  `db:"lead_target"`
	LeadPlan   sql.NullString `db:"lead_plan"`
	ResolvedAt sql.NullInt64  `db:"resolved_at"`
	// moved on by every write of a case naming the matter (bumpMatters)
	CasesVersion int64 `db:"cases_version"`
}

func (r matterRow) matter() Matter {
	m := r.Matter
	m.Lead = petition.Lead{Role: r.LeadRole.String, Target: calendar.Day(r.LeadTarget.Int32), Plan: r.LeadPlan.String,
		ResolvedAt: fromNullUnix(r.ResolvedAt)}
	return m
}

// matterColumns are the columns of the matters table a PUT writes, the code
// first; the lead is written by PutLead.
var matterColumns = []string{"code", "name", "unit", "category", "marked_backlog"}

// matterSelect reads a Matter.
const matterSelect = "SELECT code, name, unit, category, marked_backlog, lead_role, lead_target, lead_plan, resolved_at, cases_version FROM matters"

// PutMatterWithin creates a matter or changes its name, unit or category,
// within limit matters (max_matters): the rising matters are exported by
// name, and a write token must not add matters without end. The unit and
// the category must exist (ErrUnknownRef).
func (s *Store) PutMatterWithin(ctx context.Context, m Matter, limit int) error {
	check := func(tx *sqlx.Tx) error {
		k, err := knownRefs(ctx, tx, m.Unit, m.Category, "")
		if err != nil {
			return err
		}
		var ps []petition.Problem
		ps = k.check(ps, "unit", m.Unit, k.Units)
		ps = k.check(ps, "category", m.Category, k.Categories)
		return fieldErrors(ps, ErrUnknownRef)
	}
	if err := s.putWithin(ctx, "matters", "max_matters", limit, check, matterColumns, m.Code, m.Name, m.Unit, m.Category, m.MarkedBacklog); err != nil {
		return fmt.Errorf("put matter %s: %w", m.Code, err)
	}
	return nil
}

// Matters lists the registered matters by code.
func (s *Store) Matters(ctx context.Context) ([]Matter, error) { return listMatters(ctx, s.db) }

func listMatters(ctx context.Context, q sqlx.QueryerContext) ([]Matter, error) {
	var rows []matterRow
	if err := sqlx.SelectContext(ctx, q, &rows, matterSelect+" ORDER BY code"); err != nil {
		return nil, fmt.Errorf("list matters: %w", err)
	}
	ms := make([]Matter, len(rows))
	for i, r := range rows {
		ms[i] = r.matter()
	}
	return ms, nil
}

// MatterByCode returns one matter, or ErrNotFound.
func (s *Store) MatterByCode(ctx context.Context, code string) (Matter, error) {
	var r matterRow
	err := s.db.GetContext(ctx, &r, matterSelect+" WHERE code = ?", code)
	if errors.Is(err, sql.ErrNoRows) {
		return Matter{}, fmt.Errorf("matter %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return Matter{}, fmt.Errorf("matter %s: %w", code, err)
	}
	return r.matter(), nil
}

// matterActivityQuery counts, for each matter named by a case received in
// (from30, now], the distinct petitioners, the cases and the persons of the
// 30 days and of the 7 (received at or after from7). It reads only the
// window's cases, through idx_cases_window, which covers it.
const matterActivityQuery = `SELECT c.matter AS code, m.name, m.unit, m.category,
COUNT(DISTINCT CASE WHEN c.received_at >= ? THEN c.petitioner_hash END) AS petitioners7,
COUNT(DISTINCT c.petitioner_hash) AS petitioners30,
SUM(CASE WHEN c.received_at >= ? THEN 1 ELSE 0 END) AS cases7,
COUNT(*) AS cases30,
SUM(CASE WHEN c.received_at >= ? THEN c.persons ELSE 0 END) AS persons7,
SUM(c.persons) AS persons30
FROM cases c JOIN matters m ON m.code = c.matter
WHERE c.received_at >= ? AND c.received_at <= ? AND c.matter IS NOT NULL
GROUP BY c.matter, m.name, m.unit, m.category`

// matterDisputesQuery counts the open disputes naming each matter, and of
// them those of high risk, through idx_disputes_matter.
const matterDisputesQuery = `SELECT d.matter AS code, m.name, m.unit, m.category, COUNT(*) AS open_disputes,
SUM(CASE WHEN d.risk = 'high' THEN 1 ELSE 0 END) AS high_risk_disputes
FROM disputes d JOIN matters m ON m.code = d.matter
WHERE d.matter IS NOT NULL AND d.status = 'open'
GROUP BY d.matter, m.name, m.unit, m.category`

// matterActivityRow is one row of either query.
type matterActivityRow struct {
	Code             string `db:"code"`
	Name             string `db:"name"`
	Unit             string `db:"unit"`
	Category         string `db:"category"`
	Petitioners7     int    `db:"petitioners7"`
	Petitioners30    int    `db:"petitioners30"`
	Cases7           int    `db:"cases7"`
	Cases30          int    `db:"cases30"`
	Persons7         int    `db:"persons7"`
	Persons30        int    `db:"persons30"`
	OpenDisputes     int    `db:"open_disputes"`
	HighRiskDisputes int    `db:"high_risk_disputes"`
}

// MatterActivity returns, at now, each matter that a case received in the
// last 30 days names or an open dispute names, by code: what the rising
// rule reads (petition.MatterRules.Rising). A case counts in a window of
// d days when received at or after now-d and not after now.
func (r *Reader) MatterActivity(ctx context.Context, now time.Time) ([]petition.MatterActivity, error) {
	from7, from30 := activityStarts(now)
	cases, err := selectAll[matterActivityRow](ctx, r.tx, "matter activity", matterActivityQuery,
		from7, from7, from7, from30, now.Unix())
	if err != nil {
		return nil, err
	}
	disputes, err := selectAll[matterActivityRow](ctx, r.tx, "matter disputes", matterDisputesQuery)
	if err != nil {
		return nil, err
	}
	at := map[string]int{} // index in out, not a pointer: out grows
	var out []petition.MatterActivity
	for _, rows := range [][]matterActivityRow{cases, disputes} {
		for _, row := range rows {
			i, ok := at[row.Code]
			if !ok {
				i = len(out)
				at[row.Code] = i
				out = append(out, petition.MatterActivity{Code: row.Code, Name: row.Name, Unit: row.Unit, Category: row.Category})
			}
			a := &out[i]
			a.Petitioners7 += row.Petitioners7
			a.Petitioners30 += row.Petitioners30
			a.Cases7 += row.Cases7
			a.Cases30 += row.Cases30
			a.Persons7 += row.Persons7
			a.Persons30 += row.Persons30
			a.OpenDisputes += row.OpenDisputes
			a.HighRiskDisputes += row.HighRiskDisputes
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}
