package csaf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
)

// Manual is a manufacturer letter or notice that was never published as
// CSAF, as a person enters it. ManualDocument turns it into a CSAF 2.0
// document, so it is stored, validated and matched exactly like a
// published advisory.
type Manual struct {
	ID           string    // tracking id; "" = MEDSEC-MANUAL-<date>-<n> chosen by the caller
	Title        string    // e.g. "BD letter: Alaris PCU keyboard vulnerability"
	Manufacturer string    // the vendor branch name, e.g. "BD"
	Product      string    // the model, e.g. "Alaris 8015 PC Unit"
	Affected     string    // affected versions as the letter says, e.g. "<= 12.1.2" or "vers:generic/<12.1.3"; "" = all versions
	Fixed        string    // the first fixed version, if the letter names one
	CVE          string    // optional
	Summary      string    // what the letter says the issue is
	Remediation  string    // vendor_fix, mitigation, workaround, none_available or no_fix_planned
	Details      string    // what to do
	CVSS         string    // optional CVSS 3.x vector
	Published    time.Time // the letter's date
	Author       string    // who entered it
}

var cvePattern = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,}$`)

// ManualDocument builds and validates the CSAF document of a manual entry.
func ManualDocument(m Manual) ([]byte, error) {
	m.CVE = strings.ToUpper(strings.TrimSpace(m.CVE))
	for _, f := range []struct{ name, v string }{{"title", m.Title}, {"manufacturer", m.Manufacturer}, {"product", m.Product}, {"summary", m.Summary}, {"id", m.ID}} {
		if strings.TrimSpace(f.v) == "" {
			return nil, &Error{File: "manual entry", Path: f.name, Msg: fmt.Sprintf("%s is required", f.name)}
		}
	}
	if m.CVE != "" && !cvePattern.MatchString(m.CVE) {
		return nil, &Error{File: "manual entry", Path: "cve", Msg: fmt.Sprintf("%q is not a CVE id like CVE-2024-12345", m.CVE)}
	}
	cat := strings.TrimSpace(m.Remediation)
	if cat == "" {
		cat = "none_available"
	}
	switch cat {
	case "vendor_fix", "mitigation", "workaround", "none_available", "no_fix_planned":
	default:
		return nil, &Error{File: "manual entry", Path: "remediation", Msg: fmt.Sprintf("%q is not one of vendor_fix, mitigation, workaround, none_available, no_fix_planned", cat)}
	}
	if m.Published.IsZero() {
		m.Published = time.Now()
	}
	date := m.Published.UTC().Format(time.RFC3339)
	affected := strings.TrimSpace(m.Affected)
	if affected == "" {
		affected = "vers:all/*"
	}
	leaf := map[string]any{"category": "product_version_range", "name": affected,
		"product": map[string]any{"name": m.Manufacturer + " " + m.Product + " " + affected, "product_id": "MANUAL-AFFECTED"}}
	branches := []any{leaf}
	status := map[string]any{"known_affected": []string{"MANUAL-AFFECTED"}}
	if f := strings.TrimSpace(m.Fixed); f != "" {
		branches = append(branches, map[string]any{"category": "product_version", "name": f,
			"product": map[string]any{"name": m.Manufacturer + " " + m.Product + " " + f, "product_id": "MANUAL-FIXED"}})
		status["fixed"] = []string{"MANUAL-FIXED"}
	}
	details := strings.TrimSpace(m.Details)
	if details == "" {
		details = "See the manufacturer's letter."
	}
	vuln := map[string]any{
		"title":          m.Title,
		"notes":          []any{map[string]any{"category": "summary", "text": m.Summary}},
		"product_status": status,
		"remediations":   []any{map[string]any{"category": cat, "details": details, "product_ids": []string{"MANUAL-AFFECTED"}, "date": date}},
	}
	if m.CVE != "" {
		vuln["cve"] = m.CVE
	}
	if v := strings.TrimSpace(m.CVSS); v != "" {
		ver := "3.1"
		if strings.HasPrefix(v, "CVSS:3.0/") {
			ver = "3.0"
		} else if !strings.HasPrefix(v, "CVSS:3.1/") {
			return nil, &Error{File: "manual entry", Path: "cvss", Msg: fmt.Sprintf("%q is not a CVSS 3.0 or 3.1 vector (CSAF 2.0 holds only those)", v)}
		}
		score, sev, err := cvss3Base(v)
		if err != nil {
			return nil, &Error{File: "manual entry", Path: "cvss", Msg: err.Error()}
		}
		vuln["scores"] = []any{map[string]any{"products": []string{"MANUAL-AFFECTED"},
			"cvss_v3": map[string]any{"version": ver, "vectorString": v, "baseScore": score, "baseSeverity": sev}}}
	}
	author := strings.TrimSpace(m.Author)
	if author == "" {
		author = "medsec user"
	}
	doc := map[string]any{
		"document": map[string]any{
			"category":     "csaf_security_advisory",
			"csaf_version": "2.0",
			"title":        m.Title,
			"lang":         "en",
			"publisher": map[string]any{"category": "user", "name": m.Manufacturer + " (entered in medsec by " + author + ")",
				"namespace": "https://medsec.invalid/manual"},
			"notes": []any{map[string]any{"category": "description", "title": "Source",
				"text": "Entered by hand in medsec from a manufacturer letter or notice that was not published as CSAF."}},
			"tracking": map[string]any{
				"id": m.ID, "status": "final", "version": "1",
				"initial_release_date": date, "current_release_date": date,
				"revision_history": []any{map[string]any{"date": date, "number": "1", "summary": "Entered from the manufacturer's letter."}},
			},
		},
		"product_tree": map[string]any{"branches": []any{map[string]any{"category": "vendor", "name": m.Manufacturer,
			"branches": []any{map[string]any{"category": "product_name", "name": m.Product, "branches": branches}}}}},
		"vulnerabilities": []any{vuln},
	}
	raw, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	if _, err := Load(m.ID+".json", bytes.NewReader(raw)); err != nil {
		return nil, err
	}
	return raw, nil
}

// cvss3Base scores a CVSS 3.0 or 3.1 vector with go-cvss.
func cvss3Base(v string) (float64, string, error) {
	var score float64
	if strings.HasPrefix(v, "CVSS:3.0/") {
		c, err := gocvss30.ParseVector(v)
		if err != nil {
			return 0, "", fmt.Errorf("invalid CVSS vector %q: %v", v, err)
		}
		score = c.BaseScore()
	} else {
		c, err := gocvss31.ParseVector(v)
		if err != nil {
			return 0, "", fmt.Errorf("invalid CVSS vector %q: %v", v, err)
		}
		score = c.BaseScore()
	}
	sev, err := gocvss31.Rating(score)
	return score, strings.ToUpper(sev), err
}
