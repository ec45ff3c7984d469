// Package cvss scores CVSS 3.0, 3.1 and 4.0 vectors with
// github.com/pandatix/go-cvss and explains bad vectors by naming the
// metric that fails, which the library does not always do.
package cvss

import (
	"errors"
	"fmt"
	"math"
	"strings"

	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
	gocvss40 "github.com/pandatix/go-cvss/40"
)

// Result is a scored vector. Optional scores are nil when the vector does
// not carry that metric group (all its metrics absent or X).
type Result struct {
	Version      string  `json:"version"` // "3.0", "3.1" or "4.0"
	Vector       string  `json:"vector"`
	BaseScore    float64 `json:"base_score"`
	BaseSeverity string  `json:"base_severity"` // None, Low, Medium, High, Critical
	// TemporalScore is CVSS v3's temporal score (E, RL, RC).
	TemporalScore    *float64 `json:"temporal_score,omitempty"`
	TemporalSeverity string   `json:"temporal_severity,omitempty"`
	// ThreatScore is CVSS v4's CVSS-BT score (base + E).
	ThreatScore    *float64 `json:"threat_score,omitempty"`
	ThreatSeverity string   `json:"threat_severity,omitempty"`
	// EnvironmentalScore is v3's environmental score, or v4's CVSS-BE /
	// CVSS-BTE score.
	EnvironmentalScore    *float64 `json:"environmental_score,omitempty"`
	EnvironmentalSeverity string   `json:"environmental_severity,omitempty"`
	// Exploitability is v3's exploitability sub-score (0–3.9), rounded to
	// one decimal as NVD shows it; nil for v4, which has none.
	Exploitability *float64 `json:"exploitability,omitempty"`
	// Nomenclature is v4's CVSS-B, CVSS-BT, CVSS-BE or CVSS-BTE.
	Nomenclature string `json:"nomenclature,omitempty"`
}

// Metric returns the value of metric abv in the vector ("" if absent).
func (r Result) Metric(abv string) string {
	for _, p := range strings.Split(r.Vector, "/")[1:] {
		if k, v, ok := strings.Cut(p, ":"); ok && k == abv {
			return v
		}
	}
	return ""
}

// Automatable reports SSVC "Automatable: yes" as medsec reads it from a
// vector: network attack vector, low attack complexity, no privileges and
// no user interaction (and, for v4, no attack requirements).
func (r Result) Automatable() bool {
	ok := r.Metric("AV") == "N" && r.Metric("AC") == "L" && r.Metric("PR") == "N" && r.Metric("UI") == "N"
	if r.Version == "4.0" {
		ok = ok && r.Metric("AT") == "N"
	}
	return ok
}

// Severity returns the qualitative rating of a 0–10 score (the same
// scale in v3 and v4): None, Low, Medium, High or Critical.
func Severity(score float64) string {
	switch {
	case score >= 9.0:
		return "Critical"
	case score >= 7.0:
		return "High"
	case score >= 4.0:
		return "Medium"
	case score >= 0.1:
		return "Low"
	}
	return "None"
}

// Error is an invalid vector. Metric names the failing metric when one
// can be blamed.
type Error struct {
	Vector  string
	Version string
	Metric  string
	Value   string
	Allowed []string
	Reason  string
}

func (e *Error) Error() string {
	v := "CVSS"
	if e.Version != "" {
		v = "CVSS " + e.Version
	}
	switch {
	case e.Metric != "" && e.Allowed != nil:
		return fmt.Sprintf("invalid %s vector: metric %s %s %q (allowed: %s)", v, e.Metric, e.Reason, e.Value, strings.Join(e.Allowed, ", "))
	case e.Metric != "":
		return fmt.Sprintf("invalid %s vector: metric %s %s", v, e.Metric, e.Reason)
	}
	return fmt.Sprintf("invalid %s vector: %s", v, e.Reason)
}

// Parse validates and scores a CVSS 3.0, 3.1 or 4.0 vector.
func Parse(vector string) (Result, error) {
	vector = strings.TrimSpace(vector)
	ver, err := version(vector)
	if err != nil {
		return Result{}, err
	}
	r := Result{Version: ver, Vector: vector}
	switch ver {
	case "3.0":
		c, err := gocvss30.ParseVector(vector)
		if err != nil {
			return Result{}, explain(ver, vector, err)
		}
		r.set3(c.BaseScore(), c.TemporalScore(), c.EnvironmentalScore(), c.Exploitability())
	case "3.1":
		c, err := gocvss31.ParseVector(vector)
		if err != nil {
			return Result{}, explain(ver, vector, err)
		}
		r.set3(c.BaseScore(), c.TemporalScore(), c.EnvironmentalScore(), c.Exploitability())
	case "4.0":
		c, err := gocvss40.ParseVector(vector)
		if err != nil {
			return Result{}, explain(ver, vector, err)
		}
		if err := check(ver, vector); err != nil { // e.g. a missing base metric the library lets by
			return Result{}, err
		}
		r.Nomenclature = c.Nomenclature()
		full := round1(c.Score())
		pairs := strings.Split(vector, "/")[1:]
		var b, bt []string
		for _, p := range pairs {
			k, v, _ := strings.Cut(p, ":")
			if group40[k] == 0 {
				b = append(b, p)
			}
			if group40[k] <= 1 && v != "X" {
				bt = append(bt, p)
			}
		}
		base := "CVSS:4.0/" + strings.Join(b, "/")
		threat := "CVSS:4.0/" + strings.Join(bt, "/")
		bc, err := gocvss40.ParseVector(base)
		if err != nil {
			return Result{}, explain(ver, vector, err)
		}
		r.BaseScore = round1(bc.Score())
		r.BaseSeverity = Severity(r.BaseScore)
		hasT := strings.Contains(r.Nomenclature, "T")
		hasE := strings.HasSuffix(r.Nomenclature, "E")
		if hasT {
			tc, err := gocvss40.ParseVector(threat)
			if err != nil {
				return Result{}, explain(ver, vector, err)
			}
			t := round1(tc.Score())
			r.ThreatScore, r.ThreatSeverity = &t, Severity(t)
		}
		if hasE {
			r.EnvironmentalScore, r.EnvironmentalSeverity = &full, Severity(full)
		}
	}
	return r, nil
}

func (r *Result) set3(base, temporal, env, expl float64) {
	r.BaseScore, r.BaseSeverity = base, Severity(base)
	if r.has(group3, 1) {
		r.TemporalScore, r.TemporalSeverity = &temporal, Severity(temporal)
	}
	if r.has(group3, 2) {
		r.EnvironmentalScore, r.EnvironmentalSeverity = &env, Severity(env)
	}
	e := round1(expl)
	r.Exploitability = &e
}

// has reports whether the vector sets, to other than X, a metric of the
// given group.
func (r Result) has(groups map[string]int, g int) bool {
	for _, p := range strings.Split(r.Vector, "/")[1:] {
		k, v, _ := strings.Cut(p, ":")
		if groups[k] == g && v != "X" && v != "" {
			return true
		}
	}
	return false
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

func version(vector string) (string, error) {
	for _, v := range []string{"3.0", "3.1", "4.0"} {
		if strings.HasPrefix(vector, "CVSS:"+v+"/") {
			return v, nil
		}
	}
	reason := "it must start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/"
	if h, _, _ := strings.Cut(vector, "/"); strings.HasPrefix(h, "CVSS:") {
		reason = fmt.Sprintf("unsupported version %q; %s", strings.TrimPrefix(h, "CVSS:"), reason)
	} else if vector == "" {
		reason = "empty vector; " + reason
	} else if strings.HasPrefix(vector, "AV:") {
		reason = "CVSS v2 vectors are not supported; " + reason
	}
	return "", &Error{Vector: vector, Reason: reason}
}

// explain turns a library error into one that names the failing metric.
func explain(ver, vector string, libErr error) error {
	if err := check(ver, vector); err != nil {
		return err
	}
	var e *Error
	if errors.As(libErr, &e) {
		return e
	}
	return &Error{Vector: vector, Version: ver, Reason: libErr.Error()}
}

// check validates the vector against the specification's metrics and
// values, metric by metric, and returns the first problem.
func check(ver, vector string) error {
	spec := spec3
	if ver == "4.0" {
		spec = spec40
	}
	rest := strings.TrimPrefix(vector, "CVSS:"+ver+"/")
	seen := map[string]bool{}
	last := -1
	for _, p := range strings.Split(rest, "/") {
		if p == "" {
			return &Error{Vector: vector, Version: ver, Reason: "empty metric (a doubled or trailing \"/\")"}
		}
		k, v, ok := strings.Cut(p, ":")
		if !ok {
			return &Error{Vector: vector, Version: ver, Metric: k, Reason: "has no value (want METRIC:VALUE)"}
		}
		allowed, known := spec[k]
		if !known {
			return &Error{Vector: vector, Version: ver, Metric: k, Reason: "is not a CVSS " + ver + " metric"}
		}
		if seen[k] {
			return &Error{Vector: vector, Version: ver, Metric: k, Reason: "is given more than once"}
		}
		seen[k] = true
		if !contains(allowed, v) {
			return &Error{Vector: vector, Version: ver, Metric: k, Value: v, Allowed: allowed, Reason: "has invalid value"}
		}
		if ver == "4.0" {
			i := index40[k]
			if i < last {
				return &Error{Vector: vector, Version: ver, Metric: k, Reason: "is out of order (CVSS 4.0 metrics must follow the specification's order: " + strings.Join(order40, "/") + ")"}
			}
			last = i
		}
	}
	base := base3
	if ver == "4.0" {
		base = order40[:11]
	}
	for _, k := range base {
		if !seen[k] {
			return &Error{Vector: vector, Version: ver, Metric: k, Reason: "is missing (every base metric is required: " + strings.Join(base, ", ") + ")"}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var (
	cia3  = []string{"H", "L", "N"}
	req   = []string{"X", "H", "M", "L"}
	base3 = []string{"AV", "AC", "PR", "UI", "S", "C", "I", "A"}
	spec3 = map[string][]string{
		"AV": {"N", "A", "L", "P"}, "AC": {"L", "H"}, "PR": {"N", "L", "H"}, "UI": {"N", "R"},
		"S": {"U", "C"}, "C": cia3, "I": cia3, "A": cia3,
		"E": {"X", "H", "F", "P", "U"}, "RL": {"X", "U", "W", "T", "O"}, "RC": {"X", "C", "R", "U"},
		"CR": req, "IR": req, "AR": req,
		"MAV": {"X", "N", "A", "L", "P"}, "MAC": {"X", "L", "H"}, "MPR": {"X", "N", "L", "H"},
		"MUI": {"X", "N", "R"}, "MS": {"X", "U", "C"},
		"MC": {"X", "H", "L", "N"}, "MI": {"X", "H", "L", "N"}, "MA": {"X", "H", "L", "N"},
	}
	// group3: 0 base, 1 temporal, 2 environmental.
	group3 = map[string]int{
		"AV": 0, "AC": 0, "PR": 0, "UI": 0, "S": 0, "C": 0, "I": 0, "A": 0,
		"E": 1, "RL": 1, "RC": 1,
		"CR": 2, "IR": 2, "AR": 2, "MAV": 2, "MAC": 2, "MPR": 2, "MUI": 2, "MS": 2, "MC": 2, "MI": 2, "MA": 2,
	}

	order40 = []string{"AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA",
		"E",
		"CR", "IR", "AR", "MAV", "MAC", "MAT", "MPR", "MUI", "MVC", "MVI", "MVA", "MSC", "MSI", "MSA",
		"S", "AU", "R", "V", "RE", "U"}
	spec40 = map[string][]string{
		"AV": {"N", "A", "L", "P"}, "AC": {"L", "H"}, "AT": {"N", "P"}, "PR": {"N", "L", "H"}, "UI": {"N", "P", "A"},
		"VC": cia3, "VI": cia3, "VA": cia3, "SC": cia3, "SI": cia3, "SA": cia3,
		"E":  {"X", "A", "P", "U"},
		"CR": req, "IR": req, "AR": req,
		"MAV": {"X", "N", "A", "L", "P"}, "MAC": {"X", "L", "H"}, "MAT": {"X", "N", "P"}, "MPR": {"X", "N", "L", "H"},
		"MUI": {"X", "N", "P", "A"}, "MVC": {"X", "H", "L", "N"}, "MVI": {"X", "H", "L", "N"}, "MVA": {"X", "H", "L", "N"},
		"MSC": {"X", "H", "L", "N"}, "MSI": {"X", "S", "H", "L", "N"}, "MSA": {"X", "S", "H", "L", "N"},
		"S": {"X", "N", "P"}, "AU": {"X", "N", "Y"}, "R": {"X", "A", "U", "I"}, "V": {"X", "D", "C"},
		"RE": {"X", "L", "M", "H"}, "U": {"X", "Clear", "Green", "Amber", "Red"},
	}
	// group40: 0 base, 1 threat, 2 environmental, 3 supplemental.
	group40 = map[string]int{}
	index40 = map[string]int{}
)

func init() {
	for i, k := range order40 {
		index40[k] = i
		switch {
		case i < 11:
			group40[k] = 0
		case i == 11:
			group40[k] = 1
		case i < 26:
			group40[k] = 2
		default:
			group40[k] = 3
		}
	}
}
