package schedule

import (
	"errors"
	"fmt"
	"strings"
)

// Scope says whether a template applies to a whole modality or to one
// make/model. A model template overrides its modality's template task by
// task.
type Scope string

const (
	ScopeModality Scope = "modality"
	ScopeModel    Scope = "model"
)

// Template is the schedule of a modality or of a make/model.
type Template struct {
	Scope        Scope  `json:"scope"`
	Modality     string `json:"modality"`
	Manufacturer string `json:"manufacturer,omitempty"` // model scope
	Model        string `json:"model,omitempty"`        // model scope
	// Critical flags the equipment as critical: AEM intervals are refused.
	Critical bool `json:"critical,omitempty"`
	// EM is the Fennigkoh–Smith EM number of the modality or model, 0 if
	// not given.
	EM    int    `json:"em,omitempty"`
	Tasks []Task `json:"tasks"`
	// Row is the first source row the template came from (0 if built in
	// code), for error messages.
	Row int `json:"row,omitempty"`
}

// Name identifies the template in messages: `model "BD" "Alaris 8015"`
// or `modality "infusion pump"`.
func (t Template) Name() string {
	if t.Scope == ScopeModel {
		return fmt.Sprintf("model %q %q", t.Manufacturer, t.Model)
	}
	return fmt.Sprintf("modality %q", t.Modality)
}

func (t Template) key() string {
	if t.Scope == ScopeModel {
		return modelKey(t.Manufacturer, t.Model)
	}
	return normKey(t.Modality)
}

func modelKey(mfr, model string) string { return normKey(mfr) + "|" + normKey(model) }

// EMBand maps a range of EM numbers to a default interval.
type EMBand struct {
	MinEM    int      `json:"min_em"`
	MaxEM    int      `json:"max_em"` // inclusive
	Interval Interval `json:"interval"`
	Label    string   `json:"label"`
}

// Rules are the editable rules of the schedule engine.
type Rules struct {
	// CriticalEM: equipment with EM ≥ CriticalEM is critical (AEM refused).
	CriticalEM int `json:"critical_em"`
	// NoAEMKeywords: a modality containing one of these words (imaging,
	// lasers) may not use AEM intervals.
	NoAEMKeywords []string `json:"no_aem_keywords"`
	// Bands give the default interval from the EM number when no template
	// covers a task. EM below every band: not in the PM program.
	Bands []EMBand `json:"bands"`
	// EMTasks are the task types the EM default creates.
	EMTasks []TaskType `json:"em_tasks"`
	// DefaultTolerance is the tolerance of EM-default tasks.
	DefaultTolerance Interval `json:"default_tolerance"`
}

// DefaultRules are the common local adaptation of Fennigkoh–Smith:
//
//	EM 18–22 (max)  quarterly        (3 months)
//	EM 15–17        semi-annually    (6 months)
//	EM 12–14        annually         (12 months)
//	EM < 12         not in the PM program (no default tasks)
//
// EM-default tasks are PM and electrical safety inspection, each with a
// 30-day tolerance. Equipment with EM ≥ 18 (life support with high
// physical risk) or flagged critical is critical, and so are imaging and
// lasers for the AEM rule: their templates must use manufacturer
// intervals.
func DefaultRules() Rules {
	return Rules{
		CriticalEM: 18,
		NoAEMKeywords: []string{"ct", "mr", "mri", "x-ray", "xray", "radiography", "fluoroscopy", "mammography",
			"angiography", "pet", "spect", "imaging", "laser", "linac", "linear accelerator"},
		Bands: []EMBand{
			{MinEM: 18, MaxEM: 99, Interval: Quarterly, Label: "EM ≥ 18: quarterly"},
			{MinEM: 15, MaxEM: 17, Interval: SemiAnnual, Label: "EM 15–17: semi-annual"},
			{MinEM: 12, MaxEM: 14, Interval: Annual, Label: "EM 12–14: annual"},
		},
		EMTasks:          []TaskType{TaskPM, TaskInspection},
		DefaultTolerance: Interval{Days: 30},
	}
}

// AEMError refuses an alternative (AEM) interval on critical equipment.
type AEMError struct {
	Subject string // template or asset name
	Task    TaskType
	Why     string
	Row     int // source row of the template, 0 if unknown
}

func (e *AEMError) Error() string {
	row := ""
	if e.Row > 0 {
		row = fmt.Sprintf("row %d: ", e.Row)
	}
	return fmt.Sprintf("%s%s: AEM interval for %s refused: %s; use the manufacturer's interval", row, e.Subject, e.Task, e.Why)
}

// criticalWhy says why equipment is critical, or "" if it is not.
func (r Rules) criticalWhy(modality string, em int, flagged bool) string {
	var why []string
	if flagged {
		why = append(why, "flagged critical")
	}
	if r.CriticalEM > 0 && em >= r.CriticalEM {
		why = append(why, fmt.Sprintf("EM %d ≥ %d", em, r.CriticalEM))
	}
	words := strings.FieldsFunc(strings.ToLower(modality), func(c rune) bool { return c == ' ' || c == '/' || c == ',' || c == '(' || c == ')' })
	for _, kw := range r.NoAEMKeywords {
		for _, w := range words {
			if w == kw {
				why = append(why, fmt.Sprintf("modality %q is imaging or laser equipment (%q)", modality, kw))
			}
		}
	}
	return strings.Join(why, ", ")
}

// Library is a validated set of templates.
type Library struct {
	rules    Rules
	modality map[string]Template
	model    map[string]Template
}

// NewLibrary validates templates against rules: each template is named
// once, tasks have an interval and appear once per template, and no
// critical template (flagged, EM ≥ CriticalEM, imaging or laser) uses an
// AEM interval. All problems are returned together (errors.Join); AEM
// refusals are *AEMError.
func NewLibrary(templates []Template, rules Rules) (*Library, error) {
	l := &Library{rules: rules, modality: map[string]Template{}, model: map[string]Template{}}
	var errs []error
	for _, t := range templates {
		where := t.Name()
		if t.Row > 0 {
			where = fmt.Sprintf("row %d: %s", t.Row, where)
		}
		switch t.Scope {
		case ScopeModality:
			if normKey(t.Modality) == "" {
				errs = append(errs, fmt.Errorf("%s: modality template without a modality", where))
				continue
			}
		case ScopeModel:
			if normKey(t.Model) == "" || normKey(t.Manufacturer) == "" {
				errs = append(errs, fmt.Errorf("%s: model template needs manufacturer and model", where))
				continue
			}
		default:
			errs = append(errs, fmt.Errorf("%s: scope %q is not modality or model", where, t.Scope))
			continue
		}
		m := l.modality
		if t.Scope == ScopeModel {
			m = l.model
		}
		if prev, dup := m[t.key()]; dup {
			errs = append(errs, fmt.Errorf("%s is defined twice (first at row %d)", where, prev.Row))
			continue
		}
		seen := map[TaskType]bool{}
		ok := true
		why := rules.criticalWhy(t.Modality, t.EM, t.Critical)
		for _, k := range t.Tasks {
			if seen[k.Type] {
				errs = append(errs, fmt.Errorf("%s: task %s appears twice", where, k.Type))
				ok = false
			}
			seen[k.Type] = true
			if k.Interval.IsZero() {
				errs = append(errs, fmt.Errorf("%s: task %s has no interval", where, k.Type))
				ok = false
			}
			if k.Basis == BasisAEM && why != "" {
				errs = append(errs, &AEMError{Subject: t.Name(), Task: k.Type, Why: why, Row: t.Row})
				ok = false
			}
		}
		if ok {
			m[t.key()] = t
		}
	}
	return l, errors.Join(errs...)
}

// Rules returns the library's rules.
func (l *Library) Rules() Rules { return l.rules }

// Len is the number of modality and model templates.
func (l *Library) Len() (modalities, models int) { return len(l.modality), len(l.model) }
