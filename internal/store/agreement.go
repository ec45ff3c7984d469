package store

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"

	"github.com/medsec/medsec"
)

// AgreementVersion is one saved version of the agreement. Body is the
// agreement as JSON (internal/agreement owns its shape); versions are never
// changed once saved.
type AgreementVersion struct {
	ID        int64  `json:"id"`
	Version   int    `json:"version"`
	Body      string `json:"-"`
	Note      string `json:"note"`
	CreatedBy string `json:"created_by"`
	CreatedAt string `json:"created_at"`
}

// SaveAgreementVersion stores a new version of the agreement and, when
// providerPartyID is set, makes that party's scope exactly the agreement's:
// its facility/modality rules become rules and the devices the agreement
// names individually become assetIDs (which widen the provider's
// visibility beyond the rules), in one transaction with its audit records.
// It returns the new version number.
//
// The agreement is the contract's scope, so saving it replaces whatever
// scope the party had, including rules added one by one with AddScope
// (`medsec scope add`, used before an agreement exists). Each rule is
// written with AddScope's semantics (a party is required, a zero facility
// or modality matches any, one audit record per rule) but inside this
// transaction: AddScope opens its own, and a version whose scope failed to
// apply must not be saved.
func (s *Store) SaveAgreementVersion(ctx context.Context, actor medsec.Actor, body []byte, note string, providerPartyID int64, rules []medsec.ScopeRule, assetIDs []int64) (int, error) {
	var version int
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if err := s.queryRow(ctx, tx, `SELECT COALESCE(max(version), 0) + 1 FROM agreement_versions`).Scan(&version); err != nil {
			return err
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO agreement_versions (version, body, note, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
			version, string(body), strings.TrimSpace(note), actor.Name, s.now())
		if err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, "create", "agreement_version", id, nil, map[string]any{"version": version, "note": note}); err != nil {
			return err
		}
		if providerPartyID == 0 {
			return nil
		}
		if err := s.replaceScope(ctx, tx, actor, providerPartyID, rules); err != nil {
			return err
		}
		return s.replaceScopeAssets(ctx, tx, actor, providerPartyID, assetIDs)
	})
	return version, err
}

// addScopeTx is AddScope inside a caller's transaction.
func (s *Store) addScopeTx(ctx context.Context, tx *sql.Tx, actor medsec.Actor, r medsec.ScopeRule) error {
	if r.PartyID == 0 {
		return medsec.Errorf(medsec.EINVALID, "A scope rule needs a party.")
	}
	id, err := s.insertID(ctx, tx, `INSERT INTO party_scope (party_id, facility_id, modality_id) VALUES (?, ?, ?)`,
		r.PartyID, nullInt(r.FacilityID), nullInt(r.ModalityID))
	if err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, "create", "party_scope", id, nil, r)
}

// replaceScope swaps a party's scope rules for new ones, auditing both.
// Rules the new set keeps unchanged stay as they are (no audit noise).
func (s *Store) replaceScope(ctx context.Context, tx *sql.Tx, actor medsec.Actor, partyID int64, rules []medsec.ScopeRule) error {
	rows, err := s.query(ctx, tx, `SELECT id, COALESCE(facility_id, 0), COALESCE(modality_id, 0) FROM party_scope WHERE party_id = ? ORDER BY id`, partyID)
	if err != nil {
		return err
	}
	type key struct{ f, m int64 }
	keep := map[key]bool{}
	for _, r := range rules {
		keep[key{r.FacilityID, r.ModalityID}] = true
	}
	have := map[key]bool{}
	var old []medsec.ScopeRule
	var ids []int64
	for rows.Next() {
		var id int64
		r := medsec.ScopeRule{PartyID: partyID}
		if err := rows.Scan(&id, &r.FacilityID, &r.ModalityID); err != nil {
			rows.Close()
			return err
		}
		k := key{r.FacilityID, r.ModalityID}
		if keep[k] && !have[k] {
			have[k] = true
			continue
		}
		ids = append(ids, id)
		old = append(old, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, id := range ids {
		if _, err := s.exec(ctx, tx, `DELETE FROM party_scope WHERE id = ?`, id); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, "delete", "party_scope", id, old[i], nil); err != nil {
			return err
		}
	}
	for _, r := range rules {
		if have[key{r.FacilityID, r.ModalityID}] {
			continue
		}
		have[key{r.FacilityID, r.ModalityID}] = true
		r.PartyID = partyID
		if err := s.addScopeTx(ctx, tx, actor, r); err != nil {
			return err
		}
	}
	return nil
}

// replaceScopeAssets makes a party's individually named devices exactly
// ids, auditing what it adds and removes.
func (s *Store) replaceScopeAssets(ctx context.Context, tx *sql.Tx, actor medsec.Actor, partyID int64, ids []int64) error {
	named, err := column[int64](ctx, s, tx, `SELECT asset_id FROM party_scope_assets WHERE party_id = ? ORDER BY asset_id`, partyID)
	if err != nil {
		return err
	}
	have := map[int64]bool{}
	for _, id := range named {
		have[id] = true
	}
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var gone []int64
	for id := range have {
		if !want[id] {
			gone = append(gone, id)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i] < gone[j] })
	for _, id := range gone {
		if _, err := s.exec(ctx, tx, `DELETE FROM party_scope_assets WHERE party_id = ? AND asset_id = ?`, partyID, id); err != nil {
			return err
		}
		if err := s.auditKey(ctx, tx, actor, "delete", "party_scope_asset", itoa(partyID)+"/"+itoa(id), map[string]int64{"party_id": partyID, "asset_id": id}, nil); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if have[id] {
			continue
		}
		have[id] = true
		if _, err := s.exec(ctx, tx, `INSERT INTO party_scope_assets (party_id, asset_id) VALUES (?, ?)`, partyID, id); err != nil {
			return err
		}
		if err := s.auditKey(ctx, tx, actor, "create", "party_scope_asset", itoa(partyID)+"/"+itoa(id), nil, map[string]int64{"party_id": partyID, "asset_id": id}); err != nil {
			return err
		}
	}
	return nil
}

// ScopeAssetTags lists the tags of the devices named individually in a
// party's scope.
func (s *Store) ScopeAssetTags(ctx context.Context, partyID int64) ([]string, error) {
	return s.stringList(ctx, `SELECT a.asset_tag FROM party_scope_assets p JOIN assets a ON a.id = p.asset_id WHERE p.party_id = ? ORDER BY a.asset_tag`, partyID)
}

// ResolveAssetTags turns asset tags (equipment IDs, exact) into asset ids;
// tags it does not know come back in unknown, in the order given.
func (s *Store) ResolveAssetTags(ctx context.Context, tags []string) (ids map[string]int64, unknown []string, err error) {
	ids = map[string]int64{}
	for _, t := range tags {
		var id int64
		e := s.queryRow(ctx, s.db, `SELECT id FROM assets WHERE asset_tag = ?`, strings.TrimSpace(t)).Scan(&id)
		switch {
		case errors.Is(e, sql.ErrNoRows):
			unknown = append(unknown, t)
		case e != nil:
			return nil, nil, e
		default:
			ids[t] = id
		}
	}
	return ids, unknown, nil
}

// AgreementVersions lists every version, newest first.
func (s *Store) AgreementVersions(ctx context.Context) ([]AgreementVersion, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, version, body, note, created_by, created_at FROM agreement_versions ORDER BY version DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AgreementVersion
	for rows.Next() {
		var v AgreementVersion
		if err := rows.Scan(&v.ID, &v.Version, &v.Body, &v.Note, &v.CreatedBy, &v.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AgreementVersionByNumber returns one version; 0 means the latest.
func (s *Store) AgreementVersionByNumber(ctx context.Context, version int) (AgreementVersion, error) {
	q := `SELECT id, version, body, note, created_by, created_at FROM agreement_versions WHERE version = ?`
	args := []any{version}
	if version == 0 {
		q = `SELECT id, version, body, note, created_by, created_at FROM agreement_versions ORDER BY version DESC LIMIT 1`
		args = nil
	}
	var v AgreementVersion
	err := s.queryRow(ctx, s.db, q, args...).Scan(&v.ID, &v.Version, &v.Body, &v.Note, &v.CreatedBy, &v.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		if version == 0 {
			return v, medsec.Errorf(medsec.ENOTFOUND, "No agreement has been saved yet.")
		}
		return v, medsec.Errorf(medsec.ENOTFOUND, "Agreement version %d not found.", version)
	}
	return v, err
}

// ResolveScope turns facility names and modality names or codes (any
// case) into ids. Names it does not know come back in unknownF and
// unknownM, in the order given.
func (s *Store) ResolveScope(ctx context.Context, facilities, modalities []string) (fac, mod map[string]int64, unknownF, unknownM []string, err error) {
	fac, mod = map[string]int64{}, map[string]int64{}
	for _, f := range facilities {
		var id int64
		e := s.queryRow(ctx, s.db, `SELECT id FROM facilities WHERE lower(name) = lower(?)`, strings.TrimSpace(f)).Scan(&id)
		switch {
		case errors.Is(e, sql.ErrNoRows):
			unknownF = append(unknownF, f)
		case e != nil:
			return nil, nil, nil, nil, e
		default:
			fac[f] = id
		}
	}
	for _, m := range modalities {
		var id int64
		e := s.queryRow(ctx, s.db, `SELECT id FROM modalities WHERE lower(name) = lower(?) OR lower(code) = lower(?) ORDER BY id LIMIT 1`, strings.TrimSpace(m), strings.TrimSpace(m)).Scan(&id)
		switch {
		case errors.Is(e, sql.ErrNoRows):
			unknownM = append(unknownM, m)
		case e != nil:
			return nil, nil, nil, nil, e
		default:
			mod[m] = id
		}
	}
	return fac, mod, unknownF, unknownM, nil
}

// FacilityNames and ModalityNames list the known names, for forms.
func (s *Store) FacilityNames(ctx context.Context) ([]string, error) {
	return s.stringList(ctx, `SELECT name FROM facilities ORDER BY name`)
}

// ModalityNames lists the modality names in use by at least one asset.
func (s *Store) ModalityNames(ctx context.Context) ([]string, error) {
	return s.stringList(ctx, `SELECT name FROM modalities m WHERE EXISTS (SELECT 1 FROM assets a WHERE a.modality_id = m.id) ORDER BY name`)
}

func (s *Store) stringList(ctx context.Context, q string, args ...any) ([]string, error) {
	return column[string](ctx, s, s.db, q, args...)
}

// ExhibitAsset is one in-scope device as the Scope of Services exhibit
// lists it.
type ExhibitAsset struct {
	ID           int64  `json:"id"`
	Tag          string `json:"asset_tag"`
	Serial       string `json:"serial"`
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	ModelNumber  string `json:"model_number"`
	Modality     string `json:"modality"`
	Facility     string `json:"facility"`
	Status       string `json:"status"`
}

// ScopeAssets lists the medical CMMS devices (not retired) that an
// agreement's scope covers: in one of the facilities (any, when none are
// given) and of one of the modalities (any, when none are given), plus
// the assets named by tag. With no facilities and no modalities only the
// named assets are in scope. Ordered by modality, manufacturer, model, tag.
func (s *Store) ScopeAssets(ctx context.Context, facilityIDs, modalityIDs []int64, tags []string) ([]ExhibitAsset, error) {
	var conds []string
	var args []any
	if len(facilityIDs) > 0 || len(modalityIDs) > 0 {
		var parts []string
		if len(facilityIDs) > 0 {
			parts = append(parts, "a.facility_id IN ("+placeholders(len(facilityIDs))+")")
			for _, id := range facilityIDs {
				args = append(args, id)
			}
		}
		if len(modalityIDs) > 0 {
			parts = append(parts, "a.modality_id IN ("+placeholders(len(modalityIDs))+")")
			for _, id := range modalityIDs {
				args = append(args, id)
			}
		}
		conds = append(conds, "("+strings.Join(parts, " AND ")+")")
	}
	if len(tags) > 0 {
		conds = append(conds, "a.asset_tag IN ("+placeholders(len(tags))+")")
		for _, t := range tags {
			args = append(args, t)
		}
	}
	if len(conds) == 0 {
		return nil, nil
	}
	q := `SELECT a.id, a.asset_tag, a.serial, COALESCE(mf.name, ''), COALESCE(md.name, ''), COALESCE(md.model_number, ''), COALESCE(mo.name, ''), COALESCE(f.name, ''), a.status
		FROM assets a LEFT JOIN manufacturers mf ON mf.id = a.manufacturer_id LEFT JOIN models md ON md.id = a.model_id
		LEFT JOIN modalities mo ON mo.id = a.modality_id LEFT JOIN facilities f ON f.id = a.facility_id
		WHERE a.origin = 'cmms' AND a.kind = 'medical' AND lower(a.status) NOT IN ('retired', 'disposed') AND (` + strings.Join(conds, " OR ") + `)
		ORDER BY 7, 4, 5, a.asset_tag`
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ExhibitAsset
	for rows.Next() {
		var a ExhibitAsset
		if err := rows.Scan(&a.ID, &a.Tag, &a.Serial, &a.Manufacturer, &a.Model, &a.ModelNumber, &a.Modality, &a.Facility, &a.Status); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// HasTable reports whether a table exists, so features built on another
// part's tables can say "not there yet" instead of failing.
func (s *Store) HasTable(ctx context.Context, name string) bool {
	var n int
	q := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if s.dialect == Postgres {
		q = `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	}
	if err := s.queryRow(ctx, s.db, q, name).Scan(&n); err != nil {
		return false
	}
	return n > 0
}

// HasColumn reports whether a table has a column.
func (s *Store) HasColumn(ctx context.Context, table, column string) bool {
	var n int
	q := `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`
	if s.dialect == Postgres {
		q = `SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?`
	}
	if err := s.queryRow(ctx, s.db, q, table, column).Scan(&n); err != nil {
		return false
	}
	return n > 0
}
