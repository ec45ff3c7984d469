package assess

import (
	"fmt"
	"sort"
	"time"
)

// Profile is a set of possibly-unset values of the eight data points: one
// layer's assessment, or the resolved result. Zero fields are unset.
type Profile struct {
	LifeSafety   EM            `json:"life_safety"`
	Acuity       Acuity        `json:"acuity"`
	PHI          YesNo         `json:"phi"`
	LargePHI     YesNo         `json:"large_phi"`
	CareDelivery CareDelivery  `json:"care_delivery"`
	Lateral      LateralAccess `json:"lateral"`
	Financial    Financial     `json:"financial"`
	Reputational Reputational  `json:"reputational"`
}

// IsSet reports whether the profile sets point pt.
func (p *Profile) IsSet(pt Point) bool {
	switch pt {
	case PointLifeSafety:
		return p.LifeSafety.IsSet()
	case PointAcuity:
		return p.Acuity != AcuityUnset
	case PointPHI:
		return p.PHI != Unknown
	case PointLargePHI:
		return p.LargePHI != Unknown
	case PointCareDelivery:
		return p.CareDelivery != 0
	case PointLateral:
		return p.Lateral != 0
	case PointFinancial:
		return p.Financial != 0
	case PointReputational:
		return p.Reputational != 0
	}
	return false
}

// Missing lists the points not set.
func (p Profile) Missing() []Point {
	var out []Point
	for pt := Point(0); pt < NumPoints; pt++ {
		if !p.IsSet(pt) {
			out = append(out, pt)
		}
	}
	return out
}

// Validate checks every set value against its range, and that Large PHI
// is not claimed for a device without PHI.
func (p Profile) Validate() error {
	if p.LifeSafety.IsSet() {
		if err := p.LifeSafety.Validate(); err != nil {
			return err
		}
	}
	if p.Acuity != AcuityUnset {
		if err := p.Acuity.Validate(); err != nil {
			return err
		}
	}
	if err := p.PHI.Validate(); err != nil {
		return invalid("phi %s", err)
	}
	if err := p.LargePHI.Validate(); err != nil {
		return invalid("large-phi %s", err)
	}
	if p.LargePHI == Yes && p.PHI == No {
		return invalid("large-phi is yes but phi is no: a device holding 500 or more records holds PHI")
	}
	checks := []struct {
		set bool
		err func() error
	}{
		{p.CareDelivery != 0, p.CareDelivery.Validate},
		{p.Lateral != 0, p.Lateral.Validate},
		{p.Financial != 0, p.Financial.Validate},
		{p.Reputational != 0, p.Reputational.Validate},
	}
	for _, c := range checks {
		if c.set {
			if err := c.err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyPoint copies point pt from q into p.
func (p *Profile) copyPoint(q *Profile, pt Point) {
	switch pt {
	case PointLifeSafety:
		p.LifeSafety = q.LifeSafety
	case PointAcuity:
		p.Acuity = q.Acuity
	case PointPHI:
		p.PHI = q.PHI
	case PointLargePHI:
		p.LargePHI = q.LargePHI
	case PointCareDelivery:
		p.CareDelivery = q.CareDelivery
	case PointLateral:
		p.Lateral = q.Lateral
	case PointFinancial:
		p.Financial = q.Financial
	case PointReputational:
		p.Reputational = q.Reputational
	}
}

// Describe renders point pt's value for people.
func (p *Profile) Describe(pt Point) string {
	if !p.IsSet(pt) {
		return "not assessed"
	}
	switch pt {
	case PointLifeSafety:
		return p.LifeSafety.String()
	case PointAcuity:
		return p.Acuity.String()
	case PointPHI:
		return p.PHI.String()
	case PointLargePHI:
		return p.LargePHI.String()
	case PointCareDelivery:
		return fmt.Sprintf("%d (%s)", p.CareDelivery, p.CareDelivery.Describe())
	case PointLateral:
		return fmt.Sprintf("%d (%s)", p.Lateral, p.Lateral.Describe())
	case PointFinancial:
		return fmt.Sprintf("%d (%s)", p.Financial, p.Financial.Describe())
	case PointReputational:
		return fmt.Sprintf("%d (%s)", p.Reputational, p.Reputational.Describe())
	}
	return ""
}

// Level is where an assessed value comes from.
type Level uint8

// Levels, from the most general to the most specific.
const (
	LevelNone Level = iota
	LevelModality
	LevelModel
	LevelAsset
)

func (l Level) String() string {
	switch l {
	case LevelModality:
		return "modality"
	case LevelModel:
		return "model"
	case LevelAsset:
		return "asset"
	}
	return "none"
}

// Note is who set a value, when and why.
type Note struct {
	SetBy  string    `json:"set_by"`
	SetAt  time.Time `json:"set_at"`
	Reason string    `json:"reason"`
}

// Source is where a resolved value came from: the level and scope (the
// modality, make/model or asset it was assessed for) and the note.
type Source struct {
	Level  Level     `json:"level"`
	Scope  string    `json:"scope"`
	SetBy  string    `json:"set_by"`
	SetAt  time.Time `json:"set_at"`
	Reason string    `json:"reason"`
}

func (s Source) String() string {
	if s.Level == LevelNone {
		return "not assessed"
	}
	out := s.Level.String()
	if s.Scope != "" {
		out += " " + s.Scope
	}
	if s.SetBy != "" {
		out += ", set by " + s.SetBy
	}
	if !s.SetAt.IsZero() {
		out += " on " + s.SetAt.UTC().Format("2006-01-02")
	}
	if s.Reason != "" {
		out += ": " + s.Reason
	}
	return out
}

// Layer is one level's assessment: the values it sets and, per point, who
// set it, when and why (Notes[pt]; Default is used for points without
// their own note).
type Layer struct {
	Level   Level
	Scope   string
	Values  Profile
	Default Note
	Notes   [NumPoints]Note
}

// Resolved is the effective profile of an asset and, per point, the
// source of its value (Level none for points no layer sets).
type Resolved struct {
	Profile Profile           `json:"profile"`
	Sources [NumPoints]Source `json:"sources"`
}

// Explain says, for people, what point pt is and where it comes from.
func (r *Resolved) Explain(pt Point) string {
	return fmt.Sprintf("%s %s — %s", pt, r.Profile.Describe(pt), r.Sources[pt])
}

// Resolve layers the assessments modality → model → asset: a more
// specific layer's set value overrides a more general one; unset values
// fall through. Layers may come in any order but each level at most once.
// Each layer is validated; an error names the layer and the range.
func Resolve(layers ...Layer) (Resolved, error) {
	ls := make([]*Layer, len(layers))
	for i := range layers {
		ls[i] = &layers[i]
	}
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].Level < ls[j].Level })
	var r Resolved
	for i, l := range ls {
		if l.Level < LevelModality || l.Level > LevelAsset {
			return Resolved{}, invalid("layer %q has no level (modality, model or asset)", l.Scope)
		}
		if i > 0 && ls[i-1].Level == l.Level {
			return Resolved{}, invalid("two %s-level layers (%q and %q)", l.Level, ls[i-1].Scope, l.Scope)
		}
		if err := l.Values.Validate(); err != nil {
			return Resolved{}, invalid("%s %q: %s", l.Level, l.Scope, message(err))
		}
		for pt := Point(0); pt < NumPoints; pt++ {
			if !l.Values.IsSet(pt) {
				continue
			}
			r.Profile.copyPoint(&l.Values, pt)
			n := l.Notes[pt]
			if n == (Note{}) {
				n = l.Default
			}
			r.Sources[pt] = Source{Level: l.Level, Scope: l.Scope, SetBy: n.SetBy, SetAt: n.SetAt, Reason: n.Reason}
		}
	}
	if err := r.Profile.Validate(); err != nil { // e.g. large-phi from one layer, phi=no from another
		return Resolved{}, invalid("resolved profile: %s", message(err))
	}
	return r, nil
}
