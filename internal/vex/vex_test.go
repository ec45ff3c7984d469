package vex

import (
	"encoding/json"
	"testing"
	"time"
)

func TestBuild(t *testing.T) {
	m := Model{Manufacturer: "BD", Name: "Alaris 8015 PC Unit"}
	at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	doc := Build(m, "St. Example Health", at, []Finding{
		{CVE: "CVE-2020-25165", Status: "false_positive", Reason: "firmware 12.1.2 not affected per BD letter", Asset: "A1"},
		{CVE: "CVE-2020-25165", Status: "false_positive", Reason: "firmware 12.1.2 not affected per BD letter", Asset: "A2"},
		{CVE: "CVE-2023-30559", Status: "mitigated", Control: "VLAN 40 ACL", Asset: "A1"},
		{CVE: "CVE-2023-30559", Status: "remediated", Asset: "A2"},
		{CVE: "CVE-2023-30560", Status: "open", Asset: "A1"},
		{CVE: "CVE-2023-30560", Status: "scheduled", Asset: "A2"},
		{CVE: "CVE-2023-30561", Status: "awaiting_manufacturer", Asset: "A1"},
		{CVE: "CVE-2023-30562", Status: "mitigated", Control: "NAC quarantine", Asset: "A1"},
	})
	want := map[string]string{
		"CVE-2020-25165": "not_affected", "CVE-2023-30559": "fixed", "CVE-2023-30560": "under_investigation",
		"CVE-2023-30561": "affected", "CVE-2023-30562": "not_affected",
	}
	if len(doc.Statements) != len(want) {
		t.Fatalf("%d statements, want %d", len(doc.Statements), len(want))
	}
	for _, s := range doc.Statements {
		if s.Status != want[s.Vulnerability.Name] {
			t.Errorf("%s: status %s, want %s", s.Vulnerability.Name, s.Status, want[s.Vulnerability.Name])
		}
		if s.Products[0].ID != "pkg:generic/bd/alaris%208015%20pc%20unit" {
			t.Errorf("product id %q", s.Products[0].ID)
		}
	}
	if s := doc.Statements[0]; s.Justification != "vulnerable_code_not_present" || s.ImpactStatement == "" {
		t.Errorf("false positive statement lacks justification: %+v", s)
	}
	if s := doc.Statements[4]; s.Justification != "inline_mitigations_already_exist" || s.ImpactStatement != "Compensating controls in place: NAC quarantine" {
		t.Errorf("mitigated statement: %+v", s)
	}
	if s := doc.Statements[3]; s.ActionStatement != "Awaiting the manufacturer's validated fix." {
		t.Errorf("action statement %q", s.ActionStatement)
	}
	b, _ := json.Marshal(doc)
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil || back["@context"] != "https://openvex.dev/ns/v0.2.0" {
		t.Errorf("document does not round-trip as OpenVEX: %v", err)
	}
}
