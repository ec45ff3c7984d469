// Package vex writes the hospital's status of each vulnerability per device
// model as an OpenVEX document (https://openvex.dev, v0.2.0). It is pure:
// callers hand it the findings of a model's assets.
package vex

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Finding is what the VEX needs of one asset's finding.
type Finding struct {
	CVE     string
	Status  string // medsec finding status
	Reason  string
	Control string
	Asset   string
}

// Model is the make/model the statements are about.
type Model struct {
	Manufacturer, Name string
}

// Document is an OpenVEX document.
type Document struct {
	Context    string      `json:"@context"`
	ID         string      `json:"@id"`
	Author     string      `json:"author"`
	Role       string      `json:"role,omitempty"`
	Timestamp  string      `json:"timestamp"`
	Version    int         `json:"version"`
	Tooling    string      `json:"tooling,omitempty"`
	Statements []Statement `json:"statements"`
}

// Statement is one vulnerability's status for the model.
type Statement struct {
	Vulnerability   Vulnerability `json:"vulnerability"`
	Products        []Product     `json:"products"`
	Status          string        `json:"status"`
	Justification   string        `json:"justification,omitempty"`
	ImpactStatement string        `json:"impact_statement,omitempty"`
	ActionStatement string        `json:"action_statement,omitempty"`
	StatusNotes     string        `json:"status_notes,omitempty"`
}

// Vulnerability names the CVE.
type Vulnerability struct {
	Name string `json:"name"`
}

// Product identifies the model.
type Product struct {
	ID string `json:"@id"`
}

// PURL is the package URL medsec uses for a device model.
func PURL(m Model) string {
	seg := func(s string) string { return url.PathEscape(strings.ToLower(strings.TrimSpace(s))) }
	return "pkg:generic/" + seg(m.Manufacturer) + "/" + seg(m.Name)
}

// Build makes the OpenVEX document of one model from its assets' findings.
// The rule per CVE, over the model's assets:
//   - every finding a false positive → not_affected (vulnerable_code_not_present), the reasons as impact statement;
//   - every finding mitigated (or false positive) → not_affected (inline_mitigations_already_exist), the controls named;
//   - every finding remediated (or the above) → fixed;
//   - any finding still open or in triage → under_investigation;
//   - otherwise → affected, with what is being done as action statement.
func Build(m Model, author string, at time.Time, findings []Finding) Document {
	by := map[string][]Finding{}
	for _, f := range findings {
		if f.CVE == "" {
			continue
		}
		by[f.CVE] = append(by[f.CVE], f)
	}
	cves := make([]string, 0, len(by))
	for c := range by {
		cves = append(cves, c)
	}
	sort.Strings(cves)
	doc := Document{
		Context:   "https://openvex.dev/ns/v0.2.0",
		ID:        "urn:medsec:vex:" + PURL(m) + ":" + at.UTC().Format("20060102T150405Z"),
		Author:    author,
		Role:      "Healthcare delivery organization",
		Timestamp: at.UTC().Format(time.RFC3339),
		Version:   1,
		Tooling:   "medsec",
	}
	prod := []Product{{ID: PURL(m)}}
	for _, c := range cves {
		fs := by[c]
		count := map[string]int{}
		var reasons, controls []string
		for _, f := range fs {
			count[f.Status]++
			if f.Reason != "" {
				reasons = append(reasons, f.Reason)
			}
			if f.Control != "" {
				controls = append(controls, f.Control)
			}
		}
		reasons, controls = uniq(reasons), uniq(controls)
		n := len(fs)
		st := Statement{Vulnerability: Vulnerability{Name: c}, Products: prod, StatusNotes: summary(count, n)}
		switch {
		case count["false_positive"] == n:
			st.Status, st.Justification = "not_affected", "vulnerable_code_not_present"
			st.ImpactStatement = "Reviewed and found not to apply: " + strings.Join(reasons, "; ")
		case count["false_positive"]+count["mitigated"] == n:
			st.Status, st.Justification = "not_affected", "inline_mitigations_already_exist"
			st.ImpactStatement = "Compensating controls in place: " + strings.Join(controls, "; ")
		case count["false_positive"]+count["mitigated"]+count["remediated"] == n:
			st.Status = "fixed"
		case count["open"]+count["in_triage"] > 0:
			st.Status = "under_investigation"
		default:
			st.Status = "affected"
			st.ActionStatement = action(count)
		}
		doc.Statements = append(doc.Statements, st)
	}
	if doc.Statements == nil {
		doc.Statements = []Statement{}
	}
	return doc
}

var order = []string{"open", "in_triage", "awaiting_manufacturer", "fix_validated", "scheduled", "remediated", "mitigated", "risk_accepted", "false_positive"}

func summary(count map[string]int, n int) string {
	var parts []string
	for _, s := range order {
		if count[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[s], strings.ReplaceAll(s, "_", " ")))
		}
	}
	return fmt.Sprintf("%d asset(s): %s", n, strings.Join(parts, ", "))
}

func action(count map[string]int) string {
	var parts []string
	if count["awaiting_manufacturer"] > 0 {
		parts = append(parts, "awaiting the manufacturer's validated fix")
	}
	if count["fix_validated"] > 0 {
		parts = append(parts, "manufacturer-validated fix to be scheduled")
	}
	if count["scheduled"] > 0 {
		parts = append(parts, "fix scheduled")
	}
	if count["risk_accepted"] > 0 {
		parts = append(parts, "risk accepted until expiry on some assets")
	}
	if len(parts) == 0 {
		return "Remediation in progress."
	}
	return strings.ToUpper(parts[0][:1]) + strings.Join(parts, "; ")[1:] + "."
}

func uniq(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
