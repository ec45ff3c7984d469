package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/assess"
)

// Assessment levels as stored.
const (
	LevelModality = "modality"
	LevelModel    = "model"
	LevelAsset    = "asset"
)

// AssessmentRow is one assessed data point at one level: who set it, when
// and why.
type AssessmentRow struct {
	Level   string `json:"level"`
	ScopeID int64  `json:"scope_id"`
	Point   string `json:"point"`
	Value   string `json:"value"`
	SetBy   string `json:"set_by"`
	SetAt   string `json:"set_at"`
	Reason  string `json:"reason"`
}

// ParsePoint reads a data point's name (life-safety, acuity, phi,
// large-phi, care-delivery, lateral-access, financial, reputational).
func ParsePoint(name string) (assess.Point, error) {
	n := strings.NewReplacer("_", "-", " ", "-").Replace(strings.ToLower(strings.TrimSpace(name)))
	if n == "lateral" {
		n = "lateral-access"
	}
	var all []string
	for p := assess.Point(0); p < assess.NumPoints; p++ {
		if p.String() == n {
			return p, nil
		}
		all = append(all, p.String())
	}
	return 0, medsec.Errorf(medsec.EINVALID, "Unknown data point %q; valid points: %s.", name, strings.Join(all, ", "))
}

// SetPointValue parses v as point pt's value into p. Life-safety is the
// four EM components "function,physical-risk,maintenance,incidents"
// (e.g. "9,5,4,1"); acuity a care-area acuity; phi and large-phi yes/no;
// the others 1–5. Out-of-range values are refused with the allowed range.
func SetPointValue(p *assess.Profile, pt assess.Point, v string) error {
	v = strings.TrimSpace(v)
	switch pt {
	case assess.PointLifeSafety:
		parts := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '/' || r == ' ' })
		if len(parts) != 4 {
			return medsec.Errorf(medsec.EINVALID, "life-safety needs the four EM components function (2–10), physical risk (1–5), maintenance (1–5) and incident history (−2…+2), e.g. 9,5,4,1; got %q", v)
		}
		var n [4]int8
		for i, s := range parts {
			x, err := strconv.Atoi(strings.TrimPrefix(s, "+"))
			if err != nil || x < -128 || x > 127 {
				return medsec.Errorf(medsec.EINVALID, "life-safety: %q is not a number", s)
			}
			n[i] = int8(x)
		}
		em := assess.EM{Function: n[0], PhysicalRisk: n[1], Maintenance: n[2], IncidentHistory: n[3]}
		if err := em.Validate(); err != nil {
			return err
		}
		p.LifeSafety = em
	case assess.PointAcuity:
		a, err := assess.ParseAcuity(v)
		if err != nil {
			return err
		}
		p.Acuity = a
	case assess.PointPHI, assess.PointLargePHI:
		var yn assess.YesNo
		switch strings.ToLower(v) {
		case "yes", "y", "true", "1":
			yn = assess.Yes
		case "no", "n", "false", "0":
			yn = assess.No
		default:
			return medsec.Errorf(medsec.EINVALID, "%s must be yes or no, got %q", pt, v)
		}
		if pt == assess.PointPHI {
			p.PHI = yn
		} else {
			p.LargePHI = yn
		}
	default:
		x, err := strconv.Atoi(v)
		if err != nil || x < 0 || x > 255 {
			x = 0
		}
		u := uint8(x)
		var verr error
		switch pt {
		case assess.PointCareDelivery:
			verr = assess.CareDelivery(u).Validate()
			p.CareDelivery = assess.CareDelivery(u)
		case assess.PointLateral:
			verr = assess.LateralAccess(u).Validate()
			p.Lateral = assess.LateralAccess(u)
		case assess.PointFinancial:
			verr = assess.Financial(u).Validate()
			p.Financial = assess.Financial(u)
		case assess.PointReputational:
			verr = assess.Reputational(u).Validate()
			p.Reputational = assess.Reputational(u)
		}
		if err != nil && verr != nil {
			return medsec.Errorf(medsec.EINVALID, "%s, got %q", strings.TrimSuffix(strings.SplitN(medsec.ErrorMessage(verr), ", got", 2)[0], "."), v)
		}
		return verr
	}
	return nil
}

// PointValue is point pt's value in p in the stored text form ("" unset).
func PointValue(p *assess.Profile, pt assess.Point) string {
	if !p.IsSet(pt) {
		return ""
	}
	switch pt {
	case assess.PointLifeSafety:
		e := p.LifeSafety
		return fmt.Sprintf("%d,%d,%d,%d", e.Function, e.PhysicalRisk, e.Maintenance, e.IncidentHistory)
	case assess.PointAcuity:
		return p.Acuity.String()
	case assess.PointPHI:
		return p.PHI.String()
	case assess.PointLargePHI:
		return p.LargePHI.String()
	case assess.PointCareDelivery:
		return strconv.Itoa(int(p.CareDelivery))
	case assess.PointLateral:
		return strconv.Itoa(int(p.Lateral))
	case assess.PointFinancial:
		return strconv.Itoa(int(p.Financial))
	case assess.PointReputational:
		return strconv.Itoa(int(p.Reputational))
	}
	return ""
}

// LayerOf builds the assess layer of stored rows (all of one level and scope).
func LayerOf(level assess.Level, scope string, rows []AssessmentRow) (assess.Layer, error) {
	l := assess.Layer{Level: level, Scope: scope}
	for _, r := range rows {
		pt, err := ParsePoint(r.Point)
		if err != nil {
			return l, err
		}
		if err := SetPointValue(&l.Values, pt, r.Value); err != nil {
			return l, err
		}
		l.Notes[pt] = assess.Note{SetBy: r.SetBy, SetAt: parseTime(r.SetAt), Reason: r.Reason}
	}
	return l, nil
}

func checkLevel(level string) error {
	switch level {
	case LevelModality, LevelModel, LevelAsset:
		return nil
	}
	return medsec.Errorf(medsec.EINVALID, "Unknown assessment level %q; use modality, model or asset.", level)
}

// AssessmentUpdate sets (or, with an empty Value, clears) one data point at one level.
type AssessmentUpdate struct {
	Level   string `json:"level"`
	ScopeID int64  `json:"scope_id"`
	Point   string `json:"point"`
	Value   string `json:"value"`
	Reason  string `json:"reason"`
}

// SetAssessment sets or clears one data point of one level's assessment.
// The value is checked against its range and the layer as a whole (large
// PHI needs PHI); a reason is required. The change and its audit record
// land together.
func (s *Store) SetAssessment(ctx context.Context, actor medsec.Actor, u AssessmentUpdate) error {
	if err := checkLevel(u.Level); err != nil {
		return err
	}
	pt, err := ParsePoint(u.Point)
	if err != nil {
		return err
	}
	if strings.TrimSpace(u.Reason) == "" {
		return medsec.Errorf(medsec.EINVALID, "Give a reason for the %s assessment of %s: every value records why it was set.", u.Level, pt)
	}
	if err := s.checkScope(ctx, u.Level, u.ScopeID); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		rows, err := s.assessmentRows(ctx, tx, u.Level, u.ScopeID)
		if err != nil {
			return err
		}
		var before *AssessmentRow
		var others []AssessmentRow
		for i := range rows {
			if rows[i].Point == pt.String() {
				before = &rows[i]
			} else {
				others = append(others, rows[i])
			}
		}
		lvl := map[string]assess.Level{LevelModality: assess.LevelModality, LevelModel: assess.LevelModel, LevelAsset: assess.LevelAsset}[u.Level]
		layer, err := LayerOf(lvl, "", others)
		if err != nil {
			return err
		}
		if strings.TrimSpace(u.Value) == "" {
			if before == nil {
				return nil
			}
			if _, err := s.exec(ctx, tx, `DELETE FROM assessments WHERE level = ? AND scope_id = ? AND point = ?`, u.Level, u.ScopeID, pt.String()); err != nil {
				return err
			}
			return s.auditKey(ctx, tx, actor, "clear", "assessment", fmt.Sprintf("%s/%d/%s", u.Level, u.ScopeID, pt), before, map[string]string{"reason": u.Reason})
		}
		if err := SetPointValue(&layer.Values, pt, u.Value); err != nil {
			return err
		}
		if err := layer.Values.Validate(); err != nil {
			return err
		}
		row := AssessmentRow{Level: u.Level, ScopeID: u.ScopeID, Point: pt.String(), Value: PointValue(&layer.Values, pt), SetBy: actor.Name, SetAt: s.now(), Reason: strings.TrimSpace(u.Reason)}
		if _, err := s.exec(ctx, tx, `INSERT INTO assessments (level, scope_id, point, value, set_by, set_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (level, scope_id, point) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at, reason = excluded.reason`,
			row.Level, row.ScopeID, row.Point, row.Value, row.SetBy, row.SetAt, row.Reason); err != nil {
			return err
		}
		var b any
		if before != nil {
			b = before
		}
		return s.auditKey(ctx, tx, actor, "set", "assessment", fmt.Sprintf("%s/%d/%s", u.Level, u.ScopeID, pt), b, row)
	})
}

func (s *Store) checkScope(ctx context.Context, level string, id int64) error {
	table := map[string]string{LevelModality: "modalities", LevelModel: "models", LevelAsset: "assets"}[level]
	var n int
	if err := s.queryRow(ctx, s.db, `SELECT count(*) FROM `+table+` WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return medsec.Errorf(medsec.ENOTFOUND, "No %s with id %d.", level, id)
	}
	return nil
}

func (s *Store) assessmentRows(ctx context.Context, q querier, level string, scopeID int64) ([]AssessmentRow, error) {
	where, args := "", []any{}
	if level != "" {
		where, args = " WHERE level = ?", append(args, level)
		if scopeID != 0 {
			where, args = where+" AND scope_id = ?", append(args, scopeID)
		}
	}
	rows, err := s.query(ctx, q, `SELECT level, scope_id, point, value, set_by, set_at, reason FROM assessments`+where+` ORDER BY level, scope_id, point`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AssessmentRow
	for rows.Next() {
		var r AssessmentRow
		if err := rows.Scan(&r.Level, &r.ScopeID, &r.Point, &r.Value, &r.SetBy, &r.SetAt, &r.Reason); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Assessments lists the stored values of one level (all levels when level
// is ""), of one scope when scopeID is not 0.
func (s *Store) Assessments(ctx context.Context, level string, scopeID int64) ([]AssessmentRow, error) {
	if level != "" {
		if err := checkLevel(level); err != nil {
			return nil, err
		}
	}
	return s.assessmentRows(ctx, s.db, level, scopeID)
}

// ModelSupportRow is a make/model's manufacturer support status.
type ModelSupportRow struct {
	ModelID int64  `json:"model_id"`
	Status  string `json:"status"`
	SetBy   string `json:"set_by"`
	SetAt   string `json:"set_at"`
	Reason  string `json:"reason"`
}

// SetModelSupport records the manufacturer's support for a model:
// supported, end-of-support or legacy ("unknown" clears it).
func (s *Store) SetModelSupport(ctx context.Context, actor medsec.Actor, modelID int64, status, reason string) error {
	st, err := assess.ParseSupportStatus(status)
	if err != nil {
		return medsec.Errorf(medsec.EINVALID, "Unknown support status %q; valid values: supported, end-of-support, legacy (or unknown to clear it).", status)
	}
	if strings.TrimSpace(reason) == "" {
		return medsec.Errorf(medsec.EINVALID, "Give a reason for the support status.")
	}
	if err := s.checkScope(ctx, LevelModel, modelID); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var before any
		var old ModelSupportRow
		err := s.queryRow(ctx, tx, `SELECT model_id, status, set_by, set_at, reason FROM model_support WHERE model_id = ?`, modelID).Scan(&old.ModelID, &old.Status, &old.SetBy, &old.SetAt, &old.Reason)
		switch {
		case err == nil:
			before = old
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if st == assess.SupportUnknown {
			if _, err := s.exec(ctx, tx, `DELETE FROM model_support WHERE model_id = ?`, modelID); err != nil {
				return err
			}
			return s.audit(ctx, tx, actor, "clear", "model_support", modelID, before, map[string]string{"reason": reason})
		}
		row := ModelSupportRow{ModelID: modelID, Status: strings.ReplaceAll(st.String(), " ", "-"), SetBy: actor.Name, SetAt: s.now(), Reason: strings.TrimSpace(reason)}
		if _, err := s.exec(ctx, tx, `INSERT INTO model_support (model_id, status, set_by, set_at, reason) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (model_id) DO UPDATE SET status = excluded.status, set_by = excluded.set_by, set_at = excluded.set_at, reason = excluded.reason`,
			row.ModelID, row.Status, row.SetBy, row.SetAt, row.Reason); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "set", "model_support", modelID, before, row)
	})
}

// ModelSupport returns every model's support row by model id. A status set
// for the model wins; a model without one whose end-of-support date (kept
// with the service schedules) has passed counts as end-of-support, with
// that date as its reason, so the risk score, the lists and the review pack
// agree with the service pages.
func (s *Store) ModelSupport(ctx context.Context) (map[int64]ModelSupportRow, error) {
	rows, err := s.query(ctx, s.db, `SELECT model_id, status, set_by, set_at, reason FROM model_support`)
	if err != nil {
		return nil, err
	}
	out := map[int64]ModelSupportRow{}
	for rows.Next() {
		var r ModelSupportRow
		if err := rows.Scan(&r.ModelID, &r.Status, &r.SetBy, &r.SetAt, &r.Reason); err != nil {
			rows.Close()
			return nil, err
		}
		out[r.ModelID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil || !s.HasTable(ctx, "model_end_of_support") {
		return out, err
	}
	today := s.Now().UTC().Format("2006-01-02")
	rows, err = s.query(ctx, s.db, `SELECT model_id, end_of_support, set_by, set_at FROM model_end_of_support WHERE end_of_support <= ?`, today)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r ModelSupportRow
		var eos string
		if err := rows.Scan(&r.ModelID, &eos, &r.SetBy, &r.SetAt); err != nil {
			return nil, err
		}
		if _, set := out[r.ModelID]; set {
			continue
		}
		r.Status, r.Reason = "end-of-support", "end of support on "+eos+" (service schedules)"
		out[r.ModelID] = r
	}
	return out, rows.Err()
}

// ControlsRow is the compensating controls recorded for one asset.
type ControlsRow struct {
	AssetID          int64  `json:"asset_id"`
	Segmentation     bool   `json:"segmentation"`
	NAC              bool   `json:"nac"`
	DisabledServices bool   `json:"disabled_services"`
	SetBy            string `json:"set_by"`
	SetAt            string `json:"set_at"`
	Reason           string `json:"reason"`
}

// SetAssetControls records the compensating controls in place for an asset.
func (s *Store) SetAssetControls(ctx context.Context, actor medsec.Actor, c ControlsRow) error {
	c.Reason = strings.TrimSpace(c.Reason)
	if c.Reason == "" {
		return medsec.Errorf(medsec.EINVALID, "Give a reason for the controls.")
	}
	if err := s.checkScope(ctx, LevelAsset, c.AssetID); err != nil {
		return err
	}
	c.SetBy, c.SetAt = actor.Name, s.now()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		before, err := s.controlsRow(ctx, tx, c.AssetID)
		if err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO asset_controls (asset_id, segmentation, nac, disabled_services, set_by, set_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (asset_id) DO UPDATE SET segmentation = excluded.segmentation, nac = excluded.nac, disabled_services = excluded.disabled_services,
			set_by = excluded.set_by, set_at = excluded.set_at, reason = excluded.reason`,
			c.AssetID, b2i(c.Segmentation), b2i(c.NAC), b2i(c.DisabledServices), c.SetBy, c.SetAt, c.Reason); err != nil {
			return err
		}
		var b any
		if before != nil {
			b = before
		}
		return s.audit(ctx, tx, actor, "set", "asset_controls", c.AssetID, b, c)
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Store) controlsRow(ctx context.Context, q querier, id int64) (*ControlsRow, error) {
	var c ControlsRow
	var seg, nac, dis int
	err := s.queryRow(ctx, q, `SELECT asset_id, segmentation, nac, disabled_services, set_by, set_at, reason FROM asset_controls WHERE asset_id = ?`, id).
		Scan(&c.AssetID, &seg, &nac, &dis, &c.SetBy, &c.SetAt, &c.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	c.Segmentation, c.NAC, c.DisabledServices = seg != 0, nac != 0, dis != 0
	return &c, err
}

// AssetControls returns the controls of one asset (nil if none recorded).
func (s *Store) AssetControls(ctx context.Context, id int64) (*ControlsRow, error) {
	return s.controlsRow(ctx, s.db, id)
}

// AllControls returns every asset's recorded controls.
func (s *Store) AllControls(ctx context.Context) (map[int64]ControlsRow, error) {
	rows, err := s.query(ctx, s.db, `SELECT asset_id, segmentation, nac, disabled_services, set_by, set_at, reason FROM asset_controls`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]ControlsRow{}
	for rows.Next() {
		var c ControlsRow
		var seg, nac, dis int
		if err := rows.Scan(&c.AssetID, &seg, &nac, &dis, &c.SetBy, &c.SetAt, &c.Reason); err != nil {
			return nil, err
		}
		c.Segmentation, c.NAC, c.DisabledServices = seg != 0, nac != 0, dis != 0
		out[c.AssetID] = c
	}
	return out, rows.Err()
}

// ModelRow is a stored scoring model version.
type ModelRow struct {
	ID        int64               `json:"id"`
	Version   string              `json:"version"`
	Model     assess.ScoringModel `json:"model"`
	Active    bool                `json:"active"`
	CreatedBy string              `json:"created_by"`
	CreatedAt string              `json:"created_at"`
	Reason    string              `json:"reason"`
}

// ScoringModels lists the stored model versions, newest first.
func (s *Store) ScoringModels(ctx context.Context) ([]ModelRow, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, version, model, active, created_by, created_at, reason FROM scoring_models ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ModelRow
	for rows.Next() {
		var m ModelRow
		var raw string
		var active int
		if err := rows.Scan(&m.ID, &m.Version, &raw, &active, &m.CreatedBy, &m.CreatedAt, &m.Reason); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(raw), &m.Model); err != nil {
			return nil, fmt.Errorf("scoring model %s: %w", m.Version, err)
		}
		m.Active = active != 0
		out = append(out, m)
	}
	return out, rows.Err()
}

// ActiveModel returns the active scoring model; the default model when none
// has been stored.
func (s *Store) ActiveModel(ctx context.Context) (assess.ScoringModel, error) {
	var raw string
	err := s.queryRow(ctx, s.db, `SELECT model FROM scoring_models WHERE active = 1 ORDER BY id DESC LIMIT 1`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return assess.DefaultModel(), nil
	}
	if err != nil {
		return assess.ScoringModel{}, err
	}
	var m assess.ScoringModel
	return m, json.Unmarshal([]byte(raw), &m)
}

// SaveScoringModel stores a new model version and makes it the active one.
// Versions are never overwritten: a change is a new version, so scores
// keep naming the model that produced them.
func (s *Store) SaveScoringModel(ctx context.Context, actor medsec.Actor, m assess.ScoringModel, reason string) error {
	m.Version = strings.TrimSpace(m.Version)
	if err := m.Validate(); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return medsec.Errorf(medsec.EINVALID, "Give a reason for the new scoring model version: the history shows why each version was made.")
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := s.queryRow(ctx, tx, `SELECT count(*) FROM scoring_models WHERE version = ?`, m.Version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return medsec.Errorf(medsec.ECONFLICT, "Scoring model version %q exists; a changed model needs a new version.", m.Version)
		}
		if _, err := s.exec(ctx, tx, `UPDATE scoring_models SET active = 0 WHERE active = 1`); err != nil {
			return err
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO scoring_models (version, model, active, created_by, created_at, reason) VALUES (?, ?, 1, ?, ?, ?)`,
			m.Version, string(raw), actor.Name, s.now(), reason)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "create", "scoring_model", id, nil, map[string]any{"model": m, "reason": reason})
	})
}
