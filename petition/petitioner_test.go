package petition

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func hmacOf(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// A chain of one is the keyed hash every earlier riskmon stored, so that an
// existing database matches without a rekey.
func TestKeyHash(t *testing.T) {
	k1, k2 := "the-first-key-0123456", "the-second-key-012345"
	one := NewKey([]byte(k1))
	two := NewKey([]byte(k1), []byte(k2))
	for _, tc := range []struct {
		name      string
		got, want string
	}{
		{"one key", one.Hash(" 11010119900101123x "), hmacOf(k1, "11010119900101123X")},
		{"the old function", PetitionerHash([]byte(k1), "a"), hmacOf(k1, "A")},
		{"two keys", two.Hash("a"), hmacOf(k2, hmacOf(k1, "A"))},
		{"a rekey's wrap", two.Last().Wrap(one.Hash("a")), two.Hash("a")},
		{"fingerprint", one.Fingerprint(), hmacOf(k1, fingerprintLabel)},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, tc.got, tc.want)
		}
	}
	if one.Fingerprint() == two.Fingerprint() {
		t.Error("two chains have one fingerprint")
	}
}

func TestKeyExtendsAndCheck(t *testing.T) {
	a, b, c := []byte("the-first-key-0123456"), []byte("the-second-key-012345"), []byte("the-third-key-0123456")
	for _, tc := range []struct {
		name     string
		from, to Key
		want     bool
	}{
		{"one more", NewKey(a), NewKey(a, b), true},
		{"two more", NewKey(a), NewKey(a, b, c), false},
		{"the same", NewKey(a, b), NewKey(a, b), false},
		{"another first", NewKey(a), NewKey(c, b), false},
		{"a replacement", NewKey(a), NewKey(b), false},
	} {
		if got := tc.from.Extends(tc.to); got != tc.want {
			t.Errorf("%s: Extends = %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		k    Key
		ok   bool
	}{
		{"none", Key{}, false},
		{"short", NewKey([]byte("fifteen-bytes-x")), false},
		{"sixteen", NewKey([]byte("sixteen-bytes-xx")), true},
		{"a short one in a chain", NewKey(a, []byte("short")), false},
	} {
		if err := tc.k.Check(); (err == nil) != tc.ok {
			t.Errorf("%s: Check = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}
