package web

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/auth"
)

const sessionCookie = "medsec_session"

// Ctx is what a handler knows about the caller.
type Ctx struct {
	User      *medsec.User
	CSRF      string // the session's CSRF token; "" for API tokens
	tokenHash string
	viaToken  bool
}

// Actor names the caller for the audit log.
func (c *Ctx) Actor() medsec.Actor {
	if c == nil || c.User == nil {
		return medsec.Actor{Name: "anonymous"}
	}
	return medsec.Actor{UserID: c.User.ID, Name: c.User.Name, Role: c.User.Role, PartyID: c.User.PartyID}
}

// Scope returns the party whose contract scope limits what the caller
// sees, or 0 for hospital roles.
func (c *Ctx) Scope() int64 {
	if c.User != nil && c.User.Role.Scoped() {
		if c.User.PartyID == 0 {
			return -1 // a provider without a party sees nothing
		}
		return c.User.PartyID
	}
	return 0
}

// Can reports whether the caller holds a permission (for templates).
func (c *Ctx) Can(p string) bool {
	return c != nil && c.User != nil && c.User.Role.Can(medsec.Permission(p))
}

// wrap enforces a route's requirements before its handler runs:
// identity (session cookie or bearer token), permission, and CSRF.
func (s *Server) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.identify(r, rt.API)
		if rt.Perm == medsec.PermPublic {
			if c == nil {
				c = &Ctx{}
			}
			rt.Handle(w, r, c)
			return
		}
		if err != nil || c == nil {
			if err == nil {
				err = medsec.Errorf(medsec.EUNAUTHORIZED, "Please log in.")
			}
			if rt.API {
				s.apiError(w, r, err)
			} else {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI())+"&reason="+url.QueryEscape(medsec.ErrorMessage(err)), http.StatusSeeOther)
			}
			return
		}
		if !c.User.Role.Can(rt.Perm) {
			s.fail(w, r, rt.API, c, medsec.Errorf(medsec.EFORBIDDEN, "Your role (%s) may not do this: it needs the %q permission.", c.User.Role, rt.Perm))
			return
		}
		if isStateChanging(r.Method) && !c.viaToken && !s.csrfOK(r, c) {
			s.fail(w, r, rt.API, c, medsec.Errorf(medsec.EFORBIDDEN, "The form has expired or did not come from medsec (CSRF check failed); reload the page and try again."))
			return
		}
		rt.Handle(w, r, c)
	})
}

func isStateChanging(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// identify finds the caller: an API bearer token (API routes only) or a
// session cookie. A nil Ctx with a nil error means anonymous.
func (s *Server) identify(r *http.Request, api bool) (*Ctx, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		if !api {
			return nil, medsec.Errorf(medsec.EUNAUTHORIZED, "API tokens work only under /api/v1/.")
		}
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, medsec.Errorf(medsec.EUNAUTHORIZED, "Authorization header must be \"Bearer <token>\".")
		}
		u, err := s.Store.UserByToken(ctx, auth.HashToken(strings.TrimSpace(tok)))
		if err != nil {
			return nil, err
		}
		return &Ctx{User: u, viaToken: true}, nil
	}
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	h := auth.HashToken(ck.Value)
	sess, err := s.Store.SessionByHash(ctx, h)
	if err != nil {
		return nil, err
	}
	// Slide the idle timeout, but never past the session's maximum age.
	now := s.Store.Now()
	exp := now.Add(s.SessionIdle)
	if max := sess.CreatedAt.Add(s.SessionMax); exp.After(max) {
		exp = max
	}
	if exp.Sub(sess.ExpiresAt) > s.SessionIdle/20 {
		s.Store.ExtendSession(context.WithoutCancel(ctx), h, exp)
	}
	return &Ctx{User: sess.User, CSRF: sess.CSRF, tokenHash: h}, nil
}

// csrfOK checks the synchronizer token (form field or header) and, where
// the browser sends one, that the Origin is ours.
func (s *Server) csrfOK(r *http.Request, c *Ctx) bool {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		tok = r.FormValue("csrf")
	}
	return tok != "" && auth.EqualTokens(tok, c.CSRF)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
