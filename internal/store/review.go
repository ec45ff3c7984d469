package store

import (
	"context"
)

// The review pack's figures that come straight from medsec's own tables.
// Figures from other parts (scores, legacy support) are read only when
// their tables exist; callers check with HasTable.

// InventoryChange sums import batches of one source system in a period.
type InventoryChange struct {
	System  string `json:"system"`
	Batches int    `json:"batches"`
	New     int    `json:"new"`
	Changed int    `json:"changed"`
	Gone    int    `json:"gone"`
}

// InventoryChanges sums the import batches started in [from, to) (stored
// timestamps, compared as text), per source system.
func (s *Store) InventoryChanges(ctx context.Context, from, to string) ([]InventoryChange, error) {
	rows, err := s.query(ctx, s.db, `SELECT system, count(*), COALESCE(sum(rows_new), 0), COALESCE(sum(rows_changed), 0), COALESCE(sum(rows_gone), 0)
		FROM import_batches WHERE started_at >= ? AND started_at < ? AND finished_at <> '' GROUP BY system ORDER BY system`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []InventoryChange
	for rows.Next() {
		var c InventoryChange
		if err := rows.Scan(&c.System, &c.Batches, &c.New, &c.Changed, &c.Gone); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindingAge is what the review pack needs of one finding.
type FindingAge struct {
	ID            int64  `json:"id"`
	Status        string `json:"status"`
	Decision      string `json:"ssvc_decision"`
	FirstSeen     string `json:"first_seen"`
	StatusAt      string `json:"status_at"`
	AcceptedUntil string `json:"accepted_until,omitempty"`
	Asset         string `json:"asset_tag,omitempty"`
	CVE           string `json:"cve,omitempty"`
}

// OpenFindingAges lists the findings that still ask for work (not
// remediated, mitigated, risk-accepted, false positive or gone) with their
// SSVC decision when the column exists.
func (s *Store) OpenFindingAges(ctx context.Context) ([]FindingAge, error) {
	dec := "''"
	if s.HasColumn(ctx, "findings", "ssvc_decision") {
		dec = "ssvc_decision"
	}
	return s.findingAges(ctx, `SELECT f.id, f.status, `+dec+`, f.first_seen, f.status_at, f.accepted_until, '', f.cve FROM findings f
		WHERE f.status NOT IN ('remediated', 'mitigated', 'risk_accepted', 'false_positive') AND f.gone_at = '' ORDER BY f.id`)
}

// RemediatedFindings lists findings moved to remediated in [from, to).
func (s *Store) RemediatedFindings(ctx context.Context, from, to string) ([]FindingAge, error) {
	return s.findingAges(ctx, `SELECT f.id, f.status, '', f.first_seen, f.status_at, f.accepted_until, '', f.cve FROM findings f
		WHERE f.status = 'remediated' AND f.status_at >= ? AND f.status_at < ? ORDER BY f.status_at, f.id`, from, to)
}

// ExpiringAcceptances lists risk-accepted findings whose acceptance ends
// from one date to another (YYYY-MM-DD, inclusive).
func (s *Store) ExpiringAcceptances(ctx context.Context, from, to string) ([]FindingAge, error) {
	return s.findingAges(ctx, `SELECT f.id, f.status, '', f.first_seen, f.status_at, f.accepted_until, a.asset_tag, f.cve FROM findings f JOIN assets a ON a.id = f.asset_id
		WHERE f.status = 'risk_accepted' AND f.accepted_until <> '' AND substr(f.accepted_until, 1, 10) >= ? AND substr(f.accepted_until, 1, 10) <= ? ORDER BY f.accepted_until, f.id`, from, to)
}

func (s *Store) findingAges(ctx context.Context, q string, args ...any) ([]FindingAge, error) {
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FindingAge
	for rows.Next() {
		var f FindingAge
		if err := rows.Scan(&f.ID, &f.Status, &f.Decision, &f.FirstSeen, &f.StatusAt, &f.AcceptedUntil, &f.Asset, &f.CVE); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// LabelCount is a count per label.
type LabelCount struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// RiskTierCounts counts scored assets per risk tier (1 low … 4 critical);
// nil when scoring has not landed.
func (s *Store) RiskTierCounts(ctx context.Context) ([]LabelCount, error) {
	if !s.HasTable(ctx, "asset_scores") {
		return nil, nil
	}
	return s.labelCounts(ctx, `SELECT CAST(risk_tier AS TEXT), count(*) FROM asset_scores GROUP BY risk_tier ORDER BY risk_tier`)
}

// LegacyCounts counts medical devices per manufacturer support status of
// their model (end of support, legacy, ...); nil when that data is not
// there yet.
func (s *Store) LegacyCounts(ctx context.Context) ([]LabelCount, error) {
	if !s.HasTable(ctx, "model_support") {
		return nil, nil
	}
	return s.labelCounts(ctx, `SELECT ms.status, count(*) FROM assets a JOIN model_support ms ON ms.model_id = a.model_id
		WHERE a.kind = 'medical' AND lower(a.status) NOT IN ('retired', 'disposed') GROUP BY ms.status ORDER BY ms.status`)
}

// MedicalAssetCount counts medical CMMS devices in service.
func (s *Store) MedicalAssetCount(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, s.db, `SELECT count(*) FROM assets a WHERE a.origin = 'cmms' AND a.kind = 'medical' AND lower(a.status) NOT IN ('retired', 'disposed')`).Scan(&n)
	return n, err
}

func (s *Store) labelCounts(ctx context.Context, q string, args ...any) ([]LabelCount, error) {
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LabelCount
	for rows.Next() {
		var c LabelCount
		if err := rows.Scan(&c.Label, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// NewFindingGroups counts findings first seen at or after since, per
// advisory, with how many of them fall in the provider party's scope
// (scopeParty 0: no provider).
type NewFindingGroup struct {
	Advisory string `json:"advisory_id"`
	Findings int    `json:"findings"`
	InScope  int    `json:"in_scope"`
}

// NewFindingGroups groups the findings first seen at or after since by
// advisory.
func (s *Store) NewFindingGroups(ctx context.Context, since string, scopeParty int64) ([]NewFindingGroup, error) {
	rows, err := s.query(ctx, s.db, `SELECT f.advisory_id, count(*),
		COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM party_scope ps WHERE ps.party_id = ?
			AND (ps.facility_id IS NULL OR ps.facility_id = a.facility_id) AND (ps.modality_id IS NULL OR ps.modality_id = a.modality_id)) THEN 1 ELSE 0 END), 0)
		FROM findings f JOIN assets a ON a.id = f.asset_id
		WHERE f.first_seen >= ? AND f.gone_at = '' GROUP BY f.advisory_id ORDER BY f.advisory_id`, scopeParty, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NewFindingGroup
	for rows.Next() {
		var g NewFindingGroup
		if err := rows.Scan(&g.Advisory, &g.Findings, &g.InScope); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// PMCompletion counts preventive-maintenance work orders opened in
// [from, to) and how many of them are completed; ok is false when work
// orders are not in this database.
func (s *Store) PMCompletion(ctx context.Context, from, to string) (total, completed int, ok bool, err error) {
	if !s.HasTable(ctx, "work_orders") {
		return 0, 0, false, nil
	}
	err = s.queryRow(ctx, s.db, `SELECT count(*), COALESCE(sum(CASE WHEN completed <> '' THEN 1 ELSE 0 END), 0) FROM work_orders
		WHERE opened >= ? AND opened < ? AND (lower(wo_type) LIKE '%pm%' OR lower(wo_type) LIKE '%prevent%')`, from, to).Scan(&total, &completed)
	return total, completed, true, err
}

// ExpiringException is a risk exception ending soon.
type ExpiringException struct {
	ID       int64  `json:"id"`
	Decision string `json:"decision"`
	Asset    string `json:"asset_tag"`
	Expiry   string `json:"expiry"`
}

// ExpiringExceptions lists approved, unrevoked risk exceptions whose
// expiry falls from one date to another (YYYY-MM-DD, inclusive); ok is
// false when exceptions are not in this database.
func (s *Store) ExpiringExceptions(ctx context.Context, from, to string) (out []ExpiringException, ok bool, err error) {
	if !s.HasTable(ctx, "risk_exceptions") {
		return nil, false, nil
	}
	rows, err := s.query(ctx, s.db, `SELECT e.id, e.decision, COALESCE(a.asset_tag, ''), e.expiry FROM risk_exceptions e LEFT JOIN assets a ON a.id = e.asset_id
		WHERE e.revoked_at = '' AND substr(e.expiry, 1, 10) >= ? AND substr(e.expiry, 1, 10) <= ? ORDER BY e.expiry, e.id`, from, to)
	if err != nil {
		return nil, true, err
	}
	defer rows.Close()
	for rows.Next() {
		var x ExpiringException
		if err := rows.Scan(&x.ID, &x.Decision, &x.Asset, &x.Expiry); err != nil {
			return nil, true, err
		}
		out = append(out, x)
	}
	return out, true, rows.Err()
}
