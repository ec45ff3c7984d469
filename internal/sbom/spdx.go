package sbom

import (
	"bytes"
	"fmt"
	"strings"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/tagvalue"
)

func parseSPDX(name string, data []byte, enc string) (doc *Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, &Error{File: name, Offset: -1, Msg: fmt.Sprintf("SPDX %s decoder failed: %v", enc, r)}
		}
	}()
	var sd *spdx.Document
	if enc == EncodingJSON {
		sd, err = spdxjson.Read(bytes.NewReader(data))
	} else {
		sd, err = tagvalue.Read(bytes.NewReader(data))
	}
	if err != nil {
		return nil, decodeError(name, data, "invalid SPDX "+enc, err)
	}
	return convertSPDX(sd, enc), nil
}

func elementRef(id common.DocElementID) string {
	if id.SpecialID != "" {
		return id.SpecialID
	}
	s := "SPDXRef-" + string(id.ElementRefID)
	if id.DocumentRefID != "" {
		s = "DocumentRef-" + string(id.DocumentRefID) + ":" + s
	}
	return s
}

func convertSPDX(sd *spdx.Document, enc string) *Document {
	d := &Document{
		Format:      FormatSPDX,
		Encoding:    enc,
		SpecVersion: sd.SPDXVersion,
		Name:        sd.DocumentName,
		Serial:      sd.DocumentNamespace,
	}
	docRef := "SPDXRef-" + string(sd.SPDXIdentifier)
	if sd.SPDXIdentifier == "" {
		docRef = "SPDXRef-DOCUMENT"
	}
	var creatorOrg string
	if ci := sd.CreationInfo; ci != nil {
		d.Created = parseTime(ci.Created)
		for _, c := range ci.Creators {
			if c.CreatorType == "Organization" && creatorOrg == "" {
				creatorOrg = c.Creator
			}
		}
	}

	byRef := map[string]int{}
	comps := make([]Component, 0, len(sd.Packages))
	for _, p := range sd.Packages {
		if p == nil {
			continue
		}
		c := convertSPDXPackage(p)
		byRef[c.Ref] = len(comps)
		comps = append(comps, c)
	}

	var described []string
	for _, r := range sd.Relationships {
		if r == nil {
			continue
		}
		a, b := elementRef(r.RefA), elementRef(r.RefB)
		rel := strings.ToUpper(strings.ReplaceAll(r.Relationship, "-", "_"))
		switch {
		case rel == "DESCRIBES" && a == docRef:
			described = appendUnique(described, b)
		case rel == "DESCRIBED_BY" && b == docRef:
			described = appendUnique(described, a)
		case rel == "DEPENDS_ON":
			if i, ok := byRef[a]; ok {
				comps[i].Dependencies = appendUnique(comps[i].Dependencies, b)
			}
		case strings.HasSuffix(rel, "DEPENDENCY_OF"): // DEPENDENCY_OF, RUNTIME_DEPENDENCY_OF, ...
			if i, ok := byRef[b]; ok {
				comps[i].Dependencies = appendUnique(comps[i].Dependencies, a)
			}
		case rel == "CONTAINS":
			if i, ok := byRef[b]; ok && comps[i].Parent == "" {
				comps[i].Parent = a
			}
		case rel == "CONTAINED_BY":
			if i, ok := byRef[a]; ok && comps[i].Parent == "" {
				comps[i].Parent = b
			}
		}
	}

	subjectRef := ""
	if len(described) == 1 {
		if _, ok := byRef[described[0]]; ok {
			subjectRef = described[0]
		}
	}
	for _, c := range comps {
		if c.Parent == subjectRef && subjectRef != "" {
			c.Parent = "" // top level, like CycloneDX components under metadata.component
		}
		if c.Ref == subjectRef {
			s := c
			s.Parent = ""
			d.Subject = &s
			continue
		}
		d.Components = append(d.Components, c)
	}
	if d.Subject != nil && d.Subject.Supplier != "" {
		d.Supplier = d.Subject.Supplier
	} else {
		d.Supplier = creatorOrg
	}
	return d
}

func noAssertion(s string) string {
	s = strings.TrimSpace(s)
	if s == "NOASSERTION" || s == "NONE" {
		return ""
	}
	return s
}

func convertSPDXPackage(p *spdx.Package) Component {
	c := Component{
		Ref:         "SPDXRef-" + string(p.PackageSPDXIdentifier),
		Name:        p.PackageName,
		Version:     noAssertion(p.PackageVersion),
		Type:        strings.ToLower(strings.ReplaceAll(p.PrimaryPackagePurpose, "_", "-")),
		Description: p.PackageDescription,
	}
	if c.Description == "" {
		c.Description = p.PackageSummary
	}
	if p.PackageSupplier != nil {
		c.Supplier = noAssertion(p.PackageSupplier.Supplier)
	}
	if c.Supplier == "" && p.PackageOriginator != nil {
		c.Supplier = noAssertion(p.PackageOriginator.Originator)
	}
	for _, ref := range p.PackageExternalReferences {
		if ref == nil {
			continue
		}
		switch strings.ToLower(ref.RefType) {
		case "purl":
			if c.PURL == "" {
				c.PURL = ref.Locator
			}
		case "cpe23type", "cpe22type":
			c.CPEs = appendUnique(c.CPEs, ref.Locator)
		}
	}
	lic := noAssertion(p.PackageLicenseDeclared)
	if lic == "" {
		lic = noAssertion(p.PackageLicenseConcluded)
	}
	if lic != "" {
		c.Licenses = []string{lic}
	}
	for _, h := range p.PackageChecksums {
		c.Hashes = append(c.Hashes, Hash{Algorithm: normHashAlg(string(h.Algorithm)), Value: h.Value})
	}
	return c
}
