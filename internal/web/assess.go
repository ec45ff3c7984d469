package web

import (
	"encoding/json"
	"fmt"
	"github.com/medsec/medsec/internal/chart"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

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
	runs, _ := s.Store.ScoreRuns(ctx, 20)
	names, _ := s.Store.ModelNames(ctx)
	sup, _ := s.Store.ModelSupport(ctx)
	type supportRow struct {
		Model  store.ModelName
		Status *store.ModelSupportRow
	}
	var support []supportRow
	var current *store.ModelSupportRow
	for _, m := range names {
		if r, ok := sup[m.ID]; ok {
			support = append(support, supportRow{m, &r})
			if level == store.LevelModel && m.ID == id {
				current = &r
			}
		}
	}
	form := active
	var spread template.HTML
	if level == store.LevelModality && id != 0 {
		cs, err := s.Store.CareAreaSpread(ctx, id, c.Scope())
		if err != nil {
			s.fail(w, r, false, c, err)
			return
		}
		var bars []chart.Bar
		for _, x := range cs {
			b := chart.Bar{Label: x.CareArea.Label(), Value: float64(x.N)}
			if x.CareArea != medsec.CareUnknown {
				b.Href = "/assets?modality=" + strconv.FormatInt(id, 10) + "&acuity=" + string(x.CareArea)
			}
			bars = append(bars, b)
		}
		spread = chart.HBar("Where this modality's devices sit, by acuity of the care area", bars, chart.Options{Width: 640})
	}
	s.render(w, r, c, http.StatusOK, "assess", map[string]any{
		"Spread":     spread,
		"Modalities": mods, "Level": level, "ID": id, "Rows": ed, "Models": models, "Active": active, "Runs": runs,
		"ModelNames": names, "Support": support, "CurrentSupport": current, "Fields": fieldValues(&form),
		"Saved": q.Get("saved"), "Error": q.Get("error"),
	})
}

// assessSave sets one value from the editor's form, rescores the assets
// it touches and goes back.
func (s *Server) assessSave(w http.ResponseWriter, r *http.Request, c *Ctx) {
	u := store.AssessmentUpdate{Level: r.FormValue("level"), ScopeID: atoi64(r.FormValue("id")), Point: r.FormValue("point"), Value: r.FormValue("value"), Reason: r.FormValue("reason")}
	if u.Level == store.LevelAsset {
		if _, err := s.Store.FindAsset(r.Context(), u.ScopeID, c.Scope()); err != nil {
			s.fail(w, r, false, c, err)
			return
		}
	}
	back, sep := backTo(r, "/assess?"+url.Values{"level": {u.Level}, "id": {strconv.FormatInt(u.ScopeID, 10)}}.Encode())
	if err := s.Store.SetAssessment(r.Context(), c.Actor(), u); err != nil {
		if medsec.ErrorCode(err) == medsec.EINVALID {
			http.Redirect(w, r, back+sep+"error="+url.QueryEscape(medsec.ErrorMessage(err)), http.StatusSeeOther)
			return
		}
		s.fail(w, r, false, c, err)
		return
	}
	saved := u.Point
	if sum := s.rescore(r, c, u.Level, u.ScopeID); sum != nil {
		saved += fmt.Sprintf("; %d of %d assets rescored", sum.Run.Changed, sum.Run.Assets)
	}
	http.Redirect(w, r, back+sep+"saved="+url.QueryEscape(saved), http.StatusSeeOther)
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
	if u.Level == store.LevelAsset && c.Scope() != 0 {
		if _, err := s.Store.FindAsset(r.Context(), u.ScopeID, c.Scope()); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	if err := s.Store.SetAssessment(r.Context(), c.Actor(), u); err != nil {
		s.apiError(w, r, err)
		return
	}
	rows, _ := s.Store.Assessments(r.Context(), u.Level, u.ScopeID)
	if rows == nil {
		rows = []store.AssessmentRow{}
	}
	out := map[string]any{"items": rows}
	if sum := s.rescore(r, c, u.Level, u.ScopeID); sum != nil {
		out["run"] = sum.Run
	}
	writeJSON(w, http.StatusOK, out)
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

// back is a form's local return address (or def), with sep to append a
// query parameter.
func backTo(r *http.Request, def string) (string, string) {
	back := r.FormValue("back")
	if back == "" || back[0] != '/' || (len(back) > 1 && (back[1] == '/' || back[1] == '\\')) {
		back = def
	}
	if u, err := url.Parse(back); err == nil && u.RawQuery == "" {
		return back, "?"
	}
	return back, "&"
}

// rescore rescores what a change touched, right away; a failure is logged
// and left to the next run (the change itself is saved).
func (s *Server) rescore(r *http.Request, c *Ctx, level string, id int64) *risk.Summary {
	sum, err := risk.Rescore(r.Context(), s.Store, c.Actor(), risk.Target{Level: level, ID: id})
	if err != nil {
		s.Log.Error("rescore after change", "level", level, "id", id, "err", err)
		return nil
	}
	return &sum
}

// supportSave sets a model's manufacturer support status from the form.
func (s *Server) supportSave(w http.ResponseWriter, r *http.Request, c *Ctx) {
	id := atoi64(r.FormValue("model"))
	back, sep := backTo(r, "/assess?"+url.Values{"level": {store.LevelModel}, "id": {strconv.FormatInt(id, 10)}}.Encode())
	if err := s.Store.SetModelSupport(r.Context(), c.Actor(), id, r.FormValue("status"), r.FormValue("reason")); err != nil {
		if medsec.ErrorCode(err) == medsec.EINVALID {
			http.Redirect(w, r, back+sep+"error="+url.QueryEscape(medsec.ErrorMessage(err)), http.StatusSeeOther)
			return
		}
		s.fail(w, r, false, c, err)
		return
	}
	s.rescore(r, c, store.LevelModel, id)
	http.Redirect(w, r, back+sep+"saved=support", http.StatusSeeOther)
}

// controlsSave records an asset's compensating controls from the risk
// panel of its page.
func (s *Server) controlsSave(w http.ResponseWriter, r *http.Request, c *Ctx) {
	a, err := s.Store.FindAsset(r.Context(), atoi64(r.PathValue("id")), c.Scope())
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	on := func(k string) bool { v := r.FormValue(k); return v == "1" || v == "on" || v == "yes" }
	row := store.ControlsRow{AssetID: a.ID, Segmentation: on("segmentation"), NAC: on("nac"), DisabledServices: on("disabled_services"), Reason: r.FormValue("reason")}
	if err := s.Store.SetAssetControls(r.Context(), c.Actor(), row); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	s.rescore(r, c, store.LevelAsset, a.ID)
	http.Redirect(w, r, "/assets/"+strconv.FormatInt(a.ID, 10)+"?saved=controls#risk", http.StatusSeeOther)
}

// modelFields are the scoring model's numbers as the version form names
// them.
func modelFields(m *assess.ScoringModel) []struct {
	Name, Label string
	Value       *float64
} {
	type f = struct {
		Name, Label string
		Value       *float64
	}
	return []f{
		{"w_life_safety", "life-safety", &m.Weights.LifeSafety}, {"w_acuity", "acuity", &m.Weights.Acuity}, {"w_phi", "PHI", &m.Weights.PHI},
		{"w_large_phi", "large PHI", &m.Weights.LargePHI}, {"w_care_delivery", "care delivery", &m.Weights.CareDelivery}, {"w_lateral", "lateral access", &m.Weights.Lateral},
		{"w_financial", "financial", &m.Weights.Financial}, {"w_reputational", "reputational", &m.Weights.Reputational},
		{"unset_as", "unassessed point counts as (0–1)", &m.UnsetAs},
		{"ct_medium", "clinical Medium ≥", &m.ClinicalTiers.Medium}, {"ct_high", "clinical High ≥", &m.ClinicalTiers.High}, {"ct_critical", "clinical Critical ≥", &m.ClinicalTiers.Critical},
		{"r_impact", "risk: clinical impact", &m.Risk.Impact}, {"r_likelihood", "risk: likelihood", &m.Risk.Likelihood}, {"r_exposure", "risk: exposure", &m.Risk.Exposure},
		{"r_support", "risk: manufacturer support", &m.Risk.Support}, {"r_segmentation", "credit: segmentation", &m.Risk.Segmentation}, {"r_nac", "credit: NAC", &m.Risk.NAC},
		{"r_disabled_services", "credit: disabled services", &m.Risk.DisabledServices}, {"r_mds2", "credit: MDS2 capabilities", &m.Risk.MDS2},
		{"rt_medium", "risk Medium ≥", &m.RiskTiers.Medium}, {"rt_high", "risk High ≥", &m.RiskTiers.High}, {"rt_critical", "risk Critical ≥", &m.RiskTiers.Critical},
	}
}

type fieldValue struct {
	Name, Label, Value string
}

func fieldValues(m *assess.ScoringModel) []fieldValue {
	var out []fieldValue
	for _, f := range modelFields(m) {
		out = append(out, fieldValue{f.Name, f.Label, strconv.FormatFloat(*f.Value, 'f', -1, 64)})
	}
	return out
}

// modelCreate stores a new scoring model version from the form (weights
// and tier thresholds, with a reason), makes it active and rescores.
func (s *Server) modelCreate(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var m assess.ScoringModel
	m.Version = strings.TrimSpace(r.FormValue("version"))
	fail := func(msg string) {
		http.Redirect(w, r, "/assess?"+url.Values{"error": {msg}}.Encode()+"#models", http.StatusSeeOther)
	}
	for _, f := range modelFields(&m) {
		v := strings.TrimSpace(r.FormValue(f.Name))
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			fail(fmt.Sprintf("%s must be a number, got %q.", f.Label, v))
			return
		}
		*f.Value = x
	}
	if err := s.Store.SaveScoringModel(r.Context(), c.Actor(), m, r.FormValue("reason")); err != nil {
		if code := medsec.ErrorCode(err); code == medsec.EINVALID || code == medsec.ECONFLICT {
			fail(medsec.ErrorMessage(err))
			return
		}
		s.fail(w, r, false, c, err)
		return
	}
	if _, err := risk.Run(r.Context(), s.Store, c.Actor(), false); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/assess?"+url.Values{"saved": {"model " + m.Version}}.Encode()+"#models", http.StatusSeeOther)
}

func (s *Server) apiModelSupport(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var body struct {
		Status string `json:"status"`
		Reason string `json:"reason"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		s.apiError(w, r, medsec.Errorf(medsec.EINVALID, "Send JSON {status: supported|end-of-support|legacy|unknown, reason}: %v.", err))
		return
	}
	id := atoi64(r.PathValue("id"))
	if err := s.Store.SetModelSupport(r.Context(), c.Actor(), id, body.Status, body.Reason); err != nil {
		s.apiError(w, r, err)
		return
	}
	sup, err := s.Store.ModelSupport(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := map[string]any{"model_id": id, "support": nil}
	if row, ok := sup[id]; ok {
		out["support"] = row
	}
	if sum := s.rescore(r, c, store.LevelModel, id); sum != nil {
		out["run"] = sum.Run
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiAssetControls(w http.ResponseWriter, r *http.Request, c *Ctx) {
	a, err := s.Store.FindAsset(r.Context(), atoi64(r.PathValue("id")), c.Scope())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var body struct {
		Segmentation     *bool  `json:"segmentation"`
		NAC              *bool  `json:"nac"`
		DisabledServices *bool  `json:"disabled_services"`
		Reason           string `json:"reason"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		s.apiError(w, r, medsec.Errorf(medsec.EINVALID, "Send JSON {segmentation: true|false, nac: true|false, disabled_services: true|false, reason}: %v.", err))
		return
	}
	row := store.ControlsRow{AssetID: a.ID, Reason: body.Reason}
	if cur, err := s.Store.AssetControls(r.Context(), a.ID); err != nil {
		s.apiError(w, r, err)
		return
	} else if cur != nil {
		row.Segmentation, row.NAC, row.DisabledServices = cur.Segmentation, cur.NAC, cur.DisabledServices
	}
	for _, f := range []struct {
		v   *bool
		dst *bool
	}{{body.Segmentation, &row.Segmentation}, {body.NAC, &row.NAC}, {body.DisabledServices, &row.DisabledServices}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if err := s.Store.SetAssetControls(r.Context(), c.Actor(), row); err != nil {
		s.apiError(w, r, err)
		return
	}
	cur, _ := s.Store.AssetControls(r.Context(), a.ID)
	out := map[string]any{"controls": cur}
	if sum := s.rescore(r, c, store.LevelAsset, a.ID); sum != nil {
		out["run"] = sum.Run
	}
	writeJSON(w, http.StatusOK, out)
}
