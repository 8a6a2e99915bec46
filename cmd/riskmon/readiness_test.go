package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// An answer of /readyz is kept for a second: probes within it cost no ping.
// A database error is logged in full and answered in general.
func TestReadinessKeepsItsAnswerForASecond(t *testing.T) {
	base := time.Date(2026, 10, 2, 3, 0, 0, 0, time.UTC)
	clk := &clock{t: base}
	var logs bytes.Buffer
	pings := 0
	down := errors.New("dial tcp 10.0.0.7:3306: connect: connection refused (user riskmon)")
	var pingErr error
	r := &readiness{
		ping:   func(context.Context) error { pings++; return pingErr },
		fresh:  func() bool { return true },
		now:    clk.Now,
		logger: slog.New(slog.NewTextHandler(&logs, nil)),
	}
	ctx := context.Background()
	for _, tc := range []struct {
		after     time.Duration
		err       error
		wantCode  int
		wantPings int
	}{
		{0, nil, 200, 1},
		{time.Second - time.Nanosecond, down, 200, 1}, // the kept answer
		{time.Second, down, 503, 2},
		{1500 * time.Millisecond, nil, 503, 2},
		{2 * time.Second, nil, 200, 3},
	} {
		clk.t, pingErr = base.Add(tc.after), tc.err
		code, body := r.check(ctx)
		if code != tc.wantCode || pings != tc.wantPings {
			t.Errorf("+%s: %d after %d pings, want %d after %d", tc.after, code, pings, tc.wantCode, tc.wantPings)
		}
		if strings.Contains(body, "10.0.0.7") || strings.Contains(body, "riskmon") {
			t.Errorf("+%s: the body shows the database's error: %q", tc.after, body)
		}
	}
	if !strings.Contains(logs.String(), "10.0.0.7:3306") {
		t.Errorf("the database's error is not logged: %s", logs.String())
	}
}
