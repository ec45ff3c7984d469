package mds2

// Fixture generator: builds synthetic but realistic HN 1-2019 and HN 1-2013
// MDS2 workbooks with excelize. Question IDs and wording follow the public
// NEMA form layouts (abridged); the device, manufacturer and answers are
// invented. Run `go test ./internal/mds2 -run TestFixtures -update` to
// rewrite testdata/*.xlsx.

import (
	"flag"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite testdata/*.xlsx fixtures")

type fq struct {
	id, text, answer, note string
}

// An entry with id "" is a section title row (text in the question column).
var questions2019 = []fq{
	{"", "MANUFACTURER DISCLOSURE STATEMENT FOR MEDICAL DEVICE SECURITY (DOC)", "", ""},
	{"DOC-1", "Manufacturer Name", "Acme Medical Systems, Inc.", ""},
	{"DOC-2", "Device Description", "Bedside patient monitor", ""},
	{"DOC-3", "Device Model", "CardioView 3000", ""},
	{"DOC-4", "Document ID", "ACME-CV3000-MDS2-0419", ""},
	{"DOC-5", "Manufacturer Contact Information", "Product Security Office, psirt@acme-medical.example, +1 555 0100", ""},
	{"DOC-6", "Intended use of device in network-connected environment:", "Transmits vital signs to the central station and HL7 gateway.", ""},
	{"DOC-7", "Document Release Date", "@date", ""},
	{"DOC-8", "Coordinated Vulnerability Disclosure: Does the manufacturer have a vulnerability disclosure program for this device?", "Yes", ""},
	{"DOC-9", "ISAO: Is the manufacturer part of an Information Sharing and Analysis Organization?", "yes", ""},
	{"DOC-10", "Diagram: Is a network or data flow diagram available that indicates connections to other system components or expected external resources?", "Yes", ""},
	{"DOC-11", "SaMD: Is the device Software as a Medical Device (i.e. software-only, no hardware)?", "No", ""},
	{"DOC-11.1", "Does the SaMD contain an operating system?", "N/A", ""},
	{"", "MANAGEMENT OF PERSONALLY IDENTIFIABLE INFORMATION", "", ""},
	{"MPII-1", "Can this device display, transmit, store, or modify personally identifiable information (e.g. electronic Protected Health Information (ePHI))?", "Yes", ""},
	{"MPII-2", "Does the device maintain personally identifiable information?", "Yes", ""},
	{"MPII-2.1", "Does the device maintain personally identifiable information temporarily in volatile memory (i.e., until cleared by power-off or reset)?", "Yes", ""},
	{"MPII-2.2", "Does the device store personally identifiable information persistently on internal media?", "YES ", ""},
	{"MPII-2.3", "Is personally identifiable information preserved in the device's non-volatile memory until explicitly erased?", "Yes", ""},
	{"MPII-2.4", "Does the device store personally identifiable information in a database?", "No", ""},
	{"MPII-3", "Does the device have mechanisms used for the transmitting, importing/exporting of personally identifiable information?", "Yes", ""},
	{"MPII-3.1", "Does the device display personally identifiable information (e.g., video display, etc.)?", "Yes", ""},
	{"MPII-3.7", "Does the device support Ethernet for the transmitting, importing/exporting of personally identifiable information?", "Yes", ""},
	{"MPII-3.8", "Does the device support Wi-Fi for the transmitting, importing/exporting of personally identifiable information?", "See Note", "Note 1"},
	{"", "AUTOMATIC LOGOFF (ALOF)", "", ""},
	{"ALOF-1", "Can the device be configured to force reauthorization of logged-in user(s) after a predetermined length of inactivity (e.g., auto-logoff, session lock, password protected screen saver)?", "Yes", ""},
	{"ALOF-2", "Is the length of inactivity time before auto-logoff/screen lock user or administrator configurable?", "no", ""},
	{"", "AUDIT CONTROLS (AUDT)", "", ""},
	{"AUDT-1", "Can the medical device create additional audit logs or reports beyond standard operating system logs?", "Yes", ""},
	{"AUDT-1.1", "Does the audit log record a USER ID?", "Yes", ""},
	{"AUDT-1.2", "Does other personally identifiable information exist in the audit trail?", "No", ""},
	{"AUDT-2", "Are events recorded in an audit log? If yes, indicate which of the following events are recorded in the audit log:", "Yes", ""},
	{"AUDT-2.1", "Successful login/logout attempts?", "Yes", ""},
	{"AUDT-2.2", "Unsuccessful login/logout attempts?", "Yes", ""},
	{"AUDT-2.8", "Remote or on-site support?", "Yes", ""},
	{"AUDT-4", "Is the audit log protected from unauthorized modification?", "", ""},
	{"", "AUTHORIZATION (AUTH)", "", ""},
	{"AUTH-1", "Does the device prevent access to unauthorized users through user login requirements or other mechanism?", "Yes", ""},
	{"AUTH-1.1", "Can the device be configured to use federated credentials management of users for authorization (e.g., LDAP, OAuth)?", "No", ""},
	{"AUTH-2", "Can users be assigned different privilege levels based on 'role' (e.g., user, administrator, and/or service, etc.)?", "Yes", ""},
	{"AUTH-3", "Can the device owner/operator grant themselves unrestricted administrative privileges (e.g., access operating system or application via local root or administrator account)?", "No", ""},
	{"", "CYBER SECURITY PRODUCT UPGRADES (CSUP)", "", ""},
	{"CSUP-1", "Does the device contain any software or firmware which may require security updates during its operational life, either from the device manufacturer or from a third-party manufacturer of the software/firmware? If no, answer \"N/A\" to questions in this section.", "Yes", ""},
	{"CSUP-2", "Does the device contain an Operating System? If yes, complete 2.1-2.4.", "Yes", ""},
	{"CSUP-2.1", "Does the device documentation provide instructions for owner/operator installation of patches or software updates?", "No", ""},
	{"CSUP-2.2", "Does the device require vendor or vendor-authorized service to install patches or software updates?", "Yes", ""},
	{"CSUP-2.3", "Does the device have the capability to receive remote installation of patches or software updates?", "Yes", ""},
	{"CSUP-2.4", "Does the medical device manufacturer allow security updates from any third-party manufacturers (e.g., Microsoft) to be installed without approval from the manufacturer?", "No", ""},
	{"CSUP-3", "Does the device contain Drivers and Firmware? If yes, complete 3.1-3.4.", "Yes", ""},
	{"CSUP-3.1", "Does the device documentation provide instructions for owner/operator installation of patches or software updates?", "Yes - see note 2", ""},
	{"CSUP-4", "Does the device contain Anti-Malware Software? If yes, complete 4.1-4.4.", "No", ""},
	{"CSUP-4.1", "Does the device documentation provide instructions for owner/operator installation of patches or software updates?", "N/A", ""},
	{"", "HEALTH DATA DE-IDENTIFICATION (DIDT)", "", ""},
	{"DIDT-1", "Does the device provide an integral capability to de-identify personally identifiable information?", "No", ""},
	{"", "DATA BACKUP AND DISASTER RECOVERY (DTBK)", "", ""},
	{"DTBK-1", "Does the device maintain long term primary storage of personally identifiable information / patient information (e.g. PACS)?", "No", ""},
	{"DTBK-2", "Does the device have a \"factory reset\" function to restore the original device settings as provided by the manufacturer?", "Yes", ""},
	{"", "EMERGENCY ACCESS (EMRG)", "", ""},
	{"EMRG-1", "Does the device incorporate an emergency access (i.e. \"break-glass\") feature?", "n/a", ""},
	{"", "HEALTH DATA INTEGRITY AND AUTHENTICITY (IGAU)", "", ""},
	{"IGAU-1", "Does the device provide data integrity checking mechanisms of stored health data (e.g., hash or digital signature)?", "Yes", ""},
	{"", "MALWARE DETECTION/PROTECTION (MLDP)", "", ""},
	{"MLDP-1", "Is the device capable of hosting executable software?", "Yes", ""},
	{"MLDP-2", "Does the device support the use of anti-malware software (or other anti-malware mechanism)? Provide details or reference in notes.", "No", ""},
	{"MLDP-3", "If the answer to MLDP-2 is NO, and anti-malware cannot be installed on the device, are other compensating controls in place or available?", "Yes", "Note 3"},
	{"MLDP-4", "Does the device employ application whitelisting that restricts the software and services that are permitted to be run on the device?", "Yes", ""},
	{"", "NODE AUTHENTICATION (NAUT)", "", ""},
	{"NAUT-1", "Does the device provide/support any means of node authentication that assures both the sender and the recipient of data are known to each other and are authorized to receive transferred information (e.g. Web APIs, SMTP, SNMP)?", "Yes", ""},
	{"", "PERSON AUTHENTICATION (PAUT)", "", ""},
	{"PAUT-1", "Does the device support and enforce unique IDs and passwords for all users and roles (including service accounts)?", "Yes", ""},
	{"PAUT-2", "Is the device configurable to authenticate users through an external authentication service (e.g., MS Active Directory, NDS, LDAP, OAuth, etc.)?", "No", ""},
	{"PAUT-3", "Is the device configurable to lock out a user after a certain number of unsuccessful logon attempts?", "Yes", ""},
	{"", "PHYSICAL LOCKS (PLOK)", "", ""},
	{"PLOK-1", "Is the device software only? If yes, answer \"N/A\" to remaining questions in this section.", "No", ""},
	{"PLOK-2", "Are all device components maintaining personally identifiable information (other than removable media) physically secure (i.e., cannot remove without tools)?", "Yes", ""},
	{"", "ROADMAP FOR THIRD PARTY COMPONENTS IN DEVICE LIFE CYCLE (RDMP)", "", ""},
	{"RDMP-1", "Was a secure software development process, such as ISO/IEC 27034 or IEC 62304, followed during product development?", "Yes", ""},
	{"RDMP-2", "Does the manufacturer evaluate third-party applications and software components included in the device for secure development practices?", "Yes", ""},
	{"", "SOFTWARE BILL OF MATERIALS (SBoM)", "", ""},
	{"SBOM-1", "Is the SBoM for this product available?", "Yes", "Provided as CycloneDX on request."},
	{"SBOM-2", "Does the SBoM follow a standard or common method in describing software components?", "Yes", ""},
	{"", "SYSTEM AND APPLICATION HARDENING (SAHD)", "", ""},
	{"SAHD-1", "Is the device hardened in accordance with any industry standards?", "Yes", ""},
	{"SAHD-2", "Has the device received any cybersecurity certifications?", "No", ""},
	{"", "SECURITY GUIDANCE (SGUD)", "", ""},
	{"SGUD-1", "Does the device include security documentation for the owner/operator?", "Yes", ""},
	{"", "HEALTH DATA STORAGE CONFIDENTIALITY (STCF)", "", ""},
	{"STCF-1", "Can the device encrypt data at rest?", "YES", ""},
	{"STCF-1.1", "Is all data encrypted or otherwise protected?", "Yes", ""},
	{"", "TRANSMISSION CONFIDENTIALITY (TXCF)", "", ""},
	{"TXCF-1", "Can personally identifiable information be transmitted only via a point-to-point dedicated cable?", "No", ""},
	{"TXCF-2", "Is personally identifiable information encrypted prior to transmission via a network or removable media?", "See Note", "Note 4"},
	{"TXCF-2.1", "If data is not encrypted by default, can the customer configure encryption options?", "Yes", ""},
	{"", "TRANSMISSION INTEGRITY (TXIG)", "", ""},
	{"TXIG-1", "Does the device support any mechanism (e.g., digital signatures) intended to ensure data is not modified during transmission?", "Yes", ""},
	{"", "REMOTE SERVICE (RMOT)", "", ""},
	{"RMOT-1", "Does the device permit remote service connections for device analysis or repair?", "Yes", ""},
	{"RMOT-1.1", "Does the device allow the owner/operator to initiative remote service sessions for device analysis or repair?", "Yes", ""},
	{"RMOT-2", "Does the device permit or use remote service connections for predictive maintenance data?", "No", ""},
	{"", "OTHER SECURITY CONSIDERATIONS (OTHR)", "", ""},
	{"OTHR-1", "Notes:", "", ""},
}

var notes2019 = [][2]string{
	{"Note 1", "Wi-Fi is an optional module (WLAN kit 989803) and is disabled by default."},
	{"Note 2", "Firmware updates are delivered as signed packages that biomedical engineering can install from USB."},
	{"Note 3", "Application whitelisting and a read-only system partition."},
	{"Note 4", "HL7 over TLS 1.2 to the central station; DICOM export is unencrypted unless TLS is configured."},
}

// build2019 returns a workbook in the HN 1-2019 layout: an Instructions
// sheet first, the form on "MDS2" (header labels with merged values, a
// column header row, section title rows, blank rows, messy answers) and
// the numbered notes on a separate "Notes" sheet.
func build2019() (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "Instructions"); err != nil {
		return nil, err
	}
	ins := [][]any{
		{"Instructions for the MDS2 form"},
		{"Complete all questions. Answer Yes, No, N/A or See Note; add notes on the Notes sheet."},
		{"Question IDs such as AUTH-1 refer to the form on the next sheet."},
	}
	for i, r := range ins {
		if err := f.SetSheetRow("Instructions", fmt.Sprintf("A%d", i+1), &r); err != nil {
			return nil, err
		}
	}
	const s = "MDS2"
	if _, err := f.NewSheet(s); err != nil {
		return nil, err
	}
	set := func(cell string, v any) {
		if err := f.SetCellValue(s, cell, v); err != nil {
			panic(err)
		}
	}
	merge := func(a, b string) {
		if err := f.MergeCell(s, a, b); err != nil {
			panic(err)
		}
	}
	set("A1", "Manufacturer Disclosure Statement for Medical Device Security – MDS2")
	merge("A1", "G1")
	set("A2", "Device Category")
	set("C2", "Manufacturer")
	set("E2", "Document ID")
	set("G2", "Document Release Date")
	set("A3", "Patient monitoring")
	merge("A3", "B3")
	set("C3", "Acme Medical Systems, Inc.")
	merge("C3", "D3")
	set("E3", "ACME-CV3000-MDS2-0419")
	merge("E3", "F3")
	set("G3", time.Date(2019, 11, 15, 0, 0, 0, 0, time.UTC))
	set("A4", "Device Model")
	set("C4", "Software Revision")
	set("A5", "CardioView 3000")
	merge("A5", "B5")
	set("C5", "4.2.1")
	// row 6 blank
	hdr := []any{"Question ID", "Question", "", "See note", "IEC TR 80001-2-2:2012", "NIST SP 800-53 Rev. 4", "ISO 27002:2013"}
	if err := f.SetSheetRow(s, "A7", &hdr); err != nil {
		return nil, err
	}
	row := 8
	for i, q := range questions2019 {
		if q.id == "" {
			if i > 0 {
				row++ // blank spacer row before each section
			}
			set(fmt.Sprintf("B%d", row), q.text)
			merge(fmt.Sprintf("B%d", row), fmt.Sprintf("D%d", row))
			row++
			continue
		}
		set(fmt.Sprintf("A%d", row), q.id)
		set(fmt.Sprintf("B%d", row), q.text)
		switch q.answer {
		case "@date":
			set(fmt.Sprintf("C%d", row), time.Date(2019, 11, 15, 0, 0, 0, 0, time.UTC))
		case "":
		default:
			set(fmt.Sprintf("C%d", row), q.answer)
		}
		if q.note != "" {
			set(fmt.Sprintf("D%d", row), q.note)
		}
		if len(q.id) > 4 && q.id[:4] == "AUTH" {
			set(fmt.Sprintf("E%d", row), "AUTH")
			set(fmt.Sprintf("F%d", row), "AC-3")
			set(fmt.Sprintf("G%d", row), "A.9.2.3")
		}
		row++
	}
	if _, err := f.NewSheet("Notes"); err != nil {
		return nil, err
	}
	for i, n := range notes2019 {
		r := []any{n[0], n[1]}
		if err := f.SetSheetRow("Notes", fmt.Sprintf("A%d", i+2), &r); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellValue("Notes", "A1", "Notes"); err != nil {
		return nil, err
	}
	f.SetActiveSheet(1)
	return f, nil
}

// 2013: "section" rows carry the number in id and the title in text.
var questions2013 = []fq{
	{"MPD", "MANAGEMENT OF PRIVATE DATA", "", ""},
	{"A", "Can this device display, transmit, or maintain private data (including electronic Protected Health Information [ePHI])?", "Yes", ""},
	{"B", "Types of private data elements that can be maintained by the device:", "", ""},
	{"B.1", "Demographic (e.g., name, address, location, unique identification number)?", "Yes", ""},
	{"B.2", "Medical record (e.g., medical record #, account #, test or treatment date, device identification number)?", "Yes", ""},
	{"B.3", "Diagnostic/therapeutic (e.g., photo/radiograph, test results, or physiologic data with identifying characteristics)?", "Yes", ""},
	{"B.4", "Open, unstructured text entered by device user/operator?", "No", ""},
	{"C", "Maintaining private data - Can the device:", "", ""},
	{"C.1", "Maintain private data temporarily in volatile memory (i.e., until cleared by power-off or reset)?", "Yes", ""},
	{"C.2", "Store private data persistently on local media?", "yes", ""},
	{"C.3", "Import/export private data with other systems?", "Yes", ""},
	{"D", "Mechanisms used for the transmitting, importing/exporting of private data – Can the device:", "", ""},
	{"D.1", "Display private data (e.g., video display, etc.)?", "Yes", ""},
	{"D.5", "Transmit/receive private data via a wired network connection (e.g., LAN, WAN, VPN, intranet, Internet, etc.)?", "Yes", ""},
	{"D.6", "Transmit/receive private data via an integrated wireless network connection (e.g., WiFi, Bluetooth, infrared, etc.)?", "No", ""},
	{"notes", "Management of Private Data notes:", "Private data is limited to patient demographics and waveforms.", ""},
	{"SEC", "SECURITY CAPABILITIES", "", ""},
	{"1", "AUTOMATIC LOGOFF (ALOF)", "The device's ability to prevent access and misuse by unauthorized users if device is left idle for a period of time.", ""},
	{"1-1", "Can the device be configured to force reauthorization of logged-in user(s) after a predetermined length of inactivity (e.g., auto-logoff, session lock, password protected screen saver)?", "Yes", ""},
	{"1-1.1", "Is the length of inactivity time before auto-logoff/screen lock user or administrator configurable? (Indicate time [fixed or configurable range] in notes.)", "See Note", ""},
	{"notes", "ALOF notes:", "Configurable from 1 to 60 minutes; default 15.", ""},
	{"2", "AUDIT CONTROLS (AUDT)", "The ability to reliably audit activity on the device.", ""},
	{"2-1", "Can the medical device create an audit trail?", "YES ", ""},
	{"2-2", "Indicate which of the following events are recorded in the audit log:", "", ""},
	{"2-2.1", "Login/logout", "Yes", ""},
	{"2-2.5.1", "Remote service activity", "Yes", ""},
	{"3", "AUTHORIZATION (AUTH)", "The ability of the device to determine the authorization of users.", ""},
	{"3-1", "Can the device prevent access to unauthorized users through user login requirements or other mechanism?", "Yes", ""},
	{"3-2", "Can users be assigned different privilege levels within an application based on 'roles' (e.g., guests, regular users, power users, administrators, etc.)?", "Yes", ""},
	{"4", "CONFIGURATION OF SECURITY FEATURES (CNFS)", "The ability to configure/re-configure device security capabilities to meet users' needs.", ""},
	{"4-1", "Can the device owner/operator reconfigure product security capabilities?", "No", ""},
	{"5", "CYBER SECURITY PRODUCT UPGRADES (CSUP)", "The ability of on-site service staff, remote service staff, or authorized customer staff to install/upgrade device's security patches.", ""},
	{"5-1", "Can relevant OS and device security patches be applied to the device as they become available?", "Yes", "1"},
	{"5-1.1", "Can security patches or other software be installed remotely?", "No", ""},
	{"6", "HEALTH DATA DE-IDENTIFICATION (DIDT)", "The ability of the device to directly remove information that allows identification of a person.", ""},
	{"6-1", "Does the device provide an integral capability to de-identify private data?", "No", ""},
	{"7", "DATA BACKUP AND DISASTER RECOVERY (DTBK)", "The ability to recover after damage or destruction of device data, hardware, or software.", ""},
	{"7-1", "Does the device have an integral data backup capability (i.e., backup to remote storage or removable media such as tape, disk)?", "No", ""},
	{"8", "EMERGENCY ACCESS (EMRG)", "The ability of device users to access private data in case of an emergency situation that requires immediate access to stored private data.", ""},
	{"8-1", "Does the device incorporate an emergency access (“break-glass”) feature?", "N/A", ""},
	{"9", "HEALTH DATA INTEGRITY AND AUTHENTICITY (IGAU)", "How the device ensures that data processed by the device has not been altered or destroyed in an unauthorized manner and is from the originator.", ""},
	{"9-1", "Does the device ensure the integrity of stored data with implicit or explicit error detection/correction technology?", "Yes", ""},
	{"10", "MALWARE DETECTION/PROTECTION (MLDP)", "The ability of the device to effectively prevent, detect and remove malicious software (malware).", ""},
	{"10-1", "Does the device support the use of anti-malware software (or other anti-malware mechanism)?", "No", ""},
	{"10-2", "Can the device owner install or update anti-virus software?", "No", ""},
	{"11", "NODE AUTHENTICATION (NAUT)", "The ability of the device to authenticate communication partners/nodes.", ""},
	{"11-1", "Does the device provide/support any means of node authentication that assures both the sender and the recipient of data are known to each other and are authorized to receive transferred information?", "No", ""},
	{"12", "PERSON AUTHENTICATION (PAUT)", "Ability of the device to authenticate users.", ""},
	{"12-1", "Does the device support user/operator-specific username(s) and password(s) for at least one user?", "Yes", ""},
	{"12-1.1", "Does the device support unique user/operator-specific IDs and passwords for multiple users?", "Yes", ""},
	{"12-4", "Can default passwords be changed at/prior to installation?", "Yes", ""},
	{"13", "PHYSICAL LOCKS (PLOK)", "Physical locks can prevent unauthorized users with physical access to the device from compromising the integrity and confidentiality of private data stored on the device or on removable media.", ""},
	{"13-1", "Are all device components maintaining private data (other than removable media) physically secure (i.e., cannot remove without tools)?", "Yes", ""},
	{"14", "ROADMAP FOR THIRD PARTY COMPONENTS IN DEVICE LIFE CYCLE (RDMP)", "Manufacturer's plans for security support of 3rd party components within device life cycle.", ""},
	{"14-1", "In the notes section, list the provided or required (separately purchased and/or delivered) operating system(s) - including version number(s).", "See Note", ""},
	{"notes", "RDMP notes:", "Embedded Linux 4.19 (Yocto), maintained by the manufacturer.", ""},
	{"15", "SYSTEM AND APPLICATION HARDENING (SAHD)", "The device's resistance to cyber attacks and malware.", ""},
	{"15-1", "Does the device employ any hardening measures? Please indicate in the notes the level of conformance to any industry-recognized hardening standards.", "Yes", ""},
	{"16", "SECURITY GUIDES (SGUD)", "The availability of security guidance for operator and administrator of the device and manufacturer sales and service.", ""},
	{"16-1", "Are security-related features documented for the device user?", "Yes", ""},
	{"17", "HEALTH DATA STORAGE CONFIDENTIALITY (STCF)", "The ability of the device to ensure unauthorized access does not compromise the integrity and confidentiality of private data stored on device or removable media.", ""},
	{"17-1", "Can the device encrypt data at rest?", "No", ""},
	{"18", "TRANSMISSION CONFIDENTIALITY (TXCF)", "The ability of the device to ensure the confidentiality of transmitted private data.", ""},
	{"18-1", "Can private data be transmitted only via a point-to-point dedicated cable?", "No", ""},
	{"18-2", "Is private data encrypted prior to transmission via a network or removable media? (If yes, indicate in the notes which encryption standard is implemented.)", "Yes", "2"},
	{"19", "TRANSMISSION INTEGRITY (TXIG)", "The ability of the device to ensure the integrity of transmitted private data.", ""},
	{"19-1", "Does the device support any mechanism intended to ensure data is not modified during transmission? (If yes, describe in the notes section how this is achieved.)", "Yes", ""},
	{"20", "OTHER SECURITY CONSIDERATIONS (OTHR)", "Additional security considerations/notes regarding medical device security.", ""},
	{"20-1", "Can the device be serviced remotely?", "See Note", ""},
	{"20-2", "Can the device restrict remote access to/from specified devices or users or network locations (e.g., specific IP addresses)?", "Yes", ""},
	{"notes", "OTHR notes:", "Remote service via the Acme SmartLink VPN appliance only when enabled by the hospital.", ""},
}

// build2013 returns a workbook in the HN 1-2013 layout on a sheet called
// "Form" (plus a "Notes" sheet): label/value header rows with merged value
// cells, "MANAGEMENT OF PRIVATE DATA" with lettered questions, numbered
// section title rows with a description, "XXXX notes:" rows, a column header
// "Yes, No, N/A, or See Note" and "Note #".
func build2013() (*excelize.File, error) {
	f := excelize.NewFile()
	const s = "Form"
	if err := f.SetSheetName("Sheet1", s); err != nil {
		return nil, err
	}
	set := func(cell string, v any) {
		if err := f.SetCellValue(s, cell, v); err != nil {
			panic(err)
		}
	}
	merge := func(a, b string) {
		if err := f.MergeCell(s, a, b); err != nil {
			panic(err)
		}
	}
	set("A1", "Manufacturer Disclosure Statement for Medical Device Security -- MDS2")
	merge("A1", "E1")
	set("A2", "Device Category")
	set("B2", "Manufacturer")
	set("C2", "Document ID")
	set("D2", "Document Release Date")
	set("A3", "Infusion pump")
	set("B3", "Globex Infusion Corp.")
	set("C3", "GX-200-MDS2-2016-1")
	set("D3", "03/14/2016")
	set("A4", "Device Model")
	set("B4", "Software Revision")
	set("C4", "Software Release Date")
	set("A5", "GX-200 Large Volume Pump")
	set("B5", "7.1")
	set("C5", "2016-01-31")
	set("A6", "Manufacturer or Representative Contact Information:")
	set("B6", "Company Name")
	set("C6", "Manufacturer Contact Information")
	set("B7", "Globex Infusion Corp.")
	set("C7", "security@globex.example")
	merge("C7", "E7")
	// row 8 blank
	row := 9
	for _, q := range questions2013 {
		r := fmt.Sprint(row)
		switch q.id {
		case "MPD", "SEC":
			set("A"+r, q.text)
			merge("A"+r, "C"+r)
			if q.id == "MPD" {
				set("D"+r, "Yes, No, N/A, or See Note")
				set("E"+r, "Note #")
			}
		case "notes":
			set("B"+r, q.text)
			set("C"+r, q.answer)
			merge("C"+r, "E"+r)
		default:
			if q.id[0] >= '1' && q.id[0] <= '9' && !containsDash(q.id) {
				// numbered section title + description row
				set("A"+r, q.id)
				set("B"+r, q.text)
				merge("B"+r, "E"+r)
				row++
				r = fmt.Sprint(row)
				set("B"+r, q.answer)
				merge("B"+r, "E"+r)
				row += 2 // description, then a blank row
				continue
			}
			set("A"+r, q.id)
			set("B"+r, q.text)
			merge("B"+r, "C"+r)
			if q.answer != "" {
				set("D"+r, q.answer)
			}
			if q.note != "" {
				set("E"+r, q.note)
			}
		}
		row++
	}
	if _, err := f.NewSheet("Notes"); err != nil {
		return nil, err
	}
	for i, n := range [][2]string{
		{"1", "Patches are validated by Globex and installed by Globex field service."},
		{"2", "TLS 1.2 (AES-256) between pump and pump server."},
	} {
		r := []any{n[0], n[1]}
		if err := f.SetSheetRow("Notes", fmt.Sprintf("A%d", i+2), &r); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellValue("Notes", "A1", "Note #"); err != nil {
		return nil, err
	}
	return f, nil
}

func containsDash(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			return true
		}
	}
	return false
}
