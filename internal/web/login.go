package web

import (
	"net/http"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/auth"
)

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	if c.User != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, c, http.StatusOK, "login", map[string]any{"Next": safeNext(r.FormValue("next")), "Error": r.FormValue("reason")})
}

// login checks a password, throttling repeated failures per user name and
// per address, and starts a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	name := strings.TrimSpace(r.FormValue("username"))
	pass := r.FormValue("password")
	next := safeNext(r.FormValue("next"))
	ip := clientIP(r)
	fail := func(status int, msg string) {
		s.render(w, r, c, status, "login", map[string]any{"Next": next, "Error": msg, "Username": name})
	}
	byName, byIP, err := s.Store.FailedLogins(ctx, name, ip, s.Store.Now().Add(-auth.Window))
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	if auth.Throttled(byName, byIP) {
		fail(http.StatusTooManyRequests, "Too many failed logins. Wait 15 minutes and try again, or ask an administrator.")
		return
	}
	u, hash, err := s.Store.UserByName(ctx, name)
	ok := err == nil && !u.Disabled && auth.CheckPassword(pass, hash)
	if err != nil {
		auth.CheckPassword(pass, dummyHash) // same time whether or not the user exists
	}
	s.Store.RecordLogin(ctx, name, ip, ok)
	if !ok {
		s.Store.Audit(ctx, medsec.Actor{Name: name}, "login_failed", "session", "", map[string]string{"ip": ip})
		fail(http.StatusUnauthorized, "Wrong user name or password.")
		return
	}
	token, csrf := auth.NewToken("mss_"), auth.NewToken("")
	if err := s.Store.CreateSession(ctx, auth.HashToken(token), u.ID, csrf, s.Store.Now().Add(s.SessionIdle)); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	s.Store.Audit(ctx, medsec.Actor{UserID: u.ID, Name: u.Name}, "login", "session", "", map[string]string{"ip": ip})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

var dummyHash, _ = auth.HashPassword("not-a-real-password", auth.Default)

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *Ctx) {
	if c.tokenHash != "" {
		s.Store.DeleteSession(r.Context(), c.tokenHash)
		s.Store.Audit(r.Context(), c.Actor(), "logout", "session", "", nil)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps redirects on this site.
func safeNext(n string) string {
	if n == "" || !strings.HasPrefix(n, "/") || strings.HasPrefix(n, "//") || strings.HasPrefix(n, "/\\") || strings.HasPrefix(n, "/login") {
		return "/"
	}
	return n
}
