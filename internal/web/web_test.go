package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/advisorydata"
	"github.com/medsec/medsec/internal/auth"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
	"github.com/medsec/medsec/internal/vuln"
	"github.com/medsec/medsec/internal/web"
)

const password = "correct horse battery"

const cmmsCSV = "Equipment ID,Serial Number,Manufacturer,Model,Model Number,Device Type,Facility,Department,Status\n" +
	"BM-001,SN1001,CareFusion,Alaris PC Unit,8015,INFUSION PUMP,General Hospital,ICU 4 West,Active\n" +
	"BM-002,SN1002,Hospira,Plum 360,,IV Pump,General Hospital,Med/Surg 5,Active\n" +
	"BM-003,SN1003,GE Medical Systems,CARESCAPE B650,,PATIENT MONITOR,Clinic North,Outpatient Clinic,Out for Repair\n"

type env struct {
	t      *testing.T
	st     *store.Store
	srv    *httptest.Server
	assets map[string]int64 // tag → id
	// ids of fixtures the route walk opens: a matched advisory, one of its
	// findings and the model it is about.
	advisory       string
	finding, model int64
}

func newEnv(t *testing.T, dsn string) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := importer.ImportCMMS(ctx, st, medsec.System, "cmms.csv", strings.NewReader(cmmsCSV), importer.Options{}); err != nil {
		t.Fatal(err)
	}
	s := web.New(st, nil)
	s.UploadDir = t.TempDir()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	e := &env{t: t, st: st, srv: srv, assets: map[string]int64{}}
	items, _, _ := st.FindAssets(ctx, medsec.AssetFilter{})
	for _, a := range items {
		e.assets[a.AssetTag] = a.ID
	}
	// Real advisories, matched: BM-001 (a BD Alaris 8015) has findings.
	advs, err := vuln.LoadFS(advisorydata.ICSMA, "icsma")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.SaveAdvisories(ctx, medsec.System, vuln.Docs(advs)); err != nil {
		t.Fatal(err)
	}
	if _, err := vuln.MatchAll(ctx, st, medsec.System); err != nil {
		t.Fatal(err)
	}
	fs, err := st.Findings(ctx, store.FindingFilter{AssetID: e.assets["BM-001"]})
	if err != nil || len(fs) == 0 {
		t.Fatalf("no findings for BM-001 (%v)", err)
	}
	e.finding, e.advisory = fs[0].ID, fs[0].AdvisoryID
	a, err := st.FindAsset(ctx, e.assets["BM-001"], 0)
	if err != nil {
		t.Fatal(err)
	}
	e.model = a.ModelID
	p, _ := st.EnsureParty(ctx, medsec.System, "Acme Biomed", medsec.PartyProvider)
	for _, f := range mustFacilities(t, st) {
		if f.Name == "Clinic North" {
			st.AddScope(ctx, medsec.System, medsec.ScopeRule{PartyID: p.ID, FacilityID: f.ID})
		}
	}
	hash, _ := auth.HashPassword(password, auth.Params{Memory: 1024, Time: 1, Threads: 1})
	for _, r := range medsec.Roles {
		u := &medsec.User{Name: string(r), Role: r}
		if r == medsec.RoleProvider {
			u.PartyID = p.ID
		}
		if err := st.CreateUser(ctx, medsec.System, u, hash); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func mustFacilities(t *testing.T, st *store.Store) []medsec.Facility {
	fs, err := st.Facilities(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// client returns an HTTP client that does not follow redirects, logged in
// as user (or anonymous for ""), and the session's CSRF token.
func (e *env) client(user string) (*http.Client, string) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if user == "" {
		return c, ""
	}
	resp, err := c.PostForm(e.srv.URL+"/login", url.Values{"username": {user}, "password": {password}})
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d", user, resp.StatusCode)
	}
	resp, err = c.Get(e.srv.URL + "/assets")
	if err != nil {
		e.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		e.t.Fatalf("no CSRF token on the page for %s", user)
	}
	return c, string(m[1])
}

func (e *env) path(pattern string) string {
	p := strings.ReplaceAll(pattern, "{$}", "")
	id := itoa(e.assets["BM-001"])
	switch {
	case strings.Contains(p, "/advisories/"):
		id = e.advisory
	case strings.Contains(p, "/findings/"):
		id = itoa(e.finding)
	case strings.Contains(p, "/models/"):
		id = itoa(e.model)
	case strings.Contains(p, "/workorders/") || strings.Contains(p, "/sla/events/"):
		id = e.serviceID(p) // a work order on BM-001 (service_test.go)
	}
	return strings.ReplaceAll(p, "{id}", id)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestRoutes_Authorization walks the route table: every non-public route
// refuses an anonymous caller, and every role that lacks the route's
// permission gets 403, in the UI and in the API.
func TestRoutes_Authorization(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		routes := web.New(e.st, nil).Routes()
		clients := map[medsec.Role]*http.Client{}
		csrf := map[medsec.Role]string{}
		for _, r := range medsec.Roles {
			clients[r], csrf[r] = e.client(string(r))
		}
		anon, _ := e.client("")
		for _, rt := range routes {
			if rt.Perm == medsec.PermPublic {
				continue
			}
			req, _ := http.NewRequest(rt.Method, e.srv.URL+e.path(rt.Pattern), nil)
			resp, err := anon.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			switch {
			case rt.API && resp.StatusCode != http.StatusUnauthorized:
				t.Errorf("anonymous %s %s: status %d, want 401", rt.Method, rt.Pattern, resp.StatusCode)
			case !rt.API && (resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login")):
				t.Errorf("anonymous %s %s: status %d to %q, want a redirect to /login", rt.Method, rt.Pattern, resp.StatusCode, resp.Header.Get("Location"))
			}
			for _, role := range medsec.Roles {
				if role.Can(rt.Perm) {
					// Every page a role may open renders for it.
					if rt.Method == "GET" && !strings.Contains(rt.Pattern, "/export/") {
						resp, err := clients[role].Get(e.srv.URL + e.path(rt.Pattern))
						if err != nil {
							t.Fatal(err)
						}
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK && !(role == medsec.RoleProvider && resp.StatusCode == http.StatusNotFound) {
							t.Errorf("%s GET %s: status %d: %.300s", role, rt.Pattern, resp.StatusCode, body)
						}
					}
					continue
				}
				form := url.Values{"csrf": {csrf[role]}}
				req, _ := http.NewRequest(rt.Method, e.srv.URL+e.path(rt.Pattern), strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := clients[role].Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s %s: status %d, want 403", role, rt.Method, rt.Pattern, resp.StatusCode)
				}
			}
		}
		// A bad bearer token is refused too.
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/assets", nil)
		req.Header.Set("Authorization", "Bearer msk_forged")
		resp, _ := http.DefaultClient.Do(req)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("forged token: %d", resp.StatusCode)
		}
	})
}

func getJSON(t *testing.T, c *http.Client, u, token string, v any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		json.NewDecoder(resp.Body).Decode(v)
	}
	return resp.StatusCode
}

func TestAPI_AssetsAndScope(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	ctx := context.Background()
	tokens := map[string]string{}
	for _, name := range []string{"viewer", "provider"} {
		u, _, _ := e.st.UserByName(ctx, name)
		tok := auth.NewToken("msk_")
		e.st.CreateToken(ctx, medsec.System, u.ID, "t", auth.HashToken(tok))
		tokens[name] = tok
	}
	var list struct {
		Total int            `json:"total"`
		Items []medsec.Asset `json:"items"`
	}
	if st := getJSON(t, http.DefaultClient, e.srv.URL+"/api/v1/assets?q=alaris", tokens["viewer"], &list); st != 200 || list.Total != 1 || list.Items[0].Manufacturer != "BD" {
		t.Errorf("search alaris: %d %+v", st, list)
	}
	if getJSON(t, http.DefaultClient, e.srv.URL+"/api/v1/assets?per_page=1&page=2&sort=-asset_tag", tokens["viewer"], &list); list.Total != 3 || len(list.Items) != 1 || list.Items[0].AssetTag != "BM-002" {
		t.Errorf("paging: %+v", list)
	}
	// The provider sees only Clinic North; other assets are 404 in the API.
	getJSON(t, http.DefaultClient, e.srv.URL+"/api/v1/assets", tokens["provider"], &list)
	if list.Total != 1 || list.Items[0].AssetTag != "BM-003" {
		t.Errorf("provider list: %+v", list)
	}
	if st := getJSON(t, http.DefaultClient, e.srv.URL+"/api/v1/assets/"+itoa(e.assets["BM-001"]), tokens["provider"], nil); st != http.StatusNotFound {
		t.Errorf("provider out-of-scope asset: %d, want 404", st)
	}
	var detail struct {
		medsec.Asset
		SourceRecords []medsec.SourceRecord `json:"source_records"`
	}
	if st := getJSON(t, http.DefaultClient, e.srv.URL+"/api/v1/assets/"+itoa(e.assets["BM-003"]), tokens["provider"], &detail); st != 200 || len(detail.SourceRecords) != 1 {
		t.Errorf("provider in-scope asset: %d %+v", st, detail)
	}
	var doc map[string]any
	if st := getJSON(t, http.DefaultClient, e.srv.URL+"/api/v1/openapi.json", tokens["viewer"], &doc); st != 200 || doc["openapi"] != "3.1.0" {
		t.Errorf("openapi: %d", st)
	}
	if paths, _ := doc["paths"].(map[string]any); paths["/api/v1/assets"] == nil {
		t.Errorf("openapi lacks /api/v1/assets")
	}
	var health map[string]any
	if st := getJSON(t, http.DefaultClient, e.srv.URL+"/healthz", "", &health); st != 200 || health["database"] != "ok" {
		t.Errorf("healthz: %d %v", st, health)
	}
}

func TestUI_LoginThrottleCSRFAndImport(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	anon, _ := e.client("")
	for i := 0; i < 5; i++ {
		resp, _ := anon.PostForm(e.srv.URL+"/login", url.Values{"username": {"htm"}, "password": {"wrong password"}})
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "Wrong user name or password") {
			t.Fatalf("wrong password: %d", resp.StatusCode)
		}
	}
	resp, _ := anon.PostForm(e.srv.URL+"/login", url.Values{"username": {"htm"}, "password": {password}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after 5 failures the right password should be throttled: %d", resp.StatusCode)
	}
	c, csrf := e.client("admin")
	// Without the CSRF token a state change is refused.
	resp, _ = c.PostForm(e.srv.URL+"/logout", url.Values{})
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout without CSRF: %d", resp.StatusCode)
	}
	// A dry run through the UI shows problems with row and column.
	bad := "Equipment ID,Serial Number,EM Number\nX1,1,12\nX1,2,99\n"
	status, body := postFile(t, c, e.srv.URL+"/import", csrf, "check", "bad.csv", bad)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "duplicate key") || !strings.Contains(body, "EM Number") {
		t.Errorf("check bad file: %d\n%s", status, body)
	}
	good := "Equipment ID,Serial Number\nNEW-1,123\n"
	status, body = postFile(t, c, e.srv.URL+"/import", csrf, "import", "good.csv", good)
	if status != 200 || !strings.Contains(body, "Imported") {
		t.Errorf("import: %d", status)
	}
	if _, n, _ := e.st.FindAssets(context.Background(), medsec.AssetFilter{Q: "new-1"}); n != 1 {
		t.Errorf("imported asset not found")
	}
	// The session cookie is HttpOnly and SameSite=Lax.
	resp, _ = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).PostForm(e.srv.URL+"/login", url.Values{"username": {"viewer"}, "password": {password}})
	resp.Body.Close()
	ck := resp.Header.Get("Set-Cookie")
	if !strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Lax") {
		t.Errorf("session cookie = %q", ck)
	}
}

func postFile(t *testing.T, c *http.Client, u, csrf, action, name, content string) (int, string) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := newMultipart(pw)
	go func() {
		mw.WriteField("csrf", csrf)
		mw.WriteField("action", action)
		fw, _ := mw.CreateFormFile("file", name)
		io.WriteString(fw, content)
		mw.Close()
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", u, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
