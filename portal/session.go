package portal

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"riskmon/store"
)

// A session is a signed-in browser: the credential's name (looked up again
// at each request, so that a credential removed at a reload ends its
// sessions at once) and its CSRF token. Sessions are kept in the database
// (store.Session), under the SHA-256 of the cookie's value, so that every
// replica behind the load balancer knows them and a restart keeps them.
type session struct {
	id         string // the cookie's value
	credential string
	csrf       string
}

// The session's limits: idle for IdleTimeout, or older than MaxAge, it
// ends, and the clerk signs in again. Use is recorded to the minute
// (touchEvery), so that a page view is not a database write.
const (
	IdleTimeout = 30 * time.Minute
	MaxAge      = 12 * time.Hour
	touchEvery  = time.Minute
	// queryTimeout bounds each of a session's reads and writes.
	queryTimeout = 5 * time.Second
)

// idHash is the key a session is stored under: a database read gives no
// cookie.
func idHash(id string) string {
	h := sha256.Sum256([]byte(id))
	return hex.EncodeToString(h[:])
}

// csrfOf is the session's CSRF token, derived from the cookie's value, so
// that it is never stored and each replica computes the same.
func csrfOf(id string) string {
	h := sha256.Sum256([]byte("riskmon portal csrf\x00" + id))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

func expired(se store.Session, now time.Time) bool {
	return now.Sub(se.LastSeen) > IdleTimeout || now.Sub(se.Began) > MaxAge
}

// startSession begins a session of credential at now.
func startSession(ctx context.Context, s *store.Store, credential string, now time.Time) (*session, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("session id: %w", err)
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	if err := s.CreateSession(ctx, idHash(id), store.Session{Credential: credential, Began: now, LastSeen: now}, now.Add(-IdleTimeout)); err != nil {
		return nil, err
	}
	return &session{id: id, credential: credential, csrf: csrfOf(id)}, nil
}

// liveSession returns the session of the cookie's value id at now, and
// records its use; ok is false when there is none or it expired (and is
// then deleted).
func liveSession(ctx context.Context, s *store.Store, id string, now time.Time) (_ *session, ok bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	h := idHash(id)
	se, ok, err := s.SessionByHash(ctx, h)
	if err != nil || !ok {
		return nil, false, err
	}
	if expired(se, now) {
		return nil, false, s.EndSession(ctx, h)
	}
	if now.Sub(se.LastSeen) >= touchEvery {
		if err := s.TouchSession(ctx, h, now); err != nil {
			return nil, false, err
		}
	}
	return &session{id: id, credential: se.Credential, csrf: csrfOf(id)}, true, nil
}

// endSession ends the session of the cookie's value id.
func endSession(ctx context.Context, s *store.Store, id string) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	return s.EndSession(ctx, idHash(id))
}

// csrfMatches compares a form's token with the session's in constant time.
func (se *session) csrfMatches(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(se.csrf)) == 1
}
