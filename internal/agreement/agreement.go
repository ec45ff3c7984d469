// Package agreement is the biomedical services agreement between the
// hospital (HDO) and its HTM service provider, kept as data: parties,
// dates, term and review cadence, scope (which drives the provider's
// visibility), the schedule appendix, the SLA table, the risk-management
// commitments and the RACI matrix. Every save is a new version; any two
// versions can be compared field by field.
//
// From the agreement and the live inventory it builds the exhibits
// (doc.Document, rendered to DOCX, PDF, Markdown or XLSX), the periodic
// review pack, and it routes work (findings, work orders, exceptions, SLA
// warnings) to the RACI's accountable party, notifying the informed ones
// in the app and by e-mail.
package agreement

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/raci"
	"github.com/medsec/medsec/internal/store"
)

// Agreement is one version's content.
type Agreement struct {
	Title         string         `json:"title"`
	Hospital      string         `json:"hospital"`       // the HDO
	Provider      string         `json:"provider"`       // the HTM service provider (a provider party)
	EffectiveDate string         `json:"effective_date"` // YYYY-MM-DD
	TermMonths    int            `json:"term_months"`
	ReviewCadence string         `json:"review_cadence"` // monthly, quarterly, semiannual, annual
	Scope         Scope          `json:"scope"`
	Schedule      []ScheduleRule `json:"schedule"`
	SLA           []SLARow       `json:"sla"`
	Commitments   Commitments    `json:"commitments"`
	Contacts      []Contact      `json:"contacts"`
	RACI          raci.Matrix    `json:"raci"`
}

// Scope is what the provider services: devices in these facilities and of
// these modalities (either list empty: any), plus named assets.
type Scope struct {
	Facilities []string `json:"facilities"`
	Modalities []string `json:"modalities"`
	Assets     []string `json:"assets,omitempty"` // asset tags (equipment IDs)
}

// ScheduleRule is one line of the schedule appendix: the PM interval and
// tasks for a modality ("" is the default for the others).
type ScheduleRule struct {
	Modality string `json:"modality"`
	Interval string `json:"interval"`
	Tasks    string `json:"tasks"`
}

// SLARow is one line of the service-level table.
type SLARow struct {
	Event    string `json:"event"`
	Response string `json:"response"`
	OnSite   string `json:"on_site"`
	Resolve  string `json:"resolve"`
}

// Commitments are the risk-management commitments of both parties.
type Commitments struct {
	MonitoringAccess string `json:"monitoring_access"`
	ScoringMethod    string `json:"scoring_method"`
	ReportingCadence string `json:"reporting_cadence"`
}

// Contact maps a RACI party to the medsec user role that sees its
// notifications in the app, and an e-mail address for them.
type Contact struct {
	Party string `json:"party"` // RACI party ID
	Role  string `json:"role,omitempty"`
	Email string `json:"email,omitempty"`
}

// Version is a saved agreement with its version number.
type Version struct {
	Number    int       `json:"version"`
	Note      string    `json:"note"`
	CreatedBy string    `json:"created_by"`
	CreatedAt string    `json:"created_at"`
	Agreement Agreement `json:"agreement"`
}

// Cadences are the review cadences an agreement may name.
var Cadences = []string{"monthly", "quarterly", "semiannual", "annual"}

// Default returns a starting agreement: the networked-device RACI
// template, the typical SLA table and PM intervals of DOMAIN.md, and the
// usual commitments. Users edit all of it.
func Default(hospital, provider string, effective time.Time) Agreement {
	m, _ := raci.Template(raci.Networked)
	return Agreement{
		Title:         "Biomedical services agreement: medical-device cybersecurity",
		Hospital:      hospital,
		Provider:      provider,
		EffectiveDate: effective.UTC().Format("2006-01-02"),
		TermMonths:    36,
		ReviewCadence: "quarterly",
		Schedule: []ScheduleRule{
			{Modality: "Defibrillator", Interval: "Semi-annual", Tasks: "PM, safety test, battery check, software version check"},
			{Modality: "Ventilator", Interval: "Semi-annual", Tasks: "PM, calibration, safety test, software version check"},
			{Modality: "Anesthesia machine", Interval: "Semi-annual", Tasks: "PM, calibration, leak test, software version check"},
			{Modality: "Infusion pump", Interval: "Annual", Tasks: "PM, flow-rate verification, drug library and firmware check"},
			{Modality: "Physiologic monitor", Interval: "Annual", Tasks: "PM, alarm test, software version check"},
			{Modality: "", Interval: "Per manufacturer's service plan", Tasks: "PM per manufacturer; software version check at each visit"},
		},
		SLA: []SLARow{
			{Event: "Critical device down", Response: "30 min, 24×7", OnSite: "2–4 h", Resolve: "8–24 h"},
			{Event: "Non-critical device down", Response: "4 business hours", OnSite: "Next business day", Resolve: "3–5 business days"},
			{Event: "New advisory affecting in-scope devices: triage", Response: "1 business day (critical) / 5 (non-critical)", OnSite: "—", Resolve: "—"},
			{Event: "Patch after the manufacturer validates it", Response: "Immediate: 7–14 days", OnSite: "Out-of-Cycle: 30 days", Resolve: "Scheduled: next PM visit · Defer: track"},
		},
		Commitments: Commitments{
			MonitoringAccess: "The hospital gives the provider read access to the passive-monitoring console and to medsec for in-scope devices.",
			ScoringMethod:    "Clinical impact from the eight data points (medsec scoring model); SSVC deployer decision per finding.",
			ReportingCadence: "Monthly operational report; quarterly review pack; annual agreement review.",
		},
		Contacts: []Contact{
			{Party: raci.PartyHTM, Role: string(medsec.RoleHTM)},
			{Party: raci.PartySecurity, Role: string(medsec.RoleSecurity)},
			{Party: raci.PartyProvider, Role: string(medsec.RoleProvider)},
		},
		RACI: m,
	}
}

// Validate checks the agreement's own fields and its RACI (exactly one
// Accountable and at least one Responsible party per activity; the error
// names each failing activity).
func (a Agreement) Validate() error {
	var probs []string
	if strings.TrimSpace(a.Hospital) == "" {
		probs = append(probs, "The agreement needs the hospital's name.")
	}
	if strings.TrimSpace(a.Provider) == "" {
		probs = append(probs, "The agreement needs the service provider's name.")
	}
	if _, err := time.Parse("2006-01-02", a.EffectiveDate); err != nil {
		probs = append(probs, fmt.Sprintf("The effective date %q must be YYYY-MM-DD.", a.EffectiveDate))
	}
	if a.TermMonths < 1 || a.TermMonths > 240 {
		probs = append(probs, fmt.Sprintf("The term must be from 1 to 240 months (got %d).", a.TermMonths))
	}
	ok := false
	for _, c := range Cadences {
		ok = ok || c == a.ReviewCadence
	}
	if !ok {
		probs = append(probs, fmt.Sprintf("The review cadence %q must be one of %s.", a.ReviewCadence, strings.Join(Cadences, ", ")))
	}
	for _, c := range a.Contacts {
		if _, known := a.RACI.Party(c.Party); !known {
			probs = append(probs, fmt.Sprintf("A contact names unknown RACI party %q.", c.Party))
		}
		if c.Role != "" {
			if _, err := medsec.ParseRole(c.Role); err != nil {
				probs = append(probs, medsec.ErrorMessage(err))
			}
		}
	}
	if err := a.RACI.Validate(); err != nil {
		var ve *raci.ValidationError
		if errors.As(err, &ve) {
			probs = append(probs, ve.Problems...)
		} else {
			probs = append(probs, err.Error())
		}
	}
	if len(probs) > 0 {
		return medsec.Errorf(medsec.EINVALID, "The agreement cannot be saved: %s", strings.Join(probs, "; "))
	}
	return nil
}

// End is the last day of the term.
func (a Agreement) End() string {
	t, err := time.Parse("2006-01-02", a.EffectiveDate)
	if err != nil {
		return ""
	}
	return t.AddDate(0, a.TermMonths, -1).Format("2006-01-02")
}

// resolved is an agreement's scope as database ids.
type resolved struct {
	facilities, modalities []int64
	assets                 []int64 // the devices named individually
}

// resolveScope checks every facility and modality the scope names against
// the inventory; unknown names are refused, all of them listed.
func resolveScope(ctx context.Context, st *store.Store, s Scope) (resolved, error) {
	fac, mod, uf, um, err := st.ResolveScope(ctx, s.Facilities, s.Modalities)
	if err != nil {
		return resolved{}, err
	}
	if len(uf) > 0 || len(um) > 0 {
		var parts []string
		if len(uf) > 0 {
			parts = append(parts, "unknown facilities: "+strings.Join(uf, ", "))
		}
		if len(um) > 0 {
			parts = append(parts, "unknown modalities: "+strings.Join(um, ", "))
		}
		return resolved{}, medsec.Errorf(medsec.EINVALID, "The agreement's scope names %s.", strings.Join(parts, "; "))
	}
	var r resolved
	for _, f := range s.Facilities {
		r.facilities = append(r.facilities, fac[f])
	}
	for _, m := range s.Modalities {
		r.modalities = append(r.modalities, mod[m])
	}
	return r, nil
}

// resolveAssets checks every device the scope names against the
// inventory; unknown tags are refused, all of them listed.
func resolveAssets(ctx context.Context, st *store.Store, r *resolved, tags []string) error {
	ids, unknown, err := st.ResolveAssetTags(ctx, tags)
	if err != nil {
		return err
	}
	if len(unknown) > 0 {
		return medsec.Errorf(medsec.EINVALID, "The agreement's scope names unknown devices: %s.", strings.Join(unknown, ", "))
	}
	for _, t := range tags {
		r.assets = append(r.assets, ids[t])
	}
	return nil
}

// rules turns a scope into party_scope rules: each facility × each
// modality (a missing side matches any).
func (r resolved) rules() []medsec.ScopeRule {
	var out []medsec.ScopeRule
	switch {
	case len(r.facilities) > 0 && len(r.modalities) > 0:
		for _, f := range r.facilities {
			for _, m := range r.modalities {
				out = append(out, medsec.ScopeRule{FacilityID: f, ModalityID: m})
			}
		}
	case len(r.facilities) > 0:
		for _, f := range r.facilities {
			out = append(out, medsec.ScopeRule{FacilityID: f})
		}
	case len(r.modalities) > 0:
		for _, m := range r.modalities {
			out = append(out, medsec.ScopeRule{ModalityID: m})
		}
	}
	return out
}

func clean(a *Agreement) {
	trim := func(xs []string) []string {
		var out []string
		seen := map[string]bool{}
		for _, x := range xs {
			x = strings.TrimSpace(x)
			if x != "" && !seen[strings.ToLower(x)] {
				seen[strings.ToLower(x)] = true
				out = append(out, x)
			}
		}
		return out
	}
	a.Title, a.Hospital, a.Provider = strings.TrimSpace(a.Title), strings.TrimSpace(a.Hospital), strings.TrimSpace(a.Provider)
	a.Scope.Facilities, a.Scope.Modalities, a.Scope.Assets = trim(a.Scope.Facilities), trim(a.Scope.Modalities), trim(a.Scope.Assets)
}

// Save validates the agreement, checks its scope against the inventory,
// stores it as a new version and makes the provider party's scope the
// agreement's (which decides what the provider's users see): facility and
// modality rules, and the devices named individually, which the provider
// sees wherever they are. All in one transaction; see
// store.SaveAgreementVersion for why it writes the scope itself rather
// than through AddScope.
func Save(ctx context.Context, st *store.Store, actor medsec.Actor, a Agreement, note string) (int, error) {
	clean(&a)
	if err := a.Validate(); err != nil {
		return 0, err
	}
	r, err := resolveScope(ctx, st, a.Scope)
	if err != nil {
		return 0, err
	}
	if err := resolveAssets(ctx, st, &r, a.Scope.Assets); err != nil {
		return 0, err
	}
	party, err := st.PartyByName(ctx, a.Provider)
	if err != nil {
		if medsec.ErrorCode(err) != medsec.ENOTFOUND {
			return 0, err
		}
		if party, err = st.EnsureParty(ctx, actor, a.Provider, medsec.PartyProvider); err != nil {
			return 0, err
		}
	}
	if party.Kind != medsec.PartyProvider {
		return 0, medsec.Errorf(medsec.EINVALID, "%q is a %s, not a service provider.", a.Provider, party.Kind)
	}
	body, err := json.Marshal(a)
	if err != nil {
		return 0, err
	}
	return st.SaveAgreementVersion(ctx, actor, body, note, party.ID, r.rules(), r.assets)
}

// Load returns one version (0: the latest).
func Load(ctx context.Context, st *store.Store, version int) (Version, error) {
	v, err := st.AgreementVersionByNumber(ctx, version)
	if err != nil {
		return Version{}, err
	}
	return decode(v)
}

func decode(v store.AgreementVersion) (Version, error) {
	out := Version{Number: v.Version, Note: v.Note, CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt}
	if err := json.Unmarshal([]byte(v.Body), &out.Agreement); err != nil {
		return out, fmt.Errorf("agreement version %d: %w", v.Version, err)
	}
	return out, nil
}

// Versions lists every saved version, newest first.
func Versions(ctx context.Context, st *store.Store) ([]Version, error) {
	vs, err := st.AgreementVersions(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Version, 0, len(vs))
	for _, v := range vs {
		d, err := decode(v)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Current returns the latest version, or a default agreement (version 0,
// not saved) when none exists yet.
func Current(ctx context.Context, st *store.Store) (Version, error) {
	v, err := Load(ctx, st, 0)
	if medsec.ErrorCode(err) == medsec.ENOTFOUND {
		return Version{Agreement: Default("Hospital", "Service provider", st.Now())}, nil
	}
	return v, err
}

// contact returns the contact entry of a RACI party.
func (a Agreement) contact(party string) Contact {
	for _, c := range a.Contacts {
		if c.Party == party {
			return c
		}
	}
	return Contact{Party: party}
}

// partyWithRole returns the first RACI party whose contact is a user role.
func (a Agreement) partyWithRole(r medsec.Role) (raci.Party, bool) {
	for _, c := range a.Contacts {
		if c.Role == string(r) {
			if p, ok := a.RACI.Party(c.Party); ok {
				return p, true
			}
		}
	}
	return raci.Party{}, false
}

func sortedCopy(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}
