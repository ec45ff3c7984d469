package medsec

// CareArea is the type of care delivered where a device sits. The order of
// CareAreas is acuity, highest first; it feeds the clinical impact assessment.
type CareArea string

const (
	CareICU         CareArea = "icu"
	CareNICU        CareArea = "nicu"
	CareOR          CareArea = "or"
	CareED          CareArea = "ed"
	CareProcedural  CareArea = "procedural"
	CareInpatient   CareArea = "inpatient"
	CareOutpatient  CareArea = "outpatient"
	CareNonClinical CareArea = "non_clinical"
	CareUnknown     CareArea = ""
)

// CareAreas in acuity order, highest first.
var CareAreas = []CareArea{CareICU, CareNICU, CareOR, CareED, CareProcedural, CareInpatient, CareOutpatient, CareNonClinical}

var careAreaNames = map[CareArea]string{
	CareICU: "ICU", CareNICU: "NICU", CareOR: "OR", CareED: "ED",
	CareProcedural: "Procedural", CareInpatient: "Inpatient",
	CareOutpatient: "Outpatient", CareNonClinical: "Non-clinical", CareUnknown: "Unknown",
}

// Label is the display name of the care area.
func (c CareArea) Label() string { return careAreaNames[c] }

// Acuity ranks the care area: 8 for ICU down to 1 for non-clinical, 0 unknown.
func (c CareArea) Acuity() int {
	for i, a := range CareAreas {
		if a == c {
			return len(CareAreas) - i
		}
	}
	return 0
}
