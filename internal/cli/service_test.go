package cli_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

// TestCLI_SLAReport runs `sla report --format json` over a small fixture
// whose figures are computed by hand:
//
//	W1 critical (infusion pump) repair: responded 20 min, on site 2 h,
//	   restored 12 h → met
//	W2 critical repair: responded 60 min (> 30 min: breach), on site 3 h,
//	   restored 48 h wall with a 12 h pause awaiting parts = 36 h (> 24 h:
//	   breach) → one breached event, two breaches, 12 paused hours
//	W3 non-critical (enteral pump) repair on business hours, New York:
//	   opened Wed 09:00, responded 11:00 (2 h ≤ 4 h), on site Thu 09:00
//	   (8 business h ≤ 9 h), restored Fri 15:00 (24 business h ≤ 45 h) → met
//	W4 opened in April: outside the period
//	W5 critical PM completed 15 days after opening (≤ 30 days) → met
func TestCLI_SLAReport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		code, out, stderr := run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", write(t, "cmms.csv", []byte(header+
			"BM-1,A1,CareFusion,Alaris PC Unit,INFUSION PUMP,Main Campus,ICU 4 West,Active\n"+
			"BM-2,A2,Moog,Infinity,ENTERAL FEEDING PUMP,Main Campus,Med/Surg 5,Active\n")))
		if code != 0 {
			t.Fatalf("import: %s %s", out, stderr)
		}
		wos := "Work Order,Equipment ID,Type,Priority,Opened,Responded,On Site,Completed,Result\n" +
			"W1,BM-1,Repair,1,2026-03-02T08:00:00Z,2026-03-02T08:20:00Z,2026-03-02T10:00:00Z,2026-03-02T20:00:00Z,Completed\n" +
			"W2,BM-1,Repair,1,2026-03-10T08:00:00Z,2026-03-10T09:00:00Z,2026-03-10T11:00:00Z,2026-03-12T08:00:00Z,Completed\n" +
			"W3,BM-2,Repair,2,2026-03-04T14:00:00Z,2026-03-04T16:00:00Z,2026-03-05T14:00:00Z,2026-03-06T20:00:00Z,Completed\n" +
			"W4,BM-2,Repair,2,2026-04-01T14:00:00Z,,,,\n" +
			"W5,BM-1,PM,3,2026-03-05T08:00:00Z,,,2026-03-20T08:00:00Z,Pass\n"
		code, out, stderr = run(t, "", "workorders", "import", write(t, "wo.csv", []byte(wos)), "--db", dsn)
		if code != 0 || !strings.Contains(out, "5 rows: 5 new") {
			t.Fatalf("workorders import: exit %d\n%s\n%s", code, out, stderr)
		}
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, err := st.AddPause(context.Background(), medsec.System, store.PauseRow{EventID: "W2", Reason: "awaiting_parts",
			From: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		code, out, stderr = run(t, "", "sla", "report", "--db", dsn, "--from", "2026-03-01", "--to", "2026-03-31", "--as-of", "2026-05-01", "--format", "json")
		if code != 0 {
			t.Fatalf("sla report: exit %d %s", code, stderr)
		}
		var rep struct {
			Entries []map[string]json.RawMessage `json:"entries"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		type breach struct {
			EventID     string `json:"event_id"`
			Milestone   string `json:"milestone"`
			Explanation string `json:"explanation"`
			Timeline    []struct {
				Kind string `json:"kind"`
			} `json:"timeline"`
		}
		type entry struct {
			Tier        string   `json:"tier"`
			EventType   string   `json:"event_type"`
			Total       int      `json:"total"`
			Met         int      `json:"met"`
			Breached    int      `json:"breached"`
			PausedHours float64  `json:"paused_hours"`
			Breaches    []breach `json:"breaches"`
		}
		var got []entry
		for _, e := range rep.Entries {
			for _, k := range []string{"tier", "event_type", "total", "met", "breached", "paused_hours", "breaches"} {
				if _, ok := e[k]; !ok {
					t.Errorf("entry lacks %q: %v", k, e)
				}
			}
			b, _ := json.Marshal(e)
			var x entry
			json.Unmarshal(b, &x)
			got = append(got, x)
		}
		want := []entry{
			{Tier: "critical", EventType: "device_down", Total: 2, Met: 1, Breached: 1, PausedHours: 12},
			{Tier: "critical", EventType: "pm_completion", Total: 1, Met: 1},
			{Tier: "non_critical", EventType: "device_down", Total: 1, Met: 1},
		}
		if len(got) != len(want) {
			t.Fatalf("entries %+v", got)
		}
		for i, w := range want {
			g := got[i]
			if g.Tier != w.Tier || g.EventType != w.EventType || g.Total != w.Total || g.Met != w.Met || g.Breached != w.Breached || g.PausedHours != w.PausedHours {
				t.Errorf("entry %d = %+v, want %+v", i, g, w)
			}
		}
		bs := got[0].Breaches
		if len(bs) != 2 || bs[0].EventID != "W2" || bs[0].Milestone != "response" || bs[1].Milestone != "resolve" {
			t.Fatalf("breaches %+v", bs)
		}
		if !strings.Contains(bs[1].Explanation, "36h counted") || !strings.Contains(bs[1].Explanation, "paused 12h: awaiting_parts") || !strings.Contains(bs[1].Explanation, "BREACHED at 2026-03-11T20:00:00Z") {
			t.Errorf("restore breach explanation: %s", bs[1].Explanation)
		}
		paused := false
		for _, s := range bs[1].Timeline {
			paused = paused || s.Kind == "paused"
		}
		if !paused {
			t.Errorf("restore timeline lacks the pause: %+v", bs[1].Timeline)
		}
		// CSV: summary rows and one row per breach.
		code, out, _ = run(t, "", "sla", "report", "--db", dsn, "--from", "2026-03-01", "--to", "2026-03-31", "--as-of", "2026-05-01", "--format", "csv")
		if code != 0 || strings.Count(out, "\nsummary,") != 3 || strings.Count(out, "\nbreach,") != 2 {
			t.Errorf("csv report:\n%s", out)
		}
	})
}

func TestCLI_ServiceImportsRefuse(t *testing.T) {
	dsn := testdb.SQLite(t)
	run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", write(t, "cmms.csv", []byte(header+
		"BM-1,A1,CareFusion,Alaris PC Unit,INFUSION PUMP,Main Campus,ICU 4 West,Active\n")))
	code, out, stderr := run(t, "", "schedules", "import", "--db", dsn, write(t, "t.csv", []byte("Modality,Task,Interval,Basis,Critical\nVentilator,PM,annual,AEM,yes\n")))
	if code == 0 || !strings.Contains(stderr, "row 2") || !strings.Contains(stderr, "AEM interval for preventive_maintenance refused") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("AEM refusal: exit %d\n%s\n%s", code, out, stderr)
	}
	code, _, stderr = run(t, "", "workorders", "import", "--db", dsn, write(t, "w.csv", []byte("WO,Asset Tag,Opened\nW1,BM-1,05/06/2026\nW2,BM-9,2026-05-07\n")))
	if code == 0 || !strings.Contains(stderr, `row 2, column "Opened": ambiguous date "05/06/2026"`) || !strings.Contains(stderr, `row 3, column "Asset Tag": asset "BM-9" is not in the inventory`) {
		t.Errorf("work-order refusal: exit %d %s", code, stderr)
	}
	code, out, stderr = run(t, "", "workorders", "import", "--db", dsn, "--dates", "dmy", "--skip-bad-rows", write(t, "w.csv", []byte("WO,Asset Tag,Opened\nW1,BM-1,05/06/2026\nW2,BM-9,2026-05-07\n")))
	if code != 0 || !strings.Contains(out, "1 new, 0 updated, 1 skipped") || !strings.Contains(out, `asset "BM-9"`) {
		t.Errorf("skip bad rows: exit %d\n%s\n%s", code, out, stderr)
	}
}

// TestCLI_SLAPolicy: `sla policy show` prints an editable document that
// `sla policy set` takes back; a bad file is refused with its reasons;
// `bench sla` and `sla bench` are the same command.
func TestCLI_SLAPolicy(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		code, out, stderr := run(t, "", "sla", "policy", "show", "--db", dsn)
		if code != 0 || !strings.Contains(out, `"resolve": "5bd"`) || !strings.Contains(out, `"08:00-17:00"`) {
			t.Fatalf("policy show: exit %d\n%s\n%s", code, out, stderr)
		}
		doc := strings.Replace(out, `"response": "30m"`, `"response": "20m"`, 1)
		code, out, stderr = run(t, "", "sla", "policy", "set", write(t, "p.json", []byte(doc)), "--db", dsn)
		if code != 0 || !strings.Contains(out, "saved SLA policy") {
			t.Fatalf("policy set: exit %d\n%s\n%s", code, out, stderr)
		}
		if _, out, _ = run(t, "", "sla", "policy", "show", "--db", dsn); !strings.Contains(out, `"response": "20m"`) {
			t.Errorf("policy not saved:\n%s", out)
		}
		bad := strings.Replace(strings.Replace(doc, `"America/New_York"`, `"America/Gotham"`, 1), `"pm_completion"`, `"pm"`, 1)
		code, _, stderr = run(t, "", "sla", "policy", "set", write(t, "bad.json", []byte(bad)), "--db", dsn)
		if code == 0 || !strings.Contains(stderr, `unknown time zone "America/Gotham"`) || !strings.Contains(stderr, `unknown event type "pm"; valid event types are`) {
			t.Errorf("bad policy: exit %d %s", code, stderr)
		}
		code, out, stderr = run(t, "", "sla", "credits", "set", write(t, "c.json", []byte(`{"monthly_fee_cents": 500000, "cap_percent": 10, "credits": [{"event_type": "device_down", "percent_per_breach": 1}]}`)), "--db", dsn)
		if code != 0 {
			t.Errorf("credits set: exit %d %s %s", code, out, stderr)
		}
		if _, out, _ = run(t, "", "sla", "credits", "show", "--db", dsn); !strings.Contains(out, `"monthly_fee_cents": 500000`) {
			t.Errorf("credits show:\n%s", out)
		}
		if code, out, _ = run(t, "", "bench", "--help"); code != 0 || !strings.Contains(out, "bench sla") {
			t.Errorf("bench help: %d %s", code, out)
		}
		// An empty database: the bench loader refuses clearly under both names.
		for _, args := range [][]string{{"bench", "sla", "--workorders", "10", "--db", dsn}, {"sla", "bench", "--workorders", "10", "--db", dsn}} {
			if code, _, stderr = run(t, "", args...); code == 0 || !strings.Contains(stderr, "no assets") {
				t.Errorf("%v: exit %d %s", args, code, stderr)
			}
		}
	})
}
