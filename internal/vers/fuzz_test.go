package vers

import "testing"

func FuzzParseConstraint(f *testing.F) {
	for _, s := range []string{
		"vers:generic/>=1.0|<2.0.3", "vers:semver/<1.2.3", "vers:all/*", "<= 4.2.1",
		"prior to 12.1.1", "2.3.6 and  below", "versions 1.0 through 1.5", "all versions",
		"<= U61 |<= L81", "< august 28", "distributed  < april 1, 2018", "<= 12.2.x.x",
		"(Release 1.3.2 1.4.0)", "A.01 <= C.0x | 4.0", ">= 1.3.4 | < 1.5.3", "((",
		"1.3.1 Build 13", "vers:generic/1.0%2B1", "between 1 and 2", "from 1 to",
	} {
		f.Add(s, "1.2.3")
	}
	f.Fuzz(func(t *testing.T, s, v string) {
		c := ParseConstraint(s)
		if c.Raw != s {
			t.Fatalf("Raw changed: %q -> %q", s, c.Raw)
		}
		if !c.Certain && c.Reason == "" {
			t.Fatalf("uncertain without reason: %q", s)
		}
		r, why := c.Match(v)
		if why == "" {
			t.Fatalf("Match(%q) on %q: empty reason", v, s)
		}
		if !c.Certain && r != Unknown {
			t.Fatalf("uncertain %q matched %q as %v", s, v, r)
		}
		_ = c.String()
	})
}

func FuzzCompare(f *testing.F) {
	for _, p := range [][2]string{
		{"1.10", "1.9"}, {"1.0", "1.0.0"}, {"2.4a", "2.4"}, {"20d29", "20d32"},
		{"012U000061", "012U000070"}, {"L81", "U61"}, {"1.0rc1", "1.0"}, {"K", "J"},
		{"1.4.2.0-9d9eff4", "1.4.2.0"}, {"~", "0"}, {"", "x"},
	} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ok1 := Compare(a, b)
		ba, ok2 := Compare(b, a)
		if ok1 != ok2 {
			t.Fatalf("comparability not symmetric: %q %q", a, b)
		}
		if ok1 && ab != -ba {
			t.Fatalf("not antisymmetric: Compare(%q,%q)=%d, reverse %d", a, b, ab, ba)
		}
		if !ok1 && ab != 0 {
			t.Fatalf("not ok but %d", ab)
		}
		if aa, ok := Compare(a, a); Parse(a).Valid() && (!ok || aa != 0) {
			t.Fatalf("Compare(%q, itself) = %d, %v", a, aa, ok)
		}
	})
}
