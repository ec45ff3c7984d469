package web

import (
	"net/http"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/export"
)

// exportFile serves /export/assets.csv, /export/links.csv,
// /export/crossref-cmdb.xlsx and so on.
func (s *Server) exportFile(w http.ResponseWriter, r *http.Request, c *Ctx) {
	name := r.PathValue("what")
	base, format, ok := strings.Cut(name, ".")
	if !ok || (format != "csv" && format != "xlsx") {
		s.fail(w, r, false, c, medsec.Errorf(medsec.ENOTFOUND, "Unknown export %q; use assets, links, crossref-cmdb or crossref-cmms with .csv or .xlsx.", name))
		return
	}
	what, forSys, _ := strings.Cut(base, "-")
	switch {
	case what == "assets":
	case what == "links" && format == "csv", what == "crossref" && (forSys == "cmdb" || forSys == "cmms"):
		if !c.Can(string(medsec.PermCorrelate)) {
			s.fail(w, r, false, c, medsec.Errorf(medsec.EFORBIDDEN, "The %s export covers the whole inventory; your role may not download it.", what))
			return
		}
	default:
		s.fail(w, r, false, c, medsec.Errorf(medsec.ENOTFOUND, "Unknown export %q.", name))
		return
	}
	ct := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="medsec-`+base+`.`+format+`"`)
	if err := export.Write(r.Context(), s.Store, what, forSys, format, w, c.Scope()); err != nil {
		s.Log.Error("export", "what", name, "err", err)
		return
	}
	s.Store.Audit(r.Context(), c.Actor(), "export", what, "", map[string]string{"file": name})
}
