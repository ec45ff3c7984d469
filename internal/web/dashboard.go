package web

import (
	"fmt"
	"net/http"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/chart"
)

func (s *Server) counts(r *http.Request, c *Ctx) (map[string][]medsec.Count, error) {
	out := map[string][]medsec.Count{}
	for _, dim := range []string{"facility", "modality", "manufacturer", "status"} {
		cs, err := s.Store.CountAssetsBy(r.Context(), dim, c.Scope())
		if err != nil {
			return nil, err
		}
		out[dim] = cs
	}
	return out, nil
}

func bars(cs []medsec.Count, param string, limit int) []chart.Bar {
	var out []chart.Bar
	for i, c := range cs {
		if limit > 0 && i == limit {
			break
		}
		b := chart.Bar{Label: c.Label, Value: float64(c.N)}
		if param != "" && c.ID != 0 {
			b.Href = fmt.Sprintf("/assets?%s=%d", param, c.ID)
		} else if param == "status" {
			b.Href = "/assets?status=" + c.Label
		}
		out = append(out, b)
	}
	return out
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, c *Ctx) {
	cs, err := s.counts(r, c)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	total := 0
	for _, x := range cs["facility"] {
		total += x.N
	}
	s.render(w, r, c, http.StatusOK, "dashboard", map[string]any{
		"Total": total, "Facilities": len(cs["facility"]), "Modalities": len(cs["modality"]), "Manufacturers": len(cs["manufacturer"]),
		"ByFacility":     chart.HBar("Assets by facility", bars(cs["facility"], "facility", 0), chart.Options{Width: 600}),
		"ByStatus":       chart.Donut("Assets by status", bars(cs["status"], "status", 0), chart.Options{Width: 600}),
		"ByModality":     chart.HBar("Assets by modality", bars(cs["modality"], "modality", 0), chart.Options{Width: 1200}),
		"ByManufacturer": chart.HBar("Top manufacturers", bars(cs["manufacturer"], "manufacturer", 15), chart.Options{Width: 1200}),
	})
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request, c *Ctx) {
	cs, err := s.counts(r, c)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cs)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, c *Ctx) {
	if err := s.Store.Ping(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "database": "unreachable", "error": medsec.ErrorMessage(err)})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "database": "ok", "backend": s.Store.Dialect(), "version": medsec.Version})
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, c *Ctx) {
	writeJSON(w, http.StatusOK, map[string]any{"user": c.User, "permissions": c.User.Role.Permissions()})
}
