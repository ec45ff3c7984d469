package nvd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medsec/medsec/internal/match"
	"github.com/medsec/medsec/internal/vers"
)

// Device must stay convertible from match.Device.
var _ = Device(match.Device{})

func loadCVE(t *testing.T, id string) *CVE {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "cve", id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []*CVE
	if err := Read(f.Name(), f, func(c *CVE) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != id {
		t.Fatalf("read %d records from %s", len(got), id)
	}
	return got[0]
}

func TestReadRealRecords(t *testing.T) {
	files, _ := filepath.Glob("testdata/cve/*.json")
	if len(files) != 9 {
		t.Fatalf("want 9 records, have %d", len(files))
	}
	byID := map[string]*CVE{}
	for _, fn := range files {
		id := strings.TrimSuffix(filepath.Base(fn), ".json")
		c := loadCVE(t, id)
		if c.Description() == "" || c.Published == "" || c.LastModified == "" {
			t.Errorf("%s: missing description or dates", id)
		}
		if _, err := ParseTime(c.Published); err != nil {
			t.Errorf("%s: %v", id, err)
		}
		byID[id] = c
	}
	// Records without configurations or with empty metrics load fine.
	if c := byID["CVE-2024-1275"]; len(c.Metrics.All()) != 0 || len(c.Configurations) != 0 || c.CWEs()[0] != "CWE-1394" {
		t.Errorf("CVE-2024-1275: metrics %v, configs %d, cwes %v", c.Metrics.All(), len(c.Configurations), c.CWEs())
	}
	for _, id := range []string{"CVE-2024-1453", "CVE-2024-6795"} {
		if len(byID[id].Configurations) != 0 {
			t.Errorf("%s has configurations", id)
		}
	}
	c := byID["CVE-2020-25165"]
	best, ok := c.Metrics.Best()
	if !ok || best.Data.Version != "3.1" || best.Data.BaseScore != 7.5 || best.Data.VectorString != "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H" || !best.Primary() || best.Severity() != "HIGH" {
		t.Errorf("CVE-2020-25165 best metric = %+v", best)
	}
	if v2 := c.Metrics.V2[0]; v2.Severity() != "MEDIUM" || v2.Data.BaseScore != 5.0 {
		t.Errorf("v2 = %+v", v2)
	}
	if len(c.Configurations) != 2 || c.Configurations[0].Operator != "AND" || len(c.Configurations[0].Nodes) != 2 ||
		c.Configurations[0].Nodes[1].CPEMatch[0].Vulnerable || c.Configurations[0].Nodes[0].CPEMatch[0].VersionEndIncluding != "9.33.1" {
		t.Errorf("CVE-2020-25165 configurations = %+v", c.Configurations)
	}
	if len(c.References) != 2 || c.References[0].Tags[0] != "Third Party Advisory" {
		t.Errorf("references = %+v", c.References)
	}
	if m := byID["CVE-2019-10964"].Metrics; len(m.V30) == 0 || len(m.V31) == 0 {
		t.Errorf("CVE-2019-10964 metrics = %+v", m)
	}
	// Secondary metrics come after primary ones.
	for _, c := range byID {
		all := c.Metrics.All()
		for i := 1; i < len(all); i++ {
			if all[i-1].Data.Version == all[i].Data.Version && !all[i-1].Primary() && all[i].Primary() {
				t.Errorf("%s: secondary before primary", c.ID)
			}
		}
	}
}

func TestReadEnvelope(t *testing.T) {
	f, err := os.Open("testdata/nvd_api2_envelope.medical-subset.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ids []string
	pg, err := ReadPage(f.Name(), f, func(c *CVE) error { ids = append(ids, c.ID); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if pg.TotalResults != 9 || pg.ResultsPerPage != 9 || pg.Format != "NVD_CVE" || pg.Version != "2.0" || pg.Records != 9 || len(ids) != 9 {
		t.Fatalf("page = %+v, ids = %v", pg, ids)
	}
	// The envelope carries the same records as the single files.
	for _, id := range ids {
		if _, err := os.Stat(filepath.Join("testdata", "cve", id+".json")); err != nil {
			t.Errorf("%s not among the single records", id)
		}
	}
}

type evalCase struct {
	name  string
	f     Facts
	want  vers.Result
	lines []string // substrings the evidence must contain
}

func runEval(t *testing.T, c *CVE, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		ev := Evaluate(c, tc.f)
		if ev.Result != tc.want {
			t.Errorf("%s %s: result %s, want %s\n%s", c.ID, tc.name, ev.Result, tc.want, strings.Join(ev.Evidence, "\n"))
			continue
		}
		all := strings.Join(ev.Evidence, "\n")
		for _, l := range tc.lines {
			if !strings.Contains(all, l) {
				t.Errorf("%s %s: evidence lacks %q:\n%s", c.ID, tc.name, l, all)
			}
		}
		if tc.want != vers.No && (ev.Confidence <= 0 || ev.Confidence > 1) {
			t.Errorf("%s %s: confidence %v", c.ID, tc.name, ev.Confidence)
		}
	}
}

func TestEvaluateAlaris(t *testing.T) {
	pcu := func(v string) Facts {
		return Facts{Vendor: "BD", Products: []string{"Alaris PC Unit", "8015"}, Version: v}
	}
	runEval(t, loadCVE(t, "CVE-2020-25165"), []evalCase{
		{"9.33 vulnerable", pcu("9.33"), vers.Yes, []string{
			"cpe:2.3:o:bd:alaris_8015_pcu_firmware:*: version 9.33 is within <= 9.33.1 (versionEndIncluding 9.33.1) → yes",
			"cpe:2.3:h:bd:alaris_8015_pcu:- [platform]: hardware matches (no version stated) → yes",
			"configuration 1 (AND of 2 nodes): yes",
			`NVD vendor "bd" is BD`}},
		{"9.33.1 boundary", pcu("9.33.1"), vers.Yes, nil},
		{"9.34 fixed", pcu("9.34"), vers.No, nil},
		{"9.5 is before 9.33 numerically", pcu("9.5"), vers.Yes, nil},
		{"12.1.0 fixed", pcu("12.1.0"), vers.No, nil},
		{"unknown firmware", pcu(""), vers.Unknown, []string{"device firmware unknown (versionEndIncluding 9.33.1) → unknown"}},
		{"CareFusion alias", Facts{Vendor: "CareFusion", Products: []string{"ALARIS PCU"}, Version: "9.19"}, vers.Yes, nil},
		{"other BD model", Facts{Vendor: "BD", Products: []string{"Alaris Syringe Module", "8110"}, Version: "9.19"}, vers.No, nil},
		{"other maker", Facts{Vendor: "Baxter", Products: []string{"Alaris PC Unit", "8015"}, Version: "9.19"}, vers.No, nil},
		{"systems manager", Facts{Vendor: "Becton Dickinson", Products: []string{"Alaris Systems Manager"}, Version: "4.33"}, vers.Yes,
			[]string{"cpe:2.3:a:bd:alaris_systems_manager:*: version 4.33 is within <= 4.33"}},
		{"systems manager fixed", Facts{Vendor: "BD", Products: []string{"Alaris Systems Manager"}, Version: "4.50"}, vers.No, nil},
	})
	runEval(t, loadCVE(t, "CVE-2023-30559"), []evalCase{
		{"12.1.3", pcu("12.1.3"), vers.Yes, nil},
		{"12.1.2", pcu("12.1.2"), vers.Yes, nil},
		{"12.3.0", pcu("12.3.0"), vers.No, nil},
		// Firmware matches but the device is not the platform hardware: the
		// AND needs both.
		{"firmware without hardware", Facts{Vendor: "BD", Products: []string{"Alaris PC Unit"}, Hardware: []string{"Alaris GP"}, Version: "9.1"}, vers.No, nil},
	})
}

func TestEvaluateDCMTK(t *testing.T) {
	c := loadCVE(t, "CVE-2022-2119")
	dcmtk := func(v string) Facts { return Facts{Vendor: "OFFIS", Products: []string{"DCMTK"}, Version: v} }
	runEval(t, c, []evalCase{
		{"3.6.6", dcmtk("3.6.6"), vers.Yes, []string{"cpe:2.3:a:offis:dcmtk:*: version 3.6.6 is within < 3.6.7 (versionEndExcluding 3.6.7) → yes", "not in the manufacturer catalogue"}},
		{"3.6.7", dcmtk("3.6.7"), vers.No, nil},
		{"3.7.0", dcmtk("3.7.0"), vers.No, nil},
		{"3.5.4", dcmtk("3.5.4"), vers.Yes, nil},
		{"unknown", dcmtk(""), vers.Unknown, nil},
		{"other product", Facts{Vendor: "OFFIS", Products: []string{"dicomscope"}, Version: "3.6.0"}, vers.No, nil},
	})
}

func TestEvaluateMiniMed(t *testing.T) {
	c := loadCVE(t, "CVE-2019-10964")
	mm := func(model, v string) Facts { return Facts{Vendor: "Medtronic", Products: []string{model}, Version: v} }
	runEval(t, c, []evalCase{
		// No bounds: all versions, even an unknown one.
		{"508 any", mm("MiniMed 508", ""), vers.Yes, []string{"minimed_508_firmware:*: all versions (no bounds) → yes"}},
		{"522", mm("MiniMed Paradigm 522", "1.0"), vers.Yes, nil},
		{"523 2.4a", mm("MiniMed Paradigm 523", "2.4a"), vers.Yes, nil},
		{"523 2.3", mm("Paradigm 523", "2.3"), vers.Yes, nil},
		{"523 2.5", mm("MiniMed Paradigm 523", "2.5"), vers.No, nil},
		{"523 unknown", mm("MiniMed Paradigm 523", ""), vers.Unknown, nil},
		{"523k is not 523", mm("MiniMed Paradigm 523K", "3.0"), vers.No, nil},
		{"veo 554 2.6a", mm("MiniMed Paradigm Veo 554", "2.6a"), vers.Yes, nil},
		{"veo 554 2.7", mm("MiniMed Paradigm Veo 554", "2.7"), vers.No, nil},
		// The hardware CPE carries the range: the hardware revision decides.
		{"veo 554cm hw unknown", mm("MiniMed Paradigm Veo 554CM", "2.7a"), vers.Unknown, []string{"hardware revision unknown"}},
		// Firmware "-": NVD states no version, which needs review.
		{"veo 754cm", mm("MiniMed Paradigm Veo 754CM", "1.0"), vers.Unknown, []string{"needs review"}},
		{"other maker", Facts{Vendor: "Baxter", Products: []string{"MiniMed 508"}}, vers.No, nil},
		{"530G not listed", mm("MiniMed 530G", "1.0"), vers.No, nil},
	})
}

func TestEvaluateGEAndBaxter(t *testing.T) {
	ge := loadCVE(t, "CVE-2020-6961")
	runEval(t, ge, []evalCase{
		{"ApexPro 4.2", Facts{Vendor: "GE Healthcare", Products: []string{"ApexPro Telemetry Server"}, Version: "4.2"}, vers.Yes, []string{`NVD vendor "gehealthcare" is GE Healthcare`}},
		{"ApexPro 4.3", Facts{Vendor: "GEHC", Products: []string{"ApexPro Telemetry Server"}, Version: "4.3"}, vers.No, nil},
		{"MP100R 4.3 exact", Facts{Vendor: "GE Medical Systems", Products: []string{"CARESCAPE Telemetry Server MP100R"}, Version: "4.3"}, vers.Yes, nil},
		{"MP100R 4.4", Facts{Vendor: "GE Healthcare", Products: []string{"CARESCAPE Telemetry Server MP100R"}, Version: "4.4"}, vers.No, nil},
		{"CIC MP100D 5.0", Facts{Vendor: "GE Healthcare", Products: []string{"Clinical Information Center", "MP100D"}, Version: "5.0"}, vers.Yes, nil},
		{"CIC MP100D 6.0", Facts{Vendor: "GE Healthcare", Products: []string{"Clinical Information Center", "MP100D"}, Version: "6.0"}, vers.No, nil},
		{"MAS700 1.0", Facts{Vendor: "GE Healthcare", Products: []string{"CARESCAPE Central Station MAS700"}, Version: "1.0"}, vers.Yes, nil},
		{"MAI700 2.0", Facts{Vendor: "GE Healthcare", Products: []string{"CARESCAPE Central Station MAI700"}, Version: "2.0"}, vers.No, nil},
		{"B450 monitor", Facts{Vendor: "GE Healthcare", Products: []string{"CARESCAPE B450"}, Version: "2.0.6"}, vers.No, nil},
	})
	bx := loadCVE(t, "CVE-2022-26390")
	wbm := func(v string) Facts {
		return Facts{Vendor: "Baxter", Products: []string{"Spectrum Wireless Battery Module"}, Version: v}
	}
	runEval(t, bx, []evalCase{
		{"WBM 20d30", wbm("20d30"), vers.Yes, nil},
		{"WBM 22d28", wbm("22d28"), vers.Yes, nil},
		{"WBM 16", wbm("16"), vers.Yes, nil},
		{"WBM 17d19", wbm("17d19"), vers.Yes, nil},
		{"WBM 22d29", wbm("22d29"), vers.No, nil},
		{"WBM 21d01", wbm("21d01"), vers.No, nil},
		// Sigma Spectrum 35700BAX2: firmware "-" needs review.
		{"Spectrum V8", Facts{Vendor: "Baxter", Products: []string{"Sigma Spectrum", "35700BAX2"}, Version: "8.00.01"}, vers.Unknown,
			[]string{"sigma_spectrum_35700bax2_firmware:-"}},
		{"Spectrum IQ", Facts{Vendor: "Baxter", Products: []string{"Spectrum IQ", "35700BAX3"}, Version: "9.00.00"}, vers.Unknown, nil},
	})
	// The 35700BAX2 device must not pick up the 35700BAX product.
	ev := Evaluate(bx, Facts{Vendor: "Baxter", Products: []string{"Sigma Spectrum", "35700BAX2"}, Version: "8.00.01"})
	if s := strings.Join(ev.Evidence, "\n"); strings.Contains(s, "35700bax_firmware") {
		t.Errorf("35700BAX2 matched 35700BAX:\n%s", s)
	}
}

func TestEvaluateNoConfigurations(t *testing.T) {
	for _, id := range []string{"CVE-2024-1275", "CVE-2024-1453", "CVE-2024-6795"} {
		c := loadCVE(t, id)
		if ev := Evaluate(c, Facts{Vendor: "Baxter", Products: []string{"Connex Spot Monitor"}, Version: "1.0"}); ev.Result != vers.No {
			t.Errorf("%s: %v", id, ev)
		}
	}
}

// TestIndexRealData matches the nine real records against an inventory.
func TestIndexRealData(t *testing.T) {
	f, err := os.Open("testdata/nvd_api2_envelope.medical-subset.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, err := ReadIndex(f.Name(), f)
	if err != nil {
		t.Fatal(err)
	}
	if x.Len() != 9 || x.NoConfig != 3 {
		t.Fatalf("Len %d NoConfig %d", x.Len(), x.NoConfig)
	}
	devs := []Device(nil)
	for _, d := range []match.Device{
		{Key: "pcu-9.33", Manufacturer: "BD", Model: "Alaris PC Unit", ModelNumber: "8015", Firmware: "9.33"},
		{Key: "pcu-12.3", Manufacturer: "BD", Model: "Alaris PC Unit", ModelNumber: "8015", Firmware: "12.3.0"},
		{Key: "pcu-unknown", Manufacturer: "CareFusion", Model: "PC Unit", ModelNumber: "", Firmware: ""},
		{Key: "pcu-12.1.2", Manufacturer: "BD", Model: "Alaris 8015 PC unit", Firmware: "12.1.2"},
		{Key: "syringe", Manufacturer: "BD", Model: "Alaris Syringe Module", ModelNumber: "8110", Firmware: "9.19"},
		{Key: "minimed", Manufacturer: "Medtronic", Model: "MiniMed Paradigm 523", Firmware: "2.2"},
		{Key: "dcmtk", Manufacturer: "OFFIS", Model: "DCMTK", Firmware: "3.6.5"},
		{Key: "spectrum", Manufacturer: "Baxter", Model: "Sigma Spectrum", ModelNumber: "35700BAX2", Firmware: "8.00.01"},
		{Key: "b450", Manufacturer: "GE Healthcare", Model: "CARESCAPE B450", Firmware: "2.0.6"},
	} {
		devs = append(devs, Device(d))
	}
	got := map[string]Finding{}
	for _, fd := range x.Match(devs) {
		got[fd.DeviceKey+" "+fd.CVE] = fd
	}
	want := map[string]bool{ // key -> VersionCertain
		"pcu-9.33 CVE-2020-25165":    true,
		"pcu-9.33 CVE-2023-30559":    true,
		"pcu-12.1.2 CVE-2023-30559":  true,
		"pcu-unknown CVE-2020-25165": false,
		"pcu-unknown CVE-2023-30559": false,
		"minimed CVE-2019-10964":     true,
		"dcmtk CVE-2022-2119":        true,
		"spectrum CVE-2022-26390":    false,
	}
	for k, certain := range want {
		fd, ok := got[k]
		if !ok {
			t.Errorf("missing finding %s", k)
			continue
		}
		if fd.VersionCertain != certain || len(fd.Evidence) == 0 || fd.Confidence <= 0 {
			t.Errorf("%s: %+v", k, fd)
		}
	}
	for k, fd := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected finding %s: %s", k, strings.Join(fd.Evidence, "\n"))
		}
	}
	if testing.Verbose() {
		for _, l := range got["pcu-unknown CVE-2020-25165"].Evidence {
			t.Log(l)
		}
	}
}
