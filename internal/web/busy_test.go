package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/auth"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

// While an import holds the SQLite database (a minute at a million
// devices), API reads still answer at once: the token's last-use stamp is
// skipped rather than waited for. A change waits its turn, then fails
// with 503 and a sentence that says why and what to do; once the import
// is done it goes through.
func TestAPI_ReadsAnswerAndChangesSayWhyWhileTheDatabaseIsBusy(t *testing.T) {
	defer func(d time.Duration) { store.BusyTimeout = d }(store.BusyTimeout)
	store.BusyTimeout = 2 * time.Second
	dsn := testdb.SQLite(t)
	e := newEnv(t, dsn)
	ctx := context.Background()
	u, _, _ := e.st.UserByName(ctx, "htm")
	tok := auth.NewToken("msk_")
	e.st.CreateToken(ctx, medsec.System, u.ID, "t", auth.HashToken(tok))
	client := &http.Client{Timeout: time.Second} // less than a change's wait
	release := testdb.LockSQLite(t, dsn)
	var list struct {
		Total int `json:"total"`
	}
	if st := getJSON(t, client, e.srv.URL+"/api/v1/assets", tok, &list); st != 200 || list.Total != 3 {
		t.Fatalf("a read while the database is busy: %d %+v", st, list)
	}
	a := e.records(t, "BM-001")
	b := e.records(t, "BM-002")
	decide := func() (int, map[string]map[string]string) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"a": a, "b": b, "decision": "reject", "reason": "different rooms"})
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/links/decisions", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]map[string]string
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	st, out := decide()
	if st != http.StatusServiceUnavailable || out["error"]["code"] != medsec.EUNAVAILABLE ||
		out["error"]["message"] != "The database is busy with a long write (an import or a correlation run) and this change could not wait for it. Nothing was changed; try again in a minute." {
		t.Errorf("a change while the database is busy: %d %v", st, out)
	}
	release()
	if st, out := decide(); st != 200 {
		t.Errorf("the same change afterwards: %d %v", st, out)
	}
}

// records returns the id of an asset's first source record.
func (e *env) records(t *testing.T, tag string) int64 {
	t.Helper()
	recs, err := e.st.SourceRecordsForAsset(context.Background(), e.assets[tag])
	if err != nil || len(recs) == 0 {
		t.Fatalf("records of %s: %v %v", tag, recs, err)
	}
	return recs[0].ID
}

// While the background correlation runs (here held back by an import's
// lock), the pages that show links say so: the review queue and an
// asset's records may still change. When it has finished they do not.
func TestUI_PagesSayWhileABackgroundRunIsApplyingDecisions(t *testing.T) {
	dsn := testdb.SQLite(t)
	e := newEnv(t, dsn)
	c, csrf := e.client("htm")
	get := func(path string) string {
		t.Helper()
		resp, err := c.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(body)
	}
	const notice = "A correlation run is applying recent decisions in the background"
	asset := "/assets/" + itoa(e.assets["BM-001"])
	release := testdb.LockSQLite(t, dsn)
	resp, err := c.PostForm(e.srv.URL+"/correlation/run", url.Values{"csrf": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, p := range []string{"/review", asset} {
		if !strings.Contains(get(p), notice) {
			t.Errorf("%s does not say a run is going", p)
		}
	}
	release()
	var job struct {
		Running bool   `json:"running"`
		Error   string `json:"error"`
	}
	u, _, _ := e.st.UserByName(context.Background(), "htm")
	tok := auth.NewToken("msk_")
	e.st.CreateToken(context.Background(), medsec.System, u.ID, "t", auth.HashToken(tok))
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		getJSON(t, http.DefaultClient, e.srv.URL+"/api/v1/correlation/job", tok, &job)
		if !job.Running || time.Now().After(deadline) {
			break
		}
	}
	if job.Running || job.Error != "" {
		t.Fatalf("the run: %+v", job)
	}
	for _, p := range []string{"/review", asset} {
		if strings.Contains(get(p), notice) {
			t.Errorf("%s still says a run is going", p)
		}
	}
}
