package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/auth"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/testdb"
)

// A monitoring record that agrees with a CMMS device only on host name,
// maker and model is a candidate, not a link: a reviewer confirms it
// through the API and the asset gains the record.
func TestAPI_ReviewQueue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		cmms := "Equipment ID,Serial Number,Manufacturer,Model,Device Type,Facility,Department,Hostname\n" +
			"MON-7,SN777,Philips,IntelliVue MX800,PATIENT MONITOR,General Hospital,ICU 4 West,icu-mon-7\n"
		mon := "Device ID,MAC Address,IP Address,Hostname,Manufacturer,Model,Device Type\n" +
			"m-7,00:09:fb:00:07:07,10.9.9.7,ICU-MON-7.hosp.example.org,Philips,IntelliVue MX800,Patient Monitor\n"
		for src, data := range map[string]string{"cmms": cmms, "monitoring": mon} {
			if _, err := importer.Import(ctx, e.st, medsec.System, src, src+".csv", strings.NewReader(data), importer.Options{}); err != nil {
				t.Fatal(err)
			}
		}
		u, _, _ := e.st.UserByName(ctx, "htm")
		tok := auth.NewToken("msk_")
		e.st.CreateToken(ctx, medsec.System, u.ID, "t", auth.HashToken(tok))
		call := func(method, path, body string, v any) int {
			req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if v != nil {
				json.NewDecoder(resp.Body).Decode(v)
			}
			return resp.StatusCode
		}
		if st := call("POST", "/api/v1/correlate?full=true", "", nil); st != 200 {
			t.Fatalf("correlate: %d", st)
		}
		var q struct {
			Total int `json:"total"`
			Items []struct {
				ID         int64   `json:"id"`
				Confidence float64 `json:"confidence"`
				A, B       struct {
					System, Key string
				}
				Evidence []map[string]any `json:"evidence"`
			} `json:"items"`
		}
		if st := call("GET", "/api/v1/review", "", &q); st != 200 || q.Total != 1 {
			t.Fatalf("review queue: %d %+v", st, q)
		}
		it := q.Items[0]
		if keys := it.A.Key + "+" + it.B.Key; (keys != "MON-7+m-7" && keys != "m-7+MON-7") || len(it.Evidence) == 0 {
			t.Errorf("review item = %+v", it)
		}
		if st := call("POST", "/api/v1/review/"+strconv.FormatInt(it.ID, 10), `{"decision":"maybe"}`, nil); st != http.StatusBadRequest {
			t.Errorf("unknown decision: %d, want 400", st)
		}
		if st := call("POST", "/api/v1/review/"+strconv.FormatInt(it.ID, 10), `{"decision":"confirm","reason":"same bed space, checked on site"}`, nil); st != 200 {
			t.Fatalf("confirm: %d", st)
		}
		if call("GET", "/api/v1/review", "", &q); q.Total != 0 {
			t.Errorf("decided item still queued: %+v", q)
		}
		items, _, _ := e.st.FindAssets(ctx, medsec.AssetFilter{Q: "MON-7"})
		recs, _ := e.st.SourceRecordsForAsset(ctx, items[0].ID)
		if len(recs) != 2 || recs[0].Key != "MON-7" || recs[1].Key != "m-7" {
			t.Errorf("asset records after confirm = %+v", recs)
		}
	})
}
