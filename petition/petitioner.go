package petition

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// PetitionerHash is the keyed hash stored instead of a petitioner's identifier,
// so that repeats can be matched without keeping the identity. Case and spaces
// are folded first: an ID card's check digit "x" and "X" are the same person.
func PetitionerHash(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strings.ToUpper(strings.TrimSpace(id))))
	return hex.EncodeToString(m.Sum(nil))
}
