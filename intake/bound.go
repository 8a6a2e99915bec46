package intake

import "github.com/labstack/echo/v4"

// bounded admits at most api_max_in_flight requests at once; one over the
// limit gets 503 at once, with Retry-After, instead of a place in a queue
// without end (goroutines, memory and database connections for each). The
// limit is read when the server starts: a reload does not resize it.
func (a *API) bounded() echo.MiddlewareFunc {
	slots := make(chan struct{}, a.Config().APIMaxInFlight)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			select {
			case slots <- struct{}{}:
			default:
				return a.unavailable(c, "too many requests in flight; retry later")
			}
			defer func() { <-slots }()
			return next(c)
		}
	}
}
