package access_test

import (
	"errors"
	"strings"
	"testing"

	"riskmon/access"
)

func newCredential(t *testing.T, name, role string, units ...string) (string, access.Credential) {
	t.Helper()
	tok, h, err := access.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok, access.Credential{Name: name, Role: role, Units: units, Hash: h}
}

// A token is found by its hash alone, through the line the credentials file
// holds; another token, a prefix of it or the hash itself is not.
func TestTokenRoundTrip(t *testing.T) {
	tok, c := newCredential(t, "zhen-a-clerk", access.RoleReporter, "zhen-a")
	if !strings.HasPrefix(tok, "rmt_") || len(tok) != 4+43 {
		t.Errorf("token %q: want rmt_ and 43 base64url characters", tok)
	}
	set, err := access.ParseFile([]byte("credentials:\n" + c.Line() + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := set.Find(tok); !ok || got.Name != "zhen-a-clerk" || got.Role != access.RoleReporter || len(got.Units) != 1 {
		t.Errorf("Find(token) = %+v, %v", got, ok)
	}
	other, _ := newCredential(t, "x", access.RoleReader)
	for _, bad := range []string{other, tok[:len(tok)-1], tok + "x", "", c.Hash.String()} {
		if _, ok := set.Find(bad); ok {
			t.Errorf("Find(%q) found a credential", bad)
		}
	}
	if strings.Contains(c.Line(), tok) {
		t.Error("the file's line holds the token")
	}
}

func TestScopes(t *testing.T) {
	_, bureau := newCredential(t, "bureau", access.RoleBureau)
	_, clerk := newCredential(t, "clerk", access.RoleReporter, "zhen-a", "zhen-b")
	_, all := newCredential(t, "wall", access.RoleReader)
	_, some := newCredential(t, "dept", access.RoleReader, "zhen-a")
	for _, tc := range []struct {
		c           access.Credential
		unit        string
		write, read bool
	}{
		{bureau, "zhen-c", true, true},
		{clerk, "zhen-a", true, true},
		{clerk, "zhen-b", true, true},
		{clerk, "zhen-c", false, false},
		{all, "zhen-c", false, true},
		{some, "zhen-a", false, true},
		{some, "zhen-c", false, false},
	} {
		w, r := tc.c.MayWrite(tc.unit), tc.c.MayRead(tc.unit)
		if got, want := w == nil, tc.write; got != want {
			t.Errorf("%s MayWrite(%s) = %v, want allowed %v", tc.c.Name, tc.unit, w, want)
		}
		if got, want := r == nil, tc.read; got != want {
			t.Errorf("%s MayRead(%s) = %v, want allowed %v", tc.c.Name, tc.unit, r, want)
		}
		if w != nil && !errors.Is(w, access.ErrOutOfScope) {
			t.Errorf("%s MayWrite(%s): %v is not ErrOutOfScope", tc.c.Name, tc.unit, w)
		}
	}
}

// Every problem of a file is named, and none quotes a hash.
func TestParseFileRefusals(t *testing.T) {
	_, c := newCredential(t, "ok", access.RoleReader)
	good := c.Hash.String()
	for _, tc := range []struct{ name, text, want string }{
		{"unknown key", "credentials:\n  - {name: a, role: reader, hash: \"" + good + "\", token: x}\n", "token"},
		{"unknown role", "credentials:\n  - {name: a, role: admin, hash: \"" + good + "\"}\n", `role "admin"`},
		{"reporter without units", "credentials:\n  - {name: a, role: reporter, hash: \"" + good + "\"}\n", "needs its units"},
		{"bureau with units", "credentials:\n  - {name: a, role: bureau, units: [x], hash: \"" + good + "\"}\n", "reaches them all"},
		{"a token instead of a hash", "credentials:\n  - {name: a, role: reader, hash: rmt_abc}\n", "sha256:SALT:SUM"},
		{"a person's name", "credentials:\n  - {name: 张三, role: reader, hash: \"" + good + "\"}\n", "lower-case"},
		{"twice", "credentials:\n  - {name: a, role: reader, hash: \"" + good + "\"}\n  - {name: a, role: reader, hash: \"" + good + "\"}\n", "given twice"},
		{"not YAML", "credentials: [\n", "credentials file"},
	} {
		_, err := access.ParseFile([]byte(tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), good) {
			t.Errorf("%s: the error quotes the hash", tc.name)
		}
	}
}
