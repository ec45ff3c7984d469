// Package match decides which inventory devices a CSAF advisory is about and
// explains why. It is pure: no I/O, no state between calls.
//
// A finding needs three things to agree: the advisory's vendor branch names
// the device's manufacturer (vendor.go), the product name designates the
// device's model (product.go), and the product's version or range admits the
// device's firmware (version.go). Each step writes a line of Evidence, so a
// person can check every finding without re-reading the advisory.
package match

import (
	"sort"
	"strings"

	"github.com/medsec/medsec/internal/csaf"
)

// Device is one distinct make/model/firmware of the inventory; callers group
// assets by it so each advisory is judged once per group, not per asset.
type Device struct {
	Key          string // caller's id for the group
	Manufacturer string // canonical (catalog) name, e.g. "BD"
	Model        string
	ModelNumber  string
	Firmware     string // "" when unknown
}

// Finding is one device group affected (or possibly affected) by one
// vulnerability of one advisory.
type Finding struct {
	DeviceKey  string
	AdvisoryID string
	CVE        string // "" when the advisory's vulnerability has no CVE
	ProductID  string // the advisory product that gave the finding
	// Confidence (0..1) is how sure the device identity is: the product-name
	// match kind (see product.go) times the vendor match factor. It says
	// nothing about the version; VersionCertain does.
	Confidence float64
	// VersionCertain is false when the version could not be decided ("version
	// unknown — needs review"): the range is not interpretable, the device
	// firmware is unknown, or the two cannot be compared.
	VersionCertain bool
	// Status is the CSAF product status that matched: known_affected,
	// first_affected or last_affected.
	Status   string
	Evidence []string
}

// affectedStatuses are the product_status categories that make a finding,
// best first. fixed, first_fixed and known_not_affected never make one; a
// device whose firmware certainly falls in such a product is noted in the
// evidence of an uncertain finding for the same vulnerability, because that
// is a strong hint for the reviewer, but it does not remove the finding.
// under_investigation and recommended make no finding either (the vendor has
// not said the product is affected).
var affectedStatuses = []string{"known_affected", "first_affected", "last_affected"}

var clearingStatuses = []string{"fixed", "first_fixed", "known_not_affected"}

// candidate is a device that one advisory product designates, with the
// version verdict for the device's firmware.
type candidate struct {
	dp   *deviceProfile
	prod int
	conf float64
	ev   []string // vendor, product, version lines
	v    verdict
}

// bucket holds the distinct models of one manufacturer (each with its
// device groups) and the words of the manufacturer's name.
type bucket struct {
	models     []*modelProfile
	byKey      map[string]*modelProfile
	vendorToks map[string]bool
}

// Match returns the findings of advs against devices: at most one per
// (device, advisory, CVE), the best product by version certainty, then
// confidence, then status and document order, with the other matching
// products named in the evidence. The result is sorted by DeviceKey,
// AdvisoryID, CVE and ProductID.
//
// Devices are indexed by manufacturer, so an advisory product is compared
// only with the devices of the manufacturers its vendor names: the cost is
// about advisories × products × devices of those manufacturers.
func Match(advs []*csaf.Advisory, devices []Device) []Finding {
	buckets := map[string]*bucket{}
	for i, d := range devices {
		k := deviceVendorKey(d.Manufacturer)
		if k == "" {
			continue // no manufacturer: no vendor can name it
		}
		b := buckets[k]
		if b == nil {
			b = &bucket{byKey: map[string]*modelProfile{}, vendorToks: toSet(fineWords(canonicalName(d.Manufacturer)))}
			buckets[k] = b
		}
		mk := d.Model + "\x00" + d.ModelNumber
		mp := b.byKey[mk]
		if mp == nil {
			mp = profileModel(d, k, b.vendorToks)
			b.byKey[mk] = mp
			b.models = append(b.models, mp)
		}
		mp.devices = append(mp.devices, &deviceProfile{Device: d, idx: i, modelProfile: mp})
	}
	var out []Finding
	for _, a := range advs {
		if a != nil {
			out = append(out, matchAdvisory(a, buckets)...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := &out[i], &out[j]
		if x.DeviceKey != y.DeviceKey {
			return x.DeviceKey < y.DeviceKey
		}
		if x.AdvisoryID != y.AdvisoryID {
			return x.AdvisoryID < y.AdvisoryID
		}
		if x.CVE != y.CVE {
			return x.CVE < y.CVE
		}
		return x.ProductID < y.ProductID
	})
	return out
}

func matchAdvisory(a *csaf.Advisory, buckets map[string]*bucket) []Finding {
	// Which devices each product designates, computed once per product and
	// shared by all the advisory's vulnerabilities.
	byID := make(map[string]int, len(a.Products))
	cands := make([][]candidate, len(a.Products))
	specs := make([]versionSpec, len(a.Products))
	for i := range a.Products {
		p := &a.Products[i]
		if _, dup := byID[p.ID]; !dup {
			byID[p.ID] = i
		}
		specs[i] = specOf(p.Version, p.VersionRange)
		name := p.Name
		if name == "" {
			name = p.FullName
		}
		pp := profileProduct(name, p.ModelNumbers)
		for _, vh := range resolveVendor(p.Vendor) {
			b := buckets[vh.key]
			if b == nil {
				continue
			}
			prod := significant(pp.fine, b.vendorToks)
			core := coreWords(pp.fine, b.vendorToks)
			pc := catalogModelFor(vh.key, pp.key)
			for _, mp := range b.models {
				nm, ok := matchName(pp, prod, core, pc, mp)
				if !ok {
					continue
				}
				for _, dp := range mp.devices {
					v := specs[i].judge(dp.Firmware)
					cands[i] = append(cands[i], candidate{dp: dp, prod: i, conf: nm.conf * vh.factor,
						ev: []string{vh.evidence, nm.evidence, v.ev}, v: v})
				}
			}
		}
	}

	var out []Finding
	for _, vu := range a.Vulns {
		type pick struct {
			c      candidate
			status string
			rank   int
			others []string
		}
		best := map[int]*pick{} // by device index
		var order []int
		for rank, st := range affectedStatuses {
			for _, id := range vu.Status[st] {
				pi, ok := byID[id]
				if !ok {
					continue
				}
				for _, c := range cands[pi] {
					if !c.v.include {
						continue
					}
					cur := best[c.dp.idx]
					if cur == nil {
						best[c.dp.idx] = &pick{c: c, status: st, rank: rank}
						order = append(order, c.dp.idx)
						continue
					}
					if better(c, rank, cur.c, cur.rank) {
						cur.others = append(cur.others, describe(a, cur.c))
						cur.c, cur.status, cur.rank = c, st, rank
					} else if cur.c.prod != c.prod {
						cur.others = append(cur.others, describe(a, c))
					}
				}
			}
		}
		if len(order) == 0 {
			continue
		}
		cleared := clearedBy(a, vu, byID, cands)
		for _, di := range order {
			pk := best[di]
			ev := append([]string(nil), pk.c.ev...)
			if len(pk.others) > 0 {
				ev = append(ev, "also matched: "+strings.Join(dedupe(pk.others), "; "))
			}
			if !pk.c.v.certain {
				if fx, ok := cleared[di]; ok {
					ev = append(ev, "note: the firmware is inside "+fx+", which the advisory lists as not affected or fixed")
				}
			}
			p := &a.Products[pk.c.prod]
			out = append(out, Finding{
				DeviceKey:      pk.c.dp.Key,
				AdvisoryID:     a.ID,
				CVE:            vu.CVE,
				ProductID:      p.ID,
				Confidence:     pk.c.conf,
				VersionCertain: pk.c.v.certain,
				Status:         pk.status,
				Evidence:       ev,
			})
		}
	}
	return out
}

// better orders two candidates for the same device and vulnerability: a
// decided version beats an undecided one, then identity confidence, then the
// status order, then document order.
func better(c candidate, rank int, cur candidate, curRank int) bool {
	if c.v.certain != cur.v.certain {
		return c.v.certain
	}
	if c.conf != cur.conf {
		return c.conf > cur.conf
	}
	if rank != curRank {
		return rank < curRank
	}
	return c.prod < cur.prod
}

// clearedBy maps device index → description of a fixed / not-affected
// product of this vulnerability whose version certainly contains the device's
// firmware.
func clearedBy(a *csaf.Advisory, vu csaf.Vuln, byID map[string]int, cands [][]candidate) map[int]string {
	var m map[int]string
	for _, st := range clearingStatuses {
		for _, id := range vu.Status[st] {
			pi, ok := byID[id]
			if !ok {
				continue
			}
			for _, c := range cands[pi] {
				if !c.v.yes || specsAll(a, pi) {
					continue
				}
				if m == nil {
					m = map[int]string{}
				}
				if _, seen := m[c.dp.idx]; !seen {
					m[c.dp.idx] = st + " " + describe(a, c)
				}
			}
		}
	}
	return m
}

// specsAll: a fixed product whose version is "all versions" says nothing
// about a particular firmware, so it does not count as clearing.
func specsAll(a *csaf.Advisory, pi int) bool {
	p := &a.Products[pi]
	return specOf(p.Version, p.VersionRange).cons.AllVersions()
}

func describe(a *csaf.Advisory, c candidate) string {
	p := &a.Products[c.prod]
	v := p.VersionRange
	if v == "" {
		v = p.Version
	}
	return p.ID + " '" + p.Name + "' " + v
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
