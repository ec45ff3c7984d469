package ssvc

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
)

//go:embed data/*.json
var pointFiles embed.FS

// Value is one value of a decision point, as CERT/CC defines it.
type Value struct {
	Key        string `json:"key"`
	Name       string `json:"name"`
	Definition string `json:"definition"`
}

// DecisionPoint is an official SSVC decision point definition.
type DecisionPoint struct {
	Namespace  string  `json:"namespace"`
	Key        string  `json:"key"`
	Version    string  `json:"version"`
	Name       string  `json:"name"`
	Definition string  `json:"definition"`
	Values     []Value `json:"values"`
}

// ID is the namespaced identifier, e.g. "ssvc:E:1.1.0".
func (p DecisionPoint) ID() string { return p.Namespace + ":" + p.Key + ":" + p.Version }

var points = mustLoadPoints()

// order in which Points lists them: the deployer's inputs, then outcomes.
var pointOrder = map[string]int{"E": 0, "EXP": 1, "A": 2, "SI": 3, "MI": 4, "HI": 5, "DSOI": 6}

func mustLoadPoints() []DecisionPoint {
	ps, err := loadPoints()
	if err != nil {
		panic(err) // embedded data: a test catches this at build time
	}
	return ps
}

func loadPoints() ([]DecisionPoint, error) {
	entries, err := pointFiles.ReadDir("data")
	if err != nil {
		return nil, err
	}
	var ps []DecisionPoint
	for _, e := range entries {
		b, err := pointFiles.ReadFile("data/" + e.Name())
		if err != nil {
			return nil, err
		}
		var p DecisionPoint
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		if _, ok := pointOrder[p.Key]; !ok {
			return nil, fmt.Errorf("%s: unexpected decision point %s", e.Name(), p.ID())
		}
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return pointOrder[ps[i].Key] < pointOrder[ps[j].Key] })
	return ps, nil
}

// Points returns the official definitions of the decision points the
// deployer table uses: Exploitation, System Exposure, Automatable, Safety
// Impact, Mission Impact, Human Impact and the outcome group.
func Points() []DecisionPoint {
	out := make([]DecisionPoint, len(points))
	copy(out, points)
	return out
}

// Point returns the decision point with the given key (E, EXP, A, SI, MI,
// HI, DSOI).
func Point(key string) (DecisionPoint, bool) {
	for _, p := range points {
		if p.Key == key {
			return p, true
		}
	}
	return DecisionPoint{}, false
}
