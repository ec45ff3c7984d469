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
		if err := st.PutSnapshot(ctx, medsec.System, "2026-02-01", []store.SnapshotValue{{Metric: agreement.MetricRiskTier, Dimension: "4", Value: 3}, {Metric: agreement.MetricRiskTier, Dimension: "1", Value: 10}}); err != nil {
			t.Fatal(err)
		}
		if err := st.PutSnapshot(ctx, medsec.System, "2026-03-01", []store.SnapshotValue{{Metric: agreement.MetricRiskTier, Dimension: "4", Value: 2}}); err != nil {
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
