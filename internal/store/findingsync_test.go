package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

// TestSyncFindings: a match run writes only its difference; findings that
// disappear are marked gone (kept with their decision) and come back when
// the match does, and a group's changed confidence reaches its rows.
func TestSyncFindings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := mustOpen(t, dsn)
		actor := medsec.Actor{Name: "tester"}
		b := &medsec.ImportBatch{System: "cmms", FileName: "cmms.csv", Format: "csv", KeyColumn: "Equipment ID"}
		if err := st.Import(ctx, actor, b, feed(
			rec(2, "BM-001", "SN-0001", "General Hospital", "ICU 4 West", "h1"),
			rec(3, "BM-002", "SN-0002", "General Hospital", "ICU 4 West", "h2"),
			rec(4, "BM-003", "AB77", "Clinic North", "Outpatient Clinic", "h3"),
		), nil); err != nil {
			t.Fatal(err)
		}
		groups, err := st.DeviceGroups(ctx)
		if err != nil || len(groups) != 1 || len(groups[0].Assets) != 3 || groups[0].Manufacturer != "BD" {
			t.Fatalf("groups %+v %v", groups, err)
		}
		ids := groups[0].Assets
		ev, _ := json.Marshal([]string{"vendor BD", "product Alaris"})
		def := func(conf float64, assets ...int64) []store.FindingDef {
			return []store.FindingDef{{GroupKey: groups[0].Key, AdvisoryID: "ICSMA-X", CVE: "CVE-2026-0001", MatchConfidence: conf, VersionCertain: true, Evidence: ev, Assets: assets}}
		}
		res, err := st.SyncFindings(ctx, actor, "csaf", def(0.9, ids...))
		if err != nil || res.New != 3 || res.Gone != 0 {
			t.Fatalf("first sync %+v %v", res, err)
		}
		fs, _ := st.Findings(ctx, store.FindingFilter{})
		if len(fs) != 3 || string(fs[0].Evidence) != string(ev) || fs[0].MatchConfidence != 0.9 {
			t.Fatalf("findings %+v", fs)
		}
		if _, err := st.TransitionFinding(ctx, actor, fs[2].ID, medsec.FindingTransition{To: medsec.FindingFalsePositive, Reason: "not this firmware"}); err != nil {
			t.Fatal(err)
		}
		// The same run again changes nothing.
		if res, err = st.SyncFindings(ctx, actor, "csaf", def(0.9, ids...)); err != nil || res.New != 0 || res.Gone != 0 || res.Kept != 3 {
			t.Fatalf("repeat sync %+v %v", res, err)
		}
		// The third asset drops out, the others' confidence changes.
		if res, err = st.SyncFindings(ctx, actor, "csaf", def(0.7, ids[:2]...)); err != nil || res.Gone != 1 {
			t.Fatalf("shrinking sync %+v %v", res, err)
		}
		fs, _ = st.Findings(ctx, store.FindingFilter{})
		if len(fs) != 2 || fs[0].MatchConfidence != 0.7 {
			t.Fatalf("after shrink %+v", fs)
		}
		gone, _ := st.Findings(ctx, store.FindingFilter{WithGone: true, Status: "false_positive"})
		if len(gone) != 1 || gone[0].GoneAt == "" || gone[0].StatusReason != "not this firmware" {
			t.Fatalf("gone finding %+v", gone)
		}
		// It comes back with its decision.
		if res, err = st.SyncFindings(ctx, actor, "csaf", def(0.7, ids...)); err != nil || res.Back != 1 || res.New != 0 {
			t.Fatalf("growing sync %+v %v", res, err)
		}
		back, _ := st.Finding(ctx, gone[0].ID, 0)
		if back.GoneAt != "" || back.Status != "false_positive" || back.MatchConfidence != 0.7 {
			t.Errorf("returned finding %+v", back)
		}
		// Another source's run leaves these alone.
		if res, err = st.SyncFindings(ctx, actor, "nvd", nil); err != nil || res.Gone != 0 {
			t.Errorf("empty nvd sync %+v %v", res, err)
		}
		if n, _ := st.CountFindings(ctx, store.FindingFilter{}); n != 3 {
			t.Errorf("%d findings after an empty nvd sync, want 3", n)
		}
	})
}
