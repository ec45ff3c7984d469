// Package vuln runs the advisory matching over the store: it loads stored
// advisories, groups the inventory by make / model / firmware, runs the
// pure engine in internal/match and records findings per asset.
package vuln

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/csaf"
	"github.com/medsec/medsec/internal/match"
	"github.com/medsec/medsec/internal/store"
)

// Summary reports a match run.
type Summary struct {
	Advisories    int `json:"advisories"`
	Groups        int `json:"groups"`
	GroupFindings int `json:"group_findings"`
	Certain       int `json:"version_certain"`
	AssetFindings int `json:"asset_findings"`
	New           int `json:"new"`
	Gone          int `json:"gone"`
	Skipped       []string

	// Phases times each step (load, groups, engine, write, …) in seconds.
	Phases map[string]float64 `json:"phases"`

	NVD     SourceSummary `json:"nvd"`
	KEVOnly SourceSummary `json:"kev"`
	SBOM    SourceSummary `json:"sbom"`
}

// SourceSummary reports the findings one intelligence source gave.
type SourceSummary struct {
	Records       int `json:"records"`
	AssetFindings int `json:"asset_findings"`
	Certain       int `json:"version_certain"`
	New           int `json:"new"`
	Gone          int `json:"gone"`
}

func (s *Summary) String() string {
	return s.csafLine() + fmt.Sprintf("\nNVD: %d records, %d asset findings, %d new, %d no longer matched; KEV (product only): %d asset findings; SBOM components: %d asset findings, %d new",
		s.NVD.Records, s.NVD.AssetFindings, s.NVD.New, s.NVD.Gone, s.KEVOnly.AssetFindings, s.SBOM.AssetFindings, s.SBOM.New)
}

// Short is the one-line summary of the CSAF part (the UI's message).
func (s *Summary) Short() string { return s.csafLine() }

func (s *Summary) csafLine() string {
	return fmt.Sprintf("matched %d advisories against %d make/model/firmware groups: %d group findings (%d with a certain version), %d asset findings, %d new, %d no longer matched",
		s.Advisories, s.Groups, s.GroupFindings, s.Certain, s.AssetFindings, s.New, s.Gone)
}

// Docs converts loaded advisories for the store.
func Docs(advs []*csaf.Advisory) []store.AdvisoryDoc {
	docs := make([]store.AdvisoryDoc, len(advs))
	for i, a := range advs {
		docs[i] = store.AdvisoryDoc{AdvisoryID: a.ID, Title: a.Title, Publisher: a.Publisher, TLP: a.TLP, Initial: a.Initial, Current: a.Current, Revision: a.Revision, File: a.File, Raw: a.Raw}
	}
	return docs
}

// LoadFS reads every *.json advisory in dir of fsys (the embedded set).
func LoadFS(fsys fs.FS, dir string) ([]*csaf.Advisory, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []*csaf.Advisory
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		a, err := csaf.Load(path.Base(n), bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// MatchAll matches every stored advisory against the medical inventory.
func MatchAll(ctx context.Context, st *store.Store, actor medsec.Actor) (*Summary, error) {
	sum := &Summary{Phases: map[string]float64{}}
	t0 := time.Now()
	phase := func(name string) {
		now := time.Now()
		sum.Phases[name] += now.Sub(t0).Seconds()
		t0 = now
	}
	var advs []*csaf.Advisory
	err := st.EachAdvisory(ctx, func(file string, raw []byte) error {
		a, err := csaf.Load(file, bytes.NewReader(raw))
		if err != nil {
			sum.Skipped = append(sum.Skipped, err.Error())
			return nil
		}
		a.Raw = nil
		advs = append(advs, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	phase("load advisories")
	groups, err := st.DeviceGroups(ctx)
	if err != nil {
		return nil, err
	}
	phase("group inventory")
	devices := make([]match.Device, len(groups))
	byKey := make(map[string]*store.DeviceGroup, len(groups))
	for i := range groups {
		g := &groups[i]
		devices[i] = match.Device{Key: g.Key, Manufacturer: g.Manufacturer, Model: g.Model, ModelNumber: g.ModelNumber, Firmware: g.Firmware}
		byKey[g.Key] = g
	}
	found := match.Match(advs, devices)
	defs := make([]store.FindingDef, 0, len(found))
	for _, f := range found {
		ev, _ := json.Marshal(f.Evidence)
		if f.VersionCertain {
			sum.Certain++
		}
		assets := byKey[f.DeviceKey].Assets
		sum.AssetFindings += len(assets)
		defs = append(defs, store.FindingDef{GroupKey: f.DeviceKey, AdvisoryID: f.AdvisoryID, CVE: f.CVE, ProductID: f.ProductID,
			MatchConfidence: f.Confidence, VersionCertain: f.VersionCertain, Evidence: ev, Assets: assets})
	}
	sum.Advisories, sum.Groups, sum.GroupFindings = len(advs), len(groups), len(found)
	phase("match csaf")
	res, err := st.SyncFindings(ctx, actor, "csaf", defs)
	if err != nil {
		return nil, err
	}
	sum.New, sum.Gone = res.New, res.Gone
	phase("write csaf findings")
	x, kevOnly, n, err := loadNVDIndex(ctx, st)
	if err != nil {
		return nil, err
	}
	sum.NVD.Records, sum.KEVOnly.Records = n, len(kevOnly)
	phase("load nvd and kev")
	nvdDefs, kevDefs := matchNVD(x, kevOnly, groups)
	sbomDefs, err := matchSBOMs(ctx, st, x, groups)
	if err != nil {
		return nil, err
	}
	phase("match nvd, kev and sbom")
	for _, src := range []struct {
		name string
		defs []store.FindingDef
		sum  *SourceSummary
	}{{"nvd", nvdDefs, &sum.NVD}, {"kev", kevDefs, &sum.KEVOnly}, {"sbom", sbomDefs, &sum.SBOM}} {
		for _, d := range src.defs {
			src.sum.AssetFindings += len(d.Assets)
			if d.VersionCertain {
				src.sum.Certain += len(d.Assets)
			}
		}
		res, err := st.SyncFindings(ctx, actor, src.name, src.defs)
		if err != nil {
			return nil, err
		}
		src.sum.New, src.sum.Gone = res.New, res.Gone
	}
	phase("write nvd, kev and sbom findings")
	return sum, nil
}
