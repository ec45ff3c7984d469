package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/medsec/medsec"
)

// ModelInfo is one make/model of the catalog with how many assets it has.
type ModelInfo struct {
	ID           int64  `json:"id"`
	Manufacturer string `json:"manufacturer"`
	Name         string `json:"name"`
	ModelNumber  string `json:"model_number,omitempty"`
	Modality     string `json:"modality,omitempty"`
	Assets       int    `json:"assets"`
}

// Model returns one model with its asset count within the scope.
func (s *Store) Model(ctx context.Context, id, scope int64) (ModelInfo, error) {
	var m ModelInfo
	err := s.queryRow(ctx, s.db, `SELECT md.id, mf.name, md.name, md.model_number, COALESCE(mo.name, '')
		FROM models md JOIN manufacturers mf ON mf.id = md.manufacturer_id LEFT JOIN modalities mo ON mo.id = md.modality_id WHERE md.id = ?`, id).
		Scan(&m.ID, &m.Manufacturer, &m.Name, &m.ModelNumber, &m.Modality)
	if err == sql.ErrNoRows {
		return m, medsec.Errorf(medsec.ENOTFOUND, "Model %d not found.", id)
	}
	if err != nil {
		return m, err
	}
	m.Assets, err = s.CountAssets(ctx, medsec.AssetFilter{ModelID: id, ScopePartyID: scope, Kind: "all"})
	if err == nil && scope != 0 && m.Assets == 0 {
		return m, medsec.Errorf(medsec.ENOTFOUND, "Model %d not found.", id)
	}
	return m, err
}

// ModelByName finds a model by manufacturer (any alias) and model name or
// number, for attaching SBOMs and MDS2 forms.
func (s *Store) ModelByName(ctx context.Context, manufacturer, model string) (ModelInfo, error) {
	var m ModelInfo
	err := s.queryRow(ctx, s.db, `SELECT md.id, mf.name, md.name, md.model_number FROM models md JOIN manufacturers mf ON mf.id = md.manufacturer_id
		WHERE lower(mf.name) = lower(?) AND (lower(md.name) = lower(?) OR lower(md.model_number) = lower(?)) ORDER BY md.id LIMIT 1`,
		manufacturer, model, model).Scan(&m.ID, &m.Manufacturer, &m.Name, &m.ModelNumber)
	if err == sql.ErrNoRows {
		return m, medsec.Errorf(medsec.ENOTFOUND, "No model %q of %q in the inventory.", model, manufacturer)
	}
	return m, err
}

// SBOMDoc is an SBOM attached to a make / model / firmware.
type SBOMDoc struct {
	ID           int64           `json:"id"`
	Manufacturer string          `json:"manufacturer"`
	Model        string          `json:"model"`
	Firmware     string          `json:"firmware"`
	Format       string          `json:"format"`
	SpecVersion  string          `json:"spec_version"`
	Name         string          `json:"name"`
	File         string          `json:"source_file"`
	ImportedAt   string          `json:"imported_at"`
	Components   []SBOMComponent `json:"components,omitempty"`
	Count        int             `json:"component_count"`
	Raw          []byte          `json:"-"`
}

// SBOMComponent is one component of an SBOM.
type SBOMComponent struct {
	Ref      string   `json:"ref,omitempty"`
	Name     string   `json:"name"`
	Version  string   `json:"version,omitempty"`
	Supplier string   `json:"supplier,omitempty"`
	PURL     string   `json:"purl,omitempty"`
	CPEs     []string `json:"cpes,omitempty"`
}

// SaveSBOM stores an SBOM and its components, replacing an earlier one of
// the same make/model/firmware and name.
func (s *Store) SaveSBOM(ctx context.Context, actor medsec.Actor, d SBOMDoc) (int64, error) {
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `DELETE FROM sboms WHERE manufacturer = ? AND model = ? AND firmware = ? AND name = ?`, d.Manufacturer, d.Model, d.Firmware, d.Name); err != nil {
			return err
		}
		var err error
		id, err = s.insertID(ctx, tx, `INSERT INTO sboms (manufacturer, model, firmware, format, spec_version, name, source_file, raw, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.Manufacturer, d.Model, d.Firmware, d.Format, d.SpecVersion, d.Name, d.File, string(d.Raw), s.now())
		if err != nil {
			return err
		}
		for _, c := range d.Components {
			if _, err := s.exec(ctx, tx, `INSERT INTO sbom_components (sbom_id, ref, name, version, supplier, purl, cpes) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				id, c.Ref, c.Name, c.Version, c.Supplier, c.PURL, strings.Join(c.CPEs, " ")); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "import", "sbom", id, nil, map[string]any{"manufacturer": d.Manufacturer, "model": d.Model, "firmware": d.Firmware,
			"format": d.Format, "name": d.Name, "components": len(d.Components), "file": d.File})
	})
	return id, err
}

// SBOMs lists SBOMs, optionally of one make/model (names compared in any case).
func (s *Store) SBOMs(ctx context.Context, manufacturer, model string, withComponents bool) ([]SBOMDoc, error) {
	q := `SELECT b.id, b.manufacturer, b.model, b.firmware, b.format, b.spec_version, b.name, b.source_file, b.imported_at,
		(SELECT count(*) FROM sbom_components c WHERE c.sbom_id = b.id) FROM sboms b`
	var args []any
	if model != "" {
		q += ` WHERE lower(b.manufacturer) = lower(?) AND lower(b.model) = lower(?)`
		args = append(args, manufacturer, model)
	}
	rows, err := s.query(ctx, s.db, q+` ORDER BY b.manufacturer, b.model, b.firmware, b.name`, args...)
	if err != nil {
		return nil, err
	}
	var out []SBOMDoc
	for rows.Next() {
		var d SBOMDoc
		if err := rows.Scan(&d.ID, &d.Manufacturer, &d.Model, &d.Firmware, &d.Format, &d.SpecVersion, &d.Name, &d.File, &d.ImportedAt, &d.Count); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || !withComponents {
		return out, err
	}
	for i := range out {
		if out[i].Components, err = s.sbomComponents(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) sbomComponents(ctx context.Context, id int64) ([]SBOMComponent, error) {
	rows, err := s.query(ctx, s.db, `SELECT ref, name, version, supplier, purl, cpes FROM sbom_components WHERE sbom_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SBOMComponent
	for rows.Next() {
		var c SBOMComponent
		var cpes string
		if err := rows.Scan(&c.Ref, &c.Name, &c.Version, &c.Supplier, &c.PURL, &cpes); err != nil {
			return nil, err
		}
		c.CPEs = strings.Fields(cpes)
		out = append(out, c)
	}
	return out, rows.Err()
}

// MDS2Doc is an MDS2 form attached to a model: every answer as read, and
// the capabilities derived from them.
type MDS2Doc struct {
	ID           int64           `json:"id"`
	Manufacturer string          `json:"manufacturer"`
	Model        string          `json:"model"`
	Layout       string          `json:"layout"`
	DocumentID   string          `json:"document_id"`
	ReleaseDate  string          `json:"release_date"`
	File         string          `json:"source_file"`
	Answers      json.RawMessage `json:"answers"`
	Capabilities json.RawMessage `json:"capabilities"`
	ImportedAt   string          `json:"imported_at"`
}

// SaveMDS2 stores an MDS2 form, replacing an earlier copy of the same document.
func (s *Store) SaveMDS2(ctx context.Context, actor medsec.Actor, d MDS2Doc) (int64, error) {
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `DELETE FROM mds2_forms WHERE manufacturer = ? AND model = ? AND document_id = ?`, d.Manufacturer, d.Model, d.DocumentID); err != nil {
			return err
		}
		var err error
		id, err = s.insertID(ctx, tx, `INSERT INTO mds2_forms (manufacturer, model, layout, document_id, release_date, source_file, answers, capabilities, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.Manufacturer, d.Model, d.Layout, d.DocumentID, d.ReleaseDate, d.File, string(d.Answers), string(d.Capabilities), s.now())
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "import", "mds2", id, nil, map[string]any{"manufacturer": d.Manufacturer, "model": d.Model, "layout": d.Layout, "document_id": d.DocumentID, "file": d.File})
	})
	return id, err
}

// MDS2Forms lists the MDS2 forms of a make/model (all when model is "").
func (s *Store) MDS2Forms(ctx context.Context, manufacturer, model string) ([]MDS2Doc, error) {
	q := `SELECT id, manufacturer, model, layout, document_id, release_date, source_file, answers, capabilities, imported_at FROM mds2_forms`
	var args []any
	if model != "" {
		q += ` WHERE lower(manufacturer) = lower(?) AND lower(model) = lower(?)`
		args = append(args, manufacturer, model)
	}
	rows, err := s.query(ctx, s.db, q+` ORDER BY manufacturer, model, release_date DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MDS2Doc
	for rows.Next() {
		var d MDS2Doc
		var a, c string
		if err := rows.Scan(&d.ID, &d.Manufacturer, &d.Model, &d.Layout, &d.DocumentID, &d.ReleaseDate, &d.File, &a, &c, &d.ImportedAt); err != nil {
			return nil, err
		}
		d.Answers, d.Capabilities = json.RawMessage(a), json.RawMessage(c)
		out = append(out, d)
	}
	return out, rows.Err()
}
