package access

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v2"
)

// The credentials file (credentials_file) lists the named credentials, one
// flow mapping a line:
//
//	credentials:
//	  - {name: zhen-a-clerk, role: reporter, units: [zhen-a], hash: "sha256:…"}
//
// It holds hashes only: a token is shown once, by riskmon token new.
type fileEntry struct {
	Name  string   `yaml:"name"`
	Role  string   `yaml:"role"`
	Units []string `yaml:"units,omitempty"`
	Hash  string   `yaml:"hash"`
}

type file struct {
	Credentials []fileEntry `yaml:"credentials"`
}

// ParseFile reads a credentials file's content; every problem is named,
// none quotes a hash.
func ParseFile(data []byte) (Set, error) {
	var f file
	if err := yaml.UnmarshalStrict(data, &f); err != nil {
		return nil, fmt.Errorf("credentials file: %w", err)
	}
	var out Set
	var errs []string
	for i, e := range f.Credentials {
		h, err := ParseHash(e.Hash)
		if err != nil {
			errs = append(errs, fmt.Sprintf("credential %d (%s): %v", i+1, e.Name, err))
		}
		out = append(out, Credential{Name: e.Name, Role: e.Role, Units: e.Units, Hash: h})
	}
	errs = append(errs, out.Problems()...)
	if len(errs) > 0 {
		return nil, errors.New("credentials file: " + strings.Join(errs, "; "))
	}
	return out, nil
}

// Line is c as one line of the credentials file's list.
func (c Credential) Line() string {
	units := ""
	if len(c.Units) > 0 {
		units = ", units: [" + strings.Join(c.Units, ", ") + "]"
	}
	return fmt.Sprintf("  - {name: %s, role: %s%s, hash: %q}", c.Name, c.Role, units, c.Hash.String())
}
