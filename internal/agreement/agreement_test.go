package agreement_test

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/agreement"
	_ "github.com/medsec/medsec/internal/agreement/levels"
	"github.com/medsec/medsec/internal/doc"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/raci"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const cmmsCSV = "Equipment ID,Serial Number,Manufacturer,Model,Model Number,Device Type,Facility,Department,Status\n" +
	"BM-001,SN1001,CareFusion,Alaris PC Unit,8015,INFUSION PUMP,General Hospital,ICU 4 West,Active\n" +
	"BM-002,SN1002,Hospira,Plum 360,,IV Pump,General Hospital,Med/Surg 5,Active\n" +
	"BM-003,SN1003,GE Medical Systems,CARESCAPE B650,,PATIENT MONITOR,Clinic North,Outpatient Clinic,Out for Repair\n" +
	"BM-004,SN1004,Philips,IntelliVue MX450,,PATIENT MONITOR,General Hospital,ED,Active\n" +
	"BM-005,SN1005,CareFusion,Alaris PC Unit,8015,INFUSION PUMP,Clinic North,Infusion Center,Active\n"

var fixedNow = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

func fixture(t *testing.T, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return fixedNow }
	if _, err := importer.ImportCMMS(ctx, st, medsec.System, "cmms.csv", strings.NewReader(cmmsCSV), importer.Options{}); err != nil {
		t.Fatal(err)
	}
	return st
}

func base() agreement.Agreement {
	a := agreement.Default("General Health", "Acme Biomed", fixedNow)
	a.Scope.Facilities = []string{"General Hospital"}
	return a
}

func TestSave_RACIWithoutOneAccountableIsRefusedNamingTheActivity(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		st := fixture(t, dsn)
		a := base()
		if err := a.RACI.Set(raci.ActVulnTriage, raci.PartySecurity, raci.R); err != nil {
			t.Fatal(err)
		}
		row, _ := a.RACI.Row(raci.ActVulnTriage)
		for p, r := range row.Roles {
			if r.Has(raci.A) {
				a.RACI.Set(raci.ActVulnTriage, p, r&^raci.A|raci.R)
			}
		}
		_, err := agreement.Save(context.Background(), st, medsec.System, a, "")
		if err == nil || !strings.Contains(err.Error(), "Vulnerability triage") || !strings.Contains(err.Error(), "Accountable") {
			t.Fatalf("save without an Accountable party: %v", err)
		}
		// Two Accountable parties are refused too.
		a = base()
		a.RACI.Set(raci.ActPatching, raci.PartyHTM, raci.A)
		a.RACI.Set(raci.ActPatching, raci.PartySecurity, raci.A|raci.R)
		if _, err := agreement.Save(context.Background(), st, medsec.System, a, ""); err == nil || !strings.Contains(err.Error(), "Software updates and patching") {
			t.Fatalf("save with two Accountable parties: %v", err)
		}
		if vs, _ := agreement.Versions(context.Background(), st); len(vs) != 0 {
			t.Fatalf("a refused agreement was saved: %d versions", len(vs))
		}
	})
}

func TestSave_ScopeDrivesProviderVisibilityAndUnknownNamesAreListed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := fixture(t, dsn)
		a := base()
		a.Scope.Facilities = []string{"General Hospital", "Nowhere Clinic"}
		a.Scope.Modalities = []string{"Teleporter", "Infusion pump"}
		_, err := agreement.Save(ctx, st, medsec.System, a, "")
		if err == nil || !strings.Contains(err.Error(), "unknown facilities: Nowhere Clinic") || !strings.Contains(err.Error(), "unknown modalities: Teleporter") {
			t.Fatalf("unknown scope names: %v", err)
		}
		a.Scope.Facilities = []string{"general hospital"}
		a.Scope.Modalities = nil
		v1, err := agreement.Save(ctx, st, medsec.System, a, "first")
		if err != nil {
			t.Fatal(err)
		}
		p, err := st.PartyByName(ctx, "Acme Biomed")
		if err != nil {
			t.Fatal(err)
		}
		_, n, err := st.FindAssets(ctx, medsec.AssetFilter{ScopePartyID: p.ID})
		if err != nil || n != 3 {
			t.Fatalf("provider sees %d assets (%v), want the 3 of General Hospital", n, err)
		}
		a.Scope.Facilities = []string{"Clinic North"}
		a.TermMonths = 24
		a.RACI.Set(raci.ActPatching, raci.PartyHTM, raci.C|raci.I)
		v2, err := agreement.Save(ctx, st, medsec.System, a, "second")
		if err != nil {
			t.Fatal(err)
		}
		if _, n, _ := st.FindAssets(ctx, medsec.AssetFilter{ScopePartyID: p.ID}); n != 2 {
			t.Fatalf("after the scope change the provider sees %d assets, want 2", n)
		}
		x, _ := agreement.Load(ctx, st, v1)
		y, _ := agreement.Load(ctx, st, v2)
		var got []string
		for _, c := range agreement.Diff(x.Agreement, y.Agreement) {
			got = append(got, c.Section+": "+c.Text)
		}
		want := []string{
			"Term: Term (months): 36 → 24",
			"Scope: Facility added: Clinic North",
			"Scope: Facility removed: general hospital",
			"Responsibilities: Software updates and patching: Hospital HTM I → C/I",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("diff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// TestExhibits_Golden renders each exhibit to DOCX and PDF, checks the
// DOCX is valid OOXML and compares the text extracted from both with the
// golden files (go test -update rewrites them).
func TestExhibits_Golden(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := fixture(t, dsn)
		a := base()
		a.Scope.Modalities = []string{"Infusion pump", "Physiologic monitor"}
		a.Scope.Facilities = []string{"General Hospital"}
		if err := st.SetTarget(ctx, medsec.System, store.Target{Due: "2026-06-30", PctCMDB: 75, PctMon: 80, Note: "Go-live"}); err != nil {
			t.Fatal(err)
		}
		if _, err := agreement.Save(ctx, st, medsec.System, a, "golden"); err != nil {
			t.Fatal(err)
		}
		v, err := agreement.Load(ctx, st, 0)
		if err != nil {
			t.Fatal(err)
		}
		exs, err := agreement.Exhibits(ctx, st, v, fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		if len(exs) != 5 {
			t.Fatalf("%d exhibits", len(exs))
		}
		for _, ex := range exs {
			for _, format := range []string{"docx", "pdf"} {
				var buf bytes.Buffer
				if err := agreement.Render(&buf, ex.Doc, format); err != nil {
					t.Fatal(err)
				}
				r := bytes.NewReader(buf.Bytes())
				var text string
				if format == "docx" {
					if err := doc.VerifyDOCX(r, int64(buf.Len())); err != nil {
						t.Fatalf("%s: invalid DOCX: %v", ex.Slug, err)
					}
					text, err = doc.ExtractDOCXText(r, int64(buf.Len()))
				} else {
					text, err = doc.ExtractPDFText(r, int64(buf.Len()))
				}
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", ex.Slug+"."+format+".txt")
				if *update && strings.HasSuffix(t.Name(), "sqlite") {
					os.WriteFile(golden, []byte(text), 0o644)
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update)", err)
				}
				if text != string(want) {
					t.Errorf("%s: text differs from %s:\n%s", ex.Slug, golden, text)
				}
			}
			for _, format := range []string{"md", "xlsx"} {
				var buf bytes.Buffer
				if err := agreement.Render(&buf, ex.Doc, format); err != nil || buf.Len() == 0 {
					t.Fatalf("%s %s: %v", ex.Slug, format, err)
				}
			}
		}
		// The scope exhibit lists the in-scope devices with IDs and serials.
		md := new(bytes.Buffer)
		agreement.Render(md, exs[0].Doc, "md")
		for _, s := range []string{"BM-001", "SN1001", "BM-002", "BM-004"} {
			if !strings.Contains(md.String(), s) {
				t.Errorf("scope exhibit lacks %s", s)
			}
		}
		if strings.Contains(md.String(), "BM-005") || strings.Contains(md.String(), "BM-003") {
			t.Error("scope exhibit lists a device of Clinic North")
		}
	})
}

func exec(t *testing.T, st *store.Store, q string) {
	t.Helper()
	if _, err := st.DB().Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func addFinding(t *testing.T, st *store.Store, asset int64, cve, status, firstSeen, statusAt, acceptedUntil string) {
	exec(t, st, fmt.Sprintf(`INSERT INTO findings (asset_id, advisory_id, cve, product_id, status, match_confidence, version_certain, evidence, first_seen, last_seen, status_at, accepted_until)
		VALUES (%d, 'ICSMA-TEST-01', '%s', '', '%s', 1, 1, '{}', '%s', '%s', '%s', '%s')`, asset, cve, status, firstSeen, firstSeen, statusAt, acceptedUntil))
}

func assetID(t *testing.T, st *store.Store, tag string) int64 {
	items, _, err := st.FindAssets(context.Background(), medsec.AssetFilter{Q: tag})
	if err != nil || len(items) == 0 {
		t.Fatalf("asset %s: %v", tag, err)
	}
	return items[0].ID
}

// TestReview_FiguresMatchHandComputedValues checks the review pack on a
// small fixture whose figures are computed by hand.
func TestReview_FiguresMatchHandComputedValues(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := fixture(t, dsn)
		bm1, bm2 := assetID(t, st, "BM-001"), assetID(t, st, "BM-002")
		// Open: first seen 2026-03-20 (12 days before the end of the
		// period, 2026-04-01) and 2025-12-01 (121 days).
		addFinding(t, st, bm1, "CVE-1", "open", "2026-03-20T00:00:00.000000Z", "", "")
		addFinding(t, st, bm2, "CVE-2", "in_triage", "2025-12-01T00:00:00.000000Z", "2026-01-05T00:00:00.000000Z", "")
		// Remediated in the period after 10 and 30 days: MTTR 20 days.
		addFinding(t, st, bm1, "CVE-3", "remediated", "2026-01-01T00:00:00.000000Z", "2026-01-11T00:00:00.000000Z", "")
		addFinding(t, st, bm2, "CVE-4", "remediated", "2026-01-01T00:00:00.000000Z", "2026-01-31T00:00:00.000000Z", "")
		// Remediated before the period: not counted.
		addFinding(t, st, bm2, "CVE-5", "remediated", "2025-11-01T00:00:00.000000Z", "2025-12-15T00:00:00.000000Z", "")
		// A risk acceptance ending within 90 days of the period's end, one after.
		addFinding(t, st, bm1, "CVE-6", "risk_accepted", "2025-10-01T00:00:00.000000Z", "2026-01-02T00:00:00.000000Z", "2026-05-01")
		addFinding(t, st, bm2, "CVE-7", "risk_accepted", "2025-10-01T00:00:00.000000Z", "2026-01-02T00:00:00.000000Z", "2026-12-01")
		if err := st.PutSnapshot(ctx, medsec.System, "2026-02-01", []store.SnapshotValue{{Metric: agreement.MetricRiskTier, Dimension: "3", Value: 3}, {Metric: agreement.MetricRiskTier, Dimension: "0", Value: 10}}); err != nil {
			t.Fatal(err)
		}
		if err := st.PutSnapshot(ctx, medsec.System, "2026-03-01", []store.SnapshotValue{{Metric: agreement.MetricRiskTier, Dimension: "3", Value: 2}}); err != nil {
			t.Fatal(err)
		}
		from, to, err := agreement.ParsePeriod("2026-01-01", "2026-03-31", fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		r, err := agreement.BuildReview(ctx, st, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if r.OpenTotal != 2 || len(r.OpenFindings) != 1 || r.OpenFindings[0].Ages != [4]int{1, 0, 1, 0} {
			t.Errorf("open findings: %d %+v", r.OpenTotal, r.OpenFindings)
		}
		if r.Remediated != 2 || math.Abs(r.MTTRDays-20) > 1e-9 {
			t.Errorf("MTTR: %d findings, %.3f days; want 2, 20", r.Remediated, r.MTTRDays)
		}
		if len(r.Expiring) != 1 || r.Expiring[0].CVE != "CVE-6" || r.Expiring[0].Asset != "BM-001" {
			t.Errorf("expiring: %+v", r.Expiring)
		}
		// The CMMS import of the fixture: 5 new devices, on 2026-03-15.
		if len(r.Inventory) != 1 || r.Inventory[0].System != "cmms" || r.Inventory[0].New != 5 || r.Inventory[0].Batches != 1 {
			t.Errorf("inventory: %+v", r.Inventory)
		}
		if len(r.RiskTrend) != 3 {
			t.Errorf("risk trend: %+v", r.RiskTrend)
		}
		// Stored tiers are assess.Tier numbers: 0 low … 3 critical.
		for n, want := range map[string]string{"0": "Low", "1": "Medium", "2": "High", "3": "Critical", "9": "Tier 9"} {
			if got := agreement.TierName(n); got != want {
				t.Errorf("TierName(%s) = %q, want %q", n, got, want)
			}
		}
		// A period before the import has no inventory change.
		f2, t2, _ := agreement.ParsePeriod("2025-01-01", "2025-03-31", fixedNow)
		if r2, err := agreement.BuildReview(ctx, st, f2, t2); err != nil || len(r2.Inventory) != 0 || r2.Remediated != 0 {
			t.Errorf("empty period: %+v %v", r2, err)
		}
		d := r.Document("Agreement")
		for _, format := range []string{"pdf", "xlsx"} {
			var buf bytes.Buffer
			if err := agreement.Render(&buf, d, format); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := agreement.WriteHTML(&buf, d); err != nil || !strings.Contains(buf.String(), "mean time to remediate 20.0 days") || !strings.Contains(buf.String(), "<svg") {
			t.Errorf("html: %v\n%.2000s", err, buf.String())
		}
		// SLA adherence comes from the service package's SLA report. In
		// February only three work orders start, all on BM-001 (an
		// infusion pump: critical under the default policy, 24×7 clocks):
		// a repair answered in 10 minutes, on site in 1 h and restored in
		// 8 h (met: 30 min / 4 h / 24 h); one answered after 60 minutes
		// (breached: the response target is 30 minutes); a PM done in 15
		// days (met: 30 days).
		addWorkOrder(t, st, "WO-A", bm1, "BM-001", "Corrective", "2026-02-02T10:00:00.000000Z", "2026-02-02T10:10:00.000000Z", "2026-02-02T11:00:00.000000Z", "2026-02-02T18:00:00.000000Z")
		addWorkOrder(t, st, "WO-B", bm1, "BM-001", "Corrective", "2026-02-10T10:00:00.000000Z", "2026-02-10T11:00:00.000000Z", "2026-02-10T12:00:00.000000Z", "2026-02-10T20:00:00.000000Z")
		addWorkOrder(t, st, "WO-C", bm1, "BM-001", "PM", "2026-02-05T09:00:00.000000Z", "", "", "2026-02-20T09:00:00.000000Z")
		f3, t3, _ := agreement.ParsePeriod("2026-02-01", "2026-02-28", fixedNow)
		r3, err := agreement.BuildReview(ctx, st, f3, t3)
		if err != nil {
			t.Fatal(err)
		}
		var sla []string
		for _, e := range r3.SLA {
			sla = append(sla, fmt.Sprintf("%s/%s total=%d met=%d breached=%d", e.Tier, e.EventType, e.Total, e.Met, e.Breached))
		}
		wantSLA := "critical/device_down total=2 met=1 breached=1\ncritical/pm_completion total=1 met=1 breached=0"
		if strings.Join(sla, "\n") != wantSLA || r3.SLAEvents != 3 || r3.SLAMet != 2 || r3.SLABreached != 1 {
			t.Errorf("SLA:\n%s\nwant:\n%s (%d/%d/%d)", strings.Join(sla, "\n"), wantSLA, r3.SLAEvents, r3.SLAMet, r3.SLABreached)
		}
		if len(r3.SLA) > 0 && (len(r3.SLA[0].Breaches) != 1 || r3.SLA[0].Breaches[0].EventID != "WO-B") {
			t.Errorf("breaches: %+v", r3.SLA[0].Breaches)
		}
		buf.Reset()
		if err := agreement.WriteHTML(&buf, r3.Document("Agreement")); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"3 SLA events started in the period: 2 met, 1 breached, 0 still running; adherence 66.7%", "Critical · Device down", "SLA events per tier and event type"} {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("review HTML lacks %q", want)
			}
		}
		// Snapshots are taken once a day, replacing earlier values.
		if err := agreement.TakeSnapshot(ctx, st, fixedNow); err != nil {
			t.Fatal(err)
		}
		if err := agreement.TakeSnapshot(ctx, st, fixedNow); err != nil {
			t.Fatal(err)
		}
		vals, _ := st.Snapshots(ctx, agreement.MetricAssets, "2026-03-15", "2026-03-15")
		if len(vals) != 1 || vals[0].Value != 5 {
			t.Errorf("asset snapshot: %+v", vals)
		}
		open, _ := st.Snapshots(ctx, agreement.MetricOpenFindings, "2026-03-15", "2026-03-15")
		if len(open) != 1 || open[0].Value != 2 {
			t.Errorf("open findings snapshot: %+v", open)
		}
	})
}

// fakeSMTP is a tiny SMTP server on 127.0.0.1:0 that keeps what it receives.
type fakeSMTP struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []string
	rcpt []string
}

func newFakeSMTP(t *testing.T) *fakeSMTP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

func (f *fakeSMTP) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(s string) { fmt.Fprintf(c, "%s\r\n", s) }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 fake")
		case strings.HasPrefix(cmd, "MAIL FROM"):
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO"):
			f.mu.Lock()
			f.rcpt = append(f.rcpt, strings.TrimSpace(line[len("RCPT TO:"):]))
			f.mu.Unlock()
			say("250 ok")
		case cmd == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			f.mu.Lock()
			f.msgs = append(f.msgs, b.String())
			f.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func TestNotify_NewFindingsRoutedThroughRACIAndMailed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := fixture(t, dsn)
		smtpd := newFakeSMTP(t)
		t.Setenv("MEDSEC_SMTP_ADDR", smtpd.ln.Addr().String())
		t.Setenv("MEDSEC_SMTP_FROM", "medsec@hospital.test")
		a := base()
		a.Scope.Facilities = []string{"Clinic North"}
		for i := range a.Contacts {
			if a.Contacts[i].Party == raci.PartySecurity {
				a.Contacts[i].Email = "soc@hospital.test"
			}
		}
		if _, err := agreement.Save(ctx, st, medsec.System, a, ""); err != nil {
			t.Fatal(err)
		}
		since := fixedNow.Add(-time.Hour)
		addFinding(t, st, assetID(t, st, "BM-001"), "CVE-9", "open", fixedNow.Format(store.TimeFormat), "", "")
		addFinding(t, st, assetID(t, st, "BM-002"), "CVE-8", "open", "2025-01-01T00:00:00.000000Z", "", "")
		n, err := agreement.NotifyNewFindings(ctx, st, since)
		if err != nil {
			t.Fatal(err)
		}
		rt, _ := a.RACI.Route(raci.WorkFinding)
		if rt.Accountable.ID != raci.PartySecurity {
			t.Fatalf("the networked template routes findings to %s", rt.Accountable.ID)
		}
		if n == 0 {
			t.Fatal("no notification")
		}
		// Again: nothing new.
		if n2, _ := agreement.NotifyNewFindings(ctx, st, since); n2 != 0 {
			t.Errorf("second run made %d notifications", n2)
		}
		smtpd.mu.Lock()
		msgs, rcpt := append([]string(nil), smtpd.msgs...), append([]string(nil), smtpd.rcpt...)
		smtpd.mu.Unlock()
		if len(msgs) != 1 || len(rcpt) != 1 || rcpt[0] != "<soc@hospital.test>" || !strings.Contains(msgs[0], "Subject: [medsec] 1 new finding from advisory ICSMA-TEST-01") {
			t.Fatalf("mail: %q to %q", msgs, rcpt)
		}
		sec := medsec.Actor{UserID: 99, Name: "sec", Role: medsec.RoleSecurity}
		list, err := st.Notifications(ctx, sec, false, 10)
		if err != nil || len(list) != 1 || list[0].Reason != "accountable" || list[0].EmailedAt == "" {
			t.Fatalf("security's notifications: %+v %v", list, err)
		}
		if k, _ := st.UnreadNotifications(ctx, sec); k != 1 {
			t.Errorf("unread = %d", k)
		}
		st.MarkNotificationsRead(ctx, sec, nil)
		if k, _ := st.UnreadNotifications(ctx, sec); k != 0 {
			t.Errorf("unread after marking = %d", k)
		}
		// BM-001 is outside the provider's scope (Clinic North): the
		// provider hears nothing.
		p, _ := st.PartyByName(ctx, "Acme Biomed")
		prov := medsec.Actor{UserID: 98, Name: "prov", Role: medsec.RoleProvider, PartyID: p.ID}
		if l, _ := st.Notifications(ctx, prov, false, 10); len(l) != 0 {
			t.Errorf("provider notified of out-of-scope work: %+v", l)
		}
	})
}

// notes lists the notifications an admin sees as "kind ref party reason",
// oldest first.
func notes(t *testing.T, st *store.Store) []string {
	t.Helper()
	list, err := st.Notifications(context.Background(), medsec.Actor{UserID: 1, Name: "admin", Role: medsec.RoleAdmin}, false, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(list) - 1; i >= 0; i-- {
		n := list[i]
		out = append(out, n.Kind+" "+n.Ref+" "+n.Party+" "+n.Reason)
	}
	return out
}

func countPrefix(xs []string, prefix string) int {
	k := 0
	for _, x := range xs {
		if strings.HasPrefix(x, prefix) {
			k++
		}
	}
	return k
}

func addWorkOrder(t *testing.T, st *store.Store, key string, asset int64, tag, typ, opened, responded, onSite, completed string) {
	exec(t, st, fmt.Sprintf(`INSERT INTO work_orders (wo_key, asset_id, asset_key, wo_type, priority, opened, responded, on_site, completed, result, source, updated_by, updated_at)
		VALUES ('%s', %d, '%s', '%s', '1', '%s', '%s', '%s', '%s', '', 'test', 'test', '%s')`, key, asset, tag, typ, opened, responded, onSite, completed, fixedNow.Format(store.TimeFormat)))
}

// TestSave_NamedDevicesWidenProviderVisibility: a device the agreement
// names is visible to the provider although its facility is not in scope;
// unknown tags are refused; dropping the name takes it away again.
func TestSave_NamedDevicesWidenProviderVisibility(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := fixture(t, dsn)
		a := base()
		a.Scope.Facilities = []string{"Clinic North"}
		a.Scope.Assets = []string{"BM-004", "BM-404"}
		if _, err := agreement.Save(ctx, st, medsec.System, a, ""); err == nil || !strings.Contains(err.Error(), "unknown devices: BM-404") {
			t.Fatalf("unknown device tag: %v", err)
		}
		a.Scope.Assets = []string{"BM-004"}
		if _, err := agreement.Save(ctx, st, medsec.System, a, ""); err != nil {
			t.Fatal(err)
		}
		p, _ := st.PartyByName(ctx, "Acme Biomed")
		items, n, err := st.FindAssets(ctx, medsec.AssetFilter{ScopePartyID: p.ID})
		if err != nil || n != 3 {
			t.Fatalf("provider sees %d assets (%v), want Clinic North's 2 and BM-004", n, err)
		}
		var tags []string
		for _, it := range items {
			tags = append(tags, it.AssetTag)
		}
		if !strings.Contains(strings.Join(tags, ","), "BM-004") {
			t.Fatalf("named device missing: %v", tags)
		}
		if got, _ := st.ScopeAssetTags(ctx, p.ID); len(got) != 1 || got[0] != "BM-004" {
			t.Fatalf("scope asset tags: %v", got)
		}
		// Only named devices: the provider sees exactly them.
		a.Scope.Facilities = nil
		a.Scope.Assets = []string{"BM-001"}
		if _, err := agreement.Save(ctx, st, medsec.System, a, ""); err != nil {
			t.Fatal(err)
		}
		if items, n, _ := st.FindAssets(ctx, medsec.AssetFilter{ScopePartyID: p.ID}); n != 1 || items[0].AssetTag != "BM-001" {
			t.Fatalf("named-only scope: %d %+v", n, items)
		}
		// Rules written by the agreement are the same as AddScope's: the
		// store lists them by name.
		a.Scope.Facilities = []string{"General Hospital"}
		a.Scope.Assets = nil
		if _, err := agreement.Save(ctx, st, medsec.System, a, ""); err != nil {
			t.Fatal(err)
		}
		rules, _ := st.Scope(ctx, p.ID)
		if len(rules) != 1 || rules[0].Facility != "General Hospital" || rules[0].ModalityID != 0 {
			t.Fatalf("rules: %+v", rules)
		}
		if got, _ := st.ScopeAssetTags(ctx, p.ID); len(got) != 0 {
			t.Fatalf("named devices left: %v", got)
		}
	})
}

// TestRouteAll_EveryWorkKindOnceEach routes findings, escalations, risk
// exceptions and work orders, and checks that running it again (or
// routing the same work again) notifies nothing twice.
func TestRouteAll_EveryWorkKindOnceEach(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := fixture(t, dsn)
		a := base()
		a.Scope.Facilities = []string{"Clinic North"}
		a.Scope.Assets = []string{"BM-002"}
		if _, err := agreement.Save(ctx, st, medsec.System, a, ""); err != nil {
			t.Fatal(err)
		}
		bm1, bm2 := assetID(t, st, "BM-001"), assetID(t, st, "BM-002")
		since := fixedNow.Add(-time.Hour)
		old := "2025-06-01T00:00:00.000000Z"
		// Old findings: one whose CVE is in KEV, one Out-of-Cycle; a new
		// one, also in KEV (routed as new, not escalated as well).
		addFinding(t, st, bm1, "CVE-2025-0001", "open", old, "", "")
		addFinding(t, st, bm2, "CVE-2025-0002", "open", old, "", "")
		addFinding(t, st, bm2, "CVE-2026-0003", "open", fixedNow.Format(store.TimeFormat), "", "")
		exec(t, st, `INSERT INTO kev (cve) VALUES ('CVE-2025-0001'), ('CVE-2026-0003')`)
		exec(t, st, `UPDATE findings SET ssvc_decision = 'Out-of-Cycle' WHERE cve = 'CVE-2025-0002'`)
		// Work orders: corrective on a critical infusion pump (routed), a
		// PM and a completed repair (not).
		addWorkOrder(t, st, "WO-1", bm1, "BM-001", "Corrective", "2026-03-15T09:00:00.000000Z", "", "", "")
		addWorkOrder(t, st, "WO-2", bm1, "BM-001", "PM", "2026-03-15T09:00:00.000000Z", "", "", "")
		addWorkOrder(t, st, "WO-3", bm2, "BM-002", "Repair", "2026-03-14T09:00:00.000000Z", "", "", "2026-03-14T12:00:00.000000Z")
		addWorkOrder(t, st, "WO-4", bm2, "BM-002", "Device down", "2026-03-15T10:00:00.000000Z", "", "", "")
		// A risk exception requested, another approved and expiring in 20 days.
		req := medsec.Actor{Name: "htm-anna", Role: medsec.RoleHTM}
		exp := fixedNow.Add(20 * 24 * time.Hour)
		if _, err := st.RequestException(ctx, req, store.ExceptionRow{AssetID: bm1, Decision: "accept", Reason: "No patch for the pump", Expiry: fixedNow.Add(200 * 24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		x2, err := st.RequestException(ctx, req, store.ExceptionRow{AssetID: bm2, Decision: "reduce", Reason: "Segmented", Controls: []string{"VLAN"}, Expiry: exp})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.ApproveException(ctx, medsec.Actor{Name: "sec-bo", Role: medsec.RoleSecurity}, x2); err != nil {
			t.Fatal(err)
		}

		n, err := agreement.RouteAll(ctx, st, since)
		if err != nil {
			t.Fatal(err)
		}
		got := notes(t, st)
		if n != len(got) {
			t.Errorf("RouteAll said %d, %d stored", n, len(got))
		}
		route := func(k raci.WorkKind) raci.Routing {
			r, err := a.RACI.Route(k)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		acc := func(k raci.WorkKind) string { return route(k).Accountable.ID }
		// New finding: one advisory group to the triage accountable party.
		if countPrefix(got, "finding new:ICSMA-TEST-01:") == 0 || countPrefix(got, "finding new:ICSMA-TEST-01:") != 1+len(route(raci.WorkFinding).Informed) && countPrefix(got, "finding new:ICSMA-TEST-01:") != len(route(raci.WorkFinding).Informed) {
			t.Errorf("new findings: %v", got)
		}
		if countPrefix(got, "finding_escalation esc:ICSMA-TEST-01:") == 0 {
			t.Errorf("no escalation: %v", got)
		}
		if acc(raci.WorkOrder) != raci.PartyProvider {
			t.Fatalf("the networked template makes %s accountable for maintenance", acc(raci.WorkOrder))
		}
		for _, want := range []string{
			// BM-002 is named in the provider's scope: its queue.
			"work_order WO:WO-4 provider accountable",
			// BM-001 is outside it: the hospital's HTM takes the work.
			"work_order WO:WO-1 htm accountable",
			"exception RX-1-requested " + acc(raci.WorkException) + " accountable",
		} {
			if countPrefix(got, want) != 1 {
				t.Errorf("missing %q in %v", want, got)
			}
		}
		// SLA warnings come through the router internal/agreement/levels
		// registers (service.RouteWarnings): WO-1 and WO-4 are past their
		// 30-minute response target.
		if countPrefix(got, "sla_warning sla:WO-1:") == 0 || countPrefix(got, "sla_warning sla:WO-4:") == 0 {
			t.Errorf("no SLA warning routed: %v", got)
		}
		for _, notWant := range []string{"work_order WO:WO-2", "work_order WO:WO-3", "exception RX-1-approved", "exception RX-2-requested"} {
			if countPrefix(got, notWant) != 0 {
				t.Errorf("unexpected %q in %v", notWant, got)
			}
		}
		// Approval and expiry go to the informed parties only (the
		// template has none for exceptions: then to the responsible and
		// consulted ones).
		inf := route(raci.WorkException).Informed
		if len(inf) == 0 {
			inf = append(route(raci.WorkException).Responsible, route(raci.WorkException).Consulted...)
		}
		if len(inf) == 0 || countPrefix(got, "exception RX-2-approved") != len(inf) || countPrefix(got, "exception RX-2-expiring-"+exp.Format("2006-01-02")) != len(inf) {
			t.Errorf("approved/expiring to %v: %v", inf, got)
		}
		if countPrefix(got, "exception RX-2-approved "+acc(raci.WorkException)+" accountable") != 0 {
			t.Errorf("an approval was put in a queue: %v", got)
		}
		// The escalation covers the two old findings, not the new KEV one.
		list, _ := st.Notifications(ctx, medsec.Actor{UserID: 1, Role: medsec.RoleAdmin}, false, 1000)
		for _, x := range list {
			if x.Kind == "finding_escalation" && !strings.Contains(x.Title, "2 findings") {
				t.Errorf("escalation title: %q", x.Title)
			}
		}

		// Again, and with an overlapping window: nothing new.
		if n, err := agreement.RouteAll(ctx, st, since.Add(-48*time.Hour)); err != nil || n != 0 {
			t.Fatalf("second run: %d %v", n, err)
		}
		// Out-of-Cycle → Immediate escalates again; back to Out-of-Cycle does not.
		exec(t, st, `UPDATE findings SET ssvc_decision = 'Immediate' WHERE cve = 'CVE-2025-0002'`)
		if n, err := agreement.RouteAll(ctx, st, since); err != nil || n == 0 {
			t.Fatalf("Immediate not escalated: %d %v", n, err)
		}
		exec(t, st, `UPDATE findings SET ssvc_decision = 'Out-of-Cycle' WHERE cve = 'CVE-2025-0002'`)
		if n, err := agreement.RouteAll(ctx, st, since); err != nil || n != 0 {
			t.Fatalf("a downgrade was escalated: %d %v", n, err)
		}
		// SLA warnings come through Notifier.Route with their own key:
		// routing the same warning twice notifies once.
		nt := agreement.NewNotifier(st)
		w := agreement.Work{Kind: raci.WorkSLAWarning, Ref: "sla:WO-1:restore", Title: "WO-1 restore due in 2 h", ProviderRelevant: true}
		k1, err := nt.Route(ctx, w)
		if err != nil || k1 == 0 {
			t.Fatalf("SLA warning: %d %v", k1, err)
		}
		if k2, err := nt.Route(ctx, w); err != nil || k2 != 0 {
			t.Fatalf("repeated SLA warning: %d %v", k2, err)
		}
		if _, err := nt.Route(ctx, agreement.Work{Kind: raci.WorkSLAWarning, Title: "no key"}); err == nil {
			t.Error("work without a key was routed")
		}
		// The provider hears of the work on BM-002, which the agreement
		// names although General Hospital is not in its scope, and not of
		// BM-001's work order.
		p, _ := st.PartyByName(ctx, "Acme Biomed")
		prov := medsec.Actor{UserID: 98, Name: "prov", Role: medsec.RoleProvider, PartyID: p.ID}
		pl, _ := st.Notifications(ctx, prov, false, 100)
		for _, x := range pl {
			if x.Ref == "WO:WO-1" || strings.HasPrefix(x.Ref, "RX-1-") {
				t.Errorf("provider notified of out-of-scope work: %+v", x)
			}
		}
		if !hasRef(pl, "WO:WO-4") || !hasRef(pl, "RX-2-approved") {
			t.Errorf("provider not notified of work on its named device: %+v", pl)
		}
	})
}

func hasRef(list []store.Notification, ref string) bool {
	for _, x := range list {
		if x.Ref == ref {
			return true
		}
	}
	return false
}
