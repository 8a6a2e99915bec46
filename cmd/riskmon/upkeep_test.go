package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// A step of the daily upkeep logs a failure as an error, but not while the
// service stops (the step was cut off, not broken); what it did, when it
// did something; and nothing when there was nothing to do.
func TestUpkeepStepLogs(t *testing.T) {
	stopped, stop := context.WithCancel(context.Background())
	stop()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		n    int64
		err  error
		want string // "" for no line
	}{
		{"failed", context.Background(), 0, errors.New("disk full"), `level=ERROR msg="prune the tallies' empty rows" err="disk full"`},
		{"cut off by the stop", stopped, 0, context.Canceled, ""},
		{"did something", context.Background(), 42, nil, `level=INFO msg="tallies' empty rows pruned" rows=42 took=`},
		{"nothing to do", context.Background(), 0, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, nil))
			upkeepStep(tc.ctx, logger, "prune the tallies' empty rows", "tallies' empty rows pruned", func() (int64, error) { return tc.n, tc.err })
			got := logs.String()
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("logged %q, want %q", got, tc.want)
			}
		})
	}
}
