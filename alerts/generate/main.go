// Command generate renders riskmon's rules: with no flags, the shipped
// alerts/rules.yml (go generate ./alerts); with flags, a deployment's own.
package main

import (
	"flag"
	"fmt"
	"os"

	"riskmon/alerts"
)

func main() {
	s := alerts.Defaults
	flag.StringVar(&s.JobSelector, "job", s.JobSelector, "label matchers that select riskmon's scrape targets")
	flag.StringVar(&s.RunbookBase, "runbook-base", s.RunbookBase, "URL where RUNBOOK.md is served")
	out := flag.String("o", "", "file to write (default: standard output)")
	flag.Parse()
	b, err := alerts.Render(s)
	if err == nil {
		if *out == "" {
			_, err = os.Stdout.Write(b)
		} else {
			err = os.WriteFile(*out, b, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}
