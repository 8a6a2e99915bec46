package portal

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"sync"
	"time"
)

// A session is a signed-in browser: the credential's name (looked up again
// at each request, so that a credential removed at a reload ends its
// sessions at once), when it began and was last used, and its CSRF token.
// Sessions live in the process: a restart, or another replica behind the
// load balancer, asks to sign in again.
type session struct {
	credential      string
	began, lastSeen time.Time
	csrf            string
}

// sessions are the sessions in force, by their cookie's value.
type sessions struct {
	mu sync.Mutex
	by map[string]*session
}

// The session's limits: idle for IdleTimeout, or older than MaxAge, it
// ends, and the clerk signs in again.
const (
	IdleTimeout = 30 * time.Minute
	MaxAge      = 12 * time.Hour
	// maxSessions bounds the sessions kept: past it, the expired go, and
	// a new sign-in waits for room.
	maxSessions = 10000
)

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// start begins a session of credential at now, and returns its cookie value.
func (s *sessions) start(credential string, now time.Time) (string, *session, bool) {
	id, err1 := randomToken()
	csrf, err2 := randomToken()
	if err1 != nil || err2 != nil {
		return "", nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.by) >= maxSessions {
		for k, v := range s.by {
			if v.expired(now) {
				delete(s.by, k)
			}
		}
		if len(s.by) >= maxSessions {
			return "", nil, false
		}
	}
	se := &session{credential: credential, began: now, lastSeen: now, csrf: csrf}
	s.by[id] = se
	return id, se, true
}

func (se *session) expired(now time.Time) bool {
	return now.Sub(se.lastSeen) > IdleTimeout || now.Sub(se.began) > MaxAge
}

// get returns the live session of id at now, marking it used.
func (s *sessions) get(id string, now time.Time) (*session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	se, ok := s.by[id]
	if !ok {
		return nil, false
	}
	if se.expired(now) {
		delete(s.by, id)
		return nil, false
	}
	se.lastSeen = now
	return se, true
}

// end ends the session of id.
func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.by, id)
}

// csrfMatches compares a form's token with the session's in constant time.
func (se *session) csrfMatches(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(se.csrf)) == 1
}
