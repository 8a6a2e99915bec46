package petition

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
)

// MinKeyBytes is the shortest petitioner key accepted: a shorter one could be
// guessed, and then every stored hash of an ID number brute-forced from a dump.
const MinKeyBytes = 16

// Key is the secret that turns a petitioner's identifier into the hash stored
// instead of it. It is a chain of HMAC keys, oldest first: the identifier is
// hashed with the first and each hash again with the next. A chain of one is
// the plain keyed hash. A chain grows by one key at each rotation (riskmon
// rekey), because a one-way hash cannot be recomputed under a new key without
// the identifier: rotation wraps the stored hashes instead, and a dump is then
// safe unless every key of the chain leaks.
type Key struct{ chain [][]byte }

// NewKey is the chain of the given keys, oldest first.
func NewKey(chain ...[]byte) Key {
	k := Key{}
	for _, c := range chain {
		k.chain = append(k.chain, append([]byte(nil), c...))
	}
	return k
}

// Len is the number of keys in the chain.
func (k Key) Len() int { return len(k.chain) }

// Check reports an empty chain or a key of it that is too short.
func (k Key) Check() error {
	if len(k.chain) == 0 {
		return errors.New("no key given")
	}
	for _, c := range k.chain {
		if len(c) < MinKeyBytes {
			return errors.New("a key shorter than 16 bytes is no secret")
		}
	}
	return nil
}

// Extends says whether next is k with one key added at the end: the only
// rotation rekey can make.
func (k Key) Extends(next Key) bool {
	if len(next.chain) != len(k.chain)+1 {
		return false
	}
	for i, c := range k.chain {
		if !hmac.Equal(c, next.chain[i]) {
			return false
		}
	}
	return true
}

// Any says whether pred holds for a key of the chain.
func (k Key) Any(pred func(key []byte) bool) bool {
	for _, c := range k.chain {
		if pred(c) {
			return true
		}
	}
	return false
}

// Last is the chain's newest key alone.
func (k Key) Last() Key { return Key{chain: k.chain[len(k.chain)-1:]} }

// Hash is the keyed hash stored instead of a petitioner's identifier, so that
// repeats can be matched without keeping the identity. Case and spaces are
// folded first: an ID card's check digit "x" and "X" are the same person.
func (k Key) Hash(id string) string { return k.Wrap(strings.ToUpper(strings.TrimSpace(id))) }

// Wrap hashes an already stored hash with the chain's keys: what rekey does
// to each stored hash with the one key it adds.
func (k Key) Wrap(stored string) string {
	for _, c := range k.chain {
		stored = hmacHex(c, stored)
	}
	return stored
}

// fingerprintLabel is what the fingerprint hashes: a fixed label, so the
// fingerprint says which chain wrote the hashes and nothing of the keys.
const fingerprintLabel = "riskmon petitioner key fingerprint v1"

// Fingerprint names the chain without revealing it: the label hashed with
// the chain. The database records it at first use, so a process with another
// key refuses to write hashes that would never match.
func (k Key) Fingerprint() string { return k.Wrap(fingerprintLabel) }

func hmacHex(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// PetitionerHash is the hash of id under a single key.
func PetitionerHash(key []byte, id string) string { return NewKey(key).Hash(id) }
