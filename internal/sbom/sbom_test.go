package sbom

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func mustRead(t *testing.T, name string) *Document {
	t.Helper()
	d, err := ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", name, err)
	}
	return d
}

func byName(d *Document) map[string]Component {
	m := map[string]Component{}
	for _, c := range d.Components {
		m[c.Name] = c
	}
	return m
}

func TestRealCaseStudySBOMs(t *testing.T) {
	for _, tc := range []struct {
		file  string
		count int
	}{
		{"narrow.sbom.json", 55},
		{"extended.sbom.json", 65},
	} {
		t.Run(tc.file, func(t *testing.T) {
			d := mustRead(t, tc.file)
			if d.Format != FormatCycloneDX || d.Encoding != EncodingJSON || d.SpecVersion != "1.4" {
				t.Errorf("format = %s/%s/%s, want cyclonedx/json/1.4", d.Format, d.Encoding, d.SpecVersion)
			}
			if len(d.Components) != tc.count {
				t.Errorf("components = %d, want %d", len(d.Components), tc.count)
			}
			if d.Subject == nil || d.Subject.Name != "REDACTED" || d.Subject.Type != "device" {
				t.Fatalf("subject = %+v, want REDACTED device", d.Subject)
			}
			if d.Name != "REDACTED" {
				t.Errorf("Name = %q", d.Name)
			}
			if d.Supplier != "REDACTED" { // metadata.component.author
				t.Errorf("Supplier = %q", d.Supplier)
			}
			if d.Created.IsZero() || d.Created.Year() != 2025 || d.Created.Month() != time.July {
				t.Errorf("Created = %v", d.Created)
			}
			if !strings.HasPrefix(d.Serial, "urn:uuid:") {
				t.Errorf("Serial = %q", d.Serial)
			}
			refs := map[string]bool{}
			for _, c := range d.Components {
				if c.Ref == "" || refs[c.Ref] {
					t.Errorf("missing or duplicate ref %q for %s", c.Ref, c.Name)
				}
				refs[c.Ref] = true
				if c.PURL == "" || len(c.CPEs) != 1 {
					t.Errorf("%s: purl %q cpes %v", c.Name, c.PURL, c.CPEs)
				}
				if _, err := ParsePURL(c.PURL); err != nil {
					t.Errorf("%s: %v", c.Name, err)
				}
			}
			m := byName(d)
			want := []Component{
				{Name: "WolfSSL", Version: "4.8.1", Supplier: "wolfSSL", PURL: "pkg:github/wolfssl/wolfssl", CPEs: []string{"cpe:2.3:a:wolfssl:wolfssl:4.8.1:*:*:*:*:*:*:*"}, Type: "firmware", Licenses: []string{"GPLv3/Commercial"}},
				{Name: "NXP SDK", Version: "2.9.0", Supplier: "NXP", PURL: "pkg:github/nxp-mcuxpresso/mcux-sdk", CPEs: []string{"cpe:2.3:a:nxp:nxp_sdk:2.9.0:*:*:*:*:*:*:*"}, Type: "firmware", Licenses: []string{"NXP"}},
				{Name: "fatFS", Version: "0.13c", Supplier: "ChaN", PURL: "pkg:github/abbrev/fatfs", CPEs: []string{"cpe:2.3:a:chan:fatfs:r0.13:*:*:*:*:*:*:*"}, Type: "firmware", Licenses: []string{"FatFs License"}},
				{Name: "Qualcomm Atheros QCA9563", Version: "", Supplier: "Qualcomm", PURL: "pkg:generic/qualcomm_atheros_qca9563", CPEs: []string{"cpe:2.3:h:qualcomm:atheros_qca9563:*:*:*:*:*:*:*:*"}, Type: "device", Licenses: []string{"Qualcomm"}},
				{Name: "log4net", Version: "2.0.8", Supplier: "The Apache Software Foundation", PURL: "pkg:nuget/log4net@2.0.8", CPEs: []string{"cpe:2.3:a:the_apache_software_foundation:log4net:2.0.8:*:*:*:*:*:*:*"}, Type: "library"},
			}
			for _, w := range want {
				g, ok := m[w.Name]
				if !ok {
					t.Errorf("component %q missing", w.Name)
					continue
				}
				if g.Version != w.Version || g.PURL != w.PURL || !reflect.DeepEqual(g.CPEs, w.CPEs) || g.Type != w.Type {
					t.Errorf("%s = %+v, want %+v", w.Name, g, w)
				}
				if w.Licenses != nil && !reflect.DeepEqual(g.Licenses, w.Licenses) {
					t.Errorf("%s licenses = %v, want %v", w.Name, g.Licenses, w.Licenses)
				}
				if w.Name != "log4net" && g.Supplier != w.Supplier {
					t.Errorf("%s supplier = %q, want %q", w.Name, g.Supplier, w.Supplier)
				}
			}
			if tc.file == "extended.sbom.json" {
				for name, ver := range map[string]string{"EdgeOS": "2.0.9-hotfix.7", "FreeRTOS": "10.0.1", "UniFi Network Application": "8.3.32"} {
					if m[name].Version != ver {
						t.Errorf("%s version = %q, want %q", name, m[name].Version, ver)
					}
				}
				if m["EdgeOS"].Type != "operating-system" {
					t.Errorf("EdgeOS type = %q", m["EdgeOS"].Type)
				}
			} else if _, ok := m["EdgeOS"]; ok {
				t.Errorf("narrow SBOM should not list EdgeOS")
			}
		})
	}
}

// TestFormatsEquivalent loads the same five components from CycloneDX XML,
// SPDX JSON and SPDX tag-value fixtures and compares them by name.
func TestFormatsEquivalent(t *testing.T) {
	type norm struct {
		Name, Version, Supplier, PURL, Type, Parent string
		CPEs, Deps                                  []string
		Hashes                                      []Hash
	}
	normalise := func(d *Document) map[string]norm {
		names := map[string]string{}
		if d.Subject != nil {
			names[d.Subject.Ref] = d.Subject.Name
		}
		for _, c := range d.Components {
			names[c.Ref] = c.Name
		}
		out := map[string]norm{}
		for _, c := range d.Components {
			n := norm{Name: c.Name, Version: c.Version, Supplier: c.Supplier, PURL: c.PURL, Type: c.Type, Parent: names[c.Parent], CPEs: c.CPEs, Hashes: c.Hashes}
			for _, r := range c.Dependencies {
				n.Deps = append(n.Deps, names[r])
			}
			out[c.Name] = n
		}
		return out
	}
	xmlDoc := mustRead(t, "small.cdx.xml")
	if xmlDoc.Format != FormatCycloneDX || xmlDoc.Encoding != EncodingXML || xmlDoc.SpecVersion != "1.4" {
		t.Fatalf("xml format = %s/%s/%s", xmlDoc.Format, xmlDoc.Encoding, xmlDoc.SpecVersion)
	}
	if len(xmlDoc.Components) != 5 {
		t.Fatalf("xml components = %d, want 5 (nested WolfSSL flattened)", len(xmlDoc.Components))
	}
	want := normalise(xmlDoc)
	if w := want["WolfSSL"]; w.Parent != "NXP SDK" {
		t.Errorf("WolfSSL parent = %q, want NXP SDK", w.Parent)
	}
	if w := want["NXP SDK"]; !reflect.DeepEqual(w.Deps, []string{"WolfSSL", "fatFS"}) {
		t.Errorf("NXP SDK deps = %v", w.Deps)
	}
	if !reflect.DeepEqual(xmlDoc.Subject.Dependencies, []string{"BomRef.060212624171178786.9840956843888784", "BomRef.9490803276624489.60065773832442", "BomRef.8705914649556505.18593095724711484"}) {
		t.Errorf("subject deps = %v", xmlDoc.Subject.Dependencies)
	}
	// Same components in the real JSON SBOM.
	real := byName(mustRead(t, "narrow.sbom.json"))
	for name, w := range want {
		r := real[name]
		if r.Version != w.Version || r.PURL != w.PURL || !reflect.DeepEqual(r.CPEs, w.CPEs) || r.Supplier != w.Supplier {
			t.Errorf("%s differs from narrow.sbom.json: %+v vs %+v", name, w, r)
		}
	}
	for _, f := range []string{"small.spdx.json", "small.spdx"} {
		d := mustRead(t, f)
		if d.Format != FormatSPDX || d.SpecVersion != "SPDX-2.3" || d.Name != "REDACTED" {
			t.Errorf("%s: format %s spec %s name %s", f, d.Format, d.SpecVersion, d.Name)
		}
		if d.Subject == nil || d.Subject.Name != "REDACTED" || d.Subject.Type != "device" {
			t.Errorf("%s: subject %+v", f, d.Subject)
		} else if len(d.Subject.Dependencies) != 3 {
			t.Errorf("%s: subject deps %v", f, d.Subject.Dependencies)
		}
		if d.Created.IsZero() {
			t.Errorf("%s: no created time", f)
		}
		got := normalise(d)
		if !reflect.DeepEqual(got, want) {
			for name := range want {
				if !reflect.DeepEqual(got[name], want[name]) {
					t.Errorf("%s: %s\n got %+v\nwant %+v", f, name, got[name], want[name])
				}
			}
			if len(got) != len(want) {
				t.Errorf("%s: %d components, want %d", f, len(got), len(want))
			}
		}
		if nj := byName(d)["Newtonsoft.Json"]; !reflect.DeepEqual(nj.Licenses, []string{"MIT"}) {
			t.Errorf("%s: Newtonsoft licenses %v", f, nj.Licenses)
		}
	}
}

func TestDetectFromContentNotName(t *testing.T) {
	data, err := os.ReadFile("testdata/small.spdx.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse("bom.xml", data) // misleading name
	if err != nil || d.Format != FormatSPDX {
		t.Fatalf("got %v, %v", d, err)
	}
	for in, want := range map[string]Kind{
		"\xef\xbb\xbf  {\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}":         {FormatCycloneDX, EncodingJSON},
		"<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>": {FormatCycloneDX, EncodingXML},
		"# c\nSPDXVersion: SPDX-2.2\n":                                                {FormatSPDX, EncodingTagValue},
		"spdxVersion: SPDX-2.3\nname: x\n":                                            {FormatSPDX, "yaml"},
		"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/>":        {FormatSPDX, "rdf"},
		"{\"foo\": 1}": {"", EncodingJSON},
		"hello":        {},
	} {
		if got := Detect([]byte(in)); got != want {
			t.Errorf("Detect(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"x.json", `{"a": [1, 2]}`, []string{"sbom x.json", "not an SBOM", `"bomFormat": "CycloneDX"`, `"spdxVersion"`}},
		{"bad.json", "{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [ {\"name\": 3} ]\n}", []string{"sbom bad.json:3:", "invalid CycloneDX json"}},
		{"trunc.json", "{\n \"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.4\",\n \"components\": [", []string{"sbom trunc.json", "invalid CycloneDX json"}},
		{"bad.xml", "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">\n<components>\n<component></bogus>\n</bom>", []string{"sbom bad.xml:3", "invalid CycloneDX xml"}},
		{"bad.spdx.json", "{\"spdxVersion\": \"SPDX-9.9\"}", []string{"sbom bad.spdx.json", "invalid SPDX json", "SPDX-9.9"}},
		{"empty", "  \n", []string{"sbom empty", "empty input"}},
		{"notes.txt", "just some text", []string{"sbom notes.txt", "unrecognised content"}},
		{"y.yaml", "spdxVersion: SPDX-2.3\n", []string{"spdx yaml encoding is not supported"}},
		{"junk.json", "{\"a\": tru", []string{"sbom junk.json:1:", "invalid JSON"}},
	} {
		_, err := Parse(tc.name, []byte(tc.in))
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", tc.name, err, w)
			}
		}
		var se *Error
		if !errors.As(err, &se) {
			t.Errorf("%s: not *Error", tc.name)
		}
	}
	if _, err := ReadFile("testdata/does-not-exist.json"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestParsePURL(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want PURL
		str  string
	}{
		{"pkg:nuget/Newtonsoft.Json@9.0.1", PURL{Type: "nuget", Name: "Newtonsoft.Json", Version: "9.0.1"}, "pkg:nuget/Newtonsoft.Json@9.0.1"},
		{"pkg:github/wolfSSL/WolfSSL", PURL{Type: "github", Namespace: "wolfssl", Name: "wolfssl"}, "pkg:github/wolfssl/wolfssl"},
		{"pkg:generic/edgeos@2.0.9-hotfix.7", PURL{Type: "generic", Name: "edgeos", Version: "2.0.9-hotfix.7"}, ""},
		{"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar&classifier=", PURL{Type: "maven", Namespace: "org.apache.logging.log4j", Name: "log4j-core", Version: "2.14.1", Qualifiers: map[string]string{"type": "jar"}}, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"},
		{"pkg:npm/%40angular/animation@12.3.1", PURL{Type: "npm", Namespace: "@angular", Name: "animation", Version: "12.3.1"}, "pkg:npm/%40angular/animation@12.3.1"},
		{"pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", PURL{Type: "deb", Namespace: "debian", Name: "curl", Version: "7.50.3-1", Qualifiers: map[string]string{"arch": "i386", "distro": "jessie"}}, ""},
		{"pkg:golang/google.golang.org/genproto#googleapis/api/annotations", PURL{Type: "golang", Namespace: "google.golang.org", Name: "genproto", Subpath: "googleapis/api/annotations"}, ""},
		{"pkg:PYPI/Django_Rest@1.0", PURL{Type: "pypi", Name: "django-rest", Version: "1.0"}, ""},
		{"pkg:docker/customer/dockerimage@sha256%3A244fd47e07d10?repository_url=gcr.io", PURL{Type: "docker", Namespace: "customer", Name: "dockerimage", Version: "sha256:244fd47e07d10", Qualifiers: map[string]string{"repository_url": "gcr.io"}}, "pkg:docker/customer/dockerimage@sha256:244fd47e07d10?repository_url=gcr.io"},
		{"pkg:generic/a%20b@1.0#/x/../y/./", PURL{Type: "generic", Name: "a b", Version: "1.0", Subpath: "x/y"}, "pkg:generic/a%20b@1.0#x/y"},
		{"pkg:generic/Infralution.Localization.Wpf@3.9.7", PURL{Type: "generic", Name: "Infralution.Localization.Wpf", Version: "3.9.7"}, ""},
	} {
		got, err := ParsePURL(tc.in)
		if err != nil {
			t.Errorf("ParsePURL(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParsePURL(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		if tc.str != "" && got.String() != tc.str {
			t.Errorf("String(%q) = %q, want %q", tc.in, got.String(), tc.str)
		}
		if again, err := ParsePURL(got.String()); err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("round trip %q: %+v %v", got.String(), again, err)
		}
	}
	for _, bad := range []string{"", "nuget/x@1", "pkg:nuget", "pkg:/name", "pkg:nuget/", "pkg:1abc/x", "pkg:ty pe/x", "pkg:nuget/%zz", "pkg:npm/x?a=1&a=2", "http://x/y"} {
		if p, err := ParsePURL(bad); err == nil {
			t.Errorf("ParsePURL(%q) = %+v, want error", bad, p)
		}
	}
}

func TestCPECandidates(t *testing.T) {
	d := mustRead(t, "extended.sbom.json")
	m := byName(d)
	for name, want := range map[string]VendorProduct{
		"WolfSSL":      {"wolfssl", "wolfssl", "a", "cpe"},
		"fatFS":        {"chan", "fatfs", "a", "cpe"},
		"EdgeOS":       {"ubiquiti", "edgeos", "o", "cpe"},
		"UAP-AC-Pro":   {"ubiquiti", "uap-ac-pro", "h", "cpe"},
		"BouncyCastle": {"the_legion_of_the_bouncy_castle_inc.", "bouncycastle", "a", "cpe"},
	} {
		got := CPECandidates(m[name])
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}
	// No CPE: fall back to the purl.
	c := m["WolfSSL"]
	c.CPEs = nil
	if got := CPECandidates(c); len(got) != 1 || got[0] != (VendorProduct{Vendor: "wolfssl", Product: "wolfssl", Source: "purl"}) {
		t.Errorf("wolfssl purl candidates %+v", got)
	}
	c = Component{Name: "log4j-core", PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}
	got := CPECandidates(c)
	if len(got) == 0 || got[0].Vendor != "apache" || got[0].Product != "log4j-core" {
		t.Errorf("maven candidates %+v", got)
	}
	c = Component{Name: "Unknown Thing", Supplier: "Acme Medical"}
	got = CPECandidates(c)
	if len(got) == 0 || got[0] != (VendorProduct{Vendor: "acme_medical", Product: "unknown_thing", Source: "name"}) {
		t.Errorf("name candidates %+v", got)
	}
	// Wildcard CPE vendor is useless; fall through to purl.
	c = Component{Name: "x", CPEs: []string{"cpe:2.3:a:*:*:*:*:*:*:*:*:*:*"}, PURL: "pkg:npm/%40scope/x@1"}
	got = CPECandidates(c)
	if len(got) == 0 || got[0].Vendor != "scope" || got[0].Product != "x" || got[0].Source != "purl" {
		t.Errorf("wildcard cpe candidates %+v", got)
	}
}

func TestParseCPE(t *testing.T) {
	for in, want := range map[string]CPE{
		"cpe:2.3:o:ubiquiti:edgeos:2.0.9-hotfix.7:*:*:*:*:*:*:*": {"o", "ubiquiti", "edgeos", "2.0.9-hotfix.7", "*"},
		`cpe:2.3:a:acme:foo\:bar:1.0:*:*:*:*:*:*:*`:              {"a", "acme", "foo:bar", "1.0", "*"},
		"cpe:/a:the_jquery_foundation:jquery:3.1.1":              {"a", "the_jquery_foundation", "jquery", "3.1.1", ""},
		"cpe:/o:microsoft:windows_10:%31%30":                     {"o", "microsoft", "windows_10", "10", ""},
	} {
		got, ok := ParseCPE(in)
		if !ok || got != want {
			t.Errorf("ParseCPE(%q) = %+v %v, want %+v", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "cpe:2.3:x:a:b", "cpe:2.3:a::b", "wolfssl"} {
		if _, ok := ParseCPE(bad); ok {
			t.Errorf("ParseCPE(%q) ok", bad)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"small.cdx.xml", "small.spdx.json", "small.spdx"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.4","metadata":{"component":{"name":"x","type":"device","components":[{"name":"y"}]}},"components":[{"bom-ref":"a","name":"n","components":[{"bom-ref":"b","name":"m"}]}],"dependencies":[{"ref":"a","dependsOn":["b"]}]}`))
	f.Add([]byte("SPDXVersion: SPDX-2.3\n"))
	f.Add([]byte("pkg:npm/%40a/b@1?x=y#z"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse("fuzz", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "sbom fuzz") {
				t.Fatalf("error without file name: %v", err)
			}
			return
		}
		for _, c := range d.Components {
			_ = CPECandidates(c)
		}
		if p, err := ParsePURL(string(data)); err == nil {
			if _, err := ParsePURL(p.String()); err != nil {
				t.Fatalf("round trip of %q: %v", p.String(), err)
			}
		}
	})
}
