package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
)

// findingFilter reads the findings list's query parameters; the scope
// comes from the caller, never from the request.
func findingFilter(r *http.Request, c *Ctx) (store.FindingFilter, int) {
	q := r.URL.Query()
	epss, _ := strconv.ParseFloat(strings.TrimSpace(q.Get("epss_min")), 64)
	f := store.FindingFilter{
		AssetID: atoi64(q.Get("asset")), CVE: q.Get("cve"), AdvisoryID: q.Get("advisory"), Status: q.Get("status"),
		Source: q.Get("source"), ModelID: atoi64(q.Get("model")), KEV: q.Get("kev") == "1" || q.Get("kev") == "true",
		EPSSMin: epss, Open: q.Get("open") == "1" || q.Get("open") == "true", WithGone: q.Get("gone") == "1",
		Scope: c.Scope(),
	}
	page := max(int(atoi64(q.Get("page"))), 1)
	per := int(atoi64(q.Get("per_page")))
	if per <= 0 || per > 500 {
		per = 100
	}
	f.Limit, f.Offset = per, (page-1)*per
	return f, page
}

func (s *Server) findingsPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	f, page := findingFilter(r, c)
	items, err := s.Store.Findings(ctx, f)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	total, err := s.Store.CountFindings(ctx, f)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	counts, _ := s.Store.FindingStatusCounts(ctx, c.Scope())
	intel, _ := s.Store.Intel(ctx)
	pages := max((total+f.Limit-1)/f.Limit, 1)
	s.render(w, r, c, http.StatusOK, "findings", map[string]any{
		"Items": items, "Total": total, "PageNo": page, "Pages": pages, "Query": r.URL.Query(), "F": f,
		"Statuses": medsec.FindingStatuses, "Counts": counts, "Intel": intel,
	})
}

func (s *Server) findingPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	f, err := s.Store.Finding(ctx, atoi64(r.PathValue("id")), c.Scope())
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	events, err := s.Store.FindingEvents(ctx, f.ID)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	a, err := s.Store.FindAsset(ctx, f.AssetID, c.Scope())
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "finding", map[string]any{"F": f, "A": a, "Events": events, "Statuses": medsec.FindingStatuses})
}

func transitionFromForm(r *http.Request) medsec.FindingTransition {
	return medsec.FindingTransition{
		To: medsec.FindingStatus(r.FormValue("status")), Reason: r.FormValue("reason"), Confirm: r.FormValue("confirm") == "1",
		FixValidatedOn: r.FormValue("fix_validated_on"), ScheduledFor: r.FormValue("scheduled_for"), Control: r.FormValue("control"),
		AcceptedBy: r.FormValue("accepted_by"), AcceptedUntil: r.FormValue("accepted_until"),
	}
}

func (s *Server) findingTransition(w http.ResponseWriter, r *http.Request, c *Ctx) {
	id := atoi64(r.PathValue("id"))
	if _, err := s.Store.TransitionFinding(r.Context(), c.Actor(), id, transitionFromForm(r)); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/findings/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) apiFindings(w http.ResponseWriter, r *http.Request, c *Ctx) {
	f, page := findingFilter(r, c)
	items, err := s.Store.Findings(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	total, err := s.Store.CountFindings(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if items == nil {
		items = []store.FindingRow{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "page": page, "per_page": f.Limit, "items": items})
}

func (s *Server) apiFinding(w http.ResponseWriter, r *http.Request, c *Ctx) {
	f, err := s.Store.Finding(r.Context(), atoi64(r.PathValue("id")), c.Scope())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	events, err := s.Store.FindingEvents(r.Context(), f.ID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if events == nil {
		events = []store.FindingEvent{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"finding": f, "history": events})
}

func (s *Server) apiFindingTransition(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var t medsec.FindingTransition
	if err := readJSON(r, &t); err != nil {
		s.apiError(w, r, err)
		return
	}
	f, err := s.Store.TransitionFinding(r.Context(), c.Actor(), atoi64(r.PathValue("id")), t)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}
