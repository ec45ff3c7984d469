package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/demo"
	"github.com/medsec/medsec/internal/schedule"
	"github.com/medsec/medsec/internal/service"
	"github.com/medsec/medsec/internal/sla"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/tabular"
	"github.com/medsec/medsec/internal/web"
)

// runSchedules: schedules import FILE | schedules status.
func runSchedules(ctx context.Context, env *Env, args []string) error {
	usage := "schedules import FILE [--sheet NAME] [--db DSN] | schedules status [--format json|text] [--db DSN]"
	if len(args) == 0 || (args[0] != "import" && args[0] != "status") {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stdout, "Usage: medsec "+usage)
			return nil
		}
		return medsec.Errorf(medsec.EINVALID, "usage: medsec %s", usage)
	}
	fs, db := newFlags(env, "schedules "+args[0], usage)
	sheet := fs.String("sheet", "", "XLSX worksheet (default: the first)")
	format := fs.String("format", "text", "status: text or json")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if args[0] == "status" {
		if err := need(pos, 0, ""); err != nil {
			return err
		}
		st, err := open(ctx, *db)
		if err != nil {
			return err
		}
		defer st.Close()
		s, err := service.ComputeSchedules(ctx, st, 0, st.Now())
		if err != nil {
			return err
		}
		if *format == "json" {
			return writeJSONOut(env.Stdout, map[string]any{"as_of": s.AsOf, "compliance": s.Compliance(), "problems": s.Problems,
				"due": s.Count(schedule.StatusDue), "overdue": s.Count(schedule.StatusOverdue)})
		}
		fmt.Fprintf(env.Stdout, "%d scheduled tasks: %d due, %d overdue\n", len(s.Results), s.Count(schedule.StatusDue), s.Count(schedule.StatusOverdue))
		for _, g := range s.Compliance()["modality"] {
			fmt.Fprintln(env.Stdout, "  "+g.Explanation)
		}
		fmt.Fprintln(env.Stdout, "most overdue:")
		for _, r := range s.WithStatus(5, schedule.StatusOverdue) {
			fmt.Fprintln(env.Stdout, "  "+r.Explanation)
		}
		return nil
	}
	if err := need(pos, 1, "FILE"); err != nil {
		return err
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	f, err := os.Open(pos[0])
	if err != nil {
		return medsec.Errorf(medsec.EINVALID, "cannot open %s: %v", pos[0], err)
	}
	defer f.Close()
	res, err := service.ImportTemplates(ctx, st, medsec.System, filepath.Base(pos[0]), bufio.NewReader(f), tabular.Options{Sheet: *sheet})
	if res != nil {
		for _, p := range res.Problems {
			fmt.Fprintf(env.Stdout, "%s: %s\n", res.File, p)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "imported %d rows: %d modality and %d model templates (%d new, %d changed)\n", res.Rows, res.Modalities, res.Models, res.Added, res.Changed)
	return nil
}

// runWorkOrders: workorders import FILE.
func runWorkOrders(ctx context.Context, env *Env, args []string) error {
	usage := "workorders import FILE [--skip-bad-rows] [--dry-run] [--tz ZONE] [--dates mdy|dmy] [--sheet NAME] [--db DSN]"
	if len(args) == 0 || args[0] != "import" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stdout, "Usage: medsec "+usage)
			return nil
		}
		return medsec.Errorf(medsec.EINVALID, "usage: medsec %s", usage)
	}
	fs, db := newFlags(env, "workorders import", usage)
	skip := fs.Bool("skip-bad-rows", false, "import the good rows and list the bad ones (default: refuse the file)")
	dry := fs.Bool("dry-run", false, "check the file without storing anything")
	tz := fs.String("tz", "UTC", "IANA zone of dates written without one")
	dates := fs.String("dates", "", "order of numeric dates: mdy (US) or dmy; default: detect, refuse ambiguous values")
	sheet := fs.String("sheet", "", "XLSX worksheet (default: the first)")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := need(pos, 1, "FILE"); err != nil {
		return err
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return medsec.Errorf(medsec.EINVALID, "--tz %q is not an IANA zone", *tz)
	}
	opt := service.WorkOrderOptions{SkipBadRows: *skip, DryRun: *dry, Location: loc, Tabular: tabular.Options{Sheet: *sheet}}
	switch strings.ToLower(*dates) {
	case "":
	case "mdy", "us":
		opt.Convention = sla.ConventionMDY
	case "dmy":
		opt.Convention = sla.ConventionDMY
	default:
		return medsec.Errorf(medsec.EINVALID, "--dates must be mdy or dmy")
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	f, err := os.Open(pos[0])
	if err != nil {
		return medsec.Errorf(medsec.EINVALID, "cannot open %s: %v", pos[0], err)
	}
	defer f.Close()
	res, err := service.ImportWorkOrders(ctx, st, medsec.System, filepath.Base(pos[0]), bufio.NewReader(f), opt)
	if res != nil {
		for _, p := range res.Problems {
			fmt.Fprintf(env.Stdout, "%s: %s\n", res.File, p)
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(env.Stdout, "%s: warning: %s\n", res.File, w)
		}
	}
	if err != nil {
		return err
	}
	verb := "imported"
	if res.DryRun {
		verb = "checked (dry run, nothing stored)"
	}
	fmt.Fprintf(env.Stdout, "%s %d rows: %d new, %d updated, %d skipped (dates %s)\n", verb, res.Rows, res.Added, res.Updated, res.Skipped, res.Convention)
	return nil
}

func writeJSONOut(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// parseDay reads a --from/--to date (ISO or US) in UTC.
func parseDay(flag, v string) (time.Time, error) {
	t, err := sla.ParseDate(v, time.UTC, sla.ConventionMDY)
	if err != nil {
		return t, medsec.Errorf(medsec.EINVALID, "%s: %v", flag, err)
	}
	return t, nil
}

// runSLA: sla report | sla policy | sla credits | sla warnings | sla bench.
func runSLA(ctx context.Context, env *Env, args []string) error {
	usage := "sla report [--from DATE] [--to DATE] [--as-of TIME] [--format json|csv|xlsx] [--out FILE] [--db DSN]\n" +
		"       medsec sla policy show [--effective] [--db DSN] | sla policy set FILE.json [--db DSN]\n" +
		"       medsec sla credits show [--db DSN] | sla credits set FILE.json [--db DSN]\n" +
		"       medsec sla warnings [--db DSN]   (route at-risk and breached clocks through the RACI once each)\n" +
		"       medsec sla bench [--workorders N] [--db DSN]   (same as medsec bench sla)"
	if len(args) > 0 && (args[0] == "policy" || args[0] == "credits") {
		return runSLAPolicy(ctx, env, args[0], args[1:], usage)
	}
	if len(args) > 0 && args[0] == "warnings" {
		return runSLAWarnings(ctx, env, args[1:])
	}
	if len(args) == 0 || (args[0] != "report" && args[0] != "bench") {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stdout, "Usage: medsec "+usage)
			return nil
		}
		return medsec.Errorf(medsec.EINVALID, "usage: medsec %s", usage)
	}
	if args[0] == "bench" {
		return runSLABench(ctx, env, args[1:])
	}
	fs, db := newFlags(env, "sla report", usage)
	fromS := fs.String("from", "", "first day of the period (default: the first of this month)")
	toS := fs.String("to", "", "last day of the period, included (default: the end of this month)")
	asOfS := fs.String("as-of", "", "evaluation time (default: now)")
	format := fs.String("format", "json", "json, csv or xlsx")
	out := fs.String("out", "", "output file (default: standard output)")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := need(pos, 0, ""); err != nil {
		return err
	}
	if *format != "json" && *format != "csv" && *format != "xlsx" {
		return medsec.Errorf(medsec.EINVALID, "--format must be json, csv or xlsx")
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	now := st.Now()
	from, to := sla.MonthBounds(now.Year(), now.Month(), time.UTC)
	if *fromS != "" {
		if from, err = parseDay("--from", *fromS); err != nil {
			return err
		}
	}
	if *toS != "" {
		if to, err = parseDay("--to", *toS); err != nil {
			return err
		}
		to = to.AddDate(0, 0, 1) // the last day counts whole, as in the review pack
	}
	if !to.After(from) {
		return medsec.Errorf(medsec.EINVALID, "--to must not be before --from")
	}
	asOf := now
	if *asOfS != "" {
		if asOf, err = parseDay("--as-of", *asOfS); err != nil {
			return err
		}
	}
	rep, err := service.BuildReport(ctx, st, 0, from, to, asOf)
	if err != nil {
		return err
	}
	var w io.Writer = env.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	switch *format {
	case "csv":
		return rep.WriteCSV(w)
	case "xlsx":
		return rep.WriteXLSX(w)
	}
	return writeJSONOut(w, rep)
}

// runSLAPolicy: sla policy show|set FILE.json, sla credits show|set FILE.json.
func runSLAPolicy(ctx context.Context, env *Env, what string, args []string, usage string) error {
	if len(args) == 0 || (args[0] != "show" && args[0] != "set") {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stdout, "Usage: medsec "+usage)
			return nil
		}
		return medsec.Errorf(medsec.EINVALID, "usage: medsec sla %s show|set FILE.json [--db DSN]", what)
	}
	fs, db := newFlags(env, "sla "+what+" "+args[0], "sla "+what+" show|set FILE.json [--db DSN]")
	effective := fs.Bool("effective", false, "policy show: the policy the clocks run on, with the agreement's SLA table over the saved one")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	n := 0
	if args[0] == "set" {
		n = 1
	}
	if err := need(pos, n, "FILE.json"); err != nil {
		return err
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if args[0] == "show" {
		if what == "credits" {
			ag, err := service.LoadCredits(ctx, st)
			if err != nil {
				return err
			}
			return writeJSONOut(env.Stdout, ag)
		}
		p, src, err := service.StoredPolicy(ctx, st)
		if *effective {
			p, src, err = service.EffectivePolicy(ctx, st)
		}
		if err != nil {
			return err
		}
		if len(src.FromAgreement) > 0 || len(src.Ignored) > 0 {
			fmt.Fprintf(env.Stderr, "the agreement (version %d) sets %d targets; %d of its rows are not read as targets (see --effective)\n",
				src.AgreementVersion, len(src.FromAgreement), len(src.Ignored))
		}
		return writeJSONOut(env.Stdout, service.Doc(p))
	}
	b, err := os.ReadFile(pos[0])
	if err != nil {
		return medsec.Errorf(medsec.EINVALID, "cannot read %s: %v", pos[0], err)
	}
	if what == "credits" {
		ag, err := service.ParseCredits(b)
		if err != nil {
			return err
		}
		if err := service.SaveCredits(ctx, st, medsec.System, ag); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "saved service-credit terms: %d credit rules, cap %g%%\n", len(ag.Credits), ag.CapPercent)
		return nil
	}
	_, p, err := service.ParsePolicy(b)
	if err != nil {
		return err
	}
	if err := service.SavePolicy(ctx, st, medsec.System, p); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "saved SLA policy %q: %d calendars, %d rules (the audit log keeps the previous version)\n", p.Name, len(p.Calendars), len(p.Rules))
	_, src, err := service.EffectivePolicy(ctx, st)
	if err == nil && len(src.FromAgreement) > 0 {
		fmt.Fprintf(env.Stdout, "note: the agreement (version %d) states %d of the targets; its figures apply over this policy:\n", src.AgreementVersion, len(src.FromAgreement))
		for _, a := range src.FromAgreement {
			fmt.Fprintln(env.Stdout, "  "+a)
		}
	}
	return nil
}

// runSLAWarnings routes the SLA clocks at risk or breached (what serve
// does periodically) and prints them.
func runSLAWarnings(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "sla warnings", "sla warnings [--db DSN]")
	st, err := storeFor(ctx, fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	ws, err := service.CheckWarnings(ctx, st, st.Now())
	if err != nil {
		return err
	}
	created := 0
	for _, w := range ws {
		created += w.New
	}
	fmt.Fprintf(env.Stdout, "%d SLA warnings (at risk or breached), %d new notifications\n", len(ws), created)
	return nil
}

// runSLABench measures the SLA status of N work orders end to end: store
// read (work orders, assets, pauses, exceptions, findings) and evaluation.
// It loads N synthetic work orders onto the database's assets first if the
// database holds fewer.
func runSLABench(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "bench sla", "bench sla [--workorders N] [--db DSN]")
	n := fs.Int("workorders", 100000, "number of work orders to evaluate")
	st, err := storeFor(ctx, fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	_, have, err := st.WorkOrders(ctx, store.WorkOrderFilter{Limit: 1})
	if err != nil {
		return err
	}
	if have < *n {
		t := time.Now()
		if err := benchWorkOrders(ctx, st, have, *n-have); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "loaded %d synthetic work orders in %.1fs\n", *n-have, time.Since(t).Seconds())
	}
	runtime.GC()
	t := time.Now()
	ev, err := service.LoadEvents(ctx, st, 0, service.Selection{})
	if err != nil {
		return err
	}
	read := time.Since(t)
	t2 := time.Now()
	res, _ := ev.Evaluate(time.Time{}, time.Time{}, st.Now())
	eval := time.Since(t2)
	breached := 0
	for _, r := range res {
		if r.State == sla.StateBreached {
			breached++
		}
	}
	fmt.Fprintf(env.Stdout, "%d SLA events (%s): store read %.1fs, evaluation %.1fs, total %.1fs; %d breached\n",
		len(res), st.Dialect(), read.Seconds(), eval.Seconds(), time.Since(t).Seconds(), breached)
	// The pages people open: /service (schedules and compliance over
	// every asset and work order) and this month's /sla report.
	tok, cleanup, err := benchUser(ctx, st)
	if err != nil {
		return err
	}
	defer cleanup()
	srv := httptest.NewServer(web.New(st, logger(io.Discard)))
	defer srv.Close()
	for _, target := range []string{"/service", "/api/v1/service", "/sla", "/workorders"} {
		lat, err := measure(srv.URL+target, tok, 3)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%-16s p50 %7.1f ms, max %7.1f ms (3 requests)\n", target, pct(lat, 50), pct(lat, 100))
	}
	return nil
}

// benchWorkOrders adds n synthetic repair and PM work orders spread over
// the assets and the last year.
func benchWorkOrders(ctx context.Context, st *store.Store, offset, n int) error {
	// Only in-service medical assets run SLA clocks, so only they get
	// work orders: every synthetic order is evaluated.
	keys := map[string]int64{}
	var tags []string
	if err := st.EachServiceAsset(ctx, 0, func(a store.ServiceAsset) error {
		keys[a.Tag] = a.ID
		tags = append(tags, a.Tag)
		return nil
	}); err != nil {
		return err
	}
	if len(tags) == 0 {
		return medsec.Errorf(medsec.EINVALID, "the database has no assets; run medsec demo --no-serve first")
	}
	sort.Strings(tags)
	now := st.Now()
	const batch = 20000
	buf := make([]store.WorkOrderRow, 0, batch)
	for i := range n {
		k := offset + i
		tag := tags[k%len(tags)]
		opened := now.Add(-time.Duration(k%8760) * time.Hour)
		w := store.WorkOrderRow{AssetID: keys[tag], WorkOrder: schedule.WorkOrder{Key: fmt.Sprintf("BENCH-%08d", k), AssetKey: tag,
			Type: "Repair", Priority: "2", Opened: opened, Responded: opened.Add(time.Duration(k%300) * time.Minute),
			OnSite: opened.Add(time.Duration(k%600) * time.Minute), Completed: opened.Add(time.Duration(k%96) * time.Hour), Result: "Completed"}}
		if k%3 == 0 {
			w.Type = "PM"
		}
		buf = append(buf, w)
		if len(buf) == batch || i == n-1 {
			if _, _, err := st.SaveWorkOrders(ctx, medsec.System, "bench", buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil
}

// demoService loads the service side of the demo: default schedule
// templates for the demo modalities, a year of CMMS work orders with
// pauses, service-credit terms, end-of-support dates for two legacy models
// and risk exceptions for them. It is deterministic for a seed and a demo
// time, and skips what is already there.
func demoService(ctx context.Context, env *Env, st *store.Store, dir string, seed uint64) error {
	t := time.Now()
	if err := demo.WriteScheduleTemplates(dir); err != nil {
		return err
	}
	tf, err := os.Open(filepath.Join(dir, demo.FileScheduleTemplates))
	if err != nil {
		return err
	}
	tres, err := service.ImportTemplates(ctx, st, medsec.System, demo.FileScheduleTemplates, tf, tabular.Options{})
	tf.Close()
	if err != nil {
		return err
	}
	var assets []demo.WOAsset
	models := map[string][]int64{} // modality → model ids, in tag order
	if err := st.EachServiceAsset(ctx, 0, func(a store.ServiceAsset) error {
		assets = append(assets, demo.WOAsset{Tag: a.Tag, Modality: a.Modality})
		if a.ModelID != 0 {
			models[a.Modality] = append(models[a.Modality], a.ModelID)
		}
		return nil
	}); err != nil {
		return err
	}
	now := st.Now()
	sum, pauses, err := demo.WriteWorkOrders(dir, seed, now, assets)
	if err != nil {
		return err
	}
	wf, err := os.Open(filepath.Join(dir, demo.FileWorkOrders))
	if err != nil {
		return err
	}
	wres, err := service.ImportWorkOrders(ctx, st, medsec.System, demo.FileWorkOrders, bufio.NewReaderSize(wf, 1<<16), service.WorkOrderOptions{})
	wf.Close()
	if err != nil {
		return err
	}
	existing, err := st.Pauses(ctx)
	if err != nil {
		return err
	}
	if len(existing) == 0 {
		for _, p := range pauses {
			if _, err := st.AddPause(ctx, medsec.System, store.PauseRow{EventID: p.WorkOrder, Reason: p.Reason, Note: p.Note, From: p.From, To: p.To}); err != nil {
				return err
			}
		}
	}
	if _, ok, err := st.Setting(ctx, service.SettingCredits); err != nil {
		return err
	} else if !ok {
		if err := service.SaveCredits(ctx, st, medsec.System, sla.Agreement{MonthlyFeeCents: 8_500_000, CapPercent: 15, Credits: []sla.CreditRule{
			{Tier: sla.TierCritical, EventType: sla.EventDeviceDown, PercentPerBreach: 1},
			{Tier: sla.TierNonCritical, EventType: sla.EventDeviceDown, PercentPerBreach: 0.25},
			{EventType: sla.EventSecurityIncident, PercentPerBreach: 2},
			{EventType: sla.EventPMCompletion, PercentPerBreach: 0.125},
		}}); err != nil {
			return err
		}
	}
	// Two legacy models past end of support, each with a risk exception:
	// one on the whole model, expiring within the month, one on a unit.
	xs, err := st.Exceptions(ctx, 0)
	if err != nil {
		return err
	}
	if len(xs) == 0 {
		htm, compliance := medsec.Actor{Name: "demo-htm"}, medsec.Actor{Name: "demo-compliance"}
		for i, mod := range []string{"Infusion pump", "Physiologic monitor"} {
			ids := models[mod]
			if len(ids) == 0 {
				continue
			}
			mid := ids[0]
			if err := st.SetEndOfSupport(ctx, medsec.System, mid, now.AddDate(-1, -i*3, 0).Format("2006-01-02")); err != nil {
				return err
			}
			x := store.ExceptionRow{Decision: "reduce", Reason: "Manufacturer end of support: no further patches will be validated",
				Controls: []string{"segmentation (clinical device VLAN)", "NAC", "allow-listing"}}
			if i == 0 {
				x.ModelID, x.Expiry = mid, now.AddDate(0, 0, 20)
			} else {
				var tag string
				for _, a := range assets {
					if a.Modality == mod {
						tag = a.Tag
						break
					}
				}
				keys, _ := st.AssetKeys(ctx)
				x.AssetID, x.Expiry, x.Decision = keys[tag], now.AddDate(0, 5, 0), "accept"
				x.Controls = []string{"network disconnected; used standalone"}
			}
			id, err := st.RequestException(ctx, htm, x)
			if err != nil {
				return err
			}
			if _, err := st.ApproveException(ctx, compliance, id); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(env.Stdout, "service: %d modality and %d model schedule templates; %d work orders (%d PM, %d repairs, %d security incidents; %d new), %d pauses (%.1fs)\n",
		tres.Modalities, tres.Models, wres.Rows, sum.PM, sum.Repairs, sum.Incidents, wres.Added, sum.Pauses, time.Since(t).Seconds())
	return nil
}
