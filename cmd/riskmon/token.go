package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"riskmon/access"
)

// token new makes a credential: it prints the token alone on the first line
// (shown this once: only its hash is kept), then the line to add under the
// credentials file's credentials: list.
func token(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "new" {
		return errors.New(`usage: riskmon token new --name NAME --role bureau|reporter|reader [--unit CODE, repeated]`)
	}
	fs := flag.NewFlagSet("token new", flag.ContinueOnError)
	name := fs.String("name", "", "the credential's name, as the audit records it: a role and a place (zhen-a-clerk), never a person's name")
	role := fs.String("role", "", "bureau (everything), reporter (its units' reports, disputes, screenings, cases) or reader")
	var units unitList
	fs.Var(&units, "unit", "a unit code the credential reaches (repeat it, or comma-separated); none for bureau, and a reader without one reads all")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("token new: unexpected argument %q", fs.Arg(0))
	}
	tok, h, err := access.NewToken()
	if err != nil {
		return err
	}
	c := access.Credential{Name: *name, Role: *role, Units: units, Hash: h}
	if ps := c.Problems(); len(ps) > 0 {
		return fmt.Errorf("token new: %s", strings.Join(ps, "; "))
	}
	_, err = fmt.Fprintf(stdout, "%s\n%s\n", tok, c.Line())
	return err
}

// unitList is a repeatable, comma-separated --unit.
type unitList []string

func (u *unitList) String() string { return strings.Join(*u, ",") }

func (u *unitList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*u = append(*u, s)
		}
	}
	return nil
}
