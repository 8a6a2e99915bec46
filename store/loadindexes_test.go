package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

// casesIndexes are the definitions of the secondary indexes of cases, sorted:
// the load sets some aside and adds them back at the end of the table's list.
func casesIndexes(t *testing.T, s *store.Store, dialect string) []string {
	t.Helper()
	var out []string
	if dialect == "sqlite" {
		for _, def := range dumpRows(t, s, "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' AND sql IS NOT NULL") {
			out = append(out, strings.TrimSuffix(def, "|"))
		}
	} else {
		var table, ddl string
		if err := s.DB().QueryRow("SHOW CREATE TABLE cases").Scan(&table, &ddl); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(ddl, "\n") {
			if l = strings.TrimSuffix(strings.TrimSpace(l), ","); strings.Contains(l, "KEY `") {
				out = append(out, l)
			}
		}
	}
	slices.Sort(out)
	return out
}

// allIndexes is casesIndexes of a database no load has touched: eight
// secondary indexes at least (SQLite's; MariaDB's list has the unique and
// foreign keys' too), or the test reads them wrong.
func allIndexes(t *testing.T, s *store.Store, dialect string) []string {
	t.Helper()
	out := casesIndexes(t, s, dialect)
	if len(out) < 8 {
		t.Fatalf("cases has %d indexes: %q; the test reads them wrong", len(out), out)
	}
	return out
}

// loadCases are n valid cases an hour apart, each accepted.
func loadCases(n int) []store.LoadCase {
	at := time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC)
	var cases []store.LoadCase
	for i := range n {
		c := sample(fmt.Sprintf("L-%d", i))
		c.ReceivedAt = at.Add(time.Duration(i) * time.Hour)
		cases = append(cases, store.LoadCase{Case: c, Events: []petition.Event{{Type: petition.EventAccepted, At: c.ReceivedAt.Add(time.Hour)}}})
	}
	return cases
}

func storedCases(t *testing.T, s *store.Store) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow("SELECT COUNT(*) FROM cases").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// On MySQL a bulk load sets the indexes of cases aside and builds them at
// the end (loadindexes.go): a load that ends, fails, or is killed and then
// run again or recounted leaves cases with every index it had.
func TestLoadLeavesTheIndexes(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			cases := loadCases(10)

			t.Run("ended", func(t *testing.T) {
				s := setup(t, d)
				want := allIndexes(t, s, d)
				if err := s.Load(ctx, rules, cases); err != nil {
					t.Fatal(err)
				}
				if got := casesIndexes(t, s, d); !slices.Equal(got, want) {
					t.Errorf("after a load cases has indexes\n%q\nwant\n%q", got, want)
				}
			})

			t.Run("refused", func(t *testing.T) {
				s := setup(t, d)
				want := allIndexes(t, s, d)
				store.SetBatchSizes(t, 2)
				bad := slices.Clone(cases)
				bad[9].Case.Channel = "carrier-pigeon"
				if err := s.Load(ctx, rules, bad); err == nil {
					t.Fatal("a load with a bad case went through")
				}
				if got := casesIndexes(t, s, d); !slices.Equal(got, want) {
					t.Errorf("after a refused load cases has indexes\n%q\nwant\n%q", got, want)
				}
			})

			// a kill is a cancel whose restore cannot run either
			for _, finish := range []string{"import", "recount"} {
				t.Run("killed then "+finish, func(t *testing.T) {
					s := setup(t, d)
					want := allIndexes(t, s, d)
					store.SetBatchSizes(t, 2)
					// cut after the first transaction: at most one more of
					// the five commits, and none begins after the cut
					cctx, cancel := context.WithCancel(ctx)
					defer cancel()
					if err := s.Import(cctx, rules, store.Cases(cases), func(int) { cancel() }); err == nil {
						t.Fatal("a cancelled load went through")
					}
					if got := storedCases(t, s); got == 0 || got == len(cases) {
						t.Fatalf("%d cases stored; the test needs a load cut half-way", got)
					}
					if ok, err := s.LoadInterrupted(ctx); err != nil || !ok {
						t.Fatalf("LoadInterrupted = %v, %v; want true", ok, err)
					}
					// its cases' deadlines are the rules' but unrecorded: the
					// first serve reads them again, as after any cut
					if res, err := s.RecomputeDeadlines(ctx, rules); err != nil || res.Current || res.Moved != 0 {
						t.Errorf("recomputed after the kill: %+v (%v), want the cases read, none moved", res, err)
					}
					if d == "mysql" {
						if got := casesIndexes(t, s, d); len(got) >= len(want) {
							t.Fatalf("the killed load left %d indexes of %d; the test needs some set aside", len(got), len(want))
						}
					}
					switch finish {
					case "import":
						if err := s.Import(ctx, rules, store.Cases(cases), nil); err != nil {
							t.Fatal(err)
						}
					case "recount":
						if _, err := s.Recount(ctx, shanghai); err != nil {
							t.Fatal(err)
						}
					}
					if got := casesIndexes(t, s, d); !slices.Equal(got, want) {
						t.Errorf("after the %s cases has indexes\n%q\nwant\n%q", finish, got, want)
					}
					var kept int
					if err := s.DB().QueryRow("SELECT COUNT(*) FROM settings WHERE name LIKE 'bulk_load_index:%'").Scan(&kept); err != nil || kept != 0 {
						t.Errorf("%d set-aside indexes still recorded (%v), want 0", kept, err)
					}
					talliesRecounted(t, ctx, s, shanghai, "after the "+finish)
				})
			}
		})
	}
}
