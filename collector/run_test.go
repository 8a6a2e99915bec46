package collector

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"riskmon/config"
	"riskmon/store/storetest"
)

// syncBuffer is a log sink the Run goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Run refreshes again and again at its interval, takes a new configuration
// at the next refresh, and returns when its context ends, without logging
// the refresh the cancellation cut short. Each refresh is handed over to
// the test as it ends, so nothing waits on time but the 1 ms interval.
func TestRun(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	writeFixture(t, s, fixtureConfig(t).Rules)
	cfg := fixtureConfig(t)
	cfg.RefreshInterval = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := New(s, cfg, func() time.Time { return fixtureNow }, BuildInfo{})
	refreshed := make(chan error)
	c.refreshed = func(err error) {
		select {
		case refreshed <- err:
		case <-ctx.Done():
		}
	}
	var logs syncBuffer
	done := make(chan struct{})
	go func() {
		c.Run(ctx, slog.New(slog.NewTextHandler(&logs, nil)))
		close(done)
	}()

	for range 3 { // the first refresh at once, then one an interval
		if err := <-refreshed; err != nil {
			t.Fatal(err)
		}
	}
	drill := *cfg
	var err error
	drill.Periods, err = config.ResolvePeriods(shanghai, "the test", []config.PeriodSpec{{Name: "drill", Start: "2026-10-02", End: "2026-10-02"}})
	if err != nil {
		t.Fatal(err)
	}
	c.SetConfig(&drill)
	// the refresh under way may have read the old configuration; the one
	// after it reads the new
	for range 2 {
		if err := <-refreshed; err != nil {
			t.Fatal(err)
		}
	}
	got := series(t, c)
	if v, ok := got[`petition_sensitive_period_active{period="drill"}`]; !ok || v != 1 {
		t.Errorf("after the new configuration: drill period = %v (present %v), want 1", v, ok)
	}
	if _, ok := got[`petition_sensitive_period_active{period="national_day"}`]; ok {
		t.Error("the old configuration's period is still served")
	}

	cancel()
	<-done
	if l := logs.String(); l != "" {
		t.Errorf("Run logged: %s", l)
	}
}

// A refresh that fails for another reason than the end of Run is logged,
// once, and the previous snapshot stays.
func TestRunLogsAFailedRefresh(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	writeFixture(t, s, fixtureConfig(t).Rules)
	c := New(s, fixtureConfig(t), func() time.Time { return fixtureNow }, BuildInfo{})
	c.scrapers = append(DefaultScrapers(), failing{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	refreshed := make(chan error)
	c.refreshed = func(err error) {
		select {
		case refreshed <- err:
		case <-ctx.Done():
		}
	}
	var logs syncBuffer
	done := make(chan struct{})
	go func() {
		c.Run(ctx, slog.New(slog.NewTextHandler(&logs, nil)))
		close(done)
	}()
	if err := <-refreshed; err == nil {
		t.Fatal("the refresh with a failing scraper succeeded")
	}
	cancel()
	<-done
	if got := strings.Count(logs.String(), "refresh failed"); got != 1 {
		t.Errorf("%d log lines of the failed refresh, want 1:\n%s", got, logs.String())
	}
}
