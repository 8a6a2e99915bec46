package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
)

// TestSMSRelayRefusesToStart: a relay that could not deliver refuses to
// start, naming what is wrong, rather than listen and drop the pages.
func TestSMSRelayRefusesToStart(t *testing.T) {
	tmpl := "--template=../../alerts/wechat.tmpl"
	for _, tc := range []struct {
		args    []string
		problem string
	}{
		{[]string{tmpl}, "no gateway url"},
		{[]string{tmpl, "--gateway", "smtp://gw"}, "not http(s)"},
		{[]string{tmpl, "--gateway", "http://gw", "--zone", "Mars/Olympus"}, "--zone"},
		{[]string{"--template", "/nonexistent.tmpl", "--gateway", "http://gw"}, "nonexistent.tmpl"},
		{[]string{tmpl, "--gateway", "http://gw", "--listen", "127.0.0.1:99999"}, "sms-relay"},
		{[]string{tmpl, "--gateway", "http://gw", "extra"}, `unexpected argument "extra"`},
	} {
		err := run(context.Background(), append([]string{"sms-relay"}, tc.args...), nil, slog.New(slog.DiscardHandler))
		if err == nil || !strings.Contains(err.Error(), tc.problem) {
			t.Errorf("%v: got %v, want an error naming %q", tc.args, err, tc.problem)
		}
	}
}
