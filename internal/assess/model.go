package assess

import (
	"fmt"
	"math"
)

// Tier is a coarse band of a 0–100 score.
type Tier uint8

// Tiers, lowest first.
const (
	TierLow Tier = iota
	TierMedium
	TierHigh
	TierCritical
)

func (t Tier) String() string {
	switch t {
	case TierLow:
		return "Low"
	case TierMedium:
		return "Medium"
	case TierHigh:
		return "High"
	case TierCritical:
		return "Critical"
	}
	return fmt.Sprintf("tier(%d)", t)
}

// MarshalText writes the tier's name.
func (t Tier) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// Thresholds are the lower bounds of the tiers above Low: a score ≥
// Critical is Critical, ≥ High is High, ≥ Medium is Medium.
type Thresholds struct {
	Critical float64 `json:"critical"`
	High     float64 `json:"high"`
	Medium   float64 `json:"medium"`
}

// Tier bands a score.
func (t *Thresholds) Tier(score float64) Tier {
	switch {
	case score >= t.Critical:
		return TierCritical
	case score >= t.High:
		return TierHigh
	case score >= t.Medium:
		return TierMedium
	}
	return TierLow
}

func (t Thresholds) validate(what string) error {
	if !(0 < t.Medium && t.Medium < t.High && t.High < t.Critical && t.Critical <= 100) {
		return invalid("%s tier thresholds must satisfy 0 < medium < high < critical ≤ 100, got %v/%v/%v", what, t.Medium, t.High, t.Critical)
	}
	return nil
}

// Weights are the clinical impact weights of the eight data points, in
// points out of 100: each point contributes Weight × its normalised value
// (0–1), so the weights must sum to 100.
type Weights struct {
	LifeSafety   float64 `json:"life_safety"`
	Acuity       float64 `json:"acuity"`
	PHI          float64 `json:"phi"`
	LargePHI     float64 `json:"large_phi"`
	CareDelivery float64 `json:"care_delivery"`
	Lateral      float64 `json:"lateral"`
	Financial    float64 `json:"financial"`
	Reputational float64 `json:"reputational"`
}

func (w *Weights) of(pt Point) float64 {
	switch pt {
	case PointLifeSafety:
		return w.LifeSafety
	case PointAcuity:
		return w.Acuity
	case PointPHI:
		return w.PHI
	case PointLargePHI:
		return w.LargePHI
	case PointCareDelivery:
		return w.CareDelivery
	case PointLateral:
		return w.Lateral
	case PointFinancial:
		return w.Financial
	case PointReputational:
		return w.Reputational
	}
	return 0
}

// RiskWeights are the asset risk model's weights. Impact + Likelihood +
// Exposure + Support must sum to 100; the control credits are points
// subtracted (scaled like the threat factors, see RiskScore).
type RiskWeights struct {
	Impact     float64 `json:"impact"`
	Likelihood float64 `json:"likelihood"`
	Exposure   float64 `json:"exposure"`
	Support    float64 `json:"support"`

	Segmentation     float64 `json:"segmentation"`
	NAC              float64 `json:"nac"`
	DisabledServices float64 `json:"disabled_services"`
	MDS2             float64 `json:"mds2"` // all six MDS2 capabilities; pro rata
}

// ScoringModel is a versioned, configurable scoring model. Scores record
// the version that produced them.
type ScoringModel struct {
	Version string  `json:"version"`
	Weights Weights `json:"weights"`
	// UnsetAs is the normalised value (0–1) assumed for an unassessed data
	// point or an unknown support status or exposure.
	UnsetAs       float64     `json:"unset_as"`
	ClinicalTiers Thresholds  `json:"clinical_tiers"`
	Risk          RiskWeights `json:"risk"`
	RiskTiers     Thresholds  `json:"risk_tiers"`
}

// DefaultModel is medsec's default scoring model. The weights and their
// justification (also in docs/scoring.md):
//
// Clinical impact (sum 100):
//   - life-safety 25: patient harm is the consequence that matters most
//     (IEC 80001-1, FDA premarket cybersecurity guidance); the EM number is
//     the HTM team's established, audited measure of it.
//   - care-delivery 20: loss of availability (ransomware, worms) is the
//     commonest real consequence of a medical-device cyber incident, and
//     diversion is itself a patient-safety event.
//   - acuity 15: the same device matters more in an ICU than in a clinic,
//     where alternatives and time to react exist.
//   - large PHI 10 and PHI 5: a breach of 500+ records is reportable to
//     HHS and the media (45 CFR 164.408); PHI alone is a smaller, still
//     reportable harm. Together 15, below safety and care delivery.
//   - lateral access 10: the device's reach is the blast radius of its
//     compromise (a foothold toward other clinical systems).
//   - financial 8 and reputational 7: real but secondary for a clinical
//     score; they are kept so that costly imaging and public-facing
//     systems rank above cheap, unseen ones of equal clinical weight.
//
// Clinical tiers: Critical ≥ 75, High ≥ 50, Medium ≥ 25, else Low.
// Unassessed points count as 0.5 (the middle of the scale) so that an
// unassessed device neither disappears from the list nor floods its top.
//
// Risk (sum 100): clinical impact 30, likelihood 35, exposure 20,
// manufacturer support 15. Likelihood weighs most because open,
// exploited vulnerabilities are what turn impact into harm; exposure
// next, since reach decides who can exploit; support last, as the
// inability to patch. Controls subtract up to segmentation 10, NAC 5,
// disabled services 5, MDS2 capabilities 5 — segmentation credited most
// as the control HSCC and FDA guidance rely on for legacy devices. Risk
// tiers: Critical ≥ 70, High ≥ 50, Medium ≥ 30, else Low.
func DefaultModel() ScoringModel {
	return ScoringModel{
		Version: "medsec-default-1",
		Weights: Weights{
			LifeSafety: 25, CareDelivery: 20, Acuity: 15, LargePHI: 10, PHI: 5,
			Lateral: 10, Financial: 8, Reputational: 7,
		},
		UnsetAs:       0.5,
		ClinicalTiers: Thresholds{Critical: 75, High: 50, Medium: 25},
		Risk: RiskWeights{
			Impact: 30, Likelihood: 35, Exposure: 20, Support: 15,
			Segmentation: 10, NAC: 5, DisabledServices: 5, MDS2: 5,
		},
		RiskTiers: Thresholds{Critical: 70, High: 50, Medium: 30},
	}
}

// Validate checks a model: a version, non-negative weights summing to 100,
// UnsetAs within 0–1 and ordered tier thresholds.
func (m *ScoringModel) Validate() error {
	if m.Version == "" {
		return invalid("scoring model needs a version")
	}
	sum := 0.0
	for pt := Point(0); pt < NumPoints; pt++ {
		w := m.Weights.of(pt)
		if w < 0 || math.IsNaN(w) {
			return invalid("weight of %s must be 0 or more, got %v", pt, w)
		}
		sum += w
	}
	if math.Abs(sum-100) > 1e-9 {
		return invalid("clinical impact weights must sum to 100, got %v", sum)
	}
	r := m.Risk
	for _, w := range []float64{r.Impact, r.Likelihood, r.Exposure, r.Support, r.Segmentation, r.NAC, r.DisabledServices, r.MDS2} {
		if w < 0 || math.IsNaN(w) {
			return invalid("risk weights must be 0 or more, got %v", w)
		}
	}
	if s := r.Impact + r.Likelihood + r.Exposure + r.Support; math.Abs(s-100) > 1e-9 {
		return invalid("risk weights impact + likelihood + exposure + support must sum to 100, got %v", s)
	}
	if !(m.UnsetAs >= 0 && m.UnsetAs <= 1) {
		return invalid("unset_as must be 0–1, got %v", m.UnsetAs)
	}
	if err := m.ClinicalTiers.validate("clinical"); err != nil {
		return err
	}
	return m.RiskTiers.validate("risk")
}

// Factor is one line of a score's breakdown: the factor, its value, its
// weight, the points it adds (negative for controls) and why.
type Factor struct {
	Name   string  `json:"name"`
	Value  string  `json:"value"`
	Weight float64 `json:"weight"`
	Points float64 `json:"points"`
	Why    string  `json:"why"`
}

// Score is a 0–100 score with its tier, the model version and the
// breakdown whose Points sum to Value.
type Score struct {
	Value     float64  `json:"value"`
	Tier      Tier     `json:"tier"`
	Model     string   `json:"model"`
	Breakdown []Factor `json:"breakdown,omitempty"`
}

// round2 rounds to hundredths, the precision of every factor's points.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
