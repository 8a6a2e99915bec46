package intake

import (
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// Failed authentication is throttled by remote address: each address may
// fail auth_failures_per_minute times a minute (a token bucket of that size,
// refilled at that rate); past it, every request of the address is 429 with
// Retry-After until the bucket has a token again, a valid token or not, so
// that guessing tokens costs a minute per handful. A guesser's thousands of
// requests are logged once a minute per address, not once each.
type authThrottle struct {
	mu sync.Mutex
	by map[string]*addrFailures
}

// addrFailures is one address's bucket and when a failure of it was last
// logged, its throttling last warned of, and a failure last seen.
type addrFailures struct {
	lim                  *rate.Limiter
	logged, warned, seen time.Time
}

// throttleAddresses bounds the addresses tracked: past it, those idle for a
// minute (their buckets full again) are forgotten, and a new address is
// not tracked until there is room (it is refused as usual, not throttled).
const throttleAddresses = 10000

// logEvery is how often one address's failures reach the log.
const logEvery = time.Minute

func newAuthThrottle() *authThrottle { return &authThrottle{by: map[string]*addrFailures{}} }

// wait is how long addr must wait at now before it may try again, or 0,
// and whether to warn that the address is throttled: once each logEvery.
func (t *authThrottle) wait(addr string, now time.Time) (time.Duration, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.by[addr]
	if f == nil || f.lim.TokensAt(now) >= 1 {
		return 0, false
	}
	r := f.lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	warn := now.Sub(f.warned) >= logEvery
	if warn {
		f.warned = now
	}
	return d, warn
}

// failed records a failure of addr at now under a limit of perMinute and
// says whether to log it: the first of each logEvery.
func (t *authThrottle) failed(addr string, now time.Time, perMinute int) (log bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.by[addr]
	if f == nil {
		if len(t.by) >= throttleAddresses {
			for a, g := range t.by {
				if now.Sub(g.seen) > time.Minute {
					delete(t.by, a)
				}
			}
		}
		if len(t.by) >= throttleAddresses {
			return false
		}
		f = &addrFailures{lim: rate.NewLimiter(rate.Limit(float64(perMinute)/60), perMinute)}
		t.by[addr] = f
	}
	if f.lim.Burst() != perMinute { // the limit was reloaded
		f.lim.SetBurstAt(now, perMinute)
		f.lim.SetLimitAt(now, rate.Limit(float64(perMinute)/60))
	}
	f.lim.AllowN(now, 1)
	f.seen = now
	if now.Sub(f.logged) >= logEvery {
		f.logged = now
		return true
	}
	return false
}

// quietKey marks a request the access log leaves out: an address's
// repeated authentication failures within logEvery.
const quietKey = "riskmon.quiet"

// Quiet reports whether the access log should leave the request out.
func Quiet(c echo.Context) bool {
	q, _ := c.Get(quietKey).(bool)
	return q
}
