// Package ssvc implements CERT/CC's Stakeholder-Specific Vulnerability
// Categorization for a deployer (the hospital and its HTM provider): the
// decision points Exploitation, System Exposure, Automatable and Human
// Impact (itself looked up from Safety Impact × Mission Impact) and the
// official deployer patch-application priority table, whose outcome is
// Defer, Scheduled, Out-of-Cycle or Immediate.
//
// The decision point names, keys and definitions are embedded from the
// official SSVC JSON (see data/README.md). The two tables below are the
// official CERT/CC tables, human_impact_1_0_0 and
// deployer_patch_application_priority_1_0_0 (SSVC v2 deployer tree), which
// were not in medsec's shared SSVC data; testdata/ holds the official CSV
// files and the tests compare every cell. The package is pure: no I/O.
package ssvc

import (
	"fmt"
	"strings"

	"github.com/medsec/medsec"
)

// Exploitation is the present state of exploitation (ssvc:E:1.1.0).
type Exploitation uint8

// Exploitation values.
const (
	ExploitationNone Exploitation = iota
	ExploitationPublicPoC
	ExploitationActive
)

// Exposure is the System Exposure decision point (ssvc:EXP:1.0.1).
type Exposure uint8

// System Exposure values.
const (
	ExposureSmall Exposure = iota
	ExposureControlled
	ExposureOpen
)

// Automatable is the Automatable decision point (ssvc:A:2.0.0).
type Automatable uint8

// Automatable values.
const (
	AutomatableNo Automatable = iota
	AutomatableYes
)

// SafetyImpact is the Safety Impact decision point (ssvc:SI:2.0.1).
type SafetyImpact uint8

// Safety Impact values, IEC 61508 consequence categories.
const (
	SafetyNegligible SafetyImpact = iota
	SafetyMarginal
	SafetyCritical
	SafetyCatastrophic
)

// MissionImpact is the Mission Impact decision point (ssvc:MI:2.0.0).
type MissionImpact uint8

// Mission Impact values.
const (
	MissionDegraded MissionImpact = iota
	MissionMEFSupportCrippled
	MissionMEFFailure
	MissionFailure
)

// HumanImpact is the Human Impact decision point (ssvc:HI:2.0.2).
type HumanImpact uint8

// Human Impact values.
const (
	HumanLow HumanImpact = iota
	HumanMedium
	HumanHigh
	HumanVeryHigh
)

// Decision is the deployer's outcome (ssvc:DSOI:1.0.0).
type Decision uint8

// Decisions, from least to most urgent.
const (
	Defer Decision = iota
	Scheduled
	OutOfCycle
	Immediate
)

// Tokens are the command-line spellings, in order; names are the official
// SSVC value names.
var (
	exploitationTokens = []string{"none", "public-poc", "active"}
	exploitationNames  = []string{"None", "Public PoC", "Active"}
	exposureTokens     = []string{"small", "controlled", "open"}
	exposureNames      = []string{"Small", "Controlled", "Open"}
	automatableTokens  = []string{"no", "yes"}
	automatableNames   = []string{"No", "Yes"}
	safetyTokens       = []string{"negligible", "marginal", "critical", "catastrophic"}
	safetyNames        = []string{"Negligible", "Marginal", "Critical", "Catastrophic"}
	missionTokens      = []string{"degraded", "mef-support-crippled", "mef-failure", "mission-failure"}
	missionNames       = []string{"Degraded", "MEF Support Crippled", "MEF Failure", "Mission Failure"}
	humanTokens        = []string{"low", "medium", "high", "very-high"}
	humanNames         = []string{"Low", "Medium", "High", "Very High"}
	decisionTokens     = []string{"defer", "scheduled", "out-of-cycle", "immediate"}
	decisionNames      = []string{"Defer", "Scheduled", "Out-of-Cycle", "Immediate"}
)

func name(names []string, i uint8) string {
	if int(i) < len(names) {
		return names[i]
	}
	return fmt.Sprintf("invalid(%d)", i)
}

// String returns the official value name, e.g. "Public PoC".
func (v Exploitation) String() string { return name(exploitationNames, uint8(v)) }

// Token returns the command-line spelling, e.g. "public-poc".
func (v Exploitation) Token() string { return name(exploitationTokens, uint8(v)) }

// String returns the official value name.
func (v Exposure) String() string { return name(exposureNames, uint8(v)) }

// Token returns the command-line spelling.
func (v Exposure) Token() string { return name(exposureTokens, uint8(v)) }

// String returns the official value name.
func (v Automatable) String() string { return name(automatableNames, uint8(v)) }

// Token returns the command-line spelling.
func (v Automatable) Token() string { return name(automatableTokens, uint8(v)) }

// String returns the official value name.
func (v SafetyImpact) String() string { return name(safetyNames, uint8(v)) }

// Token returns the command-line spelling.
func (v SafetyImpact) Token() string { return name(safetyTokens, uint8(v)) }

// String returns the official value name, e.g. "MEF Support Crippled".
func (v MissionImpact) String() string { return name(missionNames, uint8(v)) }

// Token returns the command-line spelling, e.g. "mef-support-crippled".
func (v MissionImpact) Token() string { return name(missionTokens, uint8(v)) }

// String returns the official value name, e.g. "Very High".
func (v HumanImpact) String() string { return name(humanNames, uint8(v)) }

// Token returns the command-line spelling, e.g. "very-high".
func (v HumanImpact) Token() string { return name(humanTokens, uint8(v)) }

// String returns the official value name, e.g. "Out-of-Cycle".
func (v Decision) String() string { return name(decisionNames, uint8(v)) }

// Token returns the command-line spelling, e.g. "out-of-cycle".
func (v Decision) Token() string { return name(decisionTokens, uint8(v)) }

// MarshalText writes the official name, so JSON shows "Out-of-Cycle".
func (v Decision) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// MarshalText writes the official name, so JSON shows "Very High".
func (v HumanImpact) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// norm folds case and separators: "Public PoC", "public_poc" and
// "public-poc" all become "public-poc".
func norm(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer("_", "-", " ", "-").Replace(s)
	return s
}

// lookup finds s among tokens, official names and keys, and aliases.
func lookup(what, s string, tokens, names []string, keys []string, aliases map[string]uint8) (uint8, error) {
	n := norm(s)
	for i := range tokens {
		if n == tokens[i] || n == norm(names[i]) || (i < len(keys) && n == strings.ToLower(keys[i])) {
			return uint8(i), nil
		}
	}
	if v, ok := aliases[n]; ok {
		return v, nil
	}
	return 0, medsec.Errorf(medsec.EINVALID, "unknown %s %q; valid values: %s", what, s, strings.Join(tokens, ", "))
}

// ParseExploitation reads none, public-poc or active (also the official
// names and keys N, P, A). Other values are refused with the valid list.
func ParseExploitation(s string) (Exploitation, error) {
	v, err := lookup("exploitation", s, exploitationTokens, exploitationNames, []string{"N", "P", "A"},
		map[string]uint8{"poc": 1, "publicpoc": 1})
	return Exploitation(v), err
}

// ParseExposure reads small, controlled or open.
func ParseExposure(s string) (Exposure, error) {
	v, err := lookup("system exposure", s, exposureTokens, exposureNames, []string{"S", "C", "O"}, nil)
	return Exposure(v), err
}

// ParseAutomatable reads yes or no.
func ParseAutomatable(s string) (Automatable, error) {
	v, err := lookup("automatable", s, automatableTokens, automatableNames, []string{"N", "Y"},
		map[string]uint8{"true": 1, "false": 0})
	return Automatable(v), err
}

// ParseSafetyImpact reads negligible, marginal, critical or catastrophic.
func ParseSafetyImpact(s string) (SafetyImpact, error) {
	v, err := lookup("safety impact", s, safetyTokens, safetyNames, []string{"N", "M", "R", "C"}, nil)
	return SafetyImpact(v), err
}

// ParseMissionImpact reads degraded, mef-support-crippled, mef-failure or
// mission-failure (also the keys D, MSC, MEF, MF).
func ParseMissionImpact(s string) (MissionImpact, error) {
	v, err := lookup("mission impact", s, missionTokens, missionNames, []string{"D", "MSC", "MEF", "MF"},
		map[string]uint8{"crippled": 1})
	return MissionImpact(v), err
}

// ParseHumanImpact reads low, medium, high or very-high.
func ParseHumanImpact(s string) (HumanImpact, error) {
	v, err := lookup("human impact", s, humanTokens, humanNames, []string{"L", "M", "H", "VH"}, nil)
	return HumanImpact(v), err
}

// ParseDecision reads defer, scheduled, out-of-cycle or immediate.
func ParseDecision(s string) (Decision, error) {
	v, err := lookup("decision", s, decisionTokens, decisionNames, []string{"D", "S", "O", "I"}, nil)
	return Decision(v), err
}

// humanImpactTable is CERT/CC's human_impact_1_0_0 table:
// [Safety Impact][Mission Impact] → Human Impact.
var humanImpactTable = [4][4]HumanImpact{
	SafetyNegligible:   {HumanLow, HumanLow, HumanMedium, HumanVeryHigh},
	SafetyMarginal:     {HumanLow, HumanLow, HumanMedium, HumanVeryHigh},
	SafetyCritical:     {HumanMedium, HumanHigh, HumanHigh, HumanVeryHigh},
	SafetyCatastrophic: {HumanVeryHigh, HumanVeryHigh, HumanVeryHigh, HumanVeryHigh},
}

const (
	_D = Defer
	_S = Scheduled
	_O = OutOfCycle
	_I = Immediate
)

// deployerTable is CERT/CC's deployer_patch_application_priority_1_0_0
// table: [Exploitation][System Exposure][Automatable][Human Impact] →
// Decision. The innermost row runs Low, Medium, High, Very High.
var deployerTable = [3][3][2][4]Decision{
	ExploitationNone: {
		ExposureSmall:      {{_D, _D, _S, _S}, {_D, _S, _S, _S}},
		ExposureControlled: {{_D, _S, _S, _S}, {_S, _S, _S, _S}},
		ExposureOpen:       {{_D, _S, _S, _S}, {_S, _S, _S, _O}},
	},
	ExploitationPublicPoC: {
		ExposureSmall:      {{_D, _S, _S, _S}, {_S, _S, _S, _S}},
		ExposureControlled: {{_D, _S, _S, _S}, {_S, _S, _S, _O}},
		ExposureOpen:       {{_S, _S, _S, _O}, {_S, _S, _O, _O}},
	},
	ExploitationActive: {
		ExposureSmall:      {{_S, _S, _O, _O}, {_S, _O, _O, _O}},
		ExposureControlled: {{_S, _S, _O, _O}, {_O, _O, _O, _O}},
		ExposureOpen:       {{_S, _O, _O, _I}, {_O, _O, _I, _I}},
	},
}

// LookupHumanImpact returns Human Impact for Safety Impact × Mission
// Impact from the official table.
func LookupHumanImpact(si SafetyImpact, mi MissionImpact) HumanImpact {
	return humanImpactTable[si&3][mi&3]
}

// Decide returns the deployer decision from the official table.
func Decide(e Exploitation, x Exposure, a Automatable, hi HumanImpact) Decision {
	return deployerTable[e%3][x%3][a&1][hi&3]
}

// Row is the row number of the combination in the official CSV table
// (0-based, as the "row" column).
func Row(e Exploitation, x Exposure, a Automatable, hi HumanImpact) int {
	return int(e)*24 + int(x)*8 + int(a)*4 + int(hi)
}

// Inputs are the deployer's facts about one vulnerability on one system.
type Inputs struct {
	Exploitation Exploitation
	Exposure     Exposure
	Automatable  Automatable
	Safety       SafetyImpact
	Mission      MissionImpact
}

// Validate refuses out-of-range values (possible only when the fields are
// set by conversion rather than parsing).
func (in Inputs) Validate() error {
	switch {
	case in.Exploitation > ExploitationActive:
		return medsec.Errorf(medsec.EINVALID, "exploitation out of range; valid values: %s", strings.Join(exploitationTokens, ", "))
	case in.Exposure > ExposureOpen:
		return medsec.Errorf(medsec.EINVALID, "system exposure out of range; valid values: %s", strings.Join(exposureTokens, ", "))
	case in.Automatable > AutomatableYes:
		return medsec.Errorf(medsec.EINVALID, "automatable out of range; valid values: %s", strings.Join(automatableTokens, ", "))
	case in.Safety > SafetyCatastrophic:
		return medsec.Errorf(medsec.EINVALID, "safety impact out of range; valid values: %s", strings.Join(safetyTokens, ", "))
	case in.Mission > MissionFailure:
		return medsec.Errorf(medsec.EINVALID, "mission impact out of range; valid values: %s", strings.Join(missionTokens, ", "))
	}
	return nil
}

// Outcome is a decision with the Human Impact used and a one-paragraph
// explanation naming each decision point's value.
type Outcome struct {
	Inputs
	HumanImpact HumanImpact
	Decision    Decision
	// Row is the official deployer table's row number.
	Row         int
	Explanation string
}

// Evaluate looks up Human Impact and then the deployer decision.
func Evaluate(in Inputs) (Outcome, error) {
	if err := in.Validate(); err != nil {
		return Outcome{}, err
	}
	hi := LookupHumanImpact(in.Safety, in.Mission)
	dec := Decide(in.Exploitation, in.Exposure, in.Automatable, hi)
	row := Row(in.Exploitation, in.Exposure, in.Automatable, hi)
	return Outcome{
		Inputs: in, HumanImpact: hi, Decision: dec, Row: row,
		Explanation: fmt.Sprintf("Human Impact %s (Safety Impact %s × Mission Impact %s); Exploitation %s, System Exposure %s, Automatable %s, Human Impact %s → %s (CERT/CC deployer table, row %d)",
			hi, in.Safety, in.Mission, in.Exploitation, in.Exposure, in.Automatable, hi, dec, row),
	}, nil
}
