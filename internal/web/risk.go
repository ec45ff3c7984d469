package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/medsec/medsec/internal/assess"
	"github.com/medsec/medsec/internal/chart"
	"github.com/medsec/medsec/internal/risk"
	"github.com/medsec/medsec/internal/store"
)

var tierNames = []string{"Low", "Medium", "High", "Critical"}

type heatData struct {
	ImpactLikelihood map[string]map[string]int `json:"impact_likelihood"`
	ModalityAcuity   map[string]map[string]int `json:"modality_acuity"`
}

func (s *Server) heat(r *http.Request, c *Ctx) (template.HTML, template.HTML, heatData, error) {
	ctx := r.Context()
	il, err := s.Store.HeatImpactLikelihood(ctx, c.Scope())
	if err != nil {
		return "", "", heatData{}, err
	}
	ma, err := s.Store.HeatModalityAcuity(ctx, c.Scope())
	if err != nil {
		return "", "", heatData{}, err
	}
	data := heatData{ImpactLikelihood: map[string]map[string]int{}, ModalityAcuity: map[string]map[string]int{}}
	// Impact (rows, highest first) × likelihood band (columns).
	rows := []string{"Critical", "High", "Medium", "Low"}
	cells := make([][]chart.Cell, 4)
	for i := range cells {
		cells[i] = make([]chart.Cell, 4)
		for j := range cells[i] {
			cells[i][j] = chart.Cell{Href: "/assets?" + url.Values{"impact_tier": {strconv.Itoa(3 - i)}, "likelihood": {strconv.Itoa(j)}}.Encode()}
		}
	}
	for _, h := range il {
		if h.Row < 0 || h.Row > 3 || h.Col < 0 || h.Col > 3 {
			continue
		}
		cells[3-h.Row][h.Col].Value = float64(h.Assets)
		if data.ImpactLikelihood[tierNames[h.Row]] == nil {
			data.ImpactLikelihood[tierNames[h.Row]] = map[string]int{}
		}
		data.ImpactLikelihood[tierNames[h.Row]][risk.LikelihoodBands[h.Col]] = h.Assets
	}
	il1 := chart.Heatmap("Assets by clinical impact × likelihood", rows, risk.LikelihoodBands, cells, chart.Options{Empty: "No scored assets yet: run medsec score"})
	// Modality (rows) × acuity (columns, highest first).
	mods, _ := s.Store.Modalities(ctx)
	names := map[int64]string{0: "(no modality)"}
	for _, m := range mods {
		names[m.ID] = m.Name
	}
	acuities := []assess.Acuity{assess.AcuityICU, assess.AcuityNICU, assess.AcuityOR, assess.AcuityED, assess.AcuityProcedural, assess.AcuityInpatient, assess.AcuityOutpatient, assess.AcuityNonClinical, assess.AcuityUnset}
	cols := make([]string, len(acuities))
	colOf := map[int64]int{}
	for i, a := range acuities {
		cols[i] = a.String()
		if a == assess.AcuityUnset {
			cols[i] = "unset"
		}
		colOf[int64(a)] = i
	}
	rowOf := map[int64]int{}
	var mrows []string
	var mcells [][]chart.Cell
	for _, h := range ma {
		ri, ok := rowOf[h.Row]
		if !ok {
			ri = len(mrows)
			rowOf[h.Row] = ri
			mrows = append(mrows, names[h.Row])
			row := make([]chart.Cell, len(cols))
			for j, a := range acuities {
				row[j].Href = "/assets?" + url.Values{"modality": {strconv.FormatInt(h.Row, 10)}, "acuity": {strconv.Itoa(int(a))}}.Encode()
			}
			mcells = append(mcells, row)
		}
		ci := colOf[h.Col]
		mcells[ri][ci].Value = float64(h.Assets)
		mcells[ri][ci].Label = fmt.Sprintf("%d", h.Assets)
		if data.ModalityAcuity[names[h.Row]] == nil {
			data.ModalityAcuity[names[h.Row]] = map[string]int{}
		}
		data.ModalityAcuity[names[h.Row]][cols[ci]] = h.Assets
	}
	ma1 := chart.Heatmap("Assets by modality × acuity", mrows, cols, mcells, chart.Options{Empty: "No scored assets yet: run medsec score"})
	return il1, ma1, data, nil
}

func (s *Server) heatmapPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	il, ma, _, err := s.heat(r, c)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	runs, _ := s.Store.ScoreRuns(r.Context(), 1)
	s.render(w, r, c, http.StatusOK, "heatmap", map[string]any{"ImpactLikelihood": il, "ModalityAcuity": ma, "Runs": runs})
}

func (s *Server) apiHeatmap(w http.ResponseWriter, r *http.Request, c *Ctx) {
	_, _, d, err := s.heat(r, c)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// assetRisk explains an asset's risk for its page and the API, after
// checking the caller may see the asset.
func (s *Server) assetRisk(r *http.Request, c *Ctx) (*risk.Explanation, error) {
	a, err := s.Store.FindAsset(r.Context(), atoi64(r.PathValue("id")), c.Scope())
	if err != nil {
		return nil, err
	}
	return risk.Explain(r.Context(), s.Store, a.ID)
}

func (s *Server) apiAssetRisk(w http.ResponseWriter, r *http.Request, c *Ctx) {
	x, err := s.assetRisk(r, c)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if x.History == nil {
		x.History = []store.RiskHistoryRow{}
	}
	writeJSON(w, http.StatusOK, x)
}
