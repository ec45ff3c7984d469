package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/agreement"
	"github.com/medsec/medsec/internal/raci"
	"github.com/medsec/medsec/internal/schedule"
	"github.com/medsec/medsec/internal/service"
	"github.com/medsec/medsec/internal/sla"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/tabular"
	"github.com/medsec/medsec/internal/testdb"
)

func TestPolicyDocRoundTrip(t *testing.T) {
	p, err := sla.DefaultPolicy(service.DefaultZone, []sla.Holiday{{Date: "2026-12-25", Name: "Christmas Day"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(service.Doc(p))
	for _, want := range []string{`"resolve":"5bd"`, `"on_site":"1bd"`, `"response":"30m"`, `"08:00-17:00"`, `"resolve":"30d"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("document lacks %s: %s", want, b)
		}
	}
	_, q, err := service.ParsePolicy(b)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range p.Rules {
		if q.Rules[i] != r {
			t.Errorf("rule %d: %+v, want %+v", i, q.Rules[i], r)
		}
	}
	// Older stored documents: nanoseconds and minute windows.
	old := `{"name":"old","calendars":[{"name":"b","time_zone":"UTC","week":{"monday":[{"start":480,"end":1020}]}}],
		"rules":[{"tier":"critical","event_type":"device_down","response":14400000000000,"calendar":"b"}],"at_risk_fraction":0.75,"tiering":{}}`
	if _, q, err := service.ParsePolicy([]byte(old)); err != nil || q.Rules[0].Response != 4*time.Hour {
		t.Errorf("old document: %v %+v", err, q.Rules)
	}
	if _, _, err := service.ParsePolicy([]byte(`{"calendars":[{"name":"c","time_zone":"Nowhere/Land"}],"rules":[{"tier":"critical","event_type":"down","resolve":"-1h","calendar":"x"}],"at_risk_fraction":2}`)); err == nil ||
		!strings.Contains(err.Error(), `unknown time zone "Nowhere/Land"`) || !strings.Contains(err.Error(), "at_risk_fraction 2") ||
		!strings.Contains(err.Error(), `unknown event type "down"; valid event types are device_down`) {
		t.Errorf("bad document: %v", err)
	}
}

// TestAgreementSLATable: the clocks run on the targets the agreement's
// SLA table states; what it does not state stays the policy's.
func TestAgreementSLATable(t *testing.T) {
	p, _ := sla.DefaultPolicy(service.DefaultZone, nil)
	rows := agreement.Default("H", "P", time.Now()).SLA
	rows[0].Response, rows[0].OnSite, rows[0].Resolve = "15 min, 24×7", "1–2 h", "12 h"
	rows[1].Resolve = "3 business days"
	applied, ignored := service.ApplySLATable(&p, rows)
	eng, err := sla.NewEngine(p)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := eng.Rule(sla.TierCritical, sla.EventDeviceDown)
	if r.Response != 15*time.Minute || r.OnSite != 2*time.Hour || r.Resolve != 12*time.Hour || r.Calendar != "24x7" {
		t.Errorf("critical device down: %+v", r)
	}
	r, _ = eng.Rule(sla.TierNonCritical, sla.EventDeviceDown)
	if r.Response != 4*time.Hour || r.OnSite != 9*time.Hour || r.Resolve != 27*time.Hour || r.Calendar != "business" {
		t.Errorf("non-critical device down: %+v", r)
	}
	r, _ = eng.Rule(sla.TierNonCritical, sla.EventVulnerabilityTriage)
	if r.Resolve != 45*time.Hour {
		t.Errorf("non-critical triage: %+v", r)
	}
	if len(applied) != 4 || len(ignored) != 1 || !strings.Contains(ignored[0], "Patch") {
		t.Errorf("applied %q, ignored %q", applied, ignored)
	}
	testdb.Each(t, func(t *testing.T, dsn string) {
		st := open(t, dsn)
		ctx := context.Background()
		a := agreement.Default("General Hospital", "Acme Biomed", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		a.SLA[0].Response = "10 min, 24×7"
		if _, err := agreement.Save(ctx, st, medsec.System, a, "test"); err != nil {
			t.Fatal(err)
		}
		p, src, err := service.EffectivePolicy(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		eng, _ := sla.NewEngine(p)
		if r, _ := eng.Rule(sla.TierCritical, sla.EventDeviceDown); r.Response != 10*time.Minute || src.AgreementVersion != 1 {
			t.Errorf("effective critical device down %+v, source %+v", r, src)
		}
	})
}

// TestPMClockStartsAtDue: a PM work order's clock starts at the due date
// the schedule computes, not when the order was opened.
func TestPMClockStartsAtDue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		st := open(t, dsn)
		ctx := context.Background()
		tpl := "Scope,Modality,Manufacturer,Model,Task,Interval,Tolerance,Basis\nmodality,Infusion pump,,,PM,annual,30 days,manufacturer\n"
		if _, err := service.ImportTemplates(ctx, st, medsec.System, "t.csv", strings.NewReader(tpl), tabular.Options{}); err != nil {
			t.Fatal(err)
		}
		// BM-001 in service 2020-01-15: P1 answers the due date 2021-01-15
		// (done late, opened 2021-03-01); P2 is due a year after P1's
		// completion, opened before it and still open.
		wos := "WO,Equipment ID,Type,Opened,Completed,Result\n" +
			"P1,BM-001,PM,2021-03-01,2021-03-05,Pass\n" +
			"P2,BM-001,PM,2022-02-01,,\n" +
			"R1,BM-001,Repair,2022-02-10,2022-02-11,Fixed\n"
		if _, err := service.ImportWorkOrders(ctx, st, medsec.System, "w.csv", strings.NewReader(wos), service.WorkOrderOptions{}); err != nil {
			t.Fatal(err)
		}
		asOf := time.Date(2022, 4, 1, 0, 0, 0, 0, time.UTC)
		for _, tc := range []struct {
			id    string
			start time.Time
			state sla.State
		}{
			{"P1", time.Date(2021, 1, 15, 0, 0, 0, 0, time.UTC), sla.StateBreached}, // 49 days after due, target 30 days
			{"P2", time.Date(2022, 3, 5, 0, 0, 0, 0, time.UTC), sla.StateAtRisk},    // 27 of 30 days used
			{"R1", time.Date(2022, 2, 10, 0, 0, 0, 0, time.UTC), sla.StateBreached}, // a repair: opened; no response recorded
		} {
			r, ev, meta, err := service.EventResult(ctx, st, 0, tc.id, asOf)
			if err != nil {
				t.Fatal(tc.id, err)
			}
			if !ev.Start.Equal(tc.start) || r.State != tc.state {
				t.Errorf("%s: start %v state %s, want %v %s (%s)", tc.id, ev.Start, r.State, tc.start, tc.state, meta.StartWhy)
			}
		}
		// The report of March 2022 holds P2 (due in March, opened in February).
		rep, err := service.BuildReport(ctx, st, 0, time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2022, 4, 1, 0, 0, 0, 0, time.UTC), asOf)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range rep.Entries {
			if e.EventType == sla.EventPMCompletion {
				n += e.Total
			}
		}
		if n != 1 {
			t.Errorf("March report: %d PM events, want 1: %+v", n, rep.Entries)
		}
	})
}

// TestCheckWarnings: a breached clock becomes one SLA-warning work item
// routed through the RACI; checking again notifies nobody twice.
func TestCheckWarnings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		st := open(t, dsn)
		ctx := context.Background()
		now := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
		st.Now = func() time.Time { return now }
		keys, _ := st.AssetKeys(ctx)
		// BM-001 is critical (infusion pump): response target 30 min. The
		// order was opened 2 h ago, nobody responded: response breached.
		opened := now.Add(-2 * time.Hour)
		if _, _, err := st.SaveWorkOrders(ctx, medsec.System, "t", []store.WorkOrderRow{{AssetID: keys["BM-001"],
			WorkOrder: newWorkOrder("WO-9", "BM-001", "Repair", opened)}}); err != nil {
			t.Fatal(err)
		}
		ws, err := service.CheckWarnings(ctx, st, now)
		if err != nil {
			t.Fatal(err)
		}
		var breach []service.Warning
		for _, w := range ws {
			if w.EventID == "WO-9" && w.State == sla.StateBreached {
				breach = append(breach, w)
			}
		}
		if len(breach) != 1 || breach[0].Milestone != sla.MilestoneResponse || breach[0].New == 0 {
			t.Fatalf("warnings %+v", ws)
		}
		// The work item sits in exactly one queue (the accountable party's);
		// informed parties get their own copies.
		admin := medsec.Actor{Name: "a", Role: medsec.RoleAdmin, UserID: 999}
		all := 0
		count := func() int {
			ns, err := st.Notifications(ctx, admin, false, 1000)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, x := range ns {
				if x.Kind == string(raci.WorkSLAWarning) {
					all++
					if x.Ref == breach[0].Ref && x.Reason == "accountable" {
						n++
					}
				}
			}
			return n
		}
		if n := count(); n != 1 {
			t.Errorf("the breach is in %d queues, want exactly 1", n)
		}
		before := all
		all = 0
		again, err := service.CheckWarnings(ctx, st, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range again {
			if w.New != 0 {
				t.Errorf("second check notified again: %+v", w)
			}
		}
		if n := count(); n != 1 || all != before {
			t.Errorf("after a second check: %d queued (want 1), %d SLA notifications (want %d)", n, all, before)
		}
	})
}

func newWorkOrder(key, asset, typ string, opened time.Time) schedule.WorkOrder {
	return schedule.WorkOrder{Key: key, AssetKey: asset, Type: typ, Opened: opened}
}

// TestPMWarningsDigest: overdue preventive maintenance is announced as one
// digest per state and day, not one notification per task (a large hospital
// has thousands), and a second check the same day adds nothing.
func TestPMWarningsDigest(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		st := open(t, dsn)
		ctx := context.Background()
		now := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
		st.Now = func() time.Time { return now }
		keys, _ := st.AssetKeys(ctx)
		var rows []store.WorkOrderRow
		for i, tag := range []string{"BM-001", "BM-002", "BM-003"} {
			rows = append(rows, store.WorkOrderRow{AssetID: keys[tag], WorkOrder: newWorkOrder(fmt.Sprintf("PM-%d", i), tag, "PM", now.AddDate(0, 0, -90))})
		}
		if _, _, err := st.SaveWorkOrders(ctx, medsec.System, "t", rows); err != nil {
			t.Fatal(err)
		}
		ws, err := service.CheckWarnings(ctx, st, now)
		if err != nil {
			t.Fatal(err)
		}
		pm := 0
		for _, w := range ws {
			if strings.HasPrefix(w.EventID, "PM-") && w.State == sla.StateBreached {
				pm++
				if w.New != 0 {
					t.Errorf("PM task %s notified on its own", w.EventID)
				}
			}
		}
		if pm != 3 {
			t.Fatalf("%d breached PM clocks, want 3: %+v", pm, ws)
		}
		admin := medsec.Actor{Name: "a", Role: medsec.RoleAdmin, UserID: 999}
		digests := func() []store.Notification {
			ns, err := st.Notifications(ctx, admin, false, 1000)
			if err != nil {
				t.Fatal(err)
			}
			var out []store.Notification
			for _, n := range ns {
				if strings.HasPrefix(n.Ref, "pm-digest|breached|") && n.Reason == "accountable" {
					out = append(out, n)
				}
			}
			return out
		}
		d := digests()
		if len(d) != 1 || !strings.Contains(d[0].Title, "3 PM completion clocks") || !strings.Contains(d[0].Body, "PM-0") {
			t.Fatalf("digest: %+v", d)
		}
		if _, err := service.CheckWarnings(ctx, st, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if d2 := digests(); len(d2) != 1 {
			t.Errorf("a second check the same day made %d digests, want 1", len(d2))
		}
	})
}
