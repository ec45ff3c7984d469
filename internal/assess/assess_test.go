package assess

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/medsec/medsec/internal/ssvc"
)

func TestValidateGivesRanges(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{EM{Function: 11, PhysicalRisk: 1, Maintenance: 1}.Validate(), "equipment function must be 2–10, got 11"},
		{EM{Function: 10, PhysicalRisk: 0, Maintenance: 1}.Validate(), "physical risk must be 1–5"},
		{EM{Function: 10, PhysicalRisk: 5, Maintenance: 6}.Validate(), "maintenance requirement must be 1–5"},
		{EM{Function: 10, PhysicalRisk: 5, Maintenance: 5, IncidentHistory: 3}.Validate(), "incident history must be −2…+2, got 3"},
		{CareDelivery(6).Validate(), "care-delivery impact must be 1–5"},
		{LateralAccess(0).Validate(), "lateral network access must be 1–5"},
		{Financial(9).Validate(), "financial impact must be 1–5"},
		{Reputational(7).Validate(), "reputational impact must be 1–5"},
		{Acuity(42).Validate(), "icu, nicu, or, ed, procedural, inpatient, outpatient, non-clinical"},
		{Profile{PHI: No, LargePHI: Yes}.Validate(), "large-phi is yes but phi is no"},
		{Profile{PHI: 3}.Validate(), "must be yes or no"},
		{func() error { _, err := ParseAcuity("lobby"); return err }(), "valid values: icu, nicu"},
		{(&FindingFacts{CVE: "CVE-1", EPSS: 1.5}).Validate(), "EPSS must be 0–1"},
		{(&FindingFacts{CVE: "CVE-1", CVSSExploitability: 4}).Validate(), "CVSS exploitability must be 0–3.9"},
		{(&RiskInputs{Clinical: 101}).Validate(), "clinical impact must be 0–100"},
		{func() error { _, err := ParseSupportStatus("maybe"); return err }(), "supported, end-of-support, legacy"},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("error %v, want %q", tt.err, tt.want)
		}
	}
	good := Profile{LifeSafety: EM{10, 5, 5, 2}, Acuity: AcuityICU, PHI: Yes, LargePHI: Yes, CareDelivery: 5, Lateral: 5, Financial: 5, Reputational: 5}
	if err := good.Validate(); err != nil {
		t.Error(err)
	}
	if err := (Profile{}).Validate(); err != nil {
		t.Errorf("empty profile: %v", err)
	}
}

func TestEM(t *testing.T) {
	e := EM{Function: 10, PhysicalRisk: 5, Maintenance: 5, IncidentHistory: 2}
	if e.Score() != 22 || !e.InPMProgram() || e.PMInterval() != "quarterly" {
		t.Errorf("%v %v %v", e.Score(), e.InPMProgram(), e.PMInterval())
	}
	e = EM{Function: 2, PhysicalRisk: 1, Maintenance: 1, IncidentHistory: -2}
	if e.Score() != 2 || e.InPMProgram() || e.PMInterval() != "none" {
		t.Errorf("%v", e)
	}
	for score, want := range map[int8]string{12: "annual", 14: "annual", 15: "semi-annual", 17: "semi-annual", 11: "none"} {
		e := EM{Function: score - 4, PhysicalRisk: 2, Maintenance: 2}
		if e.PMInterval() != want || (score >= 12) != e.InPMProgram() {
			t.Errorf("EM %d: %s", score, e.PMInterval())
		}
	}
	if a, _ := ParseAcuity("PICU"); a != AcuityICU || a.Rank() != AcuityNICU.Rank() {
		t.Errorf("PICU %v", a)
	}
	if LargePHIFromRecords(499) != No || LargePHIFromRecords(500) != Yes {
		t.Error("large PHI threshold")
	}
}

func TestResolveLayersWithSources(t *testing.T) {
	when := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	modality := Layer{Level: LevelModality, Scope: "Infusion pump",
		Values:  Profile{LifeSafety: EM{9, 5, 4, 0}, Acuity: AcuityInpatient, PHI: Yes, LargePHI: No, CareDelivery: 3, Lateral: 4, Financial: 2, Reputational: 3},
		Default: Note{SetBy: "biomed-lead", SetAt: when, Reason: "modality baseline"}}
	model := Layer{Level: LevelModel, Scope: "BD Alaris 8015",
		Values:  Profile{LargePHI: Yes},
		Default: Note{SetBy: "ciso", SetAt: when.AddDate(0, 1, 0), Reason: "drug library holds 10k patient records"}}
	asset := Layer{Level: LevelAsset, Scope: "BM-1234", Values: Profile{Acuity: AcuityICU, CareDelivery: 5}}
	asset.Notes[PointAcuity] = Note{SetBy: "htm", Reason: "moved to ICU 4 West"}
	asset.Notes[PointCareDelivery] = Note{SetBy: "icu-manager", Reason: "only pump with PCA module"}
	// Layers in any order.
	r, err := Resolve(asset, modality, model)
	if err != nil {
		t.Fatal(err)
	}
	p := r.Profile
	if p.Acuity != AcuityICU || p.CareDelivery != 5 || p.LargePHI != Yes || p.Lateral != 4 || p.LifeSafety.Score() != 18 {
		t.Errorf("profile %+v", p)
	}
	want := map[Point]Level{PointLifeSafety: LevelModality, PointAcuity: LevelAsset, PointPHI: LevelModality, PointLargePHI: LevelModel, PointCareDelivery: LevelAsset}
	for pt, lvl := range want {
		if r.Sources[pt].Level != lvl {
			t.Errorf("%s from %s, want %s", pt, r.Sources[pt].Level, lvl)
		}
	}
	if s := r.Sources[PointAcuity]; s.SetBy != "htm" || s.Scope != "BM-1234" || s.Reason != "moved to ICU 4 West" {
		t.Errorf("acuity source %+v", s)
	}
	if s := r.Sources[PointLargePHI]; s.SetBy != "ciso" || !s.SetAt.Equal(when.AddDate(0, 1, 0)) {
		t.Errorf("large-phi source %+v", s)
	}
	if ex := r.Explain(PointLargePHI); !strings.Contains(ex, "model BD Alaris 8015, set by ciso on 2025-04-01: drug library") {
		t.Errorf("explain %q", ex)
	}
	// Unset in every layer stays unassessed.
	r, _ = Resolve(Layer{Level: LevelModality, Values: Profile{Financial: 2}})
	if r.Sources[PointLateral].Level != LevelNone || r.Explain(PointLateral) != "lateral-access not assessed — not assessed" {
		t.Errorf("%q", r.Explain(PointLateral))
	}
	// Errors.
	if _, err := Resolve(modality, Layer{Level: LevelModality, Scope: "x"}); err == nil || !strings.Contains(err.Error(), "two modality-level layers") {
		t.Errorf("dup: %v", err)
	}
	bad := Layer{Level: LevelAsset, Scope: "BM-9", Values: Profile{CareDelivery: 7}}
	if _, err := Resolve(modality, bad); err == nil || !strings.Contains(err.Error(), `asset "BM-9": care-delivery impact must be 1–5`) {
		t.Errorf("bad: %v", err)
	}
	if _, err := Resolve(Layer{Values: Profile{}}); err == nil {
		t.Error("no level accepted")
	}
	conflict := Layer{Level: LevelAsset, Values: Profile{PHI: No}}
	if _, err := Resolve(model, conflict); err == nil || !strings.Contains(err.Error(), "resolved profile") {
		t.Errorf("conflict: %v", err)
	}
}

func TestObservedLateral(t *testing.T) {
	tests := []struct {
		o    ObservedComms
		want LateralAccess
	}{
		{ObservedComms{}, 1},
		{ObservedComms{Flows: 10, DistinctSubnets: 1}, 2},
		{ObservedComms{Flows: 10, DistinctSubnets: 2}, 3},
		{ObservedComms{Flows: 10, DistinctSubnets: 3}, 4},
		{ObservedComms{Flows: 10, DistinctSubnets: 1, NonClinicalPeers: 1}, 4},
		{ObservedComms{Flows: 10, DistinctSubnets: 1, InternetPeers: 2}, 5},
		{ObservedComms{Flows: 10, RemoteAccessPeers: 1}, 5},
	}
	for _, tt := range tests {
		if got, why := tt.o.Lateral(); got != tt.want || why == "" {
			t.Errorf("%+v: %d, want %d", tt.o, got, tt.want)
		}
	}
	c := CompareLateral(3, ObservedComms{Flows: 5, DistinctSubnets: 2, InternetPeers: 1})
	if !c.Disagree || c.Observed != 5 || !strings.Contains(c.Why, "reaches further") {
		t.Errorf("%+v", c)
	}
	c = CompareLateral(3, ObservedComms{Flows: 5, DistinctSubnets: 2})
	if c.Disagree || c.Observed != 3 {
		t.Errorf("%+v", c)
	}
	c = CompareLateral(5, ObservedComms{Flows: 5, DistinctSubnets: 1})
	if !c.Disagree || !strings.Contains(c.Why, "below assessed") {
		t.Errorf("%+v", c)
	}
	if c := CompareLateral(0, ObservedComms{}); c.Disagree || !strings.Contains(c.Why, "not assessed") {
		t.Errorf("%+v", c)
	}
	if err := (ObservedComms{InternetPeers: -1}).Validate(); err == nil {
		t.Error("negative accepted")
	}
}

func TestModel(t *testing.T) {
	m := DefaultModel()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := DefaultModel()
	bad.Weights.Financial = 20
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "sum to 100") {
		t.Errorf("%v", err)
	}
	bad = DefaultModel()
	bad.RiskTiers.High = 90
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "thresholds") {
		t.Errorf("%v", err)
	}
	bad = DefaultModel()
	bad.Version = ""
	if err := bad.Validate(); err == nil {
		t.Error("no version accepted")
	}
}

func sumPoints(s Score) float64 {
	t := 0.0
	for _, f := range s.Breakdown {
		t += f.Points
	}
	return t
}

func TestClinicalImpact(t *testing.T) {
	m := DefaultModel()
	max := Profile{LifeSafety: EM{10, 5, 5, 2}, Acuity: AcuityICU, PHI: Yes, LargePHI: Yes, CareDelivery: 5, Lateral: 5, Financial: 5, Reputational: 5}
	s := ClinicalImpact(max, &m)
	if s.Value != 100 || s.Tier != TierCritical || len(s.Breakdown) != int(NumPoints) || s.Model != m.Version {
		t.Errorf("max: %+v", s)
	}
	min := Profile{LifeSafety: EM{2, 1, 1, -2}, Acuity: AcuityNonClinical, PHI: No, LargePHI: No, CareDelivery: 1, Lateral: 1, Financial: 1, Reputational: 1}
	if s := ClinicalImpact(min, &m); s.Value != 0 || s.Tier != TierLow {
		t.Errorf("min: %+v", s)
	}
	s = ClinicalImpact(Profile{}, nil)
	if s.Value != 50 || s.Tier != TierHigh || !strings.Contains(s.Breakdown[0].Why, "not assessed") {
		t.Errorf("unassessed: %+v", s)
	}
	// A ventilator in the ICU.
	vent := Profile{LifeSafety: EM{10, 5, 4, 0}, Acuity: AcuityICU, PHI: Yes, LargePHI: No, CareDelivery: 5, Lateral: 3, Financial: 3, Reputational: 4}
	s = ClinicalImpact(vent, &m)
	if s.Tier != TierCritical || math.Abs(s.Value-sumPoints(s)) > 1e-9 || ClinicalImpactValue(&vent, &m) != s.Value {
		t.Errorf("vent: %+v", s)
	}
	if f := s.Breakdown[0]; f.Name != "life-safety" || f.Weight != 25 || f.Points != 21.25 || !strings.Contains(f.Value, "EM 19") {
		t.Errorf("life-safety factor %+v", f)
	}
}

func TestRiskScore(t *testing.T) {
	m := DefaultModel()
	base := RiskInputs{Clinical: 80, Support: Supported, HasObserved: true, Observed: ObservedComms{Flows: 10, DistinctSubnets: 2}}
	s0 := RiskScore(base, &m)
	if math.Abs(s0.Value-sumPoints(s0)) > 1e-9 {
		t.Errorf("sum %v vs %v", s0.Value, sumPoints(s0))
	}
	withKEV := base
	withKEV.Findings = []FindingFacts{{CVE: "CVE-2024-0001", KEV: true, Status: "open"}, {CVE: "CVE-2024-0002", EPSS: 0.01, CVSSExploitability: 1.2}}
	s1 := RiskScore(withKEV, &m)
	if s1.Value <= s0.Value || !strings.Contains(s1.Breakdown[1].Why, "CVE-2024-0001 (in CISA KEV") {
		t.Errorf("KEV did not raise: %v → %v %+v", s0.Value, s1.Value, s1.Breakdown[1])
	}
	closed := base
	closed.Findings = []FindingFacts{{CVE: "CVE-2024-0001", KEV: true, Status: "fixed"}}
	if RiskScore(closed, &m).Value != s0.Value {
		t.Error("a fixed finding counted")
	}
	ctl := withKEV
	ctl.Controls = Controls{Segmentation: true, NAC: true, DisabledServices: true, MDS2: MDS2Malware | MDS2Hardening | MDS2Audit}
	s2 := RiskScore(ctl, &m)
	if s2.Value >= s1.Value {
		t.Errorf("controls did not lower: %v → %v", s1.Value, s2.Value)
	}
	negatives := 0
	for _, f := range s2.Breakdown {
		if f.Points < 0 {
			negatives++
		}
	}
	if negatives != 4 || math.Abs(s2.Value-sumPoints(s2)) > 1e-9 {
		t.Errorf("breakdown %+v", s2.Breakdown)
	}
	// Controls cannot remove clinical impact.
	quiet := RiskInputs{Clinical: 60, Support: Supported, HasObserved: true, Observed: ObservedComms{}, Controls: ctl.Controls}
	s3 := RiskScore(quiet, &m)
	if s3.Value != round2(0.3*60) || s3.Breakdown[len(s3.Breakdown)-1].Name != "control cap" {
		t.Errorf("cap: %+v", s3)
	}
	// Legacy raises, observed internet raises.
	leg := base
	leg.Support = Legacy
	if RiskScore(leg, &m).Value <= s0.Value {
		t.Error("legacy did not raise")
	}
	inet := base
	inet.Observed.InternetPeers = 1
	if RiskScore(inet, &m).Value <= s0.Value {
		t.Error("internet did not raise")
	}
	// Maximum is 100.
	worst := RiskInputs{Clinical: 100, Support: Legacy, HasObserved: true, Observed: ObservedComms{InternetPeers: 1}, Findings: []FindingFacts{{KEV: true}}}
	if s := RiskScore(worst, &m); s.Value != 100 || s.Tier != TierCritical {
		t.Errorf("worst %+v", s)
	}
	// Assessed lateral used without observation.
	assessed := RiskInputs{Clinical: 50, AssessedLateral: 5}
	if s := RiskScore(assessed, nil); !strings.Contains(s.Breakdown[2].Why, "assessed") {
		t.Errorf("%+v", s.Breakdown[2])
	}
}

func TestLikelihood(t *testing.T) {
	for _, tt := range []struct {
		f    FindingFacts
		want float64
		why  string
	}{
		{FindingFacts{KEV: true}, 1, "KEV"},
		{FindingFacts{Exploitation: ssvc.ExploitationActive}, 1, "actively"},
		{FindingFacts{Exploitation: ssvc.ExploitationPublicPoC, EPSS: 0.01}, 0.7, "proof of concept"},
		{FindingFacts{EPSS: 0.81}, 0.81, "EPSS 0.810"},
		{FindingFacts{CVSSExploitability: 3.9, EPSS: 0.01}, 0.4, "CVSS exploitability 3.9"},
		{FindingFacts{}, 0, "no exploitation"},
	} {
		l, why := tt.f.Likelihood()
		if math.Abs(l-tt.want) > 1e-9 || !strings.Contains(why, tt.why) {
			t.Errorf("%+v: %v %q", tt.f, l, why)
		}
	}
}

// TestFastEqualsBreakdown: the bulk scores equal the breakdowns' values
// and sums on many random assets.
func TestFastEqualsBreakdown(t *testing.T) {
	m := DefaultModel()
	assets := synthetic(20000, 1)
	out := make([]Scores, len(assets))
	Rescore(assets, &m, out)
	for i := range assets {
		a := assets[i]
		c := ClinicalImpact(a.Profile, &m)
		if c.Value != out[i].Clinical || c.Tier != out[i].ClinicalTier || math.Abs(c.Value-sumPoints(c)) > 1e-9 {
			t.Fatalf("asset %d clinical: bulk %v, breakdown %v (sum %v)", i, out[i].Clinical, c.Value, sumPoints(c))
		}
		r := RiskScore(a.Risk, &m)
		if r.Value != out[i].Risk || r.Tier != out[i].RiskTier || math.Abs(r.Value-sumPoints(r)) > 1e-9 || r.Value < 0 || r.Value > 100 {
			t.Fatalf("asset %d risk: bulk %v, breakdown %v (sum %v)", i, out[i].Risk, r.Value, sumPoints(r))
		}
		if RiskValue(&a.Risk, &m) != r.Value {
			t.Fatal("RiskValue differs")
		}
	}
}

func TestRescoreAllocatesNothing(t *testing.T) {
	m := DefaultModel()
	assets := synthetic(1000, 2)
	out := make([]Scores, len(assets))
	if n := testing.AllocsPerRun(5, func() { Rescore(assets, &m, out) }); n != 0 {
		t.Errorf("%v allocations per Rescore", n)
	}
}

// synthetic makes n assets with random profiles and 0–4 findings each.
func synthetic(n int, seed uint64) []Asset {
	r := rand.New(rand.NewPCG(seed, 7))
	findings := make([]FindingFacts, 0, n*2)
	assets := make([]Asset, n)
	for i := range assets {
		p := Profile{
			LifeSafety:   EM{int8(2 + r.IntN(9)), int8(1 + r.IntN(5)), int8(1 + r.IntN(5)), int8(r.IntN(5) - 2)},
			Acuity:       Acuity(1 + r.IntN(8)),
			PHI:          YesNo(1 + r.IntN(2)),
			CareDelivery: CareDelivery(1 + r.IntN(5)),
			Lateral:      LateralAccess(1 + r.IntN(5)),
			Financial:    Financial(1 + r.IntN(5)),
			Reputational: Reputational(1 + r.IntN(5)),
		}
		if p.PHI == Yes {
			p.LargePHI = YesNo(1 + r.IntN(2))
		}
		if r.IntN(10) == 0 {
			p = Profile{Acuity: p.Acuity} // mostly unassessed
		}
		start := len(findings)
		for k := r.IntN(5); k > 0; k-- {
			findings = append(findings, FindingFacts{
				CVE: "CVE-2025-0001", KEV: r.IntN(20) == 0, EPSS: r.Float64() * r.Float64(),
				CVSSExploitability: float64(r.IntN(40)) / 10, Exploitation: ssvc.Exploitation(r.IntN(3)),
				Status: []string{"open", "open", "fixed", ""}[r.IntN(4)],
			})
		}
		assets[i] = Asset{Profile: p, Risk: RiskInputs{
			Findings:        findings[start:len(findings):len(findings)],
			HasObserved:     r.IntN(2) == 0,
			Observed:        ObservedComms{Flows: r.IntN(100), DistinctSubnets: r.IntN(4), NonClinicalPeers: r.IntN(2), InternetPeers: r.IntN(8) / 7},
			AssessedLateral: p.Lateral,
			Support:         SupportStatus(r.IntN(4)),
			Controls:        Controls{Segmentation: r.IntN(2) == 0, NAC: r.IntN(3) == 0, DisabledServices: r.IntN(3) == 0, MDS2: MDS2Caps(r.IntN(64))},
		}}
	}
	return assets
}

// BenchmarkRescore1M rescores one million synthetic assets (profiles and
// 0–4 findings each) per iteration, without breakdowns.
func BenchmarkRescore1M(b *testing.B) {
	const n = 1_000_000
	m := DefaultModel()
	assets := synthetic(n, 42)
	out := make([]Scores, n)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	iters := 0
	for b.Loop() {
		Rescore(assets, &m, out)
		iters++
	}
	el := time.Since(start)
	b.ReportMetric(float64(el.Nanoseconds())/float64(iters*n), "ns/asset")
	b.ReportMetric(el.Seconds()/float64(iters), "s/1M")
}

// BenchmarkRiskScoreBreakdown is one asset's risk score with breakdown,
// as computed on demand.
func BenchmarkRiskScoreBreakdown(b *testing.B) {
	m := DefaultModel()
	assets := synthetic(1024, 3)
	i := 0
	for b.Loop() {
		a := &assets[i&1023]
		_ = ClinicalImpact(a.Profile, &m)
		_ = RiskScore(a.Risk, &m)
		i++
	}
}
