package web

import (
	"net/http"

	"github.com/medsec/medsec"
)

func auditFilter(r *http.Request) medsec.AuditFilter {
	q := r.URL.Query()
	return medsec.AuditFilter{Actor: q.Get("actor"), Entity: q.Get("entity"), Action: q.Get("action"),
		Page: max(1, int(atoi64(q.Get("page")))), PerPage: int(atoi64(q.Get("per_page")))}
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	f := auditFilter(r)
	if f.PerPage <= 0 {
		f.PerPage = 100
	}
	items, total, err := s.Store.FindAudit(r.Context(), f)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	pages := max(1, (total+f.PerPage-1)/f.PerPage)
	s.render(w, r, c, http.StatusOK, "audit", map[string]any{"Items": items, "Total": total, "F": f, "Pages": pages, "Query": r.URL.Query()})
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, c *Ctx) {
	items, total, err := s.Store.FindAudit(r.Context(), auditFilter(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if items == nil {
		items = []medsec.AuditEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "items": items})
}
