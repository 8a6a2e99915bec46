// Package demo makes a clearly synthetic county for trying riskmon without a
// real database: 25 units, a year of cases with every risk signal, and a
// simulator that keeps adding and advancing cases through the same store
// functions the intake uses. Every name says 演示 (demo); no person is real.
package demo

import (
	"context"
	"fmt"
	"time"

	"riskmon/config"
	"riskmon/petition"
	"riskmon/store"
)

// Bureau is the county's petition bureau (信访局), which registers some cases
// to pass on (routing) and assigns some with a date (交办). It is not among
// Units, which answer for the cases the demo draws.
var Bureau = store.Unit{Code: "xinfangju", Name: "演示县信访局", Kind: petition.UnitDepartment}

// Units of the fictional 演示县 (Demo County).
var Units = []store.Unit{
	{Code: "qingshan", Name: "演示县青山镇", Kind: petition.UnitTownship},
	{Code: "baishui", Name: "演示县白水镇", Kind: petition.UnitTownship},
	{Code: "dongling", Name: "演示县东岭镇", Kind: petition.UnitTownship},
	{Code: "xihe", Name: "演示县西河乡", Kind: petition.UnitTownship},
	{Code: "nanping", Name: "演示县南坪镇", Kind: petition.UnitTownship},
	{Code: "beiyuan", Name: "演示县北塬乡", Kind: petition.UnitTownship},
	{Code: "taohua", Name: "演示县桃花镇", Kind: petition.UnitTownship},
	{Code: "liushu", Name: "演示县柳树乡", Kind: petition.UnitTownship},
	{Code: "shiqiao", Name: "演示县石桥镇", Kind: petition.UnitTownship},
	{Code: "huangtu", Name: "演示县黄土乡", Kind: petition.UnitTownship},
	{Code: "songlin", Name: "演示县松林镇", Kind: petition.UnitTownship},
	{Code: "yunxi", Name: "演示县云溪镇", Kind: petition.UnitTownship},
	{Code: "jinsha", Name: "演示县金沙乡", Kind: petition.UnitTownship},
	{Code: "changle", Name: "演示县长乐镇", Kind: petition.UnitTownship},
	{Code: "fengyuan", Name: "演示县丰源乡", Kind: petition.UnitTownship},
	{Code: "lvzhou-farm", Name: "演示县绿洲农场", Kind: petition.UnitTownship},
	{Code: "chengguan", Name: "演示县城关街道", Kind: petition.UnitTownship},
	{Code: "kaifaqu", Name: "演示县经济开发区", Kind: petition.UnitTownship},
	{Code: "hrss", Name: "演示县人力资源和社会保障局", Kind: petition.UnitDepartment},
	{Code: "natural-resources", Name: "演示县自然资源局", Kind: petition.UnitDepartment},
	{Code: "housing", Name: "演示县住房和城乡建设局", Kind: petition.UnitDepartment},
	{Code: "civil-affairs", Name: "演示县民政局", Kind: petition.UnitDepartment},
	{Code: "public-security", Name: "演示县公安局", Kind: petition.UnitDepartment},
	{Code: "court", Name: "演示县人民法院", Kind: petition.UnitDepartment},
	{Code: "sasac", Name: "演示县国有资产管理办公室", Kind: petition.UnitDepartment},
}

// Key is the demo's petitioner key (config.DemoKey). It is public, so it
// protects nothing: only synthetic identifiers are ever hashed with it.
var Key = petition.NewKey([]byte(config.DemoKey))

// Periods are the demo's sensitive periods at now: a drill in force now, a
// visit by the province's inspectors starting in three days (before which
// every unit owes its monthly screening), and this year's National Day and
// next year's Two Sessions.
func Periods(loc *time.Location, now time.Time) []config.Period {
	local := now.In(loc)
	y := local.Year()
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	ps, err := config.ResolvePeriods(loc, "the demo", []config.PeriodSpec{
		{Name: "demo_drill", Start: day(local.AddDate(0, 0, -2)), End: day(local.AddDate(0, 0, 4))},
		{Name: "demo_inspection", Start: day(local.AddDate(0, 0, 3)), End: day(local.AddDate(0, 0, 5))},
		{Name: "national_day", Start: fmt.Sprintf("%d-10-01", y), End: fmt.Sprintf("%d-10-07", y)},
		{Name: "two_sessions", Start: fmt.Sprintf("%d-03-01", y+1), End: fmt.Sprintf("%d-03-15", y+1)},
	})
	if err != nil {
		panic(err) // the specs above are constants of this file
	}
	return ps
}

// Seed writes the demo county into an empty database: units, categories, a
// year of cases up to now, the dispute register and a month of daily reports.
func Seed(ctx context.Context, s *store.Store, r petition.Rules, key petition.Key, now time.Time) error {
	return SeedRate(ctx, s, r, key, now, WeekdayRate)
}

// SeedRate is Seed with perWeekday petitions on a weekday (RateFor gives the
// rate of a wanted total). Identifiers are hashed with key, the key of the
// database's other writers.
func SeedRate(ctx context.Context, s *store.Store, r petition.Rules, key petition.Key, now time.Time, perWeekday float64) error {
	if err := PutReference(ctx, s); err != nil {
		return err
	}
	// The generator's histories follow the rules by construction, so the
	// bulk load takes them a day at a time without checking them first.
	if err := s.LoadFrom(ctx, r, Stream(r, key, now.AddDate(-1, 0, 0), now, 1, perWeekday)); err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	// The year above is history, registered long after its receipt, and
	// pages nobody. Three petitions of the last hours, registered now, give the
	// screens and the alerts something of today to show.
	for i, c := range []petition.Case{
		// 60 persons: a major matter, not reported upward two hours on
		// (2022 Reg. art. 25), as the duty officer is paged for
		{CaseNo: "DEMO-NOW-1", ReceivedAt: now.Add(-2 * time.Hour), Channel: "visit", Category: "land_requisition",
			Unit: Units[0].Code, Persons: 60, Level: "county"},
		// a visit at the province: skip-level (2022 Reg. art. 20)
		{CaseNo: "DEMO-NOW-2", ReceivedAt: now.Add(-time.Hour), Channel: "visit", Category: "labour_social_security",
			Unit: Units[1].Code, Persons: 1, Level: "province"},
		// online to the national bureau: lawful at any level (art. 17), counted
		// by level and paging nobody
		{CaseNo: "DEMO-NOW-3", ReceivedAt: now.Add(-30 * time.Minute), Channel: "online", Category: "labour_social_security",
			Unit: Units[2].Code, Persons: 1, Level: "national"},
	} {
		c.PetitionerHash = key.Hash(fmt.Sprintf("demo-now-%d", i))
		if _, _, err := s.CreateCase(ctx, r, c); err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
	}
	// A review requested 35 days after a reply whose delivery was not
	// recorded: outside the window as the record shows it, recorded all the
	// same and marked late (2022 Reg. art. 35: the window runs from the
	// petitioner's receipt of the reply).
	late := petition.Case{CaseNo: "DEMO-LATE-REVIEW", ReceivedAt: now.AddDate(0, 0, -120), Channel: "letter", Category: "other",
		Unit: Units[3].Code, Persons: 1, Level: "county", PetitionerHash: key.Hash("demo-late-review")}
	if _, _, err := s.CreateCase(ctx, r, late); err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	for _, e := range []petition.Event{
		{Type: petition.EventAccepted, At: late.ReceivedAt.AddDate(0, 0, 3)},
		{Type: petition.EventReplied, At: late.ReceivedAt.AddDate(0, 0, 40)},
		{Type: petition.EventReviewRequested, At: late.ReceivedAt.AddDate(0, 0, 75)},
	} {
		if _, _, err := s.AddEvent(ctx, r, late.CaseNo, e); err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
	}
	if err := seedMatters(ctx, s, r, key, now); err != nil {
		return err
	}
	return SeedRegister(ctx, s, r, now)
}

// PutReference writes the demo units, the default categories and the demo's
// matters.
func PutReference(ctx context.Context, s *store.Store) error {
	for _, u := range append(Units[:len(Units):len(Units)], Bureau) {
		if err := s.PutUnit(ctx, u); err != nil {
			return err
		}
	}
	for _, c := range petition.DefaultCategories {
		if err := s.PutCategory(ctx, store.Category{Code: c.Code, Name: c.Name}); err != nil {
			return err
		}
	}
	return putMatters(ctx, s)
}
