package access

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
)

// A token is 32 random bytes, base64url without padding, after a prefix
// that lets a scanner of leaked secrets recognise it. Its hash is a salted
// SHA-256: with 256 bits of randomness a slow hash (argon2id) would add
// nothing against guessing and cost every request a slow hash per
// credential.
const (
	tokenPrefix = "rmt_"
	tokenBytes  = 32
	saltBytes   = 16
	hashScheme  = "sha256"
)

// Hash is a token's salted hash as the credentials file holds it:
// "sha256:SALT:SUM", both base64url.
type Hash struct {
	salt, sum []byte
}

// NewToken returns a new random token and its hash.
func NewToken() (string, Hash, error) {
	raw := make([]byte, tokenBytes)
	salt := make([]byte, saltBytes)
	for _, b := range [][]byte{raw, salt} {
		if _, err := rand.Read(b); err != nil {
			return "", Hash{}, fmt.Errorf("new token: %w", err)
		}
	}
	tok := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	return tok, Hash{salt: salt, sum: sum(salt, tok)}, nil
}

// HashOf is the hash of a token given in the configuration (api_token,
// api_read_token), under a salt of its own.
func HashOf(token string) (Hash, error) {
	salt := make([]byte, saltBytes)
	if _, err := rand.Read(salt); err != nil {
		return Hash{}, fmt.Errorf("hash token: %w", err)
	}
	return Hash{salt: salt, sum: sum(salt, token)}, nil
}

func sum(salt []byte, token string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(token))
	return h.Sum(nil)
}

// Matches reports, in constant time, whether token hashes to h.
func (h Hash) Matches(token string) bool {
	if len(h.sum) == 0 {
		return false
	}
	return subtle.ConstantTimeCompare(sum(h.salt, token), h.sum) == 1
}

// String is the hash as the credentials file holds it.
func (h Hash) String() string {
	return hashScheme + ":" + base64.RawURLEncoding.EncodeToString(h.salt) + ":" + base64.RawURLEncoding.EncodeToString(h.sum)
}

// ParseHash reads a hash as String writes it.
func ParseHash(s string) (Hash, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 || parts[0] != hashScheme {
		return Hash{}, fmt.Errorf("hash must be %s:SALT:SUM (riskmon token new writes it)", hashScheme)
	}
	salt, err1 := base64.RawURLEncoding.DecodeString(parts[1])
	s2, err2 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || len(salt) < saltBytes || len(s2) != sha256.Size {
		return Hash{}, fmt.Errorf("hash is not %s:SALT:SUM with a salt of at least %d bytes and a SHA-256 sum, base64url", hashScheme, saltBytes)
	}
	return Hash{salt: salt, sum: s2}, nil
}
