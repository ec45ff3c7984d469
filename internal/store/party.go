package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/medsec/medsec"
)

// EnsureParty returns the party of that name, creating it if needed.
func (s *Store) EnsureParty(ctx context.Context, actor medsec.Actor, name string, kind medsec.PartyKind) (*medsec.Party, error) {
	p := &medsec.Party{Name: name, Kind: kind}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var k string
		err := s.queryRow(ctx, tx, `SELECT id, kind FROM parties WHERE name = ?`, name).Scan(&p.ID, &k)
		if err == nil {
			p.Kind = medsec.PartyKind(k)
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		p.ID, err = s.insertID(ctx, tx, `INSERT INTO parties (name, kind, created_at) VALUES (?, ?, ?)`, name, string(kind), s.now())
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "create", "party", p.ID, nil, p)
	})
	return p, err
}

// PartyByName finds a party.
func (s *Store) PartyByName(ctx context.Context, name string) (*medsec.Party, error) {
	p := &medsec.Party{Name: name}
	var k string
	err := s.queryRow(ctx, s.db, `SELECT id, kind FROM parties WHERE name = ?`, name).Scan(&p.ID, &k)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, medsec.Errorf(medsec.ENOTFOUND, "Party %q not found.", name)
	}
	p.Kind = medsec.PartyKind(k)
	return p, err
}

// AddScope puts facilities and/or modalities into a provider party's scope.
func (s *Store) AddScope(ctx context.Context, actor medsec.Actor, r medsec.ScopeRule) error {
	if r.PartyID == 0 {
		return medsec.Errorf(medsec.EINVALID, "A scope rule needs a party.")
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO party_scope (party_id, facility_id, modality_id) VALUES (?, ?, ?)`,
			r.PartyID, nullInt(r.FacilityID), nullInt(r.ModalityID))
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "create", "party_scope", id, nil, r)
	})
}

// Scope lists a party's scope rules with names.
func (s *Store) Scope(ctx context.Context, partyID int64) ([]medsec.ScopeRule, error) {
	rows, err := s.query(ctx, s.db, `SELECT ps.party_id, COALESCE(ps.facility_id, 0), COALESCE(f.name, ''), COALESCE(ps.modality_id, 0), COALESCE(m.name, '')
		FROM party_scope ps LEFT JOIN facilities f ON f.id = ps.facility_id LEFT JOIN modalities m ON m.id = ps.modality_id
		WHERE ps.party_id = ? ORDER BY ps.id`, partyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []medsec.ScopeRule
	for rows.Next() {
		var r medsec.ScopeRule
		if err := rows.Scan(&r.PartyID, &r.FacilityID, &r.Facility, &r.ModalityID, &r.Modality); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
