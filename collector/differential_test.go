package collector

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"riskmon/demo"
	"riskmon/store/storetest"
)

// The snapshot a refresh makes from the tallies the writers keep is, byte for
// byte, the one it makes from the facts alone (Store.ReadFacts), on the demo
// county at instants on the edges of its open cases' deadlines and of its
// receipts' windows. The store's differential tests prove the tallies at
// every edge; this proves that the scrapers read them as they read the facts.
func TestSnapshotFromTalliesIsTheFacts(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s := storetest.Open(t, dialect)
			cfg := fixtureConfig(t)
			r := cfg.Rules
			now := time.Date(2026, 10, 8, 15, 30, 0, 0, r.Location) // after National Day
			ctx := context.Background()
			// a quarter of the demo's year: its cases are the same cases
			if err := demo.SeedRate(ctx, s, r, demo.Key, now, demo.WeekdayRate/4); err != nil {
				t.Fatal(err)
			}
			var edges []time.Time
			for _, lc := range demo.Generate(r, demo.Key, now.AddDate(-1, 0, 0), now, 1, demo.WeekdayRate/4) {
				st, err := s.CaseState(ctx, lc.Case.CaseNo)
				if err != nil {
					t.Fatal(err)
				}
				if st.Stage() != "" && !st.Deadline.IsZero() {
					edges = append(edges, st.Deadline, st.Deadline.Add(-r.DueSoon))
				}
				recv := lc.Case.ReceivedAt.Truncate(time.Second)
				edges = append(edges, recv.Add(time.Hour), recv.Add(7*24*time.Hour), recv.Add(30*24*time.Hour))
			}
			rnd := rand.New(rand.NewPCG(1, 2))
			rnd.Shuffle(len(edges), func(i, j int) { edges[i], edges[j] = edges[j], edges[i] })
			kept := New(s, cfg, nil, BuildInfo{})
			facts := New(s, cfg, nil, BuildInfo{})
			facts.read = s.ReadFacts
			checked := 0
			for _, edge := range edges[:min(25, len(edges))] {
				for _, at := range []time.Time{edge.Add(-time.Nanosecond), edge, edge.Add(time.Nanosecond)} {
					a, _, err := kept.build(ctx, cfg, at)
					if err != nil {
						t.Fatal(err)
					}
					b, _, err := facts.build(ctx, cfg, at)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(a.text, b.text) {
						t.Fatalf("at %s the snapshot from the tallies is not the facts':\n%s", at.UTC().Format(time.RFC3339Nano), lineDiff(a.text, b.text))
					}
					checked++
				}
			}
			if checked < 75 {
				t.Fatalf("%d instants checked: the county proves nothing", checked)
			}
		})
	}
}

// lineDiff lists the lines of a not in b and of b not in a.
func lineDiff(a, b []byte) string {
	in := func(x []byte) map[string]bool {
		m := map[string]bool{}
		for _, l := range bytes.Split(x, []byte("\n")) {
			m[string(l)] = true
		}
		return m
	}
	ia, ib := in(a), in(b)
	var out bytes.Buffer
	for l := range ia {
		if !ib[l] {
			out.WriteString("tallies: " + l + "\n")
		}
	}
	for l := range ib {
		if !ia[l] {
			out.WriteString("facts:   " + l + "\n")
		}
	}
	return out.String()
}
