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
func products(pt *jTree) ([]Product, error) {
	if pt == nil {
		return nil, nil
	}
	var out []Product
	tooDeep := false
	var walk func(bs []jBranch, path []Branch)
	walk = func(bs []jBranch, path []Branch) {
		for i := range bs {
			b := &bs[i]
			p := append(path[:len(path):len(path)], Branch{Category: b.Category, Name: b.Name})
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

	for i := range pt.FullProductNames {
		out = append(out, leaf(&pt.FullProductNames[i], nil))
	}

	if len(pt.Relationships) > 0 {
		byID := make(map[string]int, len(out))
		for i := range out {
			byID[out[i].ID] = i
		}
		for _, r := range pt.Relationships {
			p := leaf(&r.FullProductName, nil)
			p.Relationship = &Relationship{Category: r.Category, ProductRef: r.ProductReference, RelatesTo: r.RelatesToProductReference}
			// The component's identity is what inventory matching uses.
			if i, ok := byID[r.ProductReference]; ok {
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
func leaf(f *jFPN, path []Branch) Product {
	p := Product{ID: f.ProductID, FullName: f.Name, Path: path}
	for _, b := range path {
		switch gocsaf.BranchCategory(b.Category) {
		case gocsaf.CSAFBranchCategoryVendor:
			p.Vendor = b.Name
		case gocsaf.CSAFBranchCategoryProductFamily:
			p.Family = b.Name
		case gocsaf.CSAFBranchCategoryProductName:
			p.Name = b.Name
		case gocsaf.CSAFBranchCategoryProductVersion:
			p.Version = b.Name
		case gocsaf.CSAFBranchCategoryProductVersionRange:
			p.VersionRange = b.Name
		}
	}
	if h := f.Helper; h != nil {
		p.CPE, p.PURL = h.CPE, h.PURL
		p.ModelNumbers, p.SKUs, p.Serials = h.ModelNumbers, h.SKUs, h.SerialNumbers
	}
	return p
}
