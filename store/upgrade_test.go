package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

// eachUpgrade runs test, as a subtest named for the dialect, on a database
// of each dialect as riskmon left it at migration version, written to by
// prepare (exec runs a statement) as that riskmon would have, then migrated
// to the current schema.
func eachUpgrade(t *testing.T, version int64, prepare func(exec func(q string, args ...any)), test func(t *testing.T, ctx context.Context, s *store.Store)) {
	t.Helper()
	eachStore(t, func(t *testing.T, dialect string) *store.Store {
		ctx := context.Background()
		s, err := store.Open(ctx, storetest.DSN(t, dialect))
		must(t, err)
		t.Cleanup(func() { s.Close() })
		must(t, store.MigrateTo(ctx, s, version))
		prepare(func(q string, args ...any) {
			t.Helper()
			_, err := s.DB().ExecContext(ctx, q, args...)
			must(t, err)
		})
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("migrate: %v", err)
		}
		return s
	}, test)
}

// Migration 16: skip-level is a visit above the level allowed (2022 Reg. arts.
// 17, 20). A database whose letters and online petitions at national level
// were flagged skip-level, and whose register counted an escalation into one
// as major, serves the 2022 figures after migrate, and its tallies equal a
// recount.
func TestUpgradeSkipLevelIsAVisit(t *testing.T) {
	now := time.Date(2026, 10, 2, 3, 0, 0, 0, shanghai)
	eachUpgrade(t, 15, func(exec func(q string, args ...any)) {
		recv := now.Add(-time.Hour).Unix()
		exec("INSERT INTO units (code, name, kind) VALUES ('u1', '一镇', 'township')")
		// as riskmon before 16 stored them: every channel above the
		// city flagged skip-level, and the receipt tally by channel and level
		for _, c := range []struct {
			no, channel, level string
			skip               int
		}{
			{"V-NAT", "visit", "national", 1}, {"V-PROV", "visit", "province", 1}, {"V-CITY", "visit", "city", 0},
			{"O-NAT", "online", "national", 1}, {"L-PROV", "letter", "province", 1}, {"P-NAT", "phone", "national", 1},
		} {
			exec(`INSERT INTO cases (case_no, received_at, channel, category, received_unit, unit, persons, level,
petitioner_hash, supervised, routing, registered_at, timely, collective, skip_level, is_repeat, status, stage, stage_start,
stage_deadline, extended, last_event_at, last_seq) VALUES (?, ?, ?, 'other', 'u1', 'u1', 1, ?, ?, 0, 0, ?, 1, 0, ?, 0,
'received', 'acceptance', ?, ?, 0, ?, 0)`, c.no, recv, c.channel, c.level, petition.PetitionerHash([]byte("k"), c.no),
				now.Unix(), c.skip, recv, now.Add(15*24*time.Hour).Unix(), recv)
			exec(`INSERT INTO receipt_tally (unit, category, channel, level, shard, cases, persons, collective, repeats,
timely_cases, timely_collective) VALUES ('u1', 'other', ?, ?, 0, 1, 1, 0, 0, 1, 0)`, c.channel, c.level)
		}
		// a high-risk dispute that became the online petition, counted
		// as a major escalation by the old flag
		exec(`INSERT INTO disputes (dispute_no, found_at, unit, category, found_risk, persons_estimate, found_handler_assigned,
source, registered_at, status, risk, handler_assigned, escalated_case, last_event_at, last_seq)
VALUES ('D-UP', ?, 'u1', 'other', 'high', 30, 0, 'screening', ?, 'escalated', 'high', 0, 'O-NAT', ?, 1)`,
			recv-86400, recv-86400, recv)
		exec(`INSERT INTO dispute_events (dispute_id, seq, type, at, case_no, timely)
SELECT id, 1, 'escalated', ?, 'O-NAT', 1 FROM disputes WHERE dispute_no = 'D-UP'`, recv)
		exec(`INSERT INTO dispute_tally (unit, category, risk, shard, found, resolved, resolved_late, escalated,
escalated_timely, escalated_major_timely) VALUES ('u1', 'other', 'high', 3, 1, 0, 0, 1, 1, 1)`)
	}, func(t *testing.T, ctx context.Context, s *store.Store) {
		got := map[string]bool{}
		for _, row := range dumpRows(t, s, "SELECT case_no, skip_level FROM cases") {
			no, skip, _ := strings.Cut(row, "|")
			got[no] = skip == "1|"
		}
		want := map[string]bool{"V-NAT": true, "V-PROV": true, "V-CITY": false, "O-NAT": false, "L-PROV": false, "P-NAT": false}
		for no, w := range want {
			if got[no] != w {
				t.Errorf("%s: skip_level %v, want %v", no, got[no], w)
			}
		}
		if got := disputeCounts(t, s)[5]; got != 0 {
			t.Errorf("after the upgrade: %d major escalations, want 0 (an online petition is not skip-level)", got)
		}
		talliesRecounted(t, ctx, s, shanghai, "after the upgrade")
	})
}

// Migration 17: a transfer by a unit decides nothing (art. 23), so one stored
// as a completed acceptance completes nothing after migrate; the completion
// tallies, the day tally's included, equal a recount; the bureau's transfer
// still completes routing.
func TestUpgradeTransfersCompleteNoAcceptance(t *testing.T) {
	recv := time.Date(2026, 9, 20, 10, 0, 0, 0, shanghai)
	eachUpgrade(t, 16, func(exec func(q string, args ...any)) {
		exec("INSERT INTO units (code, name, kind) VALUES ('u1', '一镇', 'township'), ('u2', '二局', 'department'), ('b', '信访局', 'department')")
		for _, c := range []struct {
			no, unit string
			routing  int
		}{{"PASSED", "u1", 0}, {"ROUTED", "b", 1}} {
			exec(`INSERT INTO cases (case_no, received_at, channel, category, received_unit, unit, persons, level,
petitioner_hash, supervised, routing, registered_at, timely, collective, skip_level, is_repeat, status, stage, stage_start,
stage_deadline, extended, last_event_at, last_seq) VALUES (?, ?, 'letter', 'other', ?, 'u2', 1, 'county', ?, 0, ?, ?, 0, 0, 0, 0,
'received', 'acceptance', ?, ?, 0, ?, 1)`, c.no, recv.Unix(), c.unit, petition.PetitionerHash([]byte("k"), c.no), c.routing,
				recv.Unix(), recv.Add(48*time.Hour).Unix(), recv.Add(20*24*time.Hour).Unix(), recv.Add(48*time.Hour).Unix())
		}
		// as riskmon before 17 stored them: u1's transfer completed acceptance
		exec(`INSERT INTO case_events (case_id, seq, type, at, unit, completed_stage, late, new_unit)
SELECT id, 1, 'transferred', ?, received_unit, CASE WHEN routing = 1 THEN 'routing' ELSE 'acceptance' END, 0, 'u2' FROM cases`,
			recv.Add(48*time.Hour).Unix())
		exec(`INSERT INTO receipt_tally (unit, category, channel, level, shard, cases, persons, collective, repeats,
timely_cases, timely_collective) VALUES ('u1', 'other', 'letter', 'county', 0, 1, 1, 0, 0, 0, 0), ('b', 'other', 'letter', 'county', 0, 1, 1, 0, 0, 0, 0)`)
		exec(`INSERT INTO completion_tally (unit, stage, shard, completed, late) VALUES ('u1', 'acceptance', 1, 1, 0), ('b', 'routing', 2, 1, 0)`)
		day := int(recv.Add(48*time.Hour).Unix()+8*3600) / 86400
		exec(`INSERT INTO completion_day_tally (unit, stage, day, completed, late) VALUES ('u1', 'acceptance', ?, 1, 0), ('b', 'routing', ?, 1, 0)`, day, day)
		exec(`INSERT INTO settings (name, value) VALUES ('completion_day_zone', 'Asia/Shanghai')`)
	}, func(t *testing.T, ctx context.Context, s *store.Store) {
		stages := dumpRows(t, s, "SELECT unit, stage, SUM(completed) FROM completion_tally GROUP BY unit, stage ORDER BY unit")
		if got, want := strings.Join(stages, ", "), "b|routing|1|"; got != want {
			t.Errorf("completions after the upgrade: %s, want %s", got, want)
		}
		rebuilt, err := s.RecountCompletionDays(ctx, shanghai)
		if err != nil || !rebuilt {
			t.Errorf("the day tally was not rebuilt at the first start after the upgrade: %v %v", rebuilt, err)
		}
		talliesRecounted(t, ctx, s, shanghai, "after the upgrade")
	})
}

// Migration 19: major matters (2022 Reg. art. 25). Cases stored before are
// major by the default rule (60 persons, a visit to the national bureau, a
// high-risk dispute escalated into one), not an online petition to Beijing;
// none of them owes a report riskmon could not have recorded, so nothing
// pages after the upgrade; evaluations are counted by day from the events
// at the next start, and the tallies equal a recount.
func TestUpgradeMajorMatters(t *testing.T) {
	recv := time.Date(2026, 10, 2, 1, 0, 0, 0, shanghai)
	eachUpgrade(t, 18, func(exec func(q string, args ...any)) {
		exec("INSERT INTO units (code, name, kind) VALUES ('u1', '一镇', 'township')")
		for _, c := range []struct {
			no, channel, level string
			persons            int
		}{{"BIG", "visit", "county", 60}, {"NAT", "visit", "national", 1}, {"ONL", "online", "national", 1},
			{"ESC", "letter", "county", 1}, {"SMALL", "visit", "county", 49}} {
			exec(`INSERT INTO cases (case_no, received_at, channel, category, received_unit, unit, persons, level,
petitioner_hash, supervised, routing, registered_at, timely, collective, skip_level, is_repeat, status, stage, stage_start,
stage_deadline, extended, last_event_at, last_seq) VALUES (?, ?, ?, 'other', 'u1', 'u1', ?, ?, ?, 0, 0, ?, 1, 0, 0, 0,
'received', 'acceptance', ?, ?, 0, ?, 0)`, c.no, recv.Unix(), c.channel, c.persons, c.level, petition.PetitionerHash([]byte("k"), c.no),
				recv.Unix(), recv.Unix(), recv.Add(20*24*time.Hour).Unix(), recv.Unix())
		}
		exec(`INSERT INTO disputes (dispute_no, found_at, unit, category, found_risk, persons_estimate, found_handler_assigned,
source, registered_at, status, risk, handler_assigned, escalated_case, last_event_at, last_seq)
VALUES ('D-1', ?, 'u1', 'other', 'high', 30, 0, 'screening', ?, 'escalated', 'high', 0, 'ESC', ?, 1)`,
			recv.Add(-time.Hour).Unix(), recv.Add(-time.Hour).Unix(), recv.Unix())
		exec(`INSERT INTO dispute_events (dispute_id, seq, type, at, case_no, timely) SELECT id, 1, 'escalated', ?, 'ESC', 1 FROM disputes`, recv.Unix())
		// SMALL was accepted, replied and evaluated before the upgrade
		exec(`INSERT INTO case_events (case_id, seq, type, at, unit, completed_stage, late, result)
SELECT id, 1, 'evaluated', ?, 'u1', NULL, 0, 'satisfied' FROM cases WHERE case_no = 'SMALL'`, recv.Unix())
		exec(`INSERT INTO settings (name, value) VALUES ('completion_day_zone', 'Asia/Shanghai')`)
	}, func(t *testing.T, ctx context.Context, s *store.Store) {
		for _, tc := range []struct {
			no    string
			major bool
		}{{"BIG", true}, {"NAT", true}, {"ESC", true}, {"ONL", false}, {"SMALL", false}} {
			st, err := s.CaseState(ctx, tc.no)
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Major; got != tc.major {
				t.Errorf("%s: major %v after the upgrade, want %v", tc.no, got, tc.major)
			}
			if st.MajorUnreported() {
				t.Errorf("%s: owes a report riskmon never recorded", tc.no)
			}
		}
		var pending []store.MajorPending
		err := s.Read(ctx, func(r *store.Reader) (err error) { pending, err = r.MajorUnreported(ctx); return err })
		if err != nil || len(pending) != 0 {
			t.Errorf("unreported major matters after the upgrade: %v %v, want none", pending, err)
		}
		rebuilt, err := s.RecountCompletionDays(ctx, shanghai)
		if err != nil || !rebuilt {
			t.Errorf("the day tallies were not rebuilt at the first start after the upgrade: %v %v", rebuilt, err)
		}
		var evaluations int
		if err := s.DB().QueryRowContext(ctx, "SELECT SUM(evaluations) FROM evaluation_day_tally").Scan(&evaluations); err != nil || evaluations != 1 {
			t.Errorf("evaluations by day after the upgrade: %d %v, want the stored one", evaluations, err)
		}
		// the test wrote no receipt or register tallies: only the day
		// tallies, which the upgrade counts, must equal a recount
		diffs, err := s.CheckTallies(ctx, shanghai)
		for _, d := range diffs {
			if strings.HasSuffix(d.Table, "_day_tally") {
				t.Errorf("after the upgrade: %s", d)
			}
		}
		if err != nil {
			t.Error(err)
		}
		// a report after the upgrade is recorded and late for nobody
		r := petition.DefaultRules(shanghai)
		v, _, err := s.AddEvent(ctx, r, "BIG", petition.Event{Type: petition.EventReportedUp, At: recv.Add(48 * time.Hour), To: petition.ReportCountyLeadership})
		if err != nil || len(v.Events) != 1 || v.Events[0].Late {
			t.Errorf("a report after the upgrade: %+v %v, want recorded, not late", v.Events, err)
		}
	})
}

// Migration 20: matter types (2022 Reg. art. 28). Every case stored before
// is a claim, its handling deadline where it was, and the diversion tally
// starts empty and equal to a recount.
func TestUpgradeCasesAreClaims(t *testing.T) {
	recv := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)
	r := petition.DefaultRules(shanghai)
	// accepted at 11:00 on 2 March: 60 days, last day 1 May, in the Labour
	// Day holiday, moved to 6 May
	deadline := time.Date(2026, 5, 7, 0, 0, 0, 0, shanghai).Unix()
	eachUpgrade(t, 19, func(exec func(q string, args ...any)) {
		exec("INSERT INTO units (code, name, kind) VALUES ('u1', '一镇', 'township')")
		exec(`INSERT INTO cases (case_no, received_at, channel, category, received_unit, unit, persons, level,
petitioner_hash, supervised, routing, registered_at, timely, collective, skip_level, is_repeat, status, stage, stage_start,
stage_deadline, extended, last_event_at, last_seq) VALUES ('OLD', ?, 'letter', 'other', 'u1', 'u1', 1, 'county', ?, 0, 0, ?, 0, 0, 0, 0,
'accepted', 'handling', ?, ?, 0, ?, 1)`, recv.Unix(), petition.PetitionerHash([]byte("k"), "OLD"), recv.Unix(),
			recv.Add(time.Hour).Unix(), deadline, recv.Add(time.Hour).Unix())
		exec(`INSERT INTO case_events (case_id, seq, type, at, unit, completed_stage, late) SELECT id, 1, 'accepted', ?, 'u1', 'acceptance', 0 FROM cases`,
			recv.Add(time.Hour).Unix())
		exec(`INSERT INTO receipt_tally (unit, category, channel, level, shard, cases, persons, collective, repeats,
timely_cases, timely_collective) VALUES ('u1', 'other', 'letter', 'county', 0, 1, 1, 0, 0, 0, 0)`)
		exec(`INSERT INTO completion_tally (unit, stage, shard, completed, late) VALUES ('u1', 'acceptance', 0, 1, 0)`)
	}, func(t *testing.T, ctx context.Context, s *store.Store) {
		v, err := s.Case(ctx, "OLD")
		if err != nil {
			t.Fatal(err)
		}
		if !v.State.Claim() || v.State.Deadline.Unix() != deadline || v.State.Stage() != petition.StageHandling {
			t.Errorf("after the upgrade: matter %q, deadline %s (was %s), stage %s; want a claim in handling, the deadline kept",
				v.State.MatterType, v.State.Deadline, time.Unix(deadline, 0), v.State.Stage())
		}
		if _, _, err := s.AddEvent(ctx, r, "OLD", petition.Event{Type: petition.EventExtended, At: recv.Add(2 * time.Hour), Days: 30}); err != nil {
			t.Errorf("a stored claim's extension after the upgrade: %v", err)
		}
		if _, err := s.RecountCompletionDays(ctx, shanghai); err != nil {
			t.Fatal(err)
		}
		talliesRecounted(t, ctx, s, shanghai, "after the upgrade")
	})
}

// Migration 21: assignments and objections (2022 Reg. arts. 22(三), 23 ¶3).
// A case the bureau passed on before the upgrade, still waiting for its
// acceptance decision, keeps who passed it on and when: the unit may object
// within its 5 working days after the upgrade, and the case goes back.
func TestUpgradeKeepsTheObjectionWindow(t *testing.T) {
	recv := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)
	passed := recv.Add(24 * time.Hour)
	eachUpgrade(t, 20, func(exec func(q string, args ...any)) {
		exec("INSERT INTO units (code, name, kind) VALUES ('b', '信访局', 'department'), ('u1', '一镇', 'township')")
		exec(`INSERT INTO cases (case_no, received_at, channel, category, received_unit, unit, persons, level,
petitioner_hash, supervised, routing, registered_at, timely, collective, skip_level, is_repeat, status, stage, stage_start,
stage_deadline, extended, last_event_at, last_seq) VALUES ('ROUTED', ?, 'letter', 'other', 'b', 'u1', 1, 'county', ?, 0, 1, ?, 0, 0, 0, 0,
'received', 'acceptance', ?, ?, 0, ?, 1)`, recv.Unix(), petition.PetitionerHash([]byte("k"), "ROUTED"), recv.Unix(),
			passed.Unix(), passed.Add(15*24*time.Hour).Unix(), passed.Unix())
		exec(`INSERT INTO case_events (case_id, seq, type, at, unit, completed_stage, late, new_unit) SELECT id, 1, 'transferred', ?, 'b', 'routing', 0, 'u1' FROM cases`,
			passed.Unix())
	}, func(t *testing.T, ctx context.Context, s *store.Store) {
		st, err := s.CaseState(ctx, "ROUTED")
		if err != nil {
			t.Fatal(err)
		}
		if st.TransferredBy != "b" || !st.TransferredAt.Equal(passed) || st.AssignedDue != 0 {
			t.Fatalf("after the upgrade: transferred by %q at %s, assigned %s; want by b at %s, no assignment", st.TransferredBy, st.TransferredAt, st.AssignedDue, passed)
		}
		v, _, err := s.AddEvent(ctx, petition.DefaultRules(shanghai), "ROUTED", petition.Event{Type: petition.EventObjected, At: passed.Add(48 * time.Hour)})
		if err != nil || v.State.Unit != "b" || v.State.Status != petition.StatusRegistered {
			t.Errorf("objection after the upgrade: %s with %s, %v; want back with the bureau", v.State.Status, v.State.Unit, err)
		}
	})
}
