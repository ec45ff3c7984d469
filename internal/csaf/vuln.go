package csaf

import (
	"slices"
	"strings"
	"time"
)

// statusKeys is the CSAF product_status vocabulary, in schema order.
var statusKeys = []string{
	"first_affected", "first_fixed", "fixed", "known_affected",
	"known_not_affected", "last_affected", "recommended", "under_investigation",
}

// convert maps a schema-valid document onto medsec's model. Its errors
// carry no File; parse fills it in.
func convert(d *jDocument) (*Advisory, error) {
	doc := &d.Document
	a := &Advisory{
		ID:        doc.Tracking.ID,
		Title:     doc.Title,
		Publisher: doc.Publisher.Name,
		TLP:       doc.Distribution.TLP.Label,
		Revision:  doc.Tracking.Version,
		Initial:   parseTime(doc.Tracking.InitialReleaseDate),
		Current:   parseTime(doc.Tracking.CurrentReleaseDate),
	}
	var err error
	if a.Products, err = products(d.ProductTree); err != nil {
		return nil, err
	}
	x := newExpander(d.ProductTree)
	docExploited := documentSaysExploited(doc.Notes)
	a.Vulns = make([]Vuln, 0, len(d.Vulnerabilities))
	for i := range d.Vulnerabilities {
		a.Vulns = append(a.Vulns, vuln(&d.Vulnerabilities[i], x, docExploited))
	}
	return a, nil
}

func vuln(v *jVuln, x *expander, docExploited bool) Vuln {
	out := Vuln{CVE: v.CVE, Title: v.Title}
	if v.CWE != nil {
		out.CWE, out.CWEName = v.CWE.ID, v.CWE.Name
	}
	for _, k := range statusKeys {
		if ids := x.expand(v.ProductStatus[k], nil); len(ids) > 0 {
			if out.Status == nil {
				out.Status = map[string][]string{}
			}
			out.Status[k] = ids
		}
	}
	for _, r := range v.Remediations {
		out.Remediations = append(out.Remediations, Remediation{
			Category: r.Category,
			Details:  r.Details,
			URL:      r.URL,
			Date:     parseTime(r.Date),
			Products: x.expand(r.ProductIDs, r.GroupIDs),
		})
	}
	for _, s := range v.Scores {
		ids := x.expand(s.Products, nil)
		for _, c := range []*jCVSS{s.CVSSv3, s.CVSSv2} {
			if c != nil {
				out.Scores = append(out.Scores, Score{Version: c.Version, Vector: c.VectorString, Base: c.BaseScore, Products: ids})
			}
		}
	}
	for _, r := range v.References {
		if i := strings.Index(r.URL, "CVSS:4.0/"); i >= 0 && !slices.Contains(out.CVSS4Vectors, r.URL[i:]) {
			out.CVSS4Vectors = append(out.CVSS4Vectors, r.URL[i:])
		}
	}
	notes := make([]string, 0, len(v.Notes))
	for _, n := range v.Notes {
		notes = append(notes, n.Text)
	}
	out.Notes = strings.Join(notes, "\n\n")
	out.KnownExploited = docExploited || vulnSaysExploited(v)
	return out
}

// expander resolves product groups and relationships into plain ids.
type expander struct {
	groups map[string][]string
	relRef map[string]string // relationship full_product_name id → product_reference
}

func newExpander(pt *jTree) *expander {
	x := &expander{}
	if pt == nil {
		return x
	}
	for _, g := range pt.ProductGroups {
		if x.groups == nil {
			x.groups = map[string][]string{}
		}
		x.groups[g.GroupID] = g.ProductIDs
	}
	for _, r := range pt.Relationships {
		if x.relRef == nil {
			x.relRef = map[string]string{}
		}
		x.relRef[r.FullProductName.ProductID] = r.ProductReference
	}
	return x
}

// expand lists ids, then the members of groups; each relationship id is
// followed by its product_reference. Duplicates are dropped.
func (x *expander) expand(ids, groups []string) []string {
	if len(ids) == 0 && len(groups) == 0 {
		return nil
	}
	out := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	add := func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		out = append(out, id)
		if ref, ok := x.relRef[id]; ok && !seen[ref] {
			seen[ref] = true
			out = append(out, ref)
		}
	}
	for _, id := range ids {
		add(id)
	}
	for _, g := range groups {
		for _, id := range x.groups[g] {
			add(id)
		}
	}
	return out
}

// parseTime reads a schema date-time (RFC 3339); absent or unparsable
// values give the zero time.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
