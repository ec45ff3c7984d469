package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/assess"
	"github.com/medsec/medsec/internal/risk"
	"github.com/medsec/medsec/internal/store"
)

// pointHelp is each data point's anchored scale, shown beside the editor.
var pointHelp = []struct{ Point, Label, Scale, Example string }{
	{"life-safety", "Life-safety (Fennigkoh–Smith EM)", "Four components: function 2–10 (10 life support, 9 surgical/intensive care, 8 therapy, 7 surgical/IC monitoring, 6 other monitoring/diagnostic, 5 analytical lab, 4 lab accessories, 3 computer-related, 2 patient-related); physical risk 1–5 (5 death, 4 injury, 3 misdiagnosis or wrong therapy, 2 equipment damage, 1 none); maintenance 1–5; incident history −2…+2. EM = sum (2–22); EM ≥ 12 puts it in the PM program.", "9,5,4,1"},
	{"acuity", "Acuity", "icu, nicu (top tier, with PICU) > or (PACU) > ed > procedural (L&D, cath lab, endoscopy, IR) > inpatient > outpatient > non-clinical. Without a value here the department's care area is used.", "icu"},
	{"phi", "PHI", "Stores, displays or transmits ePHI: yes or no.", "yes"},
	{"large-phi", "Large PHI", "Records of ≥ 500 individuals (HIPAA breach threshold, 45 CFR 164.408): yes or no; yes needs PHI yes.", "no"},
	{"care-delivery", "Care-delivery impact", "1 no effect, spares at hand · 2 minor delay · 3 workflow disrupted, manual workaround · 4 procedures postponed, department degraded · 5 care stops or patients are diverted.", "4"},
	{"lateral-access", "Lateral network access", "1 standalone · 2 point-to-point or isolated (one gateway) · 3 segmented VLAN with ACLs to named servers · 4 routed to the general clinical network · 5 flat, internet-reachable or vendor remote access.", "3"},
	{"financial", "Financial impact", "1 < $10k · 2 < $50k or < $10k/day lost · 3 < $250k or < $50k/day · 4 < $1M or < $250k/day · 5 ≥ $1M or ≥ $250k/day.", "3"},
	{"reputational", "Reputational impact", "1 internal only · 2 local awareness · 3 local media · 4 regional media or regulator notified · 5 national media or regulatory action.", "2"},
}

type editorRow struct {
	Point, Label, Scale, Example string
	Row                          *store.AssessmentRow
}

// assessPage is the modality assessment editor (also model and asset
// overrides via ?level=model|asset&id=).
func (s *Server) assessPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	q := r.URL.Query()
	mods, err := s.Store.Modalities(ctx)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	level := q.Get("level")
	if level == "" {
		level = store.LevelModality
	}
	id := atoi64(q.Get("id"))
	if id == 0 && level == store.LevelModality && len(mods) > 0 {
		id = mods[0].ID
	}
	if level == store.LevelAsset && id != 0 {
		if _, err := s.Store.FindAsset(ctx, id, c.Scope()); err != nil {
			s.fail(w, r, false, c, err)
			return
		}
	}
	rows, err := s.Store.Assessments(ctx, level, id)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	var ed []editorRow
	for _, h := range pointHelp {
		e := editorRow{Point: h.Point, Label: h.Label, Scale: h.Scale, Example: h.Example}
		for i := range rows {
			if rows[i].Point == h.Point && rows[i].ScopeID == id {
				e.Row = &rows[i]
			}
		}
		ed = append(ed, e)
	}
	models, _ := s.Store.ScoringModels(ctx)
	active, _ := s.Store.ActiveModel(ctx)
	runs, _ := s.Store.ScoreRuns(ctx, 5)
	s.render(w, r, c, http.StatusOK, "assess", map[string]any{
		"Modalities": mods, "Level": level, "ID": id, "Rows": ed, "Models": models, "Active": active, "Runs": runs,
		"Saved": q.Get("saved"), "Error": q.Get("error"),
	})
}

// assessSave sets one value from the editor's form and goes back.
func (s *Server) assessSave(w http.ResponseWriter, r *http.Request, c *Ctx) {
	u := store.AssessmentUpdate{Level: r.FormValue("level"), ScopeID: atoi64(r.FormValue("id")), Point: r.FormValue("point"), Value: r.FormValue("value"), Reason: r.FormValue("reason")}
	if u.Level == store.LevelAsset {
		if _, err := s.Store.FindAsset(r.Context(), u.ScopeID, c.Scope()); err != nil {
			s.fail(w, r, false, c, err)
			return
		}
	}
	back := r.FormValue("back")
	if back == "" || back[0] != '/' || (len(back) > 1 && back[1] == '/') {
		back = "/assess?" + url.Values{"level": {u.Level}, "id": {strconv.FormatInt(u.ScopeID, 10)}}.Encode()
	}
	sep := "&"
	if u2, err := url.Parse(back); err == nil && u2.RawQuery == "" {
		sep = "?"
	}
	if err := s.Store.SetAssessment(r.Context(), c.Actor(), u); err != nil {
		if medsec.ErrorCode(err) == medsec.EINVALID {
			http.Redirect(w, r, back+sep+"error="+url.QueryEscape(medsec.ErrorMessage(err)), http.StatusSeeOther)
			return
		}
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, back+sep+"saved="+url.QueryEscape(u.Point), http.StatusSeeOther)
}

// scoreRun rescores from the UI.
func (s *Server) scoreRun(w http.ResponseWriter, r *http.Request, c *Ctx) {
	if _, err := risk.Run(r.Context(), s.Store, c.Actor(), r.FormValue("full") == "1"); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/assess?saved=rescored", http.StatusSeeOther)
}

func (s *Server) apiAssessments(w http.ResponseWriter, r *http.Request, c *Ctx) {
	q := r.URL.Query()
	level, id := q.Get("level"), atoi64(q.Get("scope_id"))
	if c.Scope() != 0 && level == "" {
		// A provider sees the modality and model assessments, and asset
		// overrides one asset (in scope) at a time.
		var out []store.AssessmentRow
		for _, l := range []string{store.LevelModality, store.LevelModel} {
			rows, err := s.Store.Assessments(r.Context(), l, 0)
			if err != nil {
				s.apiError(w, r, err)
				return
			}
			out = append(out, rows...)
		}
		if out == nil {
			out = []store.AssessmentRow{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": out})
		return
	}
	if c.Scope() != 0 && level == store.LevelAsset {
		if id == 0 {
			s.apiError(w, r, medsec.Errorf(medsec.EINVALID, "A provider lists asset assessments one asset at a time (level=asset&scope_id=ID)."))
			return
		}
		if _, err := s.Store.FindAsset(r.Context(), id, c.Scope()); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	rows, err := s.Store.Assessments(r.Context(), level, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if rows == nil {
		rows = []store.AssessmentRow{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": rows})
}

func (s *Server) apiAssessmentPut(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var u store.AssessmentUpdate
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&u); err != nil {
		s.apiError(w, r, medsec.Errorf(medsec.EINVALID, "Send JSON {level, scope_id, point, value, reason}: %v.", err))
		return
	}
	if err := s.Store.SetAssessment(r.Context(), c.Actor(), u); err != nil {
		s.apiError(w, r, err)
		return
	}
	rows, _ := s.Store.Assessments(r.Context(), u.Level, u.ScopeID)
	writeJSON(w, http.StatusOK, map[string]any{"items": rows})
}

func (s *Server) apiScoringModels(w http.ResponseWriter, r *http.Request, c *Ctx) {
	models, err := s.Store.ScoringModels(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	active, err := s.Store.ActiveModel(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if models == nil {
		models = []store.ModelRow{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"active": active, "versions": models, "default": assess.DefaultModel()})
}

// apiScoringModelCreate stores a new model version, makes it active and
// rescores everything (the history keeps the old scores).
func (s *Server) apiScoringModelCreate(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var body struct {
		Model  assess.ScoringModel `json:"model"`
		Reason string              `json:"reason"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&body); err != nil {
		s.apiError(w, r, medsec.Errorf(medsec.EINVALID, "Send JSON {model: {...}, reason}: %v.", err))
		return
	}
	if err := s.Store.SaveScoringModel(r.Context(), c.Actor(), body.Model, body.Reason); err != nil {
		s.apiError(w, r, err)
		return
	}
	sum, err := risk.Run(r.Context(), s.Store, c.Actor(), false)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"model": body.Model, "run": sum.Run})
}

func (s *Server) apiScore(w http.ResponseWriter, r *http.Request, c *Ctx) {
	sum, err := risk.Run(r.Context(), s.Store, c.Actor(), r.URL.Query().Get("full") == "true")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"run": sum.Run, "seconds": sum.Duration.Seconds(), "ssvc_updated": sum.SSVC})
}
