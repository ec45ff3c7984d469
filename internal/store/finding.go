package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/medsec/medsec"
)

// FindingRow is one asset × vulnerability as matched, with the decision a
// person made about it and the exploitation facts (KEV, EPSS) known for its
// CVE.
type FindingRow struct {
	ID              int64           `json:"id"`
	AssetID         int64           `json:"asset_id"`
	AssetTag        string          `json:"asset_tag,omitempty"`
	AdvisoryID      string          `json:"advisory_id"`
	CVE             string          `json:"cve"`
	ProductID       string          `json:"product_id"`
	Source          string          `json:"source"` // csaf, nvd, sbom, kev, manual
	Status          string          `json:"status"`
	MatchConfidence float64         `json:"match_confidence"`
	VersionCertain  bool            `json:"version_certain"`
	Evidence        json.RawMessage `json:"evidence"`
	FirstSeen       string          `json:"first_seen"`
	LastSeen        string          `json:"last_seen"`
	// Gone is set when the last match no longer produced this finding (the
	// advisory changed, or the asset's firmware did); the row and the
	// decision on it are kept.
	GoneAt string `json:"gone_at,omitempty"`

	StatusReason   string `json:"status_reason,omitempty"`
	StatusBy       string `json:"status_by,omitempty"`
	StatusAt       string `json:"status_at,omitempty"`
	ConfirmedBy    string `json:"confirmed_by,omitempty"`
	FixValidatedOn string `json:"fix_validated_on,omitempty"`
	ScheduledFor   string `json:"scheduled_for,omitempty"`
	Control        string `json:"control,omitempty"`
	AcceptedBy     string `json:"accepted_by,omitempty"`
	AcceptedUntil  string `json:"accepted_until,omitempty"`

	KEV            bool    `json:"kev"`
	KEVRansomware  bool    `json:"kev_ransomware,omitempty"`
	EPSS           float64 `json:"epss"`
	EPSSPercentile float64 `json:"epss_percentile"`
}

// FindingFilter selects findings.
type FindingFilter struct {
	AssetID    int64
	CVE        string
	AdvisoryID string
	Status     string
	Source     string
	ModelID    int64
	KEV        bool    // only CVEs in the KEV catalog
	EPSSMin    float64 // only CVEs whose EPSS score is at least this
	Open       bool    // only statuses that still ask for work
	WithGone   bool    // include findings the last match no longer produced
	Scope      int64
	Limit      int
	Offset     int
}

const findingCols = `x.id, x.asset_id, a.asset_tag, x.advisory_id, x.cve, x.product_id, x.source, x.status, x.match_confidence, x.version_certain,
	COALESCE(d.evidence, x.evidence), x.first_seen, COALESCE(d.last_seen, x.last_seen), x.gone_at, x.status_reason, x.status_by, x.status_at, x.confirmed_by, x.fix_validated_on,
	x.scheduled_for, x.control, x.accepted_by, x.accepted_until,
	CASE WHEN k.cve IS NULL THEN 0 ELSE 1 END, COALESCE(k.ransomware, ''), COALESCE(e.score, 0), COALESCE(e.percentile, 0)`

const findingFrom = ` FROM findings x JOIN assets a ON a.id = x.asset_id LEFT JOIN finding_defs d ON d.id = x.def_id
	LEFT JOIN kev k ON k.cve = x.cve LEFT JOIN epss e ON e.cve = x.cve`

func (s *Store) findingWhere(ctx context.Context, f FindingFilter) (string, []any, error) {
	where, args, err := s.assetWhere(ctx, medsec.AssetFilter{ScopePartyID: f.Scope, Kind: "all"})
	if err != nil {
		return "", nil, err
	}
	if where == "" {
		where = " WHERE 1=1"
	}
	add := func(cond string, v ...any) { where, args = where+" AND "+cond, append(args, v...) }
	if f.AssetID != 0 {
		add("x.asset_id = ?", f.AssetID)
	}
	if f.CVE != "" {
		add("x.cve = ?", strings.ToUpper(strings.TrimSpace(f.CVE)))
	}
	if f.AdvisoryID != "" {
		add("x.advisory_id = ?", f.AdvisoryID)
	}
	if f.Status != "" {
		st, err := medsec.ParseFindingStatus(f.Status)
		if err != nil {
			return "", nil, err
		}
		add("x.status = ?", string(st))
	}
	if f.Source != "" {
		add("x.source = ?", f.Source)
	}
	if f.ModelID != 0 {
		add("a.model_id = ?", f.ModelID)
	}
	if f.KEV {
		add("k.cve IS NOT NULL")
	}
	if f.EPSSMin > 0 {
		add("e.score >= ?", f.EPSSMin)
	}
	if f.Open {
		add("x.status IN ('open', 'in_triage', 'awaiting_manufacturer', 'fix_validated', 'scheduled')")
	}
	if !f.WithGone {
		add("x.gone_at = ''")
	}
	return where, args, nil
}

// Findings lists findings with their assets' tags, KEV and EPSS facts.
func (s *Store) Findings(ctx context.Context, f FindingFilter) ([]FindingRow, error) {
	where, args, err := s.findingWhere(ctx, f)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		f.Limit = 1 << 30
	}
	rows, err := s.query(ctx, s.db, `SELECT `+findingCols+findingFrom+where+` ORDER BY x.asset_id, x.cve, x.advisory_id, x.id LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FindingRow
	for rows.Next() {
		r, err := scanFinding(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountFindings counts the findings a filter selects.
func (s *Store) CountFindings(ctx context.Context, f FindingFilter) (int, error) {
	where, args, err := s.findingWhere(ctx, f)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.queryRow(ctx, s.db, `SELECT count(*)`+findingFrom+where, args...).Scan(&n)
	return n, err
}

// FindingStatusCounts counts current findings per status within a scope.
func (s *Store) FindingStatusCounts(ctx context.Context, scope int64) (map[string]int, error) {
	where, args, err := s.findingWhere(ctx, FindingFilter{Scope: scope})
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, s.db, `SELECT x.status, count(*)`+findingFrom+where+` GROUP BY x.status`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

type scanner interface{ Scan(...any) error }

func scanFinding(sc scanner) (FindingRow, error) {
	var r FindingRow
	var vc, kev int
	var ev, ransom string
	err := sc.Scan(&r.ID, &r.AssetID, &r.AssetTag, &r.AdvisoryID, &r.CVE, &r.ProductID, &r.Source, &r.Status, &r.MatchConfidence, &vc,
		&ev, &r.FirstSeen, &r.LastSeen, &r.GoneAt, &r.StatusReason, &r.StatusBy, &r.StatusAt, &r.ConfirmedBy, &r.FixValidatedOn,
		&r.ScheduledFor, &r.Control, &r.AcceptedBy, &r.AcceptedUntil, &kev, &ransom, &r.EPSS, &r.EPSSPercentile)
	r.VersionCertain, r.Evidence, r.KEV = vc != 0, json.RawMessage(ev), kev != 0
	r.KEVRansomware = strings.EqualFold(ransom, "known")
	return r, err
}

// Finding returns one finding, if the scope allows it.
func (s *Store) Finding(ctx context.Context, id, scope int64) (FindingRow, error) {
	where, args, err := s.findingWhere(ctx, FindingFilter{Scope: scope, WithGone: true})
	if err != nil {
		return FindingRow{}, err
	}
	r, err := scanFinding(s.queryRow(ctx, s.db, `SELECT `+findingCols+findingFrom+where+` AND x.id = ?`, append(args, id)...))
	if err == sql.ErrNoRows {
		return r, medsec.Errorf(medsec.ENOTFOUND, "Finding %d not found.", id)
	}
	return r, err
}

// FindingEvent is one transition in a finding's history.
type FindingEvent struct {
	At     string          `json:"at"`
	Actor  string          `json:"actor"`
	From   string          `json:"from"`
	To     string          `json:"to"`
	Detail json.RawMessage `json:"detail"`
}

// FindingEvents lists a finding's transitions, oldest first.
func (s *Store) FindingEvents(ctx context.Context, id int64) ([]FindingEvent, error) {
	rows, err := s.query(ctx, s.db, `SELECT at, actor, from_status, to_status, detail FROM finding_events WHERE finding_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FindingEvent
	for rows.Next() {
		var e FindingEvent
		var d string
		if err := rows.Scan(&e.At, &e.Actor, &e.From, &e.To, &d); err != nil {
			return nil, err
		}
		e.Detail = json.RawMessage(d)
		out = append(out, e)
	}
	return out, rows.Err()
}

// TransitionFinding applies a person's decision to one finding (within the
// actor's scope), records it in the finding's history and the audit log,
// and returns the finding as it now is.
func (s *Store) TransitionFinding(ctx context.Context, actor medsec.Actor, id int64, t medsec.FindingTransition) (FindingRow, error) {
	if err := t.Validate(actor.Name, s.Now()); err != nil {
		return FindingRow{}, err
	}
	before, err := s.Finding(ctx, id, actor.PartyID)
	if err != nil {
		return FindingRow{}, err
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		confirmed := before.ConfirmedBy
		if t.Confirm {
			confirmed = actor.Name
		}
		if t.To == medsec.FindingFalsePositive {
			confirmed = ""
		}
		fix, sched, ctl, accBy, accUntil := before.FixValidatedOn, before.ScheduledFor, before.Control, before.AcceptedBy, before.AcceptedUntil
		switch t.To {
		case medsec.FindingFixValidated:
			fix = t.FixValidatedOn
		case medsec.FindingScheduled:
			sched = t.ScheduledFor
		case medsec.FindingMitigated:
			ctl = strings.TrimSpace(t.Control)
		case medsec.FindingRiskAccepted:
			accBy, accUntil = t.AcceptedBy, t.AcceptedUntil
		}
		if _, err := s.exec(ctx, tx, `UPDATE findings SET status = ?, status_reason = ?, status_by = ?, status_at = ?, confirmed_by = ?,
			fix_validated_on = ?, scheduled_for = ?, control = ?, accepted_by = ?, accepted_until = ? WHERE id = ?`,
			string(t.To), t.Reason, actor.Name, now, confirmed, fix, sched, ctl, accBy, accUntil, id); err != nil {
			return err
		}
		detail, _ := json.Marshal(t)
		if _, err := s.exec(ctx, tx, `INSERT INTO finding_events (finding_id, at, actor, from_status, to_status, detail) VALUES (?, ?, ?, ?, ?, ?)`,
			id, now, actor.Name, before.Status, string(t.To), string(detail)); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "transition", "finding", id,
			map[string]any{"status": before.Status, "asset_id": before.AssetID, "cve": before.CVE, "advisory_id": before.AdvisoryID}, t)
	})
	if err != nil {
		return FindingRow{}, err
	}
	return s.Finding(ctx, id, actor.PartyID)
}
