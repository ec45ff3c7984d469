package assess

import (
	"fmt"
	"math"
	"math/bits"
	"strings"

	"github.com/medsec/medsec/internal/ssvc"
)

// FindingFacts are the likelihood facts of one finding on the asset.
type FindingFacts struct {
	CVE string `json:"cve"`
	// KEV: listed in CISA's Known Exploited Vulnerabilities catalog.
	KEV bool `json:"kev"`
	// EPSS is FIRST's probability (0–1) of exploitation in 30 days.
	EPSS float64 `json:"epss"`
	// CVSSExploitability is CVSS v3's exploitability sub-score, 0–3.9
	// (0 when unknown).
	CVSSExploitability float64 `json:"cvss_exploitability"`
	// Exploitation is SSVC's none / public PoC / active.
	Exploitation ssvc.Exploitation `json:"exploitation"`
	// Status is the finding's status; only open ones count (see IsOpen).
	Status string `json:"status"`
}

// IsOpen reports whether a finding status counts toward likelihood:
// "", open, new, reopened, in_progress and under_investigation do;
// fixed, mitigated, accepted, not_affected, false_positive do not.
func IsOpen(status string) bool {
	switch status {
	case "", "open", "new", "reopened", "in_progress", "under_investigation":
		return true
	}
	return false
}

// Validate checks the ranges of EPSS and the exploitability sub-score.
func (f *FindingFacts) Validate() error {
	if !(f.EPSS >= 0 && f.EPSS <= 1) {
		return invalid("%s: EPSS must be 0–1, got %v", f.CVE, f.EPSS)
	}
	if !(f.CVSSExploitability >= 0 && f.CVSSExploitability <= 3.9) {
		return invalid("%s: CVSS exploitability must be 0–3.9, got %v", f.CVE, f.CVSSExploitability)
	}
	if f.Exploitation > ssvc.ExploitationActive {
		return invalid("%s: exploitation must be none, public-poc or active", f.CVE)
	}
	return nil
}

// Likelihood is one finding's likelihood of exploitation, 0–1: the
// strongest of
//
//	1.0  in KEV or exploitation active
//	0.7  public proof of concept
//	0.9 × √EPSS
//	0.4 × exploitability / 3.9   (trivially exploitable, no evidence yet)
func (f *FindingFacts) Likelihood() (float64, string) {
	l, why := f.likelihood()
	return l, f.reason(why)
}

const (
	whyNone = iota
	whyKEV
	whyActive
	whyPoC
	whyEPSS
	whyCVSS
)

// likelihood computes without allocating; reason renders the why.
func (f *FindingFacts) likelihood() (float64, int) {
	if f.KEV {
		return 1, whyKEV
	}
	if f.Exploitation == ssvc.ExploitationActive {
		return 1, whyActive
	}
	l, why := 0.0, whyNone
	if f.Exploitation == ssvc.ExploitationPublicPoC {
		l, why = 0.7, whyPoC
	}
	if e := 0.9 * math.Sqrt(f.EPSS); e > l {
		l, why = e, whyEPSS
	}
	if c := 0.4 * math.Min(f.CVSSExploitability, 3.9) / 3.9; c > l {
		l, why = c, whyCVSS
	}
	return l, why
}

func (f *FindingFacts) reason(why int) string {
	switch why {
	case whyKEV:
		return "in CISA KEV"
	case whyActive:
		return "actively exploited"
	case whyPoC:
		return "public proof of concept"
	case whyEPSS:
		return fmt.Sprintf("EPSS %.3f", f.EPSS)
	case whyCVSS:
		return fmt.Sprintf("CVSS exploitability %.1f", f.CVSSExploitability)
	}
	return "no exploitation evidence"
}

// SupportStatus is the manufacturer's support for the model.
type SupportStatus uint8

// Support statuses. Legacy means the manufacturer no longer supports the
// device at all (end of life: no patches, no service); end of support
// means security support has ended or is ending.
const (
	SupportUnknown SupportStatus = iota
	Supported
	EndOfSupport
	Legacy
)

func (s SupportStatus) String() string {
	switch s {
	case Supported:
		return "supported"
	case EndOfSupport:
		return "end of support"
	case Legacy:
		return "legacy"
	}
	return "unknown"
}

// ParseSupportStatus reads supported, end-of-support or legacy.
func ParseSupportStatus(s string) (SupportStatus, error) {
	switch strings.NewReplacer("_", "-", " ", "-").Replace(strings.ToLower(strings.TrimSpace(s))) {
	case "supported":
		return Supported, nil
	case "end-of-support", "eos":
		return EndOfSupport, nil
	case "legacy", "end-of-life", "eol", "unsupported":
		return Legacy, nil
	case "unknown", "":
		return SupportUnknown, nil
	}
	return 0, invalid("unknown support status %q; valid values: supported, end-of-support, legacy", s)
}

// MDS2Caps are security capabilities the manufacturer declares in the
// device's MDS2 form that act as compensating controls.
type MDS2Caps uint8

// MDS2 capabilities credited (by MDS2 capability code).
const (
	MDS2Malware    MDS2Caps = 1 << iota // MLDP: malware detection/protection
	MDS2NodeAuth                        // NAUT: node authentication
	MDS2PersonAuth                      // PAUT: person authentication
	MDS2Hardening                       // SAHD: system and application hardening
	MDS2Encryption                      // STCF/TXCF: storage and transmission confidentiality
	MDS2Audit                           // AUDT: audit controls
	mds2All        = 6
)

// Controls are compensating controls in place for the asset.
type Controls struct {
	Segmentation     bool     `json:"segmentation"`
	NAC              bool     `json:"nac"`
	DisabledServices bool     `json:"disabled_services"`
	MDS2             MDS2Caps `json:"mds2"`
}

// RiskInputs are what an asset's risk score combines.
type RiskInputs struct {
	// Clinical is the asset's clinical impact score, 0–100.
	Clinical float64
	// Findings are the asset's findings; only open ones count.
	Findings []FindingFacts
	// Observed is the observed communications summary, used for exposure
	// when HasObserved; otherwise AssessedLateral is used.
	Observed        ObservedComms
	HasObserved     bool
	AssessedLateral LateralAccess
	Support         SupportStatus
	Controls        Controls
}

// Validate checks the inputs' ranges.
func (in *RiskInputs) Validate() error {
	if !(in.Clinical >= 0 && in.Clinical <= 100) {
		return invalid("clinical impact must be 0–100, got %v", in.Clinical)
	}
	for i := range in.Findings {
		if err := in.Findings[i].Validate(); err != nil {
			return err
		}
	}
	if in.AssessedLateral != 0 {
		if err := in.AssessedLateral.Validate(); err != nil {
			return err
		}
	}
	if in.Support > Legacy {
		return invalid("support status must be supported, end-of-support or legacy")
	}
	return in.Observed.Validate()
}

// risk computes the asset risk score; see RiskScore. bd nil skips the
// breakdown but not the arithmetic.
func risk(in *RiskInputs, m *ScoringModel, bd *[]Factor) float64 {
	w := &m.Risk
	c := math.Min(math.Max(in.Clinical, 0), 100) / 100
	amp := 0.5 + 0.5*c

	// Likelihood: 1 − Π(1 − l) over open findings.
	notL, open, topI, topL, topWhy := 1.0, 0, -1, -1.0, whyNone
	for i := range in.Findings {
		f := &in.Findings[i]
		if !IsOpen(f.Status) {
			continue
		}
		open++
		l, why := f.likelihood()
		notL *= 1 - l
		if l > topL {
			topL, topI, topWhy = l, i, why
		}
	}
	lik := 1 - notL

	// Exposure from observed reach, else assessed, else UnsetAs.
	var exp float64
	var lat LateralAccess
	switch {
	case in.HasObserved:
		lat = in.Observed.level()
		exp = float64(lat-1) / 4
	case in.AssessedLateral != 0:
		lat = in.AssessedLateral
		exp = float64(lat-1) / 4
	default:
		exp = m.UnsetAs
	}

	var sup float64
	switch in.Support {
	case Supported:
		sup = 0
	case EndOfSupport:
		sup = 0.6
	case Legacy:
		sup = 1
	default:
		sup = m.UnsetAs
	}

	pImpact := round2(w.Impact * c)
	pLik := round2(amp * w.Likelihood * lik)
	pExp := round2(amp * w.Exposure * exp)
	pSup := round2(amp * w.Support * sup)
	threat := pLik + pExp + pSup

	ctl := &in.Controls
	var pSeg, pNAC, pDis, pMDS float64
	if ctl.Segmentation {
		pSeg = -round2(amp * w.Segmentation)
	}
	if ctl.NAC {
		pNAC = -round2(amp * w.NAC)
	}
	if ctl.DisabledServices {
		pDis = -round2(amp * w.DisabledServices)
	}
	nCaps := bits.OnesCount8(uint8(ctl.MDS2 & (1<<mds2All - 1)))
	if nCaps > 0 {
		pMDS = -round2(amp * w.MDS2 * float64(nCaps) / mds2All)
	}
	controls := pSeg + pNAC + pDis + pMDS
	// Controls remove at most the threat points: they lower the chance
	// of harm, not the clinical consequence.
	pCap := 0.0
	if threat+controls < 0 {
		pCap = round2(-(threat + controls))
	}
	sum := pImpact + pLik + pExp + pSup + pSeg + pNAC + pDis + pMDS + pCap

	if bd != nil {
		ampWhy := fmt.Sprintf("× %.2f (0.5 + 0.5 × clinical impact share)", amp)
		*bd = append(*bd, Factor{Name: "clinical impact", Value: fmt.Sprintf("%.2f", in.Clinical), Weight: w.Impact, Points: pImpact,
			Why: fmt.Sprintf("%.0f%% of weight %g", c*100, w.Impact)})
		likWhy := "no open findings"
		if open > 0 {
			f := &in.Findings[topI]
			likWhy = fmt.Sprintf("%d open findings combined as 1 − Π(1 − l); strongest %s (%s, l = %.2f) %s", open, f.CVE, f.reason(topWhy), topL, ampWhy)
		}
		*bd = append(*bd, Factor{Name: "likelihood", Value: fmt.Sprintf("%.2f", lik), Weight: w.Likelihood, Points: pLik, Why: likWhy})
		expSrc := "unknown: neither observed nor assessed"
		switch {
		case in.HasObserved:
			expSrc = in.Observed.why()
		case in.AssessedLateral != 0:
			expSrc = "assessed (no observed communications)"
		}
		latStr := "unknown"
		if lat != 0 {
			latStr = fmt.Sprintf("%d (%s)", lat, lat.Describe())
		}
		*bd = append(*bd, Factor{Name: "exposure", Value: latStr, Weight: w.Exposure, Points: pExp,
			Why: fmt.Sprintf("%s; %.0f%% of weight %g %s", expSrc, exp*100, w.Exposure, ampWhy)})
		*bd = append(*bd, Factor{Name: "manufacturer support", Value: in.Support.String(), Weight: w.Support, Points: pSup,
			Why: fmt.Sprintf("supported 0, end of support 60%%, legacy 100%%, unknown %.0f%% of weight %g %s", m.UnsetAs*100, w.Support, ampWhy)})
		ctlF := func(name string, on bool, weight, pts float64, why string) {
			if on {
				*bd = append(*bd, Factor{Name: name, Value: "in place", Weight: weight, Points: pts, Why: why + " " + ampWhy})
			}
		}
		ctlF("segmentation", ctl.Segmentation, w.Segmentation, pSeg, "compensating control: network segmentation")
		ctlF("NAC", ctl.NAC, w.NAC, pNAC, "compensating control: network access control")
		ctlF("disabled services", ctl.DisabledServices, w.DisabledServices, pDis, "compensating control: unneeded services disabled")
		ctlF("MDS2 capabilities", nCaps > 0, w.MDS2, pMDS, fmt.Sprintf("compensating control: %d of %d MDS2 security capabilities declared", nCaps, mds2All))
		if pCap != 0 {
			*bd = append(*bd, Factor{Name: "control cap", Value: fmt.Sprintf("%.2f", pCap), Points: pCap,
				Why: "controls remove at most the likelihood, exposure and support points; they do not lower clinical impact"})
		}
	}
	return round2(sum)
}

// RiskScore scores an asset's risk 0–100 under model m (nil: default):
//
//	clinical impact  Impact × C                       (C = clinical / 100)
//	likelihood       A × Likelihood × L               (L = 1 − Π(1 − lᵢ))
//	exposure         A × Exposure × (reach − 1) / 4   (observed, else assessed)
//	support          A × Support × s                  (0 / 0.6 / 1)
//	controls         − A × credit, each in place
//
// where A = 0.5 + 0.5 × C scales the threat factors by consequence, so a
// vulnerable low-impact device ranks below an equally vulnerable
// ventilator. Controls never remove more than the threat points. The
// breakdown lists every factor with its points; they sum to Value.
func RiskScore(in RiskInputs, m *ScoringModel) Score {
	if m == nil {
		d := DefaultModel()
		m = &d
	}
	bd := make([]Factor, 0, 9)
	v := risk(&in, m, &bd)
	return Score{Value: v, Tier: m.RiskTiers.Tier(v), Model: m.Version, Breakdown: bd}
}

// RiskValue is RiskScore without the breakdown, for bulk rescoring; it
// returns the same value.
func RiskValue(in *RiskInputs, m *ScoringModel) float64 {
	return risk(in, m, nil)
}

// Asset is one asset's scoring input for bulk rescoring: its resolved
// profile and its risk inputs (whose Clinical is filled in by Rescore).
type Asset struct {
	Profile Profile
	Risk    RiskInputs
}

// Scores are an asset's two scores and tiers.
type Scores struct {
	Clinical     float64
	ClinicalTier Tier
	Risk         float64
	RiskTier     Tier
}

// Rescore scores assets in bulk without breakdowns, writing out[i] for
// assets[i] (out must be at least as long). Breakdowns, computed on
// demand with ClinicalImpact and RiskScore, give the same values. It
// allocates nothing.
func Rescore(assets []Asset, m *ScoringModel, out []Scores) {
	for i := range assets {
		a := &assets[i]
		c := clinical(&a.Profile, m, nil)
		a.Risk.Clinical = c
		r := risk(&a.Risk, m, nil)
		out[i] = Scores{Clinical: c, ClinicalTier: m.ClinicalTiers.Tier(c), Risk: r, RiskTier: m.RiskTiers.Tier(r)}
	}
}
