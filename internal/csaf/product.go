package csaf

import (
	"fmt"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"
)

// maxBranchDepth bounds the product-tree walk. The schema allows any depth
// and encoding/json already caps nesting at 10000, but copying the branch
// path per leaf would make a deep hostile tree quadratic; real trees are 3
// or 4 levels deep.
const maxBranchDepth = 64

// products flattens the product tree: branch leaves first (depth-first,
// document order), then full_product_names, then relationships. A tree
// deeper than maxBranchDepth is refused rather than truncated, since
// silently dropping products could hide an affected device.
func products(pt *gocsaf.ProductTree) ([]Product, error) {
	if pt == nil {
		return nil, nil
	}
	var out []Product
	tooDeep := false
	var walk func(bs gocsaf.Branches, path []Branch)
	walk = func(bs gocsaf.Branches, path []Branch) {
		for _, b := range bs {
			if b == nil {
				continue
			}
			p := append(path[:len(path):len(path)], Branch{Category: str(b.Category), Name: str(b.Name)})
			if b.Product != nil {
				out = append(out, leaf(b.Product, p))
			}
			if len(b.Branches) == 0 {
				continue
			}
			if len(p) >= maxBranchDepth {
				tooDeep = true
				continue
			}
			walk(b.Branches, p)
		}
	}
	walk(pt.Branches, nil)
	if tooDeep {
		return nil, &Error{Path: "/product_tree/branches", Msg: fmt.Sprintf("product tree nested deeper than %d branches", maxBranchDepth)}
	}

	if pt.FullProductNames != nil {
		for _, f := range *pt.FullProductNames {
			if f != nil {
				out = append(out, leaf(f, nil))
			}
		}
	}

	if pt.RelationShips != nil {
		byID := make(map[string]int, len(out))
		for i := range out {
			byID[out[i].ID] = i
		}
		for _, r := range *pt.RelationShips {
			if r == nil || r.FullProductName == nil {
				continue
			}
			p := leaf(r.FullProductName, nil)
			p.Relationship = &Relationship{
				Category:   str(r.Category),
				ProductRef: str(r.ProductReference),
				RelatesTo:  str(r.RelatesToProductReference),
			}
			// The component's identity is what inventory matching uses.
			if i, ok := byID[p.Relationship.ProductRef]; ok {
				c := out[i]
				p.Vendor, p.Family, p.Name = c.Vendor, c.Family, c.Name
				p.Version, p.VersionRange = c.Version, c.VersionRange
				if p.CPE == "" {
					p.CPE = c.CPE
				}
				if p.PURL == "" {
					p.PURL = c.PURL
				}
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// leaf converts a full_product_name found at the end of path.
func leaf(f *gocsaf.FullProductName, path []Branch) Product {
	p := Product{ID: str(f.ProductID), FullName: str(f.Name), Path: path}
	for _, b := range path {
		switch b.Category {
		case string(gocsaf.CSAFBranchCategoryVendor):
			p.Vendor = b.Name
		case string(gocsaf.CSAFBranchCategoryProductFamily):
			p.Family = b.Name
		case string(gocsaf.CSAFBranchCategoryProductName):
			p.Name = b.Name
		case string(gocsaf.CSAFBranchCategoryProductVersion):
			p.Version = b.Name
		case string(gocsaf.CSAFBranchCategoryProductVersionRange):
			p.VersionRange = b.Name
		}
	}
	if h := f.ProductIdentificationHelper; h != nil {
		p.CPE = str(h.CPE)
		p.PURL = str(h.PURL)
		p.ModelNumbers = strs(h.ModelNumbers)
		p.SKUs = strs(h.SKUs)
		p.Serials = strs(h.SerialNumbers)
	}
	return p
}

// str dereferences the optional string-typed fields gocsaf uses.
func str[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

func strs(ps []*string) []string {
	if len(ps) == 0 {
		return nil
	}
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}
