package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/auth"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/testdb"
	"github.com/medsec/medsec/internal/web"
)

// A monitoring record that agrees with a CMMS device only on host name,
// maker and model is a candidate, not a link: a reviewer confirms it
// through the API and the asset gains the record.
func TestAPI_ReviewQueue(t *testing.T) { reviewQueue(t, false) }

// In a large inventory the re-link after a decision runs in the
// background job: the answer comes at once, the record joins the asset
// shortly after.
func TestAPI_ReviewQueueRelinksLargeInventoriesInTheBackground(t *testing.T) {
	defer func(n int) { web.RelinkInlineMax = n }(web.RelinkInlineMax)
	web.RelinkInlineMax = 1 // records: this inventory of two counts as large
	reviewQueue(t, true)
}

func reviewQueue(t *testing.T, background bool) {
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
		var answer map[string]string
		if st := call("POST", "/api/v1/review/"+strconv.FormatInt(it.ID, 10), `{"decision":"confirm","reason":"same bed space, checked on site"}`, &answer); st != 200 {
			t.Fatalf("confirm: %d", st)
		}
		if want := map[bool]string{false: "done", true: "background"}[background]; answer["relink"] != want {
			t.Errorf("confirm answered %v, want relink %q", answer, want)
		}
		var job struct {
			Running bool           `json:"running"`
			Last    map[string]any `json:"last"`
			Error   string         `json:"error"`
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if st := call("GET", "/api/v1/correlation/job", "", &job); st != 200 {
				t.Fatalf("job: %d", st)
			}
			if !job.Running || time.Now().After(deadline) {
				break
			}
		}
		if job.Running || job.Error != "" || (background && job.Last == nil) {
			t.Fatalf("the background job: %+v", job)
		}
		items, _, _ := e.st.FindAssets(ctx, medsec.AssetFilter{Q: "MON-7"})
		recs, _ := e.st.SourceRecordsForAsset(ctx, items[0].ID)
		if len(recs) != 2 || recs[0].Key != "MON-7" || recs[1].Key != "m-7" {
			t.Errorf("asset records after confirm = %+v", recs)
		}
		if call("GET", "/api/v1/review", "", &q); q.Total != 0 {
			t.Errorf("decided item still queued: %+v", q)
		}
	})
}
