package sbom

import (
	"bytes"
	"fmt"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

func parseCycloneDX(name string, data []byte, enc string) (doc *Document, err error) {
	format := cdx.BOMFileFormatJSON
	if enc == EncodingXML {
		format = cdx.BOMFileFormatXML
	}
	defer func() {
		// Guard against decoder panics on hostile input.
		if r := recover(); r != nil {
			doc, err = nil, &Error{File: name, Offset: -1, Msg: fmt.Sprintf("CycloneDX %s decoder failed: %v", enc, r)}
		}
	}()
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), format).Decode(&bom); err != nil {
		return nil, decodeError(name, data, "invalid CycloneDX "+enc, err)
	}
	d := &Document{
		Format:      FormatCycloneDX,
		Encoding:    enc,
		SpecVersion: specVersion(bom.SpecVersion),
		Serial:      bom.SerialNumber,
	}
	if m := bom.Metadata; m != nil {
		d.Created = parseTime(m.Timestamp)
		if m.Component != nil {
			s := convertCDX(*m.Component, "")
			d.Subject = &s
			d.Name = s.Name
		}
		for _, org := range []*cdx.OrganizationalEntity{m.Supplier, m.Manufacturer, m.Manufacture} {
			if org != nil && org.Name != "" {
				d.Supplier = org.Name
				break
			}
		}
		if d.Supplier == "" && d.Subject != nil {
			d.Supplier = d.Subject.Supplier
		}
	}
	if d.Name == "" {
		d.Name = bom.SerialNumber
	}
	if bom.Components != nil {
		flattenCDX(&d.Components, *bom.Components, "")
	}
	if bom.Dependencies != nil {
		deps := map[string][]string{}
		for _, dep := range *bom.Dependencies {
			if dep.Dependencies == nil {
				continue
			}
			for _, r := range *dep.Dependencies {
				deps[dep.Ref] = appendUnique(deps[dep.Ref], r)
			}
		}
		if d.Subject != nil {
			d.Subject.Dependencies = deps[d.Subject.Ref]
		}
		for i := range d.Components {
			d.Components[i].Dependencies = deps[d.Components[i].Ref]
		}
	}
	return d, nil
}

func specVersion(v cdx.SpecVersion) string {
	if v == 0 {
		return ""
	}
	return v.String()
}

func flattenCDX(out *[]Component, list []cdx.Component, parent string) {
	for _, c := range list {
		*out = append(*out, convertCDX(c, parent))
		if c.Components != nil {
			flattenCDX(out, *c.Components, c.BOMRef)
		}
	}
}

func convertCDX(c cdx.Component, parent string) Component {
	out := Component{
		Ref:         c.BOMRef,
		Parent:      parent,
		Name:        c.Name,
		Group:       c.Group,
		Version:     c.Version,
		PURL:        c.PackageURL,
		Type:        string(c.Type),
		Description: c.Description,
	}
	switch {
	case c.Supplier != nil && c.Supplier.Name != "":
		out.Supplier = c.Supplier.Name
	case c.Manufacturer != nil && c.Manufacturer.Name != "":
		out.Supplier = c.Manufacturer.Name
	case c.Publisher != "":
		out.Supplier = c.Publisher
	case c.Author != "":
		out.Supplier = c.Author
	}
	out.CPEs = appendUnique(out.CPEs, c.CPE)
	if c.Licenses != nil {
		for _, l := range *c.Licenses {
			switch {
			case l.Expression != "":
				out.Licenses = appendUnique(out.Licenses, l.Expression)
			case l.License != nil && l.License.ID != "":
				out.Licenses = appendUnique(out.Licenses, l.License.ID)
			case l.License != nil:
				out.Licenses = appendUnique(out.Licenses, l.License.Name)
			}
		}
	}
	if c.Hashes != nil {
		for _, h := range *c.Hashes {
			out.Hashes = append(out.Hashes, Hash{Algorithm: normHashAlg(string(h.Algorithm)), Value: h.Value})
		}
	}
	return out
}
