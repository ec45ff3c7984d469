package vuln

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/kev"
	"github.com/medsec/medsec/internal/nvd"
	"github.com/medsec/medsec/internal/sbom"
	"github.com/medsec/medsec/internal/store"
)

// loadNVDIndex builds the CPE index from every stored NVD record, plus one
// synthetic record per KEV entry that NVD does not hold: KEV names only a
// vendor and a product, so such matches are product-only and always need
// review.
func loadNVDIndex(ctx context.Context, st *store.Store) (*nvd.Index, map[string]bool, int, error) {
	x := nvd.NewIndex()
	have := map[string]bool{}
	n := 0
	err := st.EachNVD(ctx, func(id string, raw []byte) error {
		return nvd.Read(id, bytes.NewReader(raw), func(c *nvd.CVE) error {
			x.Add(c)
			have[c.ID] = true
			n++
			return nil
		})
	})
	if err != nil {
		return nil, nil, 0, err
	}
	kevOnly := map[string]bool{}
	rows, err := st.KEV(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	for _, k := range rows {
		if have[k.CVE] {
			continue
		}
		v, p := cpeWord(k.VendorProject), cpeWord(k.Product)
		if v == "" || p == "" {
			continue
		}
		x.Add(&nvd.CVE{ID: k.CVE, Configurations: []nvd.Config{{Nodes: []nvd.Node{{Operator: "OR", CPEMatch: []nvd.CPEMatch{{
			Vulnerable: true, Criteria: "cpe:2.3:a:" + v + ":" + p + ":*:*:*:*:*:*:*:*"}}}}}}})
		kevOnly[k.CVE] = true
	}
	return x, kevOnly, n, nil
}

// cpeWord spells a KEV vendor or product the way CPE does.
func cpeWord(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		case r == ' ' || r == '_':
			b.WriteByte('_')
		}
	}
	return strings.Trim(b.String(), "_")
}

// matchNVD matches the NVD (and KEV-only) index against the device groups.
func matchNVD(x *nvd.Index, kevOnly map[string]bool, groups []store.DeviceGroup) (nvdDefs, kevDefs []store.FindingDef) {
	devices := make([]nvd.Device, len(groups))
	byKey := make(map[string]*store.DeviceGroup, len(groups))
	for i := range groups {
		g := &groups[i]
		devices[i] = nvd.Device{Key: g.Key, Manufacturer: g.Manufacturer, Model: g.Model, ModelNumber: g.ModelNumber, Firmware: g.Firmware}
		byKey[g.Key] = g
	}
	for _, f := range x.Match(devices) {
		ev := f.Evidence
		vc := f.VersionCertain
		if kevOnly[f.CVE] {
			vc = false
			ev = append([]string{"CISA KEV lists this product without versions, and NVD holds no configuration for " + f.CVE + ": version unknown — needs review"}, ev...)
		}
		evj, _ := json.Marshal(ev)
		d := store.FindingDef{GroupKey: f.DeviceKey, AdvisoryID: "NVD", CVE: f.CVE, MatchConfidence: f.Confidence, VersionCertain: vc, Evidence: evj,
			Assets: byKey[f.DeviceKey].Assets}
		if kevOnly[f.CVE] {
			d.AdvisoryID = "KEV"
			kevDefs = append(kevDefs, d)
		} else {
			nvdDefs = append(nvdDefs, d)
		}
	}
	return nvdDefs, kevDefs
}

// matchSBOMs matches every stored SBOM's components against the NVD index
// and gives each group of the SBOM's make / model (/ firmware, when the SBOM
// names one) the component's findings.
func matchSBOMs(ctx context.Context, st *store.Store, x *nvd.Index, groups []store.DeviceGroup) ([]store.FindingDef, error) {
	docs, err := st.SBOMs(ctx, "", "", true)
	if err != nil {
		return nil, err
	}
	type compRef struct {
		doc  *store.SBOMDoc
		comp store.SBOMComponent
		how  string
	}
	var devices []nvd.Device
	refs := map[string]compRef{}
	for i := range docs {
		d := &docs[i]
		for j, c := range d.Components {
			sc := sbom.Component{Name: c.Name, Version: c.Version, Supplier: c.Supplier, PURL: c.PURL, CPEs: c.CPEs}
			for k, vp := range sbom.CPECandidates(sc) {
				key := fmt.Sprintf("%d/%d/%d", d.ID, j, k)
				devices = append(devices, nvd.Device{Key: key, Manufacturer: strings.ReplaceAll(vp.Vendor, "_", " "), Model: strings.ReplaceAll(vp.Product, "_", " "), Firmware: c.Version})
				refs[key] = compRef{doc: d, comp: c, how: vp.Source}
			}
		}
	}
	if len(devices) == 0 {
		return nil, nil
	}
	var out []store.FindingDef
	seen := map[string]bool{}
	for _, f := range x.Match(devices) {
		ref := refs[f.DeviceKey]
		d := ref.doc
		product := ref.comp.Name + "@" + ref.comp.Version
		for gi := range groups {
			g := &groups[gi]
			if !sameModel(g, d) {
				continue
			}
			k := g.Key + "|" + d.Name + "|" + f.CVE + "|" + product
			if seen[k] {
				continue
			}
			seen[k] = true
			conf := f.Confidence
			ev := []string{fmt.Sprintf("SBOM %q (%s %s) of %s %s%s lists component %s %s (matched by %s)", d.Name, d.Format, d.SpecVersion, d.Manufacturer, d.Model,
				firmwareNote(d.Firmware), ref.comp.Name, ref.comp.Version, ref.how)}
			if d.Firmware == "" {
				conf *= 0.8
				ev = append(ev, "the SBOM names no firmware version, so it is applied to every firmware of the model (confidence × 0.8)")
			}
			ev = append(ev, f.Evidence...)
			evj, _ := json.Marshal(ev)
			out = append(out, store.FindingDef{GroupKey: g.Key, AdvisoryID: "SBOM:" + d.Name, CVE: f.CVE, ProductID: product,
				MatchConfidence: conf, VersionCertain: f.VersionCertain, Evidence: evj, Assets: g.Assets})
		}
	}
	return out, nil
}

func firmwareNote(fw string) string {
	if fw == "" {
		return ""
	}
	return " firmware " + fw
}

// sameModel reports whether a device group is the make / model (and
// firmware, when the SBOM names one) an SBOM is attached to.
func sameModel(g *store.DeviceGroup, d *store.SBOMDoc) bool {
	if !strings.EqualFold(g.Manufacturer, d.Manufacturer) {
		return false
	}
	if !strings.EqualFold(g.Model, d.Model) && !(g.ModelNumber != "" && strings.EqualFold(g.ModelNumber, d.Model)) {
		return false
	}
	return d.Firmware == "" || strings.EqualFold(strings.TrimSpace(g.Firmware), strings.TrimSpace(d.Firmware))
}

// KEVRows converts a KEV catalog for the store.
func KEVRows(c *kev.Catalog) []store.KEVRow {
	out := make([]store.KEVRow, len(c.Entries))
	for i, e := range c.Entries {
		r := "Unknown"
		if e.KnownRansomware {
			r = "Known"
		}
		out[i] = store.KEVRow{CVE: e.CVE, VendorProject: e.VendorProject, Product: e.Product, Name: e.Name, DateAdded: e.DateAdded,
			DueDate: e.DueDate, Ransomware: r, RequiredAction: e.RequiredAction}
	}
	return out
}

// nvdRow converts a parsed NVD record for the store, keeping it verbatim.
func nvdRow(c *nvd.CVE) (store.NVDRow, error) {
	raw, err := json.Marshal(map[string]any{"cve": c})
	if err != nil {
		return store.NVDRow{}, err
	}
	r := store.NVDRow{CVE: c.ID, Published: c.Published, LastModified: c.LastModified, Description: c.Description(), Raw: raw}
	if m, ok := c.Metrics.Best(); ok {
		r.Vector, r.Score = m.Data.VectorString, m.Data.BaseScore
	}
	return r, nil
}

var _ = medsec.System
