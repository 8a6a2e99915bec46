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

// A batch's writes after its last read reach MySQL in one round trip (the
// pipeline), the audit row last. When the database refuses that last
// statement, the case or event, its tallies and versions sent before it in
// the same round trip are rolled back with it: the refused write leaves
// nothing, with the database's reason, and the others of its batch are
// stored (each tried alone). On SQLite the same writes run one by one.
func TestPipelineRefusedAuditLeavesNothing(t *testing.T) {
	audited := func(object string) context.Context {
		return store.WithAudit(context.Background(), store.Audit{At: at("2026-09-01 12:00:00"), Credential: "township",
			Method: "POST", Route: "/api/v1/cases", Object: object})
	}
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s := setup(t, dialect)
			refuseInserts(t, s, dialect, "audit_log", "object", "POISON", "poisoned audit")
			ctx := context.Background()
			for _, no := range []string{"P-1", "P-2"} {
				if _, _, err := s.CreateCase(audited(no), rules, sample(no)); err != nil {
					t.Fatal(err)
				}
			}
			before := counts(t, s)

			// a create whose audit row is refused
			c := sample("P-3")
			c.PetitionerHash = petition.PetitionerHash([]byte("k"), "other")
			if _, _, err := s.CreateCase(audited("POISON"), rules, c); err == nil || !strings.Contains(err.Error(), "poisoned audit") {
				t.Errorf("create with a refused audit row: %v, want the database's reason", err)
			}
			if _, err := s.Case(ctx, "P-3"); err == nil {
				t.Error("the case of the refused audit row was stored")
			}
			// an event whose audit row is refused
			accept := petition.Event{Type: petition.EventAccepted, At: c.ReceivedAt.Add(time.Hour)}
			if _, _, err := s.AddEvent(audited("POISON"), rules, "P-1", accept); err == nil || !strings.Contains(err.Error(), "poisoned audit") {
				t.Errorf("event with a refused audit row: %v, want the database's reason", err)
			}
			if st, err := s.CaseState(ctx, "P-1"); err != nil || st.Status != "received" {
				t.Errorf("the case of the refused event: %+v %v, want it as received", st, err)
			}
			if got := counts(t, s); got != before {
				t.Errorf("receipts, repeats, completions and open cases %v after the refused writes, want %v", got, before)
			}
			talliesRecounted(t, ctx, s, time.UTC, "after the refused writes")

			// in one batch with a refused write, the others are stored
			sizes := store.RecordEventBatches(s)
			qs := []store.QueuedEvent{
				store.EnqueueEventCtx(audited("P-1"), s, rules, "P-1", accept),
				store.EnqueueEventCtx(audited("POISON"), s, rules, "P-2", accept),
			}
			var got []string
			for _, q := range qs {
				_, _, err := q.Await(ctx)
				got = append(got, fmt.Sprint(err))
			}
			if got[0] != "<nil>" || !strings.Contains(got[1], "poisoned audit") {
				t.Errorf("outcomes %q, want P-1's event added and P-2's refused", got)
			}
			if got := sizes(); !slices.Equal(got, []int{2}) {
				t.Errorf("batch sizes %v, want one batch of 2", got)
			}
			for no, want := range map[string]string{"P-1": "accepted", "P-2": "received"} {
				if st, err := s.CaseState(ctx, no); err != nil || st.Status != want {
					t.Errorf("%s: %+v %v, want %s", no, st, err, want)
				}
			}
			talliesRecounted(t, ctx, s, time.UTC, "after a batch with a refused write")
		})
	}
}

// The pipeline's statements carry their values interpolated by the driver
// in one multi-statement query: a value that reads as SQL (a quote, a
// semicolon, a comment) is stored as the text it is, and runs nothing.
func TestPipelineValuesStayValues(t *testing.T) {
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		object := `x'; DELETE FROM cases; -- \'; DELETE FROM cases; /*`
		actx := store.WithAudit(ctx, store.Audit{At: at("2026-09-01 12:00:00"), Credential: "bureau", Method: "POST",
			Route: "/api/v1/cases", Object: object})
		for _, no := range []string{"V-1", "V-2"} {
			if _, _, err := s.CreateCase(actx, rules, sample(no)); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := s.AuditSince(ctx, time.Time{}, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Object != object || rows[1].Object != object {
			t.Errorf("audit rows %+v, want two with object %q", rows, object)
		}
		if got := caseRows(t, s); len(got) != 2 {
			t.Errorf("cases %v, want V-1 and V-2", got)
		}
	})
}

// refuseInserts makes the database refuse, with reason, every row inserted
// into table whose column is value: a refusal no check of riskmon's
// foresees, as a constraint or a full disk would be.
func refuseInserts(t *testing.T, s *store.Store, dialect, table, column, value, reason string) {
	t.Helper()
	trigger := map[string]string{
		"mysql": fmt.Sprintf(`CREATE TRIGGER refuse_%[1]s BEFORE INSERT ON %[1]s FOR EACH ROW
IF NEW.%[2]s = '%[3]s' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '%[4]s'; END IF`, table, column, value, reason),
		"sqlite": fmt.Sprintf(`CREATE TRIGGER refuse_%[1]s BEFORE INSERT ON %[1]s WHEN NEW.%[2]s = '%[3]s'
BEGIN SELECT RAISE(ABORT, '%[4]s'); END`, table, column, value, reason),
	}[dialect]
	if _, err := s.DB().Exec(trigger); err != nil {
		t.Fatal(err)
	}
}
