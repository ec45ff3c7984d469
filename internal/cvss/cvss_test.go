package cvss

import (
	"errors"
	"strings"
	"testing"
)

func TestKnownScores(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	tests := []struct {
		vector   string
		version  string
		base     float64
		severity string
		temporal *float64
		threat   *float64
		env      *float64
		expl     *float64
	}{
		// NVD / FIRST reference values.
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "3.1", 9.8, "Critical", nil, nil, nil, f(3.9)},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "3.0", 9.8, "Critical", nil, nil, nil, f(3.9)},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "3.1", 10.0, "Critical", nil, nil, nil, f(3.9)},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N", "3.1", 5.4, "Medium", nil, nil, nil, f(2.8)},
		{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", "3.1", 5.5, "Medium", nil, nil, nil, f(1.8)},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", "3.1", 0, "None", nil, nil, nil, f(3.9)},
		// 9.8 × E:U 0.91 × RL:O 0.95 × RC:U 0.92 = 7.79 → round up 7.8.
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U", "3.1", 9.8, "Critical", f(7.8), nil, nil, f(3.9)},
		// Temporal metrics all X: no temporal score.
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X", "3.1", 9.8, "Critical", nil, nil, nil, f(3.9)},
		// CVSS 4.0 specification / FIRST calculator: 9.3 Critical.
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "4.0", 9.3, "Critical", nil, nil, nil, nil},
		// Adding only supplemental metrics does not change the score.
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P/AU:Y", "4.0", 9.3, "Critical", nil, nil, nil, nil},
		// E:A is the worst case: threat score equals base.
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A", "4.0", 9.3, "Critical", nil, f(9.3), nil, nil},
	}
	for _, tt := range tests {
		r, err := Parse(tt.vector)
		if err != nil {
			t.Fatalf("%s: %v", tt.vector, err)
		}
		if r.Version != tt.version || r.BaseScore != tt.base || r.BaseSeverity != tt.severity {
			t.Errorf("%s: got %s %.1f %s, want %s %.1f %s", tt.vector, r.Version, r.BaseScore, r.BaseSeverity, tt.version, tt.base, tt.severity)
		}
		for _, c := range []struct {
			name      string
			got, want *float64
		}{{"temporal", r.TemporalScore, tt.temporal}, {"threat", r.ThreatScore, tt.threat}, {"environmental", r.EnvironmentalScore, tt.env}, {"exploitability", r.Exploitability, tt.expl}} {
			if (c.got == nil) != (c.want == nil) || (c.got != nil && *c.got != *c.want) {
				t.Errorf("%s: %s = %v, want %v", tt.vector, c.name, deref(c.got), deref(c.want))
			}
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestV4ThreatAndEnvironmental(t *testing.T) {
	r, err := Parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U")
	if err != nil {
		t.Fatal(err)
	}
	if r.ThreatScore == nil || *r.ThreatScore >= r.BaseScore || r.EnvironmentalScore != nil || r.Nomenclature != "CVSS-BT" {
		t.Errorf("E:U: %+v", r)
	}
	r, err = Parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/CR:L/IR:L/AR:L")
	if err != nil {
		t.Fatal(err)
	}
	if r.EnvironmentalScore == nil || *r.EnvironmentalScore >= r.BaseScore || r.Nomenclature != "CVSS-BTE" || r.EnvironmentalSeverity == "" {
		t.Errorf("env: %+v", r)
	}
	r, _ = Parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:L/IR:L/AR:L/MAV:L")
	if r.EnvironmentalScore == nil || *r.EnvironmentalScore >= r.BaseScore || r.TemporalScore != nil {
		t.Errorf("v3 env: %+v", r)
	}
}

func TestInvalidNamesMetric(t *testing.T) {
	tests := []struct{ vector, want string }{
		{"CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", `metric AV has invalid value "Q" (allowed: N, A, L, P)`},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Z", `metric E has invalid value "Z"`},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H", `metric S has invalid value "X" (allowed: U, C)`},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "metric A is missing"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L", "metric AV is given more than once"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y", "metric XX is not a CVSS 3.1 metric"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A", "metric A has no value"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:Q", `metric SA has invalid value "Q" (allowed: H, L, N)`},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:F", `metric E has invalid value "F" (allowed: X, A, P, U)`},
		{"CVSS:4.0/AV:N/AC:L/PR:N/AT:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "metric AT is out of order"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", "metric SA is missing"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:Q", `metric MSI has invalid value "Q" (allowed: X, S, H, L, N)`},
		{"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", `unsupported version "2.0"`},
		{"AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS v2 vectors are not supported"},
		{"", "empty vector"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.vector)
		var e *Error
		if err == nil || !errors.As(err, &e) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want one containing %q", tt.vector, err, tt.want)
		}
	}
}

func TestAutomatable(t *testing.T) {
	for v, want := range map[string]bool{
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H":                    true,
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H":                    false,
		"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H":                    false,
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N": true,
		"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N": false,
	} {
		r, err := Parse(v)
		if err != nil || r.Automatable() != want {
			t.Errorf("%s: %v %v", v, r.Automatable(), err)
		}
	}
}

// FuzzParse checks that Parse never panics, that a refusal is an *Error,
// and that accepted vectors score within 0–10 with a matching severity.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:L/E:F/RL:W/RC:R/CR:H/MAV:A/MS:C",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:L/MSI:S/U:Red",
		"CVSS:4.0/AV:N", "CVSS:3.1/", "CVSS:3.1/AV:N/AV:N", "garbage",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		r, err := Parse(v)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || err.Error() == "" {
				t.Fatalf("%q: error %T %v", v, err, err)
			}
			return
		}
		for _, s := range []*float64{&r.BaseScore, r.TemporalScore, r.ThreatScore, r.EnvironmentalScore} {
			if s != nil && (*s < 0 || *s > 10) {
				t.Fatalf("%q: score %v out of range", v, *s)
			}
		}
		if Severity(r.BaseScore) != r.BaseSeverity {
			t.Fatalf("%q: severity", v)
		}
	})
}
