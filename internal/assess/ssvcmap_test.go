package assess

import (
	"strings"
	"testing"

	"github.com/medsec/medsec/internal/ssvc"
)

func TestSafetyImpactMapping(t *testing.T) {
	tests := []struct {
		p    Profile
		want ssvc.SafetyImpact
	}{
		{Profile{LifeSafety: EM{10, 5, 5, 0}, Acuity: AcuityInpatient}, ssvc.SafetyCatastrophic}, // ventilator
		{Profile{LifeSafety: EM{9, 5, 4, 0}, Acuity: AcuityICU}, ssvc.SafetyCatastrophic},
		{Profile{LifeSafety: EM{9, 5, 4, 0}, Acuity: AcuityInpatient}, ssvc.SafetyCritical},
		{Profile{LifeSafety: EM{7, 4, 3, 0}, Acuity: AcuityOutpatient}, ssvc.SafetyCritical},
		{Profile{LifeSafety: EM{6, 3, 3, 0}, Acuity: AcuityED}, ssvc.SafetyCritical},
		{Profile{LifeSafety: EM{6, 3, 3, 0}, Acuity: AcuityOutpatient}, ssvc.SafetyMarginal},
		{Profile{LifeSafety: EM{3, 2, 2, 0}, Acuity: AcuityICU}, ssvc.SafetyNegligible},
		{Profile{Acuity: AcuityNICU}, ssvc.SafetyCritical},
		{Profile{Acuity: AcuityProcedural}, ssvc.SafetyMarginal},
		{Profile{}, ssvc.SafetyMarginal},
	}
	for _, tt := range tests {
		got, why := SafetyImpact(&tt.p)
		if got != tt.want || why == "" {
			t.Errorf("%+v: %s (%s), want %s", tt.p, got, why, tt.want)
		}
	}
}

func TestMissionImpactMapping(t *testing.T) {
	tests := []struct {
		care CareDelivery
		fin  Financial
		want ssvc.MissionImpact
	}{
		{1, 1, ssvc.MissionDegraded}, {2, 3, ssvc.MissionDegraded}, {3, 1, ssvc.MissionMEFSupportCrippled},
		{4, 1, ssvc.MissionMEFFailure}, {5, 1, ssvc.MissionFailure}, {0, 0, ssvc.MissionMEFSupportCrippled},
		{2, 5, ssvc.MissionMEFSupportCrippled}, {3, 5, ssvc.MissionMEFFailure}, {4, 5, ssvc.MissionMEFFailure},
	}
	for _, tt := range tests {
		p := Profile{CareDelivery: tt.care, Financial: tt.fin}
		if got, why := MissionImpact(&p); got != tt.want || why == "" {
			t.Errorf("care %d fin %d: %s (%s), want %s", tt.care, tt.fin, got, why, tt.want)
		}
	}
	for l, want := range map[LateralAccess]ssvc.Exposure{0: ssvc.ExposureControlled, 1: ssvc.ExposureSmall, 2: ssvc.ExposureSmall, 3: ssvc.ExposureControlled, 4: ssvc.ExposureOpen, 5: ssvc.ExposureOpen} {
		if got, _ := SystemExposure(l); got != want {
			t.Errorf("lateral %d: %s", l, got)
		}
	}
}

func TestDecideSSVC(t *testing.T) {
	vent := Profile{LifeSafety: EM{10, 5, 5, 1}, Acuity: AcuityICU, CareDelivery: 5}
	d, err := DecideSSVC(&vent, 5, &FindingFacts{CVE: "CVE-2025-1", KEV: true}, true)
	if err != nil {
		t.Fatal(err)
	}
	if d.Decision != ssvc.Immediate || d.HumanImpact != ssvc.HumanVeryHigh || len(d.Why) != 5 || !strings.Contains(d.Why[0], "KEV") {
		t.Errorf("%+v", d)
	}
	scale := Profile{LifeSafety: EM{2, 1, 1, 0}, Acuity: AcuityNonClinical, CareDelivery: 1}
	d, _ = DecideSSVC(&scale, 2, &FindingFacts{}, false)
	if d.Decision != ssvc.Defer {
		t.Errorf("%+v", d)
	}
}
