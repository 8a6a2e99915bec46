package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation(time.DateTime, s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// deadlineOf reads a case's stored deadline.
func deadlineOf(t *testing.T, s *store.Store, no string) time.Time {
	t.Helper()
	st, err := s.CaseState(context.Background(), no)
	if err != nil {
		t.Fatal(err)
	}
	return st.Deadline
}

// A change of the calendar moves the open cases' deadlines and nothing else:
// closed cases, histories and counters stay; a second run reads nothing.
func TestRecomputeDeadlines(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		r := rules
		write := func(c petition.Case, events ...petition.Event) {
			if _, _, err := s.CreateCase(ctx, r, c); err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				if _, _, err := s.AddEvent(ctx, r, c.CaseNo, e); err != nil {
					t.Fatal(err)
				}
			}
		}
		open := sample("OPEN") // last day Thursday 19 November
		open.ReceivedAt = at("2026-11-04 10:00:00")
		other := sample("OTHER") // last day Friday 20 November
		other.ReceivedAt, other.PetitionerHash = at("2026-11-05 10:00:00"), petition.PetitionerHash([]byte("k"), "other")
		handled := sample("HANDLED") // handling: 60 days from 2 November, last day Friday 1 January (New Year)
		handled.ReceivedAt, handled.PetitionerHash = at("2026-11-01 10:00:00"), petition.PetitionerHash([]byte("k"), "h")
		closed := sample("CLOSED")
		closed.ReceivedAt, closed.PetitionerHash = at("2026-10-20 10:00:00"), petition.PetitionerHash([]byte("k"), "c")
		write(open)
		write(other)
		write(handled, petition.Event{Type: petition.EventAccepted, At: at("2026-11-02 10:00:00")})
		write(closed, petition.Event{Type: petition.EventNotAccepted, At: at("2026-10-21 10:00:00")})

		// beyond the shipped data New Year's Day 2027, a Friday, is a working day
		if got, want := deadlineOf(t, s, "HANDLED"), at("2027-01-02 00:00:00"); !got.Equal(want) {
			t.Fatalf("handling deadline %s, want %s", got, want)
		}
		res, err := s.RecomputeDeadlines(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if res.Moved != 0 || res.Checked != 3 || res.Current {
			t.Errorf("first run under the same rules: %+v, want 3 checked, none moved", res)
		}
		if res, err := s.RecomputeDeadlines(ctx, r); err != nil || !res.Current || res.Checked != 0 {
			t.Errorf("second run: %+v (%v), want nothing read", res, err)
		}

		before := tallies(t, s)
		events := dumpRows(t, s, "SELECT case_id, seq, type, at, unit, COALESCE(completed_stage, ''), late FROM case_events ORDER BY case_id, seq")
		closedRow := dumpRows(t, s, "SELECT case_no, status, COALESCE(stage, ''), COALESCE(stage_start, 0), COALESCE(stage_deadline, 0), COALESCE(decided_at, 0), last_seq FROM cases WHERE case_no = 'CLOSED'")

		// the operator adds a local day off on 19 November and 2027's notice
		path := filepath.Join(t.TempDir(), "holidays.yml")
		if err := os.WriteFile(path, []byte(`years:
  - year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知（测试用）
    holidays: [{name: 元旦, from: 2027-01-01, to: 2027-01-04}]
local:
  - {name: 县庆, from: 2026-11-19, to: 2026-11-19, source: 测试用}
`), 0o600); err != nil {
			t.Fatal(err)
		}
		cal, err := calendar.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		r.Calendar = cal
		res, err = s.RecomputeDeadlines(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if res.Moved != 2 || res.Checked != 3 {
			t.Errorf("after the calendar changed: %+v, want 2 of 3 moved", res)
		}
		for no, want := range map[string]time.Time{
			"OPEN":    at("2026-11-21 00:00:00"), // 19 November off: 20 November
			"OTHER":   at("2026-11-21 00:00:00"), // unchanged
			"HANDLED": at("2027-01-06 00:00:00"), // 1-4 January off: 5 January
		} {
			if got := deadlineOf(t, s, no); !got.Equal(want) {
				t.Errorf("%s: deadline %s, want %s", no, got, want)
			}
		}
		if got := tallies(t, s); !reflect.DeepEqual(got, before) {
			t.Error("the recompute moved a counter")
		}
		if got := dumpRows(t, s, "SELECT case_id, seq, type, at, unit, COALESCE(completed_stage, ''), late FROM case_events ORDER BY case_id, seq"); !reflect.DeepEqual(got, events) {
			t.Error("the recompute touched the history")
		}
		if got := dumpRows(t, s, "SELECT case_no, status, COALESCE(stage, ''), COALESCE(stage_start, 0), COALESCE(stage_deadline, 0), COALESCE(decided_at, 0), last_seq FROM cases WHERE case_no = 'CLOSED'"); !reflect.DeepEqual(got, closedRow) {
			t.Error("the recompute touched a closed case")
		}
	})
}

// An existing database upgrades in place: the migration gives its open cases
// their clock starts, and its deadlines, kept at the clock time of their
// start, are recomputed once by the law's rules.
func TestUpgradeRecomputesOldDeadlines(t *testing.T) {
	eachUpgrade(t, store.DefaultCategoriesVersion, func(exec func(q string, args ...any)) {
		exec("INSERT INTO units (code, name, kind) VALUES ('u1', '一镇', 'township')")
		// as riskmon before migration 4 stored them: a deadline 15 (and 60+10)
		// days later at the same clock time
		recv, acc := at("2026-09-20 10:00:00").Unix(), at("2026-09-21 10:00:00").Unix()
		old := `INSERT INTO cases (case_no, received_at, channel, category, received_unit, unit, persons, level,
petitioner_hash, supervised, collective, skip_level, is_repeat, status, stage, stage_deadline, extended, decided_at,
last_event_at, last_seq) VALUES (?, ?, 'visit', 'other', 'u1', 'u1', 1, 'county', ?, 0, 0, 0, 0, ?, ?, ?, ?, ?, ?, ?)`
		hash := petition.PetitionerHash([]byte("k"), "id")
		exec(old, "RECEIVED", recv, hash, "received", "acceptance", at("2026-10-05 10:00:00").Unix(), 0, nil, recv, 0)
		exec(old, "EXTENDED", recv, hash, "accepted", "handling", at("2026-11-30 10:00:00").Unix(), 1, acc, acc+60, 2)
		for _, e := range [][]any{{1, "accepted", acc, "acceptance", nil}, {2, "extended", acc + 60, nil, 10}} {
			exec(`INSERT INTO case_events (case_id, seq, type, at, unit, completed_stage, late, days)
SELECT id, ?, ?, ?, 'u1', ?, 0, ? FROM cases WHERE case_no = 'EXTENDED'`, e...)
		}
	}, func(t *testing.T, ctx context.Context, s *store.Store) {
		res, err := s.RecomputeDeadlines(ctx, rules)
		if err != nil {
			t.Fatal(err)
		}
		if res.Moved != 2 || res.Skipped != 0 {
			t.Errorf("upgrade: %+v, want both deadlines moved", res)
		}
		for no, want := range map[string]time.Time{
			"RECEIVED": at("2026-10-09 00:00:00"), // 5 October, in the holiday: 8 October
			"EXTENDED": at("2026-12-01 00:00:00"), // 70 days from 21 September: Monday 30 November
		} {
			if got := deadlineOf(t, s, no); !got.Equal(want) {
				t.Errorf("%s: deadline %s, want %s", no, got, want)
			}
		}
		if res, err := s.RecomputeDeadlines(ctx, rules); err != nil || !res.Current {
			t.Errorf("recomputed twice: %+v (%v)", res, err)
		}
	})
}

// A receipt is timely when registered within the backfill horizon of its
// receipt, on every write path; only timely receipts move the counters that
// page.
func TestTimelyReceipts(t *testing.T) {
	now := at("2026-10-02 03:00:00")
	cases := func() []store.LoadCase {
		var out []store.LoadCase
		for i, received := range []time.Time{
			now.Add(-2 * time.Hour),      // timely
			now.Add(-24 * time.Hour),     // at the horizon: timely
			now.Add(-24*time.Hour - 1e9), // a second past it: history
			now.AddDate(0, -1, 0),        // last month: history
		} {
			c := sample(fmt.Sprintf("T-%d", i))
			c.ReceivedAt, c.Persons = received, 6 // collective
			c.PetitionerHash = petition.PetitionerHash([]byte("k"), c.CaseNo)
			out = append(out, store.LoadCase{Case: c})
		}
		return out
	}
	for _, dialect := range storetest.Dialects {
		for _, how := range []string{"api", "bulk load", "import"} {
			t.Run(dialect+"/"+how, func(t *testing.T) {
				ctx := context.Background()
				s := setup(t, dialect)
				s.SetClock(func() time.Time { return now })
				switch how {
				case "api":
					for _, lc := range cases() {
						if _, _, err := s.CreateCase(ctx, rules, lc.Case); err != nil {
							t.Fatal(err)
						}
					}
				case "bulk load":
					if err := s.Load(ctx, rules, cases()); err != nil {
						t.Fatal(err)
					}
				case "import":
					old := sample("T-OLD") // a stored case: the import takes the incremental path
					if _, _, err := s.CreateCase(ctx, rules, old); err != nil {
						t.Fatal(err)
					}
					if err := s.Import(ctx, rules, store.Cases(cases()), nil); err != nil {
						t.Fatal(err)
					}
				}
				var got [3]int64
				err := s.Read(ctx, func(r *store.Reader) error {
					rows, err := store.AllReceipts.Read(ctx, r)
					for _, row := range rows {
						got[0] += row.TimelyCases
						got[1] += row.TimelyCollective
						got[2] += row.Collective
					}
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				if got != [3]int64{2, 2, 4} {
					t.Errorf("timely cases, timely collective, collective = %v, want [2 2 4]", got)
				}
			})
		}
	}
}

// Every write path stores the deadlines the rules compute: with the record
// of the rules forgotten, a recompute reads every open case and moves none.
// A bulk load, whose cases are all its own, records its rules, so that the
// first serve after it reads no case again (2.3 million open ones at 10M);
// the other paths leave the record as it was, since the cases they join may
// have been computed by other rules.
func TestWritePathsStoreTheRulesDeadlines(t *testing.T) {
	cases := diffCounty(rules, 5)
	for path, write := range writePaths {
		for _, dialect := range storetest.Dialects {
			t.Run(path+"/"+dialect, func(t *testing.T) {
				ctx := context.Background()
				s := diffStore(t, dialect)
				must(t, write(ctx, s, rules, cases))
				res, err := s.RecomputeDeadlines(ctx, rules)
				must(t, err)
				if got, want := res.Current, path == "bulk load"; got != want {
					t.Errorf("after the write, the rules recorded: %v, want %v (%+v)", got, want, res)
				}
				_, err = s.DB().ExecContext(ctx, "DELETE FROM settings WHERE name = 'deadline_rules'")
				must(t, err)
				res, err = s.RecomputeDeadlines(ctx, rules)
				must(t, err)
				if res.Checked == 0 || res.Moved != 0 || res.Current {
					t.Errorf("recomputed: %+v, want every open case read and none moved", res)
				}
			})
		}
	}
}
