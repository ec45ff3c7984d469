package demo

// ModalityAssessment is the demo's reasoned default assessment of one
// modality: the data points other than life-safety (which comes from the
// catalog's Fennigkoh–Smith components) and acuity (which comes from the
// department each device sits in), each with a one-line reason.
type ModalityAssessment struct {
	Code         string
	PHI          string
	LargePHI     string
	CareDelivery int
	Lateral      int
	Financial    int
	Reputational int
	// Why gives the reason of PHI/large PHI, care delivery, lateral,
	// financial and reputational, in that order.
	Why [5]string
}

// Assessments are the demo's default assessments, one per catalog modality.
var Assessments = []ModalityAssessment{
	{"infusion_pump", "yes", "no", 4, 4, 3, 5, [5]string{"drug library and patient IDs, a few records at a time", "fleet-wide loss halts IV therapy; manual gravity drips are a slow workaround", "Wi-Fi to the pump server on the clinical network", "fleet replacement costs hundreds of thousands", "a pump hack is national news"}},
	{"syringe_pump", "yes", "no", 4, 3, 2, 4, [5]string{"patient and drug data during infusion", "critical-care infusions postponed without them", "usually on a segmented VLAN to the pump server", "moderate unit cost", "harm to neonates or ICU patients draws regional attention"}},
	{"pca_pump", "yes", "no", 3, 4, 2, 4, [5]string{"patient and dose history", "analgesia moves to nurse-given doses: workflow disrupted", "Wi-Fi to the pump server", "moderate fleet cost", "overdose incidents draw media attention"}},
	{"enteral_pump", "no", "no", 2, 1, 1, 2, [5]string{"no stored patient identity", "feeds can be given by gravity: minor delay", "not networked", "cheap units", "local awareness at most"}},
	{"physiologic_monitor", "yes", "no", 5, 4, 3, 4, [5]string{"vital-sign waveforms with patient identity", "unmonitored critical patients: care stops or diverts", "on the monitoring network routed to the EHR interface", "monitors and central stations are costly", "missed alarms make regional news"}},
	{"telemetry_transmitter", "yes", "no", 4, 3, 2, 3, [5]string{"transmits ECG tied to a patient", "telemetry beds cannot be filled", "on a dedicated telemetry network", "moderate replacement cost", "local media if alarms are missed"}},
	{"central_station", "yes", "yes", 5, 5, 4, 5, [5]string{"stores days of waveforms for every monitored bed", "unit-wide monitoring lost: diversion", "gateway to the EHR and often vendor remote access", "servers and licences are costly", "national news if compromised"}},
	{"vital_signs_monitor", "yes", "no", 2, 4, 2, 2, [5]string{"spot checks sent to the EHR with patient ID", "manual vitals are a minor delay", "Wi-Fi on the clinical network", "cheap units", "local awareness"}},
	{"pulse_oximeter", "no", "no", 2, 1, 1, 2, [5]string{"no stored identity", "spares are easy to find", "standalone", "cheap", "local awareness"}},
	{"ventilator", "yes", "no", 5, 3, 4, 5, [5]string{"settings and trends tied to the patient", "no ventilation means care stops", "networked only to a segmented gateway", "costly and scarce", "a ventilator incident is national news"}},
	{"anesthesia_machine", "yes", "no", 5, 3, 4, 5, [5]string{"case records with patient ID", "surgery stops", "segmented link to the anaesthesia record system", "costly", "national news"}},
	{"defibrillator", "yes", "no", 4, 2, 3, 4, [5]string{"code records with patient data", "codes delayed until a spare arrives", "docks point-to-point for data upload", "moderate fleet cost", "regional attention"}},
	{"ecg_cart", "yes", "yes", 3, 4, 2, 3, [5]string{"stores thousands of ECGs with demographics", "ECGs delayed; manual workaround", "routed to the ECG management system", "moderate cost", "local media"}},
	{"fetal_monitor", "yes", "yes", 4, 4, 3, 4, [5]string{"labour records of every delivery", "labour and delivery degraded", "routed to the perinatal system", "moderate cost", "regional attention"}},
	{"ct_scanner", "yes", "yes", 4, 4, 5, 4, [5]string{"image archive of thousands of patients", "stroke and trauma imaging postponed", "routed to PACS and often vendor remote service", "≥ $1M and large daily revenue", "regional news"}},
	{"mr_scanner", "yes", "yes", 3, 4, 5, 3, [5]string{"image archive of thousands of patients", "elective imaging postponed", "routed to PACS, vendor remote service", "≥ $1M and large daily revenue", "local media"}},
	{"xray_fixed", "yes", "yes", 4, 4, 4, 3, [5]string{"image archive", "procedures in the suite postponed", "routed to PACS", "major cost", "local media"}},
	{"xray_portable", "yes", "no", 3, 4, 3, 2, [5]string{"images held until sent", "bedside imaging delayed", "Wi-Fi to PACS", "moderate cost", "local awareness"}},
	{"c_arm", "yes", "no", 3, 3, 3, 2, [5]string{"images held until sent", "intraoperative imaging postponed", "segmented link to PACS", "moderate cost", "local awareness"}},
	{"ultrasound", "yes", "yes", 3, 4, 3, 3, [5]string{"stores studies of many patients", "scans delayed; other machines can cover", "routed to PACS", "moderate cost", "local media"}},
	{"lab_analyzer", "yes", "yes", 4, 4, 4, 3, [5]string{"results of thousands of patients", "lab turnaround stops; send-outs are slow", "routed to the LIS", "major cost and lost revenue", "local media"}},
	{"blood_gas_analyzer", "yes", "no", 4, 4, 3, 3, [5]string{"recent patient results", "critical-care blood gases delayed", "routed to the LIS", "moderate cost", "local media"}},
	{"poc_analyzer", "yes", "no", 2, 3, 2, 2, [5]string{"recent results with patient ID", "lab can run the tests: minor delay", "docks to a middleware server", "cheap units, moderate fleet", "local awareness"}},
	{"hospital_bed", "no", "no", 1, 1, 2, 1, [5]string{"no patient data", "spare beds at hand", "rarely networked (nurse call only)", "fleet cost moderate", "internal only"}},
	{"medication_cabinet", "yes", "yes", 4, 4, 3, 4, [5]string{"dispensing records of every patient on the unit", "medication access slowed to manual override", "routed to the pharmacy system", "moderate cost", "diversion or breach draws regional media"}},
	{"dialysis", "yes", "no", 4, 2, 3, 3, [5]string{"treatment records with patient ID", "treatments postponed", "point-to-point to the charting system", "moderate cost", "local media"}},
	{"patient_warming", "no", "no", 2, 1, 1, 1, [5]string{"no patient data", "blankets are a workaround", "not networked", "cheap", "internal only"}},
	{"neonatal_incubator", "no", "no", 4, 2, 3, 4, [5]string{"no stored identity", "neonates need another warmer at once", "rarely networked, point-to-point", "moderate cost", "neonatal harm is regional news"}},
	{"esu", "no", "no", 3, 1, 2, 2, [5]string{"no patient data", "surgery waits for a spare", "not networked", "moderate cost", "local awareness"}},
	{"compression_device", "no", "no", 1, 1, 1, 1, [5]string{"no patient data", "spares at hand", "not networked", "cheap", "internal only"}},
	{"thermometer", "no", "no", 1, 1, 1, 1, [5]string{"no stored identity", "spares at hand", "not networked", "cheap", "internal only"}},
	{"suction_regulator", "no", "no", 2, 1, 1, 1, [5]string{"no patient data", "portable suction covers", "not networked", "cheap", "internal only"}},
}
