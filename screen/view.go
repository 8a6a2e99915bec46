// Package screen serves the fallback wall screen (/screen): one HTML page
// rendered by riskmon from its latest snapshot, for when Prometheus or
// Grafana is down. It needs nothing from outside (no script, font or style
// sheet to fetch), fills whatever viewport it gets (a township PC's
// 1366×768 to a spliced wall's 5760×2160) without scrolling, its 1920×1080
// layout scaled whole, refreshes itself, and says so plainly when the data
// is stale.
package screen

import (
	"cmp"
	"maps"
	"slices"

	dto "github.com/prometheus/client_model/go"

	"riskmon/collector"
)

// The metrics the screen reads; a test checks each against what the
// collector exports.
const (
	metricSensitive         = "petition_sensitive_period_active"
	metricReceivedWindow    = "petition_received_window"
	metricCollectiveWindow  = "petition_collective_received_window"
	metricSkipLevelWindow   = "petition_skip_level_received_window"
	metricOverdue           = "petition_overdue"
	metricDueSoon           = "petition_due_soon"
	metricDisputesOpen      = "petition_disputes_open"
	metricDisputesOverdue   = "petition_disputes_overdue"
	metricUnitInfo          = "petition_unit_info"
	metricUnitReportMissing = "petition_unit_report_missing"
	metricMatterRisingInfo  = "petition_matter_rising_info"
	metricMatterPetitioners = "petition_matter_petitioners"
	metricMatterHighRisk    = "petition_matter_high_risk_disputes"
)

// summary is what the screen reads of a snapshot: each metric summed over
// every label but those it looks at (collector.Summary), made once by the
// refresh, so that the screen's cost is its units', not the snapshot's
// series.
var summary = collector.SummarySpec{
	metricSensitive:         nil,
	metricReceivedWindow:    {"window"},
	metricCollectiveWindow:  {"window"},
	metricSkipLevelWindow:   {"window"},
	metricOverdue:           {"unit"},
	metricDueSoon:           {"unit"},
	metricDisputesOpen:      {"risk"},
	metricDisputesOverdue:   nil,
	metricUnitInfo:          {"unit", "name"},
	metricUnitReportMissing: {"unit"},
	metricMatterRisingInfo:  {"unit", "matter", "name"},
	metricMatterPetitioners: {"unit", "matter", "window"},
	metricMatterHighRisk:    {"unit", "matter"},
}

// Metrics are the metric names the screen reads.
var Metrics = slices.Sorted(maps.Keys(summary))

// The screen is laid out on 120×67.5 rem (1920×1080 px at 16 px a rem)
// and scaled to fit the viewport whole (screen.html). Below the header
// (6.875 rem), the tiles (10.875), the table's heading (1.25 of space and
// 2.5) and above the footer (2.75 and 0.5 of space), 42.75 rem are left:
// UnitLines lines of 2.5 rem, the table's header row and its units, less
// one for each of the rising matters' and the missing reports' lines, each
// 2.5 rem too. The browser test checks that they fit in every viewport.
const UnitLines = 16

// MaxUnits is how many units the screen lists with neither optional line:
// those with the most overdue cases, then the most due soon, less the
// header row and the line that counts the rest.
const MaxUnits = UnitLines - 2

// MaxMatters is how many rising matters the screen names, on one line: the
// most petitioners first.
const MaxMatters = 3

// View is what the screen shows.
type View struct {
	Sensitive bool

	ReceivedToday, CollectiveToday, SkipLevelToday float64
	Overdue, DueSoon                               float64
	HighRiskDisputes, DisputesOverdue              float64
	DueSoonHours                                   float64

	Units       []UnitRow   // the busiest MaxUnits
	MoreUnits   int         // units with overdue or due-soon cases not listed
	NotReported []string    // names of units missing today's report after the cut-off
	Matters     []MatterRow // the rising matters, at most MaxMatters
	MoreMatters int         // rising matters not named
}

// MatterRow is one rising matter: its name, its unit's name, its distinct
// petitioners in 7 days and its open high-risk disputes.
type MatterRow struct {
	Name, Unit  string
	Petitioners float64
	HighRisk    float64
}

// UnitRow is one unit's line.
type UnitRow struct {
	Name             string
	Overdue, DueSoon float64
}

// newView reads the families of a snapshot.
func newView(fams map[string]*dto.MetricFamily) View {
	v := View{
		Sensitive:        sum(fams[metricSensitive], nil) > 0,
		ReceivedToday:    sum(fams[metricReceivedWindow], map[string]string{"window": "today"}),
		CollectiveToday:  sum(fams[metricCollectiveWindow], map[string]string{"window": "today"}),
		SkipLevelToday:   sum(fams[metricSkipLevelWindow], map[string]string{"window": "today"}),
		Overdue:          sum(fams[metricOverdue], nil),
		DueSoon:          sum(fams[metricDueSoon], nil),
		HighRiskDisputes: sum(fams[metricDisputesOpen], map[string]string{"risk": "high"}),
		DisputesOverdue:  sum(fams[metricDisputesOverdue], nil),
	}
	names := map[string]string{}
	for _, m := range fams[metricUnitInfo].GetMetric() {
		names[label(m, "unit")] = label(m, "name")
	}
	overdue, dueSoon := byUnit(fams[metricOverdue]), byUnit(fams[metricDueSoon])
	var rows []UnitRow
	for unit, name := range names {
		if overdue[unit] > 0 || dueSoon[unit] > 0 {
			rows = append(rows, UnitRow{Name: name, Overdue: overdue[unit], DueSoon: dueSoon[unit]})
		}
	}
	slices.SortFunc(rows, func(a, b UnitRow) int {
		return cmp.Or(cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(b.DueSoon, a.DueSoon), cmp.Compare(a.Name, b.Name))
	})
	for unit, missing := range byUnit(fams[metricUnitReportMissing]) {
		if missing > 0 {
			v.NotReported = append(v.NotReported, cmp.Or(names[unit], unit))
		}
	}
	slices.Sort(v.NotReported)
	v.Matters, v.MoreMatters = risingMatters(fams, names)
	room := UnitLines - 1 // the header row
	if len(v.NotReported) > 0 {
		room--
	}
	if len(v.Matters) > 0 {
		room--
	}
	if len(rows) > room {
		room-- // the line that counts the rest
		v.MoreUnits = len(rows) - room
		rows = rows[:room]
	}
	v.Units = rows
	return v
}

// risingMatters lists the rising matters the snapshot names, the most
// petitioners in 7 days first, at most MaxMatters, and how many more there are.
func risingMatters(fams map[string]*dto.MetricFamily, unitNames map[string]string) ([]MatterRow, int) {
	type key struct{ unit, matter string }
	petitioners, highRisk := map[key]float64{}, map[key]float64{}
	for _, m := range fams[metricMatterPetitioners].GetMetric() {
		if label(m, "window") == "7d" {
			petitioners[key{label(m, "unit"), label(m, "matter")}] = value(m)
		}
	}
	for _, m := range fams[metricMatterHighRisk].GetMetric() {
		highRisk[key{label(m, "unit"), label(m, "matter")}] = value(m)
	}
	var rows []MatterRow
	for _, m := range fams[metricMatterRisingInfo].GetMetric() {
		k := key{label(m, "unit"), label(m, "matter")}
		rows = append(rows, MatterRow{Name: label(m, "name"), Unit: cmp.Or(unitNames[k.unit], k.unit),
			Petitioners: petitioners[k], HighRisk: highRisk[k]})
	}
	slices.SortFunc(rows, func(a, b MatterRow) int {
		return cmp.Or(cmp.Compare(b.Petitioners, a.Petitioners), cmp.Compare(b.HighRisk, a.HighRisk), cmp.Compare(a.Name, b.Name))
	})
	if len(rows) > MaxMatters {
		return rows[:MaxMatters], len(rows) - MaxMatters
	}
	return rows, 0
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func value(m *dto.Metric) float64 { return m.GetGauge().GetValue() + m.GetCounter().GetValue() }

// sum adds the series of f whose labels match.
func sum(f *dto.MetricFamily, match map[string]string) float64 {
	total := 0.0
	for _, m := range f.GetMetric() {
		ok := true
		for k, want := range match {
			ok = ok && label(m, k) == want
		}
		if ok {
			total += value(m)
		}
	}
	return total
}

// byUnit adds the series of f by unit.
func byUnit(f *dto.MetricFamily) map[string]float64 {
	out := map[string]float64{}
	for _, m := range f.GetMetric() {
		out[label(m, "unit")] += value(m)
	}
	return out
}
