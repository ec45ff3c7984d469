package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/medsec/medsec"
)

// AdvisoryDoc is an advisory as loaded: identity and the document verbatim.
type AdvisoryDoc struct {
	AdvisoryID, Title, Publisher, TLP string
	Initial, Current                  time.Time
	Revision, File                    string
	Raw                               []byte
}

// SaveAdvisories stores advisories by id, replacing older revisions, in
// one transaction. It returns how many were new and how many changed.
func (s *Store) SaveAdvisories(ctx context.Context, actor medsec.Actor, docs []AdvisoryDoc) (added, changed int, err error) {
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		for _, d := range docs {
			var raw string
			err := s.queryRow(ctx, tx, `SELECT raw FROM advisories WHERE advisory_id = ?`, d.AdvisoryID).Scan(&raw)
			switch {
			case err == sql.ErrNoRows:
				added++
			case err != nil:
				return err
			case raw == string(d.Raw):
				continue
			default:
				changed++
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO advisories (advisory_id, title, publisher, tlp, initial_release, current_release, revision, source_file, raw, imported_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (advisory_id) DO UPDATE SET title = excluded.title, publisher = excluded.publisher, tlp = excluded.tlp,
				initial_release = excluded.initial_release, current_release = excluded.current_release, revision = excluded.revision,
				source_file = excluded.source_file, raw = excluded.raw, imported_at = excluded.imported_at`,
				d.AdvisoryID, d.Title, d.Publisher, d.TLP, fmtTime(d.Initial), fmtTime(d.Current), d.Revision, d.File, string(d.Raw), s.now()); err != nil {
				return err
			}
		}
		return s.auditKey(ctx, tx, actor, "import", "advisories", "", nil, map[string]int{"documents": len(docs), "new": added, "changed": changed})
	})
	return added, changed, err
}

// EachAdvisory streams the stored advisories' documents.
func (s *Store) EachAdvisory(ctx context.Context, fn func(file string, raw []byte) error) error {
	rows, err := s.query(ctx, s.db, `SELECT source_file, raw FROM advisories ORDER BY advisory_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f, raw string
		if err := rows.Scan(&f, &raw); err != nil {
			return err
		}
		if err := fn(f, []byte(raw)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DeviceGroup is one distinct make / model / firmware in the medical
// inventory, with its assets: advisories match groups, not a million rows.
type DeviceGroup struct {
	Key                              string
	Manufacturer, Model, ModelNumber string
	Firmware                         string
	Assets                           []int64
}

// DeviceGroups groups the medical assets by manufacturer, model and firmware.
func (s *Store) DeviceGroups(ctx context.Context) ([]DeviceGroup, error) {
	rows, err := s.query(ctx, s.db, `SELECT COALESCE(mf.name, ''), COALESCE(md.name, ''), COALESCE(md.model_number, ''), a.firmware, a.id
		FROM assets a LEFT JOIN manufacturers mf ON mf.id = a.manufacturer_id LEFT JOIN models md ON md.id = a.model_id
		WHERE a.kind = 'medical' ORDER BY 1, 2, 3, 4, 5`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DeviceGroup
	for rows.Next() {
		var g DeviceGroup
		var id int64
		if err := rows.Scan(&g.Manufacturer, &g.Model, &g.ModelNumber, &g.Firmware, &id); err != nil {
			return nil, err
		}
		key := g.Manufacturer + "|" + g.Model + "|" + g.ModelNumber + "|" + g.Firmware
		if n := len(out); n > 0 && out[n-1].Key == key {
			out[n-1].Assets = append(out[n-1].Assets, id)
			continue
		}
		g.Key, g.Assets = key, []int64{id}
		out = append(out, g)
	}
	return out, rows.Err()
}

// FindingRow is one asset × vulnerability as matched.
type FindingRow struct {
	ID              int64           `json:"id"`
	AssetID         int64           `json:"asset_id"`
	AssetTag        string          `json:"asset_tag,omitempty"`
	AdvisoryID      string          `json:"advisory_id"`
	CVE             string          `json:"cve"`
	ProductID       string          `json:"product_id"`
	Status          string          `json:"status"`
	MatchConfidence float64         `json:"match_confidence"`
	VersionCertain  bool            `json:"version_certain"`
	Evidence        json.RawMessage `json:"evidence"`
	FirstSeen       string          `json:"first_seen"`
	LastSeen        string          `json:"last_seen"`
}

// SaveFindings upserts matched findings: new ones open, existing ones keep
// their status (a person's decision) and get their evidence refreshed.
func (s *Store) SaveFindings(ctx context.Context, actor medsec.Actor, rows []FindingRow) (added int, err error) {
	err = s.withBulkTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for len(rows) > 0 {
			n := min(len(rows), 200)
			args := make([]any, 0, n*9)
			for _, f := range rows[:n] {
				vc := 0
				if f.VersionCertain {
					vc = 1
				}
				args = append(args, f.AssetID, f.AdvisoryID, f.CVE, f.ProductID, f.MatchConfidence, vc, string(f.Evidence), now, now)
			}
			q := `INSERT INTO findings (asset_id, advisory_id, cve, product_id, match_confidence, version_certain, evidence, first_seen, last_seen) VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?),", n), ",") +
				` ON CONFLICT (asset_id, advisory_id, cve, product_id) DO UPDATE SET match_confidence = excluded.match_confidence,
				version_certain = excluded.version_certain, evidence = excluded.evidence, last_seen = excluded.last_seen`
			if _, err := s.exec(ctx, tx, q, args...); err != nil {
				return err
			}
			rows = rows[n:]
		}
		var total int
		if err := s.queryRow(ctx, tx, `SELECT count(*) FROM findings WHERE first_seen = ?`, now).Scan(&total); err != nil {
			return err
		}
		added = total
		return s.auditKey(ctx, tx, actor, "match", "findings", "", nil, map[string]int{"new": added})
	})
	return added, err
}

// FindingFilter selects findings.
type FindingFilter struct {
	AssetID int64
	CVE     string
	Status  string
	Scope   int64
	Limit   int
}

// Findings lists findings with their assets' tags.
func (s *Store) Findings(ctx context.Context, f FindingFilter) ([]FindingRow, error) {
	where, args, err := s.assetWhere(ctx, medsec.AssetFilter{ScopePartyID: f.Scope, Kind: "all"})
	if err != nil {
		return nil, err
	}
	if where == "" {
		where = " WHERE 1=1"
	}
	if f.AssetID != 0 {
		where, args = where+" AND x.asset_id = ?", append(args, f.AssetID)
	}
	if f.CVE != "" {
		where, args = where+" AND x.cve = ?", append(args, strings.ToUpper(f.CVE))
	}
	if f.Status != "" {
		where, args = where+" AND x.status = ?", append(args, f.Status)
	}
	if f.Limit <= 0 {
		f.Limit = 1 << 30
	}
	rows, err := s.query(ctx, s.db, `SELECT x.id, x.asset_id, a.asset_tag, x.advisory_id, x.cve, x.product_id, x.status, x.match_confidence, x.version_certain, x.evidence, x.first_seen, x.last_seen
		FROM findings x JOIN assets a ON a.id = x.asset_id`+where+` ORDER BY x.asset_id, x.cve, x.advisory_id LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FindingRow
	for rows.Next() {
		var r FindingRow
		var vc int
		var ev string
		if err := rows.Scan(&r.ID, &r.AssetID, &r.AssetTag, &r.AdvisoryID, &r.CVE, &r.ProductID, &r.Status, &r.MatchConfidence, &vc, &ev, &r.FirstSeen, &r.LastSeen); err != nil {
			return nil, err
		}
		r.VersionCertain, r.Evidence = vc != 0, json.RawMessage(ev)
		out = append(out, r)
	}
	return out, rows.Err()
}
