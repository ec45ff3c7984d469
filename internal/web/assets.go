package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/export"
	"github.com/medsec/medsec/internal/risk"
	"github.com/medsec/medsec/internal/store"
)

// assetFilter reads the list's query parameters; the provider scope comes
// from the caller, never from the request.
func assetFilter(r *http.Request, c *Ctx) medsec.AssetFilter {
	q := r.URL.Query()
	f := medsec.AssetFilter{
		Q: q.Get("q"), Status: q.Get("status"), Sort: q.Get("sort"),
		FacilityID: atoi64(q.Get("facility")), ModalityID: atoi64(q.Get("modality")), ManufacturerID: atoi64(q.Get("manufacturer")), ModelID: atoi64(q.Get("model")),
		Page: int(atoi64(q.Get("page"))), PerPage: int(atoi64(q.Get("per_page"))),
		ScopePartyID: c.Scope(),
		RiskTier:     q.Get("risk_tier"), ImpactTier: q.Get("impact_tier"), Likelihood: q.Get("likelihood"), Acuity: q.Get("acuity"),
	}
	f.Normalize()
	return f
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n
}

type column struct {
	Label, Sort, Dir string
	Active           bool
}

func (s *Server) assetList(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	f := assetFilter(r, c)
	items, total, err := s.Store.FindAssets(ctx, f)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	facilities, _ := s.Store.Facilities(ctx)
	modalities, _ := s.Store.Modalities(ctx)
	manufacturers, _ := s.Store.Manufacturers(ctx)
	statuses := s.statuses(ctx)
	var cols []column
	for _, col := range []struct{ label, key string }{{"Equipment ID", "asset_tag"}, {"Serial", "serial"}, {"Manufacturer", "manufacturer"}, {"Model", "model"}, {"Modality", "modality"}, {"Facility", "facility"}, {"Status", "status"}} {
		cl := column{Label: col.label, Sort: col.key}
		if strings.TrimPrefix(f.Sort, "-") == col.key {
			cl.Active, cl.Dir = true, "ascending"
			if strings.HasPrefix(f.Sort, "-") {
				cl.Dir = "descending"
			} else {
				cl.Sort = "-" + col.key
			}
		}
		cols = append(cols, cl)
	}
	pages := (total + f.PerPage - 1) / f.PerPage
	if pages < 1 {
		pages = 1
	}
	s.render(w, r, c, http.StatusOK, "assets", map[string]any{
		"Items": items, "Total": total, "F": f, "Pages": pages, "Query": r.URL.Query(), "Columns": cols,
		"Facilities": facilities, "Modalities": modalities, "Manufacturers": manufacturers, "Statuses": statuses,
	})
}

func (s *Server) assetPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	a, recs, err := s.assetWithRecords(r, c)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	findings, err := s.Store.Findings(r.Context(), store.FindingFilter{AssetID: a.ID, Scope: c.Scope()})
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	rk, _ := risk.Explain(r.Context(), s.Store, a.ID)
	running, started := s.jobRunning()
	s.render(w, r, c, http.StatusOK, "asset", map[string]any{"A": a, "Records": recs, "Findings": findings, "Risk": rk, "Running": running, "Started": started})
}

func (s *Server) assetWithRecords(r *http.Request, c *Ctx) (*medsec.Asset, []*medsec.SourceRecord, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, nil, medsec.Errorf(medsec.ENOTFOUND, "Asset %q not found.", r.PathValue("id"))
	}
	a, err := s.Store.FindAsset(r.Context(), id, c.Scope())
	if err != nil {
		return nil, nil, err
	}
	recs, err := s.Store.SourceRecordsForAsset(r.Context(), id)
	return a, recs, err
}

type kv struct{ K, V string }

// prettyJSON lists a raw source row's cells in the file's column order.
func prettyJSON(raw json.RawMessage) []kv {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return []kv{{"raw", string(raw)}}
	}
	var out []kv
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			break
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		k, _ := kt.(string)
		vs, ok := v.(string)
		if !ok {
			b, _ := json.Marshal(v)
			vs = string(b)
		}
		out = append(out, kv{k, vs})
	}
	return out
}

func (s *Server) apiAssets(w http.ResponseWriter, r *http.Request, c *Ctx) {
	f := assetFilter(r, c)
	items, total, err := s.Store.FindAssets(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "page": f.Page, "per_page": f.PerPage, "items": items})
}

func (s *Server) apiAsset(w http.ResponseWriter, r *http.Request, c *Ctx) {
	a, recs, err := s.assetWithRecords(r, c)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if recs == nil {
		recs = []*medsec.SourceRecord{}
	}
	findings, err := s.Store.Findings(r.Context(), store.FindingFilter{AssetID: a.ID, Scope: c.Scope()})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if findings == nil {
		findings = []store.FindingRow{}
	}
	writeJSON(w, http.StatusOK, struct {
		*medsec.Asset
		SourceRecords []*medsec.SourceRecord `json:"source_records"`
		Findings      []store.FindingRow     `json:"findings"`
	}{a, recs, findings})
}

// assetCSV exports the filtered list, every page of it, safe to open in Excel.
func (s *Server) assetCSV(w http.ResponseWriter, r *http.Request, c *Ctx) {
	f := assetFilter(r, c)
	f.PerPage = 500
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="medsec-assets.csv"`)
	cw := export.NewCSV(w)
	cw.Write([]string{"asset_id", "equipment_id", "serial", "manufacturer", "model", "model_number", "modality", "facility", "department", "care_area", "room", "status", "hostname", "ip", "mac", "firmware"})
	for page := 1; ; page++ {
		f.Page = page
		items, _, err := s.Store.FindAssets(r.Context(), f)
		if err != nil {
			s.Log.Error("asset csv", "err", err)
			return
		}
		for _, a := range items {
			cw.Write([]string{strconv.FormatInt(a.ID, 10), a.AssetTag, a.Serial, a.Manufacturer, a.Model, a.ModelNumber, a.Modality, a.Facility, a.Location, a.CareArea.Label(), a.Room, a.Status, a.Hostname, a.IP, a.MAC, a.Firmware})
		}
		if len(items) < f.PerPage {
			break
		}
	}
	cw.Flush()
	s.Store.Audit(r.Context(), c.Actor(), "export", "assets", "", map[string]string{"query": url.Values(r.URL.Query()).Encode()})
}

// statuses lists the asset statuses for the filter, cached for a minute:
// finding the distinct values reads a whole index.
func (s *Server) statuses(ctx context.Context) []string {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	if time.Since(s.statusAt) > time.Minute {
		if st, err := s.Store.Statuses(ctx); err == nil {
			s.statusList, s.statusAt = st, time.Now()
		}
	}
	return s.statusList
}
