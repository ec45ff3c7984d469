package epss

import (
	"math"
	"strings"
	"testing"
)

func FuzzRead(f *testing.F) {
	f.Add("#model_version:v2025.03.14,score_date:2025-03-20T00:00:00+0000\ncve,epss,percentile\nCVE-1999-0001,0.01141,0.77757\n")
	f.Add("cve,epss\nCVE-2021-44228,1\n")
	f.Add("\x1f\x8b")
	f.Fuzz(func(t *testing.T, in string) {
		_, err := Read("fuzz", strings.NewReader(in), func(s Score) error {
			if !cveRe.MatchString(s.CVE) || !(s.EPSS >= 0 && s.EPSS <= 1) || !math.IsNaN(s.Percentile) && !(s.Percentile >= 0 && s.Percentile <= 1) {
				t.Fatalf("accepted %+v", s)
			}
			return nil
		})
		if err != nil && !strings.HasPrefix(err.Error(), "epss: fuzz") {
			t.Fatalf("error without file name: %v", err)
		}
	})
}
