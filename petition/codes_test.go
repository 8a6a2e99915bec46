package petition

import (
	"regexp"
	"strings"
	"testing"
)

// isCode and IsPetitionerHash replace the regular expressions they are
// documented by; they must agree on every input, at the edges above all.
func TestCodeAndHashLoopsAgreeWithTheirExpressions(t *testing.T) {
	code := regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	hash := regexp.MustCompile(`^[0-9a-f]{64}$`)
	hex := strings.Repeat("0123456789abcdef", 4)
	for _, v := range []string{
		"", "a", "XF-2026.001_a", strings.Repeat("z", 64), strings.Repeat("z", 65), "a b", "a/b", "a\n", "\na",
		"信访", "é", "a\x00", hex, hex[:63], hex + "0", strings.ToUpper(hex), hex[:63] + "g", hex[:63] + "\u00e9"[:1],
		"A-Z", "[", "`", "@", "{",
	} {
		if got, want := isCode(v), code.MatchString(v); got != want {
			t.Errorf("isCode(%q) = %v, want %v", v, got, want)
		}
		if got, want := IsPetitionerHash(v), hash.MatchString(v); got != want {
			t.Errorf("IsPetitionerHash(%q) = %v, want %v", v, got, want)
		}
	}
}

func FuzzCodeAndHash(f *testing.F) {
	code := regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	hash := regexp.MustCompile(`^[0-9a-f]{64}$`)
	f.Add("XF-1")
	f.Add(strings.Repeat("ab", 32))
	f.Fuzz(func(t *testing.T, v string) {
		if isCode(v) != code.MatchString(v) || IsPetitionerHash(v) != hash.MatchString(v) {
			t.Errorf("%q: loops and expressions disagree", v)
		}
	})
}
