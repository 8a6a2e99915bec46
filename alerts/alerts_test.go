// Package alerts_test checks the rule files, their promtool tests, the
// runbook and the Alertmanager example.
package alerts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v2"

	"riskmon/alerts"
	"riskmon/collector"
	"riskmon/systemtest"
)

// TestRulesAreRendered: rules.yml is what its source renders to with the
// default settings (go generate ./alerts writes it).
func TestRulesAreRendered(t *testing.T) {
	want, err := alerts.Render(alerts.Defaults)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Error("rules.yml differs from rules.yml.tmpl rendered: run go generate ./alerts")
	}
	custom, err := alerts.Render(alerts.Settings{JobSelector: `job="county-a"`, RunbookBase: "https://wiki.example.invalid/runbook"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`up{job="county-a"}`, "https://wiki.example.invalid/runbook#petitiondatastale"} {
		if !strings.Contains(string(custom), want) {
			t.Errorf("rendered with other settings, the rules lack %s", want)
		}
	}
	if strings.Contains(string(custom), alerts.Defaults.RunbookBase) || strings.Contains(string(custom), alerts.Defaults.JobSelector) {
		t.Error("a default setting is written in the source instead of read from the settings")
	}
	if _, err := alerts.Render(alerts.Settings{}); err == nil {
		t.Error("rendered without settings")
	}
}

type rule struct {
	Record      string            `yaml:"record"`
	Alert       string            `yaml:"alert"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []rule `yaml:"rules"`
	} `yaml:"groups"`
}

func loadRules(t *testing.T) []rule {
	t.Helper()
	raw, err := os.ReadFile("rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	var f ruleFile
	if err := yaml.UnmarshalStrict(raw, &f); err != nil {
		t.Fatal(err)
	}
	var out []rule
	for _, g := range f.Groups {
		out = append(out, g.Rules...)
	}
	return out
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	pkg := map[string]string{"promtool": "prometheus", "amtool": "prometheus-alertmanager"}[name]
	out, err := exec.Command(systemtest.Need(t, name, pkg), args...).CombinedOutput()
	if err != nil {
		t.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// ruleTests are the promtool test files, one per area of the rules.
func ruleTests(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("tests/*_test.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule tests in tests/: %v", err)
	}
	return files
}

func TestPromtool(t *testing.T) {
	runTool(t, "promtool", "check", "rules", "--lint=all", "--lint-fatal", "rules.yml")
	runTool(t, "promtool", append([]string{"test", "rules"}, ruleTests(t)...)...)
}

var (
	alertName  = regexp.MustCompile(`^Petition[A-Z][a-zA-Z]+$`)
	recordName = regexp.MustCompile(`^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$`)
	anchorRef  = regexp.MustCompile(`RUNBOOK\.md#([a-z0-9-]+)$`)
	identifier = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)
)

// TestMixinLint applies the monitoring-mixin conventions to every rule.
func TestMixinLint(t *testing.T) {
	runbook, err := os.ReadFile("RUNBOOK.md")
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	for _, line := range strings.Split(string(runbook), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			anchors[strings.ToLower(strings.TrimSpace(h))] = true
		}
	}
	alerts := 0
	for _, r := range loadRules(t) {
		if r.Record != "" {
			if !recordName.MatchString(r.Record) {
				t.Errorf("record %s is not level:metric:operation", r.Record)
			}
			continue
		}
		alerts++
		name := r.Alert
		if !alertName.MatchString(name) {
			t.Errorf("alert %s is not CamelCase with the Petition prefix", name)
		}
		if s := r.Labels["severity"]; s != "critical" && s != "warning" {
			t.Errorf("%s: severity %q is not critical or warning", name, s)
		}
		if p, ok := r.Labels["period"]; ok {
			if p != "sensitive" && p != "normal" {
				t.Errorf("%s: period %q is not sensitive or normal", name, p)
			}
		} else if !strings.Contains(r.Expr, "group_left(period) petition:period:info") {
			t.Errorf("%s: no period label, static or joined from petition:period:info", name)
		}
		summary, desc := r.Annotations["summary"], r.Annotations["description"]
		if summary == "" || strings.Contains(summary, "{{") || !strings.HasSuffix(summary, ".") {
			t.Errorf("%s: summary %q must be a static sentence", name, summary)
		}
		if h := r.Annotations["summary_zh"]; h == "" || strings.Contains(h, "{{") || !hasHan(h) || utf8.RuneCountInString(h) > maxSummaryZh {
			t.Errorf("%s: summary_zh %q must be a static Chinese headline of at most %d characters", name, h, maxSummaryZh)
		}
		zh, en, ok := strings.Cut(desc, " / ")
		if !ok || !strings.Contains(desc, "{{") || !hasHan(zh) || hasHan(en) {
			t.Errorf("%s: description %q must be templated, Chinese, then \" / \" and English", name, desc)
		}
		m := anchorRef.FindStringSubmatch(r.Annotations["runbook_url"])
		if m == nil || !anchors[m[1]] {
			t.Errorf("%s: runbook_url %q has no section in RUNBOOK.md", name, r.Annotations["runbook_url"])
		}
		if r.For != "" {
			if _, err := time.ParseDuration(r.For); err != nil {
				t.Errorf("%s: for %q: %v", name, r.For, err)
			}
		}
		for k := range r.Annotations {
			if k != "summary" && k != "summary_zh" && k != "description" && k != "runbook_url" {
				t.Errorf("%s: unexpected annotation %s", name, k)
			}
		}
	}
	if alerts < 8 {
		t.Errorf("only %d alerts", alerts)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestExpressionsNameExportedMetrics: every metric an expression names is one
// the collector exports or one the rules record, so a renamed metric breaks
// this test instead of silently silencing an alert.
func TestExpressionsNameExportedMetrics(t *testing.T) {
	known := map[string]bool{"up": true}
	for _, n := range collector.Names() {
		known[n] = true
	}
	rules := loadRules(t)
	for _, r := range rules {
		if r.Record != "" {
			known[r.Record] = true
		}
	}
	for _, r := range rules {
		// label values and template strings are not metric names
		expr := regexp.MustCompile(`"[^"]*"`).ReplaceAllString(r.Expr, `""`)
		for _, id := range identifier.FindAllString(expr, -1) {
			if (strings.HasPrefix(id, "petition") || strings.Contains(id, ":")) && !known[id] {
				t.Errorf("%s%s names %s, which nothing exports or records", r.Alert, r.Record, id)
			}
		}
	}
}

// TestDomainMetricsTakeOneReplica: every domain metric an expression or a
// description's query names is inside alerts.OneReplica, so that two riskmon
// replicas neither double a count nor make a join many-to-many. The live
// self metrics are per replica and stay so.
func TestDomainMetricsTakeOneReplica(t *testing.T) {
	domain := map[string]bool{}
	for _, m := range collector.Metrics() {
		domain[m.Name] = !m.Live
	}
	// a domain metric, alone or under increase(...[range]), right after the
	// prefix, or under a max() of no labels, which has one answer however
	// many replicas
	wrapped := regexp.MustCompile(`(?:` + regexp.QuoteMeta(alerts.OneReplica) + ` \(|max\()(?:increase\()?(petition_[a-z_]+)`)
	for _, r := range loadRules(t) {
		for _, text := range []string{r.Expr, r.Annotations["description"]} {
			ok := map[int]bool{}
			for _, m := range wrapped.FindAllStringSubmatchIndex(text, -1) {
				ok[m[2]] = true
			}
			for _, m := range regexp.MustCompile(`petition_[a-z_]+`).FindAllStringIndex(text, -1) {
				name := text[m[0]:m[1]]
				if domain[name] && !ok[m[0]] {
					t.Errorf("%s%s: %s is not inside %q", r.Alert, r.Record, name, alerts.OneReplica)
				}
			}
		}
	}
}

// TestEveryAlertIsUnitTested: the promtool tests exercise every alert in both
// periods, firing and not.
func TestEveryAlertIsUnitTested(t *testing.T) {
	type ruleTest struct {
		AlertRuleTest []struct {
			Alertname string `yaml:"alertname"`
			ExpAlerts []struct {
				ExpLabels map[string]string `yaml:"exp_labels"`
			} `yaml:"exp_alerts"`
		} `yaml:"alert_rule_test"`
	}
	var tests []ruleTest
	for _, file := range ruleTests(t) {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Tests []ruleTest `yaml:"tests"`
		}
		if err := yaml.Unmarshal(raw, &f); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		tests = append(tests, f.Tests...)
	}
	silent, fired := map[string]bool{}, map[string]map[string]bool{}
	for _, tc := range tests {
		for _, a := range tc.AlertRuleTest {
			if len(a.ExpAlerts) == 0 {
				silent[a.Alertname] = true
			}
			for _, e := range a.ExpAlerts {
				if fired[a.Alertname] == nil {
					fired[a.Alertname] = map[string]bool{}
				}
				fired[a.Alertname][e.ExpLabels["period"]+"/"+e.ExpLabels["severity"]] = true
			}
		}
	}
	for _, r := range loadRules(t) {
		if r.Alert == "" {
			continue
		}
		if !silent[r.Alert] {
			t.Errorf("%s: no test where it does not fire", r.Alert)
		}
		periods := []string{"normal", "sensitive"}
		if p, ok := r.Labels["period"]; ok {
			periods = []string{p}
		}
		for _, p := range periods {
			if r.Alert == "PetitionCollectorDown" && p == "sensitive" {
				continue // riskmon is down: nothing says the period
			}
			if !fired[r.Alert][p+"/"+r.Labels["severity"]] {
				t.Errorf("%s: no test where it fires as %s/%s", r.Alert, p, r.Labels["severity"])
			}
		}
	}
}

func TestAlertmanagerConfig(t *testing.T) {
	runTool(t, "amtool", "check-config", "alertmanager.yml")
	for _, tc := range []struct {
		labels []string
		want   string
	}{
		{[]string{"severity=critical", "period=sensitive", "alertname=PetitionCollectiveReceived"}, "holiday-duty,oncall-pager"},
		{[]string{"severity=warning", "period=sensitive", "alertname=PetitionOverdueHigh"}, "holiday-duty,ticket-queue"},
		{[]string{"severity=critical", "period=normal", "alertname=PetitionDataStale"}, "oncall-pager"},
		{[]string{"severity=warning", "period=normal", "alertname=PetitionRepeatRateHigh"}, "ticket-queue"},
	} {
		args := append([]string{"config", "routes", "test", "--config.file=alertmanager.yml", "--verify.receivers=" + tc.want}, tc.labels...)
		runTool(t, "amtool", args...)
	}
	raw, err := os.ReadFile("alertmanager.yml")
	if err != nil {
		t.Fatal(err)
	}
	var am struct {
		InhibitRules []struct {
			SourceMatchers []string `yaml:"source_matchers"`
			TargetMatchers []string `yaml:"target_matchers"`
			Equal          []string `yaml:"equal"`
		} `yaml:"inhibit_rules"`
	}
	if err := yaml.Unmarshal(raw, &am); err != nil {
		t.Fatal(err)
	}
	ok := false
	for _, r := range am.InhibitRules {
		if strings.Join(r.SourceMatchers, ",") == `severity="critical"` && strings.Join(r.TargetMatchers, ",") == `severity="warning"` &&
			strings.Join(r.Equal, ",") == "alertname,unit" {
			ok = true
		}
	}
	if !ok {
		t.Error("no inhibition of a warning by its critical twin (same alertname and unit)")
	}
}
