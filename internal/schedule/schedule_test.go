package schedule

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseInterval(t *testing.T) {
	cases := map[string]Interval{
		"annual": Annual, "Semi-Annual": SemiAnnual, "quarterly": Quarterly, "12": Annual, "6 months": SemiAnnual,
		"6mo": SemiAnnual, "1y": Annual, "2 years": {Months: 24}, "90 days": {Days: 90}, "2w": {Days: 14}, "every 3 months": Quarterly,
	}
	for in, want := range cases {
		if got, err := ParseInterval(in); err != nil || got != want {
			t.Errorf("ParseInterval(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "often", "0", "-3 months", "3 fortnights"} {
		if _, err := ParseInterval(bad); err == nil {
			t.Errorf("ParseInterval(%q) accepted", bad)
		}
	}
	if got := Annual.AddTo(d("2024-02-29")); !got.Equal(d("2025-02-28")) {
		t.Errorf("leap-day + 1 year = %s", got)
	}
	if got := Monthly.AddTo(d("2026-01-31")); !got.Equal(d("2026-02-28")) {
		t.Errorf("31 Jan + 1 month = %s", got)
	}
}

var header = []string{"Scope", "Modality", "Make", "Model Number", "Task Type", "Frequency", "Tolerance", "Basis", "Critical", "EM Score", "Procedure"}

var records = [][]string{
	{"modality", "Infusion Pump", "", "", "PM", "annual", "30 days", "manufacturer", "no", "15", "IP-01"},              //2
	{"modality", "Infusion Pump", "", "", "ESI", "annual", "", "", "", "", ""},                                         //3
	{"modality", "Infusion Pump", "", "", "Cybersecurity check", "6 months", "14d", "aem", "", "", ""},                 //4
	{"model", "Infusion Pump", "BD", "Alaris 8015", "PM", "semi-annual", "", "manufacturer", "", "", "BD-8015"},        //5
	{"model", "Infusion Pump", "BD", "Alaris 8015", "software update & patch review", "quarterly", "", "", "", "", ""}, //6
	{"modality", "Ventilator", "", "", "PM", "6 months", "", "aem", "", "20", ""},                                      //7 AEM on EM 20
	{"modality", "CT Scanner", "", "", "PM", "quarterly", "", "aem", "", "", ""},                                       //8 AEM on imaging
	{"modality", "Physiologic Monitor", "", "", "PM", "annual", "", "", "yes", "", ""},                                 //9
	{"modality", "Physiologic Monitor", "", "", "calibration", "often", "", "", "", "", ""},                            //10 bad interval
	{"model", "Physiologic Monitor", "Philips", "", "PM", "annual", "", "", "", "", ""},                                //11 no model
	{"", "", "", "", "", "", "", "", "", "", ""},                                                                       //12 blank
	{"modality", "Defibrillator", "", "", "PM", "semi-annual", "", "maybe", "", "", ""},                                //13 bad basis
	{"modality", "Infusion Pump", "", "", "PM", "annual", "", "", "", "", ""},                                          //14 duplicate task
}

func TestParseTemplateRows(t *testing.T) {
	ts, errs := ParseTemplateRows(header, records)
	want := map[int]string{10: "Frequency", 11: "Model Number", 13: "Basis", 14: "Task Type"}
	if len(errs) != len(want) {
		t.Fatalf("errors: %v", errs)
	}
	for _, e := range errs {
		if col, ok := want[e.Row]; !ok || e.Column != col {
			t.Errorf("unexpected error %v", e)
		}
		if !strings.Contains(e.Error(), fmt.Sprintf("row %d", e.Row)) {
			t.Errorf("message lacks row: %v", e)
		}
	}
	if len(ts) != 5 {
		t.Fatalf("templates: %+v", ts)
	}
	pump := ts[0]
	if pump.Name() != `modality "Infusion Pump"` || len(pump.Tasks) != 3 || pump.EM != 15 || pump.Row != 2 {
		t.Errorf("pump template %+v", pump)
	}
	if pump.Tasks[1].Type != TaskInspection || pump.Tasks[1].Tolerance != (Interval{Days: 30}) || pump.Tasks[2].Basis != BasisAEM || pump.Tasks[2].Tolerance != (Interval{Days: 14}) {
		t.Errorf("pump tasks %+v", pump.Tasks)
	}

	_, err := NewLibrary(ts, DefaultRules())
	var aem *AEMError
	if !errors.As(err, &aem) {
		t.Fatalf("want AEM refusal, got %v", err)
	}
	msg := err.Error()
	for _, s := range []string{`row 7: modality "Ventilator"`, "EM 20 ≥ 18", `row 8: modality "CT Scanner"`, "imaging or laser"} {
		if !strings.Contains(msg, s) {
			t.Errorf("AEM error lacks %q: %s", s, msg)
		}
	}
	if strings.Contains(msg, "Infusion Pump") {
		t.Errorf("pump (EM 15) AEM wrongly refused: %s", msg)
	}
}

func TestParseTemplateMaps(t *testing.T) {
	rows := []map[string]string{
		{"modality": "Infusion Pump", "task_type": "PM", "interval": "12"},
		{"Modality": "Infusion Pump", "Manufacturer": "BD", "Model": "Alaris 8015", "Task": "PM", "Interval": "6", "AEM": "no"},
		{"Modality": "Infusion Pump", "Task": "PM", "Interval": "12", "EM": "99"},
	}
	ts, errs := ParseTemplateMaps(rows)
	if len(ts) != 2 || ts[1].Scope != ScopeModel || ts[1].Tasks[0].Interval != SemiAnnual {
		t.Errorf("templates %+v", ts)
	}
	if len(errs) != 1 || errs[0].Row != 4 || errs[0].Column != "EM" {
		t.Errorf("errors %v", errs)
	}
}

func testLibrary(t *testing.T) *Library {
	t.Helper()
	ts, errs := ParseTemplateRows(header, records[:5])
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	l, err := NewLibrary(ts, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestResolve(t *testing.T) {
	l := testLibrary(t)
	alaris := Asset{Key: "CN-1", Modality: "infusion pump", Manufacturer: "bd", Model: "ALARIS 8015", EM: 15}
	tasks, err := l.Resolve(alaris)
	if err != nil {
		t.Fatal(err)
	}
	got := map[TaskType]EffectiveTask{}
	for _, k := range tasks {
		got[k.Type] = k
	}
	if pm := got[TaskPM]; pm.Source != SourceModel || pm.Interval != SemiAnnual || !strings.Contains(pm.Explanation, "overriding 1 year") {
		t.Errorf("PM %+v", pm)
	}
	if esi := got[TaskInspection]; esi.Source != SourceModality || esi.Interval != Annual {
		t.Errorf("ESI %+v", esi)
	}
	if sw := got[TaskSoftwareReview]; sw.Source != SourceModel || sw.Interval != Quarterly {
		t.Errorf("SW %+v", sw)
	}
	if len(tasks) != 4 || tasks[0].Type != TaskPM {
		t.Errorf("tasks %+v", tasks)
	}

	// An EM-only asset gets the band default.
	tasks, _ = l.Resolve(Asset{Key: "CN-2", Modality: "suction", EM: 19})
	if len(tasks) != 2 || tasks[0].Source != SourceEMDefault || tasks[0].Interval != Quarterly {
		t.Errorf("EM default %+v", tasks)
	}
	if tasks, _ = l.Resolve(Asset{Key: "CN-3", Modality: "suction", EM: 9}); len(tasks) != 0 {
		t.Errorf("EM 9 should not be in the PM program: %+v", tasks)
	}

	// The pump modality uses AEM for its cybersecurity check: refused for
	// a pump flagged critical on the asset.
	crit := alaris
	crit.Critical = true
	_, err = l.Resolve(crit)
	var aem *AEMError
	if !errors.As(err, &aem) || !strings.Contains(err.Error(), `"ALARIS 8015"`) || !strings.Contains(err.Error(), "flagged critical") {
		t.Errorf("critical asset with AEM: %v", err)
	}
	crit.Critical, crit.EM = false, 18
	if _, err := l.Resolve(crit); err == nil || !strings.Contains(err.Error(), "EM 18 ≥ 18") {
		t.Errorf("EM 18 asset with AEM: %v", err)
	}
}

func TestDueStatuses(t *testing.T) {
	task := EffectiveTask{Task: Task{Type: TaskPM, Interval: Annual, Tolerance: Interval{Days: 30}, Basis: BasisManufacturer}, Source: SourceModality}
	a := Asset{Key: "CN-1", InService: d("2024-01-15")}
	wo := func(key, done string) WorkOrder {
		return WorkOrder{Key: key, AssetKey: "CN-1", Type: "PM", Opened: d(done), Completed: d(done), Result: "pass"}
	}
	cases := []struct {
		name string
		wos  []WorkOrder
		asOf string
		want Status
		due  string
	}{
		{"new, not yet due", nil, "2024-06-01", StatusNotYetDue, "2025-01-15"},
		{"new, window open", nil, "2025-01-01", StatusDue, "2025-01-15"},
		{"new, overdue", nil, "2025-02-15", StatusOverdue, "2025-01-15"},
		{"first PM on time", []WorkOrder{wo("1", "2025-02-10")}, "2025-06-01", StatusCompletedOnTime, "2026-02-10"},
		{"first PM late", []WorkOrder{wo("1", "2025-02-20")}, "2025-06-01", StatusCompletedLate, "2026-02-20"},
		{"second PM late", []WorkOrder{wo("1", "2025-01-10"), wo("2", "2026-03-01")}, "2026-06-01", StatusCompletedLate, "2027-03-01"},
		{"second PM early counts on time", []WorkOrder{wo("1", "2025-01-10"), wo("2", "2025-09-01")}, "2026-01-01", StatusCompletedOnTime, "2026-09-01"},
		{"future completion ignored", []WorkOrder{wo("1", "2025-01-10"), wo("2", "2026-03-01")}, "2026-02-15", StatusOverdue, "2026-01-10"},
		{"cancelled ignored", []WorkOrder{{Key: "1", AssetKey: "CN-1", Type: "PM", Completed: d("2025-01-10"), Result: "Cancelled"}}, "2025-03-01", StatusOverdue, "2025-01-15"},
		{"other task and asset ignored", []WorkOrder{{Key: "1", AssetKey: "CN-1", Type: "ESI", Completed: d("2025-01-10")}, {Key: "2", AssetKey: "CN-9", Type: "PM", Completed: d("2025-01-10")}}, "2025-03-01", StatusOverdue, "2025-01-15"},
	}
	for _, tc := range cases {
		r := Due(a, task, tc.wos, d(tc.asOf))
		if r.Status != tc.want || !r.Due.Equal(d(tc.due)) || r.Explanation == "" {
			t.Errorf("%s: %s due %s; want %s due %s\n%s", tc.name, r.Status, r.Due.Format(dateFmt), tc.want, tc.due, r.Explanation)
		}
	}
	r := Due(Asset{Key: "X"}, task, nil, d("2026-01-01"))
	if r.Status != StatusDue || !strings.Contains(r.Explanation, "no in-service date") {
		t.Errorf("no anchor: %+v", r)
	}
}

func TestCompliance(t *testing.T) {
	mk := func(mod, fac string, s Status) DueResult {
		return DueResult{Asset: Asset{Modality: mod, Facility: fac}, Status: s}
	}
	rs := []DueResult{
		mk("pump", "North", StatusCompletedOnTime), mk("pump", "North", StatusCompletedOnTime), mk("pump", "South", StatusCompletedLate),
		mk("pump", "South", StatusOverdue), mk("pump", "South", StatusNotYetDue), mk("vent", "North", StatusDue), mk("vent", "", StatusCompletedOnTime),
	}
	g := Compliance(rs, ByModality)
	if len(g) != 2 || g[0].Key != "pump" || g[0].Total != 5 || g[0].Percent != 50 || g[0].CompletedPercent != 75 {
		t.Errorf("by modality %+v", g)
	}
	g = Compliance(rs, ByFacility)
	if len(g) != 3 || g[0].Key != "(none)" || g[1].Key != "North" || g[1].Percent != 100 || g[2].Percent != 0 {
		t.Errorf("by facility %+v", g)
	}
	if !strings.Contains(g[2].Explanation, "0 on time of 2") {
		t.Errorf("explanation %s", g[2].Explanation)
	}
}

func TestCheckWorkOrders(t *testing.T) {
	known := map[string]bool{"CN-1": true, "CN-2": true}
	wos := []WorkOrder{
		{Key: "W1", AssetKey: "CN-1", Opened: d("2026-01-02")},
		{Key: "W2", AssetKey: "CN-404", Opened: d("2026-01-02")},
		{Key: "W1", AssetKey: "CN-2"},
		{Key: "", AssetKey: "CN-2"},
		{Key: "W5", AssetKey: "CN-2", Opened: d("2026-01-05"), Completed: d("2026-01-04")},
	}
	valid, probs := CheckWorkOrders(wos, known)
	if len(valid) != 2 || valid[0].Key != "W1" || valid[1].Key != "W5" {
		t.Errorf("valid %+v", valid)
	}
	dropped := 0
	for _, p := range probs {
		if p.Dropped {
			dropped++
		}
	}
	if dropped != 3 || len(probs) != 4 || !strings.Contains(probs[0].String(), "CN-404") {
		t.Errorf("problems %v", probs)
	}
	if len(valid)+dropped != len(wos) {
		t.Error("a work order vanished without a problem")
	}
}

// TestLargeImport parses a 1,200-model file and builds the library.
func TestLargeImport(t *testing.T) {
	var recs [][]string
	for i := range 1200 {
		model := fmt.Sprintf("M-%04d", i)
		recs = append(recs,
			[]string{"model", "Infusion Pump", "Vendor" + fmt.Sprint(i%37), model, "PM", "annual", "30d", "manufacturer", "", "14", ""},
			[]string{"model", "Infusion Pump", "Vendor" + fmt.Sprint(i%37), model, "ESI", "12", "", "aem", "", "14", ""})
	}
	start := time.Now()
	ts, errs := ParseTemplateRows(header, recs)
	if len(errs) > 0 || len(ts) != 1200 {
		t.Fatalf("%d templates, errors %v", len(ts), errs)
	}
	l, err := NewLibrary(ts, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if _, models := l.Len(); models != 1200 {
		t.Errorf("models %d", models)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("import took %s", el)
	}
}
