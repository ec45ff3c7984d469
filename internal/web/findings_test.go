package web_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/advisorydata"
	"github.com/medsec/medsec/internal/auth"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
	"github.com/medsec/medsec/internal/vuln"
)

// apiAs returns a caller of the JSON API with a bearer token of user.
func (e *env) apiAs(user string) func(method, path, body string, v any) int {
	u, _, err := e.st.UserByName(context.Background(), user)
	if err != nil {
		e.t.Fatal(err)
	}
	tok := auth.NewToken("msk_")
	if _, err := e.st.CreateToken(context.Background(), medsec.System, u.ID, "t-"+user, auth.HashToken(tok)); err != nil {
		e.t.Fatal(err)
	}
	return func(method, path, body string, v any) int {
		req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			e.t.Fatal(err)
		}
		defer resp.Body.Close()
		if v != nil {
			json.NewDecoder(resp.Body).Decode(v)
		}
		return resp.StatusCode
	}
}

// TestAPI_FindingLifecycle walks a finding through its life as a security
// analyst would, and checks that the decisions are validated, audited, kept
// in the finding's history and survive a re-import and re-match.
func TestAPI_FindingLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		call := e.apiAs("security")
		path := "/api/v1/findings/" + itoa(e.finding)

		var errBody struct{ Error struct{ Message string } }
		if st := call("POST", path+"/transition", `{"status":"false_positive"}`, &errBody); st != http.StatusBadRequest || !strings.Contains(errBody.Error.Message, "needs a reason") {
			t.Errorf("false positive without reason: %d %q", st, errBody.Error.Message)
		}
		if st := call("POST", path+"/transition", `{"status":"fixed"}`, &errBody); st != http.StatusBadRequest || !strings.Contains(errBody.Error.Message, "valid statuses are open, in_triage") {
			t.Errorf("unknown status: %d %q", st, errBody.Error.Message)
		}
		if st := call("POST", path+"/transition", `{"status":"risk_accepted","reason":"legacy","accepted_by":"security","accepted_until":"2099-01-01"}`, &errBody); st != http.StatusBadRequest || !strings.Contains(errBody.Error.Message, "cannot be the person recording it") {
			t.Errorf("self-approved acceptance: %d %q", st, errBody.Error.Message)
		}
		if st := call("POST", path+"/transition", `{"status":"mitigated"}`, &errBody); st != http.StatusBadRequest || !strings.Contains(errBody.Error.Message, "compensating control") {
			t.Errorf("mitigated without control: %d %q", st, errBody.Error.Message)
		}
		steps := []string{
			`{"status":"in_triage","confirm":true,"reason":"firmware checked on the device"}`,
			`{"status":"awaiting_manufacturer","reason":"BD has not validated the fix yet"}`,
			`{"status":"fix_validated","fix_validated_on":"2026-10-01"}`,
			`{"status":"mitigated","control":"VLAN 40 ACL blocks TCP/4000 from the user network"}`,
		}
		for _, s := range steps {
			if st := call("POST", path+"/transition", s, nil); st != 200 {
				t.Fatalf("transition %s: status %d", s, st)
			}
		}
		var got struct {
			Finding store.FindingRow
			History []store.FindingEvent
		}
		if st := call("GET", path, "", &got); st != 200 {
			t.Fatalf("GET finding: %d", st)
		}
		f := got.Finding
		if f.Status != "mitigated" || f.ConfirmedBy != "security" || f.FixValidatedOn != "2026-10-01" || !strings.HasPrefix(f.Control, "VLAN 40") {
			t.Errorf("finding after transitions: %+v", f)
		}
		if len(got.History) != 4 || got.History[0].From != "open" || got.History[3].To != "mitigated" {
			t.Errorf("history: %+v", got.History)
		}
		audit, _, err := e.st.FindAudit(ctx, medsec.AuditFilter{Entity: "finding"})
		if err != nil || len(audit) != 4 {
			t.Errorf("audit has %d finding records (%v), want 4", len(audit), err)
		}

		// A re-import of the same advisories and a re-match keep the decision.
		advs, _ := vuln.LoadFS(advisoryFS(), "icsma")
		e.st.SaveAdvisories(ctx, medsec.System, vuln.Docs(advs))
		if _, err := vuln.MatchAll(ctx, e.st, medsec.System); err != nil {
			t.Fatal(err)
		}
		after, err := e.st.Finding(ctx, e.finding, 0)
		if err != nil || after.Status != "mitigated" || after.Control != f.Control || after.GoneAt != "" {
			t.Errorf("after re-match: %+v (%v)", after, err)
		}

		// The list filters by status, and a viewer may read but not decide.
		var list struct {
			Total int
			Items []store.FindingRow
		}
		if st := call("GET", "/api/v1/findings?status=mitigated", "", &list); st != 200 || list.Total != 1 || list.Items[0].ID != e.finding {
			t.Errorf("filter by status: %d %+v", st, list)
		}
		if st := e.apiAs("viewer")("POST", path+"/transition", `{"status":"open"}`, nil); st != http.StatusForbidden {
			t.Errorf("viewer transition: %d, want 403", st)
		}

		// The model's OpenVEX says what the hospital knows per CVE.
		var doc struct {
			Context    string `json:"@context"`
			Statements []struct {
				Vulnerability struct{ Name string }
				Status        string
				Justification string
			}
		}
		if st := call("GET", "/api/v1/models/"+itoa(e.model)+"/vex", "", &doc); st != 200 || doc.Context != "https://openvex.dev/ns/v0.2.0" || len(doc.Statements) == 0 {
			t.Fatalf("vex: %d %+v", st, doc)
		}
		for _, s := range doc.Statements {
			if s.Vulnerability.Name == f.CVE && s.Status != "not_affected" && s.Status != "under_investigation" {
				t.Errorf("%s: vex status %s", f.CVE, s.Status)
			}
		}
	})
}

// TestFindings_ProviderScope: a provider's technician sees findings only of
// assets in the contract's scope (BM-001 is at General Hospital, outside).
func TestFindings_ProviderScope(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		call := e.apiAs("provider")
		if st := call("GET", "/api/v1/findings/"+itoa(e.finding), "", nil); st != http.StatusNotFound {
			t.Errorf("provider GET out-of-scope finding: %d, want 404", st)
		}
		var list struct {
			Total int
			Items []store.FindingRow
		}
		if st := call("GET", "/api/v1/findings", "", &list); st != 200 || list.Total != len(list.Items) {
			t.Errorf("provider finding list: %d total %d", st, list.Total)
		}
		for _, f := range list.Items {
			if f.AssetTag != "BM-003" { // the only asset at Clinic North
				t.Errorf("provider sees a finding of %s, outside the scope", f.AssetTag)
			}
		}
		if st := call("POST", "/api/v1/findings/"+strconv.FormatInt(e.finding, 10)+"/transition", `{"status":"in_triage"}`, nil); st != http.StatusNotFound {
			t.Errorf("provider transition of out-of-scope finding: %d, want 404", st)
		}
	})
}

func advisoryFS() fs.FS { return advisorydata.ICSMA }

// TestAPI_ManualAdvisory: a letter entered by hand becomes an advisory that
// matches through the manufacturer aliases, and bad entries say what is wrong.
func TestAPI_ManualAdvisory(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		call := e.apiAs("htm")
		var v struct {
			AdvisoryID string `json:"advisory_id"`
			Affected   []store.FindingRow
		}
		body := `{"title":"Hospira letter: Plum 360 drug library","manufacturer":"Hospira","product":"Plum 360","affected":"","cve":"CVE-2026-11111",
			"summary":"Drug library can be replaced over the network.","remediation":"mitigation","details":"Block TCP/8443 to the pump VLAN.","published":"2026-02-03"}`
		if st := call("POST", "/api/v1/advisories", body, &v); st != http.StatusCreated {
			t.Fatalf("manual advisory: %d", st)
		}
		if !strings.HasPrefix(v.AdvisoryID, "MEDSEC-MANUAL-20260203-") || len(v.Affected) != 1 || v.Affected[0].AssetTag != "BM-002" || v.Affected[0].CVE != "CVE-2026-11111" {
			t.Errorf("manual advisory: %+v", v)
		}
		var errBody struct{ Error struct{ Message string } }
		if st := call("POST", "/api/v1/advisories", `{"title":"x","manufacturer":"BD","product":"Alaris","summary":"s","cvss":"CVSS:3.1/AV:Q"}`, &errBody); st != http.StatusBadRequest || !strings.Contains(errBody.Error.Message, "cvss") {
			t.Errorf("bad vector: %d %q", st, errBody.Error.Message)
		}
	})
}

// TestAPI_IntelUploads: an HTM user loads the KEV catalog and attaches an
// SBOM and an MDS2 form to a model through the API; the model page lists
// them with the capabilities the form gives.
func TestAPI_IntelUploads(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		call := e.apiAs("htm")
		kevJSON, _ := os.ReadFile("../kev/testdata/known_exploited_vulnerabilities.json")
		var out struct{ Loaded string }
		if st := call("POST", "/api/v1/intel?filename=kev.json", string(kevJSON), &out); st != 200 || !strings.Contains(out.Loaded, "kev, 1404 records") {
			t.Fatalf("kev upload: %d %q", st, out.Loaded)
		}
		sb, _ := os.ReadFile("../sbom/testdata/narrow.sbom.json")
		if st := call("POST", "/api/v1/models/"+itoa(e.model)+"/sbom?filename=narrow.json", string(sb), &out); st != 200 || !strings.Contains(out.Loaded, "55 components") {
			t.Fatalf("sbom upload: %d %q", st, out.Loaded)
		}
		x, _ := os.ReadFile("../mds2/testdata/hn1-2019-synthetic.xlsx")
		if st := call("POST", "/api/v1/models/"+itoa(e.model)+"/mds2?filename=f.xlsx", string(x), &out); st != 200 || !strings.Contains(out.Loaded, "HN 1-2019") {
			t.Fatalf("mds2 upload: %d %q", st, out.Loaded)
		}
		var errBody struct{ Error struct{ Message string } }
		if st := call("POST", "/api/v1/models/"+itoa(e.model)+"/mds2?filename=bad.xlsx", "not a workbook", &errBody); st != http.StatusBadRequest || !strings.Contains(errBody.Error.Message, "bad.xlsx") {
			t.Errorf("bad mds2: %d %q", st, errBody.Error.Message)
		}
		var m struct {
			SBOMs []struct {
				Count int `json:"component_count"`
			}
			MDS2 []struct {
				Capabilities map[string]struct{ Value string }
			} `json:"mds2_forms"`
		}
		if st := call("GET", "/api/v1/models/"+itoa(e.model), "", &m); st != 200 || len(m.SBOMs) != 1 || m.SBOMs[0].Count != 55 || len(m.MDS2) != 1 {
			t.Fatalf("model: %d %+v", st, m)
		}
		if v := m.MDS2[0].Capabilities["anti_malware"].Value; v != "no" {
			t.Errorf("anti-malware capability %q, want no", v)
		}
		if st := e.apiAs("viewer")("POST", "/api/v1/intel?filename=kev.json", string(kevJSON), nil); st != http.StatusForbidden {
			t.Errorf("viewer upload: %d, want 403", st)
		}
	})
}
