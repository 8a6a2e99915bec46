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
	"riskmon/store"
	"riskmon/store/storetest"
)

// The keeper recomputes at start and after a change of rules, logs how many
// deadlines moved, and leaves the stored deadlines alone when nothing changed.
func TestDeadlineKeeper(t *testing.T) {
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
	k := newDeadlineKeeper(s, slog.New(slog.NewTextHandler(&logs, nil)))
	results := make(chan store.Recomputed)
	k.done = func(res store.Recomputed, err error) {
		if err != nil {
			t.Error(err)
		}
		results <- res
	}
	go k.run(ctx)

	k.request(r) // start: no fingerprint yet, nothing to move
	if res := <-results; res.Checked != 1 || res.Moved != 0 {
		t.Errorf("at start: %+v", res)
	}
	k.request(r) // a reload that changed nothing that counts
	if res := <-results; !res.Current {
		t.Errorf("unchanged rules: %+v", res)
	}
	noRoll := r
	noRoll.Roll = calendar.RollNone
	k.request(noRoll)
	if res := <-results; res.Moved != 1 {
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
}
