package intake

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// bounded admits at most api_max_in_flight requests at once; one over the
// limit gets 503 at once, with Retry-After, instead of a place in a queue
// without end (goroutines, memory and database connections for each). So
// that one credential (a township on a bad link sending its body a byte a
// second, or a leaked token) cannot hold them all, a credential holds at
// most api_max_in_flight_per_credential, and writes leave a quarter of the
// slots (at least one) to reads. The limits are read when the server
// starts: a reload does not resize them. It runs after auth: a request
// without a valid token takes no slot.
func (a *API) bounded() echo.MiddlewareFunc {
	cfg := a.Config()
	total := cfg.APIMaxInFlight
	reads := max(1, total/4)
	if total == 1 {
		reads = 0 // one slot: it is everyone's
	}
	var (
		mu           sync.Mutex
		inFlight     int
		writes       int
		byCred       = map[string]int{}
		perCred      = cfg.APIMaxInFlightPerCredential
		writesAtMost = total - reads
	)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			name := credentialOf(c).Name
			m := c.Request().Method
			write := m != http.MethodGet && m != http.MethodHead
			mu.Lock()
			var refused string
			switch {
			case inFlight >= total:
				refused = "too many requests in flight; retry later"
			case byCred[name] >= perCred:
				refused = "this credential has too many requests in flight; retry later"
			case write && writes >= writesAtMost:
				refused = "too many writes in flight; retry later"
			default:
				inFlight++
				byCred[name]++
				if write {
					writes++
				}
			}
			mu.Unlock()
			if refused != "" {
				return a.unavailable(c, refused)
			}
			if a.InFlight != nil {
				a.InFlight(1)
				defer a.InFlight(-1)
			}
			defer func() {
				mu.Lock()
				inFlight--
				if byCred[name]--; byCred[name] == 0 {
					delete(byCred, name)
				}
				if write {
					writes--
				}
				mu.Unlock()
			}()
			// the body is read within body_read_timeout, not the server's
			// whole read timeout: a slow body frees its slot sooner
			if write {
				_ = http.NewResponseController(c.Response()).SetReadDeadline(time.Now().Add(cfg.APIBodyReadTimeout))
			}
			return next(c)
		}
	}
}

// limited lets each reporter or reader credential make api_rate requests a
// second, in bursts of api_burst (token buckets by credential name); past
// it, 429 with Retry-After. A bureau credential is the case system's, whose
// throughput is the county's intake: only its requests in flight are
// bounded (bounded). The limits are read for each request: a reload
// applies.
func (a *API) limited() echo.MiddlewareFunc {
	var (
		mu      sync.Mutex
		buckets = map[string]*rate.Limiter{}
	)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			cr := credentialOf(c)
			if cr.Bureau() {
				return next(c)
			}
			cfg, now, name := a.Config(), a.Now(), cr.Name
			mu.Lock()
			lim := buckets[name]
			if lim == nil {
				lim = rate.NewLimiter(rate.Limit(cfg.APIRate), cfg.APIBurst)
				buckets[name] = lim
			}
			if lim.Limit() != rate.Limit(cfg.APIRate) || lim.Burst() != cfg.APIBurst {
				lim.SetLimitAt(now, rate.Limit(cfg.APIRate))
				lim.SetBurstAt(now, cfg.APIBurst)
			}
			r := lim.ReserveN(now, 1)
			wait := r.DelayFrom(now)
			if wait > 0 {
				r.CancelAt(now)
			}
			mu.Unlock()
			if wait > 0 {
				c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
				return a.refuse(c, &Error{Status: http.StatusTooManyRequests, Message: "this credential's request rate is over api_rate; retry later"})
			}
			return next(c)
		}
	}
}
