package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"riskmon/petition"
	"riskmon/store"
)

// A write whose last statements fail stores nothing of itself: not its
// case or event, nor the tallies, versions and audit rows the statements
// before the failing one wrote. The failing statement is made by hiding
// the table it writes: receipt_day_versions for a case received months ago
// (a late receipt moves its day's version), backlog_versions for an event
// that moves a case to its next stage.
func TestAFailedLastWriteStoresNothing(t *testing.T) {
	stored := func(t *testing.T, s *store.Store) []any {
		t.Helper()
		out := tallies(t, s)
		for _, q := range []string{
			"SELECT COUNT(*) FROM cases", "SELECT COUNT(*) FROM case_events", "SELECT COUNT(*) FROM audit_log",
			"SELECT COUNT(*), COALESCE(SUM(received), 0) FROM receipt_bucket_tally",
			"SELECT COUNT(*), COALESCE(SUM(cases), 0) FROM backlog_tally",
		} {
			out = append(out, dumpRows(t, s, q))
		}
		return out
	}
	hidden := func(t *testing.T, s *store.Store, table string, write func() error) error {
		t.Helper()
		_, err := s.DB().Exec("ALTER TABLE " + table + " RENAME TO hidden_" + table)
		must(t, err)
		defer func() {
			_, err := s.DB().Exec("ALTER TABLE hidden_" + table + " RENAME TO " + table)
			must(t, err)
		}()
		return write()
	}
	eachStore(t, setup, func(t *testing.T, ctx context.Context, s *store.Store) {
		ctx = store.WithAudit(ctx, store.Audit{At: time.Now(), Credential: "bureau", Method: "POST", Route: "/api/v1/cases"})
		_, _, err := s.CreateCase(ctx, rules, sample("B-1"))
		must(t, err)
		before := stored(t, s)

		err = hidden(t, s, "receipt_day_versions", func() error {
			other := sample("B-2")
			other.PetitionerHash = petition.PetitionerHash([]byte("k"), "another")
			_, _, err := s.CreateCase(ctx, rules, other)
			return err
		})
		if err == nil {
			t.Fatal("a create went through with receipt_day_versions hidden")
		}
		if got := stored(t, s); !reflect.DeepEqual(got, before) {
			t.Errorf("the failed create stored\n%v\nwant\n%v", got, before)
		}

		err = hidden(t, s, "backlog_versions", func() error {
			_, _, err := s.AddEvent(ctx, rules, "B-1", petition.Event{Type: petition.EventAccepted, At: at("2026-09-02 10:00:00")})
			return err
		})
		if err == nil {
			t.Fatal("an event went through with backlog_versions hidden")
		}
		if got := stored(t, s); !reflect.DeepEqual(got, before) {
			t.Errorf("the failed event stored\n%v\nwant\n%v", got, before)
		}
		if st, err := s.CaseState(ctx, "B-1"); err != nil || st.Status != petition.StatusReceived {
			t.Errorf("after the failed event the case is %q (%v), want received", st.Status, err)
		}
	})
}
