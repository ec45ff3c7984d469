package service

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/agreement"
	"github.com/medsec/medsec/internal/sla"
	"github.com/medsec/medsec/internal/store"
)

// PolicyDoc is an SLA policy as people write it and as it is stored:
// calendars with "08:00-17:00" windows and holiday lists, targets as
// durations ("30m", "4h", "3d", "1bd" = one business day of the rule's
// calendar), the at-risk threshold and the tiering table.
type PolicyDoc struct {
	Name           string        `json:"name"`
	AtRiskFraction float64       `json:"at_risk_fraction"`
	Calendars      []CalendarDoc `json:"calendars"`
	Rules          []RuleDoc     `json:"rules"`
	Tiering        sla.Tiering   `json:"tiering"`
}

// CalendarDoc is a calendar: 24×7, or business hours per weekday in an
// IANA zone with holidays (local dates).
type CalendarDoc struct {
	Name            string                  `json:"name"`
	TwentyFourSeven bool                    `json:"twenty_four_seven,omitempty"`
	TimeZone        string                  `json:"time_zone,omitempty"`
	Week            map[string][]WindowText `json:"week,omitempty"`
	Holidays        []sla.Holiday           `json:"holidays,omitempty"`
}

// WindowText is a business-hours window, "08:00-17:00" (the older stored
// form {"start": 480, "end": 1020}, minutes after midnight, is read too).
type WindowText struct{ sla.Window }

// MarshalJSON writes "HH:MM-HH:MM".
func (w WindowText) MarshalJSON() ([]byte, error) {
	return json.Marshal(fmt.Sprintf("%02d:%02d-%02d:%02d", w.Start/60, w.Start%60, w.End/60, w.End%60))
}

// UnmarshalJSON reads "HH:MM-HH:MM" or {"start": m, "end": m}.
func (w *WindowText) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return json.Unmarshal(b, &w.Window)
	}
	a, e, ok := strings.Cut(strings.ReplaceAll(s, "–", "-"), "-")
	if !ok {
		return fmt.Errorf("business hours %q must be HH:MM-HH:MM", s)
	}
	var err error
	if w.Start, err = minutes(a); err != nil {
		return fmt.Errorf("business hours %q: %v", s, err)
	}
	if w.End, err = minutes(e); err != nil {
		return fmt.Errorf("business hours %q: %v", s, err)
	}
	return nil
}

func minutes(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	return hh*60 + mm, nil
}

// Target is a duration as people write it: "30m", "4h", "1h30m", "3d"
// (days of 24 h), "1bd" (business days of the rule's calendar); "" or
// "0" is no target. A JSON number is nanoseconds (older stored policies).
type Target string

// UnmarshalJSON reads a string or a number of nanoseconds.
func (t *Target) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = Target(strings.TrimSpace(s))
		return nil
	}
	var n float64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("a target must be a duration such as \"4h\", \"3d\" or \"1bd\"")
	}
	*t = Target(formatDuration(time.Duration(n), 0))
	return nil
}

var targetRe = regexp.MustCompile(`^(-?[0-9]+(?:\.[0-9]+)?)(bd|d)$`)

// Duration resolves the target; businessDay is the length of one business
// day on the rule's calendar.
func (t Target) Duration(businessDay time.Duration) (time.Duration, error) {
	s := strings.ToLower(strings.ReplaceAll(string(t), " ", ""))
	if s == "" || s == "0" {
		return 0, nil
	}
	if m := targetRe.FindStringSubmatch(s); m != nil {
		f, _ := strconv.ParseFloat(m[1], 64)
		unit := 24 * time.Hour
		if m[2] == "bd" {
			unit = businessDay
		}
		return time.Duration(math.Round(f * float64(unit))), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration (write e.g. 30m, 4h, 3d or 1bd for one business day)", string(t))
	}
	return d, nil
}

// formatDuration writes a target back: whole business days as "Nbd" when
// businessDay is set and not 24 h, whole days as "Nd", else "4h", "30m".
func formatDuration(d time.Duration, businessDay time.Duration) string {
	switch {
	case d == 0:
		return ""
	case businessDay > 0 && businessDay != 24*time.Hour && d%businessDay == 0:
		return strconv.FormatInt(int64(d/businessDay), 10) + "bd"
	case d%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// RuleDoc gives the targets of one tier × event type on a calendar.
type RuleDoc struct {
	Tier      sla.Tier      `json:"tier"`
	EventType sla.EventType `json:"event_type"`
	Response  Target        `json:"response,omitempty"`
	OnSite    Target        `json:"on_site,omitempty"`
	Resolve   Target        `json:"resolve,omitempty"`
	Calendar  string        `json:"calendar"`
}

// Doc turns a policy into its document.
func Doc(p sla.Policy) PolicyDoc {
	d := PolicyDoc{Name: p.Name, Rules: []RuleDoc{}, Calendars: []CalendarDoc{}, AtRiskFraction: p.AtRiskFraction, Tiering: p.Tiering}
	days := map[string]time.Duration{}
	for _, c := range p.Calendars {
		s := c.Spec()
		cd := CalendarDoc{Name: s.Name, TwentyFourSeven: s.TwentyFourSeven, TimeZone: s.TimeZone, Holidays: s.Holidays}
		if len(s.Week) > 0 {
			cd.Week = map[string][]WindowText{}
			for day, ws := range s.Week {
				for _, w := range ws {
					cd.Week[day] = append(cd.Week[day], WindowText{w})
				}
			}
		}
		d.Calendars = append(d.Calendars, cd)
		days[c.Name] = c.BusinessDay()
	}
	for _, r := range p.Rules {
		bd := days[r.Calendar]
		d.Rules = append(d.Rules, RuleDoc{Tier: r.Tier, EventType: r.EventType, Calendar: r.Calendar,
			Response: Target(formatDuration(r.Response, bd)), OnSite: Target(formatDuration(r.OnSite, bd)), Resolve: Target(formatDuration(r.Resolve, bd))})
	}
	return d
}

func eventTypeNames() string {
	var s []string
	for _, e := range sla.EventTypes {
		s = append(s, string(e))
	}
	return strings.Join(s, ", ")
}

func knownEventType(e sla.EventType) bool {
	for _, x := range sla.EventTypes {
		if x == e {
			return true
		}
	}
	return false
}

// Policy validates the document and builds the policy. Every problem is
// listed in the one error: unknown time zones, bad windows or holiday
// dates, unknown event types (with the valid ones), negative or unreadable
// targets, unknown calendars, duplicate rules, an at-risk threshold
// outside (0, 1].
func (d PolicyDoc) Policy() (sla.Policy, error) {
	p := sla.Policy{Name: strings.TrimSpace(d.Name), AtRiskFraction: d.AtRiskFraction, Tiering: d.Tiering}
	var probs []string
	if p.Name == "" {
		p.Name = "policy"
	}
	if d.AtRiskFraction < 0 || d.AtRiskFraction > 1 {
		probs = append(probs, fmt.Sprintf("at_risk_fraction %g must be between 0 and 1 (e.g. 0.75: at risk once 75%% of a target is used)", d.AtRiskFraction))
	}
	cals := map[string]*sla.Calendar{}
	var names []string
	for i, c := range d.Calendars {
		name := strings.TrimSpace(c.Name)
		where := fmt.Sprintf("calendar %d", i+1)
		if name == "" {
			probs = append(probs, where+": needs a name")
			continue
		}
		where = fmt.Sprintf("calendar %q", name)
		if _, dup := cals[name]; dup {
			probs = append(probs, where+": defined twice")
			continue
		}
		spec := sla.CalendarSpec{Name: name, TwentyFourSeven: c.TwentyFourSeven, TimeZone: strings.TrimSpace(c.TimeZone), Holidays: c.Holidays}
		if !c.TwentyFourSeven {
			if spec.TimeZone == "" {
				probs = append(probs, where+": a business-hours calendar needs a time_zone (an IANA name such as America/New_York)")
				continue
			}
			if _, err := time.LoadLocation(spec.TimeZone); err != nil {
				probs = append(probs, fmt.Sprintf("%s: unknown time zone %q (use an IANA name such as America/New_York or Europe/Berlin)", where, spec.TimeZone))
				continue
			}
			spec.Week = map[string][]sla.Window{}
			for day, ws := range c.Week {
				for _, w := range ws {
					spec.Week[day] = append(spec.Week[day], w.Window)
				}
			}
		}
		cal, err := spec.Build()
		if err != nil {
			probs = append(probs, err.Error())
			continue
		}
		cals[name] = cal
		names = append(names, name)
		p.Calendars = append(p.Calendars, cal)
	}
	if len(d.Calendars) == 0 {
		probs = append(probs, "the policy needs at least one calendar (e.g. {\"name\": \"24x7\", \"twenty_four_seven\": true})")
	}
	for i, r := range d.Rules {
		where := fmt.Sprintf("rule %d (%s, %s)", i+1, r.Tier, r.EventType)
		if strings.TrimSpace(string(r.Tier)) == "" {
			probs = append(probs, where+": needs a tier (e.g. critical, non_critical)")
		}
		if !knownEventType(r.EventType) {
			probs = append(probs, fmt.Sprintf("%s: unknown event type %q; valid event types are %s", where, r.EventType, eventTypeNames()))
		}
		cal, ok := cals[r.Calendar]
		if !ok {
			if len(names) > 0 || len(d.Calendars) == 0 {
				probs = append(probs, fmt.Sprintf("%s: unknown calendar %q; the policy's calendars are %s", where, r.Calendar, strings.Join(names, ", ")))
			}
			continue
		}
		rule := sla.Rule{Tier: r.Tier, EventType: r.EventType, Calendar: r.Calendar}
		for _, f := range []struct {
			name string
			t    Target
			dst  *time.Duration
		}{{"response", r.Response, &rule.Response}, {"on_site", r.OnSite, &rule.OnSite}, {"resolve", r.Resolve, &rule.Resolve}} {
			v, err := f.t.Duration(cal.BusinessDay())
			switch {
			case err != nil:
				probs = append(probs, fmt.Sprintf("%s: %s: %v", where, f.name, err))
			case v < 0:
				probs = append(probs, fmt.Sprintf("%s: %s %q is negative; a target must be a positive duration (or empty for none)", where, f.name, f.t))
			default:
				*f.dst = v
			}
		}
		if rule.Response == 0 && rule.OnSite == 0 && rule.Resolve == 0 {
			probs = append(probs, where+": sets no target (give response, on_site or resolve)")
		}
		p.Rules = append(p.Rules, rule)
	}
	for m, t := range d.Tiering.ByModality {
		if strings.TrimSpace(string(t)) == "" {
			probs = append(probs, fmt.Sprintf("tiering: modality %q has no tier", m))
		}
	}
	if len(probs) == 0 {
		if _, err := sla.NewEngine(p); err != nil {
			probs = append(probs, err.Error())
		}
	}
	if len(probs) > 0 {
		return p, medsec.Errorf(medsec.EINVALID, "The SLA policy is not valid: %s.", strings.Join(probs, "; "))
	}
	return p, nil
}

// ParsePolicy reads a policy document (JSON), refusing unknown fields.
func ParsePolicy(b []byte) (PolicyDoc, sla.Policy, error) {
	var d PolicyDoc
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return d, sla.Policy{}, medsec.Errorf(medsec.EINVALID, "The SLA policy is not valid JSON: %v.", err)
	}
	p, err := d.Policy()
	return d, p, err
}

// PolicySource says where the effective policy's figures come from.
type PolicySource struct {
	// Stored: a policy was saved (otherwise the default applies).
	Stored    bool   `json:"stored"`
	UpdatedBy string `json:"updated_by,omitempty"`
	UpdatedAt string `json:"updated_at,omitempty"`
	// AgreementVersion is the saved agreement whose SLA table was read (0:
	// none saved).
	AgreementVersion int `json:"agreement_version,omitempty"`
	// FromAgreement lists the targets the agreement's SLA table set;
	// Ignored its rows or cells that could not be read as targets.
	FromAgreement []string `json:"from_agreement"`
	Ignored       []string `json:"ignored"`
}

// StoredPolicy returns the saved policy (or the default) without the
// agreement's targets, and who saved it.
func StoredPolicy(ctx context.Context, st *store.Store) (sla.Policy, PolicySource, error) {
	src := PolicySource{FromAgreement: []string{}, Ignored: []string{}}
	v, by, at, ok, err := st.SettingInfo(ctx, SettingPolicy)
	if err != nil {
		return sla.Policy{}, src, err
	}
	if !ok {
		p, err := sla.DefaultPolicy(DefaultZone, nil)
		return p, src, err
	}
	src.Stored, src.UpdatedBy, src.UpdatedAt = true, by, at
	var d PolicyDoc
	if err := json.Unmarshal([]byte(v), &d); err != nil {
		return sla.Policy{}, src, fmt.Errorf("stored SLA policy: %w", err)
	}
	p, err := d.Policy()
	return p, src, err
}

// EffectivePolicy is the policy the clocks run on: the stored policy (or
// the default) with the targets the current agreement's SLA table states
// put over it, so that the agreement's exhibit and the clocks agree.
func EffectivePolicy(ctx context.Context, st *store.Store) (sla.Policy, PolicySource, error) {
	p, src, err := StoredPolicy(ctx, st)
	if err != nil {
		return p, src, err
	}
	v, err := agreement.Load(ctx, st, 0)
	if medsec.ErrorCode(err) == medsec.ENOTFOUND {
		return p, src, nil
	}
	if err != nil {
		return p, src, err
	}
	src.AgreementVersion = v.Number
	src.FromAgreement, src.Ignored = ApplySLATable(&p, v.Agreement.SLA)
	if _, err := sla.NewEngine(p); err != nil {
		return p, src, fmt.Errorf("SLA policy with the agreement's targets: %w", err)
	}
	return p, src, nil
}

// LoadPolicy returns the effective SLA policy (see EffectivePolicy).
func LoadPolicy(ctx context.Context, st *store.Store) (sla.Policy, error) {
	p, _, err := EffectivePolicy(ctx, st)
	return p, err
}

// SavePolicy validates and stores the SLA policy; the audit record holds
// the policy before and after.
func SavePolicy(ctx context.Context, st *store.Store, actor medsec.Actor, p sla.Policy) error {
	if _, err := sla.NewEngine(p); err != nil {
		return medsec.Errorf(medsec.EINVALID, "%v", err)
	}
	d := Doc(p)
	if _, err := d.Policy(); err != nil {
		return err
	}
	b, _ := json.Marshal(d)
	return st.SetSetting(ctx, actor, SettingPolicy, string(b))
}

// LoadCredits returns the agreement's service-credit terms (none if unset).
func LoadCredits(ctx context.Context, st *store.Store) (sla.Agreement, error) {
	ag := sla.Agreement{Credits: []sla.CreditRule{}}
	v, ok, err := st.Setting(ctx, SettingCredits)
	if err != nil || !ok {
		return ag, err
	}
	err = json.Unmarshal([]byte(v), &ag)
	if ag.Credits == nil {
		ag.Credits = []sla.CreditRule{}
	}
	return ag, err
}

// ValidateCredits checks service-credit terms: a fee and percentages that
// are not negative, a cap of at most 100 %, known event types.
func ValidateCredits(ag sla.Agreement) error {
	var probs []string
	if ag.MonthlyFeeCents < 0 {
		probs = append(probs, fmt.Sprintf("monthly_fee_cents %d is negative", ag.MonthlyFeeCents))
	}
	if ag.CapPercent < 0 || ag.CapPercent > 100 {
		probs = append(probs, fmt.Sprintf("cap_percent %g must be from 0 (no cap) to 100", ag.CapPercent))
	}
	for i, c := range ag.Credits {
		where := fmt.Sprintf("credit %d", i+1)
		if c.EventType != "" && !knownEventType(c.EventType) {
			probs = append(probs, fmt.Sprintf("%s: unknown event type %q; valid event types are %s (or empty for any)", where, c.EventType, eventTypeNames()))
		}
		if c.PercentPerBreach < 0 || c.PercentPerBreach > 100 {
			probs = append(probs, fmt.Sprintf("%s: percent_per_breach %g must be from 0 to 100", where, c.PercentPerBreach))
		}
	}
	if len(probs) > 0 {
		return medsec.Errorf(medsec.EINVALID, "The service-credit terms are not valid: %s.", strings.Join(probs, "; "))
	}
	return nil
}

// ParseCredits reads service-credit terms (JSON), refusing unknown fields.
func ParseCredits(b []byte) (sla.Agreement, error) {
	var ag sla.Agreement
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ag); err != nil {
		return ag, medsec.Errorf(medsec.EINVALID, "The service-credit terms are not valid JSON: %v.", err)
	}
	return ag, ValidateCredits(ag)
}

// SaveCredits validates and stores the service-credit terms; the audit
// record holds them before and after.
func SaveCredits(ctx context.Context, st *store.Store, actor medsec.Actor, ag sla.Agreement) error {
	if err := ValidateCredits(ag); err != nil {
		return err
	}
	if ag.Credits == nil {
		ag.Credits = []sla.CreditRule{}
	}
	b, _ := json.Marshal(ag)
	return st.SetSetting(ctx, actor, SettingCredits, string(b))
}

// The agreement's SLA table is free text ("30 min, 24×7", "2–4 h", "Next
// business day", "1 business day (critical) / 5 (non-critical)").
// ApplySLATable reads what it can as targets: a range counts at its upper
// end (the most the contract allows), "24×7" or "business" picks the
// calendar, and a row's event names its type and, optionally, its tier.

var (
	amountRe = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(?:[–-]\s*(\d+(?:\.\d+)?))?\s*(business\s+hours?|business\s+days?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?)?\b`)
	tierRe   = regexp.MustCompile(`\((non[- ]?critical|critical)\)`)
)

type cellFigure struct {
	d        time.Duration
	business bool
	always   bool
}

// parseCell reads one cell into a figure per tier ("" = any tier). ok is
// false when the cell states nothing (empty, "—"); err when it states
// something that is not a target.
func parseCell(text string, businessDay time.Duration) (map[sla.Tier]cellFigure, bool, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	switch t {
	case "", "—", "-", "–", "n/a", "na", "none":
		return nil, false, nil
	}
	always := strings.Contains(t, "24×7") || strings.Contains(t, "24x7") || strings.Contains(t, "24/7")
	t = strings.NewReplacer("24×7", "", "24x7", "", "24/7", "").Replace(t)
	if strings.Contains(t, ":") {
		return nil, true, fmt.Errorf("%q states labelled alternatives, not one target", text)
	}
	parts := []string{t}
	if strings.Contains(t, "/") {
		parts = strings.Split(t, "/")
	}
	out := map[sla.Tier]cellFigure{}
	lastUnit := ""
	for _, part := range parts {
		tier := sla.Tier("")
		if m := tierRe.FindStringSubmatch(part); m != nil {
			tier = sla.TierCritical
			if strings.HasPrefix(m[1], "non") {
				tier = sla.TierNonCritical
			}
			part = tierRe.ReplaceAllString(part, "")
		}
		part = strings.TrimSpace(part)
		if len(parts) > 1 && tier == "" {
			return nil, true, fmt.Errorf("%q: each alternative needs (critical) or (non-critical)", text)
		}
		var f cellFigure
		f.always = always
		switch {
		case strings.Contains(part, "next business day"):
			f.d, f.business = businessDay, true
		case strings.Contains(part, "immediate"):
			return nil, true, fmt.Errorf("%q is not a duration", text)
		default:
			m := amountRe.FindStringSubmatch(part)
			if m == nil {
				return nil, true, fmt.Errorf("%q is not a duration", text)
			}
			n := m[1]
			if m[2] != "" {
				n = m[2] // a range counts at its upper end
			}
			v, _ := strconv.ParseFloat(n, 64)
			unit := m[3]
			if unit == "" {
				unit = lastUnit
			}
			lastUnit = unit
			var u time.Duration
			switch {
			case strings.HasPrefix(unit, "business h"):
				u, f.business = time.Hour, true
			case strings.HasPrefix(unit, "business d"):
				u, f.business = businessDay, true
			case strings.HasPrefix(unit, "min"):
				u = time.Minute
			case unit == "h" || strings.HasPrefix(unit, "hour") || strings.HasPrefix(unit, "hr"):
				u = time.Hour
			case unit == "d" || strings.HasPrefix(unit, "day"):
				u = 24 * time.Hour
			case strings.HasPrefix(unit, "w"):
				u = 7 * 24 * time.Hour
			default:
				return nil, true, fmt.Errorf("%q has no unit (min, h, days, business hours, business days)", text)
			}
			f.d = time.Duration(math.Round(v * float64(u)))
		}
		out[tier] = f
	}
	return out, true, nil
}

// eventOf reads the event type and tier of an SLA-table row ("" tier: the
// row applies to every tier).
func eventOf(text string) (sla.EventType, sla.Tier, bool) {
	t := strings.ToLower(text)
	var et sla.EventType
	switch {
	case strings.Contains(t, "triage") || strings.Contains(t, "advisory"):
		et = sla.EventVulnerabilityTriage
	case strings.Contains(t, "patch"):
		et = sla.EventPatchDeployment
	case strings.Contains(t, "incident"):
		et = sla.EventSecurityIncident
	case strings.Contains(t, "down") || strings.Contains(t, "repair"):
		et = sla.EventDeviceDown
	case strings.Contains(t, "preventive") || strings.Contains(t, "pm ") || strings.HasPrefix(t, "pm") || strings.Contains(t, "scheduled maintenance"):
		et = sla.EventPMCompletion
	default:
		return "", "", false
	}
	tier := sla.Tier("")
	switch {
	case strings.Contains(t, "non-critical") || strings.Contains(t, "non critical") || strings.Contains(t, "noncritical"):
		tier = sla.TierNonCritical
	case strings.Contains(t, "critical"):
		tier = sla.TierCritical
	}
	return et, tier, true
}

// ApplySLATable puts the targets an agreement's SLA table states over p's
// rules. It returns what it applied and what it could not read; rows it
// cannot read leave p's rules as they were.
func ApplySLATable(p *sla.Policy, rows []agreement.SLARow) (applied, ignored []string) {
	applied, ignored = []string{}, []string{}
	var always, business *sla.Calendar
	for _, c := range p.Calendars {
		if c.Always() && always == nil {
			always = c
		} else if !c.Always() && business == nil {
			business = c
		}
	}
	bday := 9 * time.Hour
	if business != nil {
		bday = business.BusinessDay()
	}
	for i, row := range rows {
		where := fmt.Sprintf("agreement SLA row %d (%s)", i+1, row.Event)
		et, rowTier, ok := eventOf(row.Event)
		if !ok {
			ignored = append(ignored, where+": the event is not one the clocks measure")
			continue
		}
		cells := [3]map[sla.Tier]cellFigure{}
		bad := false
		for j, c := range []string{row.Response, row.OnSite, row.Resolve} {
			m, ok, err := parseCell(c, bday)
			if err != nil {
				ignored = append(ignored, fmt.Sprintf("%s: %v", where, err))
				bad = true
				break
			}
			if ok {
				cells[j] = m
			}
		}
		if bad {
			continue
		}
		// Tiers the row speaks of: the one it names, else those the cells
		// name, else every tier that has a rule for this event type.
		tiers := map[sla.Tier]bool{}
		if rowTier != "" {
			tiers[rowTier] = true
		} else {
			for _, m := range cells {
				for t := range m {
					if t != "" {
						tiers[t] = true
					}
				}
			}
			if len(tiers) == 0 {
				for _, r := range p.Rules {
					if r.EventType == et {
						tiers[r.Tier] = true
					}
				}
				if len(tiers) == 0 {
					tiers[sla.TierCritical], tiers[sla.TierNonCritical] = true, true
				}
			}
		}
		var tierList []string
		for t := range tiers {
			tierList = append(tierList, string(t))
		}
		sort.Strings(tierList)
		for _, ts := range tierList {
			tier := sla.Tier(ts)
			idx := -1
			for k, r := range p.Rules {
				if r.Tier == tier && r.EventType == et {
					idx = k
				}
			}
			rule := sla.Rule{Tier: tier, EventType: et}
			if idx >= 0 {
				rule = p.Rules[idx]
			}
			var figs [3]*cellFigure
			for j, m := range cells {
				if f, ok := m[tier]; ok {
					figs[j] = &f
				} else if f, ok := m[""]; ok {
					figs[j] = &f
				}
			}
			// A rule measured only to resolution (triage, patch, PM) takes
			// a figure the table put under response as its resolve target.
			if figs[2] == nil && figs[0] != nil && rule.Response == 0 && rule.OnSite == 0 && figs[1] == nil {
				figs[2], figs[0] = figs[0], nil
			}
			if figs[0] == nil && figs[1] == nil && figs[2] == nil {
				continue
			}
			cal := rule.Calendar
			for _, f := range figs {
				if f == nil {
					continue
				}
				if f.always && always != nil {
					cal = always.Name
					break
				}
				if f.business && business != nil {
					cal = business.Name
					break
				}
			}
			if cal == "" && len(p.Calendars) > 0 {
				cal = p.Calendars[0].Name
			}
			rule.Calendar = cal
			var said []string
			for j, dst := range []*time.Duration{&rule.Response, &rule.OnSite, &rule.Resolve} {
				if figs[j] != nil {
					*dst = figs[j].d
					said = append(said, fmt.Sprintf("%s %s", []string{"response", "on site", "resolve"}[j], formatDuration(figs[j].d, 0)))
				}
			}
			if idx >= 0 {
				p.Rules[idx] = rule
			} else {
				p.Rules = append(p.Rules, rule)
			}
			applied = append(applied, fmt.Sprintf("%s %s: %s on %s (%s)", tier, et, strings.Join(said, ", "), cal, where))
		}
	}
	return applied, ignored
}
