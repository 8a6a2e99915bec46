package docs_test

import (
	"os"
	"strings"
	"testing"

	"riskmon/collector"
	"riskmon/config"
	"riskmon/docs"
)

// TestGeneratedPagesAreCommitted: the committed pages are what the code
// renders, so a new key or metric cannot go undocumented.
func TestGeneratedPagesAreCommitted(t *testing.T) {
	for _, name := range docs.Pages {
		want, err := docs.Render(name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("docs/%s differs from the code: run go generate ./docs", name)
		}
	}
}

// The pages name every key and every metric.
func TestPagesNameEverything(t *testing.T) {
	conf, err := docs.Render("configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range config.Keys() {
		if !strings.Contains(string(conf), "| "+k.Name+" |") {
			t.Errorf("configuration.md lacks %s", k.Name)
		}
	}
	metrics, err := docs.Render("metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range collector.Metrics() {
		if !strings.Contains(string(metrics), "| "+m.Name+" |") {
			t.Errorf("metrics.md lacks %s", m.Name)
		}
	}
}
