package csaf

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const icsmaDir = "../advisorydata/icsma"

func loadFile(t testing.TB, name string) *Advisory {
	t.Helper()
	f, err := os.Open(filepath.Join(icsmaDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := Load(name, f)
	if err != nil {
		t.Fatalf("Load(%s): %v", name, err)
	}
	return a
}

// mutate decodes a shipped advisory, lets edit change it and re-encodes it.
func mutate(t testing.TB, name string, edit func(doc map[string]any)) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(icsmaDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func obj(v any, keys ...any) map[string]any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(map[string]any)
}

func TestAllShippedAdvisoriesLoad(t *testing.T) {
	advs, errs := LoadPath(icsmaDir)
	for _, err := range errs {
		t.Error(err)
	}
	if len(advs) != 108 {
		t.Fatalf("loaded %d advisories, want 108", len(advs))
	}
	var products, vulns, ranges, scores int
	distinct := map[string]bool{}
	for _, a := range advs {
		if a.ID == "" || a.Publisher != "CISA" || a.TLP != "WHITE" || a.Initial.IsZero() || a.Current.IsZero() || len(a.Raw) == 0 {
			t.Errorf("%s: incomplete header %q %q %q %v %v", a.File, a.ID, a.Publisher, a.TLP, a.Initial, a.Current)
		}
		raw, err := os.ReadFile(a.File)
		if err != nil || !bytes.Equal(raw, a.Raw) {
			t.Errorf("%s: Raw differs from the file", a.File)
		}
		// Raw must not pin a buffer much larger than the document.
		if cap(a.Raw) > len(a.Raw)+bytes.MinRead {
			t.Errorf("%s: cap(Raw)=%d for %d bytes", a.File, cap(a.Raw), len(a.Raw))
		}
		products += len(a.Products)
		for _, p := range a.Products {
			if p.VersionRange != "" {
				ranges++
				distinct[p.VersionRange] = true
			}
			if p.Vendor == "" || p.Name == "" || p.ID == "" || (p.Version == "") == (p.VersionRange == "") {
				t.Errorf("%s: product %+v lacks vendor/name/id or has not exactly one version kind", a.File, p)
			}
		}
		for _, v := range a.Vulns {
			vulns++
			scores += len(v.Scores)
			if len(v.Status["known_affected"]) == 0 {
				t.Errorf("%s %s: no known_affected", a.File, v.CVE)
			}
			for _, ids := range v.Status {
				for _, id := range ids {
					if a.Product(id) == nil {
						t.Errorf("%s %s: status names unknown product %s", a.File, v.CVE, id)
					}
				}
			}
			if v.KnownExploited {
				t.Errorf("%s %s: KnownExploited, but no shipped advisory states exploitation", a.File, v.CVE)
			}
		}
	}
	// Counts read from the files with an independent script.
	if products != 480 || vulns != 337 || ranges != 175 || len(distinct) != 100 || scores != 338 {
		t.Errorf("products=%d vulns=%d ranges=%d distinct ranges=%d scores=%d, want 480 337 175 100 338", products, vulns, ranges, len(distinct), scores)
	}
	t.Logf("advisories=%d products=%d vulns=%d version_range leaves=%d (distinct %d) scores=%d", len(advs), products, vulns, ranges, len(distinct), scores)
}

func TestSpotStJudeMerlin(t *testing.T) {
	a := loadFile(t, "icsma-17-009-01a.json")
	if a.ID != "ICSMA-17-009-01A" || a.Revision != "2" || a.Title != "ICSMA-17-009-01A_St. Jude Merlin@home Transmitter Vulnerability (Update A)" {
		t.Errorf("header: %q %q %q", a.ID, a.Revision, a.Title)
	}
	if !a.Initial.Equal(time.Date(2017, 1, 9, 0, 0, 0, 0, time.UTC)) || !a.Current.Equal(time.Date(2017, 2, 6, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("dates: %v %v", a.Initial, a.Current)
	}
	if len(a.Products) != 3 {
		t.Fatalf("products: %d", len(a.Products))
	}
	p := a.Products[1]
	want := Product{ID: "CSAFPID-0002", Vendor: "St. Jude Medical", Name: "Inductive models EX1100 with MerlinOnDemand capability", VersionRange: "< 8.2.2",
		FullName: "Inductive models EX1100 with MerlinOnDemand capability: versions prior to Version 8.2.2",
		Path:     []Branch{{"vendor", "St. Jude Medical"}, {"product_name", "Inductive models EX1100 with MerlinOnDemand capability"}, {"product_version_range", "< 8.2.2"}}}
	if !productEqual(p, want) {
		t.Errorf("product:\n got %+v\nwant %+v", p, want)
	}
	if len(a.Vulns) != 1 {
		t.Fatalf("vulns: %d", len(a.Vulns))
	}
	v := a.Vulns[0]
	if v.CVE != "CVE-2017-5149" || v.CWE != "CWE-300" || v.CWEName != "Channel Accessible by Non-Endpoint" {
		t.Errorf("vuln: %q %q %q", v.CVE, v.CWE, v.CWEName)
	}
	if !slices.Equal(v.Status["known_affected"], []string{"CSAFPID-0001", "CSAFPID-0002", "CSAFPID-0003"}) || len(v.Status) != 1 {
		t.Errorf("status: %v", v.Status)
	}
	if len(v.Scores) != 1 || v.Scores[0].Vector != "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:L/I:H/A:H" || v.Scores[0].Base != 8.9 || v.Scores[0].Version != "3.0" || len(v.Scores[0].Products) != 3 {
		t.Errorf("scores: %+v", v.Scores)
	}
	if len(v.Remediations) != 1 || v.Remediations[0].Category != "mitigation" || !v.Remediations[0].Date.IsZero() || len(v.Remediations[0].Products) != 3 {
		t.Errorf("remediations: %+v", v.Remediations)
	}
}

func TestSpotGEImaging(t *testing.T) {
	a := loadFile(t, "icsma-20-343-01.json")
	if a.ID != "ICSMA-20-343-01" || len(a.Vulns) != 2 {
		t.Fatalf("%q with %d vulns", a.ID, len(a.Vulns))
	}
	checks := map[string]Product{
		"CSAFPID-0001":  {Vendor: "GE Healthcare", Name: "3.0T Signa Hdxt", Version: "HD 16 | HD23"},
		"CSAFPID-00013": {Vendor: "GE Healthcare", Name: "Vivid 7", VersionRange: ">=BT02 | <= BT06"},
		"CSAFPID-00017": {Vendor: "GE Healthcare", Name: "AW", VersionRange: ">= 4.0 | <= 4.6"},
		// CISA also puts vers ranges into product_version; kept verbatim.
		"CSAFPID-00019": {Vendor: "GE Healthcare", Name: "Innova 2000", Version: "vers:all/*", FullName: "Innova 2000: *"},
	}
	for id, w := range checks {
		p := a.Product(id)
		if p == nil {
			t.Errorf("no product %s", id)
			continue
		}
		if p.Vendor != w.Vendor || p.Name != w.Name || p.Version != w.Version || p.VersionRange != w.VersionRange || (w.FullName != "" && p.FullName != w.FullName) {
			t.Errorf("%s: got %+v", id, *p)
		}
	}
	v := a.Vulns[0]
	if v.CVE != "CVE-2020-25175" || v.CWE != "CWE-523" || v.CWEName != "Unprotected Transport of Credentials" {
		t.Errorf("vuln: %q %q %q", v.CVE, v.CWE, v.CWEName)
	}
	if n := len(v.Status["known_affected"]); n != 107 {
		t.Errorf("known_affected: %d ids", n)
	}
	r := v.Remediations[0]
	if r.Category != "vendor_fix" || r.URL != "https://www.gehealthcare.com/en-US/security" || !strings.HasPrefix(r.Details, "GE has identified mitigations") || len(r.Products) != 107 {
		t.Errorf("remediation: %+v", r)
	}
	if s := v.Scores[0]; s.Version != "3.0" || s.Vector != "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" || s.Base != 9.8 {
		t.Errorf("score: %+v", s)
	}
}

func TestSpotPhilipsVuePACS(t *testing.T) {
	a := loadFile(t, "icsma-24-200-01.json")
	if a.ID != "ICSMA-24-200-01" || a.Title != "Philips Vue PACS" || len(a.Vulns) != 13 || len(a.Products) != 1 {
		t.Fatalf("%q %q vulns=%d products=%d", a.ID, a.Title, len(a.Vulns), len(a.Products))
	}
	if p := a.Products[0]; p.Vendor != "Philips" || p.Name != "Vue PACS" || p.VersionRange != "<12.2.8.410" || p.Version != "" {
		t.Errorf("product: %+v", p)
	}
	v := a.Vulns[0]
	if v.CVE != "CVE-2020-36518" || v.CWE != "CWE-787" || v.CWEName != "Out-of-bounds Write" {
		t.Errorf("vuln: %q %q %q", v.CVE, v.CWE, v.CWEName)
	}
	if s := v.Scores[0]; s.Version != "3.1" || s.Vector != "CVSS:3.1/AV:A/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H" || s.Base != 5.3 || !slices.Equal(s.Products, []string{"CSAFPID-0001"}) {
		t.Errorf("score: %+v", s)
	}
	if !slices.Equal(v.CVSS4Vectors, []string{"CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N"}) {
		t.Errorf("cvss4: %v", v.CVSS4Vectors)
	}
	cats := []string{}
	for _, r := range v.Remediations {
		cats = append(cats, r.Category)
	}
	if !slices.Equal(cats, []string{"mitigation", "vendor_fix", "vendor_fix", "mitigation"}) || v.Remediations[2].URL != "https://www.informatics.support.philips.com/csm" {
		t.Errorf("remediations: %v %+v", cats, v.Remediations)
	}
	if e := a.Vulns[12]; e.CVE != "CVE-2023-40159" || e.Scores[0].Base != 8.2 || e.CWE != "CWE-200" {
		t.Errorf("last vuln: %+v", e)
	}
}

func productEqual(a, b Product) bool {
	return a.ID == b.ID && a.Vendor == b.Vendor && a.Family == b.Family && a.Name == b.Name && a.Version == b.Version &&
		a.VersionRange == b.VersionRange && a.FullName == b.FullName && slices.Equal(a.Path, b.Path)
}

// richDoc adds what the shipped advisories lack: a product family, helper
// identifiers, full_product_names, a relationship, a product group, a dated
// remediation with group_ids, a fixed status on the relationship, a CVSS v2
// score and an exploit_status threat.
func richDoc(t testing.TB) []byte {
	return mutate(t, "icsma-17-009-01a.json", func(doc map[string]any) {
		pt := obj(doc, "product_tree")
		vendor := obj(pt, "branches", 0)
		vendor["branches"] = []any{map[string]any{
			"category": "product_family", "name": "Merlin",
			"branches": vendor["branches"],
		}, map[string]any{
			"category": "product_name", "name": "Transmitter firmware",
			"branches": []any{map[string]any{
				"category": "product_version", "name": "8.2.2",
				"product": map[string]any{
					"name": "Transmitter firmware 8.2.2", "product_id": "FW-822",
					"product_identification_helper": map[string]any{
						"cpe":            "cpe:2.3:o:sjm:transmitter_firmware:8.2.2:*:*:*:*:*:*:*",
						"model_numbers":  []any{"EX1100", "EX1150"},
						"skus":           []any{"SKU-1"},
						"serial_numbers": []any{"SN1*"},
						"hashes": []any{map[string]any{"filename": "fw.bin", "file_hashes": []any{
							map[string]any{"algorithm": "sha256", "value": strings.Repeat("ab", 32)}}}},
					},
				},
			}},
		}}
		pt["full_product_names"] = []any{map[string]any{"name": "Merlin.net PCN", "product_id": "PCN"}}
		pt["relationships"] = []any{map[string]any{
			"category":                     "installed_on",
			"product_reference":            "FW-822",
			"relates_to_product_reference": "CSAFPID-0003",
			"full_product_name":            map[string]any{"name": "Firmware 8.2.2 on EX1150", "product_id": "REL-1"},
		}}
		pt["product_groups"] = []any{map[string]any{"group_id": "G-EX1100", "product_ids": []any{"CSAFPID-0001", "CSAFPID-0002"}}}
		v := obj(doc, "vulnerabilities", 0)
		obj(v, "product_status")["fixed"] = []any{"REL-1"}
		v["remediations"] = append(v["remediations"].([]any), map[string]any{
			"category": "vendor_fix", "details": "Install 8.2.2", "date": "2017-01-09T12:30:00Z",
			"url": "https://example.invalid/fix", "product_ids": []any{"REL-1"}, "group_ids": []any{"G-EX1100"},
		})
		v["scores"] = append(v["scores"].([]any), map[string]any{
			"products": []any{"CSAFPID-0001"},
			"cvss_v2":  map[string]any{"version": "2.0", "vectorString": "AV:N/AC:L/Au:N/C:P/I:P/A:P", "baseScore": 7.5},
		})
		v["threats"] = []any{map[string]any{"category": "exploit_status", "details": "CISA is aware that this vulnerability is being exploited in the wild."}}
	})
}

func TestRichDocument(t *testing.T) {
	a, err := Load("rich.json", bytes.NewReader(richDoc(t)))
	if err != nil {
		t.Fatal(err)
	}
	ex := a.Product("CSAFPID-0002")
	if ex == nil || ex.Family != "Merlin" || ex.Vendor != "St. Jude Medical" || ex.VersionRange != "< 8.2.2" || len(ex.Path) != 4 {
		t.Errorf("family product: %+v", ex)
	}
	fw := a.Product("FW-822")
	if fw == nil || fw.Version != "8.2.2" || fw.CPE != "cpe:2.3:o:sjm:transmitter_firmware:8.2.2:*:*:*:*:*:*:*" ||
		!slices.Equal(fw.ModelNumbers, []string{"EX1100", "EX1150"}) || !slices.Equal(fw.SKUs, []string{"SKU-1"}) || !slices.Equal(fw.Serials, []string{"SN1*"}) {
		t.Errorf("firmware: %+v", fw)
	}
	if p := a.Product("PCN"); p == nil || p.FullName != "Merlin.net PCN" || p.Path != nil {
		t.Errorf("full_product_name: %+v", p)
	}
	rel := a.Product("REL-1")
	if rel == nil || rel.Relationship == nil || *rel.Relationship != (Relationship{"installed_on", "FW-822", "CSAFPID-0003"}) ||
		rel.Name != "Transmitter firmware" || rel.Version != "8.2.2" || rel.CPE != fw.CPE || rel.FullName != "Firmware 8.2.2 on EX1150" {
		t.Errorf("relationship product: %+v", rel)
	}
	v := a.Vulns[0]
	// Relationship resolution: REL-1 is followed by its product_reference.
	if !slices.Equal(v.Status["fixed"], []string{"REL-1", "FW-822"}) {
		t.Errorf("fixed: %v", v.Status["fixed"])
	}
	r := v.Remediations[1]
	if r.Category != "vendor_fix" || !r.Date.Equal(time.Date(2017, 1, 9, 12, 30, 0, 0, time.UTC)) || r.URL != "https://example.invalid/fix" ||
		!slices.Equal(r.Products, []string{"REL-1", "FW-822", "CSAFPID-0001", "CSAFPID-0002"}) {
		t.Errorf("dated remediation: %+v", r)
	}
	if len(v.Scores) != 2 || v.Scores[1].Version != "2.0" || v.Scores[1].Base != 7.5 || v.Scores[1].Vector != "AV:N/AC:L/Au:N/C:P/I:P/A:P" {
		t.Errorf("scores: %+v", v.Scores)
	}
	if !v.KnownExploited {
		t.Error("exploit_status threat not recognised")
	}
}

func TestKnownExploitedRule(t *testing.T) {
	for text, want := range map[string]bool{
		"No known public exploits specifically target this vulnerability.": false,
		"Known public exploits specifically target this vulnerability.":    true,
		"This vulnerability could be exploited to affect this product.":    false,
		"Exploitation detected": true,
		"CISA has not been made aware of any reports that this has been exploited.":              false,
		"Exploit code is publicly available. It is not exploitable remotely.":                    true,
		"Successful exploitation of this vulnerability could allow an attacker to gain control.": false,
	} {
		if got := saysExploited(text); got != want {
			t.Errorf("saysExploited(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestSchemaErrors(t *testing.T) {
	for _, tc := range []struct {
		name, path, msg string
		edit            func(doc map[string]any)
	}{
		{"missing id", "/document/tracking", "missing property 'id'", func(d map[string]any) { delete(obj(d, "document", "tracking"), "id") }},
		{"wrong type", "/document/tracking/current_release_date", "got number, want string", func(d map[string]any) { obj(d, "document", "tracking")["current_release_date"] = 20240101 }},
		{"bad date", "/document/tracking/initial_release_date", "is not valid date-time", func(d map[string]any) { obj(d, "document", "tracking")["initial_release_date"] = "yesterday" }},
		{"bad category", "/vulnerabilities/0/remediations/0/category", "value must be one of", func(d map[string]any) { obj(d, "vulnerabilities", 0, "remediations", 0)["category"] = "pray" }},
		{"bad cve", "/vulnerabilities/0/cve", "does not match pattern", func(d map[string]any) { obj(d, "vulnerabilities", 0)["cve"] = "CVE-17-1" }},
		{"extra field", "/document", "additional properties 'colour' not allowed", func(d map[string]any) { obj(d, "document")["colour"] = "red" }},
		{"cvss4 in 2.0", "/vulnerabilities/0/scores/0", "additional properties 'cvss_v4' not allowed", func(d map[string]any) { obj(d, "vulnerabilities", 0, "scores", 0)["cvss_v4"] = map[string]any{} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("icsma-x.json", bytes.NewReader(mutate(t, "icsma-17-009-01a.json", tc.edit)))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error", err)
			}
			if e.File != "icsma-x.json" || e.Path != tc.path || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got File=%q Path=%q Msg=%q, want Path=%q Msg~%q", e.File, e.Path, e.Msg, tc.path, tc.msg)
			}
			if want := "icsma-x.json: invalid CSAF at " + tc.path + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Error() = %q, want prefix %q", err, want)
			}
			t.Log(err)
		})
	}
}

func TestRefusals(t *testing.T) {
	for name, in := range map[string]string{
		"empty":     "",
		"not json":  "hello",
		"truncated": `{"document": {`,
		"trailing":  `{} {}`,
		"array":     `[]`,
		"root":      `{}`,
	} {
		_, err := Load(name, strings.NewReader(in))
		var e *Error
		if !errors.As(err, &e) || e.File != name {
			t.Errorf("%s: got %v, want *Error", name, err)
			continue
		}
		t.Log(err)
	}
	_, err := Load("big.json", repeatBytes('x', MaxDocumentSize+1))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "64 MiB") {
		t.Errorf("oversize: %v", err)
	}
}

// deep nesting and huge strings must be refused or loaded, never panic.
func TestHostile(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
	if _, err := Load("deep.json", strings.NewReader(deep)); err == nil {
		t.Error("deep JSON accepted")
	}
	branches := mutate(t, "icsma-17-009-01a.json", func(d map[string]any) {
		var b any = map[string]any{"category": "product_version", "name": "1", "product": map[string]any{"name": "x", "product_id": "X"}}
		for range 500 {
			b = map[string]any{"category": "product_family", "name": "f", "branches": []any{b}}
		}
		obj(d, "product_tree")["branches"] = append(obj(d, "product_tree")["branches"].([]any), b)
	})
	_, err := Load("deep-tree.json", bytes.NewReader(branches))
	var e *Error
	if !errors.As(err, &e) || e.Path != "/product_tree/branches" {
		t.Errorf("deep tree: %v", err)
	}
	huge := mutate(t, "icsma-17-009-01a.json", func(d map[string]any) {
		obj(d, "document")["title"] = strings.Repeat("A", 8<<20)
	})
	if a, err := Load("huge.json", bytes.NewReader(huge)); err != nil || len(a.Title) != 8<<20 {
		t.Errorf("huge title: %v", err)
	}
}

type repeatReader struct {
	b byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = r.b
	}
	r.n -= int64(len(p))
	return len(p), nil
}

func repeatBytes(b byte, n int64) *repeatReader { return &repeatReader{b, n} }
