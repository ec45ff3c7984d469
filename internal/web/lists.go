package web

import (
	"net/http"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/risk"
)

// listPageRows is how many rows the list page shows; exports have all.
const listPageRows = 200

func (s *Server) listsPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	name := r.URL.Query().Get("list")
	if name == "" {
		name = "capital"
	}
	fac := atoi64(r.URL.Query().Get("facility"))
	l, err := risk.List(r.Context(), s.Store, name, c.Scope(), fac)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	total := len(l.Assets) + len(l.Actions)
	if len(l.Assets) > listPageRows {
		l.Assets = l.Assets[:listPageRows]
	}
	if len(l.Actions) > listPageRows {
		l.Actions = l.Actions[:listPageRows]
	}
	facilities, _ := s.Store.Facilities(r.Context())
	s.render(w, r, c, http.StatusOK, "lists", map[string]any{"L": l, "Total": total, "Lists": []string{"capital", "mitigation", "monitoring", "restore"},
		"Titles": risk.Lists, "Facilities": facilities, "Facility": fac, "Shown": listPageRows})
}

// listExport serves /export/lists/NAME.csv|xlsx|json.
func (s *Server) listExport(w http.ResponseWriter, r *http.Request, c *Ctx) {
	name, format, _ := strings.Cut(r.PathValue("file"), ".")
	if format != "csv" && format != "xlsx" && format != "json" {
		s.fail(w, r, false, c, medsec.Errorf(medsec.ENOTFOUND, "Unknown export %q; use NAME.csv, NAME.xlsx or NAME.json.", r.PathValue("file")))
		return
	}
	l, err := risk.List(r.Context(), s.Store, name, c.Scope(), atoi64(r.URL.Query().Get("facility")))
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	ct := map[string]string{"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "json": "application/json"}[format]
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="medsec-`+name+`.`+format+`"`)
	if err := l.Write(w, format); err != nil {
		s.Log.Error("list export", "list", name, "err", err)
		return
	}
	s.Store.Audit(r.Context(), c.Actor(), "export", "list", name, map[string]string{"format": format})
}

func (s *Server) apiLists(w http.ResponseWriter, r *http.Request, c *Ctx) {
	name := r.URL.Query().Get("list")
	if name == "" {
		name = "capital"
	}
	l, err := risk.List(r.Context(), s.Store, name, c.Scope(), atoi64(r.URL.Query().Get("facility")))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}
