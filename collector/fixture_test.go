package collector

import (
	"context"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/config"
	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func local(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// fixtureNow is 3 a.m. on 2 October, in the National Day period.
var fixtureNow = local("2026-10-02 03:00:00")

func fixtureConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Load(config.Source{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Periods, err = config.ResolvePeriods(shanghai, "the fixture", []config.PeriodSpec{
		{Name: "national_day", Start: "2026-10-01", End: "2026-10-07"},
		{Name: "two_sessions", Start: "2027-03-01", End: "2027-03-15"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

var fixtureKey = []byte("fixture-key-0123456789")

func person(id string) string { return petition.PetitionerHash(fixtureKey, id) }

func newCase(no, unit, category, channel, level string, persons int, who, received string) petition.Case {
	return petition.Case{CaseNo: no, ReceivedAt: local(received), Channel: channel, Category: category, Unit: unit,
		Persons: persons, Level: level, PetitionerHash: person(who)}
}

func routed(no, unit, category, channel, who, received string) petition.Case {
	c := newCase(no, unit, category, channel, "county", 1, who, received)
	c.Routing = true
	return c
}

func ev(typ, at string) petition.Event { return petition.Event{Type: typ, At: local(at)} }

// raising is c naming the registered matter m.
func raising(m string, c petition.Case) petition.Case {
	c.Matter = m
	return c
}

// fixtureMatters are the fixture county's registered matters. At
// fixtureNow (a sensitive period: 2 petitioners make a matter rise):
// chengdong is rising with 3 petitioners in 7 days (A1, T2 of another unit,
// E1 linked later; B1 only in 30 days); xiaowan with one case and an open
// high-risk dispute (G2); wages is not, its one petitioner in 7 days (P6)
// counting once for two cases, its dispute (G3) of medium risk.
var fixtureMatters = []store.Matter{
	{Code: "chengdong", Name: "城东棚户区改造项目", Unit: "u1", Category: "land_requisition"},
	{Code: "xiaowan", Name: "小湾村征地补偿", Unit: "u1", Category: "land_requisition"},
	{Code: "wages", Name: "某厂欠薪", Unit: "u2", Category: "other"},
	{Code: "old-mill", Name: "老面粉厂改制", Unit: "u1", Category: "other", MarkedBacklog: true},
}

// fixtureLeads are the leaders who own the fixture's matters (包案). With
// three cases or more in 12 months chengdong and wages are long-unresolved:
// chengdong led by a township head (no county-level lead), wages by a
// county leader past the target; old-mill, marked long-unresolved by the
// bureau, was resolved yesterday afternoon.
var fixtureLeads = []struct {
	matter string
	lead   petition.Lead
	at     time.Time
}{
	{"chengdong", petition.Lead{Role: "township_head", Target: calendar.Date(2026, 10, 31), Plan: "planned"}, local("2026-09-20 10:00:00")},
	{"wages", petition.Lead{Role: "county_leader", Target: calendar.Date(2026, 10, 1), Plan: "in_progress"}, local("2026-09-20 10:00:00")},
	{"old-mill", petition.Lead{Role: "county_leader", Plan: petition.LeadResolved}, local("2026-10-01 15:00:00")},
}

// fixture is a small county at fixtureNow, in the order it is written: R2 is
// stored before the earlier R1 and R9, so its repeat status must come from the
// received times, not the insertion order.
func fixture() []store.LoadCase {
	supervised := newCase("D1", "u2", "land_requisition", "visit", "national", 6, "P4", "2026-10-02 00:00:00")
	supervised.Supervised = true
	linked := raising("xiaowan", newCase("L1", "u2", "land_requisition", "online", "city", 1, "P7", "2026-10-01 12:00:00"))
	linked.RepeatOf = "E1"
	reassigned := petition.Event{Type: petition.EventReassigned, At: local("2026-03-06 10:00:00"), Unit: "u2"}
	extended := petition.Event{Type: petition.EventExtended, At: local("2026-09-10 09:00:00"), Days: 30}
	satisfied := petition.Event{Type: petition.EventEvaluated, At: local("2026-08-02 09:00:00"), Result: "satisfied"}
	dissatisfied := petition.Event{Type: petition.EventEvaluated, At: local("2026-06-20 09:00:00"), Result: "dissatisfied"}
	suggestion := newCase("S1", "u2", "other", "online", "city", 1, "P20", "2026-07-01 10:00:00")
	suggestion.MatterType = petition.MatterSuggestion
	marked := newCase("M1", "u1", "other", "letter", "county", 1, "P17", "2026-10-02 02:30:00")
	marked.Major = true
	report := func(to, at string) petition.Event {
		return petition.Event{Type: petition.EventReportedUp, At: local(at), To: to}
	}
	return []store.LoadCase{
		{Case: raising("chengdong", newCase("A1", "u1", "land_requisition", "visit", "county", 1, "P1", "2026-09-30 10:00:00"))},
		// last day 2 October, in the National Day holiday: the period ends at
		// 24:00 of 8 October, so on the 2nd it is neither overdue nor due soon
		{Case: raising("chengdong", newCase("B1", "u1", "land_requisition", "letter", "county", 1, "P2", "2026-09-17 03:00:01"))},
		// received a second before midnight: last day Wednesday 30 September,
		// overdue since 24:00 of that day
		{Case: newCase("C1", "u1", "other", "online", "county", 1, "P3", "2026-09-15 23:59:59"),
			// the city takes the overdue case up (督办)
			Events: []petition.Event{{Type: petition.EventSupervised, At: local("2026-10-01 09:00:00"), Level: "city"}}},
		// collective, a visit in Beijing (进京访), at local midnight today: a
		// major matter, unreported 3 hours later, past the hour's limit
		{Case: supervised},
		// a claim for the courts, diverted (导入) in June, 123 days ago:
		// neither open nor overdue, counted as diverted
		{Case: newCase("V1", "u1", "other", "letter", "county", 1, "P19", "2026-06-01 10:00:00"),
			Events: []petition.Event{ev(petition.EventAccepted, "2026-06-03 10:00:00"),
				{Type: petition.EventDiverted, At: local("2026-06-20 10:00:00"), Procedure: "litigation"}}},
		// a suggestion accepted in July and not yet answered: open in
		// handling, with no statutory limit, never overdue (art. 29)
		{Case: suggestion, Events: []petition.Event{ev(petition.EventAccepted, "2026-07-02 10:00:00")}},
		// marked major by the intake half an hour ago: unreported, in time
		{Case: marked},
		// replied on 1 October, found major an hour later and reported to the
		// city bureau in time but to the county leadership after the hour;
		// evaluated this month
		{Case: newCase("M2", "u1", "other", "letter", "county", 1, "P18", "2026-09-01 10:00:00"),
			Events: []petition.Event{ev(petition.EventAccepted, "2026-09-03 10:00:00"), ev(petition.EventReplied, "2026-10-01 09:00:00"),
				ev(petition.EventMarkedMajor, "2026-10-01 10:00:00"), report("city_bureau", "2026-10-01 10:30:00"),
				{Type: petition.EventEvaluated, At: local("2026-10-01 11:00:00"), Result: "basically_satisfied"},
				report(petition.ReportCountyLeadership, "2026-10-01 11:00:01")}},
		// an online petition to the national bureau today: lawful at any
		// level (2022 Reg. art. 17), counted by level, never skip-level
		{Case: newCase("O1", "u1", "other", "online", "national", 1, "P16", "2026-10-02 01:00:00")},
		// one second before local midnight: yesterday, skip-level; found an
		// hour later to raise chengdong
		{Case: newCase("E1", "u2", "land_requisition", "visit", "province", 1, "P5", "2026-10-01 23:59:59"),
			Events: []petition.Event{{Type: petition.EventLinked, At: local("2026-10-02 01:00:00"), Matter: "chengdong"}}},
		// last day Saturday 10 October, a make-up working day: it does not move
		{Case: raising("wages", newCase("R2", "u1", "other", "letter", "county", 1, "P6", "2026-09-25 10:00:00"))},
		// not accepted, then supervised for that refusal (art. 40) and
		// answered: open in no stage, owing no answer
		{Case: newCase("R1", "u1", "other", "letter", "county", 1, "P6", "2026-06-01 10:00:00"),
			Events: []petition.Event{ev(petition.EventNotAccepted, "2026-06-03 10:00:00"),
				{Type: petition.EventSupervised, At: local("2026-06-10 10:00:00"), Level: "county"},
				ev(petition.EventSupervisionAnswered, "2026-06-12 10:00:00")}},
		{Case: newCase("R9", "u1", "other", "letter", "county", 1, "P6", "2024-01-01 10:00:00"),
			Events: []petition.Event{ev(petition.EventNotAccepted, "2024-01-03 10:00:00")}},
		// same person and matter, other unit: not a repeat
		{Case: raising("wages", newCase("R3", "u2", "other", "letter", "county", 1, "P6", "2026-09-26 10:00:00"))},
		{Case: linked},
		// accepted exactly at the deadline, 24:00 of 16 July (on time), then extended
		{Case: newCase("H1", "u1", "land_requisition", "letter", "county", 1, "P8", "2026-07-01 09:00:00"),
			Events: []petition.Event{ev(petition.EventAccepted, "2026-07-17 00:00:00"), extended}},
		// accepted one second late, replied, evaluated, review requested (last
		// day Saturday 19 September, moved to Sunday the 20th, a make-up
		// working day) and now overdue
		{Case: newCase("H2", "u1", "land_requisition", "visit", "county", 1, "P9", "2026-07-01 09:00:00"),
			Events: []petition.Event{ev(petition.EventAccepted, "2026-07-17 00:00:01"), ev(petition.EventReplied, "2026-08-01 09:00:00"),
				satisfied, ev(petition.EventReviewRequested, "2026-08-20 10:00:00")}},
		{Case: newCase("H3", "u2", "other", "online", "city", 1, "P10", "2026-05-01 09:00:00"),
			Events: []petition.Event{ev(petition.EventNotAccepted, "2026-05-05 09:00:00")}},
		// the petition bureau (u2 here) registers T1 and passes it on to u1 on
		// 25 September: routing done on time, u1's acceptance starts then
		// (last day Saturday 10 October, a make-up working day); T2 waits
		// for routing
		{Case: raising("wages", routed("T1", "u2", "other", "letter", "P14", "2026-09-20 10:00:00")),
			Events: []petition.Event{{Type: petition.EventTransferred, At: local("2026-09-25 10:00:00"), Unit: "u1"}}},
		{Case: raising("chengdong", routed("T2", "u2", "land_requisition", "visit", "P15", "2026-10-01 09:00:00"))},
		// the bureau assigns (交办) T3 and T4 to u1 with dates for the
		// completion report (art. 22(三)); both replied, neither reported
		// done: T3's date, 30 September, has passed, T4's is to come
		{Case: routed("T3", "u2", "other", "letter", "P21", "2026-09-01 10:00:00"),
			Events: []petition.Event{{Type: petition.EventTransferred, At: local("2026-09-02 10:00:00"), Unit: "u1", Due: calendar.Date(2026, 9, 30)},
				ev(petition.EventAccepted, "2026-09-03 10:00:00"), ev(petition.EventReplied, "2026-09-20 10:00:00")}},
		{Case: routed("T4", "u2", "other", "letter", "P22", "2026-09-02 10:00:00"),
			Events: []petition.Event{{Type: petition.EventTransferred, At: local("2026-09-03 10:00:00"), Unit: "u1", Due: calendar.Date(2026, 10, 20)},
				ev(petition.EventAccepted, "2026-09-04 10:00:00"), ev(petition.EventReplied, "2026-09-21 10:00:00")}},
		// National Day cases: last days 1 and 7 October move to 8 October. On
		// 3 October neither is overdue; on 9 October N1, never accepted, is.
		{Case: newCase("N1", "u1", "labour_social_security", "letter", "county", 1, "P12", "2026-09-16 10:00:00")},
		{Case: newCase("N2", "u2", "labour_social_security", "visit", "county", 1, "P13", "2026-09-22 10:00:00"),
			Events: []petition.Event{ev(petition.EventAccepted, "2026-10-02 01:00:00")}},
		// received by u1, reassigned to u2, replied late by u2 (its last day,
		// 4 May, moved past Labour Day to the 6th)
		{Case: newCase("H4", "u1", "other", "phone", "county", 1, "P11", "2026-03-01 10:00:00"),
			Events: []petition.Event{ev(petition.EventAccepted, "2026-03-05 10:00:00"), reassigned,
				ev(petition.EventReplied, "2026-06-10 10:00:00"), ev(petition.EventClosed, "2026-06-15 10:00:00"), dissatisfied}},
	}
}

// putFixtureReference makes the fixture's units and sets the store's clock
// to fixtureNow: the fixture's cases are registered at 3 a.m. on 2 October.
// It sets the day tally's zone as serve does at start.
func putFixtureReference(t testing.TB, s *store.Store) {
	storetest.PutTwoUnits(t, s)
	for _, m := range fixtureMatters {
		if err := s.PutMatterWithin(context.Background(), m, len(fixtureMatters)); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range fixtureLeads {
		if err := s.PutLead(context.Background(), l.matter, l.lead, l.at); err != nil {
			t.Fatal(err)
		}
	}
	s.SetClock(func() time.Time { return fixtureNow })
	if _, err := s.RecountCompletionDays(context.Background(), shanghai); err != nil {
		t.Fatal(err)
	}
}

// writeFixture writes the fixture one case and one event at a time, as the
// intake would, then the dispute register and the daily reports.
func writeFixture(t testing.TB, s *store.Store, r petition.Rules) {
	t.Helper()
	putFixtureReference(t, s)
	ctx := context.Background()
	for _, lc := range fixture() {
		if _, _, err := s.CreateCase(ctx, r, lc.Case); err != nil {
			t.Fatal(err)
		}
		for _, e := range lc.Events {
			if _, _, err := s.AddEvent(ctx, r, lc.Case.CaseNo, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	writeRegister(t, s, r)
}

// fixtureWant is every non-zero domain series at fixtureNow.
var fixtureWant = map[string]float64{
	`petition_received_total{category="land_requisition",channel="visit",level="county",unit="u1"}`:        2,
	`petition_received_total{category="land_requisition",channel="letter",level="county",unit="u1"}`:       2,
	`petition_received_total{category="other",channel="online",level="county",unit="u1"}`:                  1,
	`petition_received_total{category="land_requisition",channel="visit",level="national",unit="u2"}`:      1,
	`petition_received_total{category="other",channel="online",level="national",unit="u1"}`:                1,
	`petition_received_total{category="land_requisition",channel="visit",level="province",unit="u2"}`:      1,
	`petition_received_total{category="other",channel="letter",level="county",unit="u1"}`:                  6, // with M1, M2 and V1
	`petition_received_total{category="land_requisition",channel="visit",level="county",unit="u2"}`:        1,
	`petition_stage_completed_total{stage="routing",unit="u2"}`:                                            3, // T1, T3, T4
	`petition_open{category="land_requisition",stage="routing",unit="u2"}`:                                 1,
	`petition_received_total{category="other",channel="letter",level="county",unit="u2"}`:                  4, // R3, T1, T3 and T4
	`petition_received_total{category="land_requisition",channel="online",level="city",unit="u2"}`:         1,
	`petition_received_total{category="other",channel="online",level="city",unit="u2"}`:                    2, // H3 and S1
	`petition_received_total{category="other",channel="phone",level="county",unit="u1"}`:                   1,
	`petition_received_total{category="labour_social_security",channel="letter",level="county",unit="u1"}`: 1,
	`petition_received_total{category="labour_social_security",channel="visit",level="county",unit="u2"}`:  1,
	`petition_persons_received_total{category="labour_social_security",unit="u1"}`:                         1,
	`petition_persons_received_total{category="labour_social_security",unit="u2"}`:                         1,
	`petition_received_window{category="labour_social_security",unit="u1",window="30d"}`:                   1,
	`petition_received_window{category="labour_social_security",unit="u2",window="30d"}`:                   1,
	`petition_open{category="labour_social_security",stage="acceptance",unit="u1"}`:                        1,
	`petition_open{category="labour_social_security",stage="handling",unit="u2"}`:                          1,
	`petition_persons_received_total{category="land_requisition",unit="u1"}`:                               4,
	`petition_persons_received_total{category="other",unit="u1"}`:                                          9,
	`petition_persons_received_total{category="land_requisition",unit="u2"}`:                               9,
	`petition_persons_received_total{category="other",unit="u2"}`:                                          6,
	`petition_collective_received_total{category="land_requisition",unit="u2"}`:                            1,
	// registered at 03:00 on 2 October, D1 (received at midnight), E1 (a
	// second before) and O1 are timely; the rest were received days before.
	// O1 is online at national level: counted by level, not as skip-level
	`petition_collective_received_timely_total{unit="u2"}`:                           1,
	`petition_skip_level_received_timely_total{level="national",unit="u2"}`:          1,
	`petition_skip_level_received_timely_total{level="province",unit="u2"}`:          1,
	`petition_repeat_received_total{category="other",unit="u1"}`:                     1,
	`petition_repeat_received_total{category="land_requisition",unit="u2"}`:          1,
	`petition_stage_completed_total{stage="acceptance",unit="u1"}`:                   9,
	`petition_stage_completed_late_total{stage="acceptance",unit="u1"}`:              1,
	`petition_stage_completed_total{stage="handling",unit="u1"}`:                     4, // H1... M2 on 1 October, T3 and T4
	`petition_stage_completed_total{stage="acceptance",unit="u2"}`:                   3,
	`petition_stage_completed_total{stage="handling",unit="u2"}`:                     1,
	`petition_stage_completed_late_total{stage="handling",unit="u2"}`:                1,
	`petition_evaluations_total{result="satisfied",unit="u1"}`:                       1,
	`petition_evaluations_total{result="basically_satisfied",unit="u1"}`:             1, // M2
	`petition_review_requests_total{stage="review",unit="u1"}`:                       1, // H2, within the window
	`petition_evaluations_total{result="dissatisfied",unit="u2"}`:                    1,
	`petition_received_window{category="land_requisition",unit="u2",window="today"}`: 1,
	`petition_received_window{category="land_requisition",unit="u1",window="7d"}`:    1,
	`petition_received_window{category="other",unit="u1",window="today"}`:            2,
	`petition_received_window{category="other",unit="u1",window="1h"}`:               1, // M1 at 02:30
	`petition_received_window{category="other",unit="u1",window="7d"}`:               3,
	`petition_received_window{category="land_requisition",unit="u2",window="7d"}`:    4,
	`petition_received_window{category="other",unit="u2",window="7d"}`:               1,
	`petition_received_window{category="land_requisition",unit="u1",window="30d"}`:   2,
	`petition_received_window{category="other",unit="u1",window="30d"}`:              4, // M2 on 1 September is older
	`petition_received_window{category="land_requisition",unit="u2",window="30d"}`:   4,
	`petition_received_window{category="other",unit="u2",window="30d"}`:              3,
	`petition_collective_received_window{unit="u2",window="today"}`:                  1,
	`petition_collective_received_window{unit="u2",window="7d"}`:                     1,
	`petition_collective_received_window{unit="u2",window="30d"}`:                    1,
	`petition_skip_level_received_window{unit="u2",window="today"}`:                  1,
	`petition_skip_level_received_window{unit="u2",window="7d"}`:                     2,
	`petition_skip_level_received_window{unit="u2",window="30d"}`:                    2,
	`petition_repeat_received_window{unit="u1",window="7d"}`:                         1,
	`petition_repeat_received_window{unit="u1",window="30d"}`:                        1,
	`petition_repeat_received_window{unit="u2",window="7d"}`:                         1,
	`petition_repeat_received_window{unit="u2",window="30d"}`:                        1,
	`petition_open{category="land_requisition",stage="acceptance",unit="u1"}`:        2,
	`petition_open{category="other",stage="acceptance",unit="u1"}`:                   5,
	`petition_open{category="land_requisition",stage="acceptance",unit="u2"}`:        3,
	`petition_open{category="other",stage="acceptance",unit="u2"}`:                   1,
	`petition_open{category="other",stage="handling",unit="u2"}`:                     1, // S1, a suggestion: no limit
	`petition_diverted_total{category="other",procedure="litigation",unit="u1"}`:     1, // V1
	`petition_assigned_open{unit="u1"}`:                                              2, // T3, T4
	`petition_assigned_overdue{unit="u1"}`:                                           1, // T3, due 30 September
	`petition_open{category="land_requisition",stage="handling",unit="u1"}`:          1,
	`petition_open{category="land_requisition",stage="review",unit="u1"}`:            1,
	`petition_overdue{category="other",stage="acceptance",unit="u1"}`:                1,
	`petition_overdue{category="land_requisition",stage="review",unit="u1"}`:         1,
	`petition_supervised_open{level="county",unit="u2"}`:                             1, // D1, supervised at receipt
	`petition_supervised_open{level="city",unit="u1"}`:                               1, // C1
	`petition_supervised_overdue{level="city",unit="u1"}`:                            1,
	// D1 and C1 owe their written answer; R1 gave it
	`petition_supervision_unanswered{level="county",unit="u2"}`: 1,
	`petition_supervision_unanswered{level="city",unit="u1"}`:   1,
	// major matters (art. 25): D1, a visit to Beijing at midnight, has
	// waited 3 hours for its report, past the hour; M1, marked major at
	// 02:30, is within it; M2 was reported to the county leadership a
	// second after its hour (late), to the city bureau in time
	`petition_major_unreported{unit="u1"}`:                                                                      1,
	`petition_major_unreported{unit="u2"}`:                                                                      1,
	`petition_major_unreported_overdue{unit="u2"}`:                                                              1,
	`petition_config_report_up_within_seconds{}`:                                                                3600,
	`petition_major_reports_reporting_period{reporting_period="month",to="city_bureau",unit="u1"}`:              1,
	`petition_major_reports_reporting_period{reporting_period="quarter",to="city_bureau",unit="u1"}`:            1,
	`petition_major_reports_reporting_period{reporting_period="month",to="county_leadership",unit="u1"}`:        1,
	`petition_major_reports_reporting_period{reporting_period="quarter",to="county_leadership",unit="u1"}`:      1,
	`petition_major_reports_late_reporting_period{reporting_period="month",to="county_leadership",unit="u1"}`:   1,
	`petition_major_reports_late_reporting_period{reporting_period="quarter",to="county_leadership",unit="u1"}`: 1,
	`petition_evaluations_reporting_period{reporting_period="month",result="basically_satisfied",unit="u1"}`:    1,
	`petition_evaluations_reporting_period{reporting_period="quarter",result="basically_satisfied",unit="u1"}`:  1,
	`petition_stage_completed_reporting_period{reporting_period="month",stage="handling",unit="u1"}`:            1,
	`petition_stage_completed_reporting_period{reporting_period="quarter",stage="handling",unit="u1"}`:          1,
	`petition_overdue_oldest_deadline_timestamp_seconds{unit="u1"}`:                                             float64(local("2026-09-21 00:00:00").Unix()), // H2's review
	`petition_unit_info{name="一镇",unit="u1"}`:                                                                   1,
	`petition_unit_info{name="二局",unit="u2"}`:                                                                   1,
	`petition_category_info{category="land_requisition",name="农村土地征用"}`:                                         1,
	`petition_category_info{category="other",name="其他"}`:                                                        1,
	// a fresh database has the county's default categories (migration 3)
	`petition_category_info{category="enterprise_restructuring",name="企业改制"}`:       1,
	`petition_category_info{category="labour_social_security",name="劳动和社会保障"}`:      1,
	`petition_category_info{category="minimum_living_allowance",name="城市居民最低生活保障"}`: 1,
	`petition_category_info{category="demolition_relocation",name="城市房屋拆迁安置"}`:      1,
	`petition_category_info{category="law_litigation",name="涉法涉诉"}`:                 1,
	`petition_sensitive_period_active{period="national_day"}`:                       1,
	// October and the fourth quarter began yesterday: N2's acceptance, on time
	`petition_stage_completed_reporting_period{reporting_period="month",stage="acceptance",unit="u2"}`:   1,
	`petition_stage_completed_reporting_period{reporting_period="quarter",stage="acceptance",unit="u2"}`: 1,
	`petition_reporting_period_start_timestamp_seconds{reporting_period="month"}`:                        float64(local("2026-10-01 00:00:00").Unix()),
	`petition_reporting_period_start_timestamp_seconds{reporting_period="quarter"}`:                      float64(local("2026-10-01 00:00:00").Unix()),
	// matters (fixtureMatters): chengdong and xiaowan rising, wages not
	`petition_matters_rising{category="land_requisition",unit="u1"}`:             2,
	`petition_matter_rising_info{matter="chengdong",name="城东棚户区改造项目",unit="u1"}`: 1,
	`petition_matter_rising_info{matter="xiaowan",name="小湾村征地补偿",unit="u1"}`:     1,
	`petition_matter_petitioners{matter="chengdong",unit="u1",window="7d"}`:      3,
	`petition_matter_petitioners{matter="chengdong",unit="u1",window="30d"}`:     4,
	`petition_matter_cases{matter="chengdong",unit="u1",window="7d"}`:            3,
	`petition_matter_cases{matter="chengdong",unit="u1",window="30d"}`:           4,
	`petition_matter_persons{matter="chengdong",unit="u1",window="7d"}`:          3,
	`petition_matter_persons{matter="chengdong",unit="u1",window="30d"}`:         4,
	`petition_matter_petitioners{matter="xiaowan",unit="u1",window="7d"}`:        1,
	`petition_matter_petitioners{matter="xiaowan",unit="u1",window="30d"}`:       1,
	`petition_matter_cases{matter="xiaowan",unit="u1",window="7d"}`:              1,
	`petition_matter_cases{matter="xiaowan",unit="u1",window="30d"}`:             1,
	`petition_matter_persons{matter="xiaowan",unit="u1",window="7d"}`:            1,
	`petition_matter_persons{matter="xiaowan",unit="u1",window="30d"}`:           1,
	`petition_matter_high_risk_disputes{matter="xiaowan",unit="u1"}`:             1,
	`petition_config_rising_petitioners{}`:                                       2,
	`petition_config_rising_matters_shown{}`:                                     20,
	// long-unresolved matters (fixtureLeads): wages is past its target, 1
	// October, since 00:00 today
	`petition_matters_backlog{unit="u1"}`:                                                      1,
	`petition_matters_backlog{unit="u2"}`:                                                      1,
	`petition_matters_backlog_unowned{unit="u1"}`:                                              1,
	`petition_matters_backlog_past_target{unit="u2"}`:                                          1,
	`petition_matters_backlog_resolved_reporting_period{reporting_period="month",unit="u1"}`:   1,
	`petition_matters_backlog_resolved_reporting_period{reporting_period="quarter",unit="u1"}`: 1,
	`petition_config_backlog_repeats{}`:                                                        3,
	// distinct petitioners by receiving unit and category: the 7 days from
	// 25 September 03:00 (R2 of P6 in), and the mean of the 8 calendar
	// weeks before Monday 21 September, the start of the week in which they
	// begin: from 27 July (H1, H2 of 1 July out; N2 of the 22nd in neither);
	// T3 and T4, two petitioners in one week, count 2 of 8
	`petition_category_petitioners{category="land_requisition",unit="u1"}`:                1,
	`petition_category_petitioners{category="land_requisition",unit="u2"}`:                4,
	`petition_category_petitioners{category="other",unit="u1"}`:                           3,
	`petition_category_petitioners{category="other",unit="u2"}`:                           1,
	`petition_category_petitioners_baseline{category="land_requisition",unit="u1"}`:       0.125,
	`petition_category_petitioners_baseline{category="other",unit="u1"}`:                  0.25,
	`petition_category_petitioners_baseline{category="other",unit="u2"}`:                  0.375,
	`petition_category_petitioners_baseline{category="labour_social_security",unit="u1"}`: 0.125,
}

// fixtureSeries is how many series each domain metric has with 2 units, the
// 7 categories of a fresh database (2 of them the fixture's) and 2 periods:
// every combination, zero-filled, but the received and diverted totals by
// channel, level or procedure, which hold only what happened.
var fixtureSeries = map[string]int{
	"petition_received_total":         14, // the combinations received, not zero-filled
	"petition_persons_received_total": 14, "petition_collective_received_total": 14,
	"petition_repeat_received_total": 14, "petition_stage_completed_total": 10, "petition_stage_completed_late_total": 10,
	"petition_evaluations_total": 6, "petition_review_requests_total": 4, "petition_review_requests_late_total": 4, "petition_received_window": 56, "petition_collective_received_window": 8,
	"petition_skip_level_received_window": 8, "petition_repeat_received_window": 8, "petition_open": 70,
	"petition_overdue": 70, "petition_due_soon": 10, "petition_supervised_open": 8, "petition_supervised_overdue": 8, "petition_supervision_unanswered": 8,
	"petition_overdue_oldest_deadline_timestamp_seconds": 1, "petition_unit_info": 2, "petition_category_info": 7,
	"petition_sensitive_period_active": 2, "petition_collective_received_timely_total": 2,
	"petition_skip_level_received_timely_total": 4, "petition_stage_completed_reporting_period": 20,
	"petition_stage_completed_late_reporting_period": 20, "petition_reporting_period_start_timestamp_seconds": 2,
	"petition_major_unreported": 2, "petition_major_unreported_overdue": 2, "petition_config_report_up_within_seconds": 1,
	"petition_major_reports_reporting_period": 16, "petition_major_reports_late_reporting_period": 16,
	"petition_evaluations_reporting_period": 12, "petition_diverted_total": 1, // the one diversion's
	"petition_assigned_open": 2, "petition_assigned_overdue": 2,
	"petition_matters_rising": 14, "petition_matter_rising_info": 2, "petition_matter_petitioners": 4, "petition_matter_cases": 4,
	"petition_matter_persons": 4, "petition_matter_high_risk_disputes": 2, "petition_config_rising_petitioners": 1,
	"petition_config_rising_matters_shown": 1, "petition_matters_backlog": 2, "petition_matters_backlog_unowned": 2,
	"petition_matters_backlog_past_target": 2, "petition_matters_backlog_resolved_reporting_period": 4, "petition_config_backlog_repeats": 1,
	// only the unit and category pairs with a case in the 7 days or the usual weeks
	"petition_category_petitioners": 5, "petition_category_petitioners_baseline": 5,
}
