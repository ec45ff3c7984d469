// Package kev reads CISA's Known Exploited Vulnerabilities catalog in its
// JSON and CSV forms. It is pure: no database, no network.
//
// A CVE in KEV is exploited in the wild; for SSVC that makes Exploitation
// "active". Read detects the form; errors name the file and the place (JSON
// byte offset, line and column and path; CSV row and column).
package kev

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Entry is one known exploited vulnerability.
type Entry struct {
	CVE              string // "CVE-2021-44228"
	VendorProject    string
	Product          string
	Name             string // vulnerabilityName
	DateAdded        string // YYYY-MM-DD
	ShortDescription string
	RequiredAction   string
	DueDate          string // YYYY-MM-DD; "" when absent
	// KnownRansomware is true when CISA marks the CVE as used in ransomware
	// campaigns ("Known"); false means "Unknown" (not confirmed), not "no".
	KnownRansomware bool
	Notes           string
	CWEs            []string // "CWE-79"
}

// Catalog is the whole catalog. The CSV form carries no version, release
// date or count: Version and Released are then "", Count is len(Entries).
type Catalog struct {
	Version  string // catalogVersion, "2025.08.25"
	Released string // dateReleased, RFC 3339
	Count    int
	Entries  []Entry
}

// ByCVE indexes the entries by CVE id.
func (c *Catalog) ByCVE() map[string]*Entry {
	m := make(map[string]*Entry, len(c.Entries))
	for i := range c.Entries {
		m[c.Entries[i].CVE] = &c.Entries[i]
	}
	return m
}

// Read reads a catalog from r, JSON when its first non-space character is
// '{' (after an optional UTF-8 BOM), CSV otherwise. name is used in errors.
func Read(name string, r io.Reader) (*Catalog, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			return nil, fmt.Errorf("kev: %s: empty input", name)
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.Discard(1)
			continue
		case '{':
			return readJSON(name, br)
		}
		return readCSV(name, br)
	}
}

var cveRe = regexp.MustCompile(`^CVE-\d{4}-\d{4,19}$`)
var cweRe = regexp.MustCompile(`^(CWE-\d+|NVD-CWE-noinfo|NVD-CWE-Other)$`)

// check validates one field value; field is the JSON/CSV field name.
func check(field, v string) error {
	switch field {
	case "cveID":
		if !cveRe.MatchString(v) {
			return fmt.Errorf("%q is not a CVE id (CVE-YYYY-NNNN)", clip(v))
		}
	case "dateAdded", "dueDate":
		if v == "" && field == "dueDate" {
			return nil
		}
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return fmt.Errorf("%q is not a date (YYYY-MM-DD)", clip(v))
		}
	case "knownRansomwareCampaignUse":
		if v != "Known" && v != "Unknown" && v != "" {
			return fmt.Errorf("%q, want Known or Unknown", clip(v))
		}
	case "cwes":
		if !cweRe.MatchString(v) {
			return fmt.Errorf("%q is not a CWE id", clip(v))
		}
	}
	return nil
}

// set assigns a validated field of e.
func set(e *Entry, field, v string) {
	switch field {
	case "cveID":
		e.CVE = v
	case "vendorProject":
		e.VendorProject = v
	case "product":
		e.Product = v
	case "vulnerabilityName":
		e.Name = v
	case "dateAdded":
		e.DateAdded = v
	case "shortDescription":
		e.ShortDescription = v
	case "requiredAction":
		e.RequiredAction = v
	case "dueDate":
		e.DueDate = v
	case "knownRansomwareCampaignUse":
		e.KnownRansomware = v == "Known"
	case "notes":
		e.Notes = v
	}
}

// fields are the entry fields in the order of the CSV header.
var fields = []string{"cveID", "vendorProject", "product", "vulnerabilityName", "dateAdded",
	"shortDescription", "requiredAction", "dueDate", "knownRansomwareCampaignUse", "notes", "cwes"}

// required fields must be present and non-empty.
var required = map[string]bool{"cveID": true, "dateAdded": true}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return strings.ToValidUTF8(s, "�")
}
