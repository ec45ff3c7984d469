package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/agreement"
	"github.com/medsec/medsec/internal/csaf"
	"github.com/medsec/medsec/internal/export"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/vex"
	"github.com/medsec/medsec/internal/vuln"
)

func runAdvisories(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "fetch" {
		return runFetch(ctx, env, args[1:])
	}
	if len(args) == 0 || args[0] != "import" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stdout, "Usage: medsec advisories import PATH... [--db DSN]\nPATH is a CSAF 2.0 file, a directory of them, a CSAF provider layout (provider-metadata.json with ROLIE feeds),\nan NVD CVE JSON 2.0 file (API pages or records, gzip allowed), the CISA KEV catalog (JSON or CSV) or a FIRST EPSS CSV.\nThe kind of each file is read from its content; nothing is fetched.")
			return nil
		}
		return medsec.Errorf(medsec.EINVALID, "usage: medsec advisories import PATH... | medsec advisories fetch kev|epss|nvd [--url URL]")
	}
	fs, db := newFlags(env, "advisories import", "advisories import PATH...")
	paths, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return medsec.Errorf(medsec.EINVALID, "give at least one file or directory")
	}
	var advsAll []*csaf.Advisory
	var intel []string
	bad := 0
	for _, p := range paths {
		if k, err := sniff(p); err == nil && k != "" && k != vuln.KindCSAF {
			intel = append(intel, p)
			continue
		}
		advs, errs := csaf.LoadPath(p)
		for _, e := range errs {
			bad++
			fmt.Fprintln(env.Stderr, "  refused: "+e.Error())
		}
		advsAll = append(advsAll, advs...)
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, p := range intel {
		im, err := vuln.ImportFile(ctx, st, medsec.System, p)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "loaded "+im.String())
	}
	if len(advsAll) == 0 && bad == 0 && len(intel) > 0 {
		return nil
	}
	docs := vuln.Docs(advsAll)
	added, changed, err := st.SaveAdvisories(ctx, medsec.System, docs)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "loaded %d advisories: %d new, %d changed, %d refused\n", len(docs), added, changed, bad)
	if bad > 0 && len(docs) == 0 {
		return medsec.Errorf(medsec.EINVALID, "no advisory could be loaded")
	}
	return nil
}

// runMatch matches every stored advisory against the inventory's distinct
// make / model / firmware groups and records a finding per asset.
func runMatch(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "match", "match [--timings] [--db DSN]")
	timings := fs.Bool("timings", false, "print how long each phase took")
	st, err := storeFor(ctx, fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	matchStart := st.Now()
	sum, err := vuln.MatchAll(ctx, st, medsec.System)
	if err != nil {
		return err
	}
	for _, s := range sum.Skipped {
		fmt.Fprintln(env.Stderr, "  skipped: "+s)
	}
	fmt.Fprintln(env.Stdout, sum)
	// Route the new and escalated findings through the agreement's RACI;
	// the match stands even if routing fails.
	if n, err := agreement.RouteFindings(ctx, st, matchStart); err != nil {
		fmt.Fprintln(env.Stderr, "  routing: "+medsec.ErrorMessage(err))
	} else if n > 0 {
		fmt.Fprintf(env.Stdout, "%d notifications routed through the agreement's RACI\n", n)
	}
	if *timings {
		names := make([]string, 0, len(sum.Phases))
		for n := range sum.Phases {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(env.Stdout, "  %-34s %6.2fs\n", n, sum.Phases[n])
		}
	}
	return nil
}

func runFindings(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "set" {
		return runFindingSet(ctx, env, args[1:])
	}
	fs, db := newFlags(env, "findings", "findings [--format json|csv] [--asset ID] [--cve ID] [--status S] [--kev] [--epss-min F] [--source S] [--open]\n       medsec findings set ID --status S [--reason R] [...]")
	format := fs.String("format", "json", "json or csv")
	asset := fs.Int64("asset", 0, "only this asset")
	cve := fs.String("cve", "", "only this CVE")
	status := fs.String("status", "", "only this status: "+statusList())
	kev := fs.Bool("kev", false, "only CVEs in the CISA KEV catalog")
	epss := fs.Float64("epss-min", 0, "only CVEs whose EPSS score is at least this (0..1)")
	source := fs.String("source", "", "only findings from csaf (including manual entries), nvd, sbom or kev")
	openOnly := fs.Bool("open", false, "only findings that still ask for work")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := need(pos, 0, ""); err != nil {
		return err
	}
	if *format != "json" && *format != "csv" {
		return medsec.Errorf(medsec.EINVALID, "--format must be json or csv")
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if *epss < 0 || *epss > 1 {
		return medsec.Errorf(medsec.EINVALID, "--epss-min must be between 0 and 1 (got %g)", *epss)
	}
	rows, err := st.Findings(ctx, store.FindingFilter{AssetID: *asset, CVE: *cve, Status: *status, KEV: *kev, EPSSMin: *epss, Source: *source, Open: *openOnly})
	if err != nil {
		return err
	}
	if *format == "json" {
		if rows == nil {
			rows = []store.FindingRow{}
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	w := export.NewCSV(env.Stdout)
	w.Write([]string{"id", "asset_id", "asset_tag", "cve", "advisory_id", "source", "product_id", "status", "match_confidence", "version_certain", "kev", "epss", "evidence"})
	for _, r := range rows {
		var ev []string
		json.Unmarshal(r.Evidence, &ev)
		w.Write([]string{strconv.FormatInt(r.ID, 10), strconv.FormatInt(r.AssetID, 10), r.AssetTag, r.CVE, r.AdvisoryID, r.Source, r.ProductID, r.Status,
			strconv.FormatFloat(r.MatchConfidence, 'f', 2, 64), strconv.FormatBool(r.VersionCertain), strconv.FormatBool(r.KEV),
			strconv.FormatFloat(r.EPSS, 'f', 5, 64), strings.Join(ev, "; ")})
	}
	return w.Flush()
}

func statusList() string {
	names := make([]string, len(medsec.FindingStatuses))
	for i, s := range medsec.FindingStatuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// runFindingSet moves one finding to a new status, as the UI's Decide form.
func runFindingSet(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "findings set", "findings set ID --status S [--reason R] [--confirm] [--fix-validated-on DATE] [--scheduled-for DATE] [--control C] [--accepted-by NAME --accepted-until DATE] [--as USER]")
	var t medsec.FindingTransition
	status := fs.String("status", "", "new status: "+statusList())
	fs.StringVar(&t.Reason, "reason", "", "why")
	fs.BoolVar(&t.Confirm, "confirm", false, "record that the match was checked and is real")
	fs.StringVar(&t.FixValidatedOn, "fix-validated-on", "", "date the manufacturer validated the fix (fix_validated)")
	fs.StringVar(&t.ScheduledFor, "scheduled-for", "", "date the fix is scheduled (scheduled)")
	fs.StringVar(&t.Control, "control", "", "the compensating control (mitigated)")
	fs.StringVar(&t.AcceptedBy, "accepted-by", "", "who approved the risk (risk_accepted)")
	fs.StringVar(&t.AcceptedUntil, "accepted-until", "", "when the acceptance expires (risk_accepted)")
	as := fs.String("as", "", "record the decision in this user's name (default: the system)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := need(pos, 1, "the finding's id"); err != nil {
		return err
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil {
		return medsec.Errorf(medsec.EINVALID, "%q is not a finding id (see medsec findings)", pos[0])
	}
	st2, err := medsec.ParseFindingStatus(*status)
	if err != nil {
		return err
	}
	t.To = st2
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	actor := medsec.System
	if *as != "" {
		u, _, err := st.UserByName(ctx, *as)
		if err != nil {
			return err
		}
		actor = medsec.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, PartyID: u.PartyID}
	}
	f, err := st.TransitionFinding(ctx, actor, id, t)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "finding %d (%s on %s) is now %s\n", f.ID, f.CVE, f.AssetTag, medsec.FindingStatus(f.Status).Label())
	return nil
}

// runVEX writes the hospital's status per CVE of one model as OpenVEX.
func runVEX(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "vex", "vex --model ID [--author NAME]")
	model := fs.Int64("model", 0, "the model's id (see the model page)")
	author := fs.String("author", "medsec", "who issues the statements")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := need(pos, 0, ""); err != nil {
		return err
	}
	if *model == 0 {
		return medsec.Errorf(medsec.EINVALID, "--model is required")
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := st.Model(ctx, *model, 0)
	if err != nil {
		return err
	}
	rows, err := st.Findings(ctx, store.FindingFilter{ModelID: m.ID})
	if err != nil {
		return err
	}
	fs2 := make([]vex.Finding, len(rows))
	for i, r := range rows {
		fs2[i] = vex.Finding{CVE: r.CVE, Status: r.Status, Reason: r.StatusReason, Control: r.Control, Asset: r.AssetTag}
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(vex.Build(vex.Model{Manufacturer: m.Manufacturer, Name: m.Name}, *author, st.Now(), fs2))
}

// runFetch downloads one public feed, only when asked: medsec never
// reaches the network on its own.
func runFetch(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "advisories fetch", "advisories fetch kev|epss|nvd [--url URL] [--match]\nDownloads the feed from its public location (or --url, e.g. an internal mirror) and loads it.\nNVD pages are followed to the end; add lastModStartDate/lastModEndDate to --url for an update.")
	url := fs.String("url", "", "fetch from this address instead of the public one")
	andMatch := fs.Bool("match", false, "match the inventory afterwards")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := need(pos, 1, "which feed: kev, epss or nvd"); err != nil {
		return err
	}
	kind := vuln.Kind(strings.ToLower(pos[0]))
	if _, ok := vuln.Feeds[kind]; !ok {
		return medsec.Errorf(medsec.EINVALID, "unknown feed %q; use kev, epss or nvd", pos[0])
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	im, err := vuln.Fetch(ctx, st, medsec.System, nil, kind, *url)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "fetched "+im.String())
	if *andMatch {
		sum, err := vuln.MatchAll(ctx, st, medsec.System)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, sum)
	}
	return nil
}
