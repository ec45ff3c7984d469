package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
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

// RiskTierCounts counts scored assets per risk tier (0 low … 3 critical, as assess.Tier);
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
	sup, err := s.ModelSupport(ctx)
	if err != nil {
		return nil, err
	}
	perModel := map[int64]int{}
	rows, err := s.query(ctx, s.db, `SELECT COALESCE(a.model_id, 0), count(*) FROM assets a
		WHERE a.kind = 'medical' AND lower(a.status) NOT IN ('retired', 'disposed') GROUP BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m int64
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			return nil, err
		}
		perModel[m] = n
	}
	byStatus := map[string]int{}
	for m, r := range sup {
		if perModel[m] > 0 {
			byStatus[r.Status] += perModel[m]
		}
	}
	var out []LabelCount
	for st, n := range byStatus {
		out = append(out, LabelCount{Label: st, Count: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out, rows.Err()
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

// NewFindingGroup counts the findings of one advisory that were first
// seen at or after a time and not yet routed, with how many of them fall
// in the provider party's scope and how many are in KEV. MinID and MaxID
// bound the group: MarkNewFindingsRouted marks exactly it.
type NewFindingGroup struct {
	Advisory string `json:"advisory_id"`
	Findings int    `json:"findings"`
	InScope  int    `json:"in_scope"`
	KEV      int    `json:"kev"`
	// Immediate and OutOfCycle count the SSVC decisions already made.
	Immediate  int   `json:"immediate"`
	OutOfCycle int   `json:"out_of_cycle"`
	MinID      int64 `json:"min_id"`
	MaxID      int64 `json:"max_id"`
}

// inScope is a condition true when asset a is in a provider party's scope
// (two arguments: the party id twice): a facility/modality rule covers it
// or the agreement names it.
const inScope = `(EXISTS (SELECT 1 FROM party_scope ps WHERE ps.party_id = ?
			AND (ps.facility_id IS NULL OR ps.facility_id = a.facility_id) AND (ps.modality_id IS NULL OR ps.modality_id = a.modality_id))
		OR EXISTS (SELECT 1 FROM party_scope_assets psa WHERE psa.party_id = ? AND psa.asset_id = a.id))`

// newFindingsWhere selects findings first seen at or after a time, not
// gone and not yet routed as new.
const newFindingsWhere = ` f.first_seen >= ? AND f.gone_at = ''
	AND NOT EXISTS (SELECT 1 FROM finding_routes fr WHERE fr.finding_id = f.id AND fr.reason = 'new')`

// NewFindingGroups groups the findings first seen at or after since (a
// stored timestamp) that were not routed yet, by advisory.
func (s *Store) NewFindingGroups(ctx context.Context, since string, scopeParty int64) ([]NewFindingGroup, error) {
	rows, err := s.query(ctx, s.db, `SELECT f.advisory_id, count(*),
		COALESCE(sum(CASE WHEN `+inScope+` THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM kev k WHERE k.cve = f.cve) THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN f.ssvc_decision = 'Immediate' THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN f.ssvc_decision = 'Out-of-Cycle' THEN 1 ELSE 0 END), 0), min(f.id), max(f.id)
		FROM findings f JOIN assets a ON a.id = f.asset_id
		WHERE`+newFindingsWhere+` GROUP BY f.advisory_id ORDER BY f.advisory_id`, scopeParty, scopeParty, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NewFindingGroup
	for rows.Next() {
		var g NewFindingGroup
		if err := rows.Scan(&g.Advisory, &g.Findings, &g.InScope, &g.KEV, &g.Immediate, &g.OutOfCycle, &g.MinID, &g.MaxID); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// MarkNewFindingsRouted records the findings of a group as routed: as new,
// and for the escalation reasons they already have (in KEV, an Immediate
// or Out-of-Cycle decision), so that the new-finding notice is not
// followed by an escalation of the same thing.
func (s *Store) MarkNewFindingsRouted(ctx context.Context, since string, g NewFindingGroup) error {
	now := s.now()
	sel := `SELECT f.id, %s, ? FROM findings f WHERE f.advisory_id = ? AND f.id >= ? AND f.id <= ? AND` + newFindingsWhere
	return s.withTx(ctx, func(tx *sql.Tx) error {
		for _, x := range []struct{ reason, cond string }{
			{"kev", " AND EXISTS (SELECT 1 FROM kev k WHERE k.cve = f.cve)"},
			{"immediate", " AND f.ssvc_decision = 'Immediate'"},
			{"out_of_cycle", " AND f.ssvc_decision = 'Out-of-Cycle'"},
			{"new", ""}, // last: the others select on "not yet routed as new"
		} {
			if _, err := s.exec(ctx, tx, `INSERT INTO finding_routes (finding_id, reason, routed_at) `+
				fmt.Sprintf(sel, "'"+x.reason+"'")+x.cond+` ON CONFLICT (finding_id, reason) DO NOTHING`,
				now, g.Advisory, g.MinID, g.MaxID, since); err != nil {
				return err
			}
		}
		return nil
	})
}

// Escalation is an open finding that newly calls for faster work: its CVE
// entered KEV, or its SSVC decision became Immediate or Out-of-Cycle, and
// it has not been routed for that reason before. Reasons holds "kev",
// "immediate" and/or "out_of_cycle" (an Out-of-Cycle decision after an
// Immediate one is no escalation).
type Escalation struct {
	FindingID int64    `json:"finding_id"`
	Advisory  string   `json:"advisory_id"`
	CVE       string   `json:"cve"`
	Asset     string   `json:"asset_tag"`
	Decision  string   `json:"ssvc_decision"`
	InScope   bool     `json:"in_scope"`
	Reasons   []string `json:"reasons"`
}

// Escalations lists the open findings with an escalation not yet routed,
// by advisory then finding id.
func (s *Store) Escalations(ctx context.Context, scopeParty int64) ([]Escalation, error) {
	routed := func(reason string) string {
		return `EXISTS (SELECT 1 FROM finding_routes fr WHERE fr.finding_id = f.id AND fr.reason = '` + reason + `')`
	}
	kev := `EXISTS (SELECT 1 FROM kev k WHERE k.cve = f.cve)`
	rows, err := s.query(ctx, s.db, `SELECT f.id, f.advisory_id, f.cve, a.asset_tag, f.ssvc_decision, CASE WHEN `+inScope+` THEN 1 ELSE 0 END,
		CASE WHEN `+kev+` AND NOT `+routed("kev")+` THEN 1 ELSE 0 END,
		CASE WHEN f.ssvc_decision = 'Immediate' AND NOT `+routed("immediate")+` THEN 1 ELSE 0 END,
		CASE WHEN f.ssvc_decision = 'Out-of-Cycle' AND NOT `+routed("out_of_cycle")+` AND NOT `+routed("immediate")+` THEN 1 ELSE 0 END
		FROM findings f JOIN assets a ON a.id = f.asset_id
		WHERE f.gone_at = '' AND f.status NOT IN ('remediated', 'mitigated', 'risk_accepted', 'false_positive')
		AND ((`+kev+` AND NOT `+routed("kev")+`)
			OR (f.ssvc_decision = 'Immediate' AND NOT `+routed("immediate")+`)
			OR (f.ssvc_decision = 'Out-of-Cycle' AND NOT `+routed("out_of_cycle")+` AND NOT `+routed("immediate")+`))
		ORDER BY f.advisory_id, f.id`, scopeParty, scopeParty)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Escalation
	for rows.Next() {
		var e Escalation
		var in, k, im, oc int
		if err := rows.Scan(&e.FindingID, &e.Advisory, &e.CVE, &e.Asset, &e.Decision, &in, &k, &im, &oc); err != nil {
			return nil, err
		}
		e.InScope = in == 1
		for _, x := range []struct {
			on     int
			reason string
		}{{k, "kev"}, {im, "immediate"}, {oc, "out_of_cycle"}} {
			if x.on == 1 {
				e.Reasons = append(e.Reasons, x.reason)
			}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// MarkEscalationsRouted records each escalation's reasons as routed.
func (s *Store) MarkEscalationsRouted(ctx context.Context, es []Escalation) error {
	now := s.now()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		for _, e := range es {
			for _, r := range e.Reasons {
				if _, err := s.exec(ctx, tx, `INSERT INTO finding_routes (finding_id, reason, routed_at) VALUES (?, ?, ?) ON CONFLICT (finding_id, reason) DO NOTHING`,
					e.FindingID, r, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// RoutableWorkOrder is an open work order that reached medsec recently,
// with whether its asset is in the provider party's scope.
type RoutableWorkOrder struct {
	ID       int64  `json:"id"`
	Key      string `json:"wo_key"`
	AssetID  int64  `json:"asset_id"`
	Asset    string `json:"asset_tag"`
	Type     string `json:"wo_type"`
	Priority string `json:"priority"`
	Opened   string `json:"opened"`
	Facility string `json:"facility"`
	Modality string `json:"modality"`
	InScope  bool   `json:"in_scope"`
}

// OpenWorkOrdersSince lists the work orders not completed and stored or
// updated at or after since (a stored timestamp), oldest first.
func (s *Store) OpenWorkOrdersSince(ctx context.Context, since string, scopeParty int64) ([]RoutableWorkOrder, error) {
	rows, err := s.query(ctx, s.db, `SELECT w.id, w.wo_key, w.asset_id, w.asset_key, w.wo_type, w.priority, w.opened, COALESCE(f.name, ''), COALESCE(mo.name, ''),
		CASE WHEN `+inScope+` THEN 1 ELSE 0 END
		FROM work_orders w JOIN assets a ON a.id = w.asset_id
		LEFT JOIN modalities mo ON mo.id = a.modality_id LEFT JOIN facilities f ON f.id = a.facility_id
		WHERE w.completed = '' AND w.updated_at >= ? ORDER BY w.opened, w.id`, scopeParty, scopeParty, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RoutableWorkOrder
	for rows.Next() {
		var w RoutableWorkOrder
		var in int
		if err := rows.Scan(&w.ID, &w.Key, &w.AssetID, &w.Asset, &w.Type, &w.Priority, &w.Opened, &w.Facility, &w.Modality, &in); err != nil {
			return nil, err
		}
		w.InScope = in == 1
		out = append(out, w)
	}
	return out, rows.Err()
}

// AssetInScope reports whether an asset is in a provider party's scope.
func (s *Store) AssetInScope(ctx context.Context, assetID, scopeParty int64) (bool, error) {
	if scopeParty == 0 {
		return false, nil
	}
	var n int
	err := s.queryRow(ctx, s.db, `SELECT count(*) FROM assets a WHERE a.id = ? AND `+inScope, assetID, scopeParty, scopeParty).Scan(&n)
	return n > 0, err
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
