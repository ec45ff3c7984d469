package nvd

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/medsec/medsec/internal/vers"
)

// Facts describe one device the way CPE names things: its maker, the names
// of its firmware or application product, the names of its hardware, and
// their versions. Names are model names or model numbers as the inventory
// or the catalogue spells them ("Alaris PC Unit", "8015"); the catalogue's
// other spellings of a known model are added automatically.
type Facts struct {
	Vendor   string   // manufacturer, any spelling ("BD", "CareFusion")
	Products []string // firmware/application product names
	Hardware []string // hardware product names; nil means the same as Products
	Version  string   // firmware/application version; "" = unknown
	// HardwareVersion is the hardware revision; "" = unknown. It only matters
	// for the rare hardware CPEs that carry version bounds.
	HardwareVersion string
}

// Evaluation is the verdict of a CVE or configuration for one device.
type Evaluation struct {
	// Result is Yes when a configuration certainly applies, Unknown when one
	// may apply but a version could not be decided (unknown firmware, a range
	// that needs review), No otherwise.
	Result vers.Result
	// Confidence (0..1) is how sure the device identity is: the best
	// product-name match of a vulnerable entry times the vendor factor.
	Confidence float64
	// Evidence says which cpeMatch entries matched and why, per
	// configuration, preceded by the vendor and product reasoning.
	Evidence []string
}

// Evaluate evaluates every configuration of c for the device f: the CVE
// applies when any configuration does.
func Evaluate(c *CVE, f Facts) Evaluation {
	in := newInterner()
	cc := in.compile(c, -1)
	return newFactsTarget(f).evalCVE(&cc)
}

// EvaluateConfig evaluates one configuration for the device f.
func EvaluateConfig(cfg Config, f Facts) Evaluation {
	return Evaluate(&CVE{Configurations: []Config{cfg}}, f)
}

// --- compiled configurations -------------------------------------------

// cmatch is a compiled cpeMatch entry; the version constraint is built on
// first use, since most entries never meet a device of their product.
type cmatch struct {
	criteria   string
	part       byte
	vulnerable bool
	prod       *product
	version    string     // raw CPE version attribute
	bounds     *[4]string // startIncl, startExcl, endIncl, endExcl; nil when none
	con        atomic.Pointer[vers.Constraint]
}

type cnode struct {
	and, negate bool
	ms          []*cmatch
}

type cconfig struct {
	and, negate bool
	nodes       []cnode
}

type ccve struct {
	id      string
	configs []cconfig
}

var boundNames = [4]string{"versionStartIncluding", "versionStartExcluding", "versionEndIncluding", "versionEndExcluding"}

func (m *cmatch) constraint() *vers.Constraint {
	if c := m.con.Load(); c != nil {
		return c
	}
	var b [4]string
	if m.bounds != nil {
		b = *m.bounds
	}
	c := vers.NVDCPE(m.version, b[0], b[1], b[2], b[3])
	m.con.Store(&c)
	return &c
}

// short is the criteria up to the version, for evidence.
func (m *cmatch) short() string {
	// criteria parsed at compile time, so it has the 13 components
	n, i := 0, 0
	for ; i < len(m.criteria); i++ {
		if m.criteria[i] == '\\' {
			i++
			continue
		}
		if m.criteria[i] == ':' {
			n++
			if n == 6 {
				break
			}
		}
	}
	return m.criteria[:i]
}

// boundsText lists the NVD bound fields: "(versionEndExcluding 9.35)".
func (m *cmatch) boundsText() string {
	var parts []string
	if m.version != "*" && m.version != "" {
		parts = append(parts, "CPE version "+m.version)
	}
	if m.bounds != nil {
		for i, b := range m.bounds {
			if b != "" {
				parts = append(parts, boundNames[i]+" "+b)
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// --- targets -------------------------------------------------------------

// target is a device being evaluated: its identity and versions.
type target struct {
	vendorKey string
	id, hw    *modelID
	firmware  string
	hwVersion string
	// known caches product identities (Index path); when nil, identities are
	// computed on demand.
	known map[*product]nameMatch
}

func newFactsTarget(f Facts) *target {
	key, canon := deviceVendor(f.Vendor)
	t := &target{vendorKey: key, firmware: strings.TrimSpace(f.Version), hwVersion: strings.TrimSpace(f.HardwareVersion)}
	t.id = newModelID(key, canon, f.Products, nil)
	t.hw = t.id
	if f.Hardware != nil {
		t.hw = newModelID(key, canon, f.Hardware, nil)
	}
	return t
}

// identify says whether the entry's vendor and product designate the device.
func (t *target) identify(m *cmatch) (nameMatch, bool) {
	p := m.prod
	if p == nil || p.vendor.key == "" || p.vendor.key != t.vendorKey {
		return nameMatch{}, false
	}
	if t.known != nil {
		nm, ok := t.known[p]
		return nm, ok
	}
	if m.part == 'h' {
		return t.hw.match(p)
	}
	return t.id.match(p)
}

// evalMatch evaluates one entry: No when it does not designate the device,
// else the version verdict. line is "" for entries about other products.
func (t *target) evalMatch(m *cmatch) (res vers.Result, nm nameMatch, line string) {
	nm, ok := t.identify(m)
	if !ok {
		return vers.No, nm, ""
	}
	role := ""
	if !m.vulnerable {
		role = " [platform]"
	}
	var why string
	c := m.constraint()
	switch {
	case m.part == 'h' && (m.version == "-" || c.AllVersions()):
		res, why = vers.Yes, "hardware matches (no version stated)"
	case m.part == 'h' && t.hwVersion == "":
		res, why = vers.Unknown, "hardware revision unknown"+m.boundsText()
	case m.part == 'h':
		res, why = c.Match(t.hwVersion)
		why = "hardware revision " + why + m.boundsText()
	case c.AllVersions():
		res, why = vers.Yes, "all versions (no bounds)"
	case t.firmware == "":
		res, why = vers.Unknown, "device firmware unknown"+m.boundsText()
	default:
		res, why = c.Match(t.firmware)
		why = "version " + why + m.boundsText()
	}
	return res, nm, fmt.Sprintf("%s%s: %s → %s", m.short(), role, why, res)
}

// and3 and or3 are Kleene's three-valued AND and OR.
func and3(a, b vers.Result) vers.Result {
	if a == vers.No || b == vers.No {
		return vers.No
	}
	if a == vers.Yes && b == vers.Yes {
		return vers.Yes
	}
	return vers.Unknown
}

func or3(a, b vers.Result) vers.Result {
	if a == vers.Yes || b == vers.Yes {
		return vers.Yes
	}
	if a == vers.No && b == vers.No {
		return vers.No
	}
	return vers.Unknown
}

func not3(a vers.Result) vers.Result {
	switch a {
	case vers.Yes:
		return vers.No
	case vers.No:
		return vers.Yes
	}
	return vers.Unknown
}

func combine(and bool, acc vers.Result, first bool, r vers.Result) vers.Result {
	if first {
		return r
	}
	if and {
		return and3(acc, r)
	}
	return or3(acc, r)
}

// rank orders results for picking the strongest: Yes, Unknown, No.
func rank(r vers.Result) int {
	switch r {
	case vers.Yes:
		return 2
	case vers.Unknown:
		return 1
	}
	return 0
}

// evalConfig evaluates one configuration. A configuration counts only when
// a vulnerable entry designates the device (hit): non-vulnerable entries are
// platform conditions, and matching only the platform (the hardware a
// vulnerable firmware of another product runs on) is no finding.
func (t *target) evalConfig(cfg *cconfig) (res vers.Result, conf float64, lines []string, products []string) {
	first := true
	hit := false
	for ni := range cfg.nodes {
		n := &cfg.nodes[ni]
		nres := vers.No
		for i, m := range n.ms {
			r, nm, line := t.evalMatch(m)
			nres = combine(n.and, nres, i == 0, r)
			if line != "" {
				lines = append(lines, line)
				if m.vulnerable && r != vers.No {
					hit = true
					if nm.conf*m.prod.vendor.factor > conf {
						conf = nm.conf * m.prod.vendor.factor
					}
					products = append(products, m.prod.vendor.how, nm.why)
				}
			}
		}
		if n.negate {
			nres = not3(nres)
		}
		res = combine(cfg.and, res, first, nres)
		first = false
	}
	if first {
		res = vers.No // no nodes
	}
	if cfg.negate {
		res = not3(res)
	}
	if !hit {
		res = vers.No
	}
	return res, conf, lines, products
}

// evalCVE is the OR of the configurations; the evidence lists the
// configurations that gave the final result.
func (t *target) evalCVE(c *ccve) Evaluation {
	var out Evaluation
	out.Result = vers.No
	var head, body []string
	for i := range c.configs {
		cfg := &c.configs[i]
		r, conf, lines, prods := t.evalConfig(cfg)
		if r == vers.No {
			continue
		}
		if rank(r) > rank(out.Result) {
			out.Result, out.Confidence = r, conf
			head, body = nil, nil
		} else if rank(r) < rank(out.Result) {
			continue
		}
		if conf > out.Confidence {
			out.Confidence = conf
		}
		head = append(head, prods...)
		op := "OR"
		if cfg.and {
			op = "AND"
		}
		body = append(body, fmt.Sprintf("configuration %d (%s of %d nodes): %s", i+1, op, len(cfg.nodes), r))
		for _, l := range lines {
			body = append(body, "  "+l)
		}
	}
	if out.Result == vers.No {
		return Evaluation{Result: vers.No}
	}
	out.Evidence = append(dedupe(head), body...)
	return out
}

func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// --- compiling -----------------------------------------------------------

// interner shares one *product per (vendor, product) and resolves each NVD
// vendor once.
type interner struct {
	vendors  map[string]vendorRes
	products map[string]*product
	order    []*product
}

func newInterner() *interner {
	return &interner{vendors: map[string]vendorRes{}, products: map[string]*product{}}
}

func (in *interner) product(vendor, name string) *product {
	k := vendor + "\x00" + name
	if p := in.products[k]; p != nil {
		return p
	}
	vr, ok := in.vendors[vendor]
	if !ok {
		vr = resolveVendor(vendor)
		in.vendors[vendor] = vr
	}
	toks, key := normProduct(name, vendorWords(vendor, vr.canon))
	p := &product{vendor: vr, nvdVend: vendor, name: name, key: key, toks: toks, nums: numberWords(toks)}
	in.products[k] = p
	in.order = append(in.order, p)
	return p
}

// compile turns a CVE into its compact configuration trees, registering
// each product it names (with the CVE's index idx, unless idx < 0).
// Entries whose criteria do not parse are kept as never-matching.
func (in *interner) compile(c *CVE, idx int32) ccve {
	out := ccve{id: c.ID, configs: make([]cconfig, 0, len(c.Configurations))}
	for _, cfg := range c.Configurations {
		cc := cconfig{and: cfg.Operator == "AND", negate: cfg.Negate, nodes: make([]cnode, 0, len(cfg.Nodes))}
		for _, n := range cfg.Nodes {
			cn := cnode{and: n.Operator == "AND", negate: n.Negate, ms: make([]*cmatch, 0, len(n.CPEMatch))}
			for _, e := range n.CPEMatch {
				m := &cmatch{criteria: e.Criteria, vulnerable: e.Vulnerable}
				if cpe, err := ParseCPE(e.Criteria); err == nil {
					m.part = cpe.Part[0]
					m.version = cpe.RawVersion()
					m.prod = in.product(cpe.Vendor, cpe.Product)
					if idx >= 0 && (len(m.prod.cves) == 0 || m.prod.cves[len(m.prod.cves)-1] != idx) {
						m.prod.cves = append(m.prod.cves, idx)
					}
				}
				if e.VersionStartIncluding+e.VersionStartExcluding+e.VersionEndIncluding+e.VersionEndExcluding != "" {
					m.bounds = &[4]string{e.VersionStartIncluding, e.VersionStartExcluding, e.VersionEndIncluding, e.VersionEndExcluding}
				}
				cn.ms = append(cn.ms, m)
			}
			cc.nodes = append(cc.nodes, cn)
		}
		out.configs = append(out.configs, cc)
	}
	return out
}
