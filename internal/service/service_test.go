package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/schedule"
	"github.com/medsec/medsec/internal/service"
	"github.com/medsec/medsec/internal/sla"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/tabular"
	"github.com/medsec/medsec/internal/testdb"
)

const cmms = "Equipment ID,Serial Number,Manufacturer,Model,Device Type,Facility,Department,Status,EM Number,Acquisition Date\n" +
	"BM-001,SN1,CareFusion,Alaris PC Unit,INFUSION PUMP,General Hospital,ICU 4 West,Active,15,2020-01-15\n" +
	"BM-002,SN2,GE Medical Systems,CARESCAPE B650,PATIENT MONITOR,General Hospital,Med/Surg 5,Active,13,2020-01-15\n" +
	"BM-003,SN3,Philips,IntelliVue MX450,PATIENT MONITOR,Clinic North,Outpatient Clinic,Active,13,2020-01-15\n"

func open(t *testing.T, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := importer.ImportCMMS(ctx, st, medsec.System, "cmms.csv", strings.NewReader(cmms), importer.Options{}); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestImportTemplates(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		st := open(t, dsn)
		ctx := context.Background()
		// AEM on critical equipment is refused, naming the row; nothing is stored.
		bad := "Scope,Modality,Manufacturer,Model,Task,Interval,Basis,Critical,EM\n" +
			"modality,Infusion pump,,,PM,annual,manufacturer,no,15\n" +
			"modality,Ventilator,,,PM,annual,aem,yes,20\n" +
			"modality,CT scanner,,,PM,semi-annual,aem,no,\n"
		res, err := service.ImportTemplates(ctx, st, medsec.System, "templates.csv", strings.NewReader(bad), tabular.Options{})
		if err == nil || !strings.Contains(err.Error(), "row 3") || !strings.Contains(err.Error(), "AEM") || !strings.Contains(err.Error(), "row 4") {
			t.Fatalf("AEM on critical equipment: %v", err)
		}
		if len(res.Problems) != 2 || res.Problems[0].Row != 3 {
			t.Errorf("problems %+v", res.Problems)
		}
		if ts, _ := st.Templates(ctx); len(ts) != 0 {
			t.Errorf("a refused file stored %d templates", len(ts))
		}
		// A large hospital: 1,200 make/model templates plus the modalities.
		var b strings.Builder
		b.WriteString("Scope,Modality,Manufacturer,Model,Task,Interval,Tolerance,Basis\n")
		b.WriteString("modality,Infusion pump,,,PM,annual,30 days,manufacturer\nmodality,Physiologic monitor,,,PM,annual,30 days,manufacturer\n")
		for i := range 1200 {
			fmt.Fprintf(&b, "model,Physiologic monitor,Maker %d,Model %d,PM,semi-annual,14 days,manufacturer\n", i%40, i)
			fmt.Fprintf(&b, "model,Physiologic monitor,Maker %d,Model %d,Electrical safety,annual,30 days,aem\n", i%40, i)
		}
		res, err = service.ImportTemplates(ctx, st, medsec.System, "big.csv", strings.NewReader(b.String()), tabular.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Models != 1200 || res.Modalities != 2 || res.Added != 1202 {
			t.Errorf("big import: %+v", res)
		}
		// Re-import is idempotent; a change updates one template.
		again := strings.Replace(b.String(), "Model 7,PM,semi-annual", "Model 7,PM,quarterly", 1)
		res, err = service.ImportTemplates(ctx, st, medsec.System, "big.csv", strings.NewReader(again), tabular.Options{})
		if err != nil || res.Added != 0 || res.Changed != 1 {
			t.Errorf("re-import: %+v %v", res, err)
		}
		lib, err := service.Library(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if m, n := lib.Len(); m != 2 || n != 1200 {
			t.Errorf("library %d modality %d model templates", m, n)
		}
	})
}

func TestImportWorkOrders(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		st := open(t, dsn)
		ctx := context.Background()
		imp := func(body string, opt service.WorkOrderOptions) (*service.WorkOrderImport, error) {
			return service.ImportWorkOrders(ctx, st, medsec.System, "wo.csv", strings.NewReader(body), opt)
		}
		head := "WO Number,Equipment ID,WO Type,Priority,Date Opened,Responded,Arrived On Site,Date Completed,Result\n"
		// 03/04/2026 is 3 April or 4 March: nothing in the file settles it.
		res, err := imp(head+"W1,BM-001,Repair,1,2026-03-01 08:00,2026-03-01 08:20,,,\nW2,BM-002,PM,3,03/04/2026,,,,\n", service.WorkOrderOptions{})
		if err == nil || !strings.Contains(err.Error(), `row 3, column "Date Opened": ambiguous date "03/04/2026"`) {
			t.Fatalf("ambiguous date: %v", err)
		}
		if n, _ := count(st); n != 0 || res.Added != 0 {
			t.Errorf("a refused file stored %d work orders", n)
		}
		// A day over 12 elsewhere in the file proves M/D: accepted.
		res, err = imp(head+"W1,BM-001,Repair,1,03/01/2026 8:00 AM,03/01/2026 8:20 AM,03/01/2026 10:00 AM,03/02/2026 4:30 PM,Completed\n"+
			"W2,BM-002,PM,3,03/04/2026,,,03/15/2026,Pass\n"+
			"W3,BM-003,ESI,3,2026-03-05T09:00:00-05:00,,,2026-03-05T11:00:00Z,Pass\n", service.WorkOrderOptions{})
		if err != nil || res.Added != 3 || res.Convention != "M/D/YYYY" {
			t.Fatalf("US dates: %+v %v", res, err)
		}
		w1, _ := st.WorkOrderByKey(ctx, "W1", 0)
		if !w1.OnSite.Equal(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)) || !w1.Completed.Equal(time.Date(2026, 3, 2, 16, 30, 0, 0, time.UTC)) {
			t.Errorf("W1 times %+v", w1)
		}
		w3, _ := st.WorkOrderByKey(ctx, "W3", 0)
		if !w3.Opened.Equal(time.Date(2026, 3, 5, 14, 0, 0, 0, time.UTC)) {
			t.Errorf("zoned time: %s", w3.Opened)
		}
		// Unknown asset keys are reported with their rows; the batch is
		// refused unless --skip-bad-rows.
		body := head + "W1,BM-001,Repair,1,2026-03-01 08:00,2026-03-01 08:15,,,\n" + "W4,XX-404,Repair,2,2026-03-02,,,,\n" + "W5,XX-405,PM,3,2026-03-02,,,,\n"
		res, err = imp(body, service.WorkOrderOptions{})
		if err == nil || !strings.Contains(err.Error(), `row 3, column "Equipment ID": asset "XX-404" is not in the inventory`) || !strings.Contains(err.Error(), "row 4") {
			t.Fatalf("unknown assets: %v", err)
		}
		if len(res.Problems) != 2 {
			t.Errorf("problems %+v", res.Problems)
		}
		res, err = imp(body, service.WorkOrderOptions{SkipBadRows: true})
		if err != nil || res.Added != 0 || res.Updated != 1 || res.Skipped != 2 || len(res.Problems) != 2 {
			t.Fatalf("skip bad rows: %+v %v", res, err)
		}
		// Re-importing W1 updated it (idempotent by key).
		w1, _ = st.WorkOrderByKey(ctx, "W1", 0)
		if n, _ := count(st); n != 3 || !w1.Responded.Equal(time.Date(2026, 3, 1, 8, 15, 0, 0, time.UTC)) || !w1.Completed.IsZero() {
			t.Errorf("after re-import: %d work orders, W1 %+v", n, w1)
		}
		// A file without the key columns is refused with its header.
		if _, err := imp("Foo,Bar\n1,2\n", service.WorkOrderOptions{}); err == nil || !strings.Contains(err.Error(), "no key column") {
			t.Errorf("bad header: %v", err)
		}
	})
}

func count(st *store.Store) (int, error) {
	_, n, err := st.WorkOrders(context.Background(), store.WorkOrderFilter{Limit: 1})
	return n, err
}

func TestSchedulesAndCompliance(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		st := open(t, dsn)
		ctx := context.Background()
		tpl := "Scope,Modality,Manufacturer,Model,Task,Interval,Tolerance,Basis\n" +
			"modality,Infusion pump,,,PM,annual,30 days,manufacturer\n" +
			"modality,Physiologic monitor,,,PM,annual,30 days,manufacturer\n" +
			"modality,Physiologic monitor,,,Electrical safety,annual,30 days,manufacturer\n" +
			"model,Physiologic monitor,Philips,IntelliVue MX450,PM,semi-annual,15 days,manufacturer\n"
		if _, err := service.ImportTemplates(ctx, st, medsec.System, "t.csv", strings.NewReader(tpl), tabular.Options{}); err != nil {
			t.Fatal(err)
		}
		// BM-001: PM on time twice. BM-002: PM done late, ESI never (overdue).
		// BM-003 (model override, semi-annual): PM done on time, then due.
		wos := "WO,Equipment ID,Type,Opened,Completed,Result\n" +
			"P1,BM-001,PM,2025-01-10,2025-01-14,Pass\n" +
			"P2,BM-001,PM,2026-01-05,2026-01-12,Pass\n" +
			"P3,BM-002,PM,2025-01-10,2025-01-15,Pass\n" +
			"P4,BM-002,PM,2026-03-01,2026-03-20,Pass\n" +
			"P5,BM-003,PM,2025-09-01,2025-09-05,Pass\n" +
			"P6,BM-003,PM,2026-02-20,2026-03-01,Pass\n" +
			"P7,BM-003,ESI,2026-02-20,2026-03-01,Could not locate\n"
		if _, err := service.ImportWorkOrders(ctx, st, medsec.System, "w.csv", strings.NewReader(wos), service.WorkOrderOptions{}); err != nil {
			t.Fatal(err)
		}
		asOf := time.Date(2026, 8, 20, 0, 0, 0, 0, time.UTC)
		s, err := service.ComputeSchedules(ctx, st, 0, asOf)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]schedule.Status{}
		for _, r := range s.Results {
			got[r.Asset.Key+"/"+string(r.Task.Type)] = r.Status
		}
		want := map[string]schedule.Status{
			"BM-001/preventive_maintenance":       schedule.StatusCompletedOnTime,
			"BM-001/electrical_safety_inspection": schedule.StatusOverdue, // EM 15: the EM-band default applies
			"BM-002/preventive_maintenance":       schedule.StatusCompletedLate,
			"BM-002/electrical_safety_inspection": schedule.StatusOverdue, // in service 2020: due 2021
			"BM-003/preventive_maintenance":       schedule.StatusDue,     // 2026-03-01 + 6 months ± 15 days
			"BM-003/electrical_safety_inspection": schedule.StatusOverdue, // could not locate is not done
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: %q, want %q", k, got[k], w)
			}
		}
		if len(s.Results) != 6 {
			t.Errorf("%d results, want 6: %v", len(s.Results), got)
		}
		comp := s.Compliance()
		mod := map[string]schedule.ComplianceGroup{}
		for _, g := range comp["modality"] {
			mod[g.Key] = g
		}
		if g := mod["Physiologic monitor"]; g.OnTime != 0 || g.Late != 1 || g.Overdue != 2 || g.Due != 1 || g.Percent != 0 {
			t.Errorf("monitors: %+v", g)
		}
		if g := mod["Infusion pump"]; g.OnTime != 1 || g.Overdue != 1 || g.Percent != 50 {
			t.Errorf("pumps: %+v", g)
		}
		fac := map[string]schedule.ComplianceGroup{}
		for _, g := range comp["facility"] {
			fac[g.Key] = g
		}
		if g := fac["General Hospital"]; g.Total != 4 || g.OnTime != 1 || g.Late != 1 || g.Overdue != 2 || g.Percent != 25 {
			t.Errorf("General Hospital: %+v", g)
		}
		// Providers: Acme services Clinic North; the rest is in-house, and
		// the provider's own view is limited to its scope.
		p, _ := st.EnsureParty(ctx, medsec.System, "Acme Biomed", medsec.PartyProvider)
		fs, _ := st.Facilities(ctx)
		for _, f := range fs {
			if f.Name == "Clinic North" {
				st.AddScope(ctx, medsec.System, medsec.ScopeRule{PartyID: p.ID, FacilityID: f.ID})
			}
		}
		s, _ = service.ComputeSchedules(ctx, st, 0, asOf)
		prov := map[string]int{}
		for _, g := range s.Compliance()["provider"] {
			prov[g.Key] = g.Total
		}
		if prov["Acme Biomed"] != 2 || prov[service.InHouse] != 4 {
			t.Errorf("by provider: %v", prov)
		}
		s, _ = service.ComputeSchedules(ctx, st, p.ID, asOf)
		if len(s.Results) != 2 || s.Results[0].Asset.Key != "BM-003" {
			t.Errorf("provider scope: %+v", s.Results)
		}
	})
}

func TestTierOf(t *testing.T) {
	p, err := sla.DefaultPolicy(service.DefaultZone, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		a    store.ServiceAsset
		want sla.Tier
	}{
		{store.ServiceAsset{Modality: "Infusion pump", ClinicalTier: -1}, sla.TierCritical},
		{store.ServiceAsset{Modality: "Thermometer", EM: 13, ClinicalTier: -1}, sla.TierCritical},
		{store.ServiceAsset{Modality: "Thermometer", EM: 8, ClinicalTier: -1}, sla.TierNonCritical},
		{store.ServiceAsset{Modality: "Infusion pump", ClinicalTier: 1}, sla.TierNonCritical},
		{store.ServiceAsset{Modality: "Thermometer", ClinicalTier: 3}, sla.TierCritical},
	} {
		if got, why := service.TierOf(p, tt.a); got != tt.want {
			t.Errorf("%+v: %s (%s), want %s", tt.a, got, why, tt.want)
		}
	}
}
