package nvd

import "testing"

func TestParseCPE(t *testing.T) {
	c, err := ParseCPE(`cpe:2.3:o:bd:alaris_8015_pcu_firmware:*:*:*:*:*:*:*:*`)
	if err != nil || c.Part != "o" || c.Vendor != "bd" || c.Product != "alaris_8015_pcu_firmware" || !c.IsAny(3) || c.Short() != "cpe:2.3:o:bd:alaris_8015_pcu_firmware:*" {
		t.Fatalf("%+v %v", c, err)
	}
	c, err = ParseCPE(`cpe:2.3:a:b\:c:prod\\uct:1\.0\:beta:-:*:*:*:*:x86:*`)
	if err != nil || c.Vendor != "b:c" || c.Product != `prod\uct` || c.Version != "1.0:beta" || c.RawVersion() != `1\.0\:beta` || !c.IsNA(4) || c.TargetHW != "x86" {
		t.Fatalf("%+v %v", c, err)
	}
	if s := c.String(); s != `cpe:2.3:a:b\:c:prod\\uct:1\.0\:beta:-:*:*:*:*:x86:*` {
		t.Errorf("String = %s", s)
	}
	built := CPE{Part: "a", Vendor: "x y", Product: "p", Version: "*"}
	if s := built.String(); s != `cpe:2.3:a:x\ y:p:\*:*:*:*:*:*:*:*` {
		t.Errorf("built String = %s", s)
	}
	for _, bad := range []string{"", "cpe:/a:x:y", "cpe:2.3:a:x", "cpe:2.3:q:x:y:*:*:*:*:*:*:*:*",
		"cpe:2.3:a:x:y:*:*:*:*:*:*:*:*:*", `cpe:2.3:a:x:y:*:*:*:*:*:*:*:\`, "cpe:2.3:a::y:*:*:*:*:*:*:*:*"} {
		if _, err := ParseCPE(bad); err == nil {
			t.Errorf("ParseCPE(%q) accepted", bad)
		}
	}
}

func TestNormProduct(t *testing.T) {
	for in, want := range map[string]string{
		"alaris_8015_pcu_firmware":     "alaris8015pcu",
		"baxter_spectrum_iq_35700bax3": "spectrumiq35700bax3",
		"dcmtk":                        "dcmtk",
		"firmware":                     "firmware",
	} {
		_, key := normProduct(in, vendorWords("baxter"))
		if key != want {
			t.Errorf("normProduct(%q) = %q, want %q", in, key, want)
		}
	}
}

func TestResolveVendor(t *testing.T) {
	for in, want := range map[string]string{
		"bd": "BD", "becton_dickinson": "BD", "carefusion": "BD", "ge": "GE Healthcare", "gehealthcare": "GE Healthcare",
		"ge_healthcare": "GE Healthcare", "baxter": "Baxter", "welchallyn": "Baxter", "hillrom": "Baxter",
		"medtronic": "Medtronic", "covidien": "Medtronic", "philips": "Philips", "draeger": "Dräger",
		"icumedical": "ICU Medical", "hospira": "ICU Medical", "smiths_medical": "Smiths Medical",
		"siemens_healthineers": "Siemens Healthineers", "b_braun": "B. Braun", "offis": "offis",
	} {
		if got := resolveVendor(in); got.canon != want {
			t.Errorf("resolveVendor(%q) = %q, want %q", in, got.canon, want)
		}
	}
}
