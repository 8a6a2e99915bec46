package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store/storetest"
)

// The keeper recomputes at start and after a change of rules, logs how many
// deadlines moved, and leaves the stored deadlines alone when nothing changed;
// it rebuilds the day tally of completions at start and when the zone changes.
func TestRulesKeeper(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := storetest.Open(t, "sqlite")
	storetest.PutTwoUnits(t, s)
	loc, _ := time.LoadLocation("Asia/Shanghai")
	r := petition.DefaultRules(loc)
	c := petition.Case{CaseNo: "K-1", ReceivedAt: time.Date(2026, 9, 20, 10, 0, 0, 0, loc), Channel: "visit", Category: "other",
		Unit: "u1", Persons: 1, Level: "county", PetitionerHash: petition.PetitionerHash([]byte("k"), "x")}
	if _, _, err := s.CreateCase(ctx, r, c); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	k := newRulesKeeper(s, slog.New(slog.NewTextHandler(&logs, nil)))
	results := make(chan kept)
	k.done = func(res kept, err error) {
		if err != nil {
			t.Error(err)
		}
		results <- res
	}
	go k.run(ctx)

	k.request(r) // start: no fingerprint yet, nothing to move; no zone yet
	if res := <-results; res.deadlines.Checked != 1 || res.deadlines.Moved != 0 || !res.daysRebuilt {
		t.Errorf("at start: %+v", res)
	}
	k.request(r) // a reload that changed nothing that counts
	if res := <-results; !res.deadlines.Current || res.daysRebuilt {
		t.Errorf("unchanged rules: %+v", res)
	}
	noRoll := r
	noRoll.Roll = calendar.RollNone
	k.request(noRoll)
	if res := <-results; res.deadlines.Moved != 1 || res.daysRebuilt {
		t.Errorf("roll-forward switched off: %+v", res)
	}
	st, err := s.CaseState(ctx, "K-1")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 10, 6, 0, 0, 0, 0, loc); !st.Deadline.Equal(want) {
		t.Errorf("deadline %s, want %s", st.Deadline, want)
	}
	if !strings.Contains(logs.String(), "deadlines recomputed") || !strings.Contains(logs.String(), "moved=1") {
		t.Errorf("log: %s", logs.String())
	}
	inUTC := noRoll
	inUTC.Location = time.UTC
	k.request(inUTC)
	if res := <-results; !res.daysRebuilt {
		t.Errorf("zone changed: %+v", res)
	}
	if !strings.Contains(logs.String(), "completions by day rebuilt") || !strings.Contains(logs.String(), "zone=UTC") {
		t.Errorf("log: %s", logs.String())
	}
}
