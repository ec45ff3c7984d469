package linker

import (
	"cmp"
	"slices"

	"github.com/medsec/medsec/internal/store"
)

// Which network systems hold a live record on an asset, as bits.
const (
	linkedCMDB       uint8 = 1 << iota
	linkedMonitoring       // monitoring or Zeek
	linkedNetwork          // any system but the CMMS
)

// assetLinks is one asset's linked systems.
type assetLinks struct {
	asset int64
	bits  uint8
}

// linkedSystems says, for every asset with a live network record once the
// run's assignments apply, which systems those records come from; in
// asset id order. all is every live record in id order (as loaded); assign
// is sorted here by record id, the order the write wants too. A record
// with no assignment stays on the asset it had.
func linkedSystems(all []placedRecord, assign []store.Assignment) []assetLinks {
	slices.SortFunc(assign, func(a, b store.Assignment) int { return cmp.Compare(a.RecordID, b.RecordID) })
	var out []assetLinks
	k := 0
	for i := range all {
		r := &all[i]
		asset := r.AssetID
		for k < len(assign) && assign[k].RecordID < r.ID {
			k++
		}
		if k < len(assign) && assign[k].RecordID == r.ID {
			asset = assign[k].AssetID // 0 for a discovered asset: never a CMMS asset
		}
		if asset == 0 || r.System == "cmms" {
			continue
		}
		bits := linkedNetwork
		switch r.System {
		case "cmdb":
			bits |= linkedCMDB
		case "monitoring", "zeek":
			bits |= linkedMonitoring
		}
		out = append(out, assetLinks{asset, bits})
	}
	slices.SortFunc(out, func(a, b assetLinks) int { return cmp.Compare(a.asset, b.asset) })
	merged := out[:0]
	for _, l := range out {
		if n := len(merged); n > 0 && merged[n-1].asset == l.asset {
			merged[n-1].bits |= l.bits
		} else {
			merged = append(merged, l)
		}
	}
	return slices.Clip(merged)
}

// coverageCount counts, per facility and modality, the in-scope CMMS assets
// and how many of them are linked to the CMDB and to monitoring. In scope
// (see store.CoverageAsset): known to be networked, because its modality
// always is, the CMMS gives it network data, or a network record is linked
// to it.
type coverageCount struct {
	links       []assetLinks // by asset id
	networkable map[string]bool
	rows        map[[2]string]*store.CoverageRow
}

func newCoverageCount(links []assetLinks, networkable []string) *coverageCount {
	c := &coverageCount{links: links, networkable: map[string]bool{}, rows: map[[2]string]*store.CoverageRow{}}
	for _, code := range networkable {
		c.networkable[code] = true
	}
	return c
}

func (c *coverageCount) add(a *store.CoverageAsset) {
	var bits uint8
	if i, ok := slices.BinarySearchFunc(c.links, a.ID, func(l assetLinks, id int64) int { return cmp.Compare(l.asset, id) }); ok {
		bits = c.links[i].bits
	}
	if !c.networkable[a.ModalityCode] && !a.Networked && bits&linkedNetwork == 0 {
		return
	}
	key := [2]string{a.Facility, a.Modality}
	row := c.rows[key]
	if row == nil {
		row = &store.CoverageRow{Facility: a.Facility, Modality: a.Modality}
		c.rows[key] = row
	}
	row.InScope++
	if bits&linkedCMDB != 0 {
		row.ToCMDB++
	}
	if bits&linkedMonitoring != 0 {
		row.ToMonitoring++
	}
}

// result lists the counts by facility, then modality.
func (c *coverageCount) result() []store.CoverageRow {
	out := make([]store.CoverageRow, 0, len(c.rows))
	for _, r := range c.rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b store.CoverageRow) int {
		return cmp.Or(cmp.Compare(a.Facility, b.Facility), cmp.Compare(a.Modality, b.Modality))
	})
	return out
}
