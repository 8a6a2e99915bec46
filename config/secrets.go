package config

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"riskmon/access"
	"riskmon/petition"
)

// DemoKey is the demo's petitioner key. It is public, so it protects nothing:
// only synthetic identifiers are ever hashed with it, and CheckSecrets refuses
// it outside --demo.
const DemoKey = "riskmon-demo-key-not-a-secret"

// publicSecrets are values that were published (the demo's key, example
// tokens the README, the docs or the bench scripts once showed). Anyone can
// read them, so they are refused outside --demo. A test keeps this list in
// step with the docs: a secret literal in them must be here.
var publicSecrets = map[string]string{
	DemoKey:                        "the demo's public petitioner key",
	"tour-token-0123456789":        "the README's example token",
	"bench-token-0123456789abcdef": "the bench script's example token",
	"bench-key-0123456789":         "the bench script's example key",
}

// secretKeys are the keys whose value is a secret: never echoed in an error,
// only strings in the file (YAML reads a long number as a float and
// fmt.Sprint would silently rewrite it), and settable from a file instead.
var secretKeys = map[string]bool{"petitioner_key": true, "api_token": true, "api_read_token": true}

// readSecretFile reads a secrets file: one value per line, surrounding
// spaces and blank lines ignored. A file others can read is refused: the
// point of a secrets file is that only the service's user reads it.
func readSecretFile(path string) ([]string, error) {
	raw, err := readSecret(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(string(raw), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("secrets file %s is empty", path)
	}
	return out, nil
}

// readSecret reads a file of secrets (or of their hashes) that only the
// service's user and group may read and only its owner change.
func readSecret(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read secrets file: %w", err)
	}
	if st.Mode().Perm()&0o007 != 0 {
		return nil, fmt.Errorf("secrets file %s can be read by any user (mode %04o): chmod o-rwx it", path, st.Mode().Perm())
	}
	// The group may read it (0640: the service's group); one that may
	// write it could put a token of its own there.
	if st.Mode().Perm()&0o020 != 0 {
		return nil, fmt.Errorf("secrets file %s can be changed by its group (mode %04o): chmod g-w it", path, st.Mode().Perm())
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read secrets file: %w", err)
	}
	return raw, nil
}

// credentialsFileSetter reads the named credentials of credentials_file.
func credentialsFileSetter(c *Config, v string) error {
	c.Credentials = nil
	if v == "" {
		return nil
	}
	raw, err := readSecret(v)
	if err != nil {
		return err
	}
	c.Credentials, err = access.ParseFile(raw)
	return err
}

// resolveAccess makes the credentials in force: the file's, and api_token
// and api_read_token as a bureau and a reader credential of those names,
// so that a configuration without a file works as before. A name given
// twice is refused.
func (c *Config) resolveAccess() error {
	c.access = slices.Clone(c.Credentials)
	for _, t := range []struct {
		name, role string
		tokens     []string
	}{{"api_token", access.RoleBureau, c.APITokens}, {"api_read_token", access.RoleReader, c.APIReadTokens}} {
		for _, tok := range t.tokens {
			h, err := access.HashOf(tok)
			if err != nil {
				return err
			}
			c.access = append(c.access, access.Credential{Name: t.name, Role: t.role, Hash: h})
		}
	}
	for _, cr := range c.Credentials {
		if cr.Name == "api_token" || cr.Name == "api_read_token" {
			return &Error{Key: "credentials_file", From: c.Origin("credentials_file"), Problem: "the name " + cr.Name + " is the configured token's: choose another"}
		}
	}
	return nil
}

// Access is the credentials in force.
func (c *Config) Access() access.Set { return c.access }

// ReadKeyFile reads a petitioner key chain from a file as petitioner_key_file
// does (riskmon rekey reads the new chain with it).
func ReadKeyFile(path string) (petition.Key, error) {
	var c Config
	if err := petitionerKeyFileSetter(&c, path); err != nil {
		return petition.Key{}, err
	}
	return c.PetitionerKey, c.PetitionerKey.Check()
}

func petitionerKeySetter(c *Config, v string) error {
	c.PetitionerKey = petition.Key{}
	if v != "" {
		c.PetitionerKey = petition.NewKey([]byte(v))
	}
	return nil
}

// petitionerKeyFileSetter reads the key chain from a file, oldest first, one
// key a line (a file of one line is the usual single key).
func petitionerKeyFileSetter(c *Config, v string) error {
	if v == "" {
		return nil
	}
	if c.PetitionerKey.Len() > 0 {
		return errors.New("petitioner_key is set too: set the key or the file, not both")
	}
	lines, err := readSecretFile(v)
	if err != nil {
		return err
	}
	chain := make([][]byte, len(lines))
	for i, l := range lines {
		chain[i] = []byte(l)
	}
	c.PetitionerKey = petition.NewKey(chain...)
	return nil
}

// tokenFileSetter adds the tokens of a file, one a line, to field.
func tokenFileSetter(plain string, field func(*Config) *[]string) setter {
	return func(c *Config, v string) error {
		if v == "" {
			return nil
		}
		if len(*field(c)) > 0 {
			return fmt.Errorf("%s is set too: set the tokens or the file, not both", plain)
		}
		lines, err := readSecretFile(v)
		if err != nil {
			return err
		}
		return tokenSetter(field)(c, strings.Join(lines, ","))
	}
}

// CheckSecrets reports a missing or short petitioner key and, unless
// allowPublic (the demo), a published key or token. It is separate from Load
// because `migrate` needs no key while `serve` does.
func (c *Config) CheckSecrets(allowPublic bool) error {
	var errs []error
	if err := c.PetitionerKey.Check(); err != nil {
		errs = append(errs, &Error{Key: "petitioner_key", From: c.Origin("petitioner_key", "petitioner_key_file"),
			Problem: "must be set to a secret of at least 16 bytes: " + err.Error()})
	}
	// A read-only token that is also a read-write one writes.
	for _, tok := range c.APIReadTokens {
		if slices.Contains(c.APITokens, tok) {
			errs = append(errs, &Error{Key: "api_read_token", From: c.Origin("api_read_token", "api_read_token_file"),
				Problem: "holds a token that is also an api_token: it would write; give the read-only one its own"})
			break
		}
	}
	if allowPublic {
		return errors.Join(errs...)
	}
	var what string
	if c.PetitionerKey.Any(func(k []byte) bool { var ok bool; what, ok = publicSecrets[string(k)]; return ok }) {
		errs = append(errs, &Error{Key: "petitioner_key", From: c.Origin("petitioner_key", "petitioner_key_file"),
			Problem: "is " + what + ", which anyone can read; it is accepted only with --demo"})
	}
	for _, list := range []struct {
		key    string
		tokens []string
	}{{"api_token", c.APITokens}, {"api_read_token", c.APIReadTokens}} {
		for _, tok := range list.tokens {
			if what, ok := publicSecrets[tok]; ok {
				errs = append(errs, &Error{Key: list.key, From: c.Origin(list.key, list.key+"_file"),
					Problem: "holds " + what + ", which anyone can read; it is accepted only with --demo"})
			}
		}
	}
	return errors.Join(errs...)
}

// IsPublicSecret says whether v is a published key or token (for tests that
// keep the docs and publicSecrets in step).
func IsPublicSecret(v string) bool { _, ok := publicSecrets[v]; return ok }
