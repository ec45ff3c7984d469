package web

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/linker"
	"github.com/medsec/medsec/internal/store"
)

// readJSON decodes a small JSON request body, refusing unknown fields so
// that a typo is an error rather than a silent default.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return medsec.Errorf(medsec.EINVALID, "Request body is not valid JSON for this endpoint: %v.", err)
	}
	return nil
}

func (s *Server) apiCorrelate(w http.ResponseWriter, r *http.Request, c *Ctx) {
	sum, err := linker.Run(r.Context(), s.Store, c.Actor(), linker.Options{Full: r.URL.Query().Get("full") == "true"})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sum)
}

func (s *Server) apiCoverage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	out := map[string]any{}
	for _, by := range []string{"", "facility", "modality"} {
		rows, err := s.Store.Coverage(ctx, by)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		if rows == nil {
			rows = []store.CoverageRow{}
		}
		key := "by_" + by
		if by == "" {
			key = "total"
		}
		out[key] = rows
	}
	hist, err := s.Store.CoverageHistory(ctx)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	targets, _ := s.Store.Targets(ctx)
	out["history"], out["targets"] = nonNil(hist), nonNilT(targets)
	writeJSON(w, http.StatusOK, out)
}

func nonNil(v []store.CoverageRow) []store.CoverageRow {
	if v == nil {
		return []store.CoverageRow{}
	}
	return v
}

func nonNilT(v []store.Target) []store.Target {
	if v == nil {
		return []store.Target{}
	}
	return v
}

func (s *Server) apiTargetSave(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var t store.Target
	if err := readJSON(r, &t); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.Store.SetTarget(r.Context(), c.Actor(), t); err != nil {
		s.apiError(w, r, err)
		return
	}
	targets, _ := s.Store.Targets(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{"targets": targets})
}

func (s *Server) apiReview(w http.ResponseWriter, r *http.Request, c *Ctx) {
	q := r.URL.Query()
	per := int(atoi64(q.Get("per_page")))
	if per <= 0 || per > 500 {
		per = 50
	}
	page := max(1, int(atoi64(q.Get("page"))))
	items, total, err := s.Store.ReviewQueue(r.Context(), per, (page-1)*per)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if items == nil {
		items = []store.ReviewEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "items": items})
}

type decisionBody struct {
	A        int64  `json:"a,omitempty"`
	B        int64  `json:"b,omitempty"`
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

func (s *Server) apiReviewDecide(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var d decisionBody
	if err := readJSON(r, &d); err != nil {
		s.apiError(w, r, err)
		return
	}
	background, err := s.decideItem(r.Context(), c, atoi64(r.PathValue("id")), d.Decision, d.Reason)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, decided(background))
}

// decided answers a decision: the re-link it caused is "done", or
// "background" (see GET /api/v1/correlation/job).
func decided(background bool) map[string]string {
	relink := "done"
	if background {
		relink = "background"
	}
	return map[string]string{"status": "decided", "relink": relink}
}

// apiCorrelationJob reports the background correlation job: whether it is
// running (since when, started by whom) and its last result or error.
func (s *Server) apiCorrelationJob(w http.ResponseWriter, r *http.Request, c *Ctx) {
	s.job.mu.Lock()
	out := map[string]any{"running": s.job.running, "last": s.job.last}
	if s.job.running {
		out["started"], out["by"] = s.job.started.UTC().Format(time.RFC3339), s.job.by
	}
	if s.job.err != nil {
		out["error"] = medsec.ErrorMessage(s.job.err)
	}
	s.job.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var d decisionBody
	if err := readJSON(r, &d); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.Store.Decide(r.Context(), c.Actor(), d.A, d.B, d.Decision, d.Reason); err != nil {
		s.apiError(w, r, err)
		return
	}
	background, err := s.relink(r.Context(), c.Actor())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, decided(background))
}

func (s *Server) apiOrphans(w http.ResponseWriter, r *http.Request, c *Ctx) {
	f := assetFilter(r, c)
	f.Orphan = r.URL.Query().Get("list")
	if f.Orphan == "" {
		f.Orphan = "unseen"
	}
	if _, ok := medsec.Orphans[f.Orphan]; !ok {
		s.apiError(w, r, medsec.Errorf(medsec.EINVALID, "list must be unseen, unknown or cmdb_only."))
		return
	}
	f.Kind = "all"
	if f.Orphan != "unseen" {
		f.Kind = "medical"
	}
	items, total, err := s.Store.FindAssets(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"list": f.Orphan, "description": medsec.Orphans[f.Orphan], "total": total, "items": items})
}

func (s *Server) apiAliases(w http.ResponseWriter, r *http.Request, c *Ctx) {
	a, err := s.Store.Aliases(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if a == nil {
		a = []store.Alias{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": a})
}

func (s *Server) apiAliasAdd(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var b struct {
		Alias        string `json:"alias"`
		Manufacturer string `json:"manufacturer"`
	}
	if err := readJSON(r, &b); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.Store.AddAlias(r.Context(), c.Actor(), b.Alias, b.Manufacturer); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"alias": b.Alias, "manufacturer": b.Manufacturer})
}
