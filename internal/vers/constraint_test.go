package vers

import (
	"strings"
	"testing"
)

// matchCase is one range and the answers expected for some versions.
type matchCase struct {
	rng     string
	certain bool
	yes     []string
	no      []string
	unknown []string
}

func runMatchCases(t *testing.T, cases []matchCase) {
	t.Helper()
	for _, tc := range cases {
		c := ParseConstraint(tc.rng)
		if c.Certain != tc.certain {
			t.Errorf("ParseConstraint(%q).Certain = %v (%s), want %v", tc.rng, c.Certain, c, tc.certain)
			continue
		}
		if !c.Certain && c.Reason == "" {
			t.Errorf("ParseConstraint(%q): uncertain without a reason", tc.rng)
		}
		check := func(vs []string, want Result) {
			for _, v := range vs {
				got, why := c.Match(v)
				if got != want {
					t.Errorf("ParseConstraint(%q) [%s].Match(%q) = %v (%s), want %v", tc.rng, c, v, got, why, want)
				}
				if why == "" {
					t.Errorf("ParseConstraint(%q).Match(%q): empty reason", tc.rng, v)
				}
			}
		}
		check(tc.yes, Yes)
		check(tc.no, No)
		check(tc.unknown, Unknown)
	}
}

func TestOperators(t *testing.T) {
	runMatchCases(t, []matchCase{
		{"<= 4.2.1", true, []string{"4.2.1", "4.2.0", "4.2", "1", "4.2.1.0"}, []string{"4.2.2", "4.10", "5"}, []string{"", "U61", "garbage!"}},
		{"< 9.33", true, []string{"9.32", "9.4", "9.9"}, []string{"9.33", "9.100", "12.1.0"}, nil},
		{"<= 9.33", true, []string{"9.33", "9.33.0", "9.5"}, []string{"9.33.1", "9.100"}, nil}, // ICSMA-17-017-02
		{"<7.6.2", true, []string{"7.6.1"}, []string{"7.6.2"}, nil},
		{">= 2.0", true, []string{"2.0", "10.1"}, []string{"1.9", "2.0rc1"}, nil},
		{"> 2.0", true, []string{"2.0.1", "2.0a"}, []string{"2.0", "2.0.0"}, nil},
		{"= 1.0", true, []string{"1.0", "1.0.0", "1"}, []string{"1.0.1", "1.0a"}, nil},
		{"=< 3", true, []string{"3"}, []string{"3.1"}, nil},
		{"1.1.7.333 | 2.1.1.3069", true, []string{"1.1.7.333", "2.1.1.3069"}, []string{"1.1.7.334", "2.0"}, nil}, // ICSMA-17-229-01
		{"5.0|5.1", true, []string{"5.0", "5.1"}, []string{"5.2"}, nil},                                          // ICSMA-23-331-01
		// vls lower|upper pairs form one interval (ICSMA-19-248-01, -20-343-01, -21-175-01)
		{">= 1.3.4 | < 1.5.3", true, []string{"1.3.4", "1.4", "1.5.2"}, []string{"1.3.3", "1.5.3"}, nil},
		{">= 4.4 | <= 4.12", true, []string{"4.4", "4.9", "4.12"}, []string{"4.3", "4.13"}, nil},
		{">=BT02 | <= BT06", true, []string{"BT02", "BT04", "BT06"}, []string{"BT01", "BT07"}, []string{"4.0"}},
		{">= 2018-1 | <= 2021-1", true, []string{"2019-3", "2021-1"}, []string{"2017-9", "2021-2"}, nil},
		{">= 3.0 | <= 2.0", false, nil, nil, []string{"2.5"}},  // inverted
		{">= 3.0 | <= BT06", false, nil, nil, []string{"3.5"}}, // bounds of two schemes
		// alternatives in different schemes (ICSMA-20-296-02)
		{"<= U61 |<= L81", true, []string{"U61", "U09", "L81", "L80"}, []string{"U62", "L82"}, []string{"2.3.6", "A10"}},
		// letters and build strings
		{"<= 012U000061", true, []string{"012U000061", "012U000040"}, []string{"012U000070"}, []string{"012L000061", "2.0"}},
		{"<= 2.4A", true, []string{"2.4a", "2.4", "2.3b"}, []string{"2.4b", "2.5", "2.6A"}, nil}, // ICSMA-19-178-01
		{"<= K", true, []string{"K", "J", "A"}, []string{"L"}, []string{"2.0"}},                  // ICSMA-19-297-01
		{"< B.06.18", true, []string{"B.06.17", "A.99.99"}, []string{"B.06.18", "C.00.01"}, nil},
		{"<= R4.1L1", true, []string{"R4.1L1", "R4.0L9", "R4.1"}, []string{"R4.1L2", "R5.0L1"}, []string{"4.1", "R4.1M1"}},
		{"1.4.2.0-9d9eff4", true, []string{"1.4.2.0", "1.4.2.0-abcdef1"}, []string{"1.4.2.1"}, nil}, // ICSMA-24-023-01
		// wildcards
		{"<= 12.2.x.x", true, []string{"12.2.9.9", "12.2", "12.1.99"}, []string{"12.3", "12.3.0.1"}, nil}, // ICSMA-21-187-01
		{"< 3.x", true, []string{"2.99"}, []string{"3", "3.0.1"}, nil},                                    // ICSMA-20-170-02
		{"14.x", true, []string{"14", "14.0.1", "14.99"}, []string{"13.9", "15"}, nil},
		{"14.1.x", true, []string{"14.1", "14.1.7"}, []string{"14.2", "14.0"}, nil},
		{"> 2.x", true, []string{"3.0"}, []string{"2.9"}, nil},
		{">= 2.x", true, []string{"2.0", "2.9"}, []string{"1.9"}, nil},
		{"C.0x", false, nil, nil, []string{"C.01"}},
		{"1.x.3", false, nil, nil, []string{"1.2.3"}},
		// all
		{"*", true, []string{"1", "U61"}, nil, []string{""}},
		{"* (end-of-life 2011)", true, []string{"1"}, nil, nil},
		// broken operator text
		{"A10 < A11", false, nil, nil, []string{"A10"}}, // ICSMA-21-294-01
		{"<=", false, nil, nil, nil},
		{"!= 1.0", false, nil, nil, nil},
		{"<= 1.0 |", false, nil, nil, nil},
		{"", false, nil, nil, []string{"1.0"}},
		{"((1.0)", false, nil, nil, nil},
	})
}

func TestWords(t *testing.T) {
	runMatchCases(t, []matchCase{
		{"prior to 12.1.1", true, []string{"12.1.0", "9.33"}, []string{"12.1.1", "12.2"}, nil},
		{"before 2.0", true, []string{"1.9"}, []string{"2.0"}, nil},
		{"versions prior to Version 8.2.2", true, []string{"8.2.1"}, []string{"8.2.2"}, nil}, // ICSMA-17-009-01A
		{"all versions prior to 3.x", true, []string{"2.5"}, []string{"3.1"}, nil},           // ICSMA-20-170-02
		{"2.3.6 and  below", true, []string{"2.3.6", "1.1.5"}, []string{"2.3.7"}, nil},       // ICSMA-19-164-01, double space
		{"Versions 2.3.6 and prior", true, []string{"2.3.6"}, []string{"2.4"}, nil},
		{"3.0 and earlier", true, []string{"3.0", "2.9"}, []string{"3.0.1"}, nil},
		{"R8.0.3 or prior", true, []string{"R8.0.2"}, []string{"R8.0.4"}, nil},
		{"Software versions 2.6A or lower", true, []string{"2.6A", "2.5"}, []string{"2.7A"}, nil},
		{"Version 3.0.0.0 and previous versions", true, []string{"3.0"}, []string{"3.0.0.1"}, nil},
		{"Firmware Versions 9.0.3 and older", true, []string{"9.0.3"}, []string{"9.0.4"}, nil},
		{"11.x and earlier", true, []string{"11.9.9"}, []string{"12.0"}, nil}, // ICSMA-19-241-01
		{"vD25 and prior", true, []string{"D25", "D9"}, []string{"D26"}, nil}, // ICSMA-21-355-01
		{"1.2.3 and later", true, []string{"1.2.3", "2.0"}, []string{"1.2.2"}, nil},
		{"1.2.3 or newer", true, []string{"1.3"}, []string{"1.2"}, nil},
		{"since 4.0", true, []string{"4.0"}, []string{"3.9"}, nil},
		{"from 4.0 onwards", true, []string{"5"}, []string{"3.9"}, nil},
		{"versions 1.0 through 1.5", true, []string{"1.0", "1.3", "1.5", "1.5.0"}, []string{"0.9", "1.5.1", "1.6"}, nil},
		{"Pyxis ES Versions 1.3.4 through to 1.5.3", false, nil, nil, []string{"1.4"}}, // product name left in
		{"Versions 1.3.4 through to 1.5.3", true, []string{"1.5.3"}, []string{"1.5.4"}, nil},
		{"Versions 4.4 through 4.12", true, []string{"4.10"}, []string{"4.13"}, nil}, // ICSMA-19-248-01
		{"1.0 - 2.0", true, []string{"1.5"}, []string{"2.1"}, nil},
		{"between 1.0 and 2.0", true, []string{"2.0"}, []string{"2.0.1"}, nil},
		{"from 1.0 to 2.0", true, []string{"1.0"}, []string{"0.9"}, nil},
		{"2.0 through 1.0", false, nil, nil, []string{"1.5"}},
		{"versions 1.0 to U61", false, nil, nil, nil},
		{"all versions", true, []string{"0.1", "99"}, nil, []string{""}},
		{"All Versions", true, []string{"1"}, nil, nil},
		{"up to and including 7.6.2", true, []string{"7.6.2"}, []string{"7.6.3"}, nil},
		{"all versions up to 7.6.2", false, nil, nil, []string{"7.6.1", "7.6.2"}}, // ICSMA-18-277-02: inclusive?
		{"Versions 24950 and 24952", true, []string{"24950", "24952"}, []string{"24951"}, nil},
		{"Versions 1.10 1.11 1.13 1.14", true, []string{"1.11"}, []string{"1.12"}, nil}, // ICSMA-20-170-01
		{"Versions 9.13 9.19 9.33 and 12.1", true, []string{"12.1", "9.33"}, []string{"9.34"}, nil},
		{"Versions 4.X and 5.X", true, []string{"4.2", "5.9"}, []string{"6.0", "3.9"}, nil},
		{"(Release 1.3.2 1.4.0 1.4.1 1.4.3 1.4.5)", true, []string{"1.4"}, []string{"1.4.2"}, nil},
		{"1.3.1 Build 13", true, []string{"1.3.1 build 13", "1.3.1_Build_13"}, []string{"1.3.1 Build 14", "1.3.1"}, nil},
		{"software Versions U61 and earlier (United States) L81 and earlier (outside the United States)", true,
			[]string{"U60", "L81"}, []string{"U62"}, []string{"1.0"}},
		{"Version 2.01 and prior (end-of-life Nov 2017)", true, []string{"2.01"}, []string{"2.02"}, nil},
		{"v3.0 D15 and prior", false, nil, nil, []string{"3.0"}}, // two schemes glued
		{"<= S4 A.07.107", false, nil, nil, nil},
		{"Versions 2.3.6, 2.4.0, and 2.5", true, []string{"2.4"}, []string{"2.4.1"}, nil},
		{"1.0 and", false, nil, nil, nil},
	})
}

func TestDatesAndFreeText(t *testing.T) {
	for _, s := range []string{
		"< august 28",                  // ICSMA-17-241-01
		"distributed  < april 1, 2018", // ICSMA-18-107-01
		"<May 2018",                    // ICSMA-18-228-01
		"<8/30/2024",                   // ICSMA-24-249-01
		"all versions distributed prior to April 1, 2018",
		"manufactured prior to August 28",
		"< 2018-04-01",
		"with wireless option (shipped between 26-June-2017 through 07-August 2018)", // ICSMA-19-353-01
	} {
		c := ParseConstraint(s)
		if c.Certain || !strings.HasPrefix(c.Reason, "date-based") {
			t.Errorf("ParseConstraint(%q) = %v, reason %q; want uncertain date-based", s, c.Certain, c.Reason)
		}
		if r, why := c.Match("1.0"); r != Unknown || why == "" {
			t.Errorf("ParseConstraint(%q).Match = %v %q, want Unknown with reason", s, r, why)
		}
	}
	for _, s := range []string{
		"<=11.2 on Windows 8.1 with IIS 7.5", // ICSMA-18-277-01: conditional
		"Accu-Chek Inform II",
		"MMT-512 / MMT-712 Paradigm x12",
		"Rev B-M",
		"A.01 <= C.0x | 4.0",
		"LPI 3.5.12.P30",
	} {
		c := ParseConstraint(s)
		if c.Certain || c.Reason == "" {
			t.Errorf("ParseConstraint(%q) = certain %v reason %q; want uncertain with reason", s, c.Certain, c.Reason)
		}
	}
}

func TestVERS(t *testing.T) {
	runMatchCases(t, []matchCase{
		{"vers:generic/>=1.0|<2.0.3", true, []string{"1.0", "2.0.2"}, []string{"0.9", "2.0.3"}, nil},
		{"vers:semver/<1.2.3", true, []string{"1.2.2", "1.2.3-rc.1", "1.2.3-foo"}, []string{"1.2.3", "1.10.0"}, nil},
		{"vers:all/*", true, []string{"1", "anything1"}, nil, nil}, // ICSMA-17-017-01
		{"VERS:Generic/ >= 1.0 | <= 2.0 ", true, []string{"2.0"}, []string{"2.1"}, nil},
		{"vers:generic/1.0|2.0", true, []string{"1.0", "2.0"}, []string{"1.5"}, nil},
		{"vers:generic/!=1.5", true, []string{"1.4", "1.6"}, []string{"1.5"}, nil},
		{"vers:generic/>=1.0|!=1.5|<2.0", true, []string{"1.4"}, []string{"1.5", "2.0"}, nil},
		{"vers:generic/<1.0|>=2.0|<3.0|>=4.0", true, []string{"0.5", "2.5", "9"}, []string{"1.5", "3.5"}, nil},
		// order in the string does not matter (sorted per spec)
		{"vers:generic/<2.0|>=1.0", true, []string{"1.5"}, []string{"2.0"}, nil},
		{"vers:generic/1.0%2Bbuild", true, []string{"1.0"}, []string{"1.1"}, nil},
		{"vers:generic/<1.0|<2.0", false, nil, nil, []string{"0.5"}},
		{"vers:generic/>1.0|>2.0", false, nil, nil, nil},
		{"vers:generic/<=U61|<=L81", false, nil, nil, nil},
		{"vers:deb/<1.0~rc1", false, nil, nil, nil}, // scheme not implemented: never guessed
		{"vers:generic", false, nil, nil, nil},
		{"vers:/1.0", false, nil, nil, nil},
		{"vers:generic/", false, nil, nil, nil},
		{"vers:generic/*|1.0", false, nil, nil, nil},
		{"vers:generic/>=", false, nil, nil, nil},
		{"vers:generic/1.0%zz", false, nil, nil, nil},
	})
}

func TestAllVersions(t *testing.T) {
	for s, want := range map[string]bool{
		"all versions": true, "vers:all/*": true, "*": true, "<= 1.0": false,
		"< august 28": false, "vers:generic/!=1.0": false,
	} {
		if got := ParseConstraint(s).AllVersions(); got != want {
			t.Errorf("ParseConstraint(%q).AllVersions() = %v, want %v", s, got, want)
		}
	}
}

func TestNotesKept(t *testing.T) {
	c := ParseConstraint("<= 1.54 (integrated into GE MobileLink)") // ICSMA-18-128-01
	if !c.Certain || len(c.Notes) != 1 || c.Notes[0] != "integrated into GE MobileLink" {
		t.Fatalf("got %+v", c)
	}
	if c.Raw != "<= 1.54 (integrated into GE MobileLink)" {
		t.Errorf("Raw not kept: %q", c.Raw)
	}
}
