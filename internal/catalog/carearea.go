package catalog

import "strings"

// Care-area type codes, the acuity setting of the clinical impact assessment.
// They are listed in CareAreaTypes from highest acuity to lowest.
const (
	CareICU         = "icu"
	CareNICU        = "nicu"
	CareOR          = "or"
	CareED          = "ed"
	CareProcedural  = "procedural"
	CareInpatient   = "inpatient"
	CareOutpatient  = "outpatient"
	CareNonClinical = "non_clinical"
)

// CareAreaType is one acuity setting. Rank 1 is the most acute.
type CareAreaType struct {
	Code string
	Name string
	Rank int
}

var careAreaTypes = []CareAreaType{
	{CareICU, "ICU / PICU", 1},
	{CareNICU, "NICU", 2},
	{CareOR, "OR / PACU", 3},
	{CareED, "Emergency department", 4},
	{CareProcedural, "L&D and procedural areas", 5},
	{CareInpatient, "Inpatient med/surg", 6},
	{CareOutpatient, "Outpatient and clinics", 7},
	{CareNonClinical, "Non-clinical", 8},
}

// CareAreaTypes returns the care-area types in acuity order, most acute first
// (ICU/NICU > OR/PACU > ED > procedural > inpatient > outpatient > non-clinical).
func CareAreaTypes() []CareAreaType {
	return append([]CareAreaType(nil), careAreaTypes...)
}

// CareAreaCodes returns just the codes of CareAreaTypes, in acuity order. Code
// that iterates care-area weights uses this order to stay deterministic.
func CareAreaCodes() []string {
	out := make([]string, len(careAreaTypes))
	for i, t := range careAreaTypes {
		out[i] = t.Code
	}
	return out
}

// CareAreaName returns the display name of a care-area code, or "" if unknown.
func CareAreaName(code string) string {
	for _, t := range careAreaTypes {
		if t.Code == code {
			return t.Name
		}
	}
	return ""
}

// careRule maps department-name tokens (or token phrases) to a care area.
// Rules are tried in order; the first match wins. The order encodes the
// ambiguities real department names have: "Neuro ICU" is an ICU and not
// inpatient neurology, "Outpatient Imaging" is outpatient and not procedural,
// "Cath Lab" is procedural and not the clinical laboratory.
type careRule struct {
	area    string
	phrases []string // space-separated token sequences
}

var careRules = []careRule{
	{CareNICU, []string{"nicu", "neonatal intensive", "neonatal icu", "special care nursery", "scn"}},
	{CareICU, []string{"icu", "picu", "micu", "sicu", "cvicu", "ccu", "cticu", "nsicu", "tsicu", "intensive care", "critical care", "burn unit"}},
	{CareOR, []string{"or", "pacu", "operating room", "operating rooms", "main or", "hybrid or", "post anesthesia", "recovery room", "preop", "pre op", "holding"}},
	{CareED, []string{"ed", "er", "emergency", "emergency dept", "trauma bay", "peds ed"}},
	{CareOutpatient, []string{"outpatient", "clinic", "clinics", "ambulatory", "imaging center", "urgent care", "physician office", "practice", "infusion center", "medical office", "mob"}},
	{CareOR, []string{"surgery", "surgical services", "same day surgery", "asc"}},
	{CareProcedural, []string{"cath", "cath lab", "cardiac cath", "ep lab", "electrophysiology", "endoscopy", "endo", "gi lab", "bronchoscopy", "ir", "interventional", "interventional radiology", "special procedures", "ld", "labor", "delivery", "birthing", "radiology", "imaging", "ct", "mri", "x ray", "xray", "nuclear medicine", "radiation oncology", "dialysis", "sleep lab", "echo", "procedure", "procedures"}},
	{CareNonClinical, []string{"biomed", "biomedical", "clinical engineering", "htm", "central supply", "central sterile", "spd", "sterile processing", "storage", "warehouse", "depot", "equipment storage", "pharmacy", "laboratory", "lab", "core lab", "materials management", "shop", "stores", "store room", "facilities", "loading dock", "it"}},
	{CareInpatient, []string{"med surg", "medsurg", "medical surgical", "inpatient", "telemetry", "tele", "step down", "stepdown", "pcu", "progressive care", "oncology", "pediatrics", "peds", "mother baby", "postpartum", "maternity", "antepartum", "rehab", "rehabilitation", "orthopedics", "ortho", "neuro", "cardiac", "behavioral", "psych", "observation", "obs", "ward", "unit", "floor", "medical", "surgical", "nursery"}},
}

// CareAreaFromDepartment infers the care-area type code from a free-text
// department name as found in a CMMS export ("ICU 4 West" → icu, "PACU" → or,
// "Cath Lab" → procedural, "Med/Surg 5" → inpatient, "Biomed Shop" →
// non_clinical). It returns "" when nothing in the name is recognised, so the
// caller can ask a person rather than guess.
func CareAreaFromDepartment(name string) string {
	toks := departmentTokens(name)
	if len(toks) == 0 {
		return ""
	}
	for _, r := range careRules {
		for _, p := range r.phrases {
			if hasPhrase(toks, strings.Fields(p)) {
				return r.area
			}
		}
	}
	return ""
}

// departmentTokens lower-cases a department name and splits it into
// alphanumeric tokens. "L&D" and "L & D" become the single token "ld" so the
// ampersand is not lost, and digits are split from letters ("OR3" → or, 3).
func departmentTokens(name string) []string {
	s := strings.ToLower(name)
	s = strings.ReplaceAll(s, "l & d", "ld")
	s = strings.ReplaceAll(s, "l&d", "ld")
	s = strings.ReplaceAll(s, "x-ray", "xray")
	var b strings.Builder
	prevDigit, prevAlpha := false, false
	for _, r := range s {
		isDigit := r >= '0' && r <= '9'
		isAlpha := (r >= 'a' && r <= 'z') || r > 127
		switch {
		case isDigit && prevAlpha, isAlpha && prevDigit:
			b.WriteByte(' ')
			b.WriteRune(r)
		case isDigit || isAlpha:
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
		prevDigit, prevAlpha = isDigit, isAlpha
	}
	return strings.Fields(b.String())
}

// hasPhrase reports whether the token sequence want occurs contiguously in toks.
func hasPhrase(toks, want []string) bool {
	if len(want) == 0 {
		return false
	}
outer:
	for i := 0; i+len(want) <= len(toks); i++ {
		for j, w := range want {
			if toks[i+j] != w {
				continue outer
			}
		}
		return true
	}
	return false
}
