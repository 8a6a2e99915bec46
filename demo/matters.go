package demo

import (
	"context"
	"fmt"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// Matters of the demo county (the problem many raise), every name marked
// 演示. At the demo's now: the shanty-town project rises with four
// petitioners in three days; the mill's unpaid wages with one new case while
// a high-risk dispute names it; the land compensation does not, its one
// petitioner counted once for three letters. The year's history links
// cases to all three, which makes them long-unresolved (积案); the old
// market's relocation, marked so by the bureau, was resolved an hour ago.
var Matters = []store.Matter{
	{Code: "demo-chengdong-shantytown", Name: "演示：城东棚户区改造项目", Unit: "qingshan", Category: "demolition_relocation"},
	{Code: "demo-mill-wages", Name: "演示：某纺织厂拖欠工资", Unit: "hrss", Category: "labour_social_security"},
	{Code: "demo-xiaowan-land", Name: "演示：小湾村征地补偿", Unit: "baishui", Category: "land_requisition"},
	{Code: "demo-old-market", Name: "演示：老城区农贸市场搬迁", Unit: "chengguan", Category: "demolition_relocation", MarkedBacklog: true},
}

// matterLeads are the leaders who own the demo's matters (包案), days
// being the target's distance from today: the shanty town has a county
// leader; the mill's wages a department head, past the target; the land
// compensation none; the old market was resolved.
var matterLeads = []struct {
	matter string
	role   string
	days   int
	plan   string
}{
	{"demo-chengdong-shantytown", "county_leader", 30, "in_progress"},
	{"demo-mill-wages", "department_head", -3, "in_progress"},
	{"demo-old-market", "county_leader", -10, petition.LeadResolved},
}

// matterCases are the demo's petitions naming a matter: which, by whom (a
// synthetic identifier), how long before now, and by which unit received.
var matterCases = []struct {
	matter, who string
	ago         time.Duration
	unit        string
}{
	{Matters[0].Code, "demo-matter-a", 70 * time.Hour, "qingshan"},
	{Matters[0].Code, "demo-matter-b", 50 * time.Hour, "qingshan"},
	{Matters[0].Code, "demo-matter-c", 26 * time.Hour, "housing"},
	{Matters[0].Code, "demo-matter-d", 3 * time.Hour, "qingshan"},
	{Matters[1].Code, "demo-matter-e", 5 * time.Hour, "hrss"},
	{Matters[2].Code, "demo-matter-f", 140 * time.Hour, "baishui"},
	{Matters[2].Code, "demo-matter-f", 90 * time.Hour, "baishui"},
	{Matters[2].Code, "demo-matter-f", 20 * time.Hour, "baishui"},
}

// surgeCases are petitions no matter names: six different petitioners
// raising minimum living allowances (低保) at Dongling within six days,
// where a week usually brings none or one, so that the unit dashboard and
// PetitionCategorySurge show a category surging before anyone registers a
// matter. Synthetic identifiers, hours before now.
var surgeCases = struct {
	unit, category string
	who            []string
	ago            []time.Duration
}{"dongling", "minimum_living_allowance",
	[]string{"demo-surge-a", "demo-surge-b", "demo-surge-c", "demo-surge-d", "demo-surge-e", "demo-surge-f"},
	[]time.Duration{140 * time.Hour, 100 * time.Hour, 75 * time.Hour, 49 * time.Hour, 30 * time.Hour, 4 * time.Hour}}

// putMatters registers the demo's matters.
func putMatters(ctx context.Context, s *store.Store) error {
	for _, m := range Matters {
		if err := s.PutMatterWithin(ctx, m, len(Matters)); err != nil {
			return err
		}
	}
	return nil
}

// seedMatters writes the petitions that name the demo's matters, those of
// the surging category, and the high-risk dispute of the mill's wages,
// registered now.
func seedMatters(ctx context.Context, s *store.Store, r petition.Rules, key petition.Key, now time.Time) error {
	category := map[string]string{}
	for _, m := range Matters {
		category[m.Code] = m.Category
	}
	for i, mc := range matterCases {
		c := petition.Case{CaseNo: fmt.Sprintf("DEMO-MATTER-%d", i+1), ReceivedAt: now.Add(-mc.ago), Channel: "letter",
			Category: category[mc.matter], Unit: mc.unit, Persons: 1, Level: "county",
			PetitionerHash: key.Hash(mc.who), Matter: mc.matter}
		if _, _, err := s.CreateCase(ctx, r, c); err != nil {
			return fmt.Errorf("seed demo matters: %w", err)
		}
	}
	for i, who := range surgeCases.who {
		c := petition.Case{CaseNo: fmt.Sprintf("DEMO-SURGE-%d", i+1), ReceivedAt: now.Add(-surgeCases.ago[i]), Channel: "visit",
			Category: surgeCases.category, Unit: surgeCases.unit, Persons: 1, Level: "county", PetitionerHash: key.Hash(who)}
		if _, _, err := s.CreateCase(ctx, r, c); err != nil {
			return fmt.Errorf("seed demo surge: %w", err)
		}
	}
	today := calendar.DayOf(now, r.Location)
	for _, l := range matterLeads {
		lead := petition.Lead{Role: l.role, Target: today + calendar.Day(l.days), Plan: l.plan}
		if err := s.PutLead(ctx, l.matter, lead, now.Add(-time.Hour)); err != nil {
			return fmt.Errorf("seed demo matters: %w", err)
		}
	}
	d := petition.Dispute{No: "DEMO-D-MILL", FoundAt: now.Add(-10 * 24 * time.Hour), Unit: "hrss",
		Category: "labour_social_security", Risk: petition.RiskHigh, PersonsEstimate: 120, Source: "screening",
		LeaderRole: "county_leader", HandlerAssigned: true, Matter: Matters[1].Code}
	if _, _, err := s.CreateDispute(ctx, petition.DefaultLeaderRoles, d); err != nil {
		return fmt.Errorf("seed demo matters: %w", err)
	}
	return nil
}
