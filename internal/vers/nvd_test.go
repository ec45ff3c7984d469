package vers

import "testing"

func TestNVDRange(t *testing.T) {
	tests := []struct {
		si, se, ei, ee string
		certain        bool
		yes, no, unk   []string
	}{
		// CVE-2019-10964 Medtronic: versionEndIncluding "2.4a"
		{"", "", "2.4a", "", true, []string{"2.4a", "2.4", "2.3b"}, []string{"2.4b", "2.6a"}, []string{"U61"}},
		// CVE-2020-25165 BD Alaris 8015: versionEndIncluding "9.33.1"
		{"", "", "9.33.1", "", true, []string{"9.33.1", "9.33", "9.5"}, []string{"9.100", "12.1.0"}, nil},
		// CVE-2022-2119 DCMTK: versionEndExcluding "3.6.7"
		{"", "", "", "3.6.7", true, []string{"3.6.6"}, []string{"3.6.7", "3.7"}, nil},
		// CVE-2022-26390 Baxter: versionStartIncluding "20d29", versionEndIncluding "20d32"
		{"20d29", "", "20d32", "", true, []string{"20d29", "20d30", "20d32"}, []string{"20d28", "20d33", "22d19", "17"}, []string{"20e30", "2.0"}},
		{"22d19", "", "22d28", "", true, []string{"22d20"}, []string{"20d32"}, nil},
		{"", "1.0", "", "2.0", true, []string{"1.0.1", "1.9"}, []string{"1.0", "2.0"}, nil},
		{"", "", "", "", true, []string{"1", "U61"}, nil, []string{""}},
		{"1.0", "1.0", "", "", false, nil, nil, []string{"1.0"}},
		{"", "", "2.0", "2.0", false, nil, nil, nil},
		{"3.0", "", "2.0", "", false, nil, nil, nil},
		{"1.0", "", "", "1.0", false, nil, nil, nil},
		{"U61", "", "2.0", "", false, nil, nil, nil},
		{"", "", "*", "", false, nil, nil, nil},
	}
	for _, tt := range tests {
		c := NVDRange(tt.si, tt.se, tt.ei, tt.ee)
		name := c.Raw
		if c.Certain != tt.certain || !c.Certain && c.Reason == "" {
			t.Errorf("NVDRange(%q,%q,%q,%q) certain=%v reason=%q", tt.si, tt.se, tt.ei, tt.ee, c.Certain, c.Reason)
			continue
		}
		for _, v := range tt.yes {
			if r, why := c.Match(v); r != Yes {
				t.Errorf("%s: Match(%q) = %v %s, want yes", name, v, r, why)
			}
		}
		for _, v := range tt.no {
			if r, why := c.Match(v); r != No {
				t.Errorf("%s: Match(%q) = %v %s, want no", name, v, r, why)
			}
		}
		for _, v := range tt.unk {
			if r, why := c.Match(v); r != Unknown {
				t.Errorf("%s: Match(%q) = %v %s, want unknown", name, v, r, why)
			}
		}
	}
}

func TestNVDCPE(t *testing.T) {
	// CVE-2020-6961: cpe ...clinical_information_center_mp100d_firmware:4.0
	c := NVDCPE("4.0", "", "", "", "")
	if r, _ := c.Match("4.0.0"); r != Yes {
		t.Errorf("4.0 exact: got %v", r)
	}
	if r, _ := c.Match("5.0"); r != No {
		t.Errorf("4.0 exact vs 5.0: got %v", r)
	}
	// CVE-2020-6961 carescape_telemetry_server_mp100r_firmware:*, versionEndIncluding 4.2
	if r, _ := NVDCPE("*", "", "", "4.2", "").Match("4.3"); r != No {
		t.Errorf("* <= 4.2 vs 4.3: got %v", r)
	}
	// CVE-2022-26390 sigma_spectrum_35700bax_firmware:- : no version stated
	if c := NVDCPE("-", "", "", "", ""); c.Certain || c.Reason == "" {
		t.Errorf("'-' should be uncertain: %+v", c)
	}
	if c := NVDCPE("1.0", "", "", "2.0", ""); c.Certain {
		t.Errorf("concrete version with bounds should be uncertain")
	}
	if r, _ := NVDCPE(`1\.0\:2`, "", "", "", "").Match("1.0:2"); r != Yes {
		t.Errorf("escaped CPE version: got %v", r)
	}
	if c := NVDCPE("1.*", "", "", "", ""); c.Certain {
		t.Errorf("CPE wildcard inside version should be uncertain")
	}
}
