package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/assess"
)

// ScoringAsset is what rescoring reads of one medical asset.
type ScoringAsset struct {
	ID, ModelID, ModalityID, FacilityID, LocationID int64
	Tag, IP, AcquiredOn                             string
}

// EachScoringAsset streams every medical asset in id order.
func (s *Store) EachScoringAsset(ctx context.Context, fn func(*ScoringAsset) error) error {
	rows, err := s.query(ctx, s.db, `SELECT id, asset_tag, COALESCE(model_id, 0), COALESCE(modality_id, 0), COALESCE(facility_id, 0), COALESCE(location_id, 0), ip, acquired_on
		FROM assets WHERE kind = 'medical' ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var a ScoringAsset
	for rows.Next() {
		if err := rows.Scan(&a.ID, &a.Tag, &a.ModelID, &a.ModalityID, &a.FacilityID, &a.LocationID, &a.IP, &a.AcquiredOn); err != nil {
			return err
		}
		if err := fn(&a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ScoringAssetByID reads one asset as rescoring sees it.
func (s *Store) ScoringAssetByID(ctx context.Context, id int64) (*ScoringAsset, error) {
	var a ScoringAsset
	err := s.queryRow(ctx, s.db, `SELECT id, asset_tag, COALESCE(model_id, 0), COALESCE(modality_id, 0), COALESCE(facility_id, 0), COALESCE(location_id, 0), ip, acquired_on
		FROM assets WHERE id = ?`, id).Scan(&a.ID, &a.Tag, &a.ModelID, &a.ModalityID, &a.FacilityID, &a.LocationID, &a.IP, &a.AcquiredOn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, medsec.Errorf(medsec.ENOTFOUND, "Asset %d not found.", id)
	}
	return &a, err
}

// LocationCareAreas maps location ids to their care area.
func (s *Store) LocationCareAreas(ctx context.Context) (map[int64]string, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, care_area FROM locations WHERE care_area <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, rows.Err()
}

// ModelName is a model's maker and name.
type ModelName struct {
	ID                 int64  `json:"id"`
	Manufacturer, Name string `json:"-"`
	ModalityID         int64  `json:"modality_id"`
}

// ModelNames lists every model with its manufacturer.
func (s *Store) ModelNames(ctx context.Context) ([]ModelName, error) {
	rows, err := s.query(ctx, s.db, `SELECT md.id, mf.name, md.name, COALESCE(md.modality_id, 0) FROM models md JOIN manufacturers mf ON mf.id = md.manufacturer_id ORDER BY mf.name, md.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ModelName
	for rows.Next() {
		var m ModelName
		if err := rows.Scan(&m.ID, &m.Manufacturer, &m.Name, &m.ModalityID); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// NonMedicalIPs maps the addresses of non-medical assets (workstations,
// printers, network gear: outside the clinical zone) to their kind.
func (s *Store) NonMedicalIPs(ctx context.Context) (map[string]bool, error) {
	rows, err := s.query(ctx, s.db, `SELECT ip FROM assets WHERE ip <> '' AND kind <> 'medical'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var ip string
		if err := rows.Scan(&ip); err != nil {
			return nil, err
		}
		out[ip] = true
	}
	return out, rows.Err()
}

// EachFlow streams the stored aggregated flows.
func (s *Store) EachFlow(ctx context.Context, fn func(f *Flow) error) error {
	rows, err := s.query(ctx, s.db, `SELECT src, dst, dst_port, proto, conns FROM flows`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var f Flow
	for rows.Next() {
		if err := rows.Scan(&f.Src, &f.Dst, &f.DstPort, &f.Proto, &f.Conns); err != nil {
			return err
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
	return rows.Err()
}

// OpenFinding is what rescoring reads of one open finding.
type OpenFinding struct {
	ID, AssetID             int64
	CVE, AdvisoryID, Status string
	KEV                     bool
	EPSS                    float64
	SSVC                    string
}

// EachOpenFinding streams the findings that count toward likelihood (open,
// not gone), with KEV and EPSS, ordered by asset.
func (s *Store) EachOpenFinding(ctx context.Context, fn func(*OpenFinding) error) error {
	rows, err := s.query(ctx, s.db, `SELECT x.id, x.asset_id, x.cve, x.advisory_id, x.status, CASE WHEN k.cve IS NULL THEN 0 ELSE 1 END, COALESCE(e.score, 0), x.ssvc_decision
		FROM findings x LEFT JOIN kev k ON k.cve = x.cve LEFT JOIN epss e ON e.cve = x.cve
		WHERE x.gone_at = '' AND x.status IN ('', 'open', 'new', 'reopened', 'in_progress', 'under_investigation') ORDER BY x.asset_id, x.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var f OpenFinding
	for rows.Next() {
		var kev int
		if err := rows.Scan(&f.ID, &f.AssetID, &f.CVE, &f.AdvisoryID, &f.Status, &kev, &f.EPSS, &f.SSVC); err != nil {
			return err
		}
		f.KEV = kev != 0
		if err := fn(&f); err != nil {
			return err
		}
	}
	return rows.Err()
}

// NVDVectors maps CVEs to the CVSS vector NVD gives them.
func (s *Store) NVDVectors(ctx context.Context) (map[string]string, error) {
	rows, err := s.query(ctx, s.db, `SELECT cve, cvss_vector FROM nvd_cves WHERE cvss_vector <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, v string
		if err := rows.Scan(&c, &v); err != nil {
			return nil, err
		}
		out[c] = v
	}
	return out, rows.Err()
}

// AssetScore is an asset's stored scores and the facts the lists and heat
// maps use.
type AssetScore struct {
	AssetID         int64   `json:"asset_id"`
	ModelVersion    string  `json:"model_version"`
	InputsHash      string  `json:"-"`
	Clinical        float64 `json:"clinical"`
	ClinicalTier    int     `json:"clinical_tier"`
	Risk            float64 `json:"risk"`
	RiskTier        int     `json:"risk_tier"`
	Likelihood      float64 `json:"likelihood"`
	LikelihoodBand  int     `json:"likelihood_band"`
	Acuity          int     `json:"acuity"`
	CareDelivery    int     `json:"care_delivery"`
	Support         int     `json:"support"`
	ObservedLateral int     `json:"observed_lateral"`
	LateralDisagree bool    `json:"lateral_disagree"`
	InternetPeers   int     `json:"internet_peers"`
	OpenFindings    int     `json:"open_findings"`
	KEVFindings     int     `json:"kev_findings"`
	NoFixFindings   int     `json:"nofix_findings"`
	RunID           int64   `json:"run_id"`
	ScoredAt        string  `json:"scored_at"`
}

// ScoreHashes returns every scored asset's inputs hash.
func (s *Store) ScoreHashes(ctx context.Context) (map[int64]string, error) {
	rows, err := s.query(ctx, s.db, `SELECT asset_id, inputs_hash FROM asset_scores`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var h string
		if err := rows.Scan(&id, &h); err != nil {
			return nil, err
		}
		out[id] = h
	}
	return out, rows.Err()
}

const scoreCols = `asset_id, model_version, inputs_hash, clinical, clinical_tier, risk, risk_tier, likelihood, likelihood_band, acuity, care_delivery, support,
	observed_lateral, lateral_disagree, internet_peers, open_findings, kev_findings, nofix_findings, run_id, scored_at`

func scanScore(sc interface{ Scan(...any) error }) (AssetScore, error) {
	var r AssetScore
	var dis int
	err := sc.Scan(&r.AssetID, &r.ModelVersion, &r.InputsHash, &r.Clinical, &r.ClinicalTier, &r.Risk, &r.RiskTier, &r.Likelihood, &r.LikelihoodBand,
		&r.Acuity, &r.CareDelivery, &r.Support, &r.ObservedLateral, &dis, &r.InternetPeers, &r.OpenFindings, &r.KEVFindings, &r.NoFixFindings, &r.RunID, &r.ScoredAt)
	r.LateralDisagree = dis != 0
	return r, err
}

// AssetScoreOf returns an asset's stored scores (ENOTFOUND when not scored).
func (s *Store) AssetScoreOf(ctx context.Context, id int64) (AssetScore, error) {
	r, err := scanScore(s.queryRow(ctx, s.db, `SELECT `+scoreCols+` FROM asset_scores WHERE asset_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, medsec.Errorf(medsec.ENOTFOUND, "Asset %d has not been scored yet; run medsec score.", id)
	}
	return r, err
}

// ScoreRun is one rescoring run.
type ScoreRun struct {
	ID           int64  `json:"id"`
	ModelVersion string `json:"model_version"`
	Full         bool   `json:"full"`
	Actor        string `json:"actor"`
	StartedAt    string `json:"started_at"`
	FinishedAt   string `json:"finished_at"`
	Assets       int    `json:"assets"`
	Changed      int    `json:"changed"`
	Tiers        [4]int `json:"risk_tiers"` // Low, Medium, High, Critical
}

// RiskAction is a stored risk-mitigation action of the last run.
type RiskAction struct {
	ID            string  `json:"id"`
	Kind          string  `json:"kind"`
	Title         string  `json:"title"`
	FacilityID    int64   `json:"facility_id"`
	ModalityID    int64   `json:"modality_id"`
	AssetsTouched int     `json:"assets_touched"`
	RiskRemoved   float64 `json:"risk_removed"`
	PerAsset      float64 `json:"per_asset"`
}

// SSVCUpdate is a finding's new SSVC decision.
type SSVCUpdate struct {
	FindingID   int64
	Decision    string
	Explanation string
}

// SaveScoreRun records a rescoring run in one transaction: the run with
// its tier counts, the scores of the assets whose inputs changed (and a
// risk-history row for each), the mitigation actions (replacing the last
// run's), the findings' SSVC decisions, and one audit record.
func (s *Store) SaveScoreRun(ctx context.Context, actor medsec.Actor, run *ScoreRun, scores []AssetScore, actions []RiskAction, ssvc []SSVCUpdate) error {
	return s.withBulkTx(ctx, func(tx *sql.Tx) error {
		run.Actor, run.FinishedAt = actor.Name, s.now()
		id, err := s.insertID(ctx, tx, `INSERT INTO score_runs (model_version, full_run, actor, started_at, finished_at, assets, changed, risk_low, risk_medium, risk_high, risk_critical)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, run.ModelVersion, b2i(run.Full), run.Actor, run.StartedAt, run.FinishedAt, run.Assets, run.Changed,
			run.Tiers[0], run.Tiers[1], run.Tiers[2], run.Tiers[3])
		if err != nil {
			return err
		}
		run.ID = id
		now := run.FinishedAt
		for len(scores) > 0 {
			n := min(len(scores), 40)
			args := make([]any, 0, n*20)
			hargs := make([]any, 0, n*7)
			for i := range scores[:n] {
				r := &scores[i]
				r.RunID, r.ScoredAt = id, now
				args = append(args, r.AssetID, r.ModelVersion, r.InputsHash, r.Clinical, r.ClinicalTier, r.Risk, r.RiskTier, r.Likelihood, r.LikelihoodBand,
					r.Acuity, r.CareDelivery, r.Support, r.ObservedLateral, b2i(r.LateralDisagree), r.InternetPeers, r.OpenFindings, r.KEVFindings, r.NoFixFindings, r.RunID, r.ScoredAt)
				hargs = append(hargs, id, r.AssetID, now, r.ModelVersion, r.Clinical, r.Risk, r.RiskTier)
			}
			q := `INSERT INTO asset_scores (` + scoreCols + `) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?),", n), ",") +
				` ON CONFLICT (asset_id) DO UPDATE SET model_version = excluded.model_version, inputs_hash = excluded.inputs_hash, clinical = excluded.clinical,
				clinical_tier = excluded.clinical_tier, risk = excluded.risk, risk_tier = excluded.risk_tier, likelihood = excluded.likelihood,
				likelihood_band = excluded.likelihood_band, acuity = excluded.acuity, care_delivery = excluded.care_delivery, support = excluded.support,
				observed_lateral = excluded.observed_lateral, lateral_disagree = excluded.lateral_disagree, internet_peers = excluded.internet_peers,
				open_findings = excluded.open_findings, kev_findings = excluded.kev_findings, nofix_findings = excluded.nofix_findings,
				run_id = excluded.run_id, scored_at = excluded.scored_at`
			if _, err := s.exec(ctx, tx, q, args...); err != nil {
				return err
			}
			hq := `INSERT INTO risk_history (run_id, asset_id, at, model_version, clinical, risk, risk_tier) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?),", n), ",")
			if _, err := s.exec(ctx, tx, hq, hargs...); err != nil {
				return err
			}
			scores = scores[n:]
		}
		if actions != nil {
			if _, err := s.exec(ctx, tx, `DELETE FROM risk_actions`); err != nil {
				return err
			}
			for _, a := range actions {
				if _, err := s.exec(ctx, tx, `INSERT INTO risk_actions (action_id, kind, title, facility_id, modality_id, assets_touched, risk_removed, per_asset, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					a.ID, a.Kind, a.Title, nullInt(a.FacilityID), nullInt(a.ModalityID), a.AssetsTouched, a.RiskRemoved, a.PerAsset, id); err != nil {
					return err
				}
			}
		}
		for _, u := range ssvc {
			if _, err := s.exec(ctx, tx, `UPDATE findings SET ssvc_decision = ?, ssvc_explanation = ? WHERE id = ?`, u.Decision, u.Explanation, u.FindingID); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "rescore", "score_run", id, nil, map[string]any{
			"model": run.ModelVersion, "full": run.Full, "assets": run.Assets, "changed": run.Changed, "ssvc_updated": len(ssvc),
			"risk_tiers": map[string]int{"low": run.Tiers[0], "medium": run.Tiers[1], "high": run.Tiers[2], "critical": run.Tiers[3]}})
	})
}

// ScoreRuns lists the latest rescoring runs, newest first.
func (s *Store) ScoreRuns(ctx context.Context, limit int) ([]ScoreRun, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, model_version, full_run, actor, started_at, finished_at, assets, changed, risk_low, risk_medium, risk_high, risk_critical
		FROM score_runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ScoreRun
	for rows.Next() {
		var r ScoreRun
		var full int
		if err := rows.Scan(&r.ID, &r.ModelVersion, &full, &r.Actor, &r.StartedAt, &r.FinishedAt, &r.Assets, &r.Changed, &r.Tiers[0], &r.Tiers[1], &r.Tiers[2], &r.Tiers[3]); err != nil {
			return nil, err
		}
		r.Full = full != 0
		out = append(out, r)
	}
	return out, rows.Err()
}

// RiskHistoryRow is one entry of an asset's risk history.
type RiskHistoryRow struct {
	RunID        int64   `json:"run_id"`
	AssetID      int64   `json:"asset_id"`
	At           string  `json:"at"`
	ModelVersion string  `json:"model_version"`
	Clinical     float64 `json:"clinical"`
	Risk         float64 `json:"risk"`
	Tier         string  `json:"tier"`
}

// RiskHistory returns an asset's risk history, oldest first.
func (s *Store) RiskHistory(ctx context.Context, assetID int64) ([]RiskHistoryRow, error) {
	rows, err := s.query(ctx, s.db, `SELECT run_id, asset_id, at, model_version, clinical, risk, risk_tier FROM risk_history WHERE asset_id = ? ORDER BY id`, assetID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RiskHistoryRow
	for rows.Next() {
		var r RiskHistoryRow
		var t int
		if err := rows.Scan(&r.RunID, &r.AssetID, &r.At, &r.ModelVersion, &r.Clinical, &r.Risk, &t); err != nil {
			return nil, err
		}
		r.Tier = assess.Tier(t).String()
		out = append(out, r)
	}
	return out, rows.Err()
}

// scopeCond limits a query over assets a to a provider's contract scope.
func scopeCond(scope int64) (string, []any) {
	if scope == 0 {
		return "", nil
	}
	return ` AND EXISTS (SELECT 1 FROM party_scope ps WHERE ps.party_id = ?
		AND (ps.facility_id IS NULL OR ps.facility_id = a.facility_id)
		AND (ps.modality_id IS NULL OR ps.modality_id = a.modality_id))`, []any{scope}
}

// HeatCell is one cell of a heat map: its row and column keys and labels,
// and how many assets fall in it.
type HeatCell struct {
	Row, Col int64
	Assets   int
	MeanRisk float64
}

// HeatImpactLikelihood counts scored assets by clinical-impact tier and
// likelihood band.
func (s *Store) HeatImpactLikelihood(ctx context.Context, scope int64) ([]HeatCell, error) {
	sc, args := scopeCond(scope)
	return s.heat(ctx, `SELECT sc.clinical_tier, sc.likelihood_band, count(*), avg(sc.risk) FROM asset_scores sc JOIN assets a ON a.id = sc.asset_id WHERE 1=1`+sc+` GROUP BY sc.clinical_tier, sc.likelihood_band`, args)
}

// HeatModalityAcuity counts scored assets by modality and acuity.
func (s *Store) HeatModalityAcuity(ctx context.Context, scope int64) ([]HeatCell, error) {
	sc, args := scopeCond(scope)
	return s.heat(ctx, `SELECT COALESCE(a.modality_id, 0), sc.acuity, count(*), avg(sc.risk) FROM asset_scores sc JOIN assets a ON a.id = sc.asset_id WHERE 1=1`+sc+` GROUP BY COALESCE(a.modality_id, 0), sc.acuity`, args)
}

func (s *Store) heat(ctx context.Context, q string, args []any) ([]HeatCell, error) {
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HeatCell
	for rows.Next() {
		var c HeatCell
		var mean sql.NullFloat64
		if err := rows.Scan(&c.Row, &c.Col, &c.Assets, &mean); err != nil {
			return nil, err
		}
		c.MeanRisk = mean.Float64
		out = append(out, c)
	}
	return out, rows.Err()
}

// SummaryFilter selects the scored assets an action list ranks.
type SummaryFilter struct {
	Scope      int64
	FacilityID int64
	// Capital keeps only replacement candidates' pre-filter: not supported
	// or with open findings that have no fix.
	Capital bool
}

// ScoreSummaries returns the scored assets as the action-list rankers see
// them; ages come from acquired_on relative to now.
func (s *Store) ScoreSummaries(ctx context.Context, f SummaryFilter) ([]assess.AssetSummary, error) {
	sc, args := scopeCond(f.Scope)
	where := " WHERE 1=1" + sc
	if f.FacilityID != 0 {
		where += " AND a.facility_id = ?"
		args = append(args, f.FacilityID)
	}
	if f.Capital {
		where += " AND (sc.support IN (2, 3) OR sc.nofix_findings > 0)"
	}
	rows, err := s.query(ctx, s.db, `SELECT a.id, a.asset_tag, COALESCE(fa.name, ''), COALESCE(mo.name, ''), COALESCE(md.name, ''), a.acquired_on,
		sc.clinical, sc.clinical_tier, sc.risk, sc.risk_tier, sc.support, sc.open_findings, sc.kev_findings, sc.nofix_findings,
		sc.observed_lateral, sc.lateral_disagree, sc.internet_peers, sc.acuity, sc.care_delivery
		FROM asset_scores sc JOIN assets a ON a.id = sc.asset_id
		LEFT JOIN facilities fa ON fa.id = a.facility_id LEFT JOIN modalities mo ON mo.id = a.modality_id LEFT JOIN models md ON md.id = a.model_id`+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.Now()
	var out []assess.AssetSummary
	for rows.Next() {
		var a assess.AssetSummary
		var acq string
		var ct, rt, sup, lat, dis, acu, cd int
		if err := rows.Scan(&a.AssetID, &a.Tag, &a.Facility, &a.Modality, &a.Model, &acq, &a.Clinical, &ct, &a.Risk, &rt, &sup,
			&a.OpenFindings, &a.KEVFindings, &a.NoFixFindings, &lat, &dis, &a.InternetPeers, &acu, &cd); err != nil {
			return nil, err
		}
		a.ClinicalTier, a.RiskTier, a.Support = assess.Tier(ct), assess.Tier(rt), assess.SupportStatus(sup)
		a.ObservedLateral, a.LateralDisagree, a.Acuity, a.CareDelivery = assess.LateralAccess(lat), dis != 0, assess.Acuity(acu), assess.CareDelivery(cd)
		if len(acq) >= 10 {
			if t := parseDate(acq[:10]); !t.IsZero() {
				a.AgeYears = now.Sub(t).Hours() / 24 / 365.25
			}
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// RiskActions returns the last run's mitigation actions in the caller's scope.
func (s *Store) RiskActions(ctx context.Context, scope int64) ([]RiskAction, error) {
	where, args := "", []any{}
	if scope != 0 {
		where = ` WHERE EXISTS (SELECT 1 FROM party_scope ps WHERE ps.party_id = ?
			AND (ps.facility_id IS NULL OR ps.facility_id = x.facility_id)
			AND (ps.modality_id IS NULL OR ps.modality_id = x.modality_id))`
		args = append(args, scope)
	}
	rows, err := s.query(ctx, s.db, `SELECT action_id, kind, title, COALESCE(facility_id, 0), COALESCE(modality_id, 0), assets_touched, risk_removed, per_asset FROM risk_actions x`+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RiskAction
	for rows.Next() {
		var a RiskAction
		if err := rows.Scan(&a.ID, &a.Kind, &a.Title, &a.FacilityID, &a.ModalityID, &a.AssetsTouched, &a.RiskRemoved, &a.PerAsset); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// FindingSSVC returns the stored SSVC decisions of an asset's findings by finding id.
func (s *Store) FindingSSVC(ctx context.Context, assetID int64) (map[int64][2]string, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, ssvc_decision, ssvc_explanation FROM findings WHERE asset_id = ? AND ssvc_decision <> ''`, assetID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][2]string{}
	for rows.Next() {
		var id int64
		var d, e string
		if err := rows.Scan(&id, &d, &e); err != nil {
			return nil, err
		}
		out[id] = [2]string{d, e}
	}
	return out, rows.Err()
}

// TierFilter turns a tier name into its number for the asset filter.
func TierFilter(name string) (int, bool) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "low", "0":
		return 0, true
	case "medium", "1":
		return 1, true
	case "high", "2":
		return 2, true
	case "critical", "3":
		return 3, true
	}
	return 0, false
}

// scoreCond is the asset list's condition on stored scores (risk tier,
// clinical-impact tier, likelihood band, acuity), as an indexed id list.
func scoreCond(f medsec.AssetFilter) (string, []any, error) {
	var conds []string
	var args []any
	for _, c := range []struct{ col, v string }{{"risk_tier", f.RiskTier}, {"clinical_tier", f.ImpactTier}, {"likelihood_band", f.Likelihood}} {
		if c.v == "" {
			continue
		}
		n, ok := TierFilter(c.v)
		if !ok {
			return "", nil, medsec.Errorf(medsec.EINVALID, "Unknown %s %q; use low, medium, high or critical (0–3).", c.col, c.v)
		}
		conds, args = append(conds, c.col+" = ?"), append(args, n)
	}
	if f.Acuity != "" {
		n, err := strconv.Atoi(f.Acuity)
		if err != nil {
			a, perr := assess.ParseAcuity(f.Acuity)
			if perr != nil && f.Acuity != "unset" {
				return "", nil, perr
			}
			n = int(a)
		}
		conds, args = append(conds, "acuity = ?"), append(args, n)
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return "a.id IN (SELECT asset_id FROM asset_scores WHERE " + strings.Join(conds, " AND ") + ")", args, nil
}

func parseDate(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// OpenFindingsOf returns one asset's open findings as rescoring reads them.
func (s *Store) OpenFindingsOf(ctx context.Context, assetID int64) ([]OpenFinding, error) {
	rows, err := s.query(ctx, s.db, `SELECT x.id, x.asset_id, x.cve, x.advisory_id, x.status, CASE WHEN k.cve IS NULL THEN 0 ELSE 1 END, COALESCE(e.score, 0), x.ssvc_decision
		FROM findings x LEFT JOIN kev k ON k.cve = x.cve LEFT JOIN epss e ON e.cve = x.cve
		WHERE x.asset_id = ? AND x.gone_at = '' AND x.status IN ('', 'open', 'new', 'reopened', 'in_progress', 'under_investigation') ORDER BY x.id`, assetID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OpenFinding
	for rows.Next() {
		var f OpenFinding
		var kev int
		if err := rows.Scan(&f.ID, &f.AssetID, &f.CVE, &f.AdvisoryID, &f.Status, &kev, &f.EPSS, &f.SSVC); err != nil {
			return nil, err
		}
		f.KEV = kev != 0
		out = append(out, f)
	}
	return out, rows.Err()
}

// EachFlowOf streams the flows to or from one address.
func (s *Store) EachFlowOf(ctx context.Context, ip string, fn func(f *Flow) error) error {
	rows, err := s.query(ctx, s.db, `SELECT src, dst, dst_port, proto, conns FROM flows WHERE src = ? UNION ALL SELECT src, dst, dst_port, proto, conns FROM flows WHERE dst = ?`, ip, ip)
	if err != nil {
		return err
	}
	defer rows.Close()
	var f Flow
	for rows.Next() {
		if err := rows.Scan(&f.Src, &f.Dst, &f.DstPort, &f.Proto, &f.Conns); err != nil {
			return err
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
	return rows.Err()
}
