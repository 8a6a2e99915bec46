package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"riskmon/demo"
	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

var rules = petition.DefaultRules(shanghai)

// day is a day of 24 hours, the windows' unit.
const day = 24 * time.Hour

// must fails t on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// talliesRecounted fails t unless every tally of s is what a recount makes
// of the facts (CheckTallies), after what was done.
func talliesRecounted(t *testing.T, ctx context.Context, s *store.Store, loc *time.Location, after string) {
	t.Helper()
	if diffs, err := s.CheckTallies(ctx, loc); err != nil || len(diffs) > 0 {
		t.Errorf("%s, the tallies are not what a recount makes: %v %v", after, diffs, err)
	}
}

// readOf returns what read says in one read of s: from the tallies (with
// what a kept reader keeps), or with facts from the facts alone (ReadFacts,
// where a kept reader reads as the reader it keeps for).
func readOf[T any](t *testing.T, s *store.Store, facts bool, read func(*store.Reader) (T, error)) T {
	t.Helper()
	rd := s.Read
	if facts {
		rd = s.ReadFacts
	}
	var got T
	must(t, rd(context.Background(), func(r *store.Reader) error {
		var err error
		got, err = read(r)
		return err
	}))
	return got
}

// keptIsFacts fails t unless what a kept reader read at now is what the
// facts say, and returns the facts'.
func keptIsFacts[T any](t *testing.T, now time.Time, after string, kept, facts T) T {
	t.Helper()
	if !reflect.DeepEqual(kept, facts) {
		t.Fatalf("at %s, after %s: kept %+v, counted %+v", now.Format(time.RFC3339Nano), after, kept, facts)
	}
	return facts
}

// keptRepaired fails t unless a kept reader that read after change (a write
// behind the writers' backs, on rows of its tally) reads, once repair has
// rewritten the tally, what a reader that keeps nothing (read(nil)) reads.
// The change leaves what the kept reader compares as it was, so that only
// the rewrite's version can tell it to read again.
func keptRepaired[K, T any](t *testing.T, s *store.Store, change string, args []any, repair func(), read func(*K) T) {
	t.Helper()
	res, err := s.DB().ExecContext(context.Background(), change, args...)
	must(t, err)
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		t.Fatalf("%s: %d rows changed, %v; want some", change, n, err)
	}
	k := new(K)
	_ = read(k)
	repair()
	if got, want := read(k), read(nil); !reflect.DeepEqual(got, want) {
		t.Fatalf("after %s and its repair: kept %+v, counted %+v", change, got, want)
	}
}

// eachStore runs test, as a subtest named for the dialect, on a store of
// each dialect that open makes (setup, diffStore, setupTwo).
func eachStore(t *testing.T, open func(*testing.T, string) *store.Store, test func(t *testing.T, ctx context.Context, s *store.Store)) {
	t.Helper()
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			test(t, context.Background(), open(t, dialect))
		})
	}
}

// writeFunc writes cases with their events by one of writePaths.
type writeFunc = func(ctx context.Context, s *store.Store, r petition.Rules, cases []store.LoadCase) error

// eachWritePath runs test, as a subtest named path/dialect, once for each of
// writePaths on a store of each dialect that open makes.
func eachWritePath(t *testing.T, open func(*testing.T, string) *store.Store, test func(t *testing.T, ctx context.Context, s *store.Store, write writeFunc)) {
	t.Helper()
	for path, write := range writePaths {
		t.Run(path, func(t *testing.T) {
			eachStore(t, open, func(t *testing.T, ctx context.Context, s *store.Store) { test(t, ctx, s, write) })
		})
	}
}

// smallCounty opens a store with storetest's small county (PutTwoUnits).
func smallCounty(t *testing.T, dialect string) *store.Store {
	t.Helper()
	s := storetest.Open(t, dialect)
	storetest.PutTwoUnits(t, s)
	return s
}

// putMatters adds the matters of codes, all of u1 and the category other.
func putMatters(t *testing.T, s *store.Store, codes ...string) {
	t.Helper()
	for _, m := range codes {
		must(t, s.PutMatterWithin(context.Background(), store.Matter{Code: m, Name: "事项" + m, Unit: "u1", Category: "other"}, 10))
	}
}

// fourMatters opens smallCounty with the matters m1 to m4.
func fourMatters(t *testing.T, dialect string) *store.Store {
	t.Helper()
	s := smallCounty(t, dialect)
	putMatters(t, s, "m1", "m2", "m3", "m4")
	return s
}

func setup(t *testing.T, dialect string) *store.Store {
	t.Helper()
	s := storetest.Open(t, dialect)
	ctx := context.Background()
	if err := s.PutUnit(ctx, store.Unit{Code: "u1", Name: "一镇", Kind: "township"}); err != nil {
		t.Fatal(err)
	}
	// u2 receives the transfers of the edge cases
	if err := s.PutUnit(ctx, store.Unit{Code: "u2", Name: "二局", Kind: "department"}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutCategory(ctx, store.Category{Code: "other", Name: "其他"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func sample(no string) petition.Case {
	return petition.Case{CaseNo: no, ReceivedAt: time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC), Channel: "visit",
		Category: "other", Unit: "u1", Persons: 1, Level: "county", PetitionerHash: petition.PetitionerHash([]byte("k"), "id")}
}

// counts reads the tables a refused write must leave alone.
func counts(t *testing.T, s *store.Store) [4]int64 {
	t.Helper()
	var out [4]int64
	err := s.Read(context.Background(), func(r *store.Reader) error {
		rc, err := store.AllReceipts.Read(context.Background(), r)
		for _, x := range rc {
			out[0] += x.Cases
			out[1] += x.Repeats
		}
		if err != nil {
			return err
		}
		cc, err := store.AllCompletions.Read(context.Background(), r)
		if err != nil {
			return err
		}
		for _, x := range cc {
			out[2] += x.Completed
		}
		bl, err := r.Backlog(context.Background(), time.Now(), time.Hour)
		for _, x := range bl {
			out[3] += x.Open
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCreateCase(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		_, created, err := s.CreateCase(ctx, rules, sample("C-1"))
		if err != nil || !created {
			t.Fatalf("first create: %v %v", created, err)
		}
		_, created, err = s.CreateCase(ctx, rules, sample("C-1"))
		if err != nil || created {
			t.Fatalf("identical retry: created %v err %v, want false nil", created, err)
		}
		before := counts(t, s)
		changed := sample("C-1")
		changed.Persons = 7
		bad := sample("C-2")
		bad.Unit, bad.Category, bad.RepeatOf = "nowhere", "nothing", "C-404"
		invalid := petition.Case{CaseNo: "bad no!", Channel: "fax", Level: "planet", PetitionerHash: "plain-id"}
		for _, tc := range []struct {
			name     string
			c        petition.Case
			wantErr  error
			wantText []string
		}{
			{"same number, other content", changed, store.ErrConflict, []string{"C-1"}},
			{"unknown references", bad, store.ErrUnknownRef, []string{`unit "nowhere"`, `category "nothing"`, `repeat_of "C-404"`}},
			{"invalid values", invalid, store.ErrInvalidValue, []string{"case_no", "received_at", "channel", "level", "persons", "petitioner_hash"}},
		} {
			_, _, err := s.CreateCase(ctx, rules, tc.c)
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("%s: err = %v, want %v", tc.name, err, tc.wantErr)
			}
			for _, w := range tc.wantText {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("%s: error %v does not name %s", tc.name, err, w)
				}
			}
		}
		if got := counts(t, s); got != before {
			t.Errorf("refused creates wrote: counts %v, want %v", got, before)
		}
	})
}

func TestAddEventRefusalWritesNothing(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		c := sample("E-1")
		if _, _, err := s.CreateCase(ctx, rules, c); err != nil {
			t.Fatal(err)
		}
		acceptAt := c.ReceivedAt.Add(time.Hour)
		if _, _, err := s.AddEvent(ctx, rules, "E-1", petition.Event{Type: petition.EventAccepted, At: acceptAt}); err != nil {
			t.Fatal(err)
		}
		before := counts(t, s)
		stateBefore, err := s.CaseState(ctx, "E-1")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name    string
			caseNo  string
			e       petition.Event
			wantErr error
			want    string
		}{
			{"accept twice", "E-1", petition.Event{Type: petition.EventAccepted, At: acceptAt.Add(time.Hour)}, petition.ErrTransition, "status accepted"},
			{"earlier than the last", "E-1", petition.Event{Type: petition.EventReplied, At: acceptAt.Add(-time.Second)}, petition.ErrTransition, "earlier than"},
			{"reassign to unknown unit", "E-1", petition.Event{Type: petition.EventReassigned, At: acceptAt, Unit: "u9"}, store.ErrUnknownRef, `"u9"`},
			{"unknown case", "E-404", petition.Event{Type: petition.EventAccepted, At: acceptAt}, store.ErrNotFound, "E-404"},
		} {
			_, _, err := s.AddEvent(ctx, rules, tc.caseNo, tc.e)
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: err = %v, want %v naming %q", tc.name, err, tc.wantErr, tc.want)
			}
		}
		stateAfter, err := s.CaseState(ctx, "E-1")
		if err != nil {
			t.Fatal(err)
		}
		if got := counts(t, s); got != before || stateAfter != stateBefore {
			t.Errorf("refused events wrote: %v %+v, want %v %+v", got, stateAfter, before, stateBefore)
		}
	})
}

// tallies returns the stored tallies, to compare with a recount.
func tallies(t *testing.T, s *store.Store) []any {
	t.Helper()
	var out []any
	err := s.Read(context.Background(), func(r *store.Reader) error {
		a, err1 := store.AllReceipts.Read(context.Background(), r)
		b, err2 := store.AllCompletions.Read(context.Background(), r)
		c, err3 := store.AllEvaluations.Read(context.Background(), r)
		out = []any{sorted(a), sorted(b), sorted(c)}
		return errors.Join(err1, err2, err3)
	})
	if err != nil {
		t.Fatal(err)
	}
	days, err := store.DayTally(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, days)
}

func sorted[T any](xs []T) map[string]T {
	m := map[string]T{}
	for _, x := range xs {
		k := reflect.ValueOf(x)
		key := ""
		for i := 0; i < k.NumField() && k.Field(i).Kind() == reflect.String; i++ {
			key += k.Field(i).String() + "|"
		}
		m[key] = x
	}
	return m
}

func TestIncrementalTalliesMatchARecount(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		if err := s.PutUnit(ctx, store.Unit{Code: "u2", Name: "二镇", Kind: "township"}); err != nil {
			t.Fatal(err)
		}
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i < 40; i++ {
			c := sample("T-" + string(rune('A'+i%26)) + string(rune('a'+i/26)))
			c.ReceivedAt = base.Add(time.Duration(40-i) * 72 * time.Hour) // newest first
			c.PetitionerHash = petition.PetitionerHash([]byte("k"), []string{"p1", "p2", "p3"}[i%3])
			c.Persons = 1 + i%7
			if _, _, err := s.CreateCase(ctx, rules, c); err != nil {
				t.Fatal(err)
			}
			at := c.ReceivedAt
			for j, e := range []petition.Event{
				{Type: petition.EventAccepted, At: at.Add(time.Duration(i) * 24 * time.Hour)},
				{Type: petition.EventReassigned, At: at.Add(20 * 24 * time.Hour), Unit: "u2"},
				{Type: petition.EventReplied, At: at.Add(time.Duration(30+2*i) * 24 * time.Hour)},
				{Type: petition.EventEvaluated, At: at.Add(100 * 24 * time.Hour), Result: petition.EvaluationResults[i%3]},
			} {
				if j >= i%5 {
					break
				}
				if _, _, err := s.AddEvent(ctx, rules, c.CaseNo, e); err != nil && !errors.Is(err, petition.ErrTransition) {
					t.Fatal(err)
				}
			}
		}
		incremental := tallies(t, s)
		if _, err := s.Recount(ctx, shanghai); err != nil {
			t.Fatal(err)
		}
		if recounted := tallies(t, s); !reflect.DeepEqual(incremental, recounted) {
			t.Errorf("incremental tallies\n%v\ndiffer from a recount\n%v", incremental, recounted)
		}
	})
}

func TestLoadRefusesADatabaseWithCases(t *testing.T) {
	s := setup(t, "sqlite")
	if _, _, err := s.CreateCase(context.Background(), rules, sample("L-1")); err != nil {
		t.Fatal(err)
	}
	err := s.Load(context.Background(), rules, []store.LoadCase{{Case: sample("L-2")}})
	if err == nil || !strings.Contains(err.Error(), "already holds 1 cases") {
		t.Errorf("Load into a used database: %v", err)
	}
}

func TestLoadRollsBackABadHistory(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s := setup(t, dialect)
			good := sample("G-1")
			bad := sample("G-2")
			err := s.Load(context.Background(), rules, []store.LoadCase{
				{Case: good},
				{Case: bad, Events: []petition.Event{{Type: petition.EventReplied, At: bad.ReceivedAt}}},
			})
			if !errors.Is(err, petition.ErrTransition) || !strings.Contains(err.Error(), "G-2 event 1") {
				t.Errorf("err = %v, want a transition error naming G-2 event 1", err)
			}
			if _, err := s.CaseState(context.Background(), "G-1"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("G-1 was written despite the failed load: %v", err)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dsn := storetest.DSN(t, "mysql")
	sep := map[bool]string{true: "&", false: "?"}[strings.Contains(dsn, "?")]
	if s, err := store.Open(context.Background(), dsn+sep+"charset=utf8mb4&collation=utf8mb4_bin"); err != nil {
		t.Errorf("utf8mb4 refused: %v", err)
	} else {
		s.Close()
	}
	for _, tc := range []struct{ dsn, want string }{
		{"postgres://x", `must start with "sqlite:" or "mysql:"`},
		{"sqlite:", "empty path"},
		{"mysql:root@tcp(127.0.0.1:1)/x", "open mysql database"},
		{"mysql:%%%", "open mysql database"},
		// multibyte charsets whose second byte can be a backslash open the
		// driver's interpolated parameters to injection
		{"mysql:root@tcp(127.0.0.1:3306)/test?charset=gbk", `charset "gbk": only utf8mb4`},
		{"mysql:root@tcp(127.0.0.1:3306)/test?charset=utf8mb4,big5", `charset "utf8mb4,big5": only utf8mb4`},
		{"mysql:root@tcp(127.0.0.1:3306)/test?collation=gb18030_chinese_ci", `collation "gb18030_chinese_ci": only utf8mb4`},
		{"mysql:root@tcp(127.0.0.1:3306)/test?character_set_client=gbk", `"character_set_client": only utf8mb4`},
	} {
		_, err := store.Open(context.Background(), tc.dsn)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%q) = %v, want %q", tc.dsn, err, tc.want)
		}
	}
}

// TestIncrementalImportEndsAsLoad imports a county in two steps, the second
// into a database that holds the later half of the cases and every other one
// of the earlier half, each with only part of its history,
// and checks that it ends exactly as a bulk load of the whole county: the
// incremental path creates cases among stored ones (some of them earlier
// originals that make stored cases repeats),
// adds the missing events and counts them.
func TestIncrementalImportEndsAsLoad(t *testing.T) {
	now := time.Date(2026, 10, 2, 3, 0, 0, 0, shanghai)
	from := now.AddDate(0, -4, 0)
	county := demo.Generate(rules, demo.Key, from, now, 7, demo.RateFor(rules, from, now, 1200))
	// Ten petitioners bring every case: many repeats of one matter. The times
	// carry parts of a second, which every path cuts where they enter.
	for i := range county {
		county[i].Case.PetitionerHash = petition.PetitionerHash([]byte("k"), fmt.Sprint("p", i%10))
		county[i].Case.ReceivedAt = county[i].Case.ReceivedAt.Add(time.Second - time.Nanosecond)
		for j := range county[i].Events {
			county[i].Events[j].At = county[i].Events[j].At.Add(123456789 * time.Nanosecond)
		}
	}
	var part []store.LoadCase
	for i, lc := range county {
		if i%2 == 0 || i > len(county)/2 {
			lc.Events = lc.Events[:len(lc.Events)/2]
			part = append(part, lc)
		}
	}
	events := `SELECT c.case_no, e.seq, e.type, e.at, e.unit, COALESCE(e.completed_stage, ''), e.late,
COALESCE(e.days, 0), COALESCE(e.result, ''), COALESCE(e.new_unit, '') FROM case_events e
JOIN cases c ON c.id = e.case_id ORDER BY c.case_no, e.seq`
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			loaded, imported := storetest.Open(t, dialect), storetest.Open(t, dialect)
			for _, s := range []*store.Store{loaded, imported} {
				if err := demo.PutReference(ctx, s); err != nil {
					t.Fatal(err)
				}
			}
			if err := loaded.Load(ctx, rules, county); err != nil {
				t.Fatal(err)
			}
			if err := imported.Import(ctx, rules, store.Cases(part), nil); err != nil {
				t.Fatal(err)
			}
			var done []int
			if err := imported.Import(ctx, rules, store.Cases(county), func(n int) { done = append(done, n) }); err != nil {
				t.Fatal(err)
			}
			if len(done) < 2 || done[len(done)-1] != len(county) {
				t.Errorf("progress %v: want several batches ending at %d (the incremental path)", done, len(county))
			}
			// the same file again changes nothing
			if err := imported.Import(ctx, rules, store.Cases(county), nil); err != nil {
				t.Fatalf("the same file again: %v", err)
			}
			if stored, err := imported.Compare(ctx, county); err != nil {
				t.Fatal(err)
			} else if i := slices.IndexFunc(stored, func(st store.Stored) bool { return st.Conflict != "" || !st.Exists }); i >= 0 {
				t.Errorf("case %s compares as %+v with the file that stored it", county[i].Case.CaseNo, stored[i])
			}
			if got, want := caseRows(t, imported), caseRows(t, loaded); !reflect.DeepEqual(got, want) {
				t.Errorf("cases differ from a bulk load: %s", firstDifference(got, want))
			}
			if got, want := dumpRows(t, imported, events), dumpRows(t, loaded, events); !reflect.DeepEqual(got, want) {
				t.Errorf("events differ from a bulk load: %s", firstDifference(got, want))
			}
			var repeats int
			if err := loaded.DB().QueryRow("SELECT COUNT(*) FROM cases WHERE is_repeat = 1").Scan(&repeats); err != nil || repeats < 100 {
				t.Errorf("%d repeats (%v): too few to prove the repeat rule", repeats, err)
			}
			if got, want := tallies(t, imported), tallies(t, loaded); !reflect.DeepEqual(got, want) {
				t.Errorf("tallies %v\ndiffer from a bulk load's %v", got, want)
			}
		})
	}
}

// A fresh database has the county's default categories; a database that has
// its own list when the migration runs keeps it.
func TestDefaultCategories(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, dialect)
			cats, err := s.Categories(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []petition.NamedCode
			for _, c := range cats {
				got = append(got, petition.NamedCode{Code: c.Code, Name: c.Name})
			}
			want := slices.SortedFunc(slices.Values(petition.DefaultCategories), func(a, b petition.NamedCode) int { return strings.Compare(a.Code, b.Code) })
			if !slices.Equal(got, want) {
				t.Errorf("fresh database: got categories %v, want %v", got, want)
			}

			// an older database with the operators' own list keeps it
			older, err := store.Open(ctx, storetest.DSN(t, dialect))
			if err != nil {
				t.Fatal(err)
			}
			defer older.Close()
			if err := store.MigrateTo(ctx, older, store.DefaultCategoriesVersion-1); err != nil {
				t.Fatal(err)
			}
			if err := older.PutCategory(ctx, store.Category{Code: "pollution", Name: "环境污染"}); err != nil {
				t.Fatal(err)
			}
			if err := older.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			cats, err = older.Categories(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(cats) != 1 || cats[0].Code != "pollution" {
				t.Errorf("upgraded database: got categories %v, want only its own pollution", cats)
			}
		})
	}
}

// An acknowledged case survives a power failure: SQLite syncs at every commit
// (synchronous FULL; NORMAL may lose the last transactions in WAL mode).
func TestSQLiteSyncsEveryCommit(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	var mode int
	if err := s.DB().QueryRow("PRAGMA synchronous").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != 2 {
		t.Errorf("synchronous = %d, want 2 (FULL)", mode)
	}
}
