package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/service"
	"github.com/medsec/medsec/internal/store"
)

// ExpiringSoon is how far ahead the "expiring soon" list looks.
const ExpiringSoon = 30 * 24 * time.Hour

// exceptionState names where an exception stands at now.
func exceptionState(x store.ExceptionRow, now time.Time) string {
	switch {
	case !x.RevokedAt.IsZero():
		return "revoked"
	case !x.Expiry.After(now):
		return "expired"
	case x.Approver == "":
		return "pending"
	case x.Expiry.Sub(now) <= ExpiringSoon:
		return "expiring_soon"
	}
	return "active"
}

type exceptionView struct {
	store.ExceptionRow
	State string `json:"state"`
}

func (s *Server) exceptionViews(r *http.Request, c *Ctx) ([]exceptionView, []exceptionView, error) {
	xs, err := s.Store.Exceptions(r.Context(), c.Scope())
	if err != nil {
		return nil, nil, err
	}
	now := s.Store.Now()
	all, soon := []exceptionView{}, []exceptionView{}
	for _, x := range xs {
		v := exceptionView{x, exceptionState(x, now)}
		all = append(all, v)
		if v.State == "expiring_soon" {
			soon = append(soon, v)
		}
	}
	return all, soon, nil
}

func (s *Server) exceptionsPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	all, soon, err := s.exceptionViews(r, c)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "exceptions", map[string]any{"Items": all, "Soon": soon,
		"Default": s.Store.Now().AddDate(0, 6, 0).Format("2006-01-02")})
}

// exceptionBody is the request of a risk exception (form or JSON).
type exceptionBody struct {
	Asset    string   `json:"asset"`    // asset tag
	ModelID  int64    `json:"model_id"` // or a make/model
	Decision string   `json:"decision"`
	Reason   string   `json:"reason"`
	Controls []string `json:"controls"`
	Expiry   string   `json:"expiry"`
}

func (s *Server) requestException(r *http.Request, c *Ctx, b exceptionBody) (int64, error) {
	x := store.ExceptionRow{ModelID: b.ModelID, Decision: strings.ToLower(strings.TrimSpace(b.Decision)), Reason: b.Reason}
	for _, ctl := range b.Controls {
		if ctl = strings.TrimSpace(ctl); ctl != "" {
			x.Controls = append(x.Controls, ctl)
		}
	}
	if tag := strings.TrimSpace(b.Asset); tag != "" {
		keys, err := s.Store.AssetKeys(r.Context())
		if err != nil {
			return 0, err
		}
		id, ok := keys[tag]
		if !ok {
			return 0, medsec.Errorf(medsec.EINVALID, "Asset %q is not in the inventory.", tag)
		}
		if _, err := s.Store.FindAsset(r.Context(), id, c.Scope()); err != nil {
			return 0, err
		}
		x.AssetID = id
	}
	t, err := service.ParseTime(b.Expiry, time.UTC)
	if err != nil {
		return 0, err
	}
	x.Expiry = t
	return s.Store.RequestException(r.Context(), c.Actor(), x)
}

func (s *Server) exceptionCreate(w http.ResponseWriter, r *http.Request, c *Ctx) {
	b := exceptionBody{Asset: r.FormValue("asset"), ModelID: atoi64(r.FormValue("model_id")), Decision: r.FormValue("decision"),
		Reason: r.FormValue("reason"), Controls: strings.Split(r.FormValue("controls"), ","), Expiry: r.FormValue("expiry")}
	if _, err := s.requestException(r, c, b); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/exceptions", http.StatusSeeOther)
}

func (s *Server) exceptionApprove(w http.ResponseWriter, r *http.Request, c *Ctx) {
	if _, err := s.Store.ApproveException(r.Context(), c.Actor(), atoi64(r.PathValue("id"))); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/exceptions", http.StatusSeeOther)
}

func (s *Server) exceptionRevoke(w http.ResponseWriter, r *http.Request, c *Ctx) {
	if _, err := s.Store.RevokeException(r.Context(), c.Actor(), atoi64(r.PathValue("id"))); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/exceptions", http.StatusSeeOther)
}

func (s *Server) apiExceptions(w http.ResponseWriter, r *http.Request, c *Ctx) {
	all, soon, err := s.exceptionViews(r, c)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": all, "expiring_soon": soon})
}

func (s *Server) apiExceptionCreate(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var b exceptionBody
	if err := readJSON(r, &b); err != nil {
		s.apiError(w, r, err)
		return
	}
	id, err := s.requestException(r, c, b)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id})
}

func (s *Server) apiExceptionApprove(w http.ResponseWriter, r *http.Request, c *Ctx) {
	x, err := s.Store.ApproveException(r.Context(), c.Actor(), atoi64(r.PathValue("id")))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, exceptionView{x, exceptionState(x, s.Store.Now())})
}

func (s *Server) apiExceptionRevoke(w http.ResponseWriter, r *http.Request, c *Ctx) {
	x, err := s.Store.RevokeException(r.Context(), c.Actor(), atoi64(r.PathValue("id")))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, exceptionView{x, exceptionState(x, s.Store.Now())})
}

func (s *Server) apiEndOfSupport(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var b struct {
		Date string `json:"end_of_support"`
	}
	if err := readJSON(r, &b); err != nil {
		s.apiError(w, r, err)
		return
	}
	t, err := service.ParseTime(b.Date, time.UTC)
	if err != nil || t.IsZero() {
		s.apiError(w, r, medsec.Errorf(medsec.EINVALID, "end_of_support must be a date (YYYY-MM-DD)."))
		return
	}
	id := atoi64(r.PathValue("id"))
	if _, err := s.Store.Model(r.Context(), id, c.Scope()); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.Store.SetEndOfSupport(r.Context(), c.Actor(), id, t.Format("2006-01-02")); err != nil {
		s.apiError(w, r, err)
		return
	}
	eos, err := s.Store.EndsOfSupport(r.Context(), c.Scope())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": eos})
}
