package catalog

// Model is one make/model. It sits between Modality and the individual asset:
// advisories, MDS2 forms and SBOMs are published per model, and imports must
// recognise a model under its name, its model number and local spellings.
type Model struct {
	// Manufacturer is the canonical manufacturer name (see Manufacturer).
	Manufacturer string
	// Modality is the modality code (see Modality).
	Modality string
	// Name is the marketed name, e.g. "Alaris PC Unit".
	Name string
	// ModelNumber is the model or catalogue number, e.g. "8015"; may be "".
	ModelNumber string
	// NameVariants are other spellings seen in CMMS, CMDB and monitoring
	// exports ("Alaris 8015 PC unit", "PC Unit", "8015").
	NameVariants []string
	// FirmwareVersions are realistic software/firmware versions, oldest
	// first. Several are versions named in CISA ICSMA advisories so demo
	// data exercises advisory matching.
	FirmwareVersions []string
	// EndOfSupport is the manufacturer's end-of-support date (YYYY-MM-DD),
	// "" when still supported or unknown. Dates are illustrative.
	EndOfSupport string
}

func v(s ...string) []string { return s }

var models = []Model{
	// Infusion pumps (large-volume).
	{"BD", "infusion_pump", "Alaris PC Unit", "8015", v("Alaris 8015 PC unit", "PC Unit", "8015", "Alaris PC", "ALARIS PCU", "BD Alaris Point-of-Care Unit (PCU) Model 8015"), v("9.13", "9.19", "9.33", "9.5", "9.7", "12.1.0", "12.1.2", "12.1.3", "12.3.0"), ""},
	{"BD", "infusion_pump", "Alaris LVP Module", "8100", v("Alaris Pump Module", "8100", "LVP Module", "Alaris 8100", "ALARIS LVP"), v("9.19", "9.33", "12.1.0", "12.1.3"), ""},
	{"BD", "infusion_pump", "Alaris 8000 PC Unit", "8000", v("Alaris 8000 PC unit", "Medley 8000", "8000", "Alaris Medley"), v("8.2", "9.1", "9.7"), "2016-12-31"},
	{"BD", "infusion_pump", "Alaris GP Volumetric Pump", "9002", v("Alaris GP", "GP Volumetric", "9002"), v("1.3.4", "1.7.3"), ""},
	{"ICU Medical", "infusion_pump", "Plum 360", "30010", v("Plum 360", "PLUM360", "Hospira Plum 360", "Plum 360 Infusion System", "30010"), v("15.00", "15.1", "15.10", "15.11", "15.2"), ""},
	{"ICU Medical", "infusion_pump", "Plum A+", "11971", v("Plum A Plus", "PLUM A+", "Plum A+ 3", "11971", "Hospira Plum A+"), v("13.4", "13.41", "13.6"), "2023-06-30"},
	{"ICU Medical", "infusion_pump", "Symbiq", "16026", v("Hospira Symbiq", "SYMBIQ", "Symbiq Infuser"), v("3.12", "3.13"), "2016-12-31"},
	{"ICU Medical", "infusion_pump", "Plum Duo", "40074", v("Plum Duo", "PLUM DUO", "Plum Duo Precision IV Pump"), v("1.0", "1.1"), ""},
	{"Baxter", "infusion_pump", "Sigma Spectrum", "35700BAX2", v("Spectrum", "Sigma Spectrum V8", "SPECTRUM V8", "35700BAX2", "Spectrum Infusion System"), v("6.02.09", "6.05.14", "8.00.01", "8.01.01"), ""},
	{"Baxter", "infusion_pump", "Spectrum IQ", "35700BAX3", v("Spectrum IQ", "SPECTRUM IQ", "Sigma Spectrum IQ", "35700BAX3"), v("9.00.00", "9.01.01", "9.02.00"), ""},
	{"Baxter", "infusion_pump", "Flo-Gard 6301", "2M8064", v("FloGard 6301", "Flo-Gard Dual", "6301"), v("3.0", "3.1"), "2019-12-31"},
	{"B. Braun", "infusion_pump", "Infusomat Space", "8713050U", v("Infusomat Space LVP", "Space LVP", "INFUSOMAT SPACE", "8713050U", "Infusomat Space Large Volume Pump"), v("686U", "U61", "L81", "012U000061", "028U000092"), ""},
	{"B. Braun", "infusion_pump", "Outlook 400ES", "621-400ES", v("Outlook 400", "OUTLOOK ES", "Outlook Safety Infusion System"), v("1.4", "1.6"), "2021-12-31"},
	{"Fresenius Kabi", "infusion_pump", "Agilia VP MC WiFi", "Z022405", v("Volumat Agilia", "Agilia VP", "AGILIA VP MC", "Agilia Connect VP"), v("D15", "D25", "D30"), ""},
	{"Fresenius Kabi", "infusion_pump", "Ivenix Infusion System LVP", "LVP-1000", v("Ivenix LVP", "Ivenix Large Volume Pump", "IVENIX"), v("5.6.0", "5.7.1", "5.8.0"), ""},
	{"Mindray", "infusion_pump", "BeneFusion VP5", "VP5", v("BeneFusion VP5", "VP5", "Benefusion VP"), v("2.0", "2.2"), ""},

	// Syringe pumps.
	{"Smiths Medical", "syringe_pump", "Medfusion 4000", "4000", v("Medfusion 4000 Syringe Pump", "MEDFUSION 4000", "MF4000", "4000"), v("1.1.2", "1.5.0", "1.6.1", "1.7.0"), ""},
	{"Smiths Medical", "syringe_pump", "Medfusion 3500", "3500", v("Medfusion 3500", "MEDFUSION 3500", "3500"), v("5.0", "6.0", "6.1"), "2020-12-31"},
	{"BD", "syringe_pump", "Alaris Syringe Module", "8110", v("Alaris 8110", "Syringe Module", "8110", "ALARIS SYRINGE"), v("9.19", "9.33", "12.1.0"), ""},
	{"BD", "syringe_pump", "Alaris GH Plus", "80033UNS01", v("Alaris GH", "GH Plus", "Alaris GH Guardrails"), v("2.3.1", "2.3.6", "3.1.0"), ""},
	{"BD", "syringe_pump", "Alaris CC Plus", "80043UNS01", v("Alaris CC", "CC Plus"), v("2.3.1", "2.3.6", "3.1.0"), ""},
	{"BD", "syringe_pump", "Alaris TIVA", "80053UN01", v("Alaris TIVA", "TIVA Pump"), v("2.3.6", "3.1.0"), ""},
	{"B. Braun", "syringe_pump", "Perfusor Space", "8713030U", v("Perfusor Space Syringe Pump", "PERFUSOR SPACE", "8713030U"), v("686U", "U61", "L81"), ""},
	{"Fresenius Kabi", "syringe_pump", "Agilia SP MC WiFi", "Z022406", v("Injectomat Agilia", "Agilia SP", "AGILIA SP MC"), v("D15", "D25", "D30"), ""},

	// PCA pumps.
	{"BD", "pca_pump", "Alaris PCA Module", "8120", v("Alaris 8120", "PCA Module", "8120"), v("9.19", "9.33", "12.1.0"), ""},
	{"ICU Medical", "pca_pump", "LifeCare PCA", "20709", v("LifeCare PCA 3", "Hospira PCA", "LIFECARE PCA", "PCA3"), v("412", "7.0"), "2019-06-30"},
	{"Smiths Medical", "pca_pump", "CADD-Solis", "2110", v("CADD Solis", "CADD-SOLIS", "Solis PCA", "2110"), v("3.0", "4.1", "4.3"), ""},
	{"Smiths Medical", "pca_pump", "CADD-Prizm PCS II", "6101", v("CADD Prizm", "CADD-PRIZM", "6101"), v("2.1", "2.4"), "2018-12-31"},
	{"ICU Medical", "pca_pump", "Sapphire Multi-Therapy", "15031", v("Sapphire", "SAPPHIRE", "Sapphire Infusion Pump"), v("13.14", "13.21"), ""},

	// Enteral pumps.
	{"Cardinal Health", "enteral_pump", "Kangaroo ePump", "382400", v("Kangaroo e-Pump", "KANGAROO EPUMP", "ePump"), v("2.0"), ""},
	{"Cardinal Health", "enteral_pump", "Kangaroo OMNI", "384400", v("Kangaroo Omni", "OMNI Enteral Pump"), v("1.1"), ""},
	{"Moog", "enteral_pump", "EnteraLite Infinity", "INF-0500", v("Infinity Enteral Pump", "ENTERALITE INFINITY", "Moog Infinity"), v("3.4"), ""},

	// Physiologic monitors.
	{"Philips", "physiologic_monitor", "IntelliVue MX800", "865240", v("MX800", "IntelliVue MX800 Patient Monitor", "INTELLIVUE MX800", "865240"), v("J.10.50", "L.01.24", "M.00.03", "M.04.02", "N.00.08"), ""},
	{"Philips", "physiologic_monitor", "IntelliVue MX700", "865241", v("MX700", "INTELLIVUE MX700", "865241"), v("J.10.50", "L.01.24", "M.00.03", "M.04.02"), ""},
	{"Philips", "physiologic_monitor", "IntelliVue MX450", "866062", v("MX450", "INTELLIVUE MX450", "866062"), v("J.10.50", "L.01.24", "M.00.03", "N.00.08"), ""},
	{"Philips", "physiologic_monitor", "IntelliVue MX500", "866064", v("MX500", "INTELLIVUE MX500", "866064"), v("L.01.24", "M.00.03", "N.00.08"), ""},
	{"Philips", "physiologic_monitor", "IntelliVue MP70", "M8007A", v("MP70", "IntelliVue MP70 Neonatal", "M8007A"), v("G.01.80", "H.15.41", "J.10.50"), "2020-12-31"},
	{"Philips", "physiologic_monitor", "IntelliVue MP50", "M8004A", v("MP50", "M8004A"), v("G.01.80", "H.15.41", "J.10.50"), "2020-12-31"},
	{"Philips", "physiologic_monitor", "IntelliVue X3", "867030", v("X3", "IntelliVue X3 Transport", "867030"), v("M.00.03", "N.00.08"), ""},
	{"Philips", "physiologic_monitor", "Efficia CM12", "863304", v("Efficia CM 12", "EFFICIA CM12", "CM12"), v("A.01.00", "B.01.02", "C.03.04"), ""},
	{"GE Healthcare", "physiologic_monitor", "CARESCAPE B450", "B450", v("Carescape B450", "B450", "CARESCAPE Monitor B450"), v("2.0.6", "2.0.12", "2.1.1"), ""},
	{"GE Healthcare", "physiologic_monitor", "CARESCAPE B650", "B650", v("Carescape B650", "B650", "CARESCAPE Monitor B650"), v("1.3.2", "2.0.6", "2.0.12", "3.0.1"), ""},
	{"GE Healthcare", "physiologic_monitor", "CARESCAPE B850", "B850", v("Carescape B850", "B850", "CARESCAPE Monitor B850"), v("1.3.2", "2.0.6", "2.0.12", "3.0.1"), ""},
	{"GE Healthcare", "physiologic_monitor", "Dash 4000", "2023856-001", v("DASH 4000", "Dash4000", "Dash 4000 Patient Monitor"), v("7.2", "7.3"), "2017-12-31"},
	{"GE Healthcare", "physiologic_monitor", "Solar 8000i", "2014999-001", v("SOLAR 8000I", "Solar 8000", "Solar8000i"), v("5.4", "6.0"), "2015-12-31"},
	{"Dräger", "physiologic_monitor", "Infinity Delta", "MS18616", v("Infinity Delta XL", "Delta XL", "INFINITY DELTA", "Delta"), v("VF8.4", "VF9.1", "VF10.1"), "2022-12-31"},
	{"Dräger", "physiologic_monitor", "Infinity Kappa", "MS14000", v("Kappa", "INFINITY KAPPA"), v("VF8.4"), "2016-12-31"},
	{"Dräger", "physiologic_monitor", "Infinity M540", "MS25510", v("M540", "Infinity Acute Care System M540", "INFINITY M540"), v("VG3.1", "VG4.0", "VG7.0"), ""},
	{"Mindray", "physiologic_monitor", "BeneVision N12", "N12", v("BeneVision N12", "N12", "BENEVISION N12"), v("01.06.00", "03.01.00"), ""},
	{"Mindray", "physiologic_monitor", "BeneVision N17", "N17", v("BeneVision N17", "N17"), v("01.06.00", "03.01.00"), ""},
	{"Mindray", "physiologic_monitor", "Passport 12m", "Passport 12m", v("PASSPORT 12M", "Passport12m", "Datascope Passport"), v("2.1.0", "2.5.0"), "2021-06-30"},
	{"Spacelabs", "physiologic_monitor", "Qube 91390", "91390", v("Qube", "QUBE", "91390", "Spacelabs Qube"), v("3.02.12", "3.05.04"), ""},
	{"Spacelabs", "physiologic_monitor", "Xprezzon 91393", "91393", v("Xprezzon", "XPREZZON", "91393"), v("3.02.12", "3.05.04"), ""},
	{"Nihon Kohden", "physiologic_monitor", "Life Scope G5 CSM-1901", "CSM-1901", v("Life Scope G5", "CSM-1901", "LIFESCOPE G5"), v("01-08", "02-03"), ""},
	{"Nihon Kohden", "physiologic_monitor", "Life Scope TR BSM-6701", "BSM-6701", v("BSM-6701A", "Life Scope TR", "BSM6701"), v("05-21", "06-12"), ""},

	// Telemetry transmitters.
	{"Philips", "telemetry_transmitter", "IntelliVue MX40", "865350", v("MX40", "IntelliVue MX40 Patient Worn Monitor", "MX40 WLAN", "865350", "865351", "865352"), v("B.05.46", "B.06.18", "B.06.56", "C.01.03"), ""},
	{"Philips", "telemetry_transmitter", "IntelliVue TRx4841A", "M4841A", v("TRx4841A", "Telemetry Transceiver TRx4841A", "M4841A"), v("A.03.01", "B.01.03"), "2021-12-31"},
	{"GE Healthcare", "telemetry_transmitter", "ApexPro CH Transmitter", "2021412-001", v("ApexPro CH", "APEXPRO CH", "ApexPro Transmitter"), v("4.2", "4.3"), ""},
	{"GE Healthcare", "telemetry_transmitter", "CARESCAPE ONE Tele", "2089100-001", v("Portrait Mobile", "CARESCAPE Tele"), v("1.0", "1.1"), ""},
	{"Mindray", "telemetry_transmitter", "TMS-6016 Transmitter", "TMS-6016", v("TMS6016", "Panorama Telepack 608", "TMS-6016"), v("1.2", "1.4"), ""},
	{"Spacelabs", "telemetry_transmitter", "Spacelabs 96281 Digital Telemetry", "96281", v("96281", "Digital Telemetry Transmitter", "SL 96281"), v("2.01", "2.03"), ""},
	{"Nihon Kohden", "telemetry_transmitter", "ZM-540PA Transmitter", "ZM-540PA", v("ZM540", "ZM-540PA", "Smart Cable Transmitter"), v("01-05"), ""},

	// Central stations.
	{"Philips", "central_station", "IntelliVue Information Center iX", "866389", v("PIC iX", "Patient Information Center iX", "IIC iX", "Philips IntelliVue Information Center iX", "866389"), v("B.02", "C.02", "C.03", "D.01"), ""},
	{"GE Healthcare", "central_station", "CARESCAPE Central Station", "CSCS", v("CSCS", "CARESCAPE CENTRAL STATION", "Carescape Central"), v("1.0", "2.0", "2.1"), ""},
	{"GE Healthcare", "central_station", "Clinical Information Center", "CIC Pro", v("CIC Pro", "CIC", "Clinical Information Center (CIC)"), v("4.1", "5.1"), "2019-12-31"},
	{"Mindray", "central_station", "BeneVision CMS", "CMS", v("BeneVision Central Monitoring System", "Mindray CMS"), v("01.14.00", "02.03.00"), ""},
	{"Spacelabs", "central_station", "XprezzNet", "96190", v("XPREZZNET", "Xprezznet Central", "96190"), v("2.2", "2.4"), ""},
	{"Nihon Kohden", "central_station", "CNS-6201 Central Station", "CNS-6201", v("CNS-6201", "CNS6201", "Central Nurse Station"), v("01-35", "02-06"), ""},
	{"Dräger", "central_station", "Infinity CentralStation Wide", "MS25771", v("Infinity CentralStation", "ICS Wide", "Infinity Central Station"), v("VG3.0", "VG4.1"), ""},

	// Vital signs monitors.
	{"Baxter", "vital_signs_monitor", "Connex Vital Signs Monitor 6000", "6000 Series", v("Connex VSM", "CVSM", "Connex 6000", "Welch Allyn Connex VSM", "6400", "6500"), v("1.8", "2.3", "2.43.00"), ""},
	{"Baxter", "vital_signs_monitor", "Connex Spot Monitor", "7100", v("Connex Spot", "CSM", "Welch Allyn Connex Spot Monitor", "71WX"), v("1.52", "1.6", "1.8"), ""},
	{"Baxter", "vital_signs_monitor", "Spot Vital Signs LXi", "45NT0", v("Spot LXi", "SPOT VITAL SIGNS", "Spot VS LXi"), v("1.2"), "2019-12-31"},
	{"Philips", "vital_signs_monitor", "SureSigns VS4", "863283", v("SureSigns VS4", "VS4", "SURESIGNS VS4", "863283"), v("A.07.107", "A.08.03"), "2022-12-31"},
	{"Philips", "vital_signs_monitor", "EarlyVue VS30", "863380", v("EarlyVue", "VS30"), v("A.01.05", "A.02.01"), ""},
	{"GE Healthcare", "vital_signs_monitor", "CARESCAPE V100", "V100", v("Dinamap Carescape V100", "DINAMAP V100", "V100"), v("1.3", "1.5"), ""},
	{"GE Healthcare", "vital_signs_monitor", "DINAMAP ProCare 400", "ProCare 400", v("Dinamap ProCare", "PROCARE 400"), v("2.0"), "2017-06-30"},
	{"Mindray", "vital_signs_monitor", "VS-900", "VS-900", v("VS900", "Mindray VS-900"), v("01.02.00", "02.01.00"), ""},

	// Pulse oximeters.
	{"Masimo", "pulse_oximeter", "Radical-7", "9642", v("Radical 7", "RADICAL-7", "Rad-7", "Masimo Radical-7"), v("7.7.1.0", "7.8.4.6", "7.9.1.5"), ""},
	{"Masimo", "pulse_oximeter", "Rad-97", "9885", v("Rad 97", "RAD-97"), v("1.2.1.0", "1.4.0.2"), ""},
	{"Masimo", "pulse_oximeter", "Root with Radical-7", "9600", v("Root", "MASIMO ROOT", "Root Patient Monitoring Platform"), v("3.1.1.1", "3.6.0.0"), ""},
	{"Medtronic", "pulse_oximeter", "Nellcor Bedside SpO2 PM1000N", "PM1000N", v("Nellcor PM1000N", "PM1000N", "N-BSPO2"), v("1.4.0.0", "1.5.0.2"), ""},
	{"Nonin", "pulse_oximeter", "7500 Tabletop Pulse Oximeter", "7500", v("Nonin 7500", "7500", "Tabletop Oximeter"), v("1.1"), ""},

	// Ventilators.
	{"Medtronic", "ventilator", "Puritan Bennett 980", "PB980", v("PB980", "PB 980", "Puritan Bennett 980 Ventilator", "PURITAN BENNETT 980"), v("1.1.0", "2.0.3", "2.2.1"), ""},
	{"Medtronic", "ventilator", "Puritan Bennett 840", "PB840", v("PB840", "PB 840", "840 Ventilator", "PURITAN BENNETT 840"), v("4.12", "5.1"), "2019-12-31"},
	{"Hamilton Medical", "ventilator", "HAMILTON-T1", "161006", v("Hamilton T1", "T1 Ventilator", "HAMILTON T1"), v("2.2.3", "2.3.1", "3.0.2"), ""},
	{"Hamilton Medical", "ventilator", "HAMILTON-C6", "161100", v("Hamilton C6", "C6", "HAMILTON C6"), v("1.1.4", "2.0.1"), ""},
	{"Hamilton Medical", "ventilator", "HAMILTON-G5", "159001", v("Hamilton G5", "G5"), v("2.81", "2.91"), "2023-12-31"},
	{"Dräger", "ventilator", "Evita V500", "8418200", v("Evita Infinity V500", "V500", "EVITA V500"), v("2.51", "2.60", "2.70"), ""},
	{"Dräger", "ventilator", "Babylog VN500", "8418300", v("Babylog VN500", "VN500", "BABYLOG VN500"), v("2.51", "2.60"), ""},
	{"Dräger", "ventilator", "Savina 300", "8421000", v("Savina 300", "SAVINA 300"), v("5.3", "6.1"), ""},
	{"Getinge", "ventilator", "Servo-u", "6694800", v("SERVO-U", "Servo U", "Maquet Servo-u"), v("4.0", "4.2", "4.4"), ""},
	{"Getinge", "ventilator", "Servo-i", "6487800", v("SERVO-I", "Servo i", "Maquet Servo-i"), v("7.0", "8.0"), "2023-12-31"},
	{"Vyaire", "ventilator", "AVEA", "16000", v("AVEA Ventilator", "CareFusion AVEA", "AVEA Comprehensive"), v("4.8", "4.8a"), "2021-12-31"},
	{"GE Healthcare", "ventilator", "CARESCAPE R860", "R860", v("Carescape R860", "R860", "Engström Carestation"), v("11", "12"), ""},
	{"Philips", "ventilator", "Respironics V60", "1053617", v("V60", "V60 Plus", "BiPAP V60"), v("2.30", "3.00"), ""},

	// Anaesthesia machines.
	{"GE Healthcare", "anesthesia_machine", "Aisys CS2", "1011-9000-000", v("Aisys CS2", "Aisys", "GE Aisys CS2"), v("10", "11", "11SP4"), ""},
	{"GE Healthcare", "anesthesia_machine", "Aespire 7900", "1009-9002-000", v("Aespire", "Aespire 7100", "Aespire 7900", "GE Aespire View"), v("4.8", "5.0"), "2022-12-31"},
	{"GE Healthcare", "anesthesia_machine", "Aestiva 7900", "1006-8500-000", v("Aestiva", "Aestiva 7900 MRI", "GE Aestiva"), v("4.5"), "2015-12-31"},
	{"GE Healthcare", "anesthesia_machine", "Carestation 650", "1012-9000-000", v("Carestation 650c", "Carestation 620", "GE Carestation"), v("1.0", "2.0"), ""},
	{"Dräger", "anesthesia_machine", "Perseus A500", "8621500", v("Perseus", "PERSEUS A500"), v("2.0", "2.03"), ""},
	{"Dräger", "anesthesia_machine", "Fabius GS premium", "8606000", v("Fabius GS", "Fabius", "FABIUS GS PREMIUM"), v("3.3", "3.4"), ""},
	{"Dräger", "anesthesia_machine", "Apollo", "8606800", v("Apollo", "DRAEGER APOLLO"), v("4.51", "4.53"), "2021-12-31"},
	{"Mindray", "anesthesia_machine", "A7 Anesthesia System", "A7", v("Mindray A7", "A7"), v("01.05.00", "02.02.00"), ""},
	{"Getinge", "anesthesia_machine", "Flow-i", "6677200", v("Flow-i C20", "FLOW-I", "Maquet Flow-i"), v("4.5", "4.7"), ""},

	// Defibrillators.
	{"ZOLL", "defibrillator", "R Series", "30410001", v("R Series ALS", "R SERIES", "Zoll R Series Plus"), v("14.20", "21.20", "21.24"), ""},
	{"ZOLL", "defibrillator", "X Series", "601-2231011", v("X Series", "X SERIES", "Zoll X Series Monitor/Defibrillator"), v("02.34", "02.36", "02.39"), ""},
	{"ZOLL", "defibrillator", "AED Plus", "20100000", v("AED Plus", "AED PLUS", "Zoll AED+"), v("5.32"), ""},
	{"ZOLL", "defibrillator", "AED 3", "9650-000100-01", v("AED 3", "ZOLL AED3"), v("02.07", "03.01"), ""},
	{"Stryker", "defibrillator", "LIFEPAK 15", "V15-2", v("LP15", "LIFEPAK 15 Monitor/Defibrillator", "Lifepak 15", "Physio-Control LP15"), v("3.01.xxx", "3.02.019", "4.01.018"), ""},
	{"Stryker", "defibrillator", "LIFEPAK 20e", "V20E", v("LP20e", "LIFEPAK 20E", "Lifepak 20e"), v("3.0.005", "3.0.020"), ""},
	{"Stryker", "defibrillator", "LIFEPAK 1000", "99425", v("LP1000", "Lifepak 1000 AED"), v("2.0"), ""},
	{"Stryker", "defibrillator", "LIFEPAK 35", "V35", v("LP35", "LIFEPAK 35"), v("1.0.3", "1.1.1"), ""},
	{"Philips", "defibrillator", "HeartStart MRx", "M3535A", v("MRx", "HEARTSTART MRX", "M3535A", "M3536A"), v("F.02.01", "F.03.03"), "2022-12-31"},
	{"Philips", "defibrillator", "HeartStart Intrepid", "867172", v("Intrepid", "HEARTSTART INTREPID"), v("A.01.04", "B.01.00"), ""},
	{"Philips", "defibrillator", "HeartStart XL+", "861290", v("XL+", "HeartStart XL Plus", "861290"), v("1.02", "1.05"), ""},
	{"Philips", "defibrillator", "HeartStart FRx", "861304", v("FRx AED", "FRX"), v("2.3"), ""},
	{"Mindray", "defibrillator", "BeneHeart D6", "D6", v("BeneHeart D6", "D6"), v("01.04.00"), ""},

	// ECG carts.
	{"Philips", "ecg_cart", "PageWriter TC70", "860315", v("TC70", "PageWriter TC70 Cardiograph", "PAGEWRITER TC70"), v("A.06.05", "A.07.01", "A.07.06"), ""},
	{"Philips", "ecg_cart", "PageWriter TC50", "860306", v("TC50", "PAGEWRITER TC50"), v("A.06.05", "A.07.01"), ""},
	{"Philips", "ecg_cart", "PageWriter TC30", "860332", v("TC30", "PAGEWRITER TC30"), v("A.06.05", "A.07.01"), ""},
	{"GE Healthcare", "ecg_cart", "MAC 5500 HD", "2020229-xxx", v("MAC5500", "MAC 5500", "MAC 5500HD"), v("010B", "011A"), "2021-12-31"},
	{"GE Healthcare", "ecg_cart", "MAC VU360", "2094283-001", v("MAC VU 360", "MACVU360"), v("1.0.1", "1.2"), ""},
	{"GE Healthcare", "ecg_cart", "MAC 2000", "2040120-001", v("MAC2000", "MAC 2000 Resting ECG"), v("1.1 SP2"), ""},
	{"Baxter", "ecg_cart", "ELI 280", "ELI280", v("Welch Allyn ELI 280", "ELI280", "BUR280", "Mortara ELI 280"), v("2.2.0", "2.3.1", "2.4.1"), ""},
	{"Baxter", "ecg_cart", "ELI 380", "ELI380", v("Welch Allyn ELI 380", "ELI380", "Mortara ELI 380"), v("2.5.0", "2.6.0", "2.7.0"), ""},
	{"Baxter", "ecg_cart", "ELI 150c", "ELI150c", v("ELI 150c", "BUR 150c"), v("2.1.0", "2.2.0"), ""},

	// Fetal monitors.
	{"Philips", "fetal_monitor", "Avalon FM30", "M2703A", v("FM30", "Avalon FM30 Fetal/Maternal Monitor", "AVALON FM30"), v("F.0.G.0", "J.3.10", "L.3.20"), ""},
	{"Philips", "fetal_monitor", "Avalon FM50", "M2705A", v("FM50", "AVALON FM50"), v("F.0.G.0", "J.3.10", "L.3.20"), ""},
	{"Philips", "fetal_monitor", "Avalon FM20", "M2702A", v("FM20", "AVALON FM20"), v("F.0.G.0", "J.3.10"), ""},
	{"GE Healthcare", "fetal_monitor", "Corometrics 259cx", "2108342-001", v("Corometrics 259", "259CX", "Coro 259cx"), v("1.3", "2.0"), ""},

	// CT scanners.
	{"GE Healthcare", "ct_scanner", "Revolution CT", "Revolution", v("Revolution CT", "REVOLUTION CT", "GE Revolution"), v("rev_ct.22", "rev_ct.24"), ""},
	{"GE Healthcare", "ct_scanner", "Optima CT660", "CT660", v("Optima CT 660", "CT660"), v("ev_ct.12", "ev_ct.16"), ""},
	{"GE Healthcare", "ct_scanner", "LightSpeed VCT", "VCT", v("LightSpeed VCT", "LIGHTSPEED VCT", "VCT 64"), v("07MW11.10"), "2018-12-31"},
	{"Siemens Healthineers", "ct_scanner", "SOMATOM Definition AS", "10590000", v("Definition AS+", "SOMATOM DEFINITION AS", "Somatom AS"), v("VA48A", "VB20A"), ""},
	{"Siemens Healthineers", "ct_scanner", "SOMATOM Force", "10876000", v("Somatom Force", "SOMATOM FORCE"), v("VB20A", "VB30A"), ""},
	{"Siemens Healthineers", "ct_scanner", "SOMATOM go.Top", "11060000", v("go.Top", "SOMATOM go.Top"), v("VA30A", "VA40A"), ""},
	{"Philips", "ct_scanner", "Brilliance 64", "728231", v("Brilliance CT 64", "BRILLIANCE 64"), v("2.6.2", "3.5.4"), "2020-12-31"},
	{"Philips", "ct_scanner", "Brilliance iCT", "728306", v("iCT 256", "BRILLIANCE ICT"), v("3.2.4", "4.1.6"), ""},
	{"Philips", "ct_scanner", "Brilliance CT Big Bore", "728243", v("Big Bore CT", "BRILLIANCE BIG BORE"), v("2.3.5", "3.5.4"), ""},
	{"Philips", "ct_scanner", "Incisive CT", "728143", v("Incisive", "INCISIVE CT"), v("4.5.1", "5.0.1"), ""},
	{"Canon Medical", "ct_scanner", "Aquilion ONE", "TSX-301C", v("Aquilion One", "AQUILION ONE", "Toshiba Aquilion ONE", "TSX-301C"), v("V8.6", "V10.2"), ""},
	{"Canon Medical", "ct_scanner", "Aquilion Prime SP", "TSX-303B", v("Aquilion Prime", "AQUILION PRIME SP"), v("V8.9", "V10.4"), ""},

	// MR scanners.
	{"GE Healthcare", "mr_scanner", "SIGNA Premier", "Premier", v("Signa Premier 3T", "SIGNA PREMIER"), v("MR29.1", "MR30.0"), ""},
	{"GE Healthcare", "mr_scanner", "Signa HDxt 1.5T", "HDxt", v("1.5T Signa HDxt", "Signa HDxt", "SIGNA HDXT"), v("HD16", "HD23"), "2020-12-31"},
	{"GE Healthcare", "mr_scanner", "Optima MR450w", "MR450w", v("Optima MR450w 1.5T", "MR450W"), v("DV25", "DV26"), ""},
	{"GE Healthcare", "mr_scanner", "Brivo MR355", "MR355", v("1.5T Brivo MR355", "Brivo MR355"), v("SV20.1", "SV23.0"), ""},
	{"Siemens Healthineers", "mr_scanner", "MAGNETOM Aera", "10496000", v("Magnetom Aera 1.5T", "MAGNETOM AERA"), v("syngo MR E11", "XA20", "XA30"), ""},
	{"Siemens Healthineers", "mr_scanner", "MAGNETOM Skyra", "10432000", v("Magnetom Skyra 3T", "MAGNETOM SKYRA"), v("syngo MR E11", "XA30"), ""},
	{"Siemens Healthineers", "mr_scanner", "MAGNETOM Vida", "11061000", v("Magnetom Vida 3T", "MAGNETOM VIDA"), v("XA11", "XA31", "XA50"), ""},
	{"Philips", "mr_scanner", "Ingenia 1.5T", "781341", v("Ingenia", "INGENIA 1.5T", "MRI 1.5T"), v("5.3.1", "5.7.1", "5.9.0"), ""},
	{"Philips", "mr_scanner", "Achieva 3.0T", "781271", v("Achieva 3T", "ACHIEVA 3.0T", "MRI 3T"), v("5.1.7", "5.3.1"), ""},
	{"Canon Medical", "mr_scanner", "Vantage Orian", "MRT-2020", v("Vantage Orian 1.5T", "VANTAGE ORIAN"), v("V6.0", "V7.0"), ""},
	{"Canon Medical", "mr_scanner", "Vantage Titan", "MRT-1504", v("Vantage Titan 1.5T", "Toshiba Vantage Titan"), v("V4.5", "V5.0"), ""},

	// Fixed X-ray and angiography.
	{"GE Healthcare", "xray_fixed", "Discovery XR656", "XR656", v("Discovery XR656", "XR656", "Discovery XR656 Plus"), v("DM.3.4", "DM.4.1"), ""},
	{"GE Healthcare", "xray_fixed", "Definium 656 HD", "656HD", v("Definium 656", "DEFINIUM 656 HD"), v("1.0", "1.4"), ""},
	{"GE Healthcare", "xray_fixed", "Innova IGS 530", "IGS 530", v("Innova IGS", "IGS530"), v("6.5", "7.0"), ""},
	{"Siemens Healthineers", "xray_fixed", "Ysio Max", "10762480", v("YSIO Max", "Ysio"), v("VF10", "VF11"), ""},
	{"Siemens Healthineers", "xray_fixed", "Artis zee", "10094141", v("Artis Zee Biplane", "ARTIS ZEE"), v("VC21", "VD11"), "2023-12-31"},
	{"Philips", "xray_fixed", "DigitalDiagnost C90", "712221", v("DigitalDiagnost", "DIGITALDIAGNOST C90"), v("1.0", "1.1"), ""},
	{"Philips", "xray_fixed", "Azurion 7", "722079", v("Azurion 7 M20", "AZURION"), v("1.2", "2.1", "3.0"), ""},
	{"Carestream", "xray_fixed", "DRX-Evolution Plus", "DRX-EVO", v("DRX Evolution", "DRX-EVOLUTION PLUS"), v("5.7", "7.1"), ""},
	{"Fujifilm", "xray_fixed", "FCR Capsula X", "CR-IR 357", v("FCR Capsula", "Capsula X", "CR-IR 357"), v("V1.2", "V2.0"), "2019-12-31"},

	// Portable X-ray.
	{"GE Healthcare", "xray_portable", "Optima XR220amx", "XR220amx", v("Optima XR220", "AMX 220"), v("2.0", "2.2"), ""},
	{"GE Healthcare", "xray_portable", "AMX Navigate", "AMX Navigate", v("AMX NAVIGATE", "Navigate"), v("1.1", "1.3"), ""},
	{"Carestream", "xray_portable", "DRX-Revolution", "DRX-REV", v("DRX Revolution", "DRX-REVOLUTION", "DRX Rev"), v("5.7", "7.1", "7.2"), ""},
	{"Siemens Healthineers", "xray_portable", "Mobilett Mira Max", "10762001", v("Mobilett Mira", "MOBILETT MIRA MAX"), v("VF10"), ""},
	{"Philips", "xray_portable", "MobileDiagnost wDR", "712301", v("MobileDiagnost", "MOBILEDIAGNOST WDR"), v("2.2", "2.3"), ""},
	{"Fujifilm", "xray_portable", "FDR Go PLUS", "DR-XD 1000", v("FDR Go", "FDR GO PLUS"), v("V5.0", "V6.1"), ""},

	// Mobile C-arms.
	{"GE Healthcare", "c_arm", "OEC 9900 Elite", "9900", v("OEC 9900", "9900 Elite", "OEC ELITE"), v("4.5", "5.0"), "2022-12-31"},
	{"GE Healthcare", "c_arm", "OEC Elite CFD", "OEC Elite CFD", v("OEC Elite", "Elite CFD"), v("1.0", "1.2"), ""},
	{"Philips", "c_arm", "Veradius Unity", "718132", v("Veradius", "VERADIUS UNITY", "718132"), v("2.0", "2.1"), ""},
	{"Philips", "c_arm", "BV Pulsera", "718095", v("Pulsera", "BV PULSERA", "718095"), v("2.3"), ""},
	{"Siemens Healthineers", "c_arm", "Cios Alpha", "10848300", v("CIOS ALPHA", "Cios Alpha C-arm"), v("VA20", "VA30"), ""},

	// Ultrasound.
	{"GE Healthcare", "ultrasound", "LOGIQ E10", "LOGIQ E10", v("Logiq E10", "LOGIQ E10s"), v("R2.5", "R3.0"), ""},
	{"GE Healthcare", "ultrasound", "LOGIQ 9", "LOGIQ 9", v("Logiq 9", "LOGIQ9"), v("BT02", "BT04", "BT06"), "2016-12-31"},
	{"GE Healthcare", "ultrasound", "Vivid E95", "Vivid E95", v("Vivid E95", "VIVID E95"), v("v203", "v204"), ""},
	{"GE Healthcare", "ultrasound", "Venue Go", "Venue Go", v("Venue GO", "VENUE GO"), v("R2", "R3"), ""},
	{"GE Healthcare", "ultrasound", "Voluson E10", "Voluson E10", v("Voluson E10", "VOLUSON E10"), v("BT19", "BT21"), ""},
	{"Philips", "ultrasound", "EPIQ 7", "795200", v("EPIQ 7G", "EPIQ", "EPIQ7"), v("VM5.0", "VM6.0", "VM9.0"), ""},
	{"Philips", "ultrasound", "Affiniti 70", "795210", v("Affiniti 70G", "AFFINITI 70"), v("VM5.0", "VM6.0", "VM9.0"), ""},
	{"Philips", "ultrasound", "CX50", "795044", v("CX50 CompactXtreme", "CX 50"), v("3.1.2", "5.0.2"), ""},
	{"Philips", "ultrasound", "ClearVue 650", "795085", v("ClearVue", "CLEARVUE 650"), v("3.1", "3.2"), "2021-12-31"},
	{"Fujifilm", "ultrasound", "SonoSite X-Porte", "P15000", v("X-Porte", "SONOSITE X-PORTE"), v("1.1", "1.8"), ""},
	{"Fujifilm", "ultrasound", "SonoSite Edge II", "P19000", v("Edge II", "SONOSITE EDGE 2"), v("1.4", "2.1"), ""},
	{"Fujifilm", "ultrasound", "SonoSite PX", "P26000", v("Sonosite PX", "PX"), v("1.0", "1.3"), ""},
	{"Siemens Healthineers", "ultrasound", "ACUSON Sequoia", "11063100", v("Acuson Sequoia", "SEQUOIA"), v("VA20", "VA30"), ""},
	{"Canon Medical", "ultrasound", "Aplio i800", "TUS-AI800", v("Aplio i800", "APLIO I800", "Toshiba Aplio"), v("V5.0", "V6.0"), ""},

	// Laboratory analysers.
	{"Roche", "lab_analyzer", "cobas 8000", "cobas 8000", v("Cobas 8000", "COBAS 8000 MODULAR"), v("05-01", "06-02"), ""},
	{"Roche", "lab_analyzer", "cobas 6000", "cobas 6000", v("Cobas 6000", "COBAS 6000"), v("05-01", "05-02"), "2024-12-31"},
	{"Roche", "lab_analyzer", "cobas pure", "cobas pure", v("COBAS PURE", "Cobas Pure integrated solutions"), v("01-03", "01-05"), ""},
	{"Abbott", "lab_analyzer", "ARCHITECT ci4100", "ci4100", v("Architect ci4100", "ARCHITECT"), v("9.45", "9.50"), ""},
	{"Abbott", "lab_analyzer", "Alinity ci", "Alinity ci", v("Alinity", "ALINITY CI"), v("3.2", "3.4"), ""},
	{"Beckman Coulter", "lab_analyzer", "DxH 800", "B23858", v("UniCel DxH 800", "DXH800", "DxH800"), v("3.0.2", "3.1.1"), ""},
	{"Beckman Coulter", "lab_analyzer", "AU5800", "B44770", v("AU 5800", "AU5800 Chemistry"), v("6.3", "7.0"), ""},
	{"Beckman Coulter", "lab_analyzer", "Access 2", "81600N", v("Access II", "ACCESS 2 IMMUNOASSAY"), v("3.4", "3.5"), ""},
	{"Siemens Healthineers", "lab_analyzer", "Atellica Solution", "11067000", v("Atellica", "ATELLICA CH 930"), v("1.24", "1.27"), ""},
	{"Siemens Healthineers", "lab_analyzer", "ADVIA Centaur XP", "10282000", v("Centaur XP", "ADVIA CENTAUR XP"), v("6.3", "6.5"), ""},
	{"Sysmex", "lab_analyzer", "XN-1000", "XN-1000", v("XN1000", "Sysmex XN-1000"), v("00-22", "00-25"), ""},
	{"Sysmex", "lab_analyzer", "XN-3000", "XN-3000", v("XN3000", "Sysmex XN-3000"), v("00-22", "00-25"), ""},
	{"BD", "lab_analyzer", "BD FACSLyric", "FACSLyric", v("FACSLyric", "FACS Lyric Flow Cytometer"), v("1.3", "1.4"), ""},
	{"BD", "lab_analyzer", "BD Kiestra TLA", "Kiestra TLA", v("Kiestra", "Kiestra TLA InoqulA+"), v("3.0.0.0", "3.1.0"), ""},
	{"BD", "lab_analyzer", "BD BACTEC FX", "441385", v("BACTEC FX", "BACTEC"), v("4.0", "5.1"), ""},

	// Blood-gas analysers.
	{"Radiometer", "blood_gas_analyzer", "ABL90 FLEX PLUS", "393-840", v("ABL90", "ABL90 FLEX", "ABL 90 Flex Plus"), v("3.4", "3.5", "4.0"), ""},
	{"Radiometer", "blood_gas_analyzer", "ABL800 FLEX", "393-800", v("ABL800", "ABL 800 Flex"), v("6.16", "6.18"), "2024-06-30"},
	{"Siemens Healthineers", "blood_gas_analyzer", "RAPIDPoint 500e", "11417306", v("RAPIDPoint 500", "RAPIDPOINT 500E", "RP500"), v("5.0", "5.1"), ""},
	{"Werfen", "blood_gas_analyzer", "GEM Premier 5000", "00057000", v("GEM 5000", "GEM PREMIER 5000"), v("5.2", "5.6"), ""},
	{"Abbott", "blood_gas_analyzer", "i-STAT 1", "300-G", v("iSTAT", "i-STAT 1 Handheld", "ISTAT 1"), v("JAMS 136", "JAMS 143"), ""},
	{"Roche", "blood_gas_analyzer", "cobas b 221", "cobas b 221", v("Cobas b221", "COBAS B 221"), v("9.0", "10.0"), ""},

	// Point-of-care meters.
	{"Roche", "poc_analyzer", "Accu-Chek Inform II", "05060311001", v("Accu-Chek Inform 2", "ACCU-CHEK INFORM II", "Inform II"), v("02.06.01", "03.02.05", "04.01.00"), ""},
	{"Roche", "poc_analyzer", "CoaguChek XS Pro", "CoaguChek XS Pro", v("CoaguChek XS Pro", "COAGUCHEK"), v("01.01.02", "01.03.05"), ""},
	{"Roche", "poc_analyzer", "cobas h 232 POC", "cobas h 232", v("Cobas h232", "COBAS H 232"), v("01.03.02", "02.01.00"), ""},
	{"Nova Biomedical", "poc_analyzer", "StatStrip Glucose", "53325", v("StatStrip", "STATSTRIP", "Nova StatStrip"), v("2.2", "2.3"), ""},
	{"Abbott", "poc_analyzer", "FreeStyle Precision Pro", "71418-01", v("Precision Pro", "FREESTYLE PRECISION PRO"), v("1.2"), ""},

	// Beds and stretchers.
	{"Baxter", "hospital_bed", "Centrella Smart+ Bed", "P7900", v("Centrella", "CENTRELLA SMART+", "Hill-Rom Centrella", "P7900"), v("1.3", "2.0", "2.2"), ""},
	{"Baxter", "hospital_bed", "Progressa Bed", "P7500", v("Progressa", "PROGRESSA", "Hillrom Progressa"), v("4.1", "4.3"), ""},
	{"Baxter", "hospital_bed", "VersaCare Bed", "P3200", v("VersaCare", "VERSACARE", "Hill-Rom VersaCare"), v("2.7"), ""},
	{"Baxter", "hospital_bed", "TotalCare Bed", "P1900", v("TotalCare", "TOTAL CARE BED"), v("1.9"), "2020-12-31"},
	{"Stryker", "hospital_bed", "S3 MedSurg Bed", "3002", v("S3 Bed", "S3 MED SURG", "3002"), v("1.1"), ""},
	{"Stryker", "hospital_bed", "ProCuity Bed", "3009", v("ProCuity", "PROCUITY", "ProCuity Z"), v("1.0", "1.2"), ""},
	{"Stryker", "hospital_bed", "InTouch Critical Care Bed", "FL27", v("InTouch", "INTOUCH", "FL27"), v("3.5"), ""},
	{"Stryker", "hospital_bed", "Prime Series Stretcher", "1115", v("Prime Stretcher", "PRIME SERIES", "1115"), v("1.0"), ""},

	// Medication dispensing and pharmacy automation.
	{"BD", "medication_cabinet", "Pyxis MedStation ES", "MedStation ES", v("Pyxis ES", "PYXIS MEDSTATION ES", "BD Pyxis MedStation ES System"), v("1.3.4", "1.5.3", "1.6.1", "1.7.0"), ""},
	{"BD", "medication_cabinet", "Pyxis MedStation 4000", "MedStation 4000", v("Pyxis 4000", "MEDSTATION 4000", "BD Pyxis MedStation 4000"), v("4.4", "4.9", "4.12"), "2023-12-31"},
	{"BD", "medication_cabinet", "Pyxis Anesthesia Station ES", "Anesthesia Station ES", v("Pyxis Anesthesia ES", "PAS ES", "BD Pyxis Anesthesia (PAS) ES System"), v("1.5.3", "1.6.1"), ""},
	{"Omnicell", "medication_cabinet", "XT Automated Dispensing Cabinet", "XT", v("Omnicell XT", "XT Series", "OMNICELL XT ADC"), v("22.1", "23.2"), ""},
	{"Omnicell", "medication_cabinet", "G4 Automated Dispensing Cabinet", "G4", v("Omnicell G4", "OmniRx G4"), v("16.1", "17.3"), "2021-12-31"},
	{"Baxter", "medication_cabinet", "ExactaMix EM2400", "EM2400", v("ExactaMix 2400", "EXACTAMIX EM2400"), v("1.10", "1.11", "1.13", "1.14"), ""},

	// Dialysis and CRRT.
	{"Fresenius Medical Care", "dialysis", "2008T", "2008T", v("2008T Hemodialysis Machine", "2008 T", "FMC 2008T"), v("2.72", "2.80", "2.88"), ""},
	{"Fresenius Medical Care", "dialysis", "NxStage System One", "NX1000", v("System One", "NXSTAGE SYSTEM ONE"), v("4.0", "5.1"), ""},
	{"Baxter", "dialysis", "PrisMax", "PrisMax", v("Prismax", "PRISMAX CRRT"), v("2.0", "2.2", "3.1"), ""},
	{"Baxter", "dialysis", "PrismaFlex", "PrismaFlex", v("Prismaflex", "PRISMAFLEX"), v("7.21", "8.10"), "2025-12-31"},
	{"Baxter", "dialysis", "Phoenix Hemodialysis Delivery System", "Phoenix", v("Phoenix X36", "PHOENIX"), v("3.36", "3.40"), ""},
	{"B. Braun", "dialysis", "Dialog+", "710200", v("Dialog Plus", "DIALOG+"), v("9.1", "9.2"), ""},

	// Patient warming.
	{"Solventum", "patient_warming", "Bair Hugger 775", "77500", v("Bair Hugger", "BAIR HUGGER 775", "3M Bair Hugger 775"), nil, ""},
	{"Solventum", "patient_warming", "Ranger Blood/Fluid Warmer 245", "24500", v("Ranger 245", "RANGER WARMER"), nil, ""},
	{"Gentherm", "patient_warming", "Blanketrol III", "233", v("Blanketrol 3", "BLANKETROL III", "CSZ Blanketrol"), v("1.0"), ""},
	{"Stryker", "patient_warming", "Medi-Therm III", "MTA7912", v("Medi-Therm", "MEDI-THERM III"), v("1.0"), ""},

	// Neonatal incubators and warmers.
	{"GE Healthcare", "neonatal_incubator", "Giraffe OmniBed Carestation", "M1200230", v("Giraffe OmniBed", "OMNIBED", "Giraffe Carestation"), v("2.2", "3.0"), ""},
	{"GE Healthcare", "neonatal_incubator", "Giraffe Warmer", "M1120000", v("Giraffe Infant Warmer", "GIRAFFE WARMER"), v("1.9"), ""},
	{"Dräger", "neonatal_incubator", "Isolette 8000 plus", "MU23200", v("Isolette 8000", "ISOLETTE 8000 PLUS"), v("1.0", "1.1"), ""},
	{"Dräger", "neonatal_incubator", "Babyleo TN500", "MU24100", v("Babyleo", "BABYLEO TN500"), v("1.0", "1.2"), ""},

	// Electrosurgical units.
	{"Medtronic", "esu", "Valleylab FT10 Energy Platform", "VLFT10GEN", v("Valleylab FT10", "FT10", "VLFT10GEN", "ForceTriad FT10"), v("2.0.3", "2.1.0", "4.0.0"), ""},
	{"Medtronic", "esu", "Valleylab LS10", "VLLS10GEN", v("LS10", "Valleylab LS10 Energy Platform", "VLLS10GEN"), v("1.20.2", "1.40.0"), ""},
	{"Medtronic", "esu", "Force FX-C", "FORCE FX-8C", v("Force FX", "FORCE FX-C", "Valleylab Force FX"), v("4.6"), "2019-12-31"},
	{"Erbe", "esu", "VIO 300 D", "10140-100", v("VIO 300D", "ERBE VIO 300 D"), v("2.2.8", "2.4.5"), ""},
	{"Erbe", "esu", "VIO 3", "10160-000", v("VIO3", "ERBE VIO 3"), v("1.6.1", "1.9.2"), ""},
	{"CONMED", "esu", "System 5000", "60-8005-001", v("Conmed 5000", "SYSTEM 5000 ESU"), v("1.4"), ""},

	// Sequential compression devices.
	{"Cardinal Health", "compression_device", "Kendall SCD 700", "29525", v("SCD 700", "KENDALL SCD 700", "Kendall SCD"), nil, ""},
	{"Cardinal Health", "compression_device", "Kendall SCD Express", "9525", v("SCD Express", "SCD EXPRESS"), nil, "2019-12-31"},
	{"Stryker", "compression_device", "SCD Compression Pump ActiveCare+", "ActiveCare+", v("ActiveCare", "ACTIVECARE+"), nil, ""},

	// Thermometers.
	{"Exergen", "thermometer", "TemporalScanner TAT-5000", "TAT-5000", v("TAT 5000", "TEMPORAL SCANNER", "TAT5000"), nil, ""},
	{"Baxter", "thermometer", "SureTemp Plus 690", "01690-200", v("SureTemp 690", "SURETEMP PLUS", "Welch Allyn SureTemp"), nil, ""},
	{"Cardinal Health", "thermometer", "Genius 3 Tympanic Thermometer", "303000", v("Genius 3", "GENIUS 3"), nil, ""},

	// Suction regulators.
	{"Ohio Medical", "suction_regulator", "Intermittent Suction Unit", "1000-3030-901", v("Ohio ISU", "INTERMITTENT SUCTION"), nil, ""},
	{"Ohio Medical", "suction_regulator", "Continuous Vacuum Regulator", "1000-3012-901", v("Vacuum Regulator", "CVR"), nil, ""},
}

// Models returns the model table (a copy), grouped by modality.
func Models() []Model {
	out := make([]Model, len(models))
	for i, m := range models {
		m.NameVariants = append([]string(nil), m.NameVariants...)
		m.FirmwareVersions = append([]string(nil), m.FirmwareVersions...)
		out[i] = m
	}
	return out
}

// ModelsByModality returns the models of one modality, in catalogue order
// (the order is used as a popularity ranking by the demo generator).
func ModelsByModality(code string) []Model {
	var out []Model
	for _, m := range Models() {
		if m.Modality == code {
			out = append(out, m)
		}
	}
	return out
}
