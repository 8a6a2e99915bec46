package alerts_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v2"
)

// thresholdRecord matches the threshold block's records.
var thresholdRecord = regexp.MustCompile(`^petition:[a-z0-9_]+_threshold:[a-z]+$`)

// Each threshold has a normal and a sensitive-period value, switched by
// petition:sensitive_period:active, or one value for both.
var (
	switchedThreshold = regexp.MustCompile(`^\(vector\((.+?)\) and on\(\) petition:sensitive_period:active == 1\) or vector\((.+?)\)$`)
	fixedThreshold    = regexp.MustCompile(`^vector\((.+)\)$`)
)

// compare is how an alert compares its value with a threshold.
type compare int

const (
	atOrAbove compare = iota // fires at the threshold and above
	above                    // fires only above it
	below                    // fires only below it
)

func (c compare) fires(offset int) bool {
	switch c {
	case atOrAbove:
		return offset >= 0
	case above:
		return offset > 0
	}
	return offset < 0
}

// input is one input series of a promtool test.
type input struct{ series, values string }

// thresholdEdge says how to test an alert at one threshold: the value a
// threshold of v compares with is made by series(unit, v) (unit "" for a
// county-wide alert), and step is the smallest change of that value.
type thresholdEdge struct {
	alert, severity string
	compare         compare
	step            float64
	perUnit         bool
	series          func(unit string, v float64) []input
}

func constant(series string, v float64) input {
	return input{series, strconv.FormatFloat(v, 'f', -1, 64) + "x180"}
}

// thresholdEdges lists, for every record of the threshold block, the alert
// that reads it. TestThresholdEdges fails for a threshold missing here.
var thresholdEdges = map[string]thresholdEdge{
	"petition:overdue_threshold:warning": {alert: "PetitionOverdueHigh", severity: "warning", compare: atOrAbove, step: 1, perUnit: true,
		series: func(u string, v float64) []input {
			return []input{constant(`petition_overdue{unit="`+u+`",stage="acceptance",category="other"}`, v)}
		}},
	"petition:overdue_threshold:critical": {alert: "PetitionOverdueHigh", severity: "critical", compare: atOrAbove, step: 1, perUnit: true,
		series: func(u string, v float64) []input {
			return []input{constant(`petition_overdue{unit="`+u+`",stage="acceptance",category="other"}`, v)}
		}},
	"petition:due_soon_threshold:warning": {alert: "PetitionDueSoonPileUp", severity: "warning", compare: atOrAbove, step: 1, perUnit: true,
		series: func(u string, v float64) []input {
			return []input{constant(`petition_due_soon{unit="`+u+`",stage="acceptance"}`, v)}
		}},
	// a rate of v: v*100 repeats of 100 petitions, above the minimum volume
	"petition:repeat_rate_threshold:warning": {alert: "PetitionRepeatRateHigh", severity: "warning", compare: above, step: 0.01, perUnit: true,
		series: func(u string, v float64) []input {
			return []input{
				constant(`petition_received_window{unit="`+u+`",category="other",window="30d"}`, 100),
				constant(`petition_repeat_received_window{unit="`+u+`",window="30d"}`, math.Round(v*100)),
			}
		}},
	// v petitions, all repeats
	"petition:repeat_volume_threshold:min": {alert: "PetitionRepeatRateHigh", severity: "warning", compare: atOrAbove, step: 1, perUnit: true,
		series: func(u string, v float64) []input {
			return []input{
				constant(`petition_received_window{unit="`+u+`",category="other",window="30d"}`, v),
				constant(`petition_repeat_received_window{unit="`+u+`",window="30d"}`, v),
			}
		}},
	// today v times the usual 100 a day, none in the last hour
	"petition:surge_ratio_threshold:warning": {alert: "PetitionVolumeSurge", severity: "warning", compare: above, step: 0.01,
		series: func(_ string, v float64) []input {
			return []input{
				constant(`petition_received_window{unit="u1",category="other",window="30d"}`, 3000),
				constant(`petition_received_window{unit="u1",category="other",window="today"}`, math.Round(v*100)),
				constant(`petition_received_window{unit="u1",category="other",window="1h"}`, 0),
			}
		}},
	// v today where nothing is usual
	"petition:surge_volume_threshold:min": {alert: "PetitionVolumeSurge", severity: "warning", compare: atOrAbove, step: 1,
		series: func(_ string, v float64) []input {
			return []input{
				constant(`petition_received_window{unit="u1",category="other",window="30d"}`, 0),
				constant(`petition_received_window{unit="u1",category="other",window="today"}`, v),
				constant(`petition_received_window{unit="u1",category="other",window="1h"}`, 0),
			}
		}},
	// a unit's category: v times its usual week of 100 petitioners
	"petition:category_surge_ratio_threshold:warning": {alert: "PetitionCategorySurge", severity: "warning", compare: above, step: 0.01, perUnit: true,
		series: func(u string, v float64) []input { return categorySurge(u, math.Round(v*100), 100) }},
	// v petitioners of a category the unit usually never sees
	"petition:category_surge_petitioners_threshold:min": {alert: "PetitionCategorySurge", severity: "warning", compare: atOrAbove, step: 1, perUnit: true,
		series: func(u string, v float64) []input { return categorySurge(u, v, 0) }},
	// of every 1,000 intake requests a minute, v*1,000 answered 503
	"petition:api_error_ratio_threshold:warning": {alert: "PetitionAPIErrors", severity: "warning", compare: atOrAbove, step: 0.001,
		series: func(_ string, v float64) []input {
			bad := math.Round(v * 1000)
			return []input{
				{`petition_http_requests_total{job="riskmon",instance="riskmon:9720",route="/api/v1/cases",method="post",code="201"}`, "0+" + strconv.FormatFloat(1000-bad, 'f', -1, 64) + "x180"},
				{`petition_http_requests_total{job="riskmon",instance="riskmon:9720",route="/api/v1/cases",method="post",code="503"}`, "0+" + strconv.FormatFloat(bad, 'f', -1, 64) + "x180"},
			}
		}},
	// v low-risk disputes overdue: a high-risk one pages on its own
	"petition:dispute_overdue_threshold:warning": {alert: "PetitionDisputeOverdue", severity: "warning", compare: atOrAbove, step: 1, perUnit: true,
		series: func(u string, v float64) []input {
			return []input{constant(`petition_disputes_overdue{unit="`+u+`",category="other",risk="low"}`, v)}
		}},
	// the calendar's end v seconds ahead at every evaluation: it moves as time() does
	"petition:calendar_coverage_threshold:min": {alert: "PetitionCalendarMissing", severity: "warning", compare: below, step: 1,
		series: func(_ string, v float64) []input {
			return []input{{`petition_calendar_covered_until_timestamp_seconds`, strconv.FormatFloat(v, 'f', -1, 64) + "+60x180"}}
		}},
}

// thresholdValues returns each threshold record's normal and sensitive value.
func thresholdValues(t *testing.T) map[string][2]float64 {
	t.Helper()
	out := map[string][2]float64{}
	for _, r := range loadRules(t) {
		if !thresholdRecord.MatchString(r.Record) {
			continue
		}
		expr := strings.TrimSpace(r.Expr)
		var normal, sensitive string
		if m := switchedThreshold.FindStringSubmatch(expr); m != nil {
			sensitive, normal = m[1], m[2]
		} else if m := fixedThreshold.FindStringSubmatch(expr); m != nil {
			sensitive, normal = m[1], m[1]
		} else {
			t.Fatalf("%s: %q is not a threshold of the block's form", r.Record, expr)
		}
		out[r.Record] = [2]float64{product(t, normal), product(t, sensitive)}
	}
	return out
}

// product evaluates a threshold literal such as "0.3" or "60 * 86400".
func product(t *testing.T, s string) float64 {
	t.Helper()
	v := 1.0
	for _, f := range strings.Split(s, "*") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			t.Fatalf("threshold %q: %v", s, err)
		}
		v *= x
	}
	return v
}

type promqlTest struct {
	Expr       string `yaml:"expr"`
	EvalTime   string `yaml:"eval_time"`
	ExpSamples []struct {
		Labels string  `yaml:"labels"`
		Value  float64 `yaml:"value"`
	} `yaml:"exp_samples"`
}

type testGroup struct {
	Name        string       `yaml:"name"`
	Interval    string       `yaml:"interval"`
	InputSeries []input      `yaml:"input_series"`
	PromQL      []promqlTest `yaml:"promql_expr_test"`
}

func (in input) MarshalYAML() (any, error) {
	return map[string]string{"series": in.series, "values": in.values}, nil
}

// TestThresholdEdges: every alert fires just past each of its thresholds, in
// both periods, and not just short of it; at the threshold itself as its
// comparison says ("at or above" or "above"). The values are read from
// rules.yml, so the tests follow a change of a threshold; a threshold the
// table does not know fails the test.
func TestThresholdEdges(t *testing.T) {
	values := thresholdValues(t)
	if len(values) < 8 {
		t.Fatalf("%d thresholds found in rules.yml: the block's form changed?", len(values))
	}
	for rec := range thresholdEdges {
		if _, ok := values[rec]; !ok {
			t.Errorf("%s is tested but not in rules.yml", rec)
		}
	}
	var groups []testGroup
	records := make([]string, 0, len(values))
	for rec := range values {
		records = append(records, rec)
	}
	sort.Strings(records)
	for _, rec := range records {
		edge, ok := thresholdEdges[rec]
		if !ok {
			t.Errorf("threshold %s has no edge test: add it to thresholdEdges", rec)
			continue
		}
		for i, period := range []string{"normal", "sensitive"} {
			v := values[rec][i]
			active := input{`petition_sensitive_period_active{period="national_day"}`, map[string]string{"normal": "0x180", "sensitive": "1x180"}[period]}
			firing := fmt.Sprintf(`ALERTS{alertname=%q,severity=%q,alertstate="firing"}`, edge.alert, edge.severity)
			offsets := map[string]int{"below": -1, "at": 0, "above": 1}
			if edge.perUnit {
				g := testGroup{Name: fmt.Sprintf("%s, %s period (%g)", rec, period, v), Interval: "1m", InputSeries: []input{active}}
				q := promqlTest{Expr: "count by (unit) (" + firing + ")", EvalTime: "2h"}
				for _, unit := range []string{"below", "at", "above"} {
					g.InputSeries = append(g.InputSeries, edge.series(unit, v+float64(offsets[unit])*edge.step)...)
					g.InputSeries = append(g.InputSeries, constant(`petition_unit_info{unit="`+unit+`",name="`+unit+`"}`, 1))
					if edge.compare.fires(offsets[unit]) {
						q.ExpSamples = append(q.ExpSamples, struct {
							Labels string  `yaml:"labels"`
							Value  float64 `yaml:"value"`
						}{`{unit="` + unit + `"}`, 1})
					}
				}
				g.PromQL = []promqlTest{q}
				groups = append(groups, g)
				continue
			}
			for _, pos := range []string{"below", "at", "above"} {
				g := testGroup{Name: fmt.Sprintf("%s, %s period (%g), %s", rec, period, v, pos), Interval: "1m",
					InputSeries: append([]input{active}, edge.series("", v+float64(offsets[pos])*edge.step)...)}
				q := promqlTest{Expr: "count(" + firing + ")", EvalTime: "2h"}
				if edge.compare.fires(offsets[pos]) {
					q.ExpSamples = append(q.ExpSamples, struct {
						Labels string  `yaml:"labels"`
						Value  float64 `yaml:"value"`
					}{`{}`, 1})
				}
				g.PromQL = []promqlTest{q}
				groups = append(groups, g)
			}
		}
	}
	rules, err := filepath.Abs("rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := yaml.Marshal(map[string]any{"rule_files": []string{rules}, "evaluation_interval": "1m", "tests": groups})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "thresholds_test.yml")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out := runTool(t, "promtool", "test", "rules", file)
	if t.Failed() {
		t.Logf("generated tests:\n%s", doc)
	} else if !strings.Contains(out, "SUCCESS") {
		t.Errorf("promtool did not report success:\n%s", out)
	}
}

// categorySurge is a unit's category of its own (each unit's, so that the
// category's name is one series) with current petitioners in 7 days against
// a usual week of baseline.
func categorySurge(unit string, current, baseline float64) []input {
	c := `category="c_` + unit + `"`
	return []input{
		constant(`petition_category_petitioners{unit="`+unit+`",`+c+`}`, current),
		constant(`petition_category_petitioners_baseline{unit="`+unit+`",`+c+`}`, baseline),
		constant(`petition_category_info{`+c+`,name="`+unit+`"}`, 1),
	}
}
