package dashboards

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Render returns every dashboard of every language as indented JSON, by file
// name (the uid).
func Render() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, l := range Langs {
		built, err := All(l)
		if err != nil {
			return nil, fmt.Errorf("build %s dashboards: %w", l, err)
		}
		for _, b := range built {
			d := b.Dashboard
			b, err := json.MarshalIndent(d, "", "  ")
			if err != nil {
				return nil, fmt.Errorf("encode %s: %w", *d.Uid, err)
			}
			out[*d.Uid+".json"] = append(b, '\n')
		}
	}
	return out, nil
}

// Generate writes the rendered dashboards into dir.
func Generate(dir string) error {
	files, err := Render()
	if err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}
