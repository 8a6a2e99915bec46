package config

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"riskmon/petition"
)

func writeSecret(t *testing.T, body string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return p
}

// A secret YAML reads as a number would be rewritten by fmt.Sprint
// (1.2345678901234568e+21): refused, and the message never shows it.
func TestSecretsInTheFileMustBeStrings(t *testing.T) {
	for _, body := range []string{
		"petitioner_key: 1234567890123456789012\n",
		"api_token: 123456789012345678\n",
		"api_read_token: true\n",
	} {
		_, err := Load(Source{File: writeFile(t, body)})
		if err == nil || !strings.Contains(err.Error(), "a secret must be a quoted string") {
			t.Errorf("%q: %v, want a refusal", body, err)
			continue
		}
		if strings.Contains(err.Error(), "123456") {
			t.Errorf("%q: the error shows the secret: %v", body, err)
		}
	}
	c, err := Load(Source{File: writeFile(t, "petitioner_key: \"1234567890123456789012\"\n")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.PetitionerKey.Fingerprint(), petition.NewKey([]byte("1234567890123456789012")).Fingerprint(); got != want {
		t.Error("a quoted digit string is not taken as it is written")
	}
}

func TestSecretFiles(t *testing.T) {
	key := writeSecret(t, "a-key-of-sixteen-bytes\n", 0o600)
	chain := writeSecret(t, "the-first-key-0123456\n\nthe-second-key-012345\n", 0o640)
	tokens := writeSecret(t, "token-one-0123456789\ntoken-two-0123456789\n", 0o600)
	c, err := Load(Source{Env: map[string]string{"RISKMON_PETITIONER_KEY_FILE": key, "RISKMON_API_TOKEN_FILE": tokens, "RISKMON_API_READ_TOKEN_FILE": tokens}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.PetitionerKey.Fingerprint(), petition.NewKey([]byte("a-key-of-sixteen-bytes")).Fingerprint(); got != want {
		t.Error("the key file's key, its newline cut, is not the key")
	}
	if got, want := strings.Join(c.APITokens, ","), "token-one-0123456789,token-two-0123456789"; got != want {
		t.Errorf("tokens %q, want %q", got, want)
	}
	if len(c.APIReadTokens) != 2 {
		t.Errorf("read tokens %d, want 2", len(c.APIReadTokens))
	}
	c, err = Load(Source{Flags: map[string]string{"petitioner_key_file": chain}})
	if err != nil {
		t.Fatal(err)
	}
	want := petition.NewKey([]byte("the-first-key-0123456"), []byte("the-second-key-012345"))
	if c.PetitionerKey.Len() != 2 || c.PetitionerKey.Fingerprint() != want.Fingerprint() {
		t.Errorf("a file of two keys is a chain of %d keys", c.PetitionerKey.Len())
	}
	if err := c.CheckSecrets(false); err != nil {
		t.Errorf("CheckSecrets: %v", err)
	}

	for _, tc := range []struct {
		name string
		src  Source
		want string
	}{
		{"key and file", Source{Env: map[string]string{"RISKMON_PETITIONER_KEY": "0123456789abcdef", "RISKMON_PETITIONER_KEY_FILE": key}}, "set the key or the file, not both"},
		{"tokens and file", Source{Env: map[string]string{"RISKMON_API_TOKEN": "0123456789abcdef", "RISKMON_API_TOKEN_FILE": tokens}}, "set the tokens or the file, not both"},
		{"readable by all", Source{Env: map[string]string{"RISKMON_PETITIONER_KEY_FILE": writeSecret(t, "a-key-of-sixteen-bytes\n", 0o644)}}, "can be read by any user (mode 0644)"},
		{"writable by its group", Source{Env: map[string]string{"RISKMON_API_TOKEN_FILE": writeSecret(t, "a-token-of-sixteen-bytes\n", 0o660)}}, "can be changed by its group (mode 0660)"},
		{"empty", Source{Env: map[string]string{"RISKMON_API_TOKEN_FILE": writeSecret(t, "\n\n", 0o600)}}, "is empty"},
		{"missing", Source{Env: map[string]string{"RISKMON_API_READ_TOKEN_FILE": "/nonexistent/tokens"}}, "no such file"},
		{"short token", Source{Env: map[string]string{"RISKMON_API_TOKEN_FILE": writeSecret(t, "short\n", 0o600)}}, "too short"},
	} {
		_, err := Load(tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	c, err = Load(Source{Env: map[string]string{"RISKMON_PETITIONER_KEY_FILE": writeSecret(t, "short\n", 0o600)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckSecrets(false); err == nil || !strings.Contains(err.Error(), "RISKMON_PETITIONER_KEY_FILE") {
		t.Errorf("a short key from a file: %v, want an error naming the file's variable", err)
	}
}

// One token as both the read-write and the read-only one would make the
// read-only one a write token: refused, naming both keys, never the token.
func TestSameTokenReadAndWrite(t *testing.T) {
	tok := "a-shared-token-0123456789"
	c, err := Load(Source{Env: map[string]string{"RISKMON_PETITIONER_KEY": "0123456789abcdef",
		"RISKMON_API_TOKEN": "another-token-0123456789," + tok, "RISKMON_API_READ_TOKEN": tok}})
	if err != nil {
		t.Fatal(err)
	}
	err = c.CheckSecrets(false)
	if err == nil || !strings.Contains(err.Error(), "api_read_token") || !strings.Contains(err.Error(), "also an api_token") {
		t.Errorf("the same token read-only and read-write: %v, want it refused", err)
	}
	if err != nil && strings.Contains(err.Error(), tok) {
		t.Errorf("the error quotes the token: %v", err)
	}
}

func TestPublicSecretsOnlyInTheDemo(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"demo key", map[string]string{"RISKMON_PETITIONER_KEY": DemoKey}, "the demo's public petitioner key"},
		{"tour token", map[string]string{"RISKMON_PETITIONER_KEY": "0123456789abcdef", "RISKMON_API_TOKEN": "x-token-0123456789abc,tour-token-0123456789"}, "the README's example token"},
		{"bench read token", map[string]string{"RISKMON_PETITIONER_KEY": "0123456789abcdef", "RISKMON_API_READ_TOKEN": "bench-token-0123456789abcdef"}, "api_read_token"},
	} {
		c, err := Load(Source{Env: tc.env})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.CheckSecrets(false); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
		if err := c.CheckSecrets(true); err != nil {
			t.Errorf("%s in the demo: %v", tc.name, err)
		}
	}
}

// Every secret-looking literal in the README, the docs and the bench scripts
// is in publicSecrets: a new example cannot slip into production unrefused.
func TestDocumentedSecretsAreRefused(t *testing.T) {
	assignment := regexp.MustCompile(`(?:KEY|TOKEN)=([A-Za-z0-9._-]{8,})`)
	var files []string
	for _, pattern := range []string{"../README.md", "../docs/*.md", "../bench/*", "../bench/*/*", "../alerts/*.md", "../CONTRIBUTING.md"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			if info, err := os.Stat(f); err != nil || !info.IsDir() { // a program of its own, as bench/barescrape
				files = append(files, f)
			}
		}
	}
	found := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range assignment.FindAllStringSubmatch(string(raw), -1) {
			found++
			if !IsPublicSecret(m[1]) {
				t.Errorf("%s shows the secret %q, which CheckSecrets would accept outside the demo", f, m[1])
			}
		}
	}
	t.Logf("%d secret literals in %d files", found, len(files))
}
