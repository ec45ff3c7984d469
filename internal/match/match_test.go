package match

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/csaf"
	"github.com/medsec/medsec/internal/vers"
)

var loadICSMA = sync.OnceValues(func() ([]*csaf.Advisory, []error) {
	return csaf.LoadPath("../advisorydata/icsma")
})

func advisories(t testing.TB) []*csaf.Advisory {
	t.Helper()
	advs, errs := loadICSMA()
	if len(errs) > 0 {
		t.Fatalf("load: %v", errs[0])
	}
	if len(advs) != 108 {
		t.Fatalf("loaded %d advisories, want 108", len(advs))
	}
	return advs
}

// versionInside returns a firmware version the product's versions certainly
// contain, or "" when there is none to pick (uncertain range).
func versionInside(p *csaf.Product) string {
	s := specOf(p.Version, p.VersionRange)
	if !s.cons.Certain {
		return ""
	}
	var cands []string
	for _, r := range s.cons.Ranges {
		for _, b := range []*vers.Bound{r.Upper, r.Lower} {
			if b != nil {
				raw := b.Version.Raw
				cands = append(cands, raw, raw+".1", strings.TrimSuffix(raw, ".0"))
			}
		}
	}
	cands = append(cands, "0.1", "1", "1.0", "0")
	for _, c := range cands {
		if r, _ := s.cons.Match(c); r == vers.Yes {
			return c
		}
	}
	return ""
}

func affectedIDs(a *csaf.Advisory) map[string]string {
	m := map[string]string{}
	for _, v := range a.Vulns {
		for _, st := range affectedStatuses {
			for _, id := range v.Status[st] {
				m[id] = v.CVE
			}
		}
	}
	return m
}

func findingsFor(fs []Finding, dev, adv string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.DeviceKey == dev && f.AdvisoryID == adv {
			out = append(out, f)
		}
	}
	return out
}

// TestICSMASelfInventory builds one device per affected product leaf from the
// leaf's own vendor, name and a version inside its range, and checks each one
// gets a finding from its advisory with the right version certainty.
func TestICSMASelfInventory(t *testing.T) {
	advs := advisories(t)
	type leaf struct {
		adv     *csaf.Advisory
		p       *csaf.Product
		certain bool
	}
	var devs []Device
	leaves := map[string]leaf{}
	for _, a := range advs {
		aff := affectedIDs(a)
		for i := range a.Products {
			p := &a.Products[i]
			if _, ok := aff[p.ID]; !ok {
				continue
			}
			fw := versionInside(p)
			s := specOf(p.Version, p.VersionRange)
			certain := fw != "" || s.cons.AllVersions()
			key := a.ID + "/" + p.ID
			devs = append(devs, Device{Key: key, Manufacturer: canonicalName(p.Vendor), Model: p.Name, Firmware: fw})
			leaves[key] = leaf{a, p, certain}
		}
	}
	fs := Match(advs, devs)
	var nCertain, nUncertain, leafCertain, leafUncertain int
	for _, f := range fs {
		if f.VersionCertain {
			nCertain++
		} else {
			nUncertain++
		}
		if f.Confidence <= 0 || f.Confidence > 1 || len(f.Evidence) < 3 {
			t.Errorf("bad finding %+v", f)
		}
	}
	for key, l := range leaves {
		got := findingsFor(fs, key, l.adv.ID)
		if len(got) == 0 {
			t.Errorf("%s %q (%s%s): no finding", key, l.p.Name, l.p.Version, l.p.VersionRange)
			continue
		}
		if l.certain {
			leafCertain++
		} else {
			leafUncertain++
		}
		for _, f := range got {
			if l.certain && !f.VersionCertain {
				t.Errorf("%s %q %q: want certain, got %v", key, l.p.Name, l.p.Version+l.p.VersionRange, f.Evidence)
			}
			if !l.certain && f.VersionCertain && f.ProductID == l.p.ID {
				t.Errorf("%s: uncertain range judged certain: %v", key, f.Evidence)
			}
		}
	}
	t.Logf("%d advisories, %d affected product leaves (%d certain, %d uncertain); %d findings: %d certain, %d need review",
		len(advs), len(leaves), leafCertain, leafUncertain, len(fs), nCertain, nUncertain)
}

// TestOutsideRange: a firmware above a certain upper bound gets no finding
// from that product.
func TestOutsideRange(t *testing.T) {
	advs := advisories(t)
	var devs []Device
	for _, a := range advs {
		aff := affectedIDs(a)
		for i := range a.Products {
			p := &a.Products[i]
			s := specOf(p.Version, p.VersionRange)
			if _, ok := aff[p.ID]; !ok || !s.cons.Certain || s.cons.AllVersions() {
				continue
			}
			fw := "99999.9"
			if r, _ := s.cons.Match(fw); r != vers.No {
				continue
			}
			key := a.ID + "/" + p.ID
			devs = append(devs, Device{Key: key, Manufacturer: canonicalName(p.Vendor), Model: p.Name, Firmware: fw})
		}
	}
	if len(devs) < 100 {
		t.Fatalf("only %d bounded products", len(devs))
	}
	for _, f := range Match(advs, devs) {
		if f.DeviceKey == f.AdvisoryID+"/"+f.ProductID {
			t.Errorf("%s: firmware outside range matched: %v", f.DeviceKey, f.Evidence)
		}
	}
}

func one(t *testing.T, advs []*csaf.Advisory, d Device, advID string) []Finding {
	t.Helper()
	var sel []*csaf.Advisory
	for _, a := range advs {
		if a.ID == advID {
			sel = append(sel, a)
		}
	}
	if len(sel) != 1 {
		t.Fatalf("advisory %s not found", advID)
	}
	return Match(sel, []Device{d})
}

func TestUncertainRanges(t *testing.T) {
	advs := advisories(t)
	for _, tc := range []struct {
		adv   string
		model string
		text  string
	}{
		{"ICSMA-18-107-01", "Fortify Assura", "distributed  < april 1, 2018"},
		{"ICSMA-17-241-01", "Accent MRI", "< august 28"},
	} {
		fs := one(t, advs, Device{Key: "d", Manufacturer: "Abbott", Model: tc.model, Firmware: "1.0"}, tc.adv)
		if len(fs) == 0 {
			t.Fatalf("%s: no finding for %s", tc.adv, tc.model)
		}
		for _, f := range fs {
			ev := strings.Join(f.Evidence, " | ")
			if f.VersionCertain || !strings.Contains(ev, needsReview) || !strings.Contains(ev, tc.text) {
				t.Errorf("%s: %+v", tc.adv, f)
			}
		}
	}
}

func TestAlarisVersions(t *testing.T) {
	advs := advisories(t)
	cases := []struct {
		fw      string
		want    bool
		certain bool
	}{
		{"9.19", true, true},
		{"9.5", true, true},
		{"9.7", true, true},
		{"10.0", false, false},
		{"", true, false},
	}
	for _, c := range cases {
		d := Device{Key: "pcu", Manufacturer: "BD", Model: "Alaris PC Unit", ModelNumber: "8015", Firmware: c.fw}
		fs := one(t, advs, d, "ICSMA-17-017-02")
		if (len(fs) > 0) != c.want {
			t.Errorf("fw %q: %d findings, want %v", c.fw, len(fs), c.want)
			continue
		}
		for _, f := range fs {
			if f.VersionCertain != c.certain {
				t.Errorf("fw %q: VersionCertain=%v: %v", c.fw, f.VersionCertain, f.Evidence)
			}
		}
		if c.fw == "9.19" {
			ev := strings.Join(fs[0].Evidence, "\n")
			for _, s := range []string{"vendor 'Becton, Dickinson and Company (BD)' = manufacturer BD (alias)", "(catalog variant 'Alaris 8015 PC unit')", "matched firmware 9.19: yes"} {
				if !strings.Contains(ev, s) {
					t.Errorf("evidence lacks %q:\n%s", s, ev)
				}
			}
		}
	}
}

func TestOtherVendorNeverMatches(t *testing.T) {
	advs := advisories(t)
	var devs []Device
	for _, a := range advs {
		for i, p := range a.Products {
			c, ok := catalog.CanonicalManufacturer(p.Vendor)
			other := "Zeta Imaging Works"
			if ok && c == "Zeta Imaging Works" {
				other = "Yotta Pumps"
			}
			devs = append(devs, Device{Key: fmt.Sprintf("%s/%d", a.ID, i), Manufacturer: other, Model: p.Name, Firmware: "1.0"})
		}
	}
	if fs := Match(advs, devs); len(fs) != 0 {
		t.Fatalf("%d findings for devices of another vendor, e.g. %+v", len(fs), fs[0])
	}
	// A real maker that is not the advisory's: Philips devices named like BD products.
	fs := one(t, advs, Device{Key: "x", Manufacturer: "Philips", Model: "Alaris PC Unit", Firmware: "9.19"}, "ICSMA-17-017-02")
	if len(fs) != 0 {
		t.Fatalf("Philips device matched a BD advisory: %+v", fs)
	}
}

func synthAdvisory(vendor, product, version string) *csaf.Advisory {
	return &csaf.Advisory{
		ID:       "TEST-1",
		Products: []csaf.Product{{ID: "P1", Vendor: vendor, Name: product, Version: version}},
		Vulns:    []csaf.Vuln{{CVE: "CVE-2099-0001", Status: map[string][]string{"known_affected": {"P1"}}}},
	}
}

func TestTrickyNames(t *testing.T) {
	for _, tc := range []struct {
		vendor, product string
		dev             Device
		want            bool
		minConf         float64
	}{
		{"Becton, Dickinson and Company (BD)", "Alaris 8015 PC unit", Device{Manufacturer: "BD", Model: "Alaris PC Unit"}, true, 0.95},
		{"BD", "BD Alaris Point-of-Care Unit (PCU) Model 8015", Device{Manufacturer: "BD", Model: "Alaris PC Unit"}, true, 0.95},
		{"BD", "BD Alaris Point-of-Care Unit (PCU) Model 8015", Device{Manufacturer: "BD", Model: "Point of Care Unit", ModelNumber: "8015"}, true, 0.85},
		{"BD", "Alaris PC Unit", Device{Manufacturer: "BD", Model: "8015"}, true, 0.95},
		{"ICU Medical", "Plum 360", Device{Manufacturer: "ICU Medical", Model: "PLUM360"}, true, 0.95},
		{"Hospira", "Plum 360 Infusion System", Device{Manufacturer: "ICU Medical", Model: "Plum360 pump"}, true, 0.7},
		{"Hospira", "Plum 360", Device{Manufacturer: "ICU Medical", Model: "Plum A+"}, false, 0},
		{"Dräger", "Infinity Delta", Device{Manufacturer: "Dräger", Model: "Delta XL"}, true, 0.95},
		{"Draeger Medical GmbH", "Infinity Delta", Device{Manufacturer: "Dräger", Model: "INFINITY DELTA"}, true, 0.95},
		{"Dräger", "Infinity Delta", Device{Manufacturer: "Dräger", Model: "Infinity Kappa"}, false, 0},
		{"Dräger", "Infinity Delta", Device{Manufacturer: "Philips", Model: "Infinity Delta"}, false, 0},
		{"Philips", "IntelliVue Patient Monitors MX (MX400-550)", Device{Manufacturer: "Philips", Model: "IntelliVue", ModelNumber: "MX400"}, true, 0.85},
		{"BD", "Alaris 8000 PC unit", Device{Manufacturer: "BD", Model: "Alaris PC Unit"}, false, 0},
		{"BD", "Alaris 8000 PC unit", Device{Manufacturer: "BD", Model: "Medley 8000"}, true, 0.95},
		{"Medtronic", "24950 MyCareLink Monitor", Device{Manufacturer: "Medtronic", Model: "MyCareLink Monitor"}, true, 0.6},
		{"GE Healthcare", "GE Aespire", Device{Manufacturer: "GE Healthcare", Model: "Aespire 7900"}, true, 0.6},
		{"BD", "Alaris Gateway Workstation", Device{Manufacturer: "BD", Model: "Alaris 8100"}, false, 0},
		{"BD", "Alaris Gateway Workstation", Device{Manufacturer: "BD", Model: "Alaris Pump Module"}, false, 0},
		{"BD", "Alaris Gateway Workstation", Device{Manufacturer: "BD", Model: "Alaris PC Unit"}, false, 0},
		{"Silex Technology and GE Healthcare", "MAC 5500", Device{Manufacturer: "GE Healthcare", Model: "MAC 5500"}, true, 0.99},
	} {
		tc.dev.Key, tc.dev.Firmware = "d", "1.0"
		fs := Match([]*csaf.Advisory{synthAdvisory(tc.vendor, tc.product, "vers:all/*")}, []Device{tc.dev})
		name := tc.vendor + " / " + tc.product + " vs " + tc.dev.Manufacturer + " / " + tc.dev.Model
		if (len(fs) > 0) != tc.want {
			t.Errorf("%s: got %d findings, want match=%v %v", name, len(fs), tc.want, fs)
			continue
		}
		if tc.want && fs[0].Confidence < tc.minConf {
			t.Errorf("%s: confidence %.2f < %.2f: %v", name, fs[0].Confidence, tc.minConf, fs[0].Evidence)
		}
	}
}

func TestDeterministic(t *testing.T) {
	advs := advisories(t)
	devs := synthDevices(2000, 7)
	a, b := Match(advs, devs), Match(advs, devs)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatal("two runs differ")
	}
}

// synthDevices draws devices from the catalogue (name, variant or model
// number; firmware from the model's list or unknown) plus unknown makers.
func synthDevices(n int, seed uint64) []Device {
	r := rand.New(rand.NewPCG(seed, 1))
	models := catalog.Models()
	out := make([]Device, n)
	for i := range out {
		m := models[r.IntN(len(models))]
		name := m.Name
		if len(m.NameVariants) > 0 && r.IntN(3) == 0 {
			name = m.NameVariants[r.IntN(len(m.NameVariants))]
		}
		fw := ""
		if len(m.FirmwareVersions) > 0 && r.IntN(5) > 0 {
			fw = m.FirmwareVersions[r.IntN(len(m.FirmwareVersions))]
		}
		mf := m.Manufacturer
		if r.IntN(20) == 0 {
			mf = fmt.Sprintf("Unknown Maker %d", r.IntN(50))
		}
		out[i] = Device{Key: fmt.Sprintf("dev-%05d", i), Manufacturer: mf, Model: name, ModelNumber: m.ModelNumber, Firmware: fw}
	}
	return out
}

func BenchmarkMatchICSMA10k(b *testing.B) {
	advs := advisories(b)
	devs := synthDevices(10000, 42)
	var n int
	for b.Loop() {
		n = len(Match(advs, devs))
	}
	b.ReportMetric(float64(n), "findings")
}
