// Command generate writes riskmon's dashboards to dashboards/json:
//
//	go run ./dashboards/generate
package main

import (
	"log/slog"
	"os"

	"riskmon/dashboards"
)

//go:generate go run . ../json

func main() {
	dir := "dashboards/json"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := dashboards.Generate(dir); err != nil {
		slog.Error("generate dashboards", "err", err)
		os.Exit(1)
	}
}
