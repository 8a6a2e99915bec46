package collector

import (
	"context"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

// registerFixture is the fixture county's dispute register at fixtureNow (3
// a.m. on 2 October, National Day: an inspection counts for one day), each
// dispute with the events that bring it where it stands.
func registerFixture() []struct {
	d      petition.Dispute
	events []petition.DisputeEvent
} {
	dispute := func(no, unit, category, risk string, persons int, found string) petition.Dispute {
		return petition.Dispute{No: no, FoundAt: local(found), Unit: unit, Category: category, Risk: risk,
			PersonsEstimate: persons, Source: "screening"}
	}
	owned := func(d petition.Dispute, resolveBy calendar.Day) petition.Dispute {
		d.LeaderRole, d.HandlerAssigned, d.ResolveBy = "township_head", true, resolveBy
		return d
	}
	inMatter := func(m string, d petition.Dispute) petition.Dispute {
		d.Matter = m
		return d
	}
	at := func(typ, when string) petition.DisputeEvent { return petition.DisputeEvent{Type: typ, At: local(when)} }
	return []struct {
		d      petition.Dispute
		events []petition.DisputeEvent
	}{
		// high risk, none of the four haves
		// (it could become a collective petition)
		{d: func() petition.Dispute {
			d := dispute("G1", "u1", "land_requisition", "high", 60, "2026-09-20 09:00:00")
			d.Potential = "collective"
			return d
		}()},
		// its last day was yesterday: overdue; inspected exactly a day ago,
		// which no longer counts
		// part of the matter xiaowan (fixtureMatters)
		{d: inMatter("xiaowan", owned(dispute("G2", "u1", "land_requisition", "high", 20, "2026-09-20 09:00:00"), calendar.Date(2026, 10, 1))),
			events: []petition.DisputeEvent{at("inspected", "2026-10-01 03:00:00")}},
		// its last day is today: not overdue; inspected yesterday morning
		// part of the matter wages
		{d: inMatter("wages", owned(dispute("G3", "u1", "other", "medium", 5, "2026-09-21 09:00:00"), calendar.Date(2026, 10, 2))),
			events: []petition.DisputeEvent{at("inspected", "2026-10-01 09:00:00")}},
		// resolved three days after its last day
		{d: owned(dispute("G4", "u2", "land_requisition", "high", 30, "2026-09-01 09:00:00"), calendar.Date(2026, 9, 25)),
			events: []petition.DisputeEvent{at("resolved", "2026-09-28 10:00:00")}},
		// became the collective petition D1 two hours ago: news
		{d: dispute("G5", "u2", "other", "low", 8, "2026-09-10 09:00:00"),
			events: []petition.DisputeEvent{{Type: "escalated", At: local("2026-10-02 01:00:00"), CaseNo: "D1"}}},
		// found low, raised, then referred to court
		{d: dispute("G6", "u2", "other", "low", 3, "2026-09-10 09:00:00"),
			events: []petition.DisputeEvent{{Type: "risk_changed", At: local("2026-09-12 09:00:00"), Risk: "medium"}, at("closed", "2026-09-15 09:00:00")}},
		// high risk, led by a county leader; its time limit, 28 September,
		// passed and was moved to the 15th yesterday for a court's
		// procedure: no longer overdue, still overdue this month
		{d: func() petition.Dispute {
			d := dispute("G8", "u2", "other", "high", 15, "2026-09-20 09:00:00")
			d.LeaderRole, d.HandlerAssigned, d.ResolveBy = "county_leader", true, calendar.Date(2026, 9, 28)
			return d
		}(), events: []petition.DisputeEvent{{Type: "assigned", At: local("2026-10-01 10:00:00"), ResolveBy: calendar.Date(2026, 10, 15), Reason: "court"}}},
		// became the skip-level petition E1, recorded a week late: history
		{d: dispute("G7", "u2", "land_requisition", "medium", 2, "2026-09-10 09:00:00"),
			events: []petition.DisputeEvent{{Type: "escalated", At: local("2026-09-25 09:00:00"), CaseNo: "E1"}}},
	}
}

// reportFixture: u1 reported yesterday and today (nothing found), u2 last
// on 30 September.
var reportFixture = []petition.UnitReport{
	{Unit: "u1", Day: calendar.Date(2026, 10, 1), DisputesFound: 1},
	{Unit: "u1", Day: calendar.Date(2026, 10, 2)},
	{Unit: "u2", Day: calendar.Date(2026, 9, 30), DisputesFound: 2},
}

// writeRegister writes the register and the reports through the store's
// write paths, after the fixture's cases (escalations name them).
func writeRegister(t testing.TB, s *store.Store, cfg petition.Rules) {
	t.Helper()
	ctx := context.Background()
	roles := petition.DefaultLeaderRoles
	for _, x := range registerFixture() {
		if _, _, err := s.CreateDispute(ctx, roles, x.d); err != nil {
			t.Fatal(err)
		}
		for _, e := range x.events {
			if _, _, err := s.AddDisputeEvent(ctx, cfg, roles, x.d.No, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, r := range reportFixture {
		if err := s.PutReport(ctx, r, fixtureNow); err != nil {
			t.Fatal(err)
		}
	}
	for _, sc := range screeningFixture {
		if err := s.PutScreening(ctx, sc, sc.Month.Start(shanghai).Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
}

// screeningFixture: u1 screened September (and August), u2 August only.
var screeningFixture = []petition.Screening{
	{Unit: "u1", Month: petition.MonthOf(local("2026-08-15 12:00:00"), shanghai), Found: map[string]int{"low": 2}},
	{Unit: "u1", Month: petition.MonthOf(local("2026-09-15 12:00:00"), shanghai), Found: map[string]int{"high": 1, "medium": 1}},
	{Unit: "u2", Month: petition.MonthOf(local("2026-08-15 12:00:00"), shanghai)},
}

// registerWant is every non-zero series of the register at fixtureNow.
var registerWant = map[string]float64{
	`petition_disputes_open{category="land_requisition",risk="high",unit="u1"}`:    2,
	`petition_disputes_open{category="other",risk="medium",unit="u1"}`:             1,
	`petition_disputes_overdue{category="land_requisition",risk="high",unit="u1"}`: 1, // G2, not G3
	`petition_disputes_persons_estimate{risk="high",unit="u1"}`:                    80,
	`petition_disputes_persons_estimate{risk="medium",unit="u1"}`:                  5,
	// G1 has no leader, G2's is a township head: a high-risk dispute needs
	// a county-level one
	`petition_disputes_unowned{missing="leader",risk="high",unit="u1"}`: 2,
	// G8: open, high, led from the county, never inspected; re-dated once,
	// overdue in October before that; G2 overdue now
	`petition_disputes_open{category="other",risk="high",unit="u2"}`:        1,
	`petition_disputes_persons_estimate{risk="high",unit="u2"}`:             15,
	`petition_disputes_unowned{missing="inspection",risk="high",unit="u2"}`: 1,
	`petition_disputes_found_total{category="other",risk="high",unit="u2"}`: 1,
	`petition_disputes_redated_total{risk="high",unit="u2"}`:                1,
	// G1 could become a collective petition; G2, G3 and G8 registered
	// without saying
	`petition_disputes_open_potential{potential="collective",unit="u1"}`:    1,
	`petition_disputes_open_potential{potential="unsaid",unit="u1"}`:        2,
	`petition_disputes_open_potential{potential="unsaid",unit="u2"}`:        1,
	`petition_disputes_overdue_month{unit="u1"}`:                            1,
	`petition_disputes_overdue_month{unit="u2"}`:                            1,
	`petition_disputes_unowned{missing="handler",risk="high",unit="u1"}`:    1,
	`petition_disputes_unowned{missing="deadline",risk="high",unit="u1"}`:   1,
	`petition_disputes_unowned{missing="inspection",risk="high",unit="u1"}`: 2, // G1 never, G2 a day ago
	// found by the risk when found (G6 low)
	`petition_disputes_found_total{category="land_requisition",risk="high",unit="u1"}`:   2,
	`petition_disputes_found_total{category="other",risk="medium",unit="u1"}`:            1,
	`petition_disputes_found_total{category="land_requisition",risk="high",unit="u2"}`:   1,
	`petition_disputes_found_total{category="other",risk="low",unit="u2"}`:               2,
	`petition_disputes_found_total{category="land_requisition",risk="medium",unit="u2"}`: 1,
	`petition_disputes_resolved_total{category="land_requisition",unit="u2"}`:            1,
	`petition_disputes_resolved_late_total{category="land_requisition",unit="u2"}`:       1,
	`petition_disputes_escalated_total{category="other",unit="u2"}`:                      1,
	`petition_disputes_escalated_total{category="land_requisition",unit="u2"}`:           1,
	`petition_disputes_escalated_timely_total{category="other",unit="u2"}`:               1, // G5, not G7
	`petition_disputes_escalated_major_timely_total{unit="u2"}`:                          1,
	`petition_config_inspection_interval_seconds{}`:                                      86400,
	`petition_unit_report_last_timestamp_seconds{unit="u1"}`:                             float64(local("2026-10-02 00:00:00").Unix()),
	`petition_unit_screening_last_timestamp_seconds{unit="u1"}`:                          float64(local("2026-09-01 00:00:00").Unix()),
	`petition_unit_screening_last_timestamp_seconds{unit="u2"}`:                          float64(local("2026-08-01 00:00:00").Unix()),
	`petition_config_screening_lead_seconds{}`:                                           7 * 86400,
	`petition_unit_report_last_timestamp_seconds{unit="u2"}`:                             float64(local("2026-09-30 00:00:00").Unix()),
}

// registerSeries is how many series each register metric has with 2
// units, 7 categories and 3 risks, zero-filled.
var registerSeries = map[string]int{
	"petition_disputes_open": 42, "petition_disputes_overdue": 42, "petition_disputes_unowned": 2 * 3 * 4,
	"petition_disputes_persons_estimate": 6, "petition_disputes_found_total": 42, "petition_disputes_resolved_total": 14,
	"petition_disputes_resolved_late_total": 14, "petition_disputes_escalated_total": 14,
	"petition_disputes_escalated_timely_total": 14, "petition_disputes_escalated_major_timely_total": 2,
	"petition_config_inspection_interval_seconds": 1, "petition_unit_report_last_timestamp_seconds": 2,
	"petition_unit_report_missing": 2, "petition_disputes_redated_total": 6, "petition_disputes_overdue_month": 2,
	"petition_unit_screening_last_timestamp_seconds": 2, "petition_unit_screening_missing": 2, "petition_config_screening_lead_seconds": 1,
	"petition_disputes_open_potential": 12,
}

// unitFlags is a per-unit 0/1 metric's values for u1 and u2 at an instant.
type unitFlags struct {
	now    string
	u1, u2 float64
}

// checkUnitFlags refreshes the fixture county at each instant, on both
// databases, and checks metric's value for u1 and u2.
func checkUnitFlags(t *testing.T, metric string, cases []unitFlags) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			c, clk := fixtureCollector(t, dialect)
			for _, tc := range cases {
				clk.t = local(tc.now)
				if err := c.Refresh(context.Background()); err != nil {
					t.Fatal(err)
				}
				got := series(t, c)
				for unit, want := range map[string]float64{"u1": tc.u1, "u2": tc.u2} {
					if v := got[metric+`{unit="`+unit+`"}`]; v != want {
						t.Errorf("at %s: %s %s = %v, want %v", tc.now, metric, unit, v, want)
					}
				}
			}
		})
	}
}

// Before National Day (1 October) a unit owes September's screening from
// 24 September 00:00 (7 days before): u2 screened only August. Outside the
// lead, or once the period has begun, nobody is missing.
func TestUnitScreeningMissing(t *testing.T) {
	checkUnitFlags(t, "petition_unit_screening_missing", []unitFlags{
		{"2026-09-23 23:59:59", 0, 0},
		{"2026-09-24 00:00:00", 0, 1},
		{"2026-09-30 23:59:59", 0, 1},
		{"2026-10-01 00:00:00", 0, 0},
	})
}

// The daily report is due by 17:00 on a day of a sensitive period: at
// 16:59:59 nobody is missing, at 17:00 u2 is (u1 sent a zero report), and
// outside a period nobody is, whatever the hour.
func TestUnitReportMissing(t *testing.T) {
	checkUnitFlags(t, "petition_unit_report_missing", []unitFlags{
		{"2026-10-02 03:00:00", 0, 0},
		{"2026-10-02 16:59:00", 0, 0},
		{"2026-10-02 16:59:59", 0, 0},
		{"2026-10-02 17:00:00", 0, 1},
		{"2026-10-02 23:59:59", 0, 1},
		{"2026-10-03 17:00:00", 1, 1}, // a new day: u1's report of the 2nd is not the 3rd's
		{"2026-10-07 23:00:00", 1, 1}, // the period's last day
		{"2026-10-08 17:00:00", 0, 0}, // the period is over
		{"2026-09-30 18:00:00", 0, 0}, // not yet begun (u2 reported that day anyway)
		{"2027-03-01 17:00:00", 1, 1}, // the Two Sessions
		{"2027-03-01 08:00:00", 0, 0}, // before the cut-off
	})
}

// The register's counters never go down: a risk changed after registration
// moves no found counter, and a later resolution only adds.
func TestRegisterCountersOnlyGrow(t *testing.T) {
	s := storetest.Open(t, "mysql")
	r := fixtureConfig(t).Rules
	writeFixture(t, s, r)
	c, clk := newCollector(t, s)
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := series(t, c)
	ctx := context.Background()
	later := fixtureNow.Add(time.Minute)
	for _, step := range []struct {
		no string
		e  petition.DisputeEvent
	}{
		{"G1", petition.DisputeEvent{Type: "risk_changed", At: later, Risk: "low"}},
		{"G3", petition.DisputeEvent{Type: "resolved", At: later}},
	} {
		if _, _, err := s.AddDisputeEvent(ctx, r, petition.DefaultLeaderRoles, step.no, step.e); err != nil {
			t.Fatal(err)
		}
	}
	clk.t = later
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	changes := map[string]float64{}
	for k, v := range series(t, c) {
		if before[k] != v {
			changes[k] = v - before[k]
		}
	}
	diff(t, changes, map[string]float64{
		`petition_disputes_open{category="land_requisition",risk="high",unit="u1"}`: -1,
		`petition_disputes_open{category="land_requisition",risk="low",unit="u1"}`:  1,
		`petition_disputes_open{category="other",risk="medium",unit="u1"}`:          -1,
		`petition_disputes_open_potential{potential="unsaid",unit="u1"}`:            -1, // G3
		`petition_disputes_persons_estimate{risk="high",unit="u1"}`:                 -60,
		`petition_disputes_persons_estimate{risk="low",unit="u1"}`:                  60,
		`petition_disputes_persons_estimate{risk="medium",unit="u1"}`:               -5,
		`petition_disputes_unowned{missing="leader",risk="high",unit="u1"}`:         -1,
		`petition_disputes_unowned{missing="handler",risk="high",unit="u1"}`:        -1,
		`petition_disputes_unowned{missing="deadline",risk="high",unit="u1"}`:       -1,
		`petition_disputes_unowned{missing="inspection",risk="high",unit="u1"}`:     -1,
		`petition_disputes_unowned{missing="leader",risk="low",unit="u1"}`:          1,
		`petition_disputes_unowned{missing="handler",risk="low",unit="u1"}`:         1,
		`petition_disputes_unowned{missing="deadline",risk="low",unit="u1"}`:        1,
		`petition_disputes_unowned{missing="inspection",risk="low",unit="u1"}`:      1,
		// on its last day: on time
		`petition_disputes_resolved_total{category="other",unit="u1"}`: 1,
	})
}
