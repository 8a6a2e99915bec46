// Command generate writes the generated pages of riskmon's documentation
// into docs/ (go generate ./docs).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"riskmon/docs"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	for _, name := range docs.Pages {
		b, err := docs.Render(name)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name), b, 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "generate:", err)
			os.Exit(1)
		}
	}
}
