package collector

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// FamiliesOf gives the families named exactly as parsing the whole snapshot
// does, and no others: a name that is a prefix of another's
// (petition_overdue, petition_overdue_oldest_…) takes only its own lines.
func TestFamiliesOfIsTheWholeParseRestricted(t *testing.T) {
	c, _ := fixtureCollector(t, "sqlite")
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	snap, _ := c.Latest()
	p := expfmt.NewTextParser(model.UTF8Validation)
	all, err := p.TextToMetricFamilies(strings.NewReader(string(snap.text)))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"petition_overdue", "petition_unit_info", "petition_matter_rising_info", "petition_received_window", "petition_no_such_metric"}
	got, err := snap.FamiliesOf(names)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Errorf("%d families, want the 4 that exist", len(got))
	}
	for _, n := range names[:4] {
		if got[n].String() != all[n].String() {
			t.Errorf("%s differs from the whole parse:\n got %v\nwant %v", n, got[n], all[n])
		}
	}
}

// A snapshot's series are its samples, and one more unit adds about the
// series of the families by unit over the units.
func TestSnapshotSeries(t *testing.T) {
	c, _ := fixtureCollector(t, "sqlite")
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	snap, _ := c.Latest()
	samples, byUnit := 0, 0
	for _, line := range strings.Split(string(snap.text), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		samples++
		if strings.Contains(line, `unit="`) {
			byUnit++
		}
	}
	got := snap.Series()
	if got.Total != samples {
		t.Errorf("Total %d, want the %d samples", got.Total, samples)
	}
	if want := float64(byUnit) / 2; got.PerUnit != want { // the fixture's 2 units
		t.Errorf("PerUnit %v, want %v", got.PerUnit, want)
	}
}
