// Package access answers one question for the API and the portal: may this
// caller read or write this unit? It holds the named credentials, their
// token hashes, roles and unit scopes.
package access

import (
	"errors"
	"fmt"
	"slices"
)

// Roles of a credential.
const (
	// RoleBureau is the petition bureau: everything, the registry of units,
	// categories and matters included.
	RoleBureau = "bureau"
	// RoleReporter is a unit's clerk: its own units' daily reports,
	// disputes, screenings and, where the unit receives cases, their cases
	// and events; it reads its own units.
	RoleReporter = "reporter"
	// RoleReader reads, all units or only its own.
	RoleReader = "reader"
)

// Roles are the roles a credential may have.
var Roles = []string{RoleBureau, RoleReporter, RoleReader}

// ErrOutOfScope is a request for a unit the credential may not touch.
var ErrOutOfScope = errors.New("out of this credential's scope")

// Credential is one caller: its name (what the audit records; the
// operator's choice, never a person's name by rule), role, units (a
// reporter's, or a reader's when limited) and token hash.
type Credential struct {
	Name  string
	Role  string
	Units []string
	Hash  Hash
}

// Problems are what is wrong with c, or nil.
func (c Credential) Problems() []string {
	var out []string
	if !validName(c.Name) {
		out = append(out, fmt.Sprintf("name %q must be 1 to 64 lower-case letters, digits, '_' or '-'", c.Name))
	}
	if !slices.Contains(Roles, c.Role) {
		out = append(out, fmt.Sprintf("role %q is not one of %v", c.Role, Roles))
	}
	switch {
	case c.Role == RoleReporter && len(c.Units) == 0:
		out = append(out, "a reporter needs its units")
	case c.Role == RoleBureau && len(c.Units) > 0:
		out = append(out, "a bureau credential has no units: it reaches them all")
	}
	for _, u := range c.Units {
		if !validName(u) {
			out = append(out, fmt.Sprintf("unit %q is not a unit code", u))
		}
	}
	return out
}

// validName: lower-case letters, digits, '_' and '-', 1 to 64 bytes, as
// unit codes are.
func validName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, b := range []byte(s) {
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '_' || b == '-') {
			return false
		}
	}
	return true
}

// Bureau reports whether c may do everything.
func (c Credential) Bureau() bool { return c.Role == RoleBureau }

// MayWrite is nil when c may write to unit, else ErrOutOfScope.
func (c Credential) MayWrite(unit string) error {
	if c.Role == RoleBureau || c.Role == RoleReporter && slices.Contains(c.Units, unit) {
		return nil
	}
	return fmt.Errorf("%w: %s may not write to unit %s", ErrOutOfScope, c.Name, unit)
}

// MayRead is nil when c may read unit's records, else ErrOutOfScope.
func (c Credential) MayRead(unit string) error {
	if c.Role == RoleBureau || c.Role == RoleReader && len(c.Units) == 0 || slices.Contains(c.Units, unit) {
		return nil
	}
	return fmt.Errorf("%w: %s may not read unit %s", ErrOutOfScope, c.Name, unit)
}

// Writes reports whether c may write at all.
func (c Credential) Writes() bool { return c.Role != RoleReader }

// Set is the credentials in force.
type Set []Credential

// Find returns the credential whose hash token matches. It checks every
// credential, each in constant time, so that how long it takes does not
// tell which one, if any, came close.
func (s Set) Find(token string) (Credential, bool) {
	var found Credential
	ok := false
	for _, c := range s {
		if c.Hash.Matches(token) && !ok {
			found, ok = c, true
		}
	}
	return found, ok
}

// Problems are what is wrong with the set: each credential's, and a name
// given twice.
func (s Set) Problems() []string {
	var out []string
	seen := map[string]bool{}
	for i, c := range s {
		for _, p := range c.Problems() {
			out = append(out, fmt.Sprintf("credential %d (%s): %s", i+1, c.Name, p))
		}
		if seen[c.Name] {
			out = append(out, fmt.Sprintf("credential %d: the name %s is given twice", i+1, c.Name))
		}
		seen[c.Name] = true
	}
	return out
}
