package csaf

import (
	"slices"
	"strings"
	"time"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"
)

// convert maps a schema-valid gocsaf advisory onto medsec's model. Its
// errors carry no File; parse fills it in.
func convert(adv *gocsaf.Advisory) (*Advisory, error) {
	a := &Advisory{}
	d := adv.Document
	a.Title = str(d.Title)
	if d.Publisher != nil {
		a.Publisher = str(d.Publisher.Name)
	}
	if d.Distribution != nil && d.Distribution.TLP != nil {
		a.TLP = str(d.Distribution.TLP.DocumentTLPLabel)
	}
	if t := d.Tracking; t != nil {
		a.ID = str(t.ID)
		a.Revision = str(t.Version)
		a.Initial = parseTime(t.InitialReleaseDate)
		a.Current = parseTime(t.CurrentReleaseDate)
	}
	var err error
	if a.Products, err = products(adv.ProductTree); err != nil {
		return nil, err
	}

	x := newExpander(adv.ProductTree)
	docExploited := documentSaysExploited(d.Notes)
	for _, v := range adv.Vulnerabilities {
		if v != nil {
			a.Vulns = append(a.Vulns, vuln(v, x, docExploited))
		}
	}
	return a, nil
}

func vuln(v *gocsaf.Vulnerability, x *expander, docExploited bool) Vuln {
	out := Vuln{CVE: str(v.CVE), Title: str(v.Title)}
	if v.CWE != nil {
		out.CWE = str(v.CWE.ID)
		out.CWEName = str(v.CWE.Name)
	}
	if ps := v.ProductStatus; ps != nil {
		out.Status = map[string][]string{}
		for _, s := range []struct {
			key string
			ids *gocsaf.Products
		}{
			{"first_affected", ps.FirstAffected},
			{"first_fixed", ps.FirstFixed},
			{"fixed", ps.Fixed},
			{"known_affected", ps.KnownAffected},
			{"known_not_affected", ps.KnownNotAffected},
			{"last_affected", ps.LastAffected},
			{"recommended", ps.Recommended},
			{"under_investigation", ps.UnderInvestigation},
		} {
			if ids := x.expand(s.ids, nil); len(ids) > 0 {
				out.Status[s.key] = ids
			}
		}
	}
	for _, r := range v.Remediations {
		if r == nil {
			continue
		}
		out.Remediations = append(out.Remediations, Remediation{
			Category: str(r.Category),
			Details:  str(r.Details),
			URL:      str(r.URL),
			Date:     parseTime(r.Date),
			Products: x.expand(r.ProductIds, r.GroupIds),
		})
	}
	for _, s := range v.Scores {
		if s == nil {
			continue
		}
		ids := x.expand(s.Products, nil)
		if c := s.CVSS3; c != nil {
			out.Scores = append(out.Scores, Score{Version: str(c.Version), Vector: str(c.VectorString), Base: deref(c.BaseScore), Products: ids})
		}
		if c := s.CVSS2; c != nil {
			out.Scores = append(out.Scores, Score{Version: str(c.Version), Vector: str(c.VectorString), Base: deref(c.BaseScore), Products: ids})
		}
	}
	for _, r := range v.References {
		if r == nil || r.URL == nil {
			continue
		}
		if i := strings.Index(*r.URL, "CVSS:4.0/"); i >= 0 {
			vec := (*r.URL)[i:]
			if !slices.Contains(out.CVSS4Vectors, vec) {
				out.CVSS4Vectors = append(out.CVSS4Vectors, vec)
			}
		}
	}
	var notes []string
	for _, n := range v.Notes {
		if n != nil && n.Text != nil {
			notes = append(notes, *n.Text)
		}
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

func newExpander(pt *gocsaf.ProductTree) *expander {
	x := &expander{groups: map[string][]string{}, relRef: map[string]string{}}
	if pt == nil {
		return x
	}
	if pt.ProductGroups != nil {
		// gocsaf models product_tree.product_groups as an object, but the
		// schema makes it an array; it is only ever empty here.
		_ = pt.ProductGroups
	}
	if pt.RelationShips != nil {
		for _, r := range *pt.RelationShips {
			if r != nil && r.FullProductName != nil && r.FullProductName.ProductID != nil && r.ProductReference != nil {
				x.relRef[string(*r.FullProductName.ProductID)] = string(*r.ProductReference)
			}
		}
	}
	return x
}

// expand lists ids, then the members of groups, each followed by the
// product_reference of a relationship id, without duplicates.
func (x *expander) expand(ids *gocsaf.Products, groups *gocsaf.ProductGroups) []string {
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		if id == "" || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, id)
		if ref, ok := x.relRef[id]; ok && !seen[ref] {
			seen[ref] = true
			out = append(out, ref)
		}
	}
	if ids != nil {
		for _, id := range *ids {
			add(str(id))
		}
	}
	if groups != nil {
		for _, g := range groups.ProductGroupIDs {
			for _, id := range x.groups[str(g)] {
				add(id)
			}
		}
	}
	return out
}

func parseTime(s *string) time.Time {
	if s == nil {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}
