package linker

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/export"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

const cmms = `Equipment ID,Serial Number,Manufacturer,Model,Model Number,Device Type,Facility,Department,Status,MAC Address,IP Address
BM-1,SN0001234,CareFusion,Alaris PC Unit,8015,INFUSION PUMP,Main Campus,ICU 4 West,Active,,
BM-2,SN0005678,Philips Medizin Systeme Böblingen GmbH,IntelliVue MX800,865240,PATIENT MONITOR,Main Campus,ICU 4 West,Active,00:09:FB:00:00:02,
BM-3,SN0009999,Hospira,Plum 360,,IV Pump,Main Campus,Med/Surg 5,Active,,10.1.3.3
BM-4,AB77,Hill-Rom,Centrella,,Bed,Main Campus,Med/Surg 5,Active,,
`

// The CMDB knows BM-1 by its serial typed with an O for a 0, BM-2 only by
// its MAC (in another notation), and has a workstation.
const cmdb = `sys_id,name,asset_tag,serial_number,manufacturer,model_id,mac_address,ip_address,sys_class_name
aaaa0000000000000000000000000001,icu4w-pump-01.hosp.example.org,,SNOOO1234,Becton Dickinson,,00-09-FB-00-00-01,10.1.0.5,cmdb_ci_medical_device
aaaa0000000000000000000000000002,ICU4W-MON-02,,,Philips,,0009.fb00.0002,10.1.0.6,cmdb_ci_medical_device
aaaa0000000000000000000000000003,WS-0042,,,Dell Inc.,OptiPlex 7090,00:11:22:33:44:55,10.1.9.9,cmdb_ci_computer
`

// Monitoring sees BM-1 and BM-2, the workstation, and a device nobody registered.
const monitoring = `Device ID,MAC Address,IP Address,Hostname,Manufacturer,Model,Device Type,Serial Number,Site,First Seen,Last Seen
m-1,00:09:fb:00:00:01,10.1.0.5,icu4w-pump-01,BD,Alaris PC Unit,Infusion Pump,,Main Campus,2025-01-01T00:00:00Z,2025-06-01T00:00:00Z
m-2,00:09:FB:00:00:02,10.1.0.6,icu4w-mon-02,Philips,IntelliVue MX800,Patient Monitor,,Main Campus,2025-01-01T00:00:00Z,2025-06-01T00:00:00Z
m-3,00:11:22:33:44:55,10.1.9.9,ws-0042,Dell,OptiPlex,Workstation,,Main Campus,2025-01-01T00:00:00Z,2025-06-01T00:00:00Z
m-4,00:30:E6:AA:BB:CC,10.1.0.77,,Draeger,Infinity Delta,Patient Monitor,,Main Campus,2025-01-01T00:00:00Z,2025-06-01T00:00:00Z
`

type fixture struct {
	ctx context.Context
	st  *store.Store
}

func load(t *testing.T, dsn string) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{ctx, st}
	f.imp(t, "cmms", cmms)
	f.imp(t, "cmdb", cmdb)
	f.imp(t, "monitoring", monitoring)
	return f
}

func (f *fixture) imp(t *testing.T, src, data string) {
	t.Helper()
	if _, err := importer.Import(f.ctx, f.st, medsec.System, src, src+".csv", strings.NewReader(data), importer.Options{}); err != nil {
		t.Fatalf("import %s: %v", src, err)
	}
}

// links returns source/key → asset tag, from the links export.
func (f *fixture) links(t *testing.T) map[string]string {
	t.Helper()
	var buf bytes.Buffer
	if err := export.Write(f.ctx, f.st, "links", "", "csv", &buf, 0); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil || strings.Join(rows[0], ",") != "asset_id,source,key" {
		t.Fatalf("links header %v %v", rows, err)
	}
	tags := map[string]string{}
	all, _, _ := f.st.FindAssets(f.ctx, medsec.AssetFilter{Kind: "all", PerPage: 500})
	byID := map[string]string{}
	for _, a := range all {
		byID[itoa(a.ID)] = a.AssetTag
	}
	for _, r := range rows[1:] {
		tags[r[1]+"/"+r[2]] = byID[r[0]]
	}
	return tags
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func TestCorrelateEndToEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		f := load(t, dsn)
		sum, err := Run(f.ctx, f.st, medsec.System, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Run.Mode != "full" || sum.Records != 11 {
			t.Errorf("first run = %+v", sum)
		}
		l := f.links(t)
		for _, k := range []string{"cmdb/aaaa0000000000000000000000000001", "monitoring/m-1"} {
			if l[k] != "BM-1" {
				t.Errorf("%s → %q, want BM-1 (serial with O for 0, MAC in another notation)", k, l[k])
			}
		}
		for _, k := range []string{"cmdb/aaaa0000000000000000000000000002", "monitoring/m-2"} {
			if l[k] != "BM-2" {
				t.Errorf("%s → %q, want BM-2", k, l[k])
			}
		}
		ws := l["cmdb/aaaa0000000000000000000000000003"]
		if ws == "" || ws != l["monitoring/m-3"] || strings.HasPrefix(ws, "BM-") {
			t.Errorf("workstation records should share one discovered asset: %q %q", ws, l["monitoring/m-3"])
		}
		// The workstation is not in the medical inventory; the Dräger monitor is an unknown device.
		if _, n, _ := f.st.FindAssets(f.ctx, medsec.AssetFilter{Q: "ws-0042"}); n != 0 {
			t.Errorf("a workstation is in the medical inventory")
		}
		unknown, n, _ := f.st.FindAssets(f.ctx, medsec.AssetFilter{Orphan: "unknown", Kind: "medical"})
		if n != 1 || unknown[0].Manufacturer != "Dräger" || unknown[0].MAC != "00:30:e6:aa:bb:cc" || unknown[0].Modality != "Physiologic monitor" {
			t.Errorf("unknown devices = %d %+v", n, unknown)
		}
		unseen, n, _ := f.st.FindAssets(f.ctx, medsec.AssetFilter{Orphan: "unseen", Kind: "all"})
		// BM-3 has an IP in the CMMS but monitoring never saw it; BM-4 is a
		// bed with no network at all, so it is not on the list.
		if n != 1 || unseen[0].AssetTag != "BM-3" {
			t.Errorf("networked CMMS devices never seen = %d %+v", n, unseen)
		}
		// Each linked record says why.
		a, _, _ := f.st.FindAssets(f.ctx, medsec.AssetFilter{Q: "BM-1"})
		recs, _ := f.st.SourceRecordsForAsset(f.ctx, a[0].ID)
		if len(recs) != 3 || recs[1].System != "cmdb" || !strings.Contains(string(recs[1].LinkEvidence), `["serial","SN0001234","SN0001234",true`) || recs[1].LinkConfidence == nil {
			t.Errorf("BM-1 records = %d, evidence %s", len(recs), recs[1].LinkEvidence)
		}
		// Coverage: BM-1, BM-2 and BM-3 are known to be networked (seen, or
		// network data in the CMMS); BM-4 is not, so it is out of scope.
		cov, _ := f.st.Coverage(f.ctx, "")
		if len(cov) != 1 || cov[0].InScope != 3 || cov[0].ToCMDB != 2 || cov[0].ToMonitoring != 2 {
			t.Errorf("coverage = %+v", cov)
		}
		// Crossref for the CMDB carries sys_id → equipment ID and serial.
		var buf bytes.Buffer
		export.Write(f.ctx, f.st, "crossref", "cmdb", "csv", &buf, 0)
		if want := "sys_id,u_cmms_equipment_id,u_cmms_serial_number\naaaa0000000000000000000000000001,BM-1,SN0001234\naaaa0000000000000000000000000002,BM-2,SN0005678\n"; buf.String() != want {
			t.Errorf("crossref for cmdb:\n%s\nwant\n%s", buf.String(), want)
		}
		buf.Reset()
		export.Write(f.ctx, f.st, "crossref", "cmms", "csv", &buf, 0)
		if !strings.Contains(buf.String(), "BM-2,aaaa0000000000000000000000000002,icu4w-mon-02,10.1.0.6,00:09:fb:00:00:02") {
			t.Errorf("crossref for cmms:\n%s", buf.String())
		}
	})
}

func TestDecisionsStick(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		f := load(t, dsn)
		if _, err := Run(f.ctx, f.st, medsec.System, Options{}); err != nil {
			t.Fatal(err)
		}
		recs, _ := f.st.IdentRecords(f.ctx)
		id := map[string]int64{}
		for _, r := range recs {
			id[r.System+"/"+r.Key] = r.ID
		}
		// A reviewer splits the CMDB record off BM-1 (the serial match was
		// a coincidence), which takes the monitoring record that was joined
		// only through it along; and merges the unknown Dräger monitor into
		// BM-4 (say the CMMS entry was wrong).
		if err := f.st.Decide(f.ctx, medsec.System, id["cmdb/aaaa0000000000000000000000000001"], id["cmms/BM-1"], "reject", "different pump"); err != nil {
			t.Fatal(err)
		}
		if err := f.st.Decide(f.ctx, medsec.System, id["monitoring/m-4"], id["cmms/BM-4"], "confirm", "tagged on site"); err != nil {
			t.Fatal(err)
		}
		check := func(when string) {
			t.Helper()
			l := f.links(t)
			c, m := l["cmdb/aaaa0000000000000000000000000001"], l["monitoring/m-1"]
			if c == "BM-1" || c != m || !strings.HasPrefix(c, "NET-") {
				t.Errorf("%s: split did not stick: cmdb→%q m-1→%q", when, c, m)
			}
			if l["monitoring/m-4"] != "BM-4" {
				t.Errorf("%s: merge did not stick: m-4→%q", when, l["monitoring/m-4"])
			}
			// The Dräger monitor's discovered asset, now empty, is gone.
			if _, n, _ := f.st.FindAssets(f.ctx, medsec.AssetFilter{Q: "Infinity Delta", Origin: "discovered"}); n != 0 {
				t.Errorf("%s: %d empty discovered assets left behind", when, n)
			}
		}
		sum, err := Run(f.ctx, f.st, medsec.System, Options{})
		if err != nil || sum.Run.Mode != "delta" {
			t.Fatalf("delta run: %+v %v", sum, err)
		}
		check("after a delta run")
		// Re-import newer exports (one row changed in each) and re-run fully.
		f.imp(t, "cmdb", strings.Replace(cmdb, "10.1.0.5", "10.1.0.15", 1))
		f.imp(t, "monitoring", strings.Replace(monitoring, "2025-06-01T00:00:00Z", "2025-07-01T00:00:00Z", 1))
		if _, err := Run(f.ctx, f.st, medsec.System, Options{}); err != nil {
			t.Fatal(err)
		}
		check("after re-import and a delta run")
		if _, err := Run(f.ctx, f.st, medsec.System, Options{Full: true}); err != nil {
			t.Fatal(err)
		}
		check("after a full run")
		if bad, err := f.st.ForeignKeyProblems(f.ctx); err != nil || len(bad) > 0 {
			t.Errorf("dangling references: %v %v", bad, err)
		}
		// The decisions are in the audit log.
		entries, n, _ := f.st.FindAudit(f.ctx, medsec.AuditFilter{Entity: "link_decision"})
		if n != 2 || !strings.Contains(string(entries[0].After), "tagged on site") {
			t.Errorf("audit of decisions = %d", n)
		}
	})
}

// An unknown device someone has already worked on (here: controls put in
// place) is later registered in the CMMS. Its record joins the CMMS asset;
// the discovered asset stays, marked merged, with the work on it, instead
// of failing the run on its foreign keys. When the registration is undone,
// the record comes back to it.
func TestWorkedOnDiscoveredAssetSurvivesMerge(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		f := load(t, dsn)
		if _, err := Run(f.ctx, f.st, medsec.System, Options{}); err != nil {
			t.Fatal(err)
		}
		net := f.links(t)["monitoring/m-4"]
		found, _, _ := f.st.FindAssets(f.ctx, medsec.AssetFilter{Q: "Infinity Delta", Origin: "discovered"})
		if !strings.HasPrefix(net, "NET-") || len(found) != 1 || found[0].AssetTag != net {
			t.Fatalf("unknown monitor: link %q, discovered %+v", net, found)
		}
		unknown := found[0].ID
		if err := f.st.SetAssetControls(f.ctx, medsec.System, store.ControlsRow{AssetID: unknown, Segmentation: true, Reason: "quarantine VLAN until identified"}); err != nil {
			t.Fatal(err)
		}
		registered := cmms + "BM-5,DR123456,Draeger,Infinity Delta,,PATIENT MONITOR,Main Campus,ICU 4 West,Active,00:30:E6:AA:BB:CC,\n"
		f.imp(t, "cmms", registered)
		if _, err := Run(f.ctx, f.st, medsec.System, Options{}); err != nil {
			t.Fatalf("re-correlation after the device was registered: %v", err)
		}
		if got := f.links(t)["monitoring/m-4"]; got != "BM-5" {
			t.Errorf("m-4 → %q, want BM-5", got)
		}
		a, err := f.st.FindAsset(f.ctx, unknown, 0)
		if err != nil || a.Status != store.StatusMerged {
			t.Fatalf("worked-on discovered asset: %+v %v", a, err)
		}
		if c, err := f.st.AssetControls(f.ctx, unknown); err != nil || c == nil || !c.Segmentation {
			t.Errorf("its controls: %+v %v", c, err)
		}
		// The CMMS entry turns out to be a mistake and is removed.
		f.imp(t, "cmms", cmms)
		if _, err := Run(f.ctx, f.st, medsec.System, Options{}); err != nil {
			t.Fatal(err)
		}
		if got := f.links(t)["monitoring/m-4"]; got != net {
			t.Errorf("after the CMMS entry went: m-4 → %q, want %q", got, net)
		}
		if a, err := f.st.FindAsset(f.ctx, unknown, 0); err != nil || a.Status != store.StatusDiscovered {
			t.Errorf("revived asset: %+v %v", a, err)
		}
		if bad, err := f.st.ForeignKeyProblems(f.ctx); err != nil || len(bad) > 0 {
			t.Errorf("dangling references: %v %v", bad, err)
		}
	})
}

// A decision and an import that land while a run is working (after it
// read the records, before it wrote) are not lost: the run read before
// them, so the next delta run must pick them up. A reviewer splits the
// CMDB record off BM-1 during one run; the Dräger monitor turns out to be
// BM-3's pump (the monitoring tool decoded it wrongly) during the next.
func TestWhatLandsDuringARunIsNotLost(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		f := load(t, dsn)
		recs, _ := f.st.IdentRecords(f.ctx)
		id := map[string]int64{}
		for _, r := range recs {
			id[r.System+"/"+r.Key] = r.ID
		}
		// An hour passes at every reading of the clock: what happened
		// before a run began is long before it, as in real use.
		var mu sync.Mutex
		clock := time.Now().Add(24 * time.Hour)
		f.st.Now = func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			clock = clock.Add(time.Hour)
			return clock
		}
		t.Cleanup(func() { beforeWrite = nil })
		during := func(full bool, land func()) {
			t.Helper()
			beforeWrite = func() { beforeWrite = nil; land() }
			if _, err := Run(f.ctx, f.st, medsec.System, Options{Full: full}); err != nil {
				t.Fatal(err)
			}
			if beforeWrite != nil {
				t.Fatal("the run never reached its write")
			}
			sum, err := Run(f.ctx, f.st, medsec.System, Options{})
			if err != nil || sum.Run.Mode != "delta" {
				t.Fatalf("delta run: %+v %v", sum, err)
			}
		}
		during(true, func() {
			if err := f.st.Decide(f.ctx, medsec.System, id["cmdb/aaaa0000000000000000000000000001"], id["cmms/BM-1"], "reject", "different pump"); err != nil {
				t.Error(err)
			}
		})
		if c := f.links(t)["cmdb/aaaa0000000000000000000000000001"]; c == "BM-1" {
			t.Errorf("the decision made during a run was not applied: the CMDB record is still on BM-1")
		}
		during(false, func() {
			f.imp(t, "monitoring", strings.Replace(monitoring, "m-4,00:30:E6:AA:BB:CC,10.1.0.77,,Draeger,Infinity Delta,Patient Monitor,,",
				"m-4,00:30:E6:AA:BB:CC,10.1.3.3,,Hospira,Plum 360,Infusion Pump,SN0009999,", 1))
		})
		if m := f.links(t)["monitoring/m-4"]; m != "BM-3" {
			t.Errorf("the import made during a run was not picked up: m-4 → %q, want BM-3", m)
		}
	})
}
