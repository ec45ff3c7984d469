package csaf

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestManualDocument(t *testing.T) {
	m := Manual{ID: "MEDSEC-MANUAL-2026-1", Title: "BD letter: PCU keyboard lock bypass", Manufacturer: "BD", Product: "Alaris 8015 PC Unit",
		Affected: "<= 12.1.2", Fixed: "12.1.3", CVE: "cve-2026-0001", Summary: "The keyboard lock can be bypassed.", Remediation: "vendor_fix",
		Details: "Upgrade to 12.1.3.", CVSS: "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H", Published: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Author: "security"}
	raw, err := ManualDocument(m)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Load("m.json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != m.ID || len(a.Vulns) != 1 || a.Vulns[0].CVE != "CVE-2026-0001" {
		t.Fatalf("loaded %+v", a)
	}
	v := a.Vulns[0]
	if len(v.Scores) != 1 || v.Scores[0].Base != 6.1 {
		t.Errorf("score %+v, want 6.1", v.Scores)
	}
	if len(v.Status["known_affected"]) != 1 || len(v.Status["fixed"]) != 1 || v.Remediations[0].Category != "vendor_fix" {
		t.Errorf("status %v remediations %+v", v.Status, v.Remediations)
	}
	p := a.Product("MANUAL-AFFECTED")
	if p == nil || p.Vendor != "BD" || p.Name != "Alaris 8015 PC Unit" || p.VersionRange != "<= 12.1.2" {
		t.Errorf("affected product %+v", p)
	}

	for _, bad := range []struct {
		edit func(*Manual)
		want string
	}{
		{func(m *Manual) { m.Product = "" }, "product is required"},
		{func(m *Manual) { m.CVE = "CVE-26-1" }, "not a CVE id"},
		{func(m *Manual) { m.Remediation = "pray" }, "not one of vendor_fix"},
		{func(m *Manual) { m.CVSS = "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H" }, "invalid CVSS vector"},
		{func(m *Manual) { m.CVSS = "AV:N/AC:L/Au:N/C:P/I:P/A:P" }, "not a CVSS 3.0 or 3.1 vector"},
	} {
		mm := m
		bad.edit(&mm)
		if _, err := ManualDocument(mm); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("want error containing %q, got %v", bad.want, err)
		}
	}
}
