package ssvc

import (
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"
)

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// TestDeployerTableOfficial checks all 72 combinations against CERT/CC's
// deployer_patch_application_priority_1_0_0 table.
func TestDeployerTableOfficial(t *testing.T) {
	rows := readCSV(t, "deployer_patch_application_priority_1_0_0.csv")
	if len(rows) != 3*3*2*4 {
		t.Fatalf("official table has %d rows, want 72", len(rows))
	}
	seen := map[int]bool{}
	for _, r := range rows {
		e, err1 := ParseExploitation(r[1])
		x, err2 := ParseExposure(r[2])
		a, err3 := ParseAutomatable(r[3])
		hi, err4 := ParseHumanImpact(r[4])
		want, err5 := ParseDecision(r[5])
		for _, err := range []error{err1, err2, err3, err4, err5} {
			if err != nil {
				t.Fatalf("row %v: %v", r, err)
			}
		}
		if got := Decide(e, x, a, hi); got != want {
			t.Errorf("row %s (%s/%s/%s/%s): got %s, want %s", r[0], r[1], r[2], r[3], r[4], got, want)
		}
		n, _ := strconv.Atoi(r[0])
		if Row(e, x, a, hi) != n {
			t.Errorf("Row(%v) = %d, want %d", r, Row(e, x, a, hi), n)
		}
		seen[n] = true
	}
	if len(seen) != 72 {
		t.Errorf("%d distinct rows", len(seen))
	}
}

// TestHumanImpactTableOfficial checks all 16 cells against CERT/CC's
// human_impact_1_0_0 table.
func TestHumanImpactTableOfficial(t *testing.T) {
	rows := readCSV(t, "human_impact_1_0_0.csv")
	if len(rows) != 16 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		si, err1 := ParseSafetyImpact(r[1])
		mi, err2 := ParseMissionImpact(r[2])
		want, err3 := ParseHumanImpact(r[3])
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatalf("row %v: %v %v %v", r, err1, err2, err3)
		}
		if got := LookupHumanImpact(si, mi); got != want {
			t.Errorf("%s × %s: got %s, want %s", r[1], r[2], got, want)
		}
	}
}

// TestEvaluateEveryCombination runs all 3×3×2×4×4 = 288 input
// combinations and checks that the decision is monotone: raising any
// input never lowers the priority (a property of CERT/CC's table).
func TestEvaluateEveryCombination(t *testing.T) {
	n := 0
	for e := ExploitationNone; e <= ExploitationActive; e++ {
		for x := ExposureSmall; x <= ExposureOpen; x++ {
			for a := AutomatableNo; a <= AutomatableYes; a++ {
				for si := SafetyNegligible; si <= SafetyCatastrophic; si++ {
					for mi := MissionDegraded; mi <= MissionFailure; mi++ {
						out, err := Evaluate(Inputs{e, x, a, si, mi})
						if err != nil {
							t.Fatal(err)
						}
						n++
						if out.HumanImpact != LookupHumanImpact(si, mi) || out.Decision != Decide(e, x, a, out.HumanImpact) {
							t.Fatalf("inconsistent outcome %+v", out)
						}
						if !strings.Contains(out.Explanation, out.Decision.String()) || !strings.Contains(out.Explanation, si.String()) {
							t.Errorf("explanation %q", out.Explanation)
						}
						up := func(o Outcome) {
							if o.Decision < out.Decision {
								t.Errorf("not monotone: %+v → %s but %+v → %s", out.Inputs, out.Decision, o.Inputs, o.Decision)
							}
						}
						if e < ExploitationActive {
							o, _ := Evaluate(Inputs{e + 1, x, a, si, mi})
							up(o)
						}
						if x < ExposureOpen {
							o, _ := Evaluate(Inputs{e, x + 1, a, si, mi})
							up(o)
						}
						if a < AutomatableYes {
							o, _ := Evaluate(Inputs{e, x, a + 1, si, mi})
							up(o)
						}
					}
				}
			}
		}
	}
	if n != 288 {
		t.Fatal(n)
	}
}

func TestKnownDecisions(t *testing.T) {
	tests := []struct {
		in       Inputs
		hi       HumanImpact
		decision Decision
	}{
		{Inputs{ExploitationActive, ExposureOpen, AutomatableYes, SafetyCatastrophic, MissionFailure}, HumanVeryHigh, Immediate},
		{Inputs{ExploitationNone, ExposureSmall, AutomatableNo, SafetyNegligible, MissionDegraded}, HumanLow, Defer},
		{Inputs{ExploitationActive, ExposureControlled, AutomatableNo, SafetyCritical, MissionMEFFailure}, HumanHigh, OutOfCycle},
		{Inputs{ExploitationPublicPoC, ExposureOpen, AutomatableNo, SafetyMarginal, MissionMEFFailure}, HumanMedium, Scheduled},
		{Inputs{ExploitationActive, ExposureOpen, AutomatableNo, SafetyCritical, MissionMEFSupportCrippled}, HumanHigh, OutOfCycle},
	}
	for _, tt := range tests {
		out, err := Evaluate(tt.in)
		if err != nil || out.HumanImpact != tt.hi || out.Decision != tt.decision {
			t.Errorf("%+v: got %s/%s (%v), want %s/%s", tt.in, out.HumanImpact, out.Decision, err, tt.hi, tt.decision)
		}
	}
}

func TestParseRefusesUnknownListingValid(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{func() error { _, err := ParseExploitation("rumoured"); return err }(), "none, public-poc, active"},
		{func() error { _, err := ParseExposure("wide"); return err }(), "small, controlled, open"},
		{func() error { _, err := ParseAutomatable("maybe"); return err }(), "no, yes"},
		{func() error { _, err := ParseSafetyImpact("major"); return err }(), "negligible, marginal, critical, catastrophic"},
		{func() error { _, err := ParseMissionImpact("none"); return err }(), "degraded, mef-support-crippled, mef-failure, mission-failure"},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("error %v, want one listing %q", tt.err, tt.want)
		}
	}
	for in, want := range map[string]Exploitation{"public-poc": ExploitationPublicPoC, "Public PoC": ExploitationPublicPoC, "poc": ExploitationPublicPoC, "ACTIVE": ExploitationActive, "none": ExploitationNone} {
		if got, err := ParseExploitation(in); err != nil || got != want {
			t.Errorf("ParseExploitation(%q) = %v, %v", in, got, err)
		}
	}
	if got, err := ParseMissionImpact("MEF Support Crippled"); err != nil || got != MissionMEFSupportCrippled {
		t.Errorf("got %v %v", got, err)
	}
	if _, err := Evaluate(Inputs{Safety: 9}); err == nil || !strings.Contains(err.Error(), "catastrophic") {
		t.Errorf("out of range: %v", err)
	}
}

func TestPointsEmbedded(t *testing.T) {
	ps := Points()
	if len(ps) != 7 {
		t.Fatalf("%d points", len(ps))
	}
	want := []struct {
		key   string
		names []string
	}{
		{"E", exploitationNames}, {"EXP", exposureNames}, {"A", automatableNames},
		{"SI", safetyNames}, {"MI", missionNames}, {"HI", humanNames}, {"DSOI", decisionNames},
	}
	for i, w := range want {
		p := ps[i]
		if p.Key != w.key || len(p.Values) != len(w.names) || p.Definition == "" {
			t.Fatalf("point %d: %+v", i, p)
		}
		for j, v := range p.Values {
			if v.Name != w.names[j] || v.Definition == "" {
				t.Errorf("%s value %d: %q, want %q", p.ID(), j, v.Name, w.names[j])
			}
		}
	}
	if p, ok := Point("HI"); !ok || p.ID() != "ssvc:HI:2.0.2" {
		t.Errorf("Point(HI) = %v %v", p.ID(), ok)
	}
}
