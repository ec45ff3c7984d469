package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/medsec/medsec/internal/normalize"
)

// dims resolves names to ids of the small dimension tables during an
// import, creating rows as they are first seen. It caches everything, so a
// million-row import asks the database only for new names.
type dims struct {
	s   *Store
	tx  *sql.Tx
	mf  map[string]int64 // normalize.Key(canonical name) → id
	mfa map[string]bool  // alias keys already stored
	// done maps a (canonical, alias) pair already resolved, its aliases
	// stored, to the manufacturer's id: a million CMMS rows name a few
	// hundred pairs, and folding both names for every row was a tenth of
	// the writer's time.
	done map[[2]string]int64
	mo   map[string]int64 // modality code → id
	md   map[modelKey]int64
	fa   map[string]int64 // facility name → id
	lo   map[locationKey]int64
}

type modelKey struct {
	mf           int64
	name, number string
}

type locationKey struct {
	facility int64
	name     string
}

func (s *Store) loadDims(ctx context.Context, tx *sql.Tx) (*dims, error) {
	d := &dims{s: s, tx: tx, mf: map[string]int64{}, mfa: map[string]bool{}, done: map[[2]string]int64{}, mo: map[string]int64{},
		md: map[modelKey]int64{}, fa: map[string]int64{}, lo: map[locationKey]int64{}}
	load := func(q string, fn func(r *sql.Rows) error) error {
		rows, err := s.query(ctx, tx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	var id int64
	var a, b, c string
	steps := []struct {
		q  string
		fn func(r *sql.Rows) error
	}{
		{`SELECT id, name FROM manufacturers`, func(r *sql.Rows) error {
			err := r.Scan(&id, &a)
			d.mf[normalize.Key(a)] = id
			return err
		}},
		{`SELECT alias_norm FROM manufacturer_aliases`, func(r *sql.Rows) error { err := r.Scan(&a); d.mfa[a] = true; return err }},
		{`SELECT id, code FROM modalities`, func(r *sql.Rows) error { err := r.Scan(&id, &a); d.mo[a] = id; return err }},
		{`SELECT id, manufacturer_id, name, model_number FROM models`, func(r *sql.Rows) error {
			var mfid int64
			err := r.Scan(&id, &mfid, &b, &c)
			d.md[modelKey{mfid, b, c}] = id
			return err
		}},
		{`SELECT id, name FROM facilities`, func(r *sql.Rows) error { err := r.Scan(&id, &a); d.fa[a] = id; return err }},
		{`SELECT id, facility_id, name FROM locations`, func(r *sql.Rows) error {
			var fid int64
			err := r.Scan(&id, &fid, &b)
			d.lo[locationKey{fid, b}] = id
			return err
		}},
	}
	for _, st := range steps {
		if err := load(st.q, st.fn); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// UnknownManufacturer owns models whose maker no source named.
const UnknownManufacturer = "Unknown manufacturer"

func (d *dims) manufacturer(ctx context.Context, canonical, alias string) (int64, error) {
	if canonical == "" {
		return 0, nil
	}
	if id, ok := d.done[[2]string{canonical, alias}]; ok {
		return id, nil
	}
	k := normalize.Key(canonical)
	id, ok := d.mf[k]
	if !ok {
		var err error
		id, err = d.s.insertID(ctx, d.tx, `INSERT INTO manufacturers (name) VALUES (?)`, canonical)
		if err != nil {
			return 0, err
		}
		d.mf[k] = id
	}
	for _, al := range []string{canonical, alias} {
		ak := normalize.Key(al)
		if ak == "" || d.mfa[ak] {
			continue
		}
		if _, err := d.s.exec(ctx, d.tx, `INSERT INTO manufacturer_aliases (alias_norm, alias, manufacturer_id, origin) VALUES (?, ?, ?, 'import')`, ak, al, id); err != nil {
			return 0, err
		}
		d.mfa[ak] = true
	}
	d.done[[2]string{canonical, alias}] = id
	return id, nil
}

func (d *dims) modality(ctx context.Context, code, name string) (int64, error) {
	if code == "" {
		return 0, nil
	}
	if id, ok := d.mo[code]; ok {
		return id, nil
	}
	id, err := d.s.insertID(ctx, d.tx, `INSERT INTO modalities (code, name) VALUES (?, ?)`, code, name)
	d.mo[code] = id
	return id, err
}

func (d *dims) model(ctx context.Context, mfID, modalityID int64, name, number string) (int64, error) {
	if name == "" && number == "" {
		return 0, nil
	}
	if name == "" {
		name = number
	}
	if mfID == 0 { // a model always belongs to a maker, if only to an unknown one
		var err error
		if mfID, err = d.manufacturer(ctx, UnknownManufacturer, ""); err != nil {
			return 0, err
		}
	}
	k := modelKey{mfID, name, number}
	if id, ok := d.md[k]; ok {
		return id, nil
	}
	id, err := d.s.insertID(ctx, d.tx, `INSERT INTO models (manufacturer_id, name, model_number, modality_id, name_norm) VALUES (?, ?, ?, ?, ?)`,
		mfID, name, number, nullInt(modalityID), strings.ToLower(name))
	d.md[k] = id
	return id, err
}

func (d *dims) facility(ctx context.Context, name string) (int64, error) {
	if name == "" {
		return 0, nil
	}
	if id, ok := d.fa[name]; ok {
		return id, nil
	}
	id, err := d.s.insertID(ctx, d.tx, `INSERT INTO facilities (name, created_at) VALUES (?, ?)`, name, d.s.now())
	d.fa[name] = id
	return id, err
}

func (d *dims) location(ctx context.Context, facilityID int64, name, careArea string) (int64, error) {
	if name == "" || facilityID == 0 {
		return 0, nil
	}
	k := locationKey{facilityID, name}
	if id, ok := d.lo[k]; ok {
		return id, nil
	}
	id, err := d.s.insertID(ctx, d.tx, `INSERT INTO locations (facility_id, name, care_area) VALUES (?, ?, ?)`, facilityID, name, careArea)
	d.lo[k] = id
	return id, err
}

func itoa(v int64) string {
	var buf [20]byte
	i := len(buf)
	neg := v < 0
	if neg {
		v = -v
	}
	for {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}
