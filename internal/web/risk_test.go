package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/medsec/medsec"
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
