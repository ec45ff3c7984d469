package kev

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func load(t *testing.T, path string) *Catalog {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := Read(path, f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestShippedFormsAgree(t *testing.T) {
	j := load(t, "testdata/known_exploited_vulnerabilities.json")
	c := load(t, "testdata/known_exploited_vulnerabilities.csv")
	if j.Version != "2025.08.25" || j.Count != 1404 || len(j.Entries) != 1404 || !strings.HasPrefix(j.Released, "2025-08-25T") {
		t.Fatalf("json: version %q released %q count %d entries %d", j.Version, j.Released, j.Count, len(j.Entries))
	}
	if c.Count != 1404 || c.Version != "" {
		t.Fatalf("csv: count %d version %q", c.Count, c.Version)
	}
	jm, cm := j.ByCVE(), c.ByCVE()
	if len(jm) != len(cm) {
		t.Fatalf("distinct CVEs: json %d, csv %d", len(jm), len(cm))
	}
	diff := 0
	for id, je := range jm {
		ce, ok := cm[id]
		if !ok {
			t.Errorf("%s in JSON only", id)
			continue
		}
		if !reflect.DeepEqual(normCWE(*je), normCWE(*ce)) {
			diff++
			if diff < 4 {
				t.Errorf("%s differs:\njson %+v\ncsv  %+v", id, *je, *ce)
			}
		}
	}
	e := jm["CVE-2025-48384"]
	if e == nil || e.VendorProject != "Git" || e.DateAdded != "2025-08-25" || e.DueDate != "2025-09-15" || e.KnownRansomware ||
		!reflect.DeepEqual(e.CWEs, []string{"CWE-59", "CWE-436"}) {
		t.Errorf("CVE-2025-48384 = %+v", e)
	}
	known := 0
	for _, e := range j.Entries {
		if e.KnownRansomware {
			known++
		}
	}
	if known == 0 || known == len(j.Entries) {
		t.Errorf("%d entries with known ransomware use", known)
	}
	// EternalBlue is in KEV.
	if jm["CVE-2017-0144"] == nil {
		t.Error("CVE-2017-0144 missing")
	}
}

func normCWE(e Entry) Entry {
	if len(e.CWEs) == 0 {
		e.CWEs = nil
	}
	return e
}

func TestReadErrors(t *testing.T) {
	hdr := strings.Join(fields, ",") + "\n"
	row := func(cve, added, ransom string) string {
		return cve + ",V,P,N," + added + ",D,A,2025-09-15," + ransom + ",notes,\"CWE-79, CWE-20\"\n"
	}
	tests := []struct {
		name, in string
		want     []string
		csv      bool
	}{
		{"empty", "", []string{"x: empty input"}, false},
		{"csv bad cve", hdr + row("CVE-2021-44228", "2021-12-10", "Known") + row("CVE-21-1", "2021-12-10", "Known"), []string{"x: row 3 (line 3), column cveID", `"CVE-21-1" is not a CVE id`}, true},
		{"csv bad date", hdr + row("CVE-2021-44228", "12/10/2021", "Known"), []string{"row 2", "column dateAdded", "not a date"}, true},
		{"csv ransomware", hdr + row("CVE-2021-44228", "2021-12-10", "Maybe"), []string{"column knownRansomwareCampaignUse"}, true},
		{"csv bad cwe", hdr + strings.Replace(row("CVE-2021-44228", "2021-12-10", "Known"), "CWE-20", "XSS", 1), []string{"column cwes", `"XSS"`}, true},
		{"csv short row", hdr + "CVE-2021-44228,V\n", []string{"row 2", "2 fields, header has 11"}, true},
		{"csv quote", hdr + "CVE-2021-44228,\"V,P\n", []string{"row 2"}, true},
		{"csv not kev", "a,b,c\n1,2,3\n", []string{"row 1", `header lacks column "cveID"`}, true},
		{"json syntax", "{\"count\": 1,\n \"vulnerabilities\": [\n {\"cveID\": \"CVE-2021-44228\",}]}", []string{"x:3:", "malformed JSON"}, false},
		{"json bad cve", `{"vulnerabilities":[{"cveID":"CVE-2021-44228","dateAdded":"2021-12-10"},{"cveID":"nope","dateAdded":"2021-12-10"}]}`, []string{"$.vulnerabilities[1].cveID", `"nope"`, "x:1:"}, false},
		{"json type", `{"vulnerabilities":[{"cveID":"CVE-2021-44228","dateAdded":"2021-12-10","cwes":"CWE-79"}]}`, []string{"$.vulnerabilities[0].cwes", "string value where []string expected"}, false},
		{"json count", `{"count":2,"vulnerabilities":[{"cveID":"CVE-2021-44228","dateAdded":"2021-12-10"}]}`, []string{"count is 2 but the catalog has 1"}, false},
		{"json not kev", `{"foo":[]}`, []string{"not a KEV catalog"}, false},
		{"json truncated", `{"vulnerabilities":[{"cveID":"CVE-2021-44228",`, []string{"truncated"}, false},
	}
	for _, tc := range tests {
		_, err := Read("x", strings.NewReader(tc.in))
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		var ce *CSVError
		if tc.csv && !errors.As(err, &ce) {
			t.Errorf("%s: %v is not a *CSVError", tc.name, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tc.name, err, w)
			}
		}
	}
}

func TestBOMAndWhitespace(t *testing.T) {
	in := "\xEF\xBB\xBF\n  " + `{"catalogVersion":"1","count":1,"vulnerabilities":[{"cveID":"CVE-2021-44228","dateAdded":"2021-12-10","knownRansomwareCampaignUse":"Known"}]}`
	c, err := Read("x", strings.NewReader(in))
	if err != nil || c.Count != 1 || !c.Entries[0].KnownRansomware {
		t.Fatalf("%+v %v", c, err)
	}
}
