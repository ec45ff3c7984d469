package nvd

import (
	"os"
	"strings"
	"testing"
)

func FuzzRead(f *testing.F) {
	// Small real records only: multi-kilobyte seeds slow the mutator to a crawl.
	for _, fn := range []string{"testdata/cve/CVE-2023-30559.json", "testdata/cve/CVE-2024-1275.json"} {
		b, _ := os.ReadFile(fn)
		f.Add(string(b))
	}
	f.Add(`{"vulnerabilities":[{"cve":` + oneCVE + `}]}`)
	f.Add(`{"cve":{"id":"CVE-2020-0001"}}`)
	f.Add(`{"vulnerabilities":[{"cve":{"id":"CVE-2020-0001",}}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		n := 0
		err := Read("fuzz", strings.NewReader(in), func(c *CVE) error {
			n++
			if _, err := Validate(c); err != nil {
				t.Fatalf("delivered an invalid record: %v", err)
			}
			Evaluate(c, Facts{Vendor: "BD", Products: []string{"Alaris PC Unit", "8015"}, Version: "9.33"})
			return nil
		})
		if err != nil && !strings.HasPrefix(err.Error(), "nvd: fuzz") {
			t.Fatalf("error without file name: %v", err)
		}
	})
}

func FuzzParseCPE(f *testing.F) {
	for _, s := range []string{
		"cpe:2.3:o:bd:alaris_8015_pcu_firmware:*:*:*:*:*:*:*:*",
		`cpe:2.3:a:b\:c:prod\\uct:1\.0\:beta:-:*:*:*:*:x86:*`,
		"cpe:2.3:h:medtronic:minimed_508:-:*:*:*:*:*:*:*",
		"cpe:2.3:a:x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCPE(s)
		if err != nil {
			return
		}
		if c.String() != s {
			t.Fatalf("String() = %q, want %q", c.String(), s)
		}
		c2, err := ParseCPE(c.String())
		if err != nil || c2 != c {
			t.Fatalf("round trip: %+v %v", c2, err)
		}
	})
}
