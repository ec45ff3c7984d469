package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/medsec/medsec"
)

// CoverageRow counts in-scope CMMS assets and how many are correlated to
// the CMDB and to monitoring.
type CoverageRow struct {
	At           string  `json:"at"`
	Facility     string  `json:"facility,omitempty"`
	Modality     string  `json:"modality,omitempty"`
	InScope      int     `json:"in_scope"`
	ToCMDB       int     `json:"to_cmdb"`
	ToMonitoring int     `json:"to_monitoring"`
	PctCMDB      float64 `json:"pct_cmdb"`
	PctMon       float64 `json:"pct_monitoring"`
}

func (c *CoverageRow) pct() {
	if c.InScope > 0 {
		c.PctCMDB = 100 * float64(c.ToCMDB) / float64(c.InScope)
		c.PctMon = 100 * float64(c.ToMonitoring) / float64(c.InScope)
	}
}

// In coverage scope: medical CMMS assets, not retired, known to be
// networked: of an always-networked modality (codes from the catalogue),
// with network data in the CMMS, or linked to any network record. A
// networked device that no system has seen and the CMMS does not flag
// cannot be counted by anyone; the orphan lists show the rest.
const coverageCandidates = `a.origin = 'cmms' AND a.kind = 'medical' AND lower(a.status) NOT IN ('retired', 'disposed')`

// CoverageAsset is a medical CMMS asset in service: in coverage scope if
// it is known to be networked.
type CoverageAsset struct {
	ID           int64
	Facility     string // name
	Modality     string // name
	ModalityCode string
	Networked    bool // the CMMS gives it a MAC, IP or host name
}

// EachCoverageAsset streams the medical CMMS assets in service, in id
// order. A correlation run counts its own links against them: it knows
// which asset each record went to, so coverage needs one scan of the
// assets instead of three record lookups per asset.
func (s *Store) EachCoverageAsset(ctx context.Context, fn func(*CoverageAsset)) error {
	facilities := map[int64]string{}
	type modality struct{ name, code string }
	modalities := map[int64]modality{}
	rows, err := s.query(ctx, s.db, `SELECT id, name FROM facilities`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		facilities[id] = name
	}
	rows.Close()
	if rows, err = s.query(ctx, s.db, `SELECT id, name, code FROM modalities`); err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var m modality
		if err := rows.Scan(&id, &m.name, &m.code); err != nil {
			rows.Close()
			return err
		}
		modalities[id] = m
	}
	rows.Close()
	if rows, err = s.query(ctx, s.db, `SELECT a.id, COALESCE(a.facility_id, 0), COALESCE(a.modality_id, 0), a.mac <> '' OR a.ip <> '' OR a.hostname <> ''
		FROM assets a WHERE `+coverageCandidates+` ORDER BY a.id`); err != nil {
		return err
	}
	defer rows.Close()
	var a CoverageAsset
	for rows.Next() {
		var fac, mod int64
		if err := rows.Scan(&a.ID, &fac, &mod, &a.Networked); err != nil {
			return err
		}
		m := modalities[mod]
		a.Facility, a.Modality, a.ModalityCode = facilities[fac], m.name, m.code
		fn(&a)
	}
	return rows.Err()
}

// CountCoverage counts coverage from the stored links alone, in one query:
// what a run's own count must agree with (tests hold the two equal).
func (s *Store) CountCoverage(ctx context.Context, networkable []string) ([]CoverageRow, error) {
	args := []any{}
	modCond := "1=0"
	if len(networkable) > 0 {
		modCond = "mo.code IN (" + placeholders(len(networkable)) + ")"
		for _, c := range networkable {
			args = append(args, c)
		}
	}
	q := `SELECT COALESCE(f.name, ''), COALESCE(mo.name, ''), count(*),
		COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM source_records r WHERE r.asset_id = a.id AND r.system = 'cmdb' AND r.gone_batch_id IS NULL) THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM source_records r WHERE r.asset_id = a.id AND r.system IN ('monitoring', 'zeek') AND r.gone_batch_id IS NULL) THEN 1 ELSE 0 END), 0)
		FROM assets a LEFT JOIN facilities f ON f.id = a.facility_id LEFT JOIN modalities mo ON mo.id = a.modality_id
		WHERE ` + coverageCandidates + `
		AND (` + modCond + ` OR a.mac <> '' OR a.ip <> '' OR a.hostname <> ''
			OR EXISTS (SELECT 1 FROM source_records r WHERE r.asset_id = a.id AND r.system <> 'cmms' AND r.gone_batch_id IS NULL))
		GROUP BY 1, 2 ORDER BY 1, 2`
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CoverageRow
	for rows.Next() {
		var c CoverageRow
		if err := rows.Scan(&c.Facility, &c.Modality, &c.InScope, &c.ToCMDB, &c.ToMonitoring); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveCoverage records a run's coverage: per facility and modality, how
// many in-scope CMMS assets are correlated to each network system.
func (s *Store) SaveCoverage(ctx context.Context, runID int64, snap []CoverageRow) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		at := s.now()
		for _, c := range snap {
			if _, err := s.exec(ctx, tx, `INSERT INTO coverage_snapshots (run_id, at, facility, modality, in_scope, to_cmdb, to_monitoring) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				runID, at, c.Facility, c.Modality, c.InScope, c.ToCMDB, c.ToMonitoring); err != nil {
				return err
			}
		}
		return nil
	})
}

// Coverage returns the latest snapshot grouped by "facility", "modality"
// or "" (the whole inventory).
func (s *Store) Coverage(ctx context.Context, by string) ([]CoverageRow, error) {
	col := "''"
	switch by {
	case "facility", "modality":
		col = by
	case "":
	default:
		return nil, medsec.Errorf(medsec.EINVALID, "Coverage is grouped by facility or modality, not %q.", by)
	}
	rows, err := s.query(ctx, s.db, `SELECT max(at), `+col+`, sum(in_scope), sum(to_cmdb), sum(to_monitoring) FROM coverage_snapshots
		WHERE run_id = (SELECT max(run_id) FROM coverage_snapshots) GROUP BY 2 ORDER BY 4 DESC, 2`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CoverageRow
	for rows.Next() {
		var c CoverageRow
		var label string
		if err := rows.Scan(&c.At, &label, &c.InScope, &c.ToCMDB, &c.ToMonitoring); err != nil {
			return nil, err
		}
		if by == "facility" {
			c.Facility = label
		} else if by == "modality" {
			c.Modality = label
		}
		c.pct()
		out = append(out, c)
	}
	return out, rows.Err()
}

// CoverageHistory returns the whole-inventory coverage of every run.
func (s *Store) CoverageHistory(ctx context.Context) ([]CoverageRow, error) {
	rows, err := s.query(ctx, s.db, `SELECT max(at), sum(in_scope), sum(to_cmdb), sum(to_monitoring) FROM coverage_snapshots GROUP BY run_id ORDER BY run_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CoverageRow
	for rows.Next() {
		var c CoverageRow
		if err := rows.Scan(&c.At, &c.InScope, &c.ToCMDB, &c.ToMonitoring); err != nil {
			return nil, err
		}
		c.pct()
		out = append(out, c)
	}
	return out, rows.Err()
}

// Target is a contract milestone: this much correlated by this date.
type Target struct {
	ID      int64   `json:"id"`
	Due     string  `json:"due"` // YYYY-MM-DD
	PctCMDB float64 `json:"pct_cmdb"`
	PctMon  float64 `json:"pct_monitoring"`
	Note    string  `json:"note"`
}

// SetTarget adds or replaces the milestone for a date.
func (s *Store) SetTarget(ctx context.Context, actor medsec.Actor, t Target) error {
	if _, err := time.Parse("2006-01-02", t.Due); err != nil {
		return medsec.Errorf(medsec.EINVALID, "Milestone date %q must be YYYY-MM-DD.", t.Due)
	}
	for _, p := range []float64{t.PctCMDB, t.PctMon} {
		if p < 0 || p > 100 {
			return medsec.Errorf(medsec.EINVALID, "A milestone percentage must be from 0 to 100 (got %g).", p)
		}
	}
	t.Note = strings.TrimSpace(t.Note)
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var before *Target
		var old Target
		if err := s.queryRow(ctx, tx, `SELECT id, due, pct_cmdb, pct_monitoring, note FROM coverage_targets WHERE due = ?`, t.Due).Scan(&old.ID, &old.Due, &old.PctCMDB, &old.PctMon, &old.Note); err == nil {
			before = &old
			if _, err := s.exec(ctx, tx, `DELETE FROM coverage_targets WHERE id = ?`, old.ID); err != nil {
				return err
			}
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO coverage_targets (due, pct_cmdb, pct_monitoring, note) VALUES (?, ?, ?, ?)`, t.Due, t.PctCMDB, t.PctMon, t.Note)
		if err != nil {
			return err
		}
		var b any
		if before != nil {
			b = before
		}
		return s.audit(ctx, tx, actor, "update", "coverage_target", id, b, t)
	})
}

// DeleteTarget removes a milestone.
func (s *Store) DeleteTarget(ctx context.Context, actor medsec.Actor, id int64) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var old Target
		if err := s.queryRow(ctx, tx, `SELECT id, due, pct_cmdb, pct_monitoring, note FROM coverage_targets WHERE id = ?`, id).Scan(&old.ID, &old.Due, &old.PctCMDB, &old.PctMon, &old.Note); err != nil {
			return medsec.Errorf(medsec.ENOTFOUND, "Milestone %d not found.", id)
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM coverage_targets WHERE id = ?`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "delete", "coverage_target", id, old, nil)
	})
}

// Targets lists the milestones by date.
func (s *Store) Targets(ctx context.Context) ([]Target, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, due, pct_cmdb, pct_monitoring, note FROM coverage_targets ORDER BY due`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Target
	for rows.Next() {
		var t Target
		if err := rows.Scan(&t.ID, &t.Due, &t.PctCMDB, &t.PctMon, &t.Note); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
