package intake_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"riskmon/collector"
	"riskmon/store/storetest"
)

// TestPetitionerNeverInClear posts a case and looks for the identifier in
// every response, the log, the metrics and every column of every table.
func TestPetitionerNeverInClear(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			const id = "11010519491231002X"
			var seen []string
			for _, body := range []map[string]any{
				with(caseBody("P-1"), "petitioner_id", id),
				with(caseBody("P-1"), "petitioner_id", id),                // retry
				with(caseBody("P-1"), "petitioner_id", id, "persons", 9),  // conflict
				with(caseBody("P-2"), "petitioner_id", id, "level", "??"), // invalid
			} {
				seen = append(seen, e.do("POST", "/api/v1/cases", rwToken, body).body)
			}
			seen = append(seen, e.do("GET", "/api/v1/cases/P-1", roToken, nil).body, e.logs.String())
			col := collector.New(e.store, e.cfg, e.clk.Now, collector.BuildInfo{})
			if err := col.Refresh(context.Background()); err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			col.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
			seen = append(seen, rec.Body.String(), dumpDatabase(t, e))
			for i, s := range seen {
				if strings.Contains(strings.ToUpper(s), id) {
					t.Errorf("the petitioner identifier appears in output %d: %.300s", i, s)
				}
			}
			if !strings.Contains(seen[len(seen)-1], "P-1") {
				t.Error("the database dump is empty: the search proves nothing")
			}
		})
	}
}

// dumpDatabase renders every row of every table as text.
func dumpDatabase(t *testing.T, e *env, tables ...string) string {
	t.Helper()
	var b strings.Builder
	db := sqlx.NewDb(e.store.DB(), e.store.Dialect())
	if len(tables) == 0 {
		tables = []string{"units", "categories", "cases", "case_events", "receipt_tally", "completion_tally", "evaluation_tally"}
	}
	for _, table := range tables {
		rows, err := db.Queryx("SELECT * FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals, err := rows.SliceScan()
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if raw, ok := v.([]byte); ok {
					v = string(raw)
				}
				fmt.Fprint(&b, v, "|")
			}
			b.WriteString("\n")
		}
		rows.Close()
	}
	return b.String()
}

// TestConcurrentCreates: 20 clients post overlapping cases at once, each case
// by two clients and retried: one row per case number, consistent counts.
func TestConcurrentCreates(t *testing.T) {
	e := newEnv(t, "mysql")
	const clients, perClient = 20, 30
	var wg sync.WaitGroup
	errs := make(chan string, clients*perClient*2)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perClient; i++ {
				// client c and client c^1 post the same cases; every post twice
				no := fmt.Sprintf("K-%d-%d", c/2, i)
				body := with(caseBody(no), "petitioner_id", fmt.Sprintf("P%d", i%7), "unit", []string{"u1", "u2"}[i%2],
					"received_at", fmt.Sprintf("2026-09-%02dT10:00:00+08:00", 1+(i*11+c/2*5)%29))
				for retry := 0; retry < 2; retry++ {
					r := e.do("POST", "/api/v1/cases", rwToken, body)
					if r.status != 201 && r.status != 200 {
						errs <- fmt.Sprintf("%s: %d %s", no, r.status, r.body)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var rows, distinct, repeats int
	db := sqlx.NewDb(e.store.DB(), "mysql")
	if err := db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT case_no), SUM(is_repeat) FROM cases").Scan(&rows, &distinct, &repeats); err != nil {
		t.Fatal(err)
	}
	if want := clients / 2 * perClient; rows != want || distinct != want || e.caseCount() != int64(want) {
		t.Errorf("%d rows, %d case numbers, %d counted; want %d of each", rows, distinct, e.caseCount(), want)
	}
	var counted, derived int64
	db.QueryRow("SELECT SUM(repeats) FROM receipt_tally").Scan(&counted)
	// the rule, recomputed from scratch (Asia/Shanghai has no DST: 365 days are 365*86400 s)
	db.QueryRow(`SELECT COUNT(*) FROM cases c WHERE EXISTS (SELECT 1 FROM cases p WHERE p.petitioner_hash = c.petitioner_hash
AND p.category = c.category AND p.received_unit = c.received_unit AND p.received_at < c.received_at
AND p.received_at >= c.received_at - 365*86400)`).Scan(&derived)
	if counted != int64(repeats) || derived != int64(repeats) || repeats == 0 {
		t.Errorf("repeat tally %d, flagged %d, rule says %d (want all equal and > 0)", counted, repeats, derived)
	}
}

// TestPostedCasesReachMetrics: cases and events posted through the API show
// up in /metrics at the next refresh.
func TestPostedCasesReachMetrics(t *testing.T) {
	e := newEnv(t, "mysql")
	posts := []struct {
		path string
		body map[string]any
	}{
		{"/api/v1/cases", with(caseBody("M-1"), "persons", 6)},                                                        // collective
		{"/api/v1/cases", with(caseBody("M-2"), "level", "national", "unit", "u2")},                                   // skip-level
		{"/api/v1/cases", with(caseBody("M-3"), "repeat_of", "M-1")},                                                  // repeat by link
		{"/api/v1/cases", with(caseBody("M-4"), "petitioner_id", "SAME", "received_at", "2026-06-01T09:00:00+08:00")}, // overdue, in acceptance
		{"/api/v1/cases", with(caseBody("M-5"), "petitioner_id", "SAME", "received_at", "2026-09-30T09:00:00+08:00")}, // repeat by the rule
		{"/api/v1/cases/M-4/events", map[string]any{"type": "accepted", "at": "2026-06-20T09:00:00+08:00"}},           // accepted late
	}
	for _, p := range posts {
		if r := e.do("POST", p.path, rwToken, p.body); r.status != 201 {
			t.Fatalf("POST %s: %d %s", p.path, r.status, r.body)
		}
	}
	col := collector.New(e.store, e.cfg, e.clk.Now, collector.BuildInfo{})
	if err := col.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	col.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`petition_collective_received_total{category="other",unit="u1"} 1`,
		`petition_skip_level_received_window{unit="u2",window="7d"} 1`,
		`petition_received_total{category="other",channel="visit",level="national",unit="u2"} 1`,
		`petition_repeat_received_total{category="other",unit="u1"} 2`,
		`petition_stage_completed_late_total{stage="acceptance",unit="u1"} 1`,
		`petition_overdue{category="other",stage="handling",unit="u1"} 1`,
		`petition_open{category="other",stage="acceptance",unit="u1"} 3`,
		`petition_persons_received_total{category="other",unit="u1"} 9`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
