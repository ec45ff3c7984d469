package kev

import (
	"strings"
	"testing"
)

func FuzzRead(f *testing.F) {
	f.Add(`{"catalogVersion":"1","count":1,"vulnerabilities":[{"cveID":"CVE-2021-44228","dateAdded":"2021-12-10","cwes":["CWE-20"]}]}`)
	f.Add(strings.Join(fields, ",") + "\nCVE-2021-44228,V,P,N,2021-12-10,D,A,2021-12-24,Known,n,\"CWE-20, CWE-79\"\n")
	f.Add("cveID,dateAdded\n\"x")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := Read("fuzz", strings.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "kev: fuzz") {
				t.Fatalf("error without file name: %v", err)
			}
			return
		}
		if c.Count != len(c.Entries) {
			t.Fatalf("count %d, entries %d", c.Count, len(c.Entries))
		}
		for _, e := range c.Entries {
			if !cveRe.MatchString(e.CVE) {
				t.Fatalf("accepted CVE %q", e.CVE)
			}
		}
	})
}
