package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

// setupTwo is setup with a second unit and category, so cases differ in
// matter as well as in person.
func setupTwo(t *testing.T, dialect string) *store.Store {
	t.Helper()
	s := setup(t, dialect)
	ctx := context.Background()
	if err := s.PutUnit(ctx, store.Unit{Code: "u2", Name: "二镇", Kind: "township"}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutCategory(ctx, store.Category{Code: "land", Name: "土地"}); err != nil {
		t.Fatal(err)
	}
	return s
}

// tangledCases are cases that depend on one another in every way a batch
// must untangle: retries and conflicting reuses of a number, one person's
// matter received out of order (with a short look-back, so some fall
// outside it), repeat_of naming cases before, after or nowhere, unknown units.
// Few persons make long chains of one matter; many make wide rounds.
func tangledCases(seed uint64, n, persons int) []petition.Case {
	rnd := rand.New(rand.NewPCG(seed, 2))
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var out []petition.Case
	for i := range n {
		switch x := rnd.Float64(); {
		case i > 0 && x < 0.12:
			out = append(out, out[rnd.IntN(len(out))]) // a retry
			continue
		case i > 0 && x < 0.17:
			c := out[rnd.IntN(len(out))]
			c.Persons++ // the same number with other content
			out = append(out, c)
			continue
		}
		c := petition.Case{
			CaseNo:         fmt.Sprintf("B-%d", rnd.IntN(n*3/4)),
			ReceivedAt:     base.Add(time.Duration(rnd.IntN(40*24)) * time.Hour),
			Channel:        "visit",
			Category:       []string{"other", "land"}[rnd.IntN(2)],
			Unit:           []string{"u1", "u2"}[rnd.IntN(2)],
			Persons:        1 + rnd.IntN(8),
			Level:          petition.Levels[rnd.IntN(len(petition.Levels))],
			PetitionerHash: petition.PetitionerHash([]byte("k"), fmt.Sprint("p", rnd.IntN(persons))),
		}
		if rnd.Float64() < 0.03 {
			c.Unit = "nowhere"
		}
		if no := fmt.Sprintf("B-%d", rnd.IntN(n*3/4)); rnd.Float64() < 0.1 && no != c.CaseNo {
			c.RepeatOf = no
		}
		out = append(out, c)
	}
	return out
}

// outcome names what became of one create: created, a retry, a conflict or
// the fields it was refused for.
func outcome(created bool, err error) string { return writeOutcome("created", "retry", created, err) }

// writeOutcome names what became of one write: done when it wrote, same when
// it found its content stored, or what it was refused for: a conflict, a
// missing case, a refused transition or the fields.
func writeOutcome(done, same string, wrote bool, err error) string {
	switch {
	case err == nil && wrote:
		return done
	case err == nil:
		return same
	case errors.Is(err, store.ErrConflict):
		return "conflict"
	case errors.Is(err, store.ErrNotFound):
		return "not found"
	case errors.Is(err, petition.ErrTransition):
		return "refused"
	}
	var fields []string
	for _, fe := range store.FieldErrors(err) {
		fields = append(fields, fe.Field)
	}
	if len(fields) == 0 {
		return "error: " + err.Error()
	}
	return "refused " + strings.Join(fields, ",")
}

// caseRows reads every case's stored columns but its id, in case number order.
func caseRows(t *testing.T, s *store.Store) []string {
	return dumpRows(t, s, `SELECT case_no, received_at, channel, category,
received_unit, unit, persons, level, petitioner_hash, COALESCE(repeat_of, ''), supervised, collective, skip_level,
is_repeat, status, COALESCE(stage, ''), COALESCE(stage_start, 0), COALESCE(stage_deadline, 0), extended,
extension_days, COALESCE(decided_at, 0), last_event_at, last_seq FROM cases ORDER BY case_no`)
}

// firstDifference names the first row where got and want differ.
func firstDifference(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("row %d: got %s, want %s", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("got %d rows, want %d", len(got), len(want))
}

// wrongRepeats counts cases whose repeat flag differs from the rule
// recomputed in SQL over the stored cases.
func wrongRepeats(t *testing.T, s *store.Store, lookbackDays int) int {
	t.Helper()
	var n int
	err := s.DB().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM cases c WHERE c.is_repeat <> (CASE WHEN
c.repeat_of IS NOT NULL OR EXISTS (SELECT 1 FROM cases o WHERE o.petitioner_hash = c.petitioner_hash
AND o.category = c.category AND o.received_unit = c.received_unit AND o.received_at < c.received_at
AND o.received_at >= c.received_at - ?) THEN 1 ELSE 0 END)`, lookbackDays*86400).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBatchEndsAsOneByOne(t *testing.T) {
	r := rules
	r.RepeatLookbackDays = 10
	for _, dialect := range storetest.Dialects {
		for _, tc := range []struct {
			seed    uint64
			persons int
		}{{1, 4}, {2, 30}, {3, 30}} {
			t.Run(fmt.Sprintf("%s/seed %d/%d persons", dialect, tc.seed, tc.persons), func(t *testing.T) {
				cases := tangledCases(tc.seed, 300, tc.persons)
				ctx := context.Background()
				batched, single := setupTwo(t, dialect), setupTwo(t, dialect)
				created, refusals, err := store.CreateBatch(ctx, batched, r, cases)
				if err != nil {
					t.Fatal(err)
				}
				kinds := map[string]int{}
				for i, c := range cases {
					_, wantCreated, wantErr := single.CreateCase(ctx, r, c)
					got, want := outcome(created[i], refusals[i]), outcome(wantCreated, wantErr)
					if got != want {
						t.Errorf("case %d (%s): batched %s, one by one %s", i, c.CaseNo, got, want)
					}
					kinds[want]++
				}
				// the cases must exercise what the batch untangles
				for _, k := range []string{"created", "retry", "conflict", "refused repeat_of", "refused unit"} {
					if kinds[k] == 0 {
						t.Errorf("no case came to %q: %v", k, kinds)
					}
				}
				if got, want := caseRows(t, batched), caseRows(t, single); !reflect.DeepEqual(got, want) {
					t.Errorf("batched rows differ from one by one: %s", firstDifference(got, want))
				}
				if got, want := tallies(t, batched), tallies(t, single); !reflect.DeepEqual(got, want) {
					t.Errorf("batched tallies %v, one by one %v", got, want)
				}
				if n := wrongRepeats(t, batched, r.RepeatLookbackDays); n > 0 {
					t.Errorf("%d cases have a repeat flag other than the rule's", n)
				}
				var repeats int
				if err := batched.DB().QueryRow("SELECT COUNT(*) FROM cases WHERE is_repeat = 1 AND repeat_of IS NULL").Scan(&repeats); err != nil || repeats == 0 {
					t.Errorf("no case was found a repeat by the rule (%v); the test proves nothing", err)
				}
				incremental := tallies(t, batched)
				if _, err := batched.Recount(ctx, shanghai); err != nil {
					t.Fatal(err)
				}
				if recounted := tallies(t, batched); !reflect.DeepEqual(incremental, recounted) {
					t.Errorf("batched tallies\n%v\ndiffer from a recount\n%v", incremental, recounted)
				}
			})
		}
	}
}

// awaitAll waits for every queued create from a goroutine of its own, as
// concurrent API requests do, and returns their outcomes in queue order.
func awaitAll(ctx context.Context, qs []store.Queued) []string {
	out := make([]string, len(qs))
	var wg sync.WaitGroup
	for i, q := range qs {
		wg.Go(func() { out[i] = outcome(q.Await(ctx)) })
	}
	wg.Wait()
	return out
}

func TestGroupCommitWritesQueuedCasesTogether(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s := setup(t, dialect)
			sizes := store.RecordBatches(s)
			n := store.MaxBatch + 36
			var qs []store.Queued
			for i := range n {
				c := sample(fmt.Sprint("G-", i))
				c.PetitionerHash = petition.PetitionerHash([]byte("k"), fmt.Sprint("p", i))
				qs = append(qs, store.Enqueue(s, rules, c))
			}
			var promoted []int
			for i, q := range qs {
				if q.Promoted() {
					promoted = append(promoted, i)
				}
			}
			var want []int
			for i := range store.MaxWriters {
				want = append(want, i)
			}
			if !slices.Equal(promoted, want) {
				t.Errorf("promoted callers %v, want %v: the first to come write, the rest wait", promoted, want)
			}
			for i, got := range awaitAll(context.Background(), qs) {
				if got != "created" {
					t.Errorf("case %d: %s", i, got)
				}
			}
			got := sizes()
			slices.Sort(got)
			if want := []int{36, store.MaxBatch}; !slices.Equal(got, want) {
				t.Errorf("batch sizes %v, want %v", got, want)
			}
			if rows := caseRows(t, s); len(rows) != n {
				t.Errorf("%d cases stored, want %d", len(rows), n)
			}
		})
	}
}

// A caller promoted to write whose case another writer has already written
// finds its turn and its result ready at once; whichever it sees first, it
// gives its writer's slot back. Lost slots would leave, after two, every
// later caller queued for ever.
func TestGroupCommitReleasesASettledWritersSlot(t *testing.T) {
	s := setup(t, "sqlite")
	ctx := context.Background()
	for i := range 30 { // the caller picks one of the two ready at random
		a := store.Enqueue(s, rules, sample(fmt.Sprint("S-A", i)))
		b := store.Enqueue(s, rules, sample(fmt.Sprint("S-B", i)))
		if !a.Promoted() || !b.Promoted() {
			t.Fatal("the first two callers should both be writers")
		}
		if got := outcome(a.Await(ctx)); got != "created" { // writes both cases
			t.Fatalf("round %d: A %s", i, got)
		}
		if got := outcome(b.Await(ctx)); got != "created" {
			t.Fatalf("round %d: B %s", i, got)
		}
		if n := store.Writers(s); n != 0 {
			t.Fatalf("round %d: %d writer slots held with nobody writing", i, n)
		}
	}
}

// A writer that panics mid-batch settles the calls it had not, with the
// panic as their error, and gives its slot back: the next caller writes.
func TestGroupCommitSurvivesAPanickingWriter(t *testing.T) {
	s := setup(t, "sqlite")
	ctx := context.Background()
	store.PanicOnNextBatch(s)
	a, b := store.Enqueue(s, rules, sample("P-A")), store.Enqueue(s, rules, sample("P-B"))
	if got := outcome(a.Await(ctx)); got != "created" { // settled before the panic
		t.Errorf("A: %s", got)
	}
	if _, err := b.Await(ctx); err == nil || !strings.Contains(err.Error(), "panic: the writer's bug") {
		t.Errorf("B: err %v, want the panic", err)
	}
	if n := store.Writers(s); n != 0 {
		t.Fatalf("%d writer slots held after the panic", n)
	}
	if _, created, err := s.CreateCase(ctx, rules, sample("P-C")); err != nil || !created {
		t.Errorf("a create after the panic: created %v, %v", created, err)
	}
}

func TestGroupCommitCallerGivingUp(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s := setup(t, dialect)
			a, b, c := store.Enqueue(s, rules, sample("W-A")), store.Enqueue(s, rules, sample("W-B")), store.Enqueue(s, rules, sample("W-C"))
			if c.Promoted() {
				t.Fatal("the third caller should wait for a writer")
			}
			gone, cancel := context.WithCancel(context.Background())
			cancel()
			// A waiting caller that gives up leaves the queue: nothing is written.
			if _, err := c.Await(gone); !errors.Is(err, context.Canceled) {
				t.Errorf("waiting caller gave up: err %v, want context.Canceled", err)
			}
			// A caller whose turn it is to write still writes: others depend on it.
			var wg sync.WaitGroup
			var bOut string
			wg.Go(func() { bOut = outcome(b.Await(context.Background())) })
			if got := outcome(a.Await(gone)); got != "created" && got != "retry" {
				t.Errorf("writer that gave up: %s, want its case written", got)
			}
			wg.Wait()
			if bOut != "created" {
				t.Errorf("second case: %s", bOut)
			}
			for no, want := range map[string]bool{"W-A": true, "W-B": true, "W-C": false} {
				_, err := s.Case(context.Background(), no)
				if got := err == nil; got != want {
					t.Errorf("%s stored: %v (%v), want %v", no, got, err, want)
				}
			}
		})
	}
}

func TestGroupCommitIsolatesACaseTheDatabaseRefuses(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s := setup(t, dialect)
			refuseInserts(t, s, dialect, "cases", "case_no", "POISON", "poisoned case")
			sizes := store.RecordBatches(s)
			var qs []store.Queued
			for i, no := range []string{"P-1", "POISON", "P-2"} {
				c := sample(no)
				c.PetitionerHash = petition.PetitionerHash([]byte("k"), fmt.Sprint("p", i))
				qs = append(qs, store.Enqueue(s, rules, c))
			}
			got := awaitAll(context.Background(), qs)
			if got[0] != "created" || got[2] != "created" || !strings.Contains(got[1], "poisoned case") {
				t.Errorf("outcomes %q, want the two good cases created and the poisoned one refused with the database's reason", got)
			}
			if got := sizes(); !slices.Equal(got, []int{3}) {
				t.Errorf("batch sizes %v, want one batch of 3", got)
			}
			if rows := caseRows(t, s); len(rows) != 2 {
				t.Errorf("%d cases stored, want 2", len(rows))
			}
		})
	}
}
