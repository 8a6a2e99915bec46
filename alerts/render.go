// Package alerts renders riskmon's Prometheus rules from their source,
// rules.yml.tmpl, with the settings that differ between deployments (the
// job selector, where the runbook is served) written in one place. The
// rules themselves, their promtool tests, the runbook and the Alertmanager
// example are the files beside this one.
package alerts

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"text/template"
)

//go:generate go run ./generate -o rules.yml

//go:embed rules.yml.tmpl
var source string

// Settings are what a deployment may change in the rules.
type Settings struct {
	// JobSelector selects riskmon's scrape targets in up{...}, for the alert
	// that riskmon is down (when it is down, nothing else names it).
	JobSelector string
	// RunbookBase is where RUNBOOK.md is served; an alert's runbook_url is
	// RunbookBase#its-name-in-lower-case, the runbook's heading anchor.
	RunbookBase string
}

// ReplicaLabels tell riskmon's replicas apart: two replicas on one database
// export the same domain series, differing only in these.
const ReplicaLabels = "instance"

// OneReplica is the PromQL aggregation that keeps one series of the
// replicas' copies of each: the rules and the dashboards put it around every
// domain metric before they sum or join, so that two replicas neither double
// a count nor make a join many-to-many, and one replica down or stale (its
// domain series withheld) changes nothing. max, because the copies agree
// but for a refresh in flight, and for counters the later is the larger.
const OneReplica = "max without (" + ReplicaLabels + ")"

// Defaults are the settings of the shipped rules.yml.
var Defaults = Settings{
	JobSelector: `job="riskmon"`,
	RunbookBase: "https://riskmon.example.invalid/alerts/RUNBOOK.md",
}

// RunbookURL is the runbook link of the alert named name.
func (s Settings) RunbookURL(name string) string {
	return s.RunbookBase + "#" + strings.ToLower(name)
}

// Render returns the rules file for s.
func Render(s Settings) ([]byte, error) {
	if s.JobSelector == "" || s.RunbookBase == "" {
		return nil, fmt.Errorf("render rules: the job selector and the runbook base must be set")
	}
	t, err := template.New("rules.yml.tmpl").Delims("[[", "]]").Option("missingkey=error").
		Funcs(template.FuncMap{"runbook": s.RunbookURL, "one": func() string { return OneReplica }}).Parse(source)
	if err != nil {
		return nil, fmt.Errorf("render rules: %w", err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, s); err != nil {
		return nil, fmt.Errorf("render rules: %w", err)
	}
	return b.Bytes(), nil
}
