// Package csaf turns CSAF 2.0 security advisories (as published by CISA for
// ICS and ICS-Medical devices) into the small, flat model medsec matches
// against its device inventory.
//
// Parsing and JSON-schema validation are delegated to
// github.com/gocsaf/csaf/v3 so that medsec accepts exactly what the CSAF
// reference tooling accepts; this package only adds the conversion, the
// error reporting (JSON pointer of the first schema violation), size limits
// and loading of local directories and provider layouts.
//
// Nothing here touches the network: provider and ROLIE feed URLs are mapped
// onto local files.
package csaf

import "time"

// Advisory is what medsec keeps of a CSAF document.
type Advisory struct {
	ID        string // document/tracking/id
	Title     string
	Publisher string // document/publisher/name
	TLP       string // document/distribution/tlp/label, empty if absent
	Initial   time.Time
	Current   time.Time
	Revision  string // document/tracking/version

	// Products holds every leaf of the product tree (branches and
	// full_product_names) plus one entry per relationship, in document order.
	Products []Product
	Vulns    []Vuln

	// Raw is the document verbatim. It is the only copy of the bytes this
	// package keeps, so a caller that does not need it can nil it out.
	Raw []byte

	// File is the name the advisory was loaded under (path for LoadPath).
	File string
}

// Branch is one step on the path from the product tree root to a leaf.
type Branch struct {
	Category string // vendor, product_family, product_name, product_version, ...
	Name     string
}

// Product is one product_id of the document with what the tree says about it.
type Product struct {
	ID string // product_id

	// Vendor, Family and Name come from the nearest vendor, product_family
	// and product_name branches above the leaf.
	Vendor, Family, Name string

	// Version is the name of a product_version leaf; VersionRange the name
	// of a product_version_range leaf, verbatim. Real CISA advisories use
	// free text ("<= 2.3.6", "distributed  < april 1, 2018") as well as vers
	// ("vers:all/*"); callers must treat non-vers ranges as needing review.
	Version      string
	VersionRange string

	// product_identification_helper
	CPE          string
	PURL         string
	ModelNumbers []string
	SKUs         []string
	Serials      []string

	FullName string // the product's "name"

	// Path is the full branch path from the root to the leaf (nil for
	// full_product_names and relationships).
	Path []Branch

	// Relationship is set when the product is a relationship's
	// full_product_name; Vendor/Family/Name/Version/VersionRange/CPE/PURL are
	// then copied from the product_reference (the component), because that
	// is what a device inventory matches on.
	Relationship *Relationship
}

// Relationship describes a product built from two others, e.g. firmware X
// "installed_on" device Y.
type Relationship struct {
	Category   string // default_component_of, installed_on, ...
	ProductRef string // product_reference
	RelatesTo  string // relates_to_product_reference
}

// Vuln is one entry of /vulnerabilities.
type Vuln struct {
	CVE     string
	Title   string
	CWE     string // e.g. "CWE-787"
	CWEName string

	// Status maps each product_status category present in the document
	// (known_affected, fixed, known_not_affected, first_affected,
	// last_affected, first_fixed, recommended, under_investigation) to
	// product ids. Relationship ids are expanded: when a list names the id of
	// a relationship's full_product_name, its product_reference id is
	// appended right after it (once), so matching on the component alone
	// finds the status. Empty categories are omitted.
	Status map[string][]string

	Remediations []Remediation
	Scores       []Score

	// CVSS4Vectors are CVSS 4.0 vectors found in the vulnerability's
	// references (CISA links the FIRST calculator with the vector in the
	// URL fragment); CSAF 2.0 has no field for a v4 score, so no base score
	// is available for them.
	CVSS4Vectors []string

	// Notes is the text of the vulnerability's notes, joined by blank lines.
	Notes string

	// KnownExploited follows the rule in exploited.go: a threat of category
	// exploit_status, a vulnerability note, or a document note titled
	// about exploitability states exploitation affirmatively.
	KnownExploited bool
}

// Remediation is one entry of a vulnerability's remediations.
type Remediation struct {
	Category string // vendor_fix, mitigation, workaround, none_available, no_fix_planned
	Details  string
	URL      string
	Date     time.Time // zero if absent
	Products []string  // product_ids plus the members of group_ids, relationships expanded
}

// Score is one CVSS score of a vulnerability.
type Score struct {
	Version  string // "2.0", "3.0", "3.1"
	Vector   string
	Base     float64
	Products []string // relationships expanded
}

// Product returns the product with the given product_id, or nil.
func (a *Advisory) Product(id string) *Product {
	for i := range a.Products {
		if a.Products[i].ID == id {
			return &a.Products[i]
		}
	}
	return nil
}
