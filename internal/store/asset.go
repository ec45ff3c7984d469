package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/normalize"
)

const assetColumns = `a.id, a.asset_tag, a.serial, COALESCE(mf.name, ''), COALESCE(md.name, ''), COALESCE(md.model_number, ''),
	COALESCE(mo.name, ''), COALESCE(mo.code, ''), COALESCE(f.name, ''), COALESCE(l.name, ''), COALESCE(l.care_area, ''),
	a.room, a.status, a.hostname, a.ip, a.mac, a.firmware, a.em_number, a.acquired_on, a.updated_at,
	COALESCE(a.facility_id, 0), COALESCE(a.modality_id, 0), COALESCE(a.manufacturer_id, 0), COALESCE(a.model_id, 0), a.kind, a.origin`

const assetJoins = ` FROM assets a
	LEFT JOIN manufacturers mf ON mf.id = a.manufacturer_id
	LEFT JOIN models md ON md.id = a.model_id
	LEFT JOIN modalities mo ON mo.id = a.modality_id
	LEFT JOIN facilities f ON f.id = a.facility_id
	LEFT JOIN locations l ON l.id = a.location_id`

func scanAsset(sc interface{ Scan(...any) error }) (*medsec.Asset, error) {
	var a medsec.Asset
	var em sql.NullInt64
	var care, updated string
	err := sc.Scan(&a.ID, &a.AssetTag, &a.Serial, &a.Manufacturer, &a.Model, &a.ModelNumber,
		&a.Modality, &a.ModalityCode, &a.Facility, &a.Location, &care,
		&a.Room, &a.Status, &a.Hostname, &a.IP, &a.MAC, &a.Firmware, &em, &a.AcquiredOn, &updated,
		&a.FacilityID, &a.ModalityID, &a.ManufacturerID, &a.ModelID, &a.Kind, &a.Origin)
	if err != nil {
		return nil, err
	}
	if em.Valid {
		v := int(em.Int64)
		a.EMNumber = &v
	}
	a.CareArea = medsec.CareArea(care)
	a.UpdatedAt = parseTime(updated)
	return &a, nil
}

// sortColumns maps the public sort names onto indexed expressions.
var sortColumns = map[string]string{
	"asset_tag":    "a.tag_norm",
	"serial":       "a.serial_norm",
	"manufacturer": "mf.name",
	"model":        "md.name",
	"modality":     "mo.name",
	"facility":     "f.name",
	"status":       "a.status",
	"updated_at":   "a.updated_at",
}

// assetWhere builds the WHERE clause of an asset filter. Search uses only
// indexed prefix ranges on identifiers plus lookups in the small dimension
// tables, so that it stays fast at a million assets on both backends.
func (s *Store) assetWhere(ctx context.Context, f medsec.AssetFilter) (string, []any, error) {
	var conds []string
	var args []any
	if f.FacilityID != 0 {
		conds, args = append(conds, "a.facility_id = ?"), append(args, f.FacilityID)
	}
	if f.ModalityID != 0 {
		conds, args = append(conds, "a.modality_id = ?"), append(args, f.ModalityID)
	}
	if f.ManufacturerID != 0 {
		conds, args = append(conds, "a.manufacturer_id = ?"), append(args, f.ManufacturerID)
	}
	if f.ModelID != 0 {
		conds, args = append(conds, "a.model_id = ?"), append(args, f.ModelID)
	}
	if f.Status != "" {
		conds, args = append(conds, "a.status = ?"), append(args, f.Status)
	}
	switch f.Kind {
	case "all":
	case "", "medical": // a literal: the list indexes hold medical devices only
		conds = append(conds, "a.kind = 'medical'")
	default:
		conds, args = append(conds, "a.kind = ?"), append(args, f.Kind)
	}
	if f.Origin != "" {
		conds, args = append(conds, "a.origin = ?"), append(args, f.Origin)
	}
	const has = `EXISTS (SELECT 1 FROM source_records r WHERE r.asset_id = a.id AND r.gone_batch_id IS NULL AND r.system IN (%s))`
	switch f.Orphan {
	case "":
	case "unseen": // the CMMS or the CMDB says it is networked, monitoring never saw it
		conds = append(conds, "a.origin = 'cmms' AND lower(a.status) NOT IN ('retired', 'disposed') AND NOT "+fmt.Sprintf(has, "'monitoring', 'zeek'")+
			" AND (a.mac <> '' OR a.ip <> '' OR a.hostname <> '' OR "+fmt.Sprintf(has, "'cmdb'")+")")
	case "unknown":
		conds = append(conds, "a.origin = 'discovered' AND "+fmt.Sprintf(has, "'monitoring', 'zeek'"))
	case "cmdb_only":
		conds = append(conds, "a.origin = 'discovered' AND "+fmt.Sprintf(has, "'cmdb'"))
	default:
		return "", nil, medsec.Errorf(medsec.EINVALID, "Unknown orphan list %q; use unseen, unknown or cmdb_only.", f.Orphan)
	}
	if c, a, err := scoreCond(f); err != nil {
		return "", nil, err
	} else if c != "" {
		conds, args = append(conds, c), append(args, a...)
	}
	if f.ScopePartyID != 0 {
		// Devices the agreement names individually (party_scope_assets)
		// are in scope wherever they are.
		conds = append(conds, `(EXISTS (SELECT 1 FROM party_scope ps WHERE ps.party_id = ?
			AND (ps.facility_id IS NULL OR ps.facility_id = a.facility_id)
			AND (ps.modality_id IS NULL OR ps.modality_id = a.modality_id))
			OR EXISTS (SELECT 1 FROM party_scope_assets psa WHERE psa.party_id = ? AND psa.asset_id = a.id))`)
		args = append(args, f.ScopePartyID, f.ScopePartyID)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		c, a, err := s.searchCond(ctx, q, f.Kind)
		if err != nil {
			return "", nil, err
		}
		conds, args = append(conds, c), append(args, a...)
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

func (s *Store) searchCond(ctx context.Context, q, kind string) (string, []any, error) {
	low := strings.ToLower(q)
	hi := low + "\U0010FFFF"
	ser := normalize.Serial(q)
	parts := []string{
		"(a.tag_norm >= ? AND a.tag_norm < ?)",
		"(a.hostname_norm >= ? AND a.hostname_norm < ? AND a.hostname_norm <> '')",
		"(a.ip >= ? AND a.ip < ? AND a.ip <> '')",
	}
	args := []any{low, hi, low, hi, low, hi}
	if ser != "" {
		parts = append(parts, "(a.serial_norm >= ? AND a.serial_norm < ?)")
		args = append(args, ser, ser+"\U0010FFFF")
	}
	if mac := normalize.MAC(q); mac != "" {
		parts = append(parts, "(a.mac = ? AND a.mac <> '')")
		args = append(args, mac)
	}
	// Names of models, manufacturers and modalities match anywhere in the
	// name; these tables are small, so we resolve them to ids first.
	like := "%" + escapeLike(low) + "%"
	for _, dim := range []struct{ col, query string }{
		{"a.model_id", `SELECT id FROM models WHERE lower(name) LIKE ? ESCAPE '\' OR lower(model_number) LIKE ? ESCAPE '\' LIMIT 2000`},
		{"a.manufacturer_id", `SELECT id FROM manufacturers WHERE lower(name) LIKE ? ESCAPE '\' OR id IN (SELECT manufacturer_id FROM manufacturer_aliases WHERE alias_norm LIKE ? ESCAPE '\') LIMIT 2000`},
		{"a.modality_id", `SELECT id FROM modalities WHERE lower(name) LIKE ? ESCAPE '\' OR lower(code) LIKE ? ESCAPE '\' LIMIT 2000`},
	} {
		ids, err := s.ids(ctx, dim.query, like, like)
		if err != nil {
			return "", nil, err
		}
		if len(ids) > 0 {
			// The manufacturer and modality indexes hold medical devices
			// only; repeat the kind inside the term so that every OR branch
			// can use an index and SQLite can answer the OR as a union of
			// lookups.
			term := dim.col + " IN (" + placeholders(len(ids)) + ")"
			switch kind {
			case "all":
			case "", "medical":
				term = "(a.kind = 'medical' AND " + term + ")"
			default:
				term = "(a.kind = ? AND " + term + ")"
				args = append(args, kind)
			}
			parts = append(parts, term)
			args = append(args, ids...)
		}
	}
	return "(" + strings.Join(parts, " OR ") + ")", args, nil
}

func (s *Store) ids(ctx context.Context, query string, args ...any) ([]any, error) {
	vs, err := column[int64](ctx, s, s.db, query, args...)
	ids := make([]any, len(vs))
	for i, v := range vs {
		ids[i] = v
	}
	return ids, err
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// FindAssets returns one page of assets matching f, and the total count.
func (s *Store) FindAssets(ctx context.Context, f medsec.AssetFilter) ([]*medsec.Asset, int, error) {
	f.Normalize()
	where, args, err := s.assetWhere(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.queryRow(ctx, s.db, "SELECT count(*) FROM assets a"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	dir := "ASC"
	sort := f.Sort
	if strings.HasPrefix(sort, "-") {
		dir, sort = "DESC", sort[1:]
	}
	order := " ORDER BY " + sortColumns[sort] + " " + dir
	if sort != "asset_tag" {
		order += ", a.tag_norm " + dir
	}
	q := "SELECT " + assetColumns + assetJoins + where + order + " LIMIT ? OFFSET ?"
	rows, err := s.query(ctx, s.db, q, append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	items := make([]*medsec.Asset, 0, f.PerPage)
	for rows.Next() {
		a, err := scanAsset(rows)
		if err != nil {
			return nil, 0, err
		}
		items = append(items, a)
	}
	return items, total, rows.Err()
}

// EachAsset streams every asset matching f in order, for exports.
func (s *Store) EachAsset(ctx context.Context, f medsec.AssetFilter, fn func(*medsec.Asset) error) error {
	f.Normalize()
	where, args, err := s.assetWhere(ctx, f)
	if err != nil {
		return err
	}
	rows, err := s.query(ctx, s.db, "SELECT "+assetColumns+assetJoins+where+" ORDER BY a.tag_norm", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAsset(rows)
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FindAsset returns one asset. A provider whose scope excludes it gets
// ENOTFOUND, so that it cannot even learn that the asset exists.
func (s *Store) FindAsset(ctx context.Context, id int64, scopeParty int64) (*medsec.Asset, error) {
	where, args, err := s.assetWhere(ctx, medsec.AssetFilter{ScopePartyID: scopeParty, Kind: "all"})
	if err != nil {
		return nil, err
	}
	if where == "" {
		where = " WHERE a.id = ?"
	} else {
		where += " AND a.id = ?"
	}
	a, err := scanAsset(s.queryRow(ctx, s.db, "SELECT "+assetColumns+assetJoins+where, append(args, id)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, medsec.Errorf(medsec.ENOTFOUND, "Asset %d not found.", id)
	}
	return a, err
}

// SourceRecordsForAsset lists every source row behind an asset.
func (s *Store) SourceRecordsForAsset(ctx context.Context, assetID int64) ([]*medsec.SourceRecord, error) {
	rows, err := s.query(ctx, s.db, `SELECT r.id, r.batch_id, r.system, r.record_key, r.row_num, COALESCE(w.raw, '{}'), b.header, b.file_name, b.started_at, l.confidence, COALESCE(l.evidence, '')
		FROM source_records r JOIN import_batches b ON b.id = r.batch_id LEFT JOIN source_raw w ON w.record_id = r.id LEFT JOIN record_links l ON l.record_id = r.id
		WHERE r.asset_id = ? AND r.gone_batch_id IS NULL ORDER BY CASE r.system WHEN 'cmms' THEN 0 WHEN 'cmdb' THEN 1 ELSE 2 END, r.record_key`, assetID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*medsec.SourceRecord
	for rows.Next() {
		var r medsec.SourceRecord
		var raw, header, at, ev string
		var conf sql.NullFloat64
		if err := rows.Scan(&r.ID, &r.BatchID, &r.System, &r.Key, &r.RowNum, &raw, &header, &r.FileName, &at, &conf, &ev); err != nil {
			return nil, err
		}
		if conf.Valid {
			r.LinkConfidence = &conf.Float64
		}
		if ev != "" && ev != "[]" {
			r.LinkEvidence = json.RawMessage(ev)
		}
		r.Raw, r.AssetID, r.LoadedAt = []byte(rawAsObject(raw, header)), assetID, parseTime(at)
		out = append(out, &r)
	}
	return out, rows.Err()
}

// CountAssetsBy counts assets grouped by "facility", "modality",
// "manufacturer" or "status", within a provider's scope when given.
func (s *Store) CountAssetsBy(ctx context.Context, dim string, scopeParty int64) ([]medsec.Count, error) {
	var q string
	switch dim {
	case "facility":
		q = `SELECT COALESCE(a.facility_id, 0), COALESCE(f.name, '(none)'), count(*) FROM assets a LEFT JOIN facilities f ON f.id = a.facility_id`
	case "modality":
		q = `SELECT COALESCE(a.modality_id, 0), COALESCE(mo.name, '(none)'), count(*) FROM assets a LEFT JOIN modalities mo ON mo.id = a.modality_id`
	case "manufacturer":
		q = `SELECT COALESCE(a.manufacturer_id, 0), COALESCE(mf.name, '(none)'), count(*) FROM assets a LEFT JOIN manufacturers mf ON mf.id = a.manufacturer_id`
	case "status":
		q = `SELECT 0, a.status, count(*) FROM assets a`
	default:
		return nil, medsec.Errorf(medsec.EINVALID, "Cannot count assets by %q.", dim)
	}
	where, args, err := s.assetWhere(ctx, medsec.AssetFilter{ScopePartyID: scopeParty})
	if err != nil {
		return nil, err
	}
	q += where + " GROUP BY 1, 2 ORDER BY 3 DESC, 2"
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []medsec.Count
	for rows.Next() {
		var c medsec.Count
		if err := rows.Scan(&c.ID, &c.Label, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Facilities, Modalities and Manufacturers list the filter choices.
func (s *Store) Facilities(ctx context.Context) ([]medsec.Facility, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, name FROM facilities ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []medsec.Facility
	for rows.Next() {
		var f medsec.Facility
		if err := rows.Scan(&f.ID, &f.Name); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (s *Store) Modalities(ctx context.Context) ([]medsec.Modality, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, code, name FROM modalities ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []medsec.Modality
	for rows.Next() {
		var m medsec.Modality
		if err := rows.Scan(&m.ID, &m.Code, &m.Name); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *Store) Manufacturers(ctx context.Context) ([]medsec.Manufacturer, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, name FROM manufacturers ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []medsec.Manufacturer
	for rows.Next() {
		var m medsec.Manufacturer
		if err := rows.Scan(&m.ID, &m.Name); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Statuses lists the distinct asset statuses.
func (s *Store) Statuses(ctx context.Context) ([]string, error) {
	return s.stringList(ctx, `SELECT DISTINCT status FROM assets WHERE status <> '' ORDER BY status`)
}

// CountAssets counts the assets matching f.
func (s *Store) CountAssets(ctx context.Context, f medsec.AssetFilter) (int, error) {
	where, args, err := s.assetWhere(ctx, f)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.queryRow(ctx, s.db, "SELECT count(*) FROM assets a"+where, args...).Scan(&n)
	return n, err
}

// CareAreaSpread counts a modality's medical assets per care area of their
// location, in acuity order (highest first; "Unknown" last), within a scope.
func (s *Store) CareAreaSpread(ctx context.Context, modalityID, scope int64) ([]CareAreaCount, error) {
	where, args, err := s.assetWhere(ctx, medsec.AssetFilter{ModalityID: modalityID, ScopePartyID: scope})
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, s.db, `SELECT COALESCE(l.care_area, ''), count(*) FROM assets a LEFT JOIN locations l ON l.id = a.location_id`+where+` GROUP BY 1`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	n := map[medsec.CareArea]int{}
	for rows.Next() {
		var ca string
		var c int
		if err := rows.Scan(&ca, &c); err != nil {
			return nil, err
		}
		n[medsec.CareArea(ca)] += c
	}
	var out []CareAreaCount
	for _, ca := range append(append([]medsec.CareArea(nil), medsec.CareAreas...), medsec.CareUnknown) {
		if n[ca] > 0 {
			out = append(out, CareAreaCount{CareArea: ca, N: n[ca]})
		}
	}
	return out, rows.Err()
}

// CareAreaCount is how many assets sit in one care area.
type CareAreaCount struct {
	CareArea medsec.CareArea `json:"care_area"`
	N        int             `json:"n"`
}
