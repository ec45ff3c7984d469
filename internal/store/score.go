package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"hash/fnv"
	"math"
	"slices"
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

// ScoreScope selects the assets a rescoring run reads: every medical asset
// unless Partial, else the medical assets of Modalities (0: no modality)
// and the further Assets.
type ScoreScope struct {
	Partial    bool
	Modalities []int64
	Assets     []int64
}

// cond is the scope's condition on assets a (with its arguments).
func (sc *ScoreScope) cond() (string, []any) {
	if sc == nil || !sc.Partial {
		return "", nil
	}
	var ors []string
	var args []any
	var mods []int64
	for _, m := range sc.Modalities {
		if m == 0 {
			ors = append(ors, "a.modality_id IS NULL")
		} else {
			mods = append(mods, m)
		}
	}
	if len(mods) > 0 {
		ors = append(ors, "a.modality_id IN ("+placeholders(len(mods))+")")
		for _, m := range mods {
			args = append(args, m)
		}
	}
	if len(sc.Assets) > 0 {
		ors = append(ors, "a.id IN ("+placeholders(len(sc.Assets))+")")
		for _, id := range sc.Assets {
			args = append(args, id)
		}
	}
	if len(ors) == 0 {
		return " AND 1=0", nil
	}
	return " AND (" + strings.Join(ors, " OR ") + ")", args
}

// EachScoringAsset streams the medical assets in scope in id order
// (without AcquiredOn, which scoring does not read).
func (s *Store) EachScoringAsset(ctx context.Context, scope *ScoreScope, fn func(*ScoringAsset) error) error {
	cond, args := scope.cond()
	rows, err := s.query(ctx, s.db, `SELECT a.id, a.asset_tag, COALESCE(a.model_id, 0), COALESCE(a.modality_id, 0), COALESCE(a.facility_id, 0), COALESCE(a.location_id, 0), a.ip
		FROM assets a WHERE a.kind = 'medical'`+cond+` ORDER BY a.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var a ScoringAsset
	for rows.Next() {
		if err := rows.Scan(&a.ID, &a.Tag, &a.ModelID, &a.ModalityID, &a.FacilityID, &a.LocationID, &a.IP); err != nil {
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

// NonMedicalIPs returns the addresses, among those seen in flows, of
// non-medical assets (workstations, printers, network gear: outside the
// clinical zone). Only flow endpoints are looked up, through the address
// index: scanning every asset for its kind cost seconds at a million.
func (s *Store) NonMedicalIPs(ctx context.Context) (map[string]bool, error) {
	return s.nonMedical(ctx, `SELECT DISTINCT f.ip FROM (SELECT src AS ip FROM flows UNION SELECT dst FROM flows) f
		JOIN assets a ON a.ip = f.ip WHERE f.ip <> '' AND a.ip <> '' AND a.kind <> 'medical'`)
}

// NonMedicalIPsAmong returns which of ips belong to non-medical assets.
func (s *Store) NonMedicalIPsAmong(ctx context.Context, ips []string) (map[string]bool, error) {
	out := map[string]bool{}
	for len(ips) > 0 {
		n := min(len(ips), 500)
		args := make([]any, n)
		for i, ip := range ips[:n] {
			args[i] = ip
		}
		m, err := s.nonMedical(ctx, `SELECT DISTINCT ip FROM assets WHERE ip IN (`+placeholders(n)+`) AND ip <> '' AND kind <> 'medical'`, args...)
		if err != nil {
			return nil, err
		}
		for ip := range m {
			out[ip] = true
		}
		ips = ips[n:]
	}
	return out, nil
}

func (s *Store) nonMedical(ctx context.Context, q string, args ...any) (map[string]bool, error) {
	rows, err := s.query(ctx, s.db, q, args...)
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
	return s.eachFlow(ctx, fn, `SELECT src, dst, dst_port, proto, conns FROM flows`)
}

func (s *Store) eachFlow(ctx context.Context, fn func(f *Flow) error, q string, args ...any) error {
	rows, err := s.query(ctx, s.db, q, args...)
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
	SSVC, SSVCWhy           string
}

const openFindingCols = `x.id, x.asset_id, x.cve, x.advisory_id, x.status, CASE WHEN k.cve IS NULL THEN 0 ELSE 1 END, COALESCE(e.score, 0), x.ssvc_decision, x.ssvc_explanation
		FROM findings x LEFT JOIN kev k ON k.cve = x.cve LEFT JOIN epss e ON e.cve = x.cve`

const openFindingWhere = ` x.gone_at = '' AND x.status IN ('', 'open', 'new', 'reopened', 'in_progress', 'under_investigation')`

func scanOpenFinding(rows *sql.Rows, f *OpenFinding) error {
	var kev int
	err := rows.Scan(&f.ID, &f.AssetID, &f.CVE, &f.AdvisoryID, &f.Status, &kev, &f.EPSS, &f.SSVC, &f.SSVCWhy)
	f.KEV = kev != 0
	return err
}

// EachOpenFinding streams the findings that count toward likelihood (open,
// not gone) of the assets in scope, with KEV and EPSS, ordered by asset.
func (s *Store) EachOpenFinding(ctx context.Context, scope *ScoreScope, fn func(*OpenFinding) error) error {
	q := `SELECT ` + openFindingCols + ` WHERE` + openFindingWhere
	cond, args := scope.cond()
	if cond != "" {
		q = `SELECT ` + openFindingCols + ` JOIN assets a ON a.id = x.asset_id WHERE` + openFindingWhere + cond
	}
	rows, err := s.query(ctx, s.db, q+` ORDER BY x.asset_id, x.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var f OpenFinding
	for rows.Next() {
		if err := scanOpenFinding(rows, &f); err != nil {
			return err
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
	return rows.Err()
}

// OpenFindingAdvisories lists the advisories of the open findings of the
// assets in scope.
func (s *Store) OpenFindingAdvisories(ctx context.Context, scope *ScoreScope) ([]string, error) {
	cond, args := scope.cond()
	rows, err := s.query(ctx, s.db, `SELECT DISTINCT x.advisory_id FROM findings x JOIN assets a ON a.id = x.asset_id WHERE`+openFindingWhere+cond+` ORDER BY x.advisory_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AssetsWithOpenFindings lists the assets with open findings of the given
// advisories, at most limit+1 of them (the caller falls back to a whole
// run beyond limit).
func (s *Store) AssetsWithOpenFindings(ctx context.Context, advisories []string, limit int) ([]int64, error) {
	var out []int64
	for len(advisories) > 0 {
		n := min(len(advisories), 500)
		args := make([]any, 0, n+1)
		for _, a := range advisories[:n] {
			args = append(args, a)
		}
		args = append(args, limit+1)
		ids, err := column[int64](ctx, s, s.db, `SELECT DISTINCT x.asset_id FROM findings x WHERE x.advisory_id IN (`+placeholders(n)+`) AND`+openFindingWhere+` ORDER BY x.asset_id LIMIT ?`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
		if len(out) > limit {
			return out, nil
		}
		advisories = advisories[n:]
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// ModalitiesOf lists the modalities (0: none) of the medical assets of a
// model, and of the model itself.
func (s *Store) ModalitiesOf(ctx context.Context, level string, id int64) ([]int64, error) {
	var q string
	switch level {
	case LevelModel:
		q = `SELECT DISTINCT COALESCE(modality_id, 0) FROM assets WHERE kind = 'medical' AND model_id = ? UNION SELECT COALESCE(modality_id, 0) FROM models WHERE id = ?`
	case LevelAsset:
		q = `SELECT COALESCE(modality_id, 0) FROM assets WHERE id = ? AND id = ?`
	default:
		return []int64{id}, nil
	}
	rows, err := s.query(ctx, s.db, q, id, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var m int64
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
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
	// History marks a score that also gets a risk-history row.
	History bool `json:"-"`
}

// StoredScore is an asset's stored score in the compact form a rescoring
// run compares its results with (a million of them stay in memory).
type StoredScore struct {
	AssetID int64
	// Inputs and Scores are the two halves of the stored hash: of the
	// inputs, and of the scores computed from them (see ScoreHash).
	Inputs, Scores uint64
	ModelVersion   string
	Clinical, Risk float64
	RiskTier       int8
}

// ScoreHash is the hash stored with a score: 16 hex digits of the inputs
// hash, then 16 of a digest of the computed scores, so that a full run
// tells an unchanged score from the hash without reading every column.
func ScoreHash(inputs uint64, a *AssetScore) string {
	return hex16(inputs) + hex16(a.digest())
}

func hex16(h uint64) string {
	const digits = "0123456789abcdef"
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = digits[h&15]
		h >>= 4
	}
	return string(b[:])
}

// digest hashes every stored fact of a score but its run, time and hash.
func (a *AssetScore) digest() uint64 {
	h := fnv.New64a()
	var b [8 * 17]byte
	for i, x := range []uint64{math.Float64bits(a.Clinical), uint64(a.ClinicalTier), math.Float64bits(a.Risk), uint64(a.RiskTier), math.Float64bits(a.Likelihood),
		uint64(a.LikelihoodBand), uint64(a.Acuity), uint64(a.CareDelivery), uint64(a.Support), uint64(a.ObservedLateral), uint64(b2i(a.LateralDisagree)),
		uint64(a.InternetPeers), uint64(a.OpenFindings), uint64(a.KEVFindings), uint64(a.NoFixFindings), uint64(len(a.ModelVersion)), 0} {
		binary.LittleEndian.PutUint64(b[i*8:], x)
	}
	h.Write(b[:])
	h.Write([]byte(a.ModelVersion))
	return h.Sum64()
}

// StoredScores returns the stored scores of the assets in scope, ordered
// by asset id.
func (s *Store) StoredScores(ctx context.Context, scope *ScoreScope) ([]StoredScore, error) {
	cond, args := scope.cond()
	q := `SELECT asset_id, model_version, inputs_hash, clinical, risk, risk_tier FROM asset_scores`
	if cond != "" {
		q = `SELECT sc.asset_id, sc.model_version, sc.inputs_hash, sc.clinical, sc.risk, sc.risk_tier FROM asset_scores sc JOIN assets a ON a.id = sc.asset_id WHERE 1=1` + cond
	}
	rows, err := s.query(ctx, s.db, q+` ORDER BY 1`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoredScore
	versions := map[string]string{}
	var model, hash sql.RawBytes
	for rows.Next() {
		var r StoredScore
		var rt int
		if err := rows.Scan(&r.AssetID, &model, &hash, &r.Clinical, &r.Risk, &rt); err != nil {
			return nil, err
		}
		v, ok := versions[string(model)]
		if !ok {
			v = string(model)
			versions[v] = v
		}
		r.ModelVersion, r.RiskTier = v, int8(rt)
		if len(hash) >= 16 {
			r.Inputs, _ = strconv.ParseUint(string(hash[:16]), 16, 64)
		}
		if len(hash) >= 32 {
			r.Scores, _ = strconv.ParseUint(string(hash[16:32]), 16, 64)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Same reports whether a score computed from inputs equals the stored one
// in every stored fact (the run and time aside).
func (r *StoredScore) Same(a *AssetScore, inputs uint64) bool {
	return r.Inputs == inputs && r.ModelVersion == a.ModelVersion && r.Scores == a.digest()
}

// HistoryChanged reports whether a computed score differs from the stored
// one in what the risk history records: the model, the clinical impact,
// the risk score or its tier.
func (r *StoredScore) HistoryChanged(a *AssetScore) bool {
	return r.ModelVersion != a.ModelVersion || r.Clinical != a.Clinical || r.Risk != a.Risk || int(r.RiskTier) != a.RiskTier
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
	Scope        string `json:"scope,omitempty"` // "" every asset, else e.g. "modality 4"
	Actor        string `json:"actor"`
	StartedAt    string `json:"started_at"`
	FinishedAt   string `json:"finished_at"`
	Assets       int    `json:"assets"`
	Changed      int    `json:"changed"`
	History      int    `json:"history_rows"`
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

// Mitigation action kinds.
const (
	ActionSegment = "segment"
	ActionNAC     = "compensating control"
	ActionPatch   = "patch"
)

// PatchActionPrefix is the id prefix of the patch actions of an advisory.
func PatchActionPrefix(advisory string) string { return "patch/" + advisory + "/" }

// ActionSet is what a run does to the stored mitigation actions: replace
// them all, or (Partial) only the segment and NAC actions of Modalities
// and the patch actions of Advisories.
type ActionSet struct {
	Partial    bool
	Modalities []int64
	Advisories []string
	Actions    []RiskAction
}

// SSVCUpdate is a finding's new SSVC decision.
type SSVCUpdate struct {
	FindingID   int64
	Decision    string
	Explanation string
}

// bulkScores: a run writing at least this many scores into a table of
// fewer than bulkThreshold rows (the first scoring of a large inventory)
// drops the table's secondary indexes and builds them afterwards.
var bulkScores = 100000

// scoreBatch rows per multi-row statement: 20 columns × 400 stays below
// both backends' parameter limits.
const scoreBatch = 400

const scoreUpsert = ` ON CONFLICT (asset_id) DO UPDATE SET model_version = excluded.model_version, inputs_hash = excluded.inputs_hash, clinical = excluded.clinical,
	clinical_tier = excluded.clinical_tier, risk = excluded.risk, risk_tier = excluded.risk_tier, likelihood = excluded.likelihood,
	likelihood_band = excluded.likelihood_band, acuity = excluded.acuity, care_delivery = excluded.care_delivery, support = excluded.support,
	observed_lateral = excluded.observed_lateral, lateral_disagree = excluded.lateral_disagree, internet_peers = excluded.internet_peers,
	open_findings = excluded.open_findings, kev_findings = excluded.kev_findings, nofix_findings = excluded.nofix_findings,
	run_id = excluded.run_id, scored_at = excluded.scored_at`

func scoreInsertSQL(n int) string {
	return `INSERT INTO asset_scores (` + scoreCols + `) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?),", n), ",") + scoreUpsert
}

func historyInsertSQL(n int) string {
	return `INSERT INTO risk_history (run_id, asset_id, at, model_version, clinical, risk, risk_tier) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?),", n), ",")
}

// rowBatcher runs a multi-row statement over rows in batches of size,
// through one prepared statement for the full batches: parsing a big
// INSERT each time costs more than running it.
type rowBatcher struct {
	s     *Store
	tx    *sql.Tx
	sql   func(n int) string
	size  int
	full  *sql.Stmt
	args  []any
	n     int
	total int
}

func (b *rowBatcher) add(ctx context.Context, vals ...any) error {
	b.args = append(b.args, vals...)
	b.n++
	if b.n == b.size {
		return b.flush(ctx)
	}
	return nil
}

func (b *rowBatcher) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	var err error
	if b.n == b.size {
		if b.full == nil {
			if b.full, err = b.tx.PrepareContext(ctx, b.s.rebind(b.sql(b.size))); err != nil {
				return err
			}
		}
		_, err = b.full.ExecContext(ctx, b.args...)
	} else {
		_, err = b.s.exec(ctx, b.tx, b.sql(b.n), b.args...)
	}
	b.total += b.n
	b.args, b.n = b.args[:0], 0
	return err
}

func (b *rowBatcher) close() {
	if b.full != nil {
		b.full.Close()
	}
}

// tableSmall reports whether table has fewer than bulkThreshold rows.
func (s *Store) tableSmall(ctx context.Context, tx *sql.Tx, table string) (bool, error) {
	var n int
	err := s.queryRow(ctx, tx, `SELECT count(*) FROM (SELECT 1 FROM `+table+` LIMIT ?) t`, bulkThreshold).Scan(&n)
	return n < bulkThreshold, err
}

// SaveScoreRun records a rescoring run in one transaction: the run, the
// scores that changed (sorted by asset; those marked History also get a
// risk-history row), the mitigation actions, the findings' SSVC decisions
// that changed, and one audit record. A partial run (run.Scope set) counts
// its tiers over every stored score.
func (s *Store) SaveScoreRun(ctx context.Context, actor medsec.Actor, run *ScoreRun, scores []AssetScore, actions *ActionSet, ssvc []SSVCUpdate) error {
	slices.SortFunc(scores, func(a, b AssetScore) int { return cmpInt64(a.AssetID, b.AssetID) })
	slices.SortFunc(ssvc, func(a, b SSVCUpdate) int { return cmpInt64(a.FindingID, b.FindingID) })
	return s.withBulkTx(ctx, func(tx *sql.Tx) error {
		run.Actor, run.FinishedAt = actor.Name, s.now()
		run.History = 0
		for i := range scores {
			if scores[i].History {
				run.History++
			}
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO score_runs (model_version, full_run, scope, actor, started_at, finished_at, assets, changed, history_rows, risk_low, risk_medium, risk_high, risk_critical)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, run.ModelVersion, b2i(run.Full), run.Scope, run.Actor, run.StartedAt, run.FinishedAt, run.Assets, run.Changed, run.History,
			run.Tiers[0], run.Tiers[1], run.Tiers[2], run.Tiers[3])
		if err != nil {
			return err
		}
		run.ID = id
		now := run.FinishedAt
		var saved []savedDDL
		if len(scores) >= bulkScores {
			small, err := s.tableSmall(ctx, tx, "asset_scores")
			if err != nil {
				return err
			}
			if small {
				if saved, err = s.dropSecondaryIndexes(ctx, tx, "asset_scores"); err != nil {
					return err
				}
			}
		}
		if run.History >= bulkScores {
			small, err := s.tableSmall(ctx, tx, "risk_history")
			if err != nil {
				return err
			}
			if small {
				h, err := s.dropSecondaryIndexes(ctx, tx, "risk_history")
				if err != nil {
					return err
				}
				saved = append(saved, h...)
			}
		}
		sw := &rowBatcher{s: s, tx: tx, sql: scoreInsertSQL, size: scoreBatch, args: make([]any, 0, scoreBatch*20)}
		defer sw.close()
		hw := &rowBatcher{s: s, tx: tx, sql: historyInsertSQL, size: scoreBatch, args: make([]any, 0, scoreBatch*7)}
		defer hw.close()
		for i := range scores {
			r := &scores[i]
			r.RunID, r.ScoredAt = id, now
			if err := sw.add(ctx, r.AssetID, r.ModelVersion, r.InputsHash, r.Clinical, r.ClinicalTier, r.Risk, r.RiskTier, r.Likelihood, r.LikelihoodBand,
				r.Acuity, r.CareDelivery, r.Support, r.ObservedLateral, b2i(r.LateralDisagree), r.InternetPeers, r.OpenFindings, r.KEVFindings, r.NoFixFindings, r.RunID, r.ScoredAt); err != nil {
				return err
			}
		}
		if err := sw.flush(ctx); err != nil {
			return err
		}
		// History after the scores: each table's pages are written in key order.
		for i := range scores {
			if r := &scores[i]; r.History {
				if err := hw.add(ctx, id, r.AssetID, now, r.ModelVersion, r.Clinical, r.Risk, r.RiskTier); err != nil {
					return err
				}
			}
		}
		if err := hw.flush(ctx); err != nil {
			return err
		}
		if err := s.recreate(ctx, tx, saved); err != nil {
			return err
		}
		if actions != nil {
			if err := s.replaceActions(ctx, tx, actions, id); err != nil {
				return err
			}
		}
		if len(ssvc) > 0 {
			up, err := tx.PrepareContext(ctx, s.rebind(`UPDATE findings SET ssvc_decision = ?, ssvc_explanation = ? WHERE id = ?`))
			if err != nil {
				return err
			}
			defer up.Close()
			for _, u := range ssvc {
				if _, err := up.ExecContext(ctx, u.Decision, u.Explanation, u.FindingID); err != nil {
					return err
				}
			}
		}
		if run.Scope != "" {
			if err := s.countTiers(ctx, tx, run); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "rescore", "score_run", id, nil, map[string]any{
			"model": run.ModelVersion, "full": run.Full, "scope": run.Scope, "assets": run.Assets, "changed": run.Changed, "history_rows": run.History, "ssvc_updated": len(ssvc),
			"risk_tiers": map[string]int{"low": run.Tiers[0], "medium": run.Tiers[1], "high": run.Tiers[2], "critical": run.Tiers[3]}})
	})
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// countTiers sets a partial run's tier counts from every stored score.
func (s *Store) countTiers(ctx context.Context, tx *sql.Tx, run *ScoreRun) error {
	rows, err := s.query(ctx, tx, `SELECT risk_tier, count(*) FROM asset_scores GROUP BY risk_tier`)
	if err != nil {
		return err
	}
	run.Tiers = [4]int{}
	for rows.Next() {
		var t, n int
		if err := rows.Scan(&t, &n); err != nil {
			rows.Close()
			return err
		}
		if t >= 0 && t < 4 {
			run.Tiers[t] = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = s.exec(ctx, tx, `UPDATE score_runs SET risk_low = ?, risk_medium = ?, risk_high = ?, risk_critical = ? WHERE id = ?`, run.Tiers[0], run.Tiers[1], run.Tiers[2], run.Tiers[3], run.ID)
	return err
}

func (s *Store) replaceActions(ctx context.Context, tx *sql.Tx, a *ActionSet, runID int64) error {
	if !a.Partial {
		if _, err := s.exec(ctx, tx, `DELETE FROM risk_actions`); err != nil {
			return err
		}
	} else {
		for _, m := range a.Modalities {
			q, args := `DELETE FROM risk_actions WHERE kind IN (?, ?) AND modality_id = ?`, []any{ActionSegment, ActionNAC, m}
			if m == 0 {
				q, args = `DELETE FROM risk_actions WHERE kind IN (?, ?) AND modality_id IS NULL`, args[:2]
			}
			if _, err := s.exec(ctx, tx, q, args...); err != nil {
				return err
			}
		}
		for _, adv := range a.Advisories {
			// The ids of an advisory's patch actions share its prefix; '0'
			// follows '/' in every collation the backends use for ASCII.
			p := PatchActionPrefix(adv)
			if _, err := s.exec(ctx, tx, `DELETE FROM risk_actions WHERE kind = ? AND action_id >= ? AND action_id < ?`, ActionPatch, p, strings.TrimSuffix(p, "/")+"0"); err != nil {
				return err
			}
		}
	}
	for _, x := range a.Actions {
		if _, err := s.exec(ctx, tx, `INSERT INTO risk_actions (action_id, kind, title, facility_id, modality_id, assets_touched, risk_removed, per_asset, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (action_id) DO UPDATE SET kind = excluded.kind, title = excluded.title, facility_id = excluded.facility_id, modality_id = excluded.modality_id,
			assets_touched = excluded.assets_touched, risk_removed = excluded.risk_removed, per_asset = excluded.per_asset, run_id = excluded.run_id`,
			x.ID, x.Kind, x.Title, nullInt(x.FacilityID), nullInt(x.ModalityID), x.AssetsTouched, x.RiskRemoved, x.PerAsset, runID); err != nil {
			return err
		}
	}
	return nil
}

// ScoreRuns lists the latest rescoring runs, newest first.
func (s *Store) ScoreRuns(ctx context.Context, limit int) ([]ScoreRun, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, model_version, full_run, scope, actor, started_at, finished_at, assets, changed, history_rows, risk_low, risk_medium, risk_high, risk_critical
		FROM score_runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ScoreRun
	for rows.Next() {
		var r ScoreRun
		var full int
		if err := rows.Scan(&r.ID, &r.ModelVersion, &full, &r.Scope, &r.Actor, &r.StartedAt, &r.FinishedAt, &r.Assets, &r.Changed, &r.History, &r.Tiers[0], &r.Tiers[1], &r.Tiers[2], &r.Tiers[3]); err != nil {
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
	return ` AND (EXISTS (SELECT 1 FROM party_scope ps WHERE ps.party_id = ?
		AND (ps.facility_id IS NULL OR ps.facility_id = a.facility_id)
		AND (ps.modality_id IS NULL OR ps.modality_id = a.modality_id))
		OR EXISTS (SELECT 1 FROM party_scope_assets psa WHERE psa.party_id = ? AND psa.asset_id = a.id))`, []any{scope, scope}
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
	rows, err := s.query(ctx, s.db, `SELECT `+openFindingCols+` WHERE x.asset_id = ? AND`+openFindingWhere+` ORDER BY x.id`, assetID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OpenFinding
	for rows.Next() {
		var f OpenFinding
		if err := scanOpenFinding(rows, &f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// EachFlowOf streams the flows to or from one address.
func (s *Store) EachFlowOf(ctx context.Context, ip string, fn func(f *Flow) error) error {
	return s.eachFlow(ctx, fn, `SELECT src, dst, dst_port, proto, conns FROM flows WHERE src = ? UNION ALL SELECT src, dst, dst_port, proto, conns FROM flows WHERE dst = ?`, ip, ip)
}
