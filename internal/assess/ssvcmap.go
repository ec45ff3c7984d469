package assess

import (
	"fmt"

	"github.com/medsec/medsec/internal/ssvc"
)

// SafetyImpact maps the clinical data points onto SSVC Safety Impact
// (IEC 61508 consequence categories), from the Fennigkoh–Smith physical
// risk and function components and the care-area acuity:
//
//	physical risk 5 (death) on life support (function 10), or on
//	  surgical/intensive-care equipment (function 9) in ICU/NICU/OR  → catastrophic
//	physical risk 5 otherwise                                       → critical
//	physical risk 4 (injury)                                        → critical
//	physical risk 3 (misdiagnosis, wrong therapy) in ICU/NICU/OR/ED → critical
//	physical risk 3 elsewhere                                       → marginal
//	physical risk 1–2 (no risk, equipment damage)                   → negligible
//	EM not assessed: ICU/NICU/OR → critical, ED/procedural → marginal,
//	  otherwise (or acuity unassessed too) → marginal, flagged as assumed
//
// SSVC's Catastrophic is multiple loss of life: a compromised life-support
// device (a ventilator fleet, an infusion pump library) can kill more than
// one patient, hence catastrophic there.
func SafetyImpact(p *Profile) (ssvc.SafetyImpact, string) {
	em, ac := p.LifeSafety, p.Acuity
	highAcuity := ac >= AcuityOR // OR, NICU, ICU
	if !em.IsSet() {
		switch {
		case highAcuity:
			return ssvc.SafetyCritical, fmt.Sprintf("EM not assessed; %s acuity → critical", ac)
		case ac == AcuityED || ac == AcuityProcedural:
			return ssvc.SafetyMarginal, fmt.Sprintf("EM not assessed; %s acuity → marginal", ac)
		case ac != AcuityUnset:
			return ssvc.SafetyMarginal, fmt.Sprintf("EM not assessed; %s acuity; assumed marginal until assessed", ac)
		}
		return ssvc.SafetyMarginal, "neither EM nor acuity assessed; assumed marginal until assessed"
	}
	switch em.PhysicalRisk {
	case 5:
		if em.Function == 10 {
			return ssvc.SafetyCatastrophic, "physical risk 5 (death) on life-support equipment (function 10) → catastrophic"
		}
		if em.Function == 9 && highAcuity {
			return ssvc.SafetyCatastrophic, fmt.Sprintf("physical risk 5 (death) on surgical/intensive-care equipment in %s → catastrophic", ac)
		}
		return ssvc.SafetyCritical, "physical risk 5 (death) → critical"
	case 4:
		return ssvc.SafetyCritical, "physical risk 4 (injury) → critical"
	case 3:
		if highAcuity || ac == AcuityED {
			return ssvc.SafetyCritical, fmt.Sprintf("physical risk 3 (misdiagnosis or wrong therapy) in %s → critical", ac)
		}
		return ssvc.SafetyMarginal, "physical risk 3 (misdiagnosis or wrong therapy) outside critical care → marginal"
	}
	return ssvc.SafetyNegligible, fmt.Sprintf("physical risk %d (no significant risk or equipment damage only) → negligible", em.PhysicalRisk)
}

// MissionImpact maps care-delivery impact onto SSVC Mission Impact:
// 1–2 degraded, 3 MEF support crippled, 4 MEF failure, 5 mission failure.
// Financial impact 5 raises the result one step, but never by itself to
// mission failure (money alone does not stop the hospital's mission).
// Care delivery not assessed → MEF support crippled, flagged as assumed.
func MissionImpact(p *Profile) (ssvc.MissionImpact, string) {
	var mi ssvc.MissionImpact
	var why string
	switch cd := p.CareDelivery; {
	case cd == 0:
		mi, why = ssvc.MissionMEFSupportCrippled, "care-delivery impact not assessed; assumed MEF support crippled"
	case cd <= 2:
		mi, why = ssvc.MissionDegraded, fmt.Sprintf("care-delivery %d (%s) → degraded", cd, cd.Describe())
	case cd == 3:
		mi, why = ssvc.MissionMEFSupportCrippled, "care-delivery 3 (workflow disrupted) → MEF support crippled"
	case cd == 4:
		mi, why = ssvc.MissionMEFFailure, "care-delivery 4 (procedures postponed) → MEF failure"
	default:
		mi, why = ssvc.MissionFailure, "care-delivery 5 (care stops or patients diverted) → mission failure"
	}
	if p.Financial == 5 && mi < ssvc.MissionMEFFailure {
		mi++
		why += fmt.Sprintf("; financial impact 5 raises it to %s", mi)
	}
	return mi, why
}

// SystemExposure maps lateral access onto SSVC System Exposure: 1–2
// small, 3 controlled, 4–5 open. Unassessed (0) counts as controlled.
func SystemExposure(l LateralAccess) (ssvc.Exposure, string) {
	switch {
	case l == 0:
		return ssvc.ExposureControlled, "lateral access unknown; assumed controlled"
	case l <= 2:
		return ssvc.ExposureSmall, fmt.Sprintf("lateral access %d (%s) → small", l, l.Describe())
	case l == 3:
		return ssvc.ExposureControlled, "lateral access 3 (segmented VLAN with ACLs) → controlled"
	}
	return ssvc.ExposureOpen, fmt.Sprintf("lateral access %d (%s) → open", l, l.Describe())
}

// Exploitation maps a finding onto SSVC Exploitation: active when in KEV
// or marked active; public PoC when marked so; otherwise none.
func Exploitation(f *FindingFacts) (ssvc.Exploitation, string) {
	switch {
	case f.KEV:
		return ssvc.ExploitationActive, "in CISA KEV → active"
	case f.Exploitation == ssvc.ExploitationActive:
		return ssvc.ExploitationActive, "exploitation reported active"
	case f.Exploitation == ssvc.ExploitationPublicPoC:
		return ssvc.ExploitationPublicPoC, "public proof of concept"
	}
	return ssvc.ExploitationNone, "no exploitation evidence"
}

// SSVCDecision is an SSVC deployer decision for one finding on one asset,
// with how each decision point was derived from medsec's data.
type SSVCDecision struct {
	ssvc.Outcome
	Why []string
}

// DecideSSVC derives the SSVC inputs for finding f on an asset with
// resolved profile p and lateral access lat (observed if available,
// else assessed), automatable read from the CVSS vector, and decides.
func DecideSSVC(p *Profile, lat LateralAccess, f *FindingFacts, automatable bool) (SSVCDecision, error) {
	var in ssvc.Inputs
	var why [5]string
	in.Exploitation, why[0] = Exploitation(f)
	in.Exposure, why[1] = SystemExposure(lat)
	in.Automatable, why[2] = ssvc.AutomatableNo, "CVSS vector needs network access, privileges, user interaction or high complexity → no"
	if automatable {
		in.Automatable, why[2] = ssvc.AutomatableYes, "CVSS AV:N/AC:L/PR:N/UI:N → yes"
	}
	in.Safety, why[3] = SafetyImpact(p)
	in.Mission, why[4] = MissionImpact(p)
	out, err := ssvc.Evaluate(in)
	if err != nil {
		return SSVCDecision{}, err
	}
	return SSVCDecision{Outcome: out, Why: []string{
		"Exploitation: " + why[0], "System Exposure: " + why[1], "Automatable: " + why[2],
		"Safety Impact: " + why[3], "Mission Impact: " + why[4],
	}}, nil
}
