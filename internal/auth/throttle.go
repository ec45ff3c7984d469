package auth

import "time"

// Throttle policy: after MaxFailures failed logins for one user name, or
// 4× that from one address, within Window, further attempts are refused
// until the window has passed. Counts live in the database so that every
// instance enforces the same limit.
const (
	MaxFailures = 5
	Window      = 15 * time.Minute
)

// Throttled reports whether a login must be refused.
func Throttled(byName, byIP int) bool {
	return byName >= MaxFailures || byIP >= 4*MaxFailures
}
