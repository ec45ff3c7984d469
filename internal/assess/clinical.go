package assess

import "fmt"

// normalised returns point pt's value on 0–1 and whether it is set:
//
//	life-safety   (EM − 2) / 20           (EM 2–22)
//	acuity        (rank − 1) / 6          (non-clinical 1 … ICU/NICU 7)
//	phi, large    yes 1, no 0
//	1–5 scales    (v − 1) / 4
func normalised(p *Profile, pt Point) (float64, bool) {
	switch pt {
	case PointLifeSafety:
		if !p.LifeSafety.IsSet() {
			return 0, false
		}
		return float64(p.LifeSafety.Score()-EMMin) / (EMMax - EMMin), true
	case PointAcuity:
		if p.Acuity == AcuityUnset {
			return 0, false
		}
		return float64(p.Acuity.Rank()-1) / 6, true
	case PointPHI:
		return yesno(p.PHI)
	case PointLargePHI:
		return yesno(p.LargePHI)
	case PointCareDelivery:
		return five(uint8(p.CareDelivery))
	case PointLateral:
		return five(uint8(p.Lateral))
	case PointFinancial:
		return five(uint8(p.Financial))
	case PointReputational:
		return five(uint8(p.Reputational))
	}
	return 0, false
}

func yesno(v YesNo) (float64, bool) {
	switch v {
	case Yes:
		return 1, true
	case No:
		return 0, true
	}
	return 0, false
}

func five(v uint8) (float64, bool) {
	if v == 0 {
		return 0, false
	}
	return float64(v-1) / 4, true
}

// clinical computes the clinical impact score. With bd non-nil it also
// appends the breakdown; the arithmetic is the same either way, so the
// bulk score equals the breakdown's sum exactly.
func clinical(p *Profile, m *ScoringModel, bd *[]Factor) float64 {
	sum := 0.0
	for pt := Point(0); pt < NumPoints; pt++ {
		w := m.Weights.of(pt)
		v, set := normalised(p, pt)
		if !set {
			v = m.UnsetAs
		}
		pts := round2(w * v)
		sum += pts
		if bd != nil {
			why := fmt.Sprintf("%.0f%% of weight %g", v*100, w)
			if !set {
				why = fmt.Sprintf("not assessed: counted as %.0f%% of weight %g (model %s)", v*100, w, m.Version)
			}
			*bd = append(*bd, Factor{Name: pt.String(), Value: p.Describe(pt), Weight: w, Points: pts, Why: why})
		}
	}
	return round2(sum)
}

// ClinicalImpact scores a (resolved) profile 0–100 under model m, with
// its tier and a breakdown naming each data point, its value, weight and
// points. A nil model means DefaultModel.
func ClinicalImpact(p Profile, m *ScoringModel) Score {
	if m == nil {
		d := DefaultModel()
		m = &d
	}
	bd := make([]Factor, 0, NumPoints)
	v := clinical(&p, m, &bd)
	return Score{Value: v, Tier: m.ClinicalTiers.Tier(v), Model: m.Version, Breakdown: bd}
}

// ClinicalImpactValue is ClinicalImpact without the breakdown, for bulk
// rescoring; it returns the same value.
func ClinicalImpactValue(p *Profile, m *ScoringModel) float64 {
	return clinical(p, m, nil)
}
