package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/medsec/medsec/internal/catalog"
)

// Facility kinds, in the order Facilities lists them.
const (
	KindAcademic  = "academic"  // flagship academic medical center
	KindCommunity = "community" // community hospital
	KindImaging   = "imaging"   // freestanding outpatient imaging center
	KindClinic    = "clinic"    // clinic / physician practice
)

// DevicesPerBed is the typical number of medical devices per staffed bed
// (the domain reference gives 10–15).
const DevicesPerBed = 12

// Facility is one site of the demo health system.
type Facility struct {
	// Code is a short unique site code, used as the Equipment ID prefix.
	Code string
	Name string
	Kind string
	// Beds is the staffed-bed count implied by the device count (0 for
	// outpatient sites).
	Beds int
	// Domain is the site's DNS domain, used for FQDN hostnames.
	Domain string
	// Weight is the site's relative share of the system's devices.
	Weight float64
	// Departments are the site's departments (care areas).
	Departments []Department
	// index is the facility's position, used for its IP range (10.<index+1>.0.0/16).
	index int
}

// Department is a department of a facility.
type Department struct {
	Name string
	// CareArea is the catalog care-area code, as catalog.CareAreaFromDepartment
	// infers it from Name.
	CareArea string
	// HostTag is the department part of device hostnames ("icu4w").
	HostTag string
	// RoomPrefix is prepended to a two-digit room number ("4W-4" → "4W-412").
	RoomPrefix string
	// Only, when set, restricts the department to these modalities
	// (a laboratory holds analysers, not pumps).
	Only []string
	// Also lists restricted modalities the department accepts in addition
	// to all unrestricted ones (CT in the emergency department).
	Also []string
}

// restrictedModalities only go to departments that name them in Only or Also:
// fixed imaging and lab analysers live in their own rooms.
var restrictedModalities = map[string]bool{
	"ct_scanner": true, "mr_scanner": true, "xray_fixed": true, "lab_analyzer": true,
}

// accepts reports whether a device of the modality can be placed in d.
func (d Department) accepts(modality string) bool {
	if len(d.Only) > 0 {
		return contains(d.Only, modality)
	}
	if restrictedModalities[modality] {
		return contains(d.Also, modality)
	}
	return true
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// dept builds a Department and derives its care area from the name, so the
// demo data exercises catalog.CareAreaFromDepartment the way imports will.
func dept(name, tag, room string) Department {
	return Department{Name: name, CareArea: catalog.CareAreaFromDepartment(name), HostTag: tag, RoomPrefix: room}
}

func (d Department) only(m ...string) Department { d.Only = m; return d }
func (d Department) also(m ...string) Department { d.Also = m; return d }

var imagingAll = []string{"ct_scanner", "mr_scanner", "xray_fixed", "xray_portable", "ultrasound", "c_arm"}

func academicDepartments() []Department {
	return []Department{
		dept("ICU 4 West", "icu4w", "4W-4"),
		dept("MICU 5 East", "micu5e", "5E-5"),
		dept("CVICU", "cvicu", "3C-3"),
		dept("Neuro ICU", "nsicu6", "6N-6"),
		dept("PICU", "picu", "7P-7"),
		dept("NICU", "nicu", "2N-2"),
		dept("Main OR", "mainor", "OR-"),
		dept("Cardiac OR", "cvor", "CVOR-"),
		dept("PACU", "pacu", "PACU-"),
		dept("Emergency Department", "ed", "ED-").also("ct_scanner", "xray_fixed"),
		dept("Pediatric ED", "peded", "PED-"),
		dept("Cath Lab", "cath", "CL-").also("xray_fixed"),
		dept("Endoscopy", "endo", "EN-"),
		dept("Interventional Radiology", "ir", "IR-").also("xray_fixed", "ct_scanner"),
		dept("Labor & Delivery", "ld", "LD-2"),
		dept("Radiology", "rad", "RAD-").only(imagingAll...),
		dept("Dialysis Unit", "dial", "DU-"),
		dept("Med/Surg 5 North", "ms5n", "5N-5"),
		dept("Med/Surg 6 South", "ms6s", "6S-6"),
		dept("Med/Surg 7 East", "ms7e", "7E-7"),
		dept("Telemetry 3 East", "tele3e", "3E-3"),
		dept("Oncology 8 West", "onc8w", "8W-8"),
		dept("Pediatrics 9", "peds9", "9P-9"),
		dept("Mother-Baby 2 South", "mb2s", "2S-2"),
		dept("Outpatient Infusion Clinic", "opinf", "OPI-"),
		dept("Outpatient Imaging Pavilion", "opimg", "OPX-").only(imagingAll...),
		dept("Clinical Laboratory", "lab", "LAB-").only("lab_analyzer", "blood_gas_analyzer", "poc_analyzer"),
		dept("Pharmacy", "rx", "RX-").only("medication_cabinet"),
		dept("Biomed Shop", "biomed", "B1-"),
		dept("Central Supply", "cs", "CS-"),
		dept("Equipment Storage", "stor", "ST-"),
	}
}

func communityDepartments() []Department {
	return []Department{
		dept("ICU", "icu", "2I-2"),
		dept("CCU", "ccu", "2C-2"),
		dept("Main OR", "or", "OR-"),
		dept("PACU", "pacu", "PACU-"),
		dept("Emergency Department", "ed", "ED-").also("ct_scanner", "xray_fixed"),
		dept("Cath Lab", "cath", "CL-").also("xray_fixed"),
		dept("Endoscopy", "endo", "EN-"),
		dept("Labor & Delivery", "ld", "LD-1"),
		dept("Radiology", "rad", "RAD-").only(imagingAll...),
		dept("Med/Surg 3 North", "ms3n", "3N-3"),
		dept("Med/Surg 4", "ms4", "4M-4"),
		dept("Telemetry 2", "tele2", "2T-2"),
		dept("Outpatient Infusion Clinic", "opinf", "OPI-"),
		dept("Clinical Laboratory", "lab", "LAB-").only("lab_analyzer", "blood_gas_analyzer", "poc_analyzer"),
		dept("Pharmacy", "rx", "RX-").only("medication_cabinet"),
		dept("Biomed Shop", "biomed", "B1-"),
		dept("Central Supply", "cs", "CS-"),
	}
}

func imagingDepartments() []Department {
	return []Department{
		dept("Outpatient Imaging - CT", "ct", "CT-").only("ct_scanner"),
		dept("Outpatient Imaging - MRI", "mri", "MR-").only("mr_scanner"),
		dept("Outpatient Imaging - X-Ray", "xr", "XR-").only("xray_fixed", "xray_portable"),
		dept("Outpatient Imaging - Ultrasound", "us", "US-").only("ultrasound"),
		dept("Storage", "stor", "ST-"),
	}
}

func clinicDepartments() []Department {
	return []Department{
		dept("Family Medicine Clinic", "fm", "EX-").only("vital_signs_monitor", "ecg_cart", "thermometer", "pulse_oximeter", "defibrillator", "poc_analyzer", "ultrasound"),
		dept("Urgent Care Clinic", "uc", "UC-").only("vital_signs_monitor", "ecg_cart", "thermometer", "pulse_oximeter", "defibrillator", "poc_analyzer", "xray_fixed", "infusion_pump", "suction_regulator"),
	}
}

var places = []string{
	"Riverside", "Lakeview", "Cedar Valley", "Northfield", "Mercy Ridge", "Oak Park", "Fairview",
	"Summit", "Harbor", "Westbrook", "Pine Hill", "Maple Grove", "Eastside", "Brookhaven",
	"Silver Creek", "Highland", "Clearwater", "Granite Falls", "Willow Bend", "Stonebridge",
	"Bayshore", "Prairie View", "Elmwood", "Kingsport", "Ashford", "Millbrook", "Redwood",
	"Sunnyvale", "Hillcrest", "Crestwood", "Meadowbrook", "Fox River", "Blue Springs", "Lancaster",
	"Fort Collins", "Georgetown", "Jefferson", "Madison", "Franklin", "Clinton", "Salem",
	"Bristol", "Dover", "Auburn", "Marion", "Newport", "Greenville", "Springfield", "Ridgecrest",
	"Woodland", "Canyon", "Seaview", "Sierra", "Lakeside", "Parkside", "Glenwood", "Rockford",
	"Bridgeport", "Hamilton", "Oakridge", "Riverbend", "Sandpoint", "Wells", "Camden",
}

var communitySuffixes = []string{"Community Hospital", "Regional Medical Center", "Memorial Hospital", "General Hospital"}

// Facilities returns the facilities Generate uses for cfg: one or more
// academic medical centers, community hospitals, outpatient imaging centers
// and clinics, scaled with cfg.Assets. It is deterministic in (Seed, Assets).
func Facilities(cfg Config) []Facility {
	n := cfg.Assets
	if n < 1 {
		n = 1
	}
	nAcademic := 1 + n/250_000
	nCommunity := n / 8_000
	if n >= 2_000 {
		nCommunity++
	}
	nImaging := 1 + n/100_000
	nClinic := 1 + n/25_000

	r := rand.New(rand.NewPCG(cfg.Seed, streamFacilities))
	var fs []Facility
	used := map[string]bool{}
	add := func(name, kind string, w float64, ds []Department) {
		code := uniqueCode(initials(name), used)
		fs = append(fs, Facility{
			Code: code, Name: name, Kind: kind, Weight: w * (0.8 + 0.4*r.Float64()),
			Domain: strings.ToLower(code) + ".hosp.example.org", Departments: ds, index: len(fs),
		})
	}
	off := r.IntN(len(places))
	place := func(k int) string { return places[(off+k)%len(places)] }
	for k := 0; k < nAcademic; k++ {
		add(place(k)+" University Medical Center", KindAcademic, 8, academicDepartments())
	}
	for k := 0; k < nCommunity; k++ {
		p := place(nAcademic + k)
		suffix := communitySuffixes[(k/len(places)+r.IntN(len(communitySuffixes)))%len(communitySuffixes)]
		add(p+" "+suffix, KindCommunity, 1.5, communityDepartments())
	}
	for k := 0; k < nImaging; k++ {
		add(place(k*7+3)+" Outpatient Imaging Center", KindImaging, 0.12, imagingDepartments())
	}
	for k := 0; k < nClinic; k++ {
		add(place(k*5+1)+" Family Health Clinic", KindClinic, 0.05, clinicDepartments())
	}
	var total float64
	for _, f := range fs {
		total += f.Weight
	}
	for i := range fs {
		if fs[i].Kind == KindAcademic || fs[i].Kind == KindCommunity {
			fs[i].Beds = int(float64(n)*fs[i].Weight/total/DevicesPerBed + 0.5)
		}
	}
	return fs
}

func initials(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		b.WriteByte(strings.ToUpper(w)[0])
	}
	return b.String()
}

func uniqueCode(base string, used map[string]bool) string {
	code := base
	for k := 2; used[code]; k++ {
		code = fmt.Sprintf("%s%d", base, k)
	}
	used[code] = true
	return code
}
