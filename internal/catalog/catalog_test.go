package catalog

import (
	"math"
	"regexp"
	"testing"
)

func TestModalityTable(t *testing.T) {
	ms := Modalities()
	if len(ms) < 20 {
		t.Fatalf("want ≥20 modalities, got %d", len(ms))
	}
	seen := map[string]bool{}
	var sum, networked float64
	var largest Modality
	for _, m := range ms {
		if seen[m.Code] {
			t.Errorf("duplicate modality %q", m.Code)
		}
		seen[m.Code] = true
		sum += m.Share
		networked += m.Share * m.NetworkedFraction
		if m.Share > largest.Share {
			largest = m
		}
		if m.Function < 2 || m.Function > 10 || m.PhysicalRisk < 1 || m.PhysicalRisk > 5 ||
			m.Maintenance < 1 || m.Maintenance > 5 || m.IncidentHistory < -2 || m.IncidentHistory > 2 {
			t.Errorf("%s: EM components out of range", m.Code)
		}
		if m.NetworkedFraction < 0 || m.NetworkedFraction > 1 {
			t.Errorf("%s: networked fraction %v", m.Code, m.NetworkedFraction)
		}
		if len(m.DeviceTypes) < 2 {
			t.Errorf("%s: want several CMMS device-type spellings", m.Code)
		}
		var w float64
		for k, x := range m.CareAreas {
			if CareAreaName(k) == "" {
				t.Errorf("%s: unknown care area %q", m.Code, k)
			}
			w += x
		}
		if w <= 0 {
			t.Errorf("%s: no care-area weights", m.Code)
		}
		if len(ModelsByModality(m.Code)) == 0 {
			t.Errorf("%s: no models", m.Code)
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("shares sum to %v, want 1", sum)
	}
	if networked < 0.33 || networked > 0.5 {
		t.Errorf("fleet networked fraction %.3f outside typical 1/3–1/2", networked)
	}
	if largest.Code != "infusion_pump" {
		t.Errorf("largest modality %s, want infusion_pump", largest.Code)
	}
	if m, ok := ModalityByCode("ventilator"); !ok || m.EM() < 18 {
		t.Errorf("ventilator EM = %d, want life-support ≥18", m.EM())
	}
}

func TestModelTable(t *testing.T) {
	ms := Models()
	if len(ms) < 120 {
		t.Fatalf("want ≥120 models, got %d", len(ms))
	}
	date := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	key := map[string]bool{}
	for _, m := range ms {
		if _, ok := ModalityByCode(m.Modality); !ok {
			t.Errorf("%s: unknown modality %q", m.Name, m.Modality)
		}
		if c, ok := CanonicalManufacturer(m.Manufacturer); !ok || c != m.Manufacturer {
			t.Errorf("%s: manufacturer %q not canonical", m.Name, m.Manufacturer)
		}
		k := m.Manufacturer + "|" + m.Name
		if key[k] {
			t.Errorf("duplicate model %s", k)
		}
		key[k] = true
		if m.EndOfSupport != "" && !date.MatchString(m.EndOfSupport) {
			t.Errorf("%s: bad end-of-support %q", m.Name, m.EndOfSupport)
		}
		for _, f := range m.FirmwareVersions {
			if f == "" {
				t.Errorf("%s: empty firmware version", m.Name)
			}
		}
	}
}

func TestManufacturerTable(t *testing.T) {
	byKey := map[string]string{}
	prefixVendor := map[string]string{}
	oui := regexp.MustCompile(`^[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}$`)
	for _, m := range Manufacturers() {
		for _, a := range append([]string{m.Canonical}, m.Aliases...) {
			k := manufacturerKey(a)
			if prev, ok := byKey[k]; ok && prev != m.Canonical {
				t.Errorf("alias %q (key %q) claimed by %s and %s", a, k, prev, m.Canonical)
			}
			byKey[k] = m.Canonical
			if c, ok := CanonicalManufacturer(a); !ok || c != m.Canonical {
				t.Errorf("CanonicalManufacturer(%q) = %q,%v; want %q", a, c, ok, m.Canonical)
			}
		}
		if len(m.OUIVendors) != len(m.OUIPrefixes) || len(m.OUIPrefixes) == 0 {
			t.Errorf("%s: OUIVendors and OUIPrefixes must be parallel and non-empty", m.Canonical)
		}
		for i, p := range m.OUIPrefixes {
			if !oui.MatchString(p) {
				t.Errorf("%s: bad OUI %q", m.Canonical, p)
			}
			if v, ok := prefixVendor[p]; ok && v != m.OUIVendors[i] {
				t.Errorf("OUI %s registered to both %q and %q", p, v, m.OUIVendors[i])
			}
			prefixVendor[p] = m.OUIVendors[i]
		}
	}
}

func TestCanonicalManufacturer(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"Dräger", "Dräger", true},
		{"Draeger", "Dräger", true},
		{"DRAEGER MEDICAL", "Dräger", true},
		{"Drägerwerk AG & Co. KGaA", "Dräger", true},
		{"draeger medical systems, inc.", "Dräger", true},
		{"GE Medical Systems", "GE Healthcare", true},
		{"GE MEDICAL SYSTEMS, LLC", "GE Healthcare", true},
		{"GEHC", "GE Healthcare", true},
		{"CareFusion 303, Inc.", "BD", true},
		{"Becton, Dickinson and Company", "BD", true},
		{"BECTON DICKINSON & CO.", "BD", true},
		{"alaris", "BD", true},
		{"Hospira, Inc.", "ICU Medical", true},
		{"Hill-Rom", "Baxter", true},
		{"HILLROM", "Baxter", true},
		{"Welch Allyn Inc.", "Baxter", true},
		{"Covidien LP", "Medtronic", true},
		{"Puritan Bennett", "Medtronic", true},
		{"Philips Medizin Systeme Böblingen GmbH", "Philips", true},
		{"PHILIPS MEDIZIN SYSTEME BOEBLINGEN GMBH", "Philips", true},
		{"Koninklijke Philips N.V.", "Philips", true},
		{"Siemens Medical Solutions USA, Inc.", "Siemens Healthineers", true},
		{"Siemens Medical", "Siemens Healthineers", true},
		{"Toshiba Medical Systems Corporation", "Canon Medical", true},
		{"B. Braun Melsungen AG", "B. Braun", true},
		{"B.Braun Medical Inc", "B. Braun", true},
		{"Physio-Control, Inc.", "Stryker", true},
		{"Shenzhen Mindray Bio-Medical Electronics Co., Ltd.", "Mindray", true},
		{"  zoll medical corp ", "ZOLL", true},
		{"St. Jude Medical", "Abbott", true},
		{"Maquet Critical Care AB", "Getinge", true},
		{"Acme Widgets, Inc.", "Acme Widgets, Inc.", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, ok := CanonicalManufacturer(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("CanonicalManufacturer(%q) = %q,%v; want %q,%v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestCareAreaFromDepartment(t *testing.T) {
	cases := map[string]string{
		"ICU 4 West":                 CareICU,
		"NICU":                       CareNICU,
		"Neonatal Intensive Care":    CareNICU,
		"PICU":                       CareICU,
		"Neuro ICU":                  CareICU,
		"CVICU":                      CareICU,
		"Surgical ICU":               CareICU,
		"OR 3":                       CareOR,
		"OR3":                        CareOR,
		"Main OR":                    CareOR,
		"PACU":                       CareOR,
		"Same Day Surgery":           CareOR,
		"Emergency Dept":             CareED,
		"ED":                         CareED,
		"Emergency Department":       CareED,
		"Pediatric ED":               CareED,
		"Cath Lab":                   CareProcedural,
		"Endoscopy":                  CareProcedural,
		"IR":                         CareProcedural,
		"Interventional Radiology":   CareProcedural,
		"L&D":                        CareProcedural,
		"L & D":                      CareProcedural,
		"Labor & Delivery":           CareProcedural,
		"Radiology":                  CareProcedural,
		"Dialysis Unit":              CareProcedural,
		"Med/Surg 5":                 CareInpatient,
		"Med/Surg 5 North":           CareInpatient,
		"Telemetry 3 East":           CareInpatient,
		"Oncology 7 West":            CareInpatient,
		"Mother-Baby 2":              CareInpatient,
		"Outpatient Clinic":          CareOutpatient,
		"Outpatient Infusion Clinic": CareOutpatient,
		"Imaging Center":             CareOutpatient,
		"Outpatient Imaging - MRI":   CareOutpatient,
		"Family Medicine Clinic":     CareOutpatient,
		"Biomed Shop":                CareNonClinical,
		"Central Supply":             CareNonClinical,
		"Storage":                    CareNonClinical,
		"Clinical Laboratory":        CareNonClinical,
		"Pharmacy":                   CareNonClinical,
		"Executive Suite":            "",
		"":                           "",
	}
	for in, want := range cases {
		if got := CareAreaFromDepartment(in); got != want {
			t.Errorf("CareAreaFromDepartment(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCareAreaOrder(t *testing.T) {
	want := []string{CareICU, CareNICU, CareOR, CareED, CareProcedural, CareInpatient, CareOutpatient, CareNonClinical}
	got := CareAreaCodes()
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}
