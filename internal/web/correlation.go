package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/chart"
	"github.com/medsec/medsec/internal/linker"
	"github.com/medsec/medsec/internal/store"
)

// job runs one correlation at a time in the background, so a full run over
// a large inventory never holds a browser request open.
type job struct {
	mu      sync.Mutex
	running bool
	again   bool // a decision came in during the run: a delta run follows it
	started time.Time
	by      string
	last    *linker.Summary
	err     error
}

func (s *Server) startCorrelation(actor medsec.Actor, full bool) bool {
	s.job.mu.Lock()
	defer s.job.mu.Unlock()
	if s.job.running {
		return false
	}
	s.job.running, s.job.again, s.job.started, s.job.by = true, false, time.Now(), actor.Name
	go func() {
		for {
			sum, err := linker.Run(context.Background(), s.Store, actor, linker.Options{Full: full})
			if err != nil {
				s.Log.Error("correlation", "err", err)
			}
			s.job.mu.Lock()
			s.job.last, s.job.err = sum, err
			if err == nil && s.job.again {
				// Decisions made while the run was going: it loaded them
				// too early to apply them.
				s.job.again, full = false, false
				s.job.mu.Unlock()
				continue
			}
			s.job.running, s.job.again = false, false
			s.job.mu.Unlock()
			return
		}
	}()
	return true
}

// jobRunning reports whether the background correlation job is running,
// and since when: pages that show links say so.
func (s *Server) jobRunning() (bool, time.Time) {
	s.job.mu.Lock()
	defer s.job.mu.Unlock()
	return s.job.running, s.job.started
}

// RelinkInlineMax is the largest inventory (in source records) whose
// re-link after a reviewer's decision runs in the request; a larger one
// re-links in the background job, because a delta run there still reads
// every record's identifiers (some 6-8 s at a million devices) and the
// reviewer should not wait on the click. The correlation page shows the job.
var RelinkInlineMax = 200000

// relink re-runs correlation for what a decision touched: in the request
// for an inventory up to RelinkInlineMax records, where a delta run after
// one decision takes well under a second, otherwise in the background.
// A decision made while a run is going is applied by a delta run right
// after it.
// It reports whether the re-link went to the background.
func (s *Server) relink(ctx context.Context, actor medsec.Actor) (background bool, err error) {
	s.job.mu.Lock()
	if s.job.running {
		s.job.again = true
		s.job.mu.Unlock()
		return true, nil
	}
	var size int
	if s.job.last != nil {
		size = s.job.last.Records
	}
	s.job.mu.Unlock()
	if size == 0 {
		if size, err = s.Store.CountSourceRecords(ctx); err != nil {
			return false, err
		}
	}
	if size > RelinkInlineMax {
		if !s.startCorrelation(actor, false) {
			s.job.mu.Lock()
			s.job.again = s.job.running // started by someone else meanwhile
			s.job.mu.Unlock()
		}
		return true, nil
	}
	_, err = linker.Run(ctx, s.Store, actor, linker.Options{})
	return false, err
}

func (s *Server) correlationPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	byFac, err := s.Store.Coverage(ctx, "facility")
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	byMod, _ := s.Store.Coverage(ctx, "modality")
	total, _ := s.Store.Coverage(ctx, "")
	hist, _ := s.Store.CoverageHistory(ctx)
	targets, _ := s.Store.Targets(ctx)
	last, _ := s.Store.LastRun(ctx)
	_, review, _ := s.Store.ReviewQueue(ctx, 0, 0)
	orphans := map[string]int{}
	for k := range medsec.Orphans {
		kind := "medical"
		if k == "unseen" {
			kind = "all"
		}
		_, n, _ := s.Store.FindAssets(ctx, medsec.AssetFilter{Orphan: k, Kind: kind, PerPage: 1, ScopePartyID: c.Scope()})
		orphans[k] = n
	}
	running, started := s.jobRunning()
	s.job.mu.Lock()
	jobErr := s.job.err
	s.job.mu.Unlock()
	data := map[string]any{
		"ByFacility": byFac, "ByModality": byMod, "Targets": targets, "Last": last, "Review": review, "Orphans": orphans, "OrphanNames": medsec.Orphans,
		"Running": running, "Started": started, "JobErr": jobErr, "Chart": coverageChart(hist, targets),
	}
	if len(total) == 1 {
		data["Total"] = total[0]
	}
	s.render(w, r, c, http.StatusOK, "correlation", data)
}

// coverageChart draws actual coverage per run against the milestones.
func coverageChart(hist []store.CoverageRow, targets []store.Target) any {
	var cmdb, mon, tc, tm chart.Series
	cmdb.Name, mon.Name, tc.Name, tm.Name = "Correlated to CMDB", "Correlated to monitoring", "Target: CMDB", "Target: monitoring"
	tc.Dashed, tm.Dashed = true, true
	for _, h := range hist {
		t, err := time.Parse(store.TimeFormat, h.At)
		if err != nil {
			continue
		}
		cmdb.Points = append(cmdb.Points, chart.Point{T: t, V: h.PctCMDB})
		mon.Points = append(mon.Points, chart.Point{T: t, V: h.PctMon})
	}
	for _, g := range targets {
		t, err := time.Parse("2006-01-02", g.Due)
		if err != nil {
			continue
		}
		tc.Points = append(tc.Points, chart.Point{T: t, V: g.PctCMDB})
		tm.Points = append(tm.Points, chart.Point{T: t, V: g.PctMon})
	}
	return chart.Line("Correlation coverage against the contract's milestones", []chart.Series{cmdb, mon, tc, tm}, chart.Options{Percent: true, Width: 1100, Height: 320})
}

func (s *Server) correlationRun(w http.ResponseWriter, r *http.Request, c *Ctx) {
	s.startCorrelation(c.Actor(), r.FormValue("full") == "1")
	http.Redirect(w, r, "/correlation", http.StatusSeeOther)
}

func (s *Server) targetSave(w http.ResponseWriter, r *http.Request, c *Ctx) {
	t, err := targetFromForm(r)
	if err == nil {
		err = s.Store.SetTarget(r.Context(), c.Actor(), t)
	}
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/correlation#targets", http.StatusSeeOther)
}

func targetFromForm(r *http.Request) (store.Target, error) {
	t := store.Target{Due: r.FormValue("due"), Note: r.FormValue("note")}
	var err error
	if t.PctCMDB, err = strconv.ParseFloat(r.FormValue("pct_cmdb"), 64); err != nil {
		return t, medsec.Errorf(medsec.EINVALID, "The CMDB target must be a percentage from 0 to 100.")
	}
	if t.PctMon, err = strconv.ParseFloat(r.FormValue("pct_monitoring"), 64); err != nil {
		return t, medsec.Errorf(medsec.EINVALID, "The monitoring target must be a percentage from 0 to 100.")
	}
	return t, nil
}

func (s *Server) targetDelete(w http.ResponseWriter, r *http.Request, c *Ctx) {
	if err := s.Store.DeleteTarget(r.Context(), c.Actor(), atoi64(r.PathValue("id"))); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/correlation#targets", http.StatusSeeOther)
}

type reviewView struct {
	store.ReviewEntry
	Links []evidenceLink
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	page := max(1, int(atoi64(r.FormValue("page"))))
	items, total, err := s.Store.ReviewQueue(r.Context(), 50, (page-1)*50)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	views := make([]reviewView, len(items))
	for i, it := range items {
		views[i] = reviewView{ReviewEntry: it}
		var ev []evidenceItem
		json.Unmarshal(it.Evidence, &ev)
		views[i].Links = []evidenceLink{{Weight: it.Weight, Confidence: it.Confidence, Evidence: ev}}
	}
	running, started := s.jobRunning()
	s.render(w, r, c, http.StatusOK, "review", map[string]any{"Items": views, "Total": total, "PageNo": page, "Pages": max(1, (total+49)/50), "Query": r.URL.Query(),
		"Running": running, "Started": started})
}

func (s *Server) reviewDecide(w http.ResponseWriter, r *http.Request, c *Ctx) {
	if _, err := s.decideItem(r.Context(), c, atoi64(r.PathValue("id")), r.FormValue("decision"), r.FormValue("reason")); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/review", http.StatusSeeOther)
}

func (s *Server) decideItem(ctx context.Context, c *Ctx, id int64, decision, reason string) (background bool, err error) {
	a, b, err := s.Store.ReviewItemByID(ctx, id)
	if err != nil {
		return false, err
	}
	if err := s.Store.Decide(ctx, c.Actor(), a, b, decision, reason); err != nil {
		return false, err
	}
	return s.relink(ctx, c.Actor())
}

// assetSplit takes one record out of an asset: it is rejected against
// every other record of the asset, and the rejection sticks.
func (s *Server) assetSplit(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	assetID := atoi64(r.PathValue("id"))
	recs, err := s.Store.SourceRecordsForAsset(ctx, assetID)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	out := atoi64(r.FormValue("record"))
	found := false
	for _, rec := range recs {
		found = found || rec.ID == out
	}
	if !found {
		s.fail(w, r, false, c, medsec.Errorf(medsec.EINVALID, "Record %d is not part of asset %d.", out, assetID))
		return
	}
	for _, rec := range recs {
		if rec.ID != out {
			if err := s.Store.Decide(ctx, c.Actor(), out, rec.ID, "reject", "split: "+r.FormValue("reason")); err != nil {
				s.fail(w, r, false, c, err)
				return
			}
		}
	}
	if _, err := s.relink(ctx, c.Actor()); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/assets/"+r.PathValue("id"), http.StatusSeeOther)
}

// assetMerge joins another asset (by equipment ID or asset id) into this one
// by confirming a link between a record of each.
func (s *Server) assetMerge(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	here, err := s.Store.SourceRecordsForAsset(ctx, atoi64(r.PathValue("id")))
	if err != nil || len(here) == 0 {
		s.fail(w, r, false, c, medsec.Errorf(medsec.ENOTFOUND, "Asset %s has no records to merge with.", r.PathValue("id")))
		return
	}
	other := atoi64(r.FormValue("other"))
	if other == 0 {
		items, _, _ := s.Store.FindAssets(ctx, medsec.AssetFilter{Q: r.FormValue("other"), Kind: "all", PerPage: 2})
		if len(items) != 1 {
			s.fail(w, r, false, c, medsec.Errorf(medsec.EINVALID, "Name exactly one other asset to merge (by id or equipment ID); %q matches %d.", r.FormValue("other"), len(items)))
			return
		}
		other = items[0].ID
	}
	there, err := s.Store.SourceRecordsForAsset(ctx, other)
	if err != nil || len(there) == 0 {
		s.fail(w, r, false, c, medsec.Errorf(medsec.ENOTFOUND, "Asset %d has no records to merge.", other))
		return
	}
	if err := s.Store.Decide(ctx, c.Actor(), here[0].ID, there[0].ID, "confirm", "merge: "+r.FormValue("reason")); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	if _, err := s.relink(ctx, c.Actor()); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/assets/"+r.PathValue("id"), http.StatusSeeOther)
}

func (s *Server) orphansPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	list := r.FormValue("list")
	if _, ok := medsec.Orphans[list]; !ok {
		list = "unseen"
	}
	f := assetFilter(r, c)
	f.Orphan, f.Kind = list, "all"
	if list != "unseen" {
		f.Kind = r.FormValue("kind")
		if f.Kind == "" {
			f.Kind = "medical"
		}
	}
	items, total, err := s.Store.FindAssets(r.Context(), f)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "orphans", map[string]any{"Items": items, "Total": total, "F": f, "List": list, "Lists": medsec.Orphans,
		"Pages": max(1, (total+f.PerPage-1)/f.PerPage), "Query": r.URL.Query()})
}

func (s *Server) manufacturersPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	aliases, err := s.Store.Aliases(r.Context())
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	mfs, _ := s.Store.CountAssetsBy(r.Context(), "manufacturer", c.Scope())
	s.render(w, r, c, http.StatusOK, "manufacturers", map[string]any{"Aliases": aliases, "Manufacturers": mfs})
}

func (s *Server) aliasAdd(w http.ResponseWriter, r *http.Request, c *Ctx) {
	if err := s.Store.AddAlias(r.Context(), c.Actor(), r.FormValue("alias"), r.FormValue("manufacturer")); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/manufacturers", http.StatusSeeOther)
}
