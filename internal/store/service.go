package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/schedule"
)

// Service data: schedule templates, what the schedule and SLA engines need
// to know about each asset, provider scopes, the findings that start
// vulnerability clocks, end-of-support dates and service settings. Work
// orders and pauses are in workorder.go, risk exceptions in exception.go.

func templateKey(t schedule.Template) string {
	n := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
	if t.Scope == schedule.ScopeModel {
		return "model|" + n(t.Manufacturer) + "|" + n(t.Model)
	}
	return "modality|" + n(t.Modality)
}

// SaveTemplates stores schedule templates, replacing any template of the
// same modality or make/model, in one transaction with one audit record
// per template.
func (s *Store) SaveTemplates(ctx context.Context, actor medsec.Actor, ts []schedule.Template) (added, changed int, err error) {
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		existing := map[string]string{}
		rows, err := s.query(ctx, tx, `SELECT tkey, body FROM schedule_templates`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k, b string
			if err := rows.Scan(&k, &b); err != nil {
				rows.Close()
				return err
			}
			existing[k] = b
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := s.now()
		for _, t := range ts {
			k := templateKey(t)
			body, err := json.Marshal(t)
			if err != nil {
				return err
			}
			old, had := existing[k]
			if had && old == string(body) {
				continue
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO schedule_templates (tkey, scope, modality, manufacturer, model, body, updated_by, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (tkey) DO UPDATE SET scope = excluded.scope, modality = excluded.modality, manufacturer = excluded.manufacturer,
				model = excluded.model, body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				k, string(t.Scope), t.Modality, t.Manufacturer, t.Model, string(body), actor.Name, now); err != nil {
				return err
			}
			var before any
			action := "create"
			if had {
				action, before = "update", json.RawMessage(old)
				changed++
			} else {
				added++
			}
			if err := s.auditKey(ctx, tx, actor, action, "schedule_template", k, before, t); err != nil {
				return err
			}
			existing[k] = string(body)
		}
		return nil
	})
	return added, changed, err
}

// Templates returns every stored schedule template.
func (s *Store) Templates(ctx context.Context) ([]schedule.Template, error) {
	rows, err := s.query(ctx, s.db, `SELECT body FROM schedule_templates ORDER BY tkey`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []schedule.Template
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		var t schedule.Template
		if err := json.Unmarshal([]byte(b), &t); err != nil {
			return nil, fmt.Errorf("stored schedule template: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ServiceAsset is what the schedule and SLA engines need about an asset.
type ServiceAsset struct {
	ID           int64  `json:"id"`
	Tag          string `json:"asset_tag"`
	Modality     string `json:"modality"`
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	Facility     string `json:"facility"`
	Status       string `json:"status"`
	AcquiredOn   string `json:"acquired_on"`
	EM           int    `json:"em"`
	ModelID      int64  `json:"model_id"`
	FacilityID   int64  `json:"facility_id"`
	ModalityID   int64  `json:"modality_id"`
	// ClinicalTier is the asset's clinical impact tier from the scores
	// (0 low … 3 critical), -1 when the asset has not been scored.
	ClinicalTier int `json:"clinical_tier"`
	// CareDelivery is the care-delivery impact (1–5), 0 when unknown.
	CareDelivery int `json:"care_delivery"`
}

// hasScores reports whether the asset score table exists (it comes with
// the assessment migration).
func (s *Store) hasScores(ctx context.Context) bool {
	var n int
	return s.queryRow(ctx, s.db, `SELECT count(*) FROM asset_scores WHERE 1 = 0`).Scan(&n) == nil
}

// EachServiceAsset streams the medical assets in scope (0 = all) that are
// not retired, ordered by tag.
func (s *Store) EachServiceAsset(ctx context.Context, scope int64, fn func(ServiceAsset) error) error {
	return s.eachServiceAsset(ctx, scope, 0, fn)
}

// ServiceAsset returns one in-service medical asset within scope.
func (s *Store) ServiceAsset(ctx context.Context, id, scope int64) (ServiceAsset, error) {
	var out ServiceAsset
	found := false
	err := s.eachServiceAsset(ctx, scope, id, func(a ServiceAsset) error {
		out, found = a, true
		return nil
	})
	if err == nil && !found {
		err = medsec.Errorf(medsec.ENOTFOUND, "Asset %d not found (or retired, or not a medical device).", id)
	}
	return out, err
}

func (s *Store) eachServiceAsset(ctx context.Context, scope, id int64, fn func(ServiceAsset) error) error {
	where, args, err := s.assetWhere(ctx, medsec.AssetFilter{ScopePartyID: scope})
	if err != nil {
		return err
	}
	where = andWhere(where, "lower(a.status) NOT IN ('retired', 'disposed')")
	if id != 0 {
		where, args = andWhere(where, "a.id = ?"), append(args, id)
	}
	score, join := "-1, 0", ""
	if s.hasScores(ctx) {
		score, join = "COALESCE(sc.clinical_tier, -1), COALESCE(sc.care_delivery, 0)", " LEFT JOIN asset_scores sc ON sc.asset_id = a.id"
	}
	rows, err := s.query(ctx, s.db, `SELECT a.id, a.asset_tag, COALESCE(mo.name, ''), COALESCE(mf.name, ''), COALESCE(md.name, ''), COALESCE(f.name, ''),
		a.status, a.acquired_on, COALESCE(a.em_number, 0), COALESCE(a.model_id, 0), COALESCE(a.facility_id, 0), COALESCE(a.modality_id, 0), `+score+`
		FROM assets a
		LEFT JOIN manufacturers mf ON mf.id = a.manufacturer_id
		LEFT JOIN models md ON md.id = a.model_id
		LEFT JOIN modalities mo ON mo.id = a.modality_id
		LEFT JOIN facilities f ON f.id = a.facility_id`+join+where+` ORDER BY a.asset_tag`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a ServiceAsset
		if err := rows.Scan(&a.ID, &a.Tag, &a.Modality, &a.Manufacturer, &a.Model, &a.Facility, &a.Status, &a.AcquiredOn, &a.EM,
			&a.ModelID, &a.FacilityID, &a.ModalityID, &a.ClinicalTier, &a.CareDelivery); err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ProviderScope is one scope rule of a provider party, with its name.
type ProviderScope struct {
	PartyID    int64
	Party      string
	FacilityID int64 // 0 = any
	ModalityID int64 // 0 = any
	// AssetID, when set, makes the rule one device the agreement names
	// individually (party_scope_assets); facility and modality are then
	// not consulted.
	AssetID int64
}

// Covers reports whether the rule covers an asset.
func (p ProviderScope) Covers(a ServiceAsset) bool {
	if p.AssetID != 0 {
		return p.AssetID == a.ID
	}
	return (p.FacilityID == 0 || p.FacilityID == a.FacilityID) && (p.ModalityID == 0 || p.ModalityID == a.ModalityID)
}

// ProviderScopes lists the scope rules of every provider party.
func (s *Store) ProviderScopes(ctx context.Context) ([]ProviderScope, error) {
	rows, err := s.query(ctx, s.db, `SELECT p.id, p.name, COALESCE(ps.facility_id, 0), COALESCE(ps.modality_id, 0), 0, 0, ps.id
		FROM party_scope ps JOIN parties p ON p.id = ps.party_id WHERE p.kind = 'provider'
		UNION ALL SELECT p.id, p.name, 0, 0, psa.asset_id, 1, psa.asset_id
		FROM party_scope_assets psa JOIN parties p ON p.id = psa.party_id WHERE p.kind = 'provider'
		ORDER BY 2, 6, 7`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ProviderScope
	for rows.Next() {
		var p ProviderScope
		var named int
		var ord int64
		if err := rows.Scan(&p.PartyID, &p.Party, &p.FacilityID, &p.ModalityID, &p.AssetID, &named, &ord); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SLAFinding is a finding as the SLA clocks see it: triage starts when it
// was first seen (the matching advisory arrived), the patch clock when the
// manufacturer validated the fix; status and status_at stop them.
type SLAFinding struct {
	ID             int64  `json:"id"`
	AssetID        int64  `json:"asset_id"`
	AssetTag       string `json:"asset_tag"`
	ModelID        int64  `json:"model_id"`
	CVE            string `json:"cve"`
	FirstSeen      string `json:"first_seen"`
	FixValidatedOn string `json:"fix_validated_on"`
	Status         string `json:"status"`
	StatusAt       string `json:"status_at"`
	// TriagedAt is the first change of status away from open in the
	// finding's history ("" if it never left open, or left it without a
	// recorded event).
	TriagedAt string `json:"triaged_at,omitempty"`
}

// EachSLAFinding streams the current findings of the medical assets in
// scope (read-only use of the findings table); id ≠ 0 selects one.
func (s *Store) EachSLAFinding(ctx context.Context, scope, id int64, fn func(SLAFinding) error) error {
	where, args, err := s.assetWhere(ctx, medsec.AssetFilter{ScopePartyID: scope})
	if err != nil {
		return err
	}
	where = andWhere(where, "fi.status <> 'false_positive'")
	if id != 0 {
		where, args = andWhere(where, "fi.id = ?"), append(args, id)
	}
	rows, err := s.query(ctx, s.db, `SELECT fi.id, fi.asset_id, a.asset_tag, COALESCE(a.model_id, 0), fi.cve, fi.first_seen, fi.fix_validated_on, fi.status, fi.status_at,
		COALESCE((SELECT min(e.at) FROM finding_events e WHERE e.finding_id = fi.id AND e.from_status = 'open' AND e.to_status <> 'open'), '')
		FROM findings fi JOIN assets a ON a.id = fi.asset_id`+where+` ORDER BY fi.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f SLAFinding
		if err := rows.Scan(&f.ID, &f.AssetID, &f.AssetTag, &f.ModelID, &f.CVE, &f.FirstSeen, &f.FixValidatedOn, &f.Status, &f.StatusAt, &f.TriagedAt); err != nil {
			return err
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EndOfSupport is a make/model's end-of-support date.
type EndOfSupport struct {
	ModelID      int64  `json:"model_id"`
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	Date         string `json:"end_of_support"`
	Assets       int    `json:"assets"`
}

// SetEndOfSupport records when the manufacturer stops supporting a model.
func (s *Store) SetEndOfSupport(ctx context.Context, actor medsec.Actor, modelID int64, date string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var old string
		err := s.queryRow(ctx, tx, `SELECT end_of_support FROM model_end_of_support WHERE model_id = ?`, modelID).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO model_end_of_support (model_id, end_of_support, set_by, set_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (model_id) DO UPDATE SET end_of_support = excluded.end_of_support, set_by = excluded.set_by, set_at = excluded.set_at`,
			modelID, date, actor.Name, s.now()); err != nil {
			return err
		}
		var before any
		if old != "" {
			before = map[string]string{"end_of_support": old}
		}
		return s.audit(ctx, tx, actor, "set_end_of_support", "model", modelID, before, map[string]string{"end_of_support": date})
	})
}

// EndsOfSupport lists the models with an end-of-support date, soonest first.
func (s *Store) EndsOfSupport(ctx context.Context, scope int64) ([]EndOfSupport, error) {
	where, args, err := s.assetWhere(ctx, medsec.AssetFilter{ScopePartyID: scope})
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, s.db, `SELECT e.model_id, COALESCE(mf.name, ''), md.name, e.end_of_support,
		(SELECT count(*) FROM assets a`+andWhere(where, "a.model_id = e.model_id")+`)
		FROM model_end_of_support e JOIN models md ON md.id = e.model_id LEFT JOIN manufacturers mf ON mf.id = md.manufacturer_id
		ORDER BY e.end_of_support, md.name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []EndOfSupport
	for rows.Next() {
		var e EndOfSupport
		if err := rows.Scan(&e.ModelID, &e.Manufacturer, &e.Model, &e.Date, &e.Assets); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func andWhere(where, cond string) string {
	if where == "" {
		return " WHERE " + cond
	}
	return where + " AND " + cond
}

// Setting returns a service setting (JSON text) and whether it is set.
func (s *Store) Setting(ctx context.Context, name string) (string, bool, error) {
	var v string
	err := s.queryRow(ctx, s.db, `SELECT value FROM service_settings WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return v, err == nil, err
}

// SettingInfo returns a service setting with who set it and when.
func (s *Store) SettingInfo(ctx context.Context, name string) (value, by, at string, ok bool, err error) {
	err = s.queryRow(ctx, s.db, `SELECT value, updated_by, updated_at FROM service_settings WHERE name = ?`, name).Scan(&value, &by, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", "", false, nil
	}
	return value, by, at, err == nil, err
}

// SetSetting stores a service setting (the SLA policy, the credit terms).
func (s *Store) SetSetting(ctx context.Context, actor medsec.Actor, name, value string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var old string
		err := s.queryRow(ctx, tx, `SELECT value FROM service_settings WHERE name = ?`, name).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO service_settings (name, value, updated_by, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			name, value, actor.Name, s.now()); err != nil {
			return err
		}
		var before any
		if old != "" {
			before = json.RawMessage(old)
		}
		return s.auditKey(ctx, tx, actor, "set", "service_setting", name, before, json.RawMessage(value))
	})
}
