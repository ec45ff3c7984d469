package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/auth"
	"github.com/medsec/medsec/internal/schedule"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

// serviceID returns, for the route walk, a work order on BM-001: its id
// for /workorders/{id}, its key for /sla/events/{id}. The work order is
// created on first use.
func (e *env) serviceID(p string) string {
	ctx := context.Background()
	wo, err := e.st.WorkOrderByKey(ctx, "WT-1", 0)
	if err != nil {
		opened := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		if _, _, err := e.st.SaveWorkOrders(ctx, medsec.System, "test", []store.WorkOrderRow{{AssetID: e.assets["BM-001"],
			WorkOrder: schedule.WorkOrder{Key: "WT-1", AssetKey: "BM-001", Type: "Repair", Opened: opened, Responded: opened.Add(10 * time.Minute)}}}); err != nil {
			e.t.Fatal(err)
		}
		if wo, err = e.st.WorkOrderByKey(ctx, "WT-1", 0); err != nil {
			e.t.Fatal(err)
		}
	}
	if strings.Contains(p, "/sla/events/") {
		return "F" + itoa(e.finding) + "-triage" // work-order events redirect to /workorders/{id}
	}
	return itoa(wo.ID)
}

func (e *env) token(t *testing.T, user string) string {
	u, _, err := e.st.UserByName(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	tok := auth.NewToken("msk_")
	if _, err := e.st.CreateToken(context.Background(), medsec.System, u.ID, "t", auth.HashToken(tok)); err != nil {
		t.Fatal(err)
	}
	return tok
}

func send(t *testing.T, method, u, token string, body any, v any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, u, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
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

type apiClock struct {
	Milestone string        `json:"milestone"`
	State     string        `json:"state"`
	Elapsed   time.Duration `json:"elapsed"`
	Paused    time.Duration `json:"paused"`
	Timeline  []struct {
		Kind   string `json:"kind"`
		Reason string `json:"reason"`
	} `json:"timeline"`
}

type apiEventOut struct {
	SLA struct {
		State  string     `json:"state"`
		Clocks []apiClock `json:"clocks"`
		Notes  []string   `json:"notes"`
	} `json:"sla"`
	Pauses []store.PauseRow `json:"pauses"`
	Error  struct {
		Message string `json:"message"`
	} `json:"error"`
}

// TestAPI_PausesAndExceptions: a pause stops a work order's clocks, and an
// approved risk exception suspends a finding's patch clock; the approver
// may not be the requester. Both backends, through the API.
func TestAPI_PausesAndExceptions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		// The clock: a fixed "now" so that elapsed times are exact.
		now := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
		e.st.Now = func() time.Time { return now }
		htm, admin, provider, viewer := e.token(t, "htm"), e.token(t, "admin"), e.token(t, "provider"), e.token(t, "viewer")
		base := e.srv.URL + "/api/v1"

		// A critical device-down work order (infusion pump): opened 24 h
		// ago, responded after 10 min, technician not yet on site.
		var wo store.WorkOrderRow
		if st := send(t, "POST", base+"/workorders", htm, map[string]string{"key": "WO-100", "asset": "BM-001", "type": "Repair",
			"opened": "2026-03-02T09:00:00Z", "responded": "2026-03-02T09:10:00Z"}, &wo); st != 200 || wo.ID == 0 {
			t.Fatalf("create work order: %d %+v", st, wo)
		}
		if st := send(t, "POST", base+"/workorders", viewer, map[string]string{"key": "WO-101", "asset": "BM-001", "opened": "2026-03-02"}, nil); st != 403 {
			t.Errorf("viewer creating a work order: %d, want 403", st)
		}
		if st := send(t, "POST", base+"/workorders", provider, map[string]string{"key": "WO-102", "asset": "BM-001", "opened": "2026-03-02"}, nil); st != 403 {
			t.Errorf("provider creating a work order outside its scope: %d, want 403", st)
		}
		var out apiEventOut
		getJSON(t, http.DefaultClient, base+"/workorders/"+itoa(wo.ID), htm, &out)
		onSite := func(o apiEventOut) apiClock {
			for _, c := range o.SLA.Clocks {
				if c.Milestone == "on_site" {
					return c
				}
			}
			t.Fatalf("no on-site clock in %+v", o)
			return apiClock{}
		}
		if c := onSite(out); c.State != "breached" || c.Elapsed != 24*time.Hour {
			t.Errorf("before the pause: on-site clock %+v, want breached after 24h", c)
		}
		// A pause awaiting parts from 09:30 to 23:30 (14 h) takes the
		// clock back to 10 h counted… still over the 4 h target.
		if st := send(t, "POST", base+"/workorders/"+itoa(wo.ID)+"/pauses", htm, map[string]string{"reason": "awaiting_parts", "note": "PO 1",
			"from": "2026-03-02T09:30:00Z", "to": "2026-03-02T23:30:00Z"}, &out); st != 200 {
			t.Fatalf("pause: %d %+v", st, out)
		}
		c := onSite(out)
		if c.Elapsed != 10*time.Hour || c.Paused != 14*time.Hour {
			t.Errorf("after the pause: elapsed %s paused %s, want 10h and 14h", c.Elapsed, c.Paused)
		}
		found := false
		for _, s := range c.Timeline {
			found = found || (s.Kind == "paused" && strings.Contains(s.Reason, "awaiting_parts"))
		}
		if !found || len(out.Pauses) != 1 {
			t.Errorf("timeline does not show the pause: %+v", c.Timeline)
		}
		// A pause without a reason is refused.
		if st := send(t, "POST", base+"/sla/pauses", htm, map[string]string{"event_id": "WO-100", "from": "2026-03-02T10:00:00Z"}, &out); st != 400 {
			t.Errorf("pause without reason: %d", st)
		}
		// An open pause, ended through the API.
		var open apiEventOut
		var pid struct {
			PauseID int64 `json:"pause_id"`
		}
		send(t, "POST", base+"/sla/pauses", htm, map[string]string{"event_id": "WO-100", "reason": "device_clinically_unavailable", "from": "2026-03-03T05:00:00Z"}, &pid)
		if st := send(t, "POST", base+"/sla/pauses/"+itoa(pid.PauseID)+"/end", htm, map[string]string{"at": "2026-03-03T07:00:00Z"}, &open); st != 200 {
			t.Fatalf("end pause: %d %+v", st, open)
		}
		if c := onSite(open); c.Elapsed != 8*time.Hour {
			t.Errorf("after a second 2 h pause: elapsed %s, want 8h", c.Elapsed)
		}

		// Patch clock: the manufacturer validated the fix on 21 February
		// (midnight UTC): 249 h before now.
		f, err := e.st.TransitionFinding(ctx, medsec.System, e.finding, medsec.FindingTransition{To: medsec.FindingFixValidated, FixValidatedOn: "2026-02-21"})
		if err != nil {
			t.Fatal(err)
		}
		patch := "/sla/events/F" + itoa(f.ID) + "-patch"
		var ev apiEventOut
		if st := getJSON(t, http.DefaultClient, base+patch, htm, &ev); st != 200 || len(ev.SLA.Clocks) != 1 || ev.SLA.Clocks[0].Elapsed != 249*time.Hour {
			t.Fatalf("patch clock: %d %+v", st, ev)
		}
		// A risk exception on the asset: requested by htm; htm cannot
		// approve it (no agreement right), admin can.
		var req struct {
			ID int64 `json:"id"`
		}
		if st := send(t, "POST", base+"/exceptions", htm, map[string]any{"asset": "BM-001", "decision": "reduce", "reason": "end of support",
			"controls": []string{"segmentation", "NAC"}, "expiry": "2026-03-10"}, &req); st != 200 || req.ID == 0 {
			t.Fatalf("request exception: %d", st)
		}
		if st := send(t, "POST", base+"/exceptions/"+itoa(req.ID)+"/approve", htm, nil, nil); st != 403 {
			t.Errorf("htm approving: %d, want 403", st)
		}
		// Not yet approved: the clock runs on.
		getJSON(t, http.DefaultClient, base+patch, htm, &ev)
		if ev.SLA.Clocks[0].Elapsed != 249*time.Hour {
			t.Errorf("pending exception changed the clock: %+v", ev.SLA.Clocks[0])
		}
		// Approved one day later: suspended from then until expiry.
		now = now.Add(24 * time.Hour)
		if st := send(t, "POST", base+"/exceptions/"+itoa(req.ID)+"/approve", admin, nil, nil); st != 200 {
			t.Fatalf("admin approving: %d", st)
		}
		now = now.Add(48 * time.Hour)
		getJSON(t, http.DefaultClient, base+patch, htm, &ev)
		if c := ev.SLA.Clocks[0]; c.Elapsed != 273*time.Hour || c.Paused != 48*time.Hour {
			t.Errorf("with the exception: elapsed %s paused %s, want 273h and 48h", c.Elapsed, c.Paused)
		}
		// Its requester may not approve their own request.
		var req2 struct {
			ID int64 `json:"id"`
		}
		send(t, "POST", base+"/exceptions", admin, map[string]any{"asset": "BM-002", "decision": "accept", "reason": "legacy", "expiry": "2026-09-01"}, &req2)
		if st := send(t, "POST", base+"/exceptions/"+itoa(req2.ID)+"/approve", admin, nil, &out); st != 403 || !strings.Contains(out.Error.Message, "second person") {
			t.Errorf("self-approval: %d %q", st, out.Error.Message)
		}
		var list struct {
			Items []struct {
				ID    int64  `json:"id"`
				State string `json:"state"`
			} `json:"items"`
			Soon []struct {
				ID int64 `json:"id"`
			} `json:"expiring_soon"`
		}
		getJSON(t, http.DefaultClient, base+"/exceptions", viewer, &list)
		if len(list.Items) != 2 || len(list.Soon) != 1 || list.Soon[0].ID != req.ID {
			t.Errorf("exceptions list: %+v", list)
		}
	})
}

// TestAPI_SLAPolicyAndUploads: the SLA policy and credit terms through
// the API (validated, audited with before and after, compliance may change
// them, the HTM role may not); schedule templates and work orders uploaded
// as files (dry run, all or nothing, skip bad rows, provider scope); the
// triage clock stops at the finding's first status change. Both backends.
func TestAPI_SLAPolicyAndUploads(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		admin := e.apiAs("admin")
		htm := e.apiAs("htm")
		provider := e.apiAs("provider")

		// Policy: the default is shown; a bad one is refused with every reason.
		var pol struct {
			Policy struct {
				Rules []struct {
					Tier      string `json:"tier"`
					EventType string `json:"event_type"`
					Response  string `json:"response"`
				} `json:"rules"`
			} `json:"policy"`
			EventTypes []string `json:"event_types"`
		}
		if st := htm("GET", "/api/v1/sla/policy", "", &pol); st != 200 || len(pol.Policy.Rules) != 10 || len(pol.EventTypes) != 5 {
			t.Fatalf("GET policy: %d %+v", st, pol)
		}
		bad := `{"name":"x","calendars":[{"name":"biz","time_zone":"Mars/Olympus","week":{"monday":["08:00-17:00"]}},{"name":"24x7","twenty_four_seven":true}],
			"rules":[{"tier":"critical","event_type":"device_down","response":"-30m","calendar":"24x7"},{"tier":"critical","event_type":"printer_jam","resolve":"4h","calendar":"24x7"}]}`
		var errOut struct{ Error struct{ Message string } }
		if st := admin("PUT", "/api/v1/sla/policy", bad, &errOut); st != 400 ||
			!strings.Contains(errOut.Error.Message, `unknown time zone "Mars/Olympus"`) ||
			!strings.Contains(errOut.Error.Message, "negative") ||
			!strings.Contains(errOut.Error.Message, `unknown event type "printer_jam"; valid event types are device_down, security_incident, vulnerability_triage, patch_deployment, pm_completion`) {
			t.Errorf("bad policy: %d %q", st, errOut.Error.Message)
		}
		good := `{"name":"contract 2026","at_risk_fraction":0.5,"calendars":[{"name":"24x7","twenty_four_seven":true},
			{"name":"business","time_zone":"Europe/Berlin","week":{"monday":["08:00-16:00"],"tuesday":["08:00-16:00"]},"holidays":[{"date":"2026-12-25","name":"Christmas"}]}],
			"rules":[{"tier":"critical","event_type":"device_down","response":"15m","on_site":"2h","resolve":"12h","calendar":"24x7"},
			{"tier":"non_critical","event_type":"device_down","response":"4h","resolve":"2bd","calendar":"business"}],"tiering":{"default":"non_critical"}}`
		if st := htm("PUT", "/api/v1/sla/policy", good, nil); st != 403 {
			t.Errorf("htm changing the policy: %d, want 403", st)
		}
		if st := admin("PUT", "/api/v1/sla/policy", good, &pol); st != 200 || len(pol.Policy.Rules) != 2 || pol.Policy.Rules[0].Response != "15m" {
			t.Fatalf("PUT policy: %d %+v", st, pol)
		}
		var audit struct {
			Items []struct {
				Entity string          `json:"entity"`
				Before json.RawMessage `json:"before"`
				After  json.RawMessage `json:"after"`
			} `json:"items"`
		}
		admin("GET", "/api/v1/audit", "", &audit)
		found := false
		for _, a := range audit.Items {
			if a.Entity == "service_setting" && strings.Contains(string(a.After), "contract 2026") {
				found = true
			}
		}
		if !found {
			t.Errorf("no audit record with the new policy: %+v", audit.Items[:min(3, len(audit.Items))])
		}
		// Credits.
		if st := admin("PUT", "/api/v1/sla/credits", `{"monthly_fee_cents":100000,"cap_percent":150,"credits":[{"event_type":"coffee","percent_per_breach":1}]}`, &errOut); st != 400 ||
			!strings.Contains(errOut.Error.Message, "cap_percent") || !strings.Contains(errOut.Error.Message, `unknown event type "coffee"`) {
			t.Errorf("bad credits: %d %q", st, errOut.Error.Message)
		}
		var cr struct {
			MonthlyFeeCents int64 `json:"monthly_fee_cents"`
		}
		if st := admin("PUT", "/api/v1/sla/credits", `{"monthly_fee_cents":100000,"cap_percent":10,"credits":[{"tier":"critical","event_type":"device_down","percent_per_breach":1}]}`, &cr); st != 200 || cr.MonthlyFeeCents != 100000 {
			t.Errorf("PUT credits: %d %+v", st, cr)
		}

		// Schedule templates: dry run stores nothing; AEM on critical refused by row; providers may not.
		var tres struct {
			Result struct {
				Problems []struct{ Row int } `json:"problems"`
				DryRun   bool                `json:"dry_run"`
				Added    int                 `json:"added"`
			} `json:"result"`
		}
		tpl := "Scope,Modality,Manufacturer,Model,Task,Interval,Tolerance,Basis\nmodality,Infusion pump,,,PM,annual,30 days,manufacturer\n"
		if st := htm("POST", "/api/v1/schedules/templates?filename=t.csv&dry_run=true", tpl, &tres); st != 200 || !tres.Result.DryRun {
			t.Errorf("template dry run: %d %+v", st, tres)
		}
		if ts, _ := e.st.Templates(ctx); len(ts) != 0 {
			t.Errorf("dry run stored %d templates", len(ts))
		}
		badTpl := tpl + "modality,CT scanner,,,PM,semi-annual,30 days,aem\n"
		if st := htm("POST", "/api/v1/schedules/templates?filename=t.csv", badTpl, &tres); st != 400 || len(tres.Result.Problems) != 1 || tres.Result.Problems[0].Row != 3 {
			t.Errorf("AEM template: %d %+v", st, tres)
		}
		if st := provider("POST", "/api/v1/schedules/templates?filename=t.csv", tpl, nil); st != 403 {
			t.Errorf("provider uploading templates: %d, want 403", st)
		}
		if st := htm("POST", "/api/v1/schedules/templates?filename=t.csv", tpl, &tres); st != 201 || tres.Result.Added != 1 {
			t.Errorf("template import: %d %+v", st, tres)
		}

		// Work orders: one bad row refuses the file; skip_bad_rows keeps the good one.
		var wres struct {
			Result struct {
				Problems []struct {
					Row    int
					Column string
				} `json:"problems"`
				Added, Skipped int
			} `json:"result"`
		}
		wos := "Work Order,Equipment ID,Type,Opened,Completed,Result\nW1,BM-001,Repair,2026-03-02 09:00,2026-03-02 12:00,Completed\nW2,NOPE-9,Repair,2026-03-02,,\n"
		if st := htm("POST", "/api/v1/workorders/import?filename=w.csv", wos, &wres); st != 400 || len(wres.Result.Problems) != 1 ||
			wres.Result.Problems[0].Row != 3 || wres.Result.Problems[0].Column != "Equipment ID" {
			t.Errorf("bad work-order file: %d %+v", st, wres)
		}
		if _, err := e.st.WorkOrderByKey(ctx, "W1", 0); err == nil {
			t.Error("a refused file stored W1")
		}
		if st := htm("POST", "/api/v1/workorders/import?filename=w.csv&skip_bad_rows=true", wos, &wres); st != 201 || wres.Result.Added != 1 || wres.Result.Skipped != 1 {
			t.Errorf("skip bad rows: %d %+v", st, wres)
		}
		// The demo provider's scope is empty here: every asset is outside it.
		if st := provider("POST", "/api/v1/workorders/import?filename=w.csv", "Work Order,Equipment ID,Opened\nW3,BM-002,2026-03-02\n", &wres); st != 400 ||
			len(wres.Result.Problems) != 1 {
			t.Errorf("provider importing outside its scope: %d %+v", st, wres)
		}

		// Triage stops at the first change away from open, not the latest.
		// (The policy above has no triage targets: that is a clear 404.)
		if st := admin("GET", "/api/v1/sla/events/F"+itoa(e.finding)+"-triage", "", &errOut); st != 404 || !strings.Contains(errOut.Error.Message, "sets no target") {
			t.Errorf("event without a target: %d %q", st, errOut.Error.Message)
		}
		e.st.DB().ExecContext(ctx, "DELETE FROM service_settings WHERE name = 'sla_policy'")
		sec := e.apiAs("security")
		first := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		e.st.Now = func() time.Time { return first }
		if st := sec("POST", "/api/v1/findings/"+itoa(e.finding)+"/transition", `{"status":"in_triage","reason":"checking firmware"}`, nil); st != 200 {
			t.Fatalf("transition: %d", st)
		}
		e.st.Now = func() time.Time { return first.Add(20 * 24 * time.Hour) }
		if st := sec("POST", "/api/v1/findings/"+itoa(e.finding)+"/transition", `{"status":"awaiting_manufacturer","reason":"no fix yet"}`, nil); st != 200 {
			t.Fatalf("transition: %d", st)
		}
		var ev struct {
			Event struct {
				Resolved time.Time `json:"resolved"`
			} `json:"event"`
		}
		if st := admin("GET", "/api/v1/sla/events/F"+itoa(e.finding)+"-triage", "", &ev); st != 200 || !ev.Event.Resolved.Equal(first) {
			t.Errorf("triage resolved at %v (status %d), want the first change %v", ev.Event.Resolved, st, first)
		}
	})
}
