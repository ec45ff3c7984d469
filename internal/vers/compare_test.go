package vers

import "testing"

func TestCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
		ok   bool
	}{
		// numeric segments are integers, not decimals
		{"1.10", "1.9", 1, true},
		{"9.33", "9.100", -1, true},
		{"12.1.0", "9.33", 1, true},
		{"1.003", "1.02", 1, true},
		{"2.0.10", "2.0.9", 1, true},
		{"4107600010.23", "4107600010.3", 1, true}, // ICSMA-18-144-01, beyond int32
		{"99999999999999999999999.1", "99999999999999999999998.9", 1, true},
		// trailing zeros do not count
		{"1.0", "1.0.0", 0, true},
		{"2.4", "2.4.0", 0, true},
		{"0", "0.0.0", 0, true},
		{"1.0.1", "1.0", 1, true},
		{"3.0.0.0", "3.0.1.0", -1, true}, // ICSMA-18-142-01
		// leading zeros do not count
		{"01.02", "1.2", 0, true},
		{"012U000061", "012U000070", -1, true}, // ICSMA-21-294-01 style build strings
		{"012U000061", "12U61", 0, true},
		{"012U000040", "012U000061", -1, true}, // ICSMA-17-082-02
		// letters after a release: 2.4 < 2.4a < 2.4b (NVD CVE-2019-10964 "2.4a")
		{"2.4a", "2.4", 1, true},
		{"2.4a", "2.4b", -1, true},
		{"2.4A", "2.4a", 0, true},
		{"2.6a", "2.7a", -1, true},
		{"2.4a", "2.4.0", 1, true},
		{"2.4a", "2.4.1", 0, false}, // a letter against a number
		// NVD CVE-2022-26390 Baxter builds
		{"20d29", "20d32", -1, true},
		{"20d32", "22d19", -1, true},
		{"17", "17d19", -1, true},
		{"16d38", "17", -1, true},
		// pre-release words sort before the release
		{"1.0rc1", "1.0", -1, true},
		{"1.0-rc1", "1.0.0-rc1", 0, true},
		{"1.0beta", "1.0rc", -1, true},
		{"1.0alpha2", "1.0beta1", -1, true},
		{"1.0rc1", "1.0rc2", -1, true},
		{"2.0.0-rc.1", "2.0.0", -1, true},
		{"1.0rc1", "1.0.1", -1, true},
		{"1.0~dev", "1.0", -1, true},
		// single letters and letter revisions
		{"K", "J", 1, true},                                  // ICSMA-19-297-01 "<= K"
		{"B.06.18", "C.00.04", -1, true},                     // revision letter as major
		{"B.06.18", "B.06.9", 1, true},                       // ICSMA-17-255-01
		{"A.07.107", "A.07.99", 1, true},                     // ICSMA-20-233-01
		{"R4.1L1", "R4.1L2", -1, true},                       // ICSMA-17-318-01
		{"R8.0.3", "R8.0.10", -1, true},                      // ICSMA-18-086-01
		{"BT02", "BT06", -1, true},                           // ICSMA-20-343-01
		{"VM5.0", "VM4.9", 1, true},                          // ICSMA-20-177-01
		{"GEH-1.1", "GEH-1.0", 1, true},                      // ICSMA-18-128-01
		{"SV20.1", "SV23.0", -1, true},                       // ICSMA-20-343-01
		{"D25", "D15", 1, true},                              // ICSMA-21-355-01
		{"2023.3_Build_9342", "2023.3_build_9343", -1, true}, // ICSMA-24-060-01
		{"1.3.1 Build 13", "1.3.1 build 12", 1, true},        // ICSMA-19-164-01
		{"5.17.1-754993421", "5.17.1-754993422", -1, true},   // ICSMA-22-298-01
		{"2018-1", "2021-1", -1, true},                       // ICSMA-21-175-01
		{"2018-1", "2018.1", 0, true},
		// version words and prefixes
		{"v1.6.1", "1.6.1", 0, true},
		{"Version 2.3.6", "2.3.6", 0, true},
		{"V2.3.6", "2.3.7", -1, true},
		// build metadata is ignored
		{"1.4.2.0-9d9eff4", "1.4.2.0", 0, true}, // ICSMA-24-023-01
		{"1.0.0+build.5", "1.0.0", 0, true},
		// not comparable
		{"U61", "L81", 0, false}, // ICSMA-20-296-02: US vs global lines
		{"U61", "2.3.6", 0, false},
		{"K", "2.0", 0, false},
		{"012U000061", "012L000061", 0, false},
		{"053L000091", "054U000091", 0, false}, // ICSMA-23-103-01
		{"R4.1L1", "R4.1M1", 0, false},
		{"", "1.0", 0, false},
		{"1.0", "", 0, false},
		{"...", "1.0", 0, false},
		{"*", "1.0", 0, false},
	}
	for _, tt := range tests {
		got, ok := Compare(tt.a, tt.b)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("Compare(%q, %q) = %d, %v; want %d, %v", tt.a, tt.b, got, ok, tt.want, tt.ok)
		}
		// antisymmetry
		rev, rok := Compare(tt.b, tt.a)
		if rok != ok || ok && rev != -got {
			t.Errorf("Compare(%q, %q) = %d, %v is not the reverse of %d, %v", tt.b, tt.a, rev, rok, got, ok)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in       string
		valid    bool
		wildcard bool
		build    string
	}{
		{"1.2.3", true, false, ""},
		{"", false, false, ""},
		{"   ", false, false, ""},
		{"*", false, true, ""},
		{"12.2.x.x", true, true, ""},
		{"5.x.x", true, true, ""},
		{"2.X", true, true, ""},
		{"C.0x", true, false, ""}, // glued x is a letter to Parse; constraints refuse it
		{"1.4.2.0-9d9eff4", true, false, "9d9eff4"},
		{"1.0.0+exp.sha.5114f85", true, false, "exp.sha.5114f85"},
		{"5.17.1-754993421", true, false, ""},
	}
	for _, tt := range tests {
		v := Parse(tt.in)
		if v.Valid() != tt.valid || v.Wildcard != tt.wildcard || v.Build != tt.build || v.Raw != tt.in {
			t.Errorf("Parse(%q) = valid %v wildcard %v build %q raw %q; want %v %v %q",
				tt.in, v.Valid(), v.Wildcard, v.Build, v.Raw, tt.valid, tt.wildcard, tt.build)
		}
	}
}
