package nvd

import (
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/medsec/medsec/internal/vers"
)

// Device is one distinct make/model/firmware of the inventory. It mirrors
// match.Device field for field, so nvd.Device(d) converts one.
type Device struct {
	Key          string // caller's id for the group
	Manufacturer string // any spelling; canonicalised through the catalogue
	Model        string
	ModelNumber  string
	Firmware     string // "" when unknown
}

// Finding is one device group affected, or possibly affected, by one CVE.
type Finding struct {
	DeviceKey string
	CVE       string
	// Result is Yes (a configuration certainly applies) or Unknown (one may
	// apply: the firmware is unknown or cannot be compared with NVD's range).
	Result vers.Result
	// Confidence (0..1) is how sure the device identity is (product-name
	// match times vendor factor); it says nothing about the version.
	Confidence float64
	// VersionCertain is false when the version could not be decided:
	// "version unknown — needs review". Such findings are never dropped.
	VersionCertain bool
	Evidence       []string
}

// Index holds many CVEs' configurations, indexed by (canonical vendor,
// normalised CPE product), for matching against an inventory. Only the
// configurations are kept (no descriptions or metrics), so a full NVD
// mirror fits in memory. Add is not safe for concurrent use; Match is, once
// adding is done.
type Index struct {
	in      *interner
	cves    []ccve
	buckets map[string]*bucket // by vendor key
	built   bool
	// NoConfig counts CVEs added without any configuration (NVD has not
	// analysed them yet); they can never match and need other sources.
	NoConfig int
}

// bucket holds one vendor's products with word and key postings.
type bucket struct {
	byWord map[string][]*product
	byKey  map[string][]*product
}

// NewIndex returns an empty Index.
func NewIndex() *Index {
	return &Index{in: newInterner()}
}

// ReadIndex reads an NVD input (see ReadPage) into a new Index.
func ReadIndex(name string, r io.Reader) (*Index, error) {
	x := NewIndex()
	err := Read(name, r, func(c *CVE) error { x.Add(c); return nil })
	return x, err
}

// Add indexes the configurations of c. c is not retained.
func (x *Index) Add(c *CVE) {
	if len(c.Configurations) == 0 {
		x.NoConfig++
	}
	x.cves = append(x.cves, x.in.compile(c, int32(len(x.cves))))
	x.built = false
}

// Len is the number of CVEs added.
func (x *Index) Len() int { return len(x.cves) }

// Products is the number of distinct (vendor, product) pairs indexed.
func (x *Index) Products() int { return len(x.in.order) }

// build (re)computes the vendor buckets after Adds.
func (x *Index) build() {
	if x.built {
		return
	}
	x.buckets = map[string]*bucket{}
	for _, p := range x.in.order {
		if p.vendor.key == "" {
			continue
		}
		b := x.buckets[p.vendor.key]
		if b == nil {
			b = &bucket{byWord: map[string][]*product{}, byKey: map[string][]*product{}}
			x.buckets[p.vendor.key] = b
		}
		b.byKey[p.key] = append(b.byKey[p.key], p)
		for i, w := range p.toks {
			if !contains(p.toks[:i], w) {
				b.byWord[w] = append(b.byWord[w], p)
			}
		}
	}
	x.built = true
}

// group is the device groups sharing one make/model.
type group struct {
	id      *modelID
	devices []Device
}

// Match returns the findings of the indexed CVEs for devices: at most one
// per (device, CVE), sorted by DeviceKey then CVE. Devices are grouped by
// make/model, each model's candidate products are found through the word
// postings of its vendor, and only the CVEs naming those products are
// evaluated, once per device group with that group's firmware.
func (x *Index) Match(devices []Device) []Finding {
	x.build()
	groups := map[string]*group{}
	var order []*group
	for _, d := range devices {
		vk, canon := deviceVendor(d.Manufacturer)
		if vk == "" || x.buckets[vk] == nil {
			continue // no CVE names this maker
		}
		k := vk + "\x00" + d.Model + "\x00" + d.ModelNumber
		g := groups[k]
		if g == nil {
			var names, nums []string
			if strings.TrimSpace(d.Model) != "" {
				names = []string{d.Model}
			}
			if strings.TrimSpace(d.ModelNumber) != "" {
				nums = []string{d.ModelNumber}
			}
			g = &group{id: newModelID(vk, canon, names, nums)}
			groups[k] = g
			order = append(order, g)
		}
		g.devices = append(g.devices, d)
	}

	workers := runtime.GOMAXPROCS(0)
	if workers > len(order) {
		workers = len(order)
	}
	results := make([][]Finding, workers)
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(order) {
					return
				}
				results[w] = append(results[w], x.matchGroup(order[i])...)
			}
		}(w)
	}
	wg.Wait()
	var out []Finding
	for _, r := range results {
		out = append(out, r...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].DeviceKey != out[j].DeviceKey {
			return out[i].DeviceKey < out[j].DeviceKey
		}
		return out[i].CVE < out[j].CVE
	})
	return out
}

// matchGroup finds the products designating one model and evaluates their
// CVEs for each device group of that model.
func (x *Index) matchGroup(g *group) []Finding {
	b := x.buckets[g.id.vendorKey]
	seen := map[*product]bool{}
	known := map[*product]nameMatch{}
	consider := func(ps []*product) {
		for _, p := range ps {
			if seen[p] {
				continue
			}
			seen[p] = true
			if nm, ok := g.id.match(p); ok {
				known[p] = nm
			}
		}
	}
	for _, f := range g.id.forms {
		consider(b.byKey[f.key])
		for _, w := range f.toks {
			consider(b.byWord[w])
		}
	}
	if len(known) == 0 {
		return nil
	}
	var ids []int32
	for p := range known {
		ids = append(ids, p.cves...)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var out []Finding
	for _, d := range g.devices {
		t := &target{vendorKey: g.id.vendorKey, id: g.id, hw: g.id, firmware: strings.TrimSpace(d.Firmware), known: known}
		for i, id := range ids {
			if i > 0 && ids[i-1] == id {
				continue
			}
			c := &x.cves[id]
			ev := t.evalCVE(c)
			if ev.Result == vers.No {
				continue
			}
			out = append(out, Finding{DeviceKey: d.Key, CVE: c.id, Result: ev.Result, Confidence: ev.Confidence,
				VersionCertain: ev.Result == vers.Yes, Evidence: ev.Evidence})
		}
	}
	return out
}
