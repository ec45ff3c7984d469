package raci

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/medsec/medsec/internal/doc"
)

func mustTemplate(t *testing.T, d DeploymentType) Matrix {
	t.Helper()
	m, err := Template(d)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTemplatesValid(t *testing.T) {
	acts := DefaultActivities()
	for _, m := range Templates() {
		t.Run(string(m.Deployment), func(t *testing.T) {
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			if len(m.Rows) != len(acts) {
				t.Fatalf("%d rows, want %d", len(m.Rows), len(acts))
			}
			for _, r := range m.Rows {
				if r.Rationale == "" {
					t.Errorf("%s has no rationale", r.Activity.Name)
				}
			}
			for _, k := range []WorkKind{WorkFinding, WorkOrder, WorkException, WorkSLAWarning} {
				if _, err := m.Route(k); err != nil {
					t.Error(err)
				}
			}
		})
	}
	if len(templateSpecs) != len(DeploymentTypes()) {
		t.Error("templateSpecs and DeploymentTypes disagree")
	}
	if _, err := Template("cloud"); err == nil {
		t.Error("unknown deployment type accepted")
	}
}

func TestValidateListsEveryFailingActivity(t *testing.T) {
	m := mustTemplate(t, Networked)
	m.Set(ActVulnTriage, PartyProvider, A|R) // Security already A
	m.Set(ActBackup, PartyProvider, C)       // the only R/A
	m.Rows[0].Roles["nobody"] = I
	err := m.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want *ValidationError", err)
	}
	want := []string{
		`RACI: activity "Asset inventory and CMMS/CMDB correlation" assigns I to unknown party "nobody"`,
		`RACI: activity "Vulnerability triage" has 2 Accountable (Security, Service provider); exactly one is required`,
		`RACI: activity "Backup and restore" has no Accountable party; exactly one is required`,
		`RACI: activity "Backup and restore" has no Responsible party; at least one is required`,
	}
	if got := strings.Join(ve.Problems, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

func TestValidateStructure(t *testing.T) {
	m := mustTemplate(t, Standalone)
	m.Parties = append(m.Parties, Party{ID: PartyHTM, Name: "Dup"})
	m.Rows = append(m.Rows, m.Rows[0])
	m.Routes[WorkFinding] = "gone"
	err := m.Validate()
	for _, want := range []string{`party ID "htm" is used twice`, `activity ID "inventory" is used twice`, `work kind "finding" is routed to unknown activity "gone"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

func TestRoute(t *testing.T) {
	tests := []struct {
		d        DeploymentType
		kind     WorkKind
		activity string
		acc      string
		informed []string
	}{
		{Networked, WorkFinding, ActVulnTriage, PartySecurity, []string{PartyNetwork}},
		{Networked, WorkOrder, ActMaintenance, PartyProvider, []string{PartyClinical}},
		{Networked, WorkException, ActRiskException, PartySecurity, nil},
		{Networked, WorkSLAWarning, ActPatching, PartyProvider, []string{PartyHTM, PartyNetwork}},
		{System, WorkSLAWarning, ActPatching, PartySecurity, []string{PartyHTM}},
		{VendorManaged, WorkSLAWarning, ActPatching, PartyManufacturer, []string{PartyNetwork, PartyProvider}},
		{Standalone, WorkFinding, ActVulnTriage, PartyProvider, nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.d)+"/"+string(tt.kind), func(t *testing.T) {
			r, err := mustTemplate(t, tt.d).Route(tt.kind)
			if err != nil {
				t.Fatal(err)
			}
			if r.Activity.ID != tt.activity || r.Accountable.ID != tt.acc {
				t.Errorf("routed to %s / %s, want %s / %s", r.Activity.ID, r.Accountable.ID, tt.activity, tt.acc)
			}
			var inf []string
			for _, p := range r.Informed {
				inf = append(inf, p.ID)
			}
			if strings.Join(inf, ",") != strings.Join(tt.informed, ",") {
				t.Errorf("informed %v, want %v", inf, tt.informed)
			}
		})
	}
	m := mustTemplate(t, Networked)
	m.Set(ActVulnTriage, PartyProvider, A|R)
	if _, err := m.Route(WorkFinding); err == nil || !strings.Contains(err.Error(), "2 Accountable") {
		t.Errorf("ambiguous route: %v", err)
	}
	if _, err := m.Route("audit"); err == nil {
		t.Error("unknown work kind routed")
	}
	delete(m.Routes, WorkOrder) // falls back to the default mapping
	if r, err := m.Route(WorkOrder); err != nil || r.Activity.ID != ActMaintenance {
		t.Errorf("default route: %v %v", r.Activity.ID, err)
	}
}

func TestDiff(t *testing.T) {
	a := mustTemplate(t, Networked)
	b := a.Clone()
	b.Set(ActPatching, PartyProvider, A)
	b.Set(ActPatching, PartyBackup, I)
	b.Set(ActMaintenance, PartyHTM, None)
	b.Rows[2].Activity.Name = "Patching"
	b.Rows[2].Rationale = "new"
	b.Parties = append(b.Parties, Party{ID: "cloud", Name: "Cloud team"})
	b.Rows = b.Rows[:len(b.Rows)-1]
	b.Routes[WorkSLAWarning] = ActMaintenance
	var got []string
	for _, c := range Diff(a, b) {
		got = append(got, c.String())
	}
	want := []string{
		"Party added: Cloud team",
		"Preventive maintenance, calibration and repairs: Hospital HTM C → —",
		"Activity renamed: Software updates and patching → Patching",
		"Patching: Backup team — → I",
		"Patching: Service provider A/R → A",
		"Patching: rationale changed",
		"Activity removed: Risk exceptions for legacy devices",
		"Route sla_warning: Software updates and patching → Preventive maintenance, calibration and repairs",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := Diff(a, a.Clone()); len(d) != 0 {
		t.Errorf("identical matrices differ: %v", d)
	}
	// Templates differ where the reasoning says they should.
	sys := mustTemplate(t, System)
	found := false
	for _, c := range Diff(a, sys) {
		if c.String() == "Software updates and patching: Service provider A/R → R" {
			found = true
		}
	}
	if !found {
		t.Error("networked → system diff lacks the patching accountability change")
	}
}

func TestRoleText(t *testing.T) {
	for _, s := range []string{"", "R", "A/R", "C/I", "A/R/C/I"} {
		r, err := ParseRole(s)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := r.MarshalText()
		if string(b) != s {
			t.Errorf("%q round-trips to %q", s, b)
		}
	}
	if r, _ := ParseRole("ra"); r != A|R || r.String() != "A/R" {
		t.Errorf("ParseRole(ra) = %v", r)
	}
	if _, err := ParseRole("X"); err == nil {
		t.Error("bad letter accepted")
	}
	m := mustTemplate(t, System)
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back Matrix
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if d := Diff(m, back); len(d) != 0 {
		t.Errorf("JSON round trip changed the matrix: %v", d)
	}
	if !bytes.Contains(data, []byte(`"security":"A/R"`)) {
		t.Error("roles not stored as letters")
	}
}

func TestToDoc(t *testing.T) {
	m := mustTemplate(t, Networked)
	tab := ToDoc(m)
	if len(tab.Header) != 1+len(m.Parties) || len(tab.Rows) != len(m.Rows) {
		t.Fatalf("table %dx%d", len(tab.Rows), len(tab.Header))
	}
	if tab.Rows[3][0] != "Vulnerability triage" || tab.Rows[3][4] != "A" || tab.Rows[3][7] != "R" || tab.Rows[3][6] != "" {
		t.Errorf("triage row %q", tab.Rows[3])
	}
	d := &doc.Document{Title: "Exhibit B", Sections: []doc.Section{ToSection(m, 1)}}
	var b bytes.Buffer
	if err := doc.WriteDOCX(&b, d); err != nil {
		t.Fatal(err)
	}
	text, err := doc.ExtractDOCXText(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Vulnerability triage\tC\tI\t\tA\tC\t\tR\tC") {
		t.Errorf("exhibit text lacks the triage row:\n%s", text)
	}
}
