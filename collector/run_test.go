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

// runInBackground starts c.Run, handing over each refresh's error as it
// ends; stop ends Run and waits for it to return. The log is kept.
func runInBackground(t *testing.T, c *Collector) (refreshed <-chan error, logs *syncBuffer, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan error)
	c.refreshed = func(err error) {
		select {
		case ch <- err:
		case <-ctx.Done():
		}
	}
	logs = &syncBuffer{}
	done := make(chan struct{})
	go func() {
		c.Run(ctx, slog.New(slog.NewTextHandler(logs, nil)))
		close(done)
	}()
	stop = func() {
		cancel()
		<-done
	}
	t.Cleanup(stop)
	return ch, logs, stop
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
	c := New(s, cfg, func() time.Time { return fixtureNow }, BuildInfo{})
	refreshed, logs, stop := runInBackground(t, c)

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

	stop()
	if l := logs.String(); l != "" {
		t.Errorf("Run logged: %s", l)
	}
}

// A refresh that fails for another reason than the end of Run is logged,
// once.
func TestRunLogsAFailedRefresh(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	writeFixture(t, s, fixtureConfig(t).Rules)
	c := New(s, fixtureConfig(t), func() time.Time { return fixtureNow }, BuildInfo{})
	c.scrapers = append(DefaultScrapers(), failing{})
	refreshed, logs, stop := runInBackground(t, c)
	if err := <-refreshed; err == nil {
		t.Fatal("the refresh with a failing scraper succeeded")
	}
	stop()
	if got := strings.Count(logs.String(), "refresh failed"); got != 1 {
		t.Errorf("%d log lines of the failed refresh, want 1:\n%s", got, logs.String())
	}
}
