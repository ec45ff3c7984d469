package risk_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/assess"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/risk"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

const cmms = "Equipment ID,Serial Number,Manufacturer,Model,Model Number,Device Type,Facility,Department,Status\n" +
	"BM-001,SN1001,CareFusion,Alaris PC Unit,8015,INFUSION PUMP,General Hospital,ICU 4 West,Active\n" +
	"BM-002,SN1002,CareFusion,Alaris PC Unit,8015,INFUSION PUMP,General Hospital,Med/Surg 5,Active\n" +
	"BM-003,SN1003,GE Medical Systems,CARESCAPE B650,,PATIENT MONITOR,Clinic North,Outpatient Clinic,Active\n"

type fixture struct {
	st              *store.Store
	assets          map[string]*medsec.Asset
	pump, pumpModel int64
	actor           medsec.Actor
}

func setup(t *testing.T, dsn string) *fixture {
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := importer.ImportCMMS(ctx, st, medsec.System, "cmms.csv", strings.NewReader(cmms), importer.Options{}); err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, assets: map[string]*medsec.Asset{}, actor: medsec.Actor{Name: "alice"}}
	items, _, _ := st.FindAssets(ctx, medsec.AssetFilter{})
	for _, a := range items {
		f.assets[a.AssetTag] = a
	}
	f.pump, f.pumpModel = f.assets["BM-001"].ModalityID, f.assets["BM-001"].ModelID
	return f
}

func (f *fixture) set(t *testing.T, level string, id int64, point, value, reason string) {
	t.Helper()
	if err := f.st.SetAssessment(context.Background(), f.actor, store.AssessmentUpdate{Level: level, ScopeID: id, Point: point, Value: value, Reason: reason}); err != nil {
		t.Fatalf("set %s %s=%s: %v", level, point, value, err)
	}
}

// Modality values, overridden per model and per asset, resolve with their
// source (who, when, why) through the store.
func TestAssessmentLayering(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		f := setup(t, dsn)
		ctx := context.Background()
		f.set(t, store.LevelModality, f.pump, "care-delivery", "4", "fleet loss halts IV therapy")
		f.set(t, store.LevelModality, f.pump, "financial", "3", "fleet cost")
		f.set(t, store.LevelModality, f.pump, "life-safety", "9,5,4,1", "catalog EM")
		f.set(t, store.LevelModel, f.pumpModel, "financial", "4", "this model is costly")
		f.set(t, store.LevelAsset, f.assets["BM-001"].ID, "care-delivery", "5", "the only pump in the burn unit")
		x, err := risk.Explain(ctx, f.st, f.assets["BM-001"].ID)
		if err != nil {
			t.Fatal(err)
		}
		byPoint := map[string]risk.PointRow{}
		for _, p := range x.Points {
			byPoint[p.Point] = p
		}
		if p := byPoint["care-delivery"]; p.Level != "asset" || p.Source.Reason != "the only pump in the burn unit" || p.Source.SetBy != "alice" || p.Source.SetAt.IsZero() || !strings.HasPrefix(p.Value, "5") {
			t.Errorf("care-delivery = %+v", p)
		}
		if p := byPoint["financial"]; p.Level != "model" || !strings.HasPrefix(p.Value, "4") {
			t.Errorf("financial = %+v", p)
		}
		if p := byPoint["life-safety"]; p.Level != "modality" || !strings.Contains(p.Value, "EM 19") {
			t.Errorf("life-safety = %+v", p)
		}
		if p := byPoint["acuity"]; p.Level != "asset" || p.Value != "icu" || p.Source.SetBy != "location" {
			t.Errorf("acuity from the ICU department = %+v", p)
		}
		if p := byPoint["reputational"]; p.Set || p.Level != "none" {
			t.Errorf("reputational should be unassessed: %+v", p)
		}
		// The other pump keeps the modality's care delivery.
		y, _ := risk.Explain(ctx, f.st, f.assets["BM-002"].ID)
		if p := y.Points[assess.PointCareDelivery]; p.Level != "modality" {
			t.Errorf("BM-002 care-delivery = %+v", p)
		}
		// The breakdown sums to the score.
		sum := 0.0
		for _, b := range x.Risk.Breakdown {
			sum += b.Points
		}
		if d := sum - x.Risk.Value; d > 0.011 || d < -0.011 {
			t.Errorf("breakdown sums to %v, score %v", sum, x.Risk.Value)
		}
	})
}

func TestAssessmentOutOfRange(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		f := setup(t, dsn)
		err := f.st.SetAssessment(context.Background(), f.actor, store.AssessmentUpdate{Level: store.LevelModality, ScopeID: f.pump, Point: "care-delivery", Value: "7", Reason: "typo"})
		if err == nil || !strings.Contains(medsec.ErrorMessage(err), "must be 1–5") || !strings.Contains(medsec.ErrorMessage(err), "got 7") {
			t.Fatalf("care-delivery 7: %v", err)
		}
		err = f.st.SetAssessment(context.Background(), f.actor, store.AssessmentUpdate{Level: store.LevelModality, ScopeID: f.pump, Point: "life-safety", Value: "11,5,4,1", Reason: "typo"})
		if err == nil || !strings.Contains(medsec.ErrorMessage(err), "2–10") {
			t.Fatalf("EM function 11: %v", err)
		}
		err = f.st.SetAssessment(context.Background(), f.actor, store.AssessmentUpdate{Level: store.LevelModality, ScopeID: f.pump, Point: "care-delivery", Value: "3"})
		if err == nil || !strings.Contains(medsec.ErrorMessage(err), "reason") {
			t.Fatalf("no reason: %v", err)
		}
		rows, _ := f.st.Assessments(context.Background(), store.LevelModality, f.pump)
		if len(rows) != 0 {
			t.Errorf("refused values were stored: %+v", rows)
		}
	})
}

// A new model version rescores everything; the history keeps the old scores.
func TestRescoreOnModelChangeKeepsHistory(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		f := setup(t, dsn)
		ctx := context.Background()
		f.set(t, store.LevelModality, f.pump, "care-delivery", "5", "care stops")
		s1, err := risk.Run(ctx, f.st, f.actor, false)
		if err != nil {
			t.Fatal(err)
		}
		if s1.Run.Assets != 3 || s1.Run.Changed != 3 {
			t.Fatalf("first run %+v", s1.Run)
		}
		s2, _ := risk.Run(ctx, f.st, f.actor, false)
		if s2.Run.Changed != 0 {
			t.Errorf("nothing changed but %d assets rescored", s2.Run.Changed)
		}
		f.set(t, store.LevelAsset, f.assets["BM-003"].ID, "financial", "5", "costly")
		if s3, _ := risk.Run(ctx, f.st, f.actor, false); s3.Run.Changed != 1 {
			t.Errorf("one asset changed, %d rescored", s3.Run.Changed)
		}
		m := assess.DefaultModel()
		m.Version = "hospital-2"
		m.Weights.CareDelivery, m.Weights.LifeSafety = 30, 15
		if err := f.st.SaveScoringModel(ctx, f.actor, m, "care delivery matters more here"); err != nil {
			t.Fatal(err)
		}
		if err := f.st.SaveScoringModel(ctx, f.actor, m, "again"); err == nil {
			t.Error("a model version was overwritten")
		}
		s4, err := risk.Run(ctx, f.st, f.actor, false)
		if err != nil || s4.Run.Changed != 3 || s4.Run.ModelVersion != "hospital-2" {
			t.Fatalf("model change run %+v %v", s4.Run, err)
		}
		h, _ := f.st.RiskHistory(ctx, f.assets["BM-001"].ID)
		if len(h) != 2 || h[0].ModelVersion != "medsec-default-1" || h[1].ModelVersion != "hospital-2" || h[0].Clinical == h[1].Clinical {
			t.Errorf("history %+v", h)
		}
		runs, _ := f.st.ScoreRuns(ctx, 10)
		if len(runs) != 4 || runs[0].Tiers[0]+runs[0].Tiers[1]+runs[0].Tiers[2]+runs[0].Tiers[3] != 3 {
			t.Errorf("runs %+v", runs)
		}
		sc, err := f.st.AssetScoreOf(ctx, f.assets["BM-001"].ID)
		if err != nil || sc.ModelVersion != "hospital-2" {
			t.Errorf("stored score %+v %v", sc, err)
		}
		// The lists export formula-safe CSV.
		l, err := risk.List(ctx, f.st, "monitoring", 0, 0)
		if err != nil || len(l.Assets) != 3 {
			t.Fatalf("monitoring list %+v %v", l, err)
		}
		l.Assets[0].Why = "=HYPERLINK(\"http://evil\")"
		var buf bytes.Buffer
		if err := l.Write(&buf, "csv"); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(recs) != 4 || strings.HasPrefix(recs[1][6], "=") {
			t.Errorf("csv not formula-safe: %q %v", recs, err)
		}
	})
}

// A repeated full run writes nothing; history rows appear only when a
// score, tier or model changes; a partial rescore after a change gives
// what a whole run would.
func TestHistoryOnlyOnChangeAndPartialRescore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		f := setup(t, dsn)
		ctx := context.Background()
		f.set(t, store.LevelModality, f.pump, "care-delivery", "5", "care stops")
		s1, err := risk.Run(ctx, f.st, f.actor, true)
		if err != nil || s1.Run.Changed != 3 || s1.Run.History != 3 {
			t.Fatalf("first full run %+v %v", s1.Run, err)
		}
		s2, err := risk.Run(ctx, f.st, f.actor, true)
		if err != nil || s2.Run.Assets != 3 || s2.Run.Changed != 0 || s2.Run.History != 0 || s2.Run.Tiers != s1.Run.Tiers {
			t.Fatalf("repeated full run %+v %v", s2.Run, err)
		}
		pump := f.assets["BM-001"].ID
		if h, _ := f.st.RiskHistory(ctx, pump); len(h) != 1 {
			t.Fatalf("history after two full runs: %+v", h)
		}
		// Controls on one pump: only it is rewritten, with a history row.
		if err := f.st.SetAssetControls(ctx, f.actor, store.ControlsRow{AssetID: pump, Segmentation: true, NAC: true, Reason: "VLAN 40 behind the pump server"}); err != nil {
			t.Fatal(err)
		}
		s3, err := risk.Rescore(ctx, f.st, f.actor, risk.Target{Level: store.LevelAsset, ID: pump})
		if err != nil || s3.Run.Scope != "asset "+itoa(pump) || s3.Run.Changed != 1 || s3.Run.History != 1 || s3.Run.Assets != 2 {
			t.Fatalf("rescore after controls %+v %v", s3.Run, err)
		}
		h, _ := f.st.RiskHistory(ctx, pump)
		if len(h) != 2 || !(h[1].Risk < h[0].Risk) {
			t.Errorf("controls should lower the pump's risk: %+v", h)
		}
		// The partial run counted its tiers over every stored score and
		// left nothing for a whole run to do.
		if s3.Run.Tiers[0]+s3.Run.Tiers[1]+s3.Run.Tiers[2]+s3.Run.Tiers[3] != 3 {
			t.Errorf("partial run tiers %v", s3.Run.Tiers)
		}
		if s4, _ := risk.Run(ctx, f.st, f.actor, false); s4.Run.Changed != 0 {
			t.Errorf("a whole run after the partial one changed %d", s4.Run.Changed)
		}
		// Legacy support raises the pumps' risk.
		if err := f.st.SetModelSupport(ctx, f.actor, f.pumpModel, "retired", "x"); err == nil || !strings.Contains(medsec.ErrorMessage(err), "supported, end-of-support, legacy") {
			t.Errorf("unknown status: %v", err)
		}
		if err := f.st.SetModelSupport(ctx, f.actor, f.pumpModel, "legacy", "vendor end-of-life letter"); err != nil {
			t.Fatal(err)
		}
		s5, err := risk.Rescore(ctx, f.st, f.actor, risk.Target{Level: store.LevelModel, ID: f.pumpModel})
		if err != nil || s5.Run.Changed != 2 || s5.Run.History != 2 {
			t.Fatalf("rescore after support %+v %v", s5.Run, err)
		}
		x, _ := risk.Explain(ctx, f.st, pump)
		if x.Support != "legacy" || x.SupportRecord == nil || x.SupportRecord.Reason != "vendor end-of-life letter" || x.ControlsRecord == nil || !x.Controls.Segmentation {
			t.Errorf("explanation support %q %+v controls %+v", x.Support, x.SupportRecord, x.ControlsRecord)
		}
		// Mitigation actions name the facility.
		l, err := risk.List(ctx, f.st, "mitigation", 0, 0)
		if err != nil || len(l.Actions) == 0 {
			t.Fatalf("mitigation %+v %v", l, err)
		}
		for _, a := range l.Actions {
			if !strings.HasSuffix(a.Title, " at General Hospital") && !strings.HasSuffix(a.Title, " at Clinic North") {
				t.Errorf("action title without its facility: %q", a.Title)
			}
		}
		// A model change writes a history row for every asset.
		m := assess.DefaultModel()
		m.Version = "hospital-3"
		if err := f.st.SaveScoringModel(ctx, f.actor, m, ""); err == nil {
			t.Error("a model version without a reason was saved")
		}
		if err := f.st.SaveScoringModel(ctx, f.actor, m, "same weights, new name"); err != nil {
			t.Fatal(err)
		}
		s6, err := risk.Run(ctx, f.st, f.actor, false)
		if err != nil || s6.Run.Changed != 3 || s6.Run.History != 3 {
			t.Fatalf("model change run %+v %v", s6.Run, err)
		}
		runs, _ := f.st.ScoreRuns(ctx, 10)
		if len(runs) != 6 || runs[0].History != 3 || runs[1].Scope != "model "+itoa(f.pumpModel) {
			t.Errorf("runs %+v", runs)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
