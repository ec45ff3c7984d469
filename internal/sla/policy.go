package sla

import (
	"fmt"
	"strings"
	"time"
)

// Tier is the service tier of an asset. The defaults are critical and
// non-critical; a policy may define more (any string is a tier).
type Tier string

const (
	TierCritical    Tier = "critical"
	TierNonCritical Tier = "non_critical"
)

// EventType is what an SLA clock measures.
type EventType string

const (
	// EventDeviceDown: a device is down or needs repair; the clock starts
	// when the work order is opened.
	EventDeviceDown EventType = "device_down"
	// EventSecurityIncident: a suspected or confirmed security incident
	// involving the device; starts when reported.
	EventSecurityIncident EventType = "security_incident"
	// EventVulnerabilityTriage: an advisory matching in-scope devices has
	// arrived; starts when the matching advisory arrives (not when the CVE
	// was published) and resolves when triage is complete.
	EventVulnerabilityTriage EventType = "vulnerability_triage"
	// EventPatchDeployment: a patch has been validated by the
	// manufacturer; starts at validation and resolves at deployment.
	// Risk exceptions suspend it.
	EventPatchDeployment EventType = "patch_deployment"
	// EventPMCompletion: a scheduled PM is due; starts at the due date and
	// resolves when the PM work order is completed.
	EventPMCompletion EventType = "pm_completion"
)

// EventTypes lists the built-in event types.
var EventTypes = []EventType{EventDeviceDown, EventSecurityIncident, EventVulnerabilityTriage, EventPatchDeployment, EventPMCompletion}

// Milestone is one target within an event: response, on site, restore.
type Milestone string

const (
	MilestoneResponse Milestone = "response"
	MilestoneOnSite   Milestone = "on_site"
	MilestoneResolve  Milestone = "resolve" // restore (repairs) or resolution (other events)
)

// Rule gives the targets of one (tier, event type). A zero target is
// absent: no clock runs for it. Targets are measured on the named
// calendar, so "4 business hours" is 4h on a business-hours calendar and
// "1 business day" is Calendar.BusinessDay() (9h for 08:00–17:00).
type Rule struct {
	Tier      Tier          `json:"tier"`
	EventType EventType     `json:"event_type"`
	Response  time.Duration `json:"response,omitempty"`
	OnSite    time.Duration `json:"on_site,omitempty"`
	Resolve   time.Duration `json:"resolve,omitempty"`
	Calendar  string        `json:"calendar"`
}

// Tiering decides an asset's tier: an explicit tier on the asset wins,
// then the modality table, then the clinical-impact threshold, then
// Default.
type Tiering struct {
	// ByModality maps a modality name (case-insensitive) to its tier.
	ByModality map[string]Tier `json:"by_modality,omitempty"`
	// CriticalImpactMin: an asset whose care-delivery impact score (1–5)
	// is at least this is critical. 0 disables the rule.
	CriticalImpactMin int  `json:"critical_impact_min,omitempty"`
	Default           Tier `json:"default"`
}

// AssetProfile is what tiering needs to know about an asset.
type AssetProfile struct {
	Modality   string
	CareImpact int  // clinical impact data point 5, 1–5; 0 unknown
	Tier       Tier // explicit override, if any
}

// TierFor returns the asset's tier and why.
func (t Tiering) TierFor(a AssetProfile) (Tier, string) {
	if a.Tier != "" {
		return a.Tier, fmt.Sprintf("tier %s set on the asset", a.Tier)
	}
	for m, tier := range t.ByModality {
		if strings.EqualFold(strings.TrimSpace(m), strings.TrimSpace(a.Modality)) {
			return tier, fmt.Sprintf("tier %s for modality %q", tier, a.Modality)
		}
	}
	if t.CriticalImpactMin > 0 && a.CareImpact >= t.CriticalImpactMin {
		return TierCritical, fmt.Sprintf("critical: care-delivery impact %d ≥ %d", a.CareImpact, t.CriticalImpactMin)
	}
	d := t.Default
	if d == "" {
		d = TierNonCritical
	}
	return d, fmt.Sprintf("tier %s by default (modality %q not listed, care-delivery impact %d)", d, a.Modality, a.CareImpact)
}

// Policy is an SLA agreement's editable data: calendars, targets per
// (tier, event type), the at-risk threshold and tiering.
type Policy struct {
	Name      string      `json:"name"`
	Calendars []*Calendar `json:"-"`
	Rules     []Rule      `json:"rules"`
	// AtRiskFraction: an open clock that has consumed at least this share
	// of its target is at risk. 0 means 0.75.
	AtRiskFraction float64 `json:"at_risk_fraction"`
	Tiering        Tiering `json:"tiering"`
}

// DefaultPolicy returns the typical starting points of HTM agreements as
// editable data (the domain reference's table), with a 24×7 calendar named
// "24x7" and a Monday–Friday 08:00–17:00 calendar named "business" in tz
// with the given holidays:
//
//	critical device down:        response 30m, on site 4h, restore 24h (24×7)
//	non-critical device down:    response 4 business h, on site next business
//	                             day (1 business day = 9h), restore 5 business days
//	critical security incident:  response 1h, on site 4h, resolve 72h (24×7)
//	non-critical security inc.:  response 4 business h, resolve 5 business days
//	vulnerability triage:        1 business day critical / 5 non-critical
//	patch after validation:      14 days critical / 30 days non-critical (24×7)
//	PM completion:               30 days after the due date (24×7)
//
// Security-incident and PM figures are not in the reference table; they
// are conservative placeholders for the agreement to overwrite.
func DefaultPolicy(tz string, holidays []Holiday) (Policy, error) {
	biz, err := NewBusinessCalendar("business", tz, StandardWeek(Hours(8, 0, 17, 0)), holidays)
	if err != nil {
		return Policy{}, err
	}
	all := TwentyFourSeven("24x7")
	day := biz.BusinessDay()
	h := time.Hour
	return Policy{
		Name:      "default",
		Calendars: []*Calendar{all, biz},
		Rules: []Rule{
			{TierCritical, EventDeviceDown, 30 * time.Minute, 4 * h, 24 * h, "24x7"},
			{TierNonCritical, EventDeviceDown, 4 * h, day, 5 * day, "business"},
			{TierCritical, EventSecurityIncident, 1 * h, 4 * h, 72 * h, "24x7"},
			{TierNonCritical, EventSecurityIncident, 4 * h, 0, 5 * day, "business"},
			{TierCritical, EventVulnerabilityTriage, 0, 0, day, "business"},
			{TierNonCritical, EventVulnerabilityTriage, 0, 0, 5 * day, "business"},
			{TierCritical, EventPatchDeployment, 0, 0, 14 * 24 * h, "24x7"},
			{TierNonCritical, EventPatchDeployment, 0, 0, 30 * 24 * h, "24x7"},
			{TierCritical, EventPMCompletion, 0, 0, 30 * 24 * h, "24x7"},
			{TierNonCritical, EventPMCompletion, 0, 0, 30 * 24 * h, "24x7"},
		},
		AtRiskFraction: 0.75,
		Tiering: Tiering{
			ByModality: map[string]Tier{
				"ventilator": TierCritical, "defibrillator": TierCritical, "anesthesia machine": TierCritical,
				"infusion pump": TierCritical, "physiologic monitor": TierCritical, "ct scanner": TierCritical,
			},
			CriticalImpactMin: 4,
			Default:           TierNonCritical,
		},
	}, nil
}

type ruleKey struct {
	t Tier
	e EventType
}

// Engine evaluates events against a validated policy. It is immutable and
// safe for concurrent use.
type Engine struct {
	policy Policy
	cals   map[string]*Calendar
	rules  map[ruleKey]Rule
	atRisk float64
}

// NewEngine validates p: calendars named uniquely, every rule's calendar
// known, no duplicate (tier, event type), no negative target, at-risk
// fraction in (0, 1].
func NewEngine(p Policy) (*Engine, error) {
	e := &Engine{policy: p, cals: map[string]*Calendar{}, rules: map[ruleKey]Rule{}, atRisk: p.AtRiskFraction}
	if e.atRisk == 0 {
		e.atRisk = 0.75
	}
	if e.atRisk < 0 || e.atRisk > 1 {
		return nil, fmt.Errorf("policy %q: at-risk fraction %g must be in (0, 1]", p.Name, p.AtRiskFraction)
	}
	for _, c := range p.Calendars {
		if c == nil {
			return nil, fmt.Errorf("policy %q: nil calendar", p.Name)
		}
		if _, dup := e.cals[c.Name]; dup {
			return nil, fmt.Errorf("policy %q: two calendars named %q", p.Name, c.Name)
		}
		e.cals[c.Name] = c
	}
	for i, r := range p.Rules {
		where := fmt.Sprintf("policy %q rule %d (%s, %s)", p.Name, i+1, r.Tier, r.EventType)
		if r.Tier == "" || r.EventType == "" {
			return nil, fmt.Errorf("%s: tier and event type are required", where)
		}
		if _, ok := e.cals[r.Calendar]; !ok {
			return nil, fmt.Errorf("%s: unknown calendar %q", where, r.Calendar)
		}
		if r.Response < 0 || r.OnSite < 0 || r.Resolve < 0 {
			return nil, fmt.Errorf("%s: negative target", where)
		}
		k := ruleKey{r.Tier, r.EventType}
		if _, dup := e.rules[k]; dup {
			return nil, fmt.Errorf("%s: duplicate rule", where)
		}
		e.rules[k] = r
	}
	return e, nil
}

// Policy returns the engine's policy.
func (e *Engine) Policy() Policy { return e.policy }

// Rule returns the rule for (tier, event type).
func (e *Engine) Rule(t Tier, et EventType) (Rule, bool) {
	r, ok := e.rules[ruleKey{t, et}]
	return r, ok
}

// Calendar returns a calendar of the policy by name.
func (e *Engine) Calendar(name string) (*Calendar, bool) {
	c, ok := e.cals[name]
	return c, ok
}
