// Package assess holds medsec's clinical impact assessment and risk
// scoring: the eight clinical data points and their scales, layered
// resolution of assessed values (modality → make/model → asset) with
// provenance, observed lateral access, the versioned scoring model, the
// clinical impact and asset risk scores with their breakdowns, the mapping
// of the clinical data points onto SSVC, and the action-list rankers.
//
// Everything here is pure: no I/O, no database, no clock. See
// docs/scoring.md for the scales, the default weights and their
// justification.
package assess

import (
	"errors"
	"fmt"
	"strings"

	"github.com/medsec/medsec"
)

// Point names one of the eight clinical data points.
type Point uint8

// The eight data points, in the order the assessment lists them.
const (
	PointLifeSafety   Point = iota // Fennigkoh–Smith EM number
	PointAcuity                    // acuity of the care area
	PointPHI                       // stores, displays or transmits ePHI
	PointLargePHI                  // ≥ 500 individuals' records
	PointCareDelivery              // care-delivery impact if unavailable, 1–5
	PointLateral                   // lateral network access, 1–5
	PointFinancial                 // financial impact, 1–5
	PointReputational              // reputational impact, 1–5
	NumPoints
)

var pointNames = [NumPoints]string{"life-safety", "acuity", "phi", "large-phi", "care-delivery", "lateral-access", "financial", "reputational"}

func (p Point) String() string {
	if p < NumPoints {
		return pointNames[p]
	}
	return fmt.Sprintf("point(%d)", p)
}

func invalid(format string, args ...any) error {
	return medsec.Errorf(medsec.EINVALID, format, args...)
}

// EM is the Fennigkoh–Smith equipment-management number, stored as its
// four components. EM = Function + PhysicalRisk + Maintenance +
// IncidentHistory (range 2–22); EM ≥ 12 puts the device in the PM program.
// The zero value means "not assessed".
type EM struct {
	// Function: 10 life support · 9 surgical/intensive care · 8 physical
	// therapy & treatment · 7 surgical/IC monitoring · 6 other physiological
	// monitoring & diagnostic · 5 analytical laboratory · 4 laboratory
	// accessories · 3 computer & related · 2 patient-related & other.
	Function int8 `json:"function"`
	// PhysicalRisk: 5 patient or operator death · 4 injury · 3
	// inappropriate therapy or misdiagnosis · 2 equipment damage · 1 no
	// significant risk.
	PhysicalRisk int8 `json:"physical_risk"`
	// Maintenance: 5 extensive · 4 above average · 3 average · 2 below
	// average · 1 minimal.
	Maintenance int8 `json:"maintenance"`
	// IncidentHistory: +2 more than one failure per 6 months · +1 one per
	// 6–9 months · 0 one per 9–12 months · −1 one per 12–18 months · −2
	// less than one per 18 months.
	IncidentHistory int8 `json:"incident_history"`
}

// EM bounds.
const (
	EMMin         = 2
	EMMax         = 22
	EMPMThreshold = 12
)

// IsSet reports whether the EM has been assessed.
func (e EM) IsSet() bool { return e != EM{} }

// Validate checks each component against its range.
func (e EM) Validate() error {
	switch {
	case e.Function < 2 || e.Function > 10:
		return invalid("life-safety: equipment function must be 2–10, got %d", e.Function)
	case e.PhysicalRisk < 1 || e.PhysicalRisk > 5:
		return invalid("life-safety: physical risk must be 1–5, got %d", e.PhysicalRisk)
	case e.Maintenance < 1 || e.Maintenance > 5:
		return invalid("life-safety: maintenance requirement must be 1–5, got %d", e.Maintenance)
	case e.IncidentHistory < -2 || e.IncidentHistory > 2:
		return invalid("life-safety: incident history must be −2…+2, got %d", e.IncidentHistory)
	}
	return nil
}

// Score is the EM number, the sum of the four components.
func (e EM) Score() int {
	return int(e.Function) + int(e.PhysicalRisk) + int(e.Maintenance) + int(e.IncidentHistory)
}

// InPMProgram reports EM ≥ 12.
func (e EM) InPMProgram() bool { return e.Score() >= EMPMThreshold }

// PMInterval is the common local adaptation: EM ≥ 18 quarterly, 15–17
// semi-annual, 12–14 annual, below 12 none (not in the PM program).
// Critical equipment keeps the manufacturer's interval regardless.
func (e EM) PMInterval() string {
	switch s := e.Score(); {
	case s >= 18:
		return "quarterly"
	case s >= 15:
		return "semi-annual"
	case s >= 12:
		return "annual"
	}
	return "none"
}

func (e EM) String() string {
	return fmt.Sprintf("EM %d (function %d + physical risk %d + maintenance %d + incidents %+d)", e.Score(), e.Function, e.PhysicalRisk, e.Maintenance, e.IncidentHistory)
}

// Acuity is the acuity of the care area the device serves. Zero means
// "not assessed".
type Acuity uint8

// Acuity values, lowest to highest.
const (
	AcuityUnset Acuity = iota
	AcuityNonClinical
	AcuityOutpatient
	AcuityInpatient
	AcuityProcedural
	AcuityED
	AcuityOR
	AcuityNICU
	AcuityICU
)

var acuityNames = []string{"", "non-clinical", "outpatient", "inpatient", "procedural", "ed", "or", "nicu", "icu"}

func (a Acuity) String() string {
	if int(a) < len(acuityNames) {
		return acuityNames[a]
	}
	return fmt.Sprintf("acuity(%d)", a)
}

// Rank is the acuity tier, 1 (non-clinical) to 7 (ICU/NICU/PICU, which
// share the top tier).
func (a Acuity) Rank() int {
	if a >= AcuityNICU {
		return 7
	}
	return int(a)
}

// Validate refuses values outside the list.
func (a Acuity) Validate() error {
	if a < AcuityNonClinical || a > AcuityICU {
		return invalid("acuity must be one of icu, nicu, or, ed, procedural, inpatient, outpatient, non-clinical (highest to lowest)")
	}
	return nil
}

// ParseAcuity reads a care-area acuity, accepting common synonyms
// (PICU → icu, PACU → or, cath lab → procedural, med/surg → inpatient …).
func ParseAcuity(s string) (Acuity, error) {
	n := strings.ToLower(strings.TrimSpace(s))
	n = strings.NewReplacer("_", "-", " ", "-").Replace(n)
	switch n {
	case "icu", "picu", "micu", "sicu", "ccu", "cvicu", "intensive-care":
		return AcuityICU, nil
	case "nicu":
		return AcuityNICU, nil
	case "or", "pacu", "or/pacu", "operating-room", "surgery":
		return AcuityOR, nil
	case "ed", "er", "emergency", "emergency-department":
		return AcuityED, nil
	case "procedural", "l&d", "labor-and-delivery", "cath-lab", "endoscopy", "ir", "interventional-radiology":
		return AcuityProcedural, nil
	case "inpatient", "med/surg", "med-surg", "ward":
		return AcuityInpatient, nil
	case "outpatient", "clinic", "clinics", "ambulatory":
		return AcuityOutpatient, nil
	case "non-clinical", "nonclinical", "storage", "biomed", "biomed-shop":
		return AcuityNonClinical, nil
	}
	return 0, invalid("unknown acuity %q; valid values: icu, nicu, or, ed, procedural, inpatient, outpatient, non-clinical", s)
}

// YesNo is a yes/no data point that may be unassessed (zero).
type YesNo uint8

// YesNo values.
const (
	Unknown YesNo = iota
	No
	Yes
)

func (v YesNo) String() string {
	switch v {
	case No:
		return "no"
	case Yes:
		return "yes"
	case Unknown:
		return "unknown"
	}
	return fmt.Sprintf("yesno(%d)", v)
}

// Validate refuses values other than unknown, no, yes.
func (v YesNo) Validate() error {
	if v > Yes {
		return invalid("must be yes or no, got %d", v)
	}
	return nil
}

// LargePHIThreshold is the HIPAA breach-notification threshold (45 CFR
// 164.408): a device holding records of this many individuals or more
// counts as Large PHI.
const LargePHIThreshold = 500

// LargePHIFromRecords returns Yes for ≥ 500 individuals' records.
func LargePHIFromRecords(n int) YesNo {
	if n >= LargePHIThreshold {
		return Yes
	}
	return No
}

// CareDelivery is the care-delivery impact if the device or system is
// unavailable, 1–5 (0 = not assessed).
type CareDelivery uint8

// LateralAccess is how far the device reaches on the network, 1–5.
type LateralAccess uint8

// Financial is the financial impact (replacement cost plus lost revenue
// per day of downtime), 1–5.
type Financial uint8

// Reputational is the reputational impact, 1–5.
type Reputational uint8

var (
	careAnchors = [6]string{"", "no effect; spares are at hand", "minor delay", "workflow disrupted; manual workaround",
		"procedures postponed; department degraded", "care stops, or patients are diverted"}
	lateralAnchors = [6]string{"", "standalone, not networked", "point-to-point or isolated (one gateway)",
		"segmented VLAN with ACLs to named servers", "routed to the general clinical network",
		"flat network, internet-reachable, or vendor remote access"}
	financialAnchors = [6]string{"", "negligible (< $10k, no lost revenue)", "minor (< $50k or < $10k/day lost)",
		"moderate (< $250k or < $50k/day lost)", "major (< $1M or < $250k/day lost)", "severe (≥ $1M or ≥ $250k/day lost)"}
	reputationalAnchors = [6]string{"", "internal only", "patients or staff locally aware", "local media",
		"regional media or regulator notified", "national media or regulatory action"}
)

func scale5(name string, v uint8, anchors *[6]string) error {
	if v < 1 || v > 5 {
		return invalid("%s must be 1–5 (1 = %s … 5 = %s), got %d", name, anchors[1], anchors[5], v)
	}
	return nil
}

func anchor(v uint8, anchors *[6]string) string {
	if v >= 1 && v <= 5 {
		return anchors[v]
	}
	return "not assessed"
}

// Validate checks the range 1–5.
func (v CareDelivery) Validate() error { return scale5("care-delivery impact", uint8(v), &careAnchors) }

// Describe returns the anchored description of the value.
func (v CareDelivery) Describe() string { return anchor(uint8(v), &careAnchors) }

// Validate checks the range 1–5.
func (v LateralAccess) Validate() error {
	return scale5("lateral network access", uint8(v), &lateralAnchors)
}

// Describe returns the anchored description of the value.
func (v LateralAccess) Describe() string { return anchor(uint8(v), &lateralAnchors) }

// Validate checks the range 1–5.
func (v Financial) Validate() error { return scale5("financial impact", uint8(v), &financialAnchors) }

// Describe returns the anchored description of the value.
func (v Financial) Describe() string { return anchor(uint8(v), &financialAnchors) }

// Validate checks the range 1–5.
func (v Reputational) Validate() error {
	return scale5("reputational impact", uint8(v), &reputationalAnchors)
}

// Describe returns the anchored description of the value.
func (v Reputational) Describe() string { return anchor(uint8(v), &reputationalAnchors) }

// message is an error's user-facing text.
func message(err error) string {
	var e *medsec.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
