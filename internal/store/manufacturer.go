package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/normalize"
)

// Alias is one spelling of a manufacturer's name.
type Alias struct {
	Alias        string `json:"alias"`
	Manufacturer string `json:"manufacturer"`
	Origin       string `json:"origin"` // shipped, import, user
}

// AddAlias teaches medsec that alias names the manufacturer canonical
// (created if new). Later imports use it; existing assets keep theirs until
// their rows are imported again.
func (s *Store) AddAlias(ctx context.Context, actor medsec.Actor, alias, canonical string) error {
	alias, canonical = strings.TrimSpace(alias), strings.TrimSpace(canonical)
	key := normalize.Key(alias)
	if key == "" || canonical == "" {
		return medsec.Errorf(medsec.EINVALID, "Both the alias and the manufacturer are required.")
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := s.queryRow(ctx, tx, `SELECT id FROM manufacturers WHERE name = ?`, canonical).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			if id, err = s.insertID(ctx, tx, `INSERT INTO manufacturers (name) VALUES (?)`, canonical); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		var before *Alias
		var old Alias
		if err := s.queryRow(ctx, tx, `SELECT a.alias, m.name, a.origin FROM manufacturer_aliases a JOIN manufacturers m ON m.id = a.manufacturer_id WHERE a.alias_norm = ?`, key).
			Scan(&old.Alias, &old.Manufacturer, &old.Origin); err == nil {
			before = &old
			if _, err := s.exec(ctx, tx, `DELETE FROM manufacturer_aliases WHERE alias_norm = ?`, key); err != nil {
				return err
			}
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO manufacturer_aliases (alias_norm, alias, manufacturer_id, origin) VALUES (?, ?, ?, 'user')`, key, alias, id); err != nil {
			return err
		}
		var b any
		if before != nil {
			b = before
		}
		return s.auditKey(ctx, tx, actor, "update", "manufacturer_alias", key, b, Alias{Alias: alias, Manufacturer: canonical, Origin: "user"})
	})
}

// Aliases lists the stored spellings, by manufacturer.
func (s *Store) Aliases(ctx context.Context) ([]Alias, error) {
	rows, err := s.query(ctx, s.db, `SELECT a.alias, m.name, a.origin FROM manufacturer_aliases a JOIN manufacturers m ON m.id = a.manufacturer_id ORDER BY m.name, a.alias`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Alias
	for rows.Next() {
		var a Alias
		if err := rows.Scan(&a.Alias, &a.Manufacturer, &a.Origin); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// UserAliases maps folded alias → manufacturer for the aliases users added;
// they take precedence over the shipped dictionary.
func (s *Store) UserAliases(ctx context.Context) (map[string]string, error) {
	rows, err := s.query(ctx, s.db, `SELECT a.alias_norm, m.name FROM manufacturer_aliases a JOIN manufacturers m ON m.id = a.manufacturer_id WHERE a.origin = 'user'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}
