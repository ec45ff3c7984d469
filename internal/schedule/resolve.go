package schedule

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Asset is what the schedule engine needs to know about one device.
// Manufacturer and model should already be normalised (BD = CareFusion…)
// by the caller.
type Asset struct {
	Key          string    `json:"key"` // CMMS control number
	Modality     string    `json:"modality"`
	Manufacturer string    `json:"manufacturer"`
	Model        string    `json:"model"`
	EM           int       `json:"em"`
	Critical     bool      `json:"critical"`
	Facility     string    `json:"facility"`
	Provider     string    `json:"provider"`
	InService    time.Time `json:"in_service,omitzero"` // anchors the first due date
}

// Source says which level an effective task came from.
type Source string

const (
	SourceModel     Source = "model"
	SourceModality  Source = "modality"
	SourceEMDefault Source = "em_default"
)

// EffectiveTask is a task as it applies to an asset, with where it came
// from and why.
type EffectiveTask struct {
	Task
	Source      Source `json:"source"`
	SourceName  string `json:"source_name"`
	Explanation string `json:"explanation"`
}

// Resolve returns the asset's effective tasks, in TaskTypes order. For
// each task type the make/model template wins over the modality template,
// which wins over the EM-band default. An AEM task that would apply to a
// critical asset (flagged, EM ≥ CriticalEM, or imaging/laser) is refused
// with an *AEMError naming the asset, its model and the reason; no tasks
// are returned then. An asset covered by nothing gets no tasks and no
// error: the explanation of an empty result is available from Explain.
func (l *Library) Resolve(a Asset) ([]EffectiveTask, error) {
	byType := map[TaskType]EffectiveTask{}
	if b, ok := l.band(a.EM); ok {
		for _, tt := range l.rules.EMTasks {
			byType[tt] = EffectiveTask{
				Task:        Task{Type: tt, Interval: b.Interval, Tolerance: l.rules.DefaultTolerance, Basis: BasisEMDefault},
				Source:      SourceEMDefault,
				SourceName:  b.Label,
				Explanation: fmt.Sprintf("%s every %s from the EM band (%s; EM %d)", tt, b.Interval, b.Label, a.EM),
			}
		}
	}
	mod, hasMod := l.modality[normKey(a.Modality)]
	if hasMod {
		for _, k := range mod.Tasks {
			byType[k.Type] = EffectiveTask{Task: k, Source: SourceModality, SourceName: mod.Name(),
				Explanation: fmt.Sprintf("%s every %s (%s) from the %s template", k.Type, k.Interval, k.Basis, mod.Name())}
		}
	}
	mdl, hasMdl := l.model[modelKey(a.Manufacturer, a.Model)]
	if hasMdl {
		for _, k := range mdl.Tasks {
			over := ""
			if prev, ok := byType[k.Type]; ok {
				over = fmt.Sprintf(", overriding %s from %s", prev.Interval, prev.SourceName)
			}
			byType[k.Type] = EffectiveTask{Task: k, Source: SourceModel, SourceName: mdl.Name(),
				Explanation: fmt.Sprintf("%s every %s (%s) from the %s template%s", k.Type, k.Interval, k.Basis, mdl.Name(), over)}
		}
	}
	flagged := a.Critical || (hasMod && mod.Critical) || (hasMdl && mdl.Critical)
	why := l.rules.criticalWhy(a.Modality, a.EM, flagged)
	var out []EffectiveTask
	for _, tt := range TaskTypes {
		t, ok := byType[tt]
		if !ok {
			continue
		}
		if t.Basis == BasisAEM && why != "" {
			return nil, &AEMError{Subject: fmt.Sprintf("asset %s (model %q %q, %s)", a.Key, a.Manufacturer, a.Model, t.SourceName), Task: tt, Why: why}
		}
		out = append(out, t)
	}
	var custom []EffectiveTask // task types not in TaskTypes, by name
	for tt, t := range byType {
		if !isBuiltin(tt) {
			custom = append(custom, t)
		}
	}
	slices.SortFunc(custom, func(a, b EffectiveTask) int { return strings.Compare(string(a.Type), string(b.Type)) })
	return append(out, custom...), nil
}

func isBuiltin(t TaskType) bool {
	for _, b := range TaskTypes {
		if b == t {
			return true
		}
	}
	return false
}

func (l *Library) band(em int) (EMBand, bool) {
	if em <= 0 {
		return EMBand{}, false
	}
	for _, b := range l.rules.Bands {
		if em >= b.MinEM && em <= b.MaxEM {
			return b, true
		}
	}
	return EMBand{}, false
}

// Explain says which templates and bands cover the asset, for an asset
// whose Resolve came back empty or surprising.
func (l *Library) Explain(a Asset) string {
	_, mod := l.modality[normKey(a.Modality)]
	_, mdl := l.model[modelKey(a.Manufacturer, a.Model)]
	b, inBand := l.band(a.EM)
	band := fmt.Sprintf("EM %d is below every band: not in the PM program", a.EM)
	if a.EM <= 0 {
		band = "no EM number"
	} else if inBand {
		band = b.Label
	}
	return fmt.Sprintf("asset %s: model template %q %q: %v; modality template %q: %v; %s", a.Key, a.Manufacturer, a.Model, mdl, a.Modality, mod, band)
}
