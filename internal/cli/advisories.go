package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/csaf"
	"github.com/medsec/medsec/internal/export"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/vuln"
)

func runAdvisories(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stdout, "Usage: medsec advisories import PATH... [--db DSN]\nPATH is a CSAF 2.0 file, a directory of them, or a CSAF provider layout (provider-metadata.json with ROLIE feeds); nothing is fetched.")
			return nil
		}
		return medsec.Errorf(medsec.EINVALID, "usage: medsec advisories import PATH...")
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
	bad := 0
	for _, p := range paths {
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
	fs, db := newFlags(env, "match", "match [--db DSN]")
	st, err := storeFor(ctx, fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := vuln.MatchAll(ctx, st, medsec.System)
	if err != nil {
		return err
	}
	for _, s := range sum.Skipped {
		fmt.Fprintln(env.Stderr, "  skipped: "+s)
	}
	fmt.Fprintln(env.Stdout, sum)
	return nil
}

func runFindings(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "findings", "findings [--format json|csv] [--asset ID] [--cve ID] [--status S]")
	format := fs.String("format", "json", "json or csv")
	asset := fs.Int64("asset", 0, "only this asset")
	cve := fs.String("cve", "", "only this CVE")
	status := fs.String("status", "", "only this status (open, ...)")
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
	rows, err := st.Findings(ctx, store.FindingFilter{AssetID: *asset, CVE: *cve, Status: *status})
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
	w.Write([]string{"asset_id", "asset_tag", "cve", "advisory_id", "product_id", "status", "match_confidence", "version_certain", "evidence"})
	for _, r := range rows {
		var ev []string
		json.Unmarshal(r.Evidence, &ev)
		w.Write([]string{strconv.FormatInt(r.AssetID, 10), r.AssetTag, r.CVE, r.AdvisoryID, r.ProductID, r.Status,
			strconv.FormatFloat(r.MatchConfidence, 'f', 2, 64), strconv.FormatBool(r.VersionCertain), strings.Join(ev, "; ")})
	}
	return w.Flush()
}
