package catalog

import (
	"strings"
	"unicode"
)

// Modality is a class of device (infusion pump, CT scanner, ...). The clinical
// impact assessment is made at this level, with overrides per model and asset,
// so the defaults for it live here.
type Modality struct {
	// Code is the stable identifier, e.g. "infusion_pump".
	Code string
	// Name is the display name, e.g. "Infusion pump".
	Name string
	// Share is the typical fraction of a hospital fleet (all shares sum to 1).
	Share float64
	// NetworkedFraction is the typical fraction of these devices with a
	// network interface in use (wired or Wi-Fi).
	NetworkedFraction float64
	// PMIntervalMonths is the typical PM interval. For imaging it stands for
	// the manufacturer's service plan (commonly semi-annual); AEM intervals
	// are not allowed there.
	PMIntervalMonths int
	// Fennigkoh–Smith EM components: Function 2–10, PhysicalRisk 1–5,
	// Maintenance 1–5, IncidentHistory −2..+2. EM is their sum.
	Function        int
	PhysicalRisk    int
	Maintenance     int
	IncidentHistory int
	// CareAreas weights where the modality is deployed, keyed by care-area
	// code (CareICU ...). Weights need not sum to 1.
	CareAreas map[string]float64
	// DeviceTypes are CMMS device-type spellings for the modality: the UMDNS
	// style term first, then local variants seen in exports.
	DeviceTypes []string
}

// EM returns the Fennigkoh–Smith equipment-management number.
func (m Modality) EM() int {
	return m.Function + m.PhysicalRisk + m.Maintenance + m.IncidentHistory
}

// ca is shorthand for building care-area weight maps in the table below.
type ca = map[string]float64

var modalities = []Modality{
	{"infusion_pump", "Infusion pump", 0.200, 0.78, 12, 9, 5, 4, 1,
		ca{CareICU: 4, CareNICU: 0.6, CareOR: 1.2, CareED: 1.2, CareProcedural: 1, CareInpatient: 6, CareOutpatient: 0.8, CareNonClinical: 1},
		[]string{"Pump, Infusion, General Purpose", "Pump, Infusion, Large Volume", "INFUSION PUMP", "IV Pump", "Infusion Pump - LVP", "PUMP, INFUSION"}},
	{"syringe_pump", "Syringe pump", 0.045, 0.50, 12, 9, 5, 4, 0,
		ca{CareICU: 4, CareNICU: 3, CareOR: 2, CareED: 0.3, CareProcedural: 0.7, CareInpatient: 0.8, CareNonClinical: 0.3},
		[]string{"Pump, Infusion, Syringe", "SYRINGE PUMP", "Syringe Infusion Pump", "Pump, Syringe"}},
	{"pca_pump", "PCA pump", 0.025, 0.70, 12, 9, 5, 4, 1,
		ca{CareICU: 0.8, CareOR: 0.6, CareInpatient: 5, CareProcedural: 0.3, CareNonClinical: 0.3},
		[]string{"Pump, Infusion, Patient-Controlled Analgesic", "PCA PUMP", "Pump, Infusion, PCA", "PCA"}},
	{"enteral_pump", "Enteral feeding pump", 0.025, 0.0, 12, 8, 3, 3, 0,
		ca{CareICU: 1.5, CareNICU: 0.8, CareInpatient: 4, CareOutpatient: 0.2, CareNonClinical: 0.3},
		[]string{"Pump, Infusion, Enteral", "ENTERAL FEEDING PUMP", "Feeding Pump", "Pump, Enteral Feeding"}},
	{"physiologic_monitor", "Physiologic monitor", 0.085, 0.90, 12, 7, 4, 3, 0,
		ca{CareICU: 5, CareNICU: 1.2, CareOR: 2.5, CareED: 2, CareProcedural: 1.8, CareInpatient: 1.2, CareNonClinical: 0.2},
		[]string{"Monitor, Physiologic, Multiparameter", "Monitor, Bedside, Multiparameter", "PATIENT MONITOR", "Physiological Monitor", "Monitor, Patient"}},
	{"telemetry_transmitter", "Telemetry transmitter", 0.030, 1.0, 12, 7, 4, 2, 0,
		ca{CareInpatient: 6, CareED: 0.6, CareICU: 0.4, CareNonClinical: 0.3},
		[]string{"Monitor, Physiologic, Telemetric", "Transmitter, Telemetry", "TELEMETRY TRANSMITTER", "Tele Pack", "Monitor, ECG, Telemetry"}},
	{"central_station", "Central monitoring station", 0.004, 1.0, 12, 7, 4, 2, -1,
		ca{CareICU: 3, CareNICU: 1, CareED: 1, CareInpatient: 3, CareProcedural: 0.5},
		[]string{"Information System, Physiologic Monitoring, Central Station", "Central Station", "CENTRAL MONITOR", "Monitor, Central Station"}},
	{"vital_signs_monitor", "Vital signs monitor", 0.050, 0.50, 12, 6, 3, 2, 0,
		ca{CareInpatient: 5, CareED: 1.5, CareOutpatient: 2.5, CareProcedural: 0.8, CareOR: 0.5, CareNonClinical: 0.2},
		[]string{"Monitor, Vital Signs", "Monitor, Physiologic, Vital Signs", "VITAL SIGNS MONITOR", "Spot Monitor", "VS Monitor"}},
	{"pulse_oximeter", "Pulse oximeter", 0.040, 0.05, 12, 6, 3, 2, 0,
		ca{CareICU: 1, CareNICU: 1, CareOR: 0.8, CareED: 1, CareInpatient: 3, CareOutpatient: 1.2, CareProcedural: 0.7, CareNonClinical: 0.2},
		[]string{"Oximeter, Pulse", "PULSE OXIMETER", "Pulse Ox", "Oximeter"}},
	{"ventilator", "Ventilator", 0.020, 0.60, 6, 10, 5, 5, 1,
		ca{CareICU: 6, CareNICU: 2, CareED: 0.8, CareOR: 0.3, CareInpatient: 0.4, CareNonClinical: 0.5},
		[]string{"Ventilator, Intensive Care", "Ventilator, Intensive Care, Adult", "VENTILATOR", "Vent, Critical Care", "Ventilator, Neonatal"}},
	{"anesthesia_machine", "Anaesthesia machine", 0.010, 0.60, 6, 10, 5, 5, 1,
		ca{CareOR: 8, CareProcedural: 1.5, CareNonClinical: 0.2},
		[]string{"Anesthesia Units", "Anesthesia Machine", "ANESTHESIA UNIT", "Anesthesia Workstation", "Gas Machine, Anesthesia"}},
	{"defibrillator", "Defibrillator", 0.025, 0.30, 6, 10, 5, 4, 0,
		ca{CareICU: 2, CareNICU: 0.3, CareOR: 1.5, CareED: 2, CareProcedural: 1.5, CareInpatient: 3, CareOutpatient: 1, CareNonClinical: 0.3},
		[]string{"Defibrillator/Monitors", "Defibrillator, External, Manual", "DEFIBRILLATOR", "Defib", "AED", "Defibrillator, Automated External"}},
	{"ecg_cart", "Electrocardiograph", 0.012, 0.85, 12, 6, 3, 2, 0,
		ca{CareED: 2, CareInpatient: 2, CareOutpatient: 2, CareICU: 1, CareProcedural: 1},
		[]string{"Electrocardiographs, Multichannel, Interpretive", "Electrocardiograph", "ECG MACHINE", "EKG Machine", "ECG Cart", "12-Lead ECG"}},
	{"fetal_monitor", "Fetal monitor", 0.010, 0.90, 12, 7, 3, 3, 0,
		ca{CareProcedural: 6, CareOutpatient: 0.8, CareInpatient: 1, CareNonClinical: 0.2},
		[]string{"Monitors, Fetal", "Fetal Monitor", "FETAL MONITOR", "Monitor, Fetal/Maternal"}},
	{"ct_scanner", "CT scanner", 0.0015, 1.0, 6, 6, 3, 5, 1,
		ca{CareED: 1, CareProcedural: 3, CareOutpatient: 1.5},
		[]string{"Scanning Systems, Computed Tomography", "CT Scanner", "CT SCANNER", "Computed Tomography", "CAT Scanner"}},
	{"mr_scanner", "MR scanner", 0.0010, 1.0, 6, 6, 3, 5, 1,
		ca{CareProcedural: 3, CareOutpatient: 2},
		[]string{"Scanning Systems, Magnetic Resonance Imaging", "MRI Scanner", "MRI SYSTEM", "Magnetic Resonance Imaging", "MR Scanner"}},
	{"xray_fixed", "X-ray system, fixed / angiography", 0.0040, 1.0, 6, 6, 3, 4, 0,
		ca{CareProcedural: 4, CareED: 1, CareOutpatient: 1.5},
		[]string{"Radiographic Systems, Digital", "Radiographic/Fluoroscopic Systems, Angiographic", "X-RAY UNIT", "X-Ray, Fixed", "DR Room", "Angiography System"}},
	{"xray_portable", "X-ray, portable", 0.0040, 0.95, 6, 6, 3, 4, 0,
		ca{CareProcedural: 3, CareICU: 0.8, CareED: 0.6, CareNICU: 0.3, CareOR: 0.4},
		[]string{"Radiographic Units, Mobile", "Portable X-Ray", "X-RAY, PORTABLE", "Mobile DR", "X-Ray, Mobile"}},
	{"c_arm", "Mobile C-arm", 0.0030, 0.50, 6, 6, 3, 4, 0,
		ca{CareOR: 5, CareProcedural: 2},
		[]string{"Radiographic/Fluoroscopic Units, Mobile", "C-Arm", "C-ARM", "Fluoroscopy, Mobile C-Arm"}},
	{"ultrasound", "Ultrasound scanner", 0.020, 0.75, 12, 6, 3, 3, 0,
		ca{CareProcedural: 3, CareED: 1.5, CareOR: 1, CareICU: 1, CareOutpatient: 2, CareInpatient: 0.5},
		[]string{"Scanning Systems, Ultrasonic", "Ultrasound Scanner", "ULTRASOUND", "US Machine", "Ultrasound, Point of Care"}},
	{"lab_analyzer", "Laboratory analyser", 0.015, 0.95, 12, 5, 3, 4, 1,
		ca{CareNonClinical: 8, CareOutpatient: 0.5},
		[]string{"Analyzers, Laboratory, Chemistry, Automated", "Analyzers, Laboratory, Hematology", "LAB ANALYZER", "Chemistry Analyzer", "Hematology Analyzer", "Immunoassay Analyzer"}},
	{"blood_gas_analyzer", "Blood-gas analyser", 0.005, 0.95, 12, 5, 3, 4, 1,
		ca{CareICU: 2, CareNICU: 0.5, CareOR: 1, CareED: 1, CareNonClinical: 2},
		[]string{"Analyzers, Point-of-Care, Blood Gas/pH", "Blood Gas Analyzer", "BLOOD GAS ANALYZER", "ABG Analyzer"}},
	{"poc_analyzer", "Point-of-care glucose/coagulation meter", 0.025, 0.85, 12, 5, 3, 2, 0,
		ca{CareICU: 1, CareNICU: 0.5, CareED: 1, CareInpatient: 4, CareOutpatient: 1.5, CareProcedural: 0.8},
		[]string{"Analyzers, Point-of-Care, Glucose", "Glucometer", "GLUCOSE METER", "POC Glucose Meter", "Coagulation Analyzer, POC"}},
	{"hospital_bed", "Hospital bed / stretcher", 0.135, 0.10, 12, 2, 4, 2, 0,
		ca{CareICU: 1, CareNICU: 0.1, CareOR: 0.5, CareED: 1, CareProcedural: 0.8, CareInpatient: 6, CareOutpatient: 0.3, CareNonClinical: 0.3},
		[]string{"Beds, Electric", "Beds, Critical Care", "HOSPITAL BED", "Bed, Med/Surg", "Stretcher", "Bed, ICU"}},
	{"medication_cabinet", "Medication dispensing / pharmacy automation", 0.012, 1.0, 12, 3, 3, 2, 0,
		ca{CareICU: 1, CareNICU: 0.3, CareOR: 1, CareED: 1, CareProcedural: 0.6, CareInpatient: 3, CareOutpatient: 0.5, CareNonClinical: 0.4},
		[]string{"Dispensers, Medication, Automated", "Automated Dispensing Cabinet", "ADC", "MED DISPENSING CABINET", "Pharmacy Automation"}},
	{"dialysis", "Dialysis / CRRT system", 0.008, 0.40, 6, 10, 5, 5, 1,
		ca{CareICU: 2, CareProcedural: 3, CareOutpatient: 0.5, CareNonClinical: 0.3},
		[]string{"Hemodialysis Units", "Hemofiltration Units, Continuous", "DIALYSIS MACHINE", "CRRT", "Hemodialysis Machine"}},
	{"patient_warming", "Patient warming / hypothermia system", 0.025, 0.0, 12, 8, 4, 2, 0,
		ca{CareOR: 4, CareICU: 1.5, CareED: 0.8, CareInpatient: 0.5, CareNonClinical: 0.3},
		[]string{"Warming Units, Patient, Forced Air", "Hypo/Hyperthermia Units", "PATIENT WARMER", "Bair Hugger", "Warming Unit"}},
	{"neonatal_incubator", "Neonatal incubator / warmer", 0.006, 0.10, 6, 9, 5, 4, 0,
		ca{CareNICU: 6, CareProcedural: 1, CareInpatient: 0.3},
		[]string{"Incubators, Infant", "Warmers, Radiant, Infant", "INFANT INCUBATOR", "Isolette", "Infant Warmer"}},
	{"esu", "Electrosurgical unit", 0.015, 0.15, 12, 9, 4, 3, 0,
		ca{CareOR: 6, CareProcedural: 1.5, CareOutpatient: 0.3},
		[]string{"Electrosurgical Units", "Electrosurgical Unit, General Purpose", "ESU", "ELECTROSURGICAL UNIT", "Bovie"}},
	{"compression_device", "Sequential compression device", 0.080, 0.0, 12, 8, 2, 2, 0,
		ca{CareICU: 1, CareOR: 1, CareInpatient: 6, CareED: 0.2, CareNonClinical: 0.3},
		[]string{"Compression Units, Intermittent", "SCD", "SEQUENTIAL COMPRESSION DEVICE", "Pump, Compression, DVT"}},
	{"thermometer", "Electronic thermometer", 0.030, 0.05, 12, 6, 2, 1, -1,
		ca{CareInpatient: 4, CareED: 1, CareOutpatient: 2, CareICU: 0.5, CareNICU: 0.3},
		[]string{"Thermometers, Electronic", "THERMOMETER", "Temporal Thermometer", "Thermometer, Electronic"}},
	{"suction_regulator", "Suction regulator", 0.0295, 0.0, 12, 8, 3, 1, -1,
		ca{CareICU: 2, CareOR: 2, CareED: 1, CareInpatient: 3, CareProcedural: 0.5},
		[]string{"Regulators, Vacuum", "Suction Regulator", "SUCTION REGULATOR", "Vacuum Regulator"}},
}

// Modalities returns the modality table in catalogue order (largest groups
// are not necessarily first). The copy is the caller's to modify.
func Modalities() []Modality {
	out := make([]Modality, len(modalities))
	for i, m := range modalities {
		out[i] = copyModality(m)
	}
	return out
}

// ModalityByCode returns the modality with the given code.
func ModalityByCode(code string) (Modality, bool) {
	for _, m := range modalities {
		if m.Code == code {
			return copyModality(m), true
		}
	}
	return Modality{}, false
}

func copyModality(m Modality) Modality {
	w := make(map[string]float64, len(m.CareAreas))
	for k, v := range m.CareAreas {
		w[k] = v
	}
	m.CareAreas = w
	m.DeviceTypes = append([]string(nil), m.DeviceTypes...)
	return m
}

// ModalityForDeviceType maps a device-type spelling from a CMMS, a CMDB
// class or a monitoring tool's device type to a modality (code and name).
func ModalityForDeviceType(s string) (code, name string, ok bool) {
	m, ok := deviceTypeIndex[foldKey(s)]
	return m[0], m[1], ok
}

var deviceTypeIndex = func() map[string][2]string {
	idx := map[string][2]string{}
	for _, mo := range modalities {
		v := [2]string{mo.Code, mo.Name}
		for _, s := range append([]string{mo.Code, mo.Name}, mo.DeviceTypes...) {
			idx[foldKey(s)] = v
		}
	}
	return idx
}()

// foldKey keeps letters and digits, lower-cased, so that spellings differing
// only in case, spaces and punctuation meet.
func foldKey(s string) string {
	b := make([]rune, 0, len(s))
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b = append(b, r)
		}
	}
	return string(b)
}
