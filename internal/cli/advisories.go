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
	"github.com/medsec/medsec/internal/match"
	"github.com/medsec/medsec/internal/store"
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
	var docs []store.AdvisoryDoc
	bad := 0
	for _, p := range paths {
		advs, errs := csaf.LoadPath(p)
		for _, e := range errs {
			bad++
			fmt.Fprintln(env.Stderr, "  refused: "+e.Error())
		}
		for _, a := range advs {
			docs = append(docs, store.AdvisoryDoc{AdvisoryID: a.ID, Title: a.Title, Publisher: a.Publisher, TLP: a.TLP, Initial: a.Initial, Current: a.Current, Revision: a.Revision, File: a.File, Raw: a.Raw})
		}
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
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
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := need(pos, 0, ""); err != nil {
		return err
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	var advs []*csaf.Advisory
	err = st.EachAdvisory(ctx, func(file string, raw []byte) error {
		a, err := csaf.Load(file, strings.NewReader(string(raw)))
		if err != nil {
			fmt.Fprintln(env.Stderr, "  skipped: "+err.Error())
			return nil
		}
		advs = append(advs, a)
		return nil
	})
	if err != nil {
		return err
	}
	groups, err := st.DeviceGroups(ctx)
	if err != nil {
		return err
	}
	devices := make([]match.Device, len(groups))
	byKey := make(map[string]*store.DeviceGroup, len(groups))
	for i := range groups {
		g := &groups[i]
		devices[i] = match.Device{Key: g.Key, Manufacturer: g.Manufacturer, Model: g.Model, ModelNumber: g.ModelNumber, Firmware: g.Firmware}
		byKey[g.Key] = g
	}
	found := match.Match(advs, devices)
	var rows []store.FindingRow
	certain := 0
	for _, f := range found {
		ev, _ := json.Marshal(f.Evidence)
		if f.VersionCertain {
			certain++
		}
		for _, id := range byKey[f.DeviceKey].Assets {
			rows = append(rows, store.FindingRow{AssetID: id, AdvisoryID: f.AdvisoryID, CVE: f.CVE, ProductID: f.ProductID,
				MatchConfidence: f.Confidence, VersionCertain: f.VersionCertain, Evidence: ev})
		}
	}
	added, err := st.SaveFindings(ctx, medsec.System, rows)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "matched %d advisories against %d make/model/firmware groups: %d group findings (%d with a certain version), %d asset findings, %d new\n",
		len(advs), len(groups), len(found), certain, len(rows), added)
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
