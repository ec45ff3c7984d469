package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/assess"
	"github.com/medsec/medsec/internal/auth"
	"github.com/medsec/medsec/internal/risk"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

// The risk API gives the breakdown and the sources; the lists export
// formula-safe CSV; a refused value comes back with the allowed range.
func TestAPI_RiskBreakdownAndLists(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		a, _ := e.st.FindAsset(ctx, e.assets["BM-001"], 0)
		if err := e.st.SetAssessment(ctx, medsec.System, store.AssessmentUpdate{Level: store.LevelModality, ScopeID: a.ModalityID, Point: "care-delivery", Value: "5", Reason: "=cmd|' /C calc'!A0"}); err != nil {
			t.Fatal(err)
		}
		if _, err := risk.Run(ctx, e.st, medsec.System, false); err != nil {
			t.Fatal(err)
		}
		u, _, _ := e.st.UserByName(ctx, "security")
		tok := auth.NewToken("msk_")
		e.st.CreateToken(ctx, medsec.System, u.ID, "t", auth.HashToken(tok))
		var x risk.Explanation
		if st := getJSON(t, http.DefaultClient, e.srv.URL+"/api/v1/assets/"+itoa(a.ID)+"/risk", tok, &x); st != 200 {
			t.Fatalf("risk API status %d", st)
		}
		if len(x.Risk.Breakdown) < 4 || x.Risk.Breakdown[0].Name != "clinical impact" || x.Stored == nil || len(x.Findings) == 0 || x.Findings[0].Decision == "" {
			t.Errorf("risk API: %+v", x)
		}
		if p := x.Points[4]; p.Point != "care-delivery" || p.Level != "modality" || p.Source.SetBy != "system" {
			t.Errorf("care-delivery source %+v", p)
		}
		// A value out of range is refused with the range.
		req, _ := http.NewRequest("PUT", e.srv.URL+"/api/v1/assessments", strings.NewReader(`{"level":"modality","scope_id":`+itoa(a.ModalityID)+`,"point":"financial","value":"9","reason":"x"}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(body), "must be 1–5") {
			t.Errorf("PUT financial 9: %d %s", resp.StatusCode, body)
		}
		// Exports of every list are formula-safe.
		c, _ := e.client("viewer")
		for _, l := range []string{"capital", "mitigation", "monitoring", "restore"} {
			resp, err := c.Get(e.srv.URL + "/export/lists/" + l + ".csv")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.HasPrefix(string(b), "rank,") {
				t.Errorf("%s.csv: %d %.200s", l, resp.StatusCode, b)
			}
			for _, line := range strings.Split(string(b), "\n") {
				for _, cell := range strings.Split(line, ",") {
					if strings.HasPrefix(cell, "=") || strings.HasPrefix(cell, "+") || strings.HasPrefix(cell, "@") {
						t.Errorf("%s.csv has a formula cell %q", l, cell)
					}
				}
			}
		}
		var hm map[string]map[string]map[string]int
		if st := getJSON(t, http.DefaultClient, e.srv.URL+"/api/v1/heatmap", tok, &hm); st != 200 || len(hm["impact_likelihood"]) == 0 {
			t.Errorf("heatmap %d %v", st, hm)
		}
		// The heat map's cells link to a filtered asset list.
		var list struct{ Total int }
		getJSON(t, http.DefaultClient, e.srv.URL+"/api/v1/assets?acuity=icu", tok, &list)
		if list.Total != 1 {
			t.Errorf("assets with ICU acuity: %d", list.Total)
		}
	})
}

func doJSON(t *testing.T, method, u, tok, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(b)
}

// Support per model and controls per asset through the API and the forms:
// refused values list the valid ones, every change is audited and
// rescores its assets at once; a new scoring model version from the form
// shows in the version history with its run's tier counts.
func TestAPI_SupportControlsAndModelVersions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		a, _ := e.st.FindAsset(ctx, e.assets["BM-001"], 0)
		if _, err := risk.Run(ctx, e.st, medsec.System, false); err != nil {
			t.Fatal(err)
		}
		u, _, _ := e.st.UserByName(ctx, "htm")
		tok := auth.NewToken("msk_")
		e.st.CreateToken(ctx, medsec.System, u.ID, "t", auth.HashToken(tok))
		base := e.srv.URL + "/api/v1/"
		if st, body := doJSON(t, "PUT", base+"models/"+itoa(a.ModelID)+"/support", tok, `{"status":"retired","reason":"x"}`); st != 400 || !strings.Contains(body, "supported, end-of-support, legacy") {
			t.Errorf("bad status: %d %s", st, body)
		}
		if st, body := doJSON(t, "PUT", base+"models/"+itoa(a.ModelID)+"/support", tok, `{"status":"legacy"}`); st != 400 || !strings.Contains(body, "reason") {
			t.Errorf("no reason: %d %s", st, body)
		}
		st, body := doJSON(t, "PUT", base+"models/"+itoa(a.ModelID)+"/support", tok, `{"status":"legacy","reason":"vendor end-of-life letter"}`)
		if st != 200 || !strings.Contains(body, `"status": "legacy"`) || !strings.Contains(body, `"scope": "model `+itoa(a.ModelID)+`"`) {
			t.Fatalf("support: %d %s", st, body)
		}
		if st, body := doJSON(t, "PUT", base+"assets/"+itoa(a.ID)+"/controls", tok, `{"segmented":true,"reason":"x"}`); st != 400 || !strings.Contains(body, "segmentation") {
			t.Errorf("unknown field: %d %s", st, body)
		}
		st, body = doJSON(t, "PUT", base+"assets/"+itoa(a.ID)+"/controls", tok, `{"segmentation":true,"nac":true,"reason":"VLAN 40"}`)
		if st != 200 || !strings.Contains(body, `"segmentation": true`) || !strings.Contains(body, `"disabled_services": false`) || !strings.Contains(body, `"changed": 1`) {
			t.Fatalf("controls: %d %s", st, body)
		}
		var x risk.Explanation
		getJSON(t, http.DefaultClient, base+"assets/"+itoa(a.ID)+"/risk", tok, &x)
		if x.Support != "legacy" || !x.Controls.Segmentation || !x.Controls.NAC || x.ControlsRecord == nil || x.ControlsRecord.SetBy != "htm" || x.Stored == nil || x.Stored.RunID == 0 {
			t.Errorf("risk after changes: support %q controls %+v record %+v", x.Support, x.Controls, x.ControlsRecord)
		}
		if len(x.History) < 2 {
			t.Errorf("history %+v", x.History)
		}
		// Saving an assessment through the API rescores at once.
		st, body = doJSON(t, "PUT", base+"assessments", tok, `{"level":"modality","scope_id":`+itoa(a.ModalityID)+`,"point":"financial","value":"5","reason":"costly"}`)
		if st != 200 || !strings.Contains(body, `"scope": "modality `+itoa(a.ModalityID)+`"`) {
			t.Errorf("assessment: %d %s", st, body)
		}
		audits := 0
		for _, ent := range []string{"model_support", "asset_controls", "assessment"} {
			_, n, err := e.st.FindAudit(ctx, medsec.AuditFilter{Entity: ent, Actor: "htm"})
			if err != nil {
				t.Fatal(err)
			}
			audits += min(n, 1)
		}
		if audits != 3 {
			t.Errorf("changes not audited (%d of 3 kinds)", audits)
		}
		// The forms: controls on the asset page, support and a new model
		// version on /assess.
		c, csrf := e.client("htm")
		post := func(path string, v url.Values) *http.Response {
			v.Set("csrf", csrf)
			resp, err := c.PostForm(e.srv.URL+path, v)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}
		if resp := post("/assets/"+itoa(a.ID)+"/controls", url.Values{"disabled_services": {"1"}, "reason": {"telnet off"}}); resp.StatusCode != 303 {
			t.Errorf("controls form: %d", resp.StatusCode)
		}
		if cur, _ := e.st.AssetControls(ctx, a.ID); cur == nil || cur.Segmentation || !cur.DisabledServices || cur.Reason != "telnet off" {
			t.Errorf("controls form stored %+v", cur)
		}
		if resp := post("/assess/support", url.Values{"model": {itoa(a.ModelID)}, "status": {"bogus"}, "reason": {"x"}}); !strings.Contains(resp.Header.Get("Location"), "error=") {
			t.Errorf("bad support from the form: %s", resp.Header.Get("Location"))
		}
		form := url.Values{"version": {"hospital-2"}, "reason": {"care delivery matters more here"}}
		m := assess.DefaultModel()
		m.Weights.CareDelivery, m.Weights.LifeSafety = 30, 15
		for _, f := range []struct {
			k string
			v float64
		}{{"w_life_safety", m.Weights.LifeSafety}, {"w_acuity", m.Weights.Acuity}, {"w_phi", m.Weights.PHI}, {"w_large_phi", m.Weights.LargePHI}, {"w_care_delivery", m.Weights.CareDelivery},
			{"w_lateral", m.Weights.Lateral}, {"w_financial", m.Weights.Financial}, {"w_reputational", m.Weights.Reputational}, {"unset_as", m.UnsetAs},
			{"ct_medium", 25}, {"ct_high", 50}, {"ct_critical", 75}, {"r_impact", 30}, {"r_likelihood", 35}, {"r_exposure", 20}, {"r_support", 15},
			{"r_segmentation", 10}, {"r_nac", 5}, {"r_disabled_services", 5}, {"r_mds2", 5}, {"rt_medium", 30}, {"rt_high", 50}, {"rt_critical", 70}} {
			form.Set(f.k, strconv.FormatFloat(f.v, 'f', -1, 64))
		}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("w_phi", "50")
		if resp := post("/assess/models", bad); !strings.Contains(resp.Header.Get("Location"), "sum+to+100") {
			t.Errorf("weights not summing to 100: %s", resp.Header.Get("Location"))
		}
		if resp := post("/assess/models", form); resp.StatusCode != 303 || strings.Contains(resp.Header.Get("Location"), "error=") {
			t.Fatalf("model form: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if am, _ := e.st.ActiveModel(ctx); am.Version != "hospital-2" || am.Weights.CareDelivery != 30 {
			t.Errorf("active model %+v", am)
		}
		resp, err := c.Get(e.srv.URL + "/assess")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{`id="model-versions"`, "hospital-2", "care delivery matters more here", `id="score-runs"`, "model " + itoa(a.ModelID), `id="support-table"`, "vendor end-of-life letter"} {
			if !strings.Contains(string(page), want) {
				t.Errorf("/assess lacks %q", want)
			}
		}
		runs, _ := e.st.ScoreRuns(ctx, 1)
		if len(runs) != 1 || runs[0].ModelVersion != "hospital-2" || runs[0].History == 0 {
			t.Errorf("run after the new version %+v", runs)
		}
		// The asset page shows the controls form with the stored values.
		resp, _ = c.Get(e.srv.URL + "/assets/" + itoa(a.ID))
		page, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(page), `id="controls-form"`) || !strings.Contains(string(page), "telnet off") {
			t.Errorf("asset page lacks the controls")
		}
	})
}
