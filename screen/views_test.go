package screen

import (
	"context"
	"fmt"
	"testing"
	"time"

	"riskmon/collector"
	"riskmon/config"
	"riskmon/demo"
	"riskmon/store/storetest"
)

// The view made from the refresh's summary is the view made from the
// whole snapshot parsed, on the demo county.
func TestSummaryViewIsTheSnapshotView(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite")
	cfg, err := config.Load(config.Source{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	cfg.Periods = demo.Periods(cfg.Rules.Location, now)
	s.SetClock(func() time.Time { return now })
	if err := demo.Seed(ctx, s, cfg.Rules, demo.Key, now); err != nil {
		t.Fatal(err)
	}
	col := collector.New(s, cfg, func() time.Time { return now }, collector.BuildInfo{})
	col.Summarize(summary)
	if err := col.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	snap, _ := col.Latest()
	parsed, err := snap.FamiliesOf(Metrics)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Summary() == nil {
		t.Fatal("the snapshot has no summary")
	}
	got, want := newView(snap.Summary()), newView(parsed)
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("from the summary\n %+v\nfrom the snapshot\n %+v", got, want)
	}
	if len(want.Units) == 0 || len(want.Matters) == 0 || want.ReceivedToday == 0 {
		t.Errorf("the demo's view is empty: %+v", want)
	}
}
