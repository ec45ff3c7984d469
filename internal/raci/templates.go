package raci

import (
	"fmt"
	"strings"
)

// Party IDs of the default parties.
const (
	PartyHTM          = "htm"
	PartyNetwork      = "it_network"
	PartyIAM          = "iam"
	PartySecurity     = "security"
	PartyClinical     = "clinical"
	PartyBackup       = "backup"
	PartyProvider     = "provider"
	PartyManufacturer = "manufacturer"
)

// Activity IDs of the default activities.
const (
	ActInventory     = "inventory"
	ActMaintenance   = "maintenance"
	ActPatching      = "patching"
	ActVulnTriage    = "vuln_triage"
	ActMonitoring    = "monitoring"
	ActSegmentation  = "segmentation"
	ActIAM           = "iam"
	ActBackup        = "backup"
	ActIncident      = "incident_response"
	ActManufacturer  = "manufacturer_coordination"
	ActDowntime      = "downtime"
	ActDecommission  = "decommissioning"
	ActRiskException = "risk_exceptions"
)

// DefaultParties returns the parties of a typical HDO / service-provider
// agreement: the hospital's own teams, the provider and the manufacturers.
func DefaultParties() []Party {
	return []Party{
		{ID: PartyHTM, Name: "Hospital HTM", Org: "HDO"},
		{ID: PartyNetwork, Name: "IT networking", Org: "HDO"},
		{ID: PartyIAM, Name: "IAM", Org: "HDO"},
		{ID: PartySecurity, Name: "Security", Org: "HDO"},
		{ID: PartyClinical, Name: "Clinical users", Org: "HDO"},
		{ID: PartyBackup, Name: "Backup team", Org: "HDO"},
		{ID: PartyProvider, Name: "Service provider", Org: "Provider"},
		{ID: PartyManufacturer, Name: "Manufacturer", Org: "Manufacturer"},
	}
}

// DefaultActivities returns the activities every template covers.
func DefaultActivities() []Activity {
	return []Activity{
		{ActInventory, "Asset inventory and CMMS/CMDB correlation", "Keep the medical-device inventory complete and linked between the CMMS, the CMDB and passive monitoring."},
		{ActMaintenance, "Preventive maintenance, calibration and repairs", "Scheduled PM, calibration and safety testing; corrective repairs."},
		{ActPatching, "Software updates and patching", "Apply manufacturer-validated software, firmware and OS updates within the agreed SLA."},
		{ActVulnTriage, "Vulnerability triage", "Match advisories to in-scope devices, assess clinical impact and decide the response (SSVC)."},
		{ActMonitoring, "Passive monitoring", "Watch device network traffic for presence, classification, vulnerabilities and anomalies."},
		{ActSegmentation, "Network segmentation", "Place devices in zones with access rules limited to what they need."},
		{ActIAM, "Identity and access management", "User, service and vendor accounts; default and shared passwords."},
		{ActBackup, "Backup and restore", "Back up device configuration and clinical data; test restores."},
		{ActIncident, "Incident response", "Detect, contain, eradicate and recover from security incidents involving devices."},
		{ActManufacturer, "Manufacturer coordination", "Obtain advisories, MDS2, SBOM and validated patches; escalate issues to manufacturers."},
		{ActDowntime, "Clinical downtime procedures", "Keep care going while a device or system is unavailable."},
		{ActDecommission, "Decommissioning and data sanitisation", "Retire devices, sanitise stored data and remove them from systems and networks."},
		{ActRiskException, "Risk exceptions for legacy devices", "Time-limited acceptance of risk with compensating controls when a fix is not possible."},
	}
}

// DefaultRoutes maps each work kind to the activity that owns it:
// findings to vulnerability triage, work orders to maintenance, risk
// exceptions to the legacy-device exception activity, and SLA warnings to
// patching (the cybersecurity service level the agreement tracks; remap
// it to maintenance for device-down SLAs).
func DefaultRoutes() map[WorkKind]string {
	return map[WorkKind]string{
		WorkFinding:    ActVulnTriage,
		WorkOrder:      ActMaintenance,
		WorkException:  ActRiskException,
		WorkSLAWarning: ActPatching,
	}
}

// DeploymentTypes lists the template deployment types in order.
func DeploymentTypes() []DeploymentType {
	return []DeploymentType{Standalone, Networked, System, VendorManaged}
}

// Label is the deployment type's display name.
func (d DeploymentType) Label() string {
	switch d {
	case Standalone:
		return "Standalone device"
	case Networked:
		return "Networked device"
	case System:
		return "System of endpoints, workstations and servers"
	case VendorManaged:
		return "Vendor-managed remote service"
	}
	return string(d)
}

// Template returns a new, editable copy of the reasoned default matrix for
// a deployment type. The assignments and their rationale are in
// templateSpecs; in short:
//
//   - Standalone device: not networked, so the service provider owns
//     nearly everything at the bedside (patching by service port at PM,
//     local passwords, confirming interfaces stay disabled); Security only
//     watches for the device appearing on the network and leads incidents.
//   - Networked device: the provider still maintains and patches, but
//     HDO Security is accountable for triage and monitoring, IT networking
//     for segmentation and IAM for directory accounts.
//   - System of endpoints, workstations and servers: IT teams carry more:
//     Security is accountable for patching across servers and
//     workstations, the backup team for backups, IAM for domain accounts;
//     the manufacturer validates OS and application updates.
//   - Vendor-managed remote service: the manufacturer operates the system
//     remotely, so it is accountable for patching and backup of what it
//     runs, while the HDO keeps remote access (IT networking), vendor
//     accounts (IAM), triage and incident response (Security).
//
// In every template the clinical users own downtime procedures, Hospital
// HTM approves disposal, and the provider coordinates manufacturers.
func Template(d DeploymentType) (Matrix, error) {
	spec, ok := templateSpecs[d]
	if !ok {
		return Matrix{}, fmt.Errorf("RACI: unknown deployment type %q", d)
	}
	m := Matrix{Name: d.Label(), Deployment: d, Parties: DefaultParties(), Routes: DefaultRoutes()}
	for _, a := range DefaultActivities() {
		s, ok := spec[a.ID]
		if !ok {
			return Matrix{}, fmt.Errorf("RACI: template %s lacks activity %q", d, a.ID)
		}
		roles, err := parseSpec(s.roles)
		if err != nil {
			return Matrix{}, fmt.Errorf("RACI: template %s, %s: %w", d, a.ID, err)
		}
		m.Rows = append(m.Rows, Row{Activity: a, Roles: roles, Rationale: s.why})
	}
	return m, nil
}

// Templates returns every deployment type's template.
func Templates() []Matrix {
	var out []Matrix
	for _, d := range DeploymentTypes() {
		m, err := Template(d)
		if err != nil {
			panic(err) // templateSpecs is checked by tests
		}
		out = append(out, m)
	}
	return out
}

// parseSpec reads "provider=A/R htm=C" into roles by party ID.
func parseSpec(s string) (map[string]Role, error) {
	roles := map[string]Role{}
	for _, f := range strings.Fields(s) {
		id, letters, ok := strings.Cut(f, "=")
		if !ok {
			return nil, fmt.Errorf("bad assignment %q", f)
		}
		r, err := ParseRole(letters)
		if err != nil {
			return nil, err
		}
		roles[id] = r
	}
	return roles, nil
}

type cell struct{ roles, why string }

// templateSpecs holds each template's assignments with the reason for them.
var templateSpecs = map[DeploymentType]map[string]cell{
	Standalone: {
		ActInventory:     {"provider=A/R htm=C it_network=I", "The provider keeps the CMMS, the system of record; a standalone device has no CMDB or network identity to correlate, so IT networking is only told of it (it should never appear on the network)."},
		ActMaintenance:   {"provider=A/R htm=C clinical=I manufacturer=C", "Core service of the agreement. The manufacturer is consulted for service manuals, parts and procedures; clinical users are told when devices go out of service."},
		ActPatching:      {"provider=A/R manufacturer=R clinical=C htm=I security=I", "Updates arrive by service port or USB during PM visits, so the provider applies them; the manufacturer must validate and supply each update; clinical users agree the time."},
		ActVulnTriage:    {"provider=A/R security=C htm=C manufacturer=C", "Without a network the exposure is physical and small, so triage is part of device service; Security is consulted on any finding that changes that assumption."},
		ActMonitoring:    {"security=A/R it_network=C provider=I", "There is no traffic to watch; Security's passive monitoring alerts if a device listed as standalone appears on the network, and the provider is told to investigate."},
		ActSegmentation:  {"provider=A/R it_network=C security=I", "Keeping the device standalone is the segmentation: the provider confirms at each PM that network and wireless interfaces are disabled or unplugged."},
		ActIAM:           {"provider=A/R clinical=C manufacturer=C iam=I", "Only local accounts exist (service passwords, clinical PINs); the provider changes defaults and keeps them, clinical users are consulted on shared clinical logins."},
		ActBackup:        {"provider=A/R clinical=C backup=I", "Configuration and any stored data are exported by the provider before repairs and updates; the backup team has no system to protect."},
		ActIncident:      {"security=A provider=R clinical=C htm=C manufacturer=C", "Security leads any incident; the provider isolates and restores the device; clinical users judge patient-safety impact."},
		ActManufacturer:  {"provider=A/R manufacturer=R htm=I", "The provider holds the service relationship; the manufacturer must answer, supply MDS2 and updates."},
		ActDowntime:      {"clinical=A/R provider=R htm=C", "Clinical leadership owns downtime procedures; the provider supplies loaners or spares and restores service."},
		ActDecommission:  {"htm=A provider=R security=C manufacturer=C clinical=I", "Hospital HTM approves disposal of hospital assets; the provider sanitises stored data per the manufacturer's procedure; Security is consulted where ePHI was stored."},
		ActRiskException: {"security=A provider=R htm=C clinical=C", "The HDO owns the risk, so its Security team approves exceptions; the provider proposes and documents compensating controls."},
	},
	Networked: {
		ActInventory:     {"provider=A/R it_network=R htm=C security=I", "The provider keeps the CMMS; IT networking keeps the CMDB and network identity (MAC, IP, hostname); both must correlate the records, the provider is accountable for completeness of the medical-device inventory."},
		ActMaintenance:   {"provider=A/R htm=C clinical=I manufacturer=C", "Core service of the agreement; the manufacturer is consulted for procedures and parts."},
		ActPatching:      {"provider=A/R manufacturer=R security=C clinical=C htm=I it_network=I", "The provider applies manufacturer-validated updates within the SLA (the clock starts at validation); Security is consulted on priority, clinical users on timing; IT networking is told in case addresses or traffic change."},
		ActVulnTriage:    {"security=A provider=R htm=C clinical=C manufacturer=C it_network=I", "HDO Security owns the risk decision; the provider matches advisories to the fleet and assesses clinical impact within the triage SLA; manufacturers are consulted for applicability."},
		ActMonitoring:    {"security=A/R it_network=R provider=I htm=I", "Security runs passive monitoring; IT networking provides traffic feeds (SPAN/TAP); the provider is told of alerts on devices it services."},
		ActSegmentation:  {"it_network=A/R security=C provider=C manufacturer=C clinical=I", "IT networking builds VLANs and ACLs; the provider and manufacturer say which flows the device needs (MDS2, vendor documentation); Security reviews the rules."},
		ActIAM:           {"iam=A/R provider=R security=C manufacturer=C clinical=I", "IAM manages directory-integrated accounts; the provider changes default and service passwords on the device; the manufacturer is consulted on supported authentication."},
		ActBackup:        {"provider=A/R backup=C htm=I", "Device configuration is exported by the provider; clinical data lives on central systems covered by their own agreements; the backup team advises on storage."},
		ActIncident:      {"security=A/R provider=R it_network=R htm=C clinical=C manufacturer=C iam=C", "Security leads; IT networking contains at the network; the provider isolates, images and restores the device; clinical users judge patient-safety impact."},
		ActManufacturer:  {"provider=A/R manufacturer=R security=C htm=I", "The provider holds the service relationship and requests advisories, MDS2, SBOMs and validated patches; Security is consulted on security questions."},
		ActDowntime:      {"clinical=A/R provider=R htm=C it_network=I security=I", "Clinical leadership owns downtime procedures; the provider supplies loaners and restores devices."},
		ActDecommission:  {"htm=A provider=R it_network=R security=C manufacturer=C iam=I clinical=I", "Hospital HTM approves disposal; the provider sanitises data; IT networking removes network access, NAC entries and the CMDB record."},
		ActRiskException: {"security=A provider=R it_network=C htm=C clinical=C manufacturer=C", "The HDO owns the risk, so Security approves; the provider proposes compensating controls; IT networking is consulted because segmentation is the usual control."},
	},
	System: {
		ActInventory:     {"provider=A/R it_network=R manufacturer=C htm=C security=I", "The provider keeps the CMMS for the system's medical components; IT networking keeps servers and workstations in the CMDB; the manufacturer is consulted for the component list and SBOM."},
		ActMaintenance:   {"provider=A/R manufacturer=R htm=C clinical=I", "The provider maintains endpoints; the manufacturer services its servers and software under its support contract."},
		ActPatching:      {"security=A provider=R manufacturer=R it_network=C clinical=C htm=I", "Servers and workstations follow the HDO's patch programme, so Security is accountable; the manufacturer validates OS and application updates and the provider applies them to medical endpoints; clinical users agree the timing."},
		ActVulnTriage:    {"security=A provider=R manufacturer=R htm=C clinical=C it_network=I", "Security owns the risk decision; the provider matches advisories; the manufacturer states the impact on its system."},
		ActMonitoring:    {"security=A/R it_network=R provider=I manufacturer=I", "Security monitors endpoint and server traffic; IT networking provides feeds; the provider and manufacturer are told of alerts on their components."},
		ActSegmentation:  {"it_network=A/R security=R provider=C manufacturer=C", "IT networking builds the system's zone; Security writes and reviews firewall rules between clients and servers; the manufacturer documents required flows."},
		ActIAM:           {"iam=A/R provider=R manufacturer=C security=C clinical=I", "Workstations and servers join the HDO directory, so IAM is accountable; the provider handles device-local and service accounts."},
		ActBackup:        {"backup=A/R manufacturer=C provider=C security=I clinical=I", "Servers hold clinical data and ePHI, so the HDO backup team protects and restore-tests them with the manufacturer's supported method."},
		ActIncident:      {"security=A/R it_network=R backup=R provider=R iam=C manufacturer=C clinical=C htm=C", "Security leads; IT networking contains; the backup team restores servers; the provider restores endpoints; the manufacturer is consulted for its system."},
		ActManufacturer:  {"provider=A/R manufacturer=R security=C htm=I", "The provider holds the service relationship and escalates; the manufacturer answers and supplies validated updates."},
		ActDowntime:      {"clinical=A/R provider=R htm=C it_network=I security=I backup=I", "Clinical leadership owns downtime procedures for the whole system; the provider restores endpoints."},
		ActDecommission:  {"htm=A provider=R backup=R it_network=R iam=R security=C manufacturer=C clinical=I", "Hospital HTM approves; the provider sanitises endpoints; the backup team applies retention to backups; IT networking and IAM remove network access and accounts."},
		ActRiskException: {"security=A provider=R it_network=C manufacturer=C htm=C clinical=C", "Security approves exceptions for the HDO; the provider documents compensating controls with the manufacturer's input."},
	},
	VendorManaged: {
		ActInventory:     {"provider=A/R manufacturer=R it_network=R htm=C", "The provider keeps the CMMS record; the manufacturer reports what it runs and at which versions; IT networking keeps the CMDB."},
		ActMaintenance:   {"provider=A manufacturer=R htm=C clinical=I", "The manufacturer services its system remotely; the provider is accountable for managing it under the agreement (scheduling, escort, verification)."},
		ActPatching:      {"manufacturer=A/R provider=I security=C clinical=C it_network=I", "The manufacturer patches what it operates, under its validated process and the agreed SLA; Security and clinical users are consulted on priority and timing."},
		ActVulnTriage:    {"security=A manufacturer=R provider=R htm=C", "Security owns the risk decision; the manufacturer assesses impact on its service; the provider tracks the finding to closure."},
		ActMonitoring:    {"security=A/R it_network=R manufacturer=I provider=I", "Security monitors the system and all remote sessions; the manufacturer is told of anomalous vendor access."},
		ActSegmentation:  {"it_network=A/R security=R manufacturer=C provider=I", "IT networking provides the remote-access path (VPN or jump host); Security approves and logs vendor sessions."},
		ActIAM:           {"iam=A/R manufacturer=R security=C provider=I", "IAM issues named vendor accounts with MFA; the manufacturer reports joiners and leavers among its staff promptly."},
		ActBackup:        {"manufacturer=A/R backup=C security=I clinical=I", "The manufacturer backs up the system it runs; the HDO backup team is consulted to verify restores and retention."},
		ActIncident:      {"security=A/R manufacturer=R it_network=R provider=C clinical=C htm=I", "Security leads; the manufacturer investigates and restores its service; IT networking can cut remote access."},
		ActManufacturer:  {"provider=A/R manufacturer=R security=C htm=C", "The provider manages the vendor under the agreement, including service reviews and escalations."},
		ActDowntime:      {"clinical=A/R manufacturer=R provider=C htm=C", "Clinical leadership owns downtime procedures; the manufacturer restores the remote service."},
		ActDecommission:  {"htm=A manufacturer=R provider=R it_network=R iam=R security=C", "Hospital HTM approves; the manufacturer sanitises vendor-held data and certifies it; IT networking and IAM remove remote access and vendor accounts."},
		ActRiskException: {"security=A manufacturer=R provider=R it_network=C htm=C", "Security approves; the manufacturer and provider propose compensating controls for the remote service."},
	},
}
