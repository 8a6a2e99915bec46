// Package docs renders the parts of riskmon's documentation that are
// generated from code: docs/configuration.md from the configuration keys and
// docs/metrics.md from the metric declarations. The prose is in the
// templates beside this file; a test keeps the committed pages equal to the
// rendering (go generate ./docs).
package docs

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"

	"riskmon/collector"
	"riskmon/config"
	"riskmon/petition"
)

//go:generate go run ./generate

//go:embed *.md.tmpl
var templates embed.FS

// Pages are the generated pages, by file name under docs/.
var Pages = []string{"configuration.md", "metrics.md"}

// data is what the templates read.
type data struct {
	Keys       []config.KeyDoc
	Metrics    []collector.MetricDoc
	Windows    []string
	Channels   []string
	Levels     []string
	Stages     []string
	Results    []string
	Categories []petition.NamedCode
}

var funcs = template.FuncMap{
	"env":  config.EnvName,
	"flag": config.FlagName,
	"join": strings.Join,
	// cell escapes a table cell's pipes
	"cell": func(s string) string { return strings.ReplaceAll(s, "|", `\|`) },
}

// Render returns the page named name.
func Render(name string) ([]byte, error) {
	t, err := template.New(name+".tmpl").Funcs(funcs).Option("missingkey=error").ParseFS(templates, name+".tmpl")
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	d := data{
		Keys: config.Keys(), Metrics: collector.Metrics(), Windows: collector.Windows,
		Channels: petition.Channels, Levels: petition.Levels, Stages: petition.Stages,
		Results: petition.EvaluationResults, Categories: petition.DefaultCategories,
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return b.Bytes(), nil
}
