package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/medsec/medsec"
)

// ExceptionRow is a risk exception on an asset or a make/model: a decision
// with compensating controls, asked for by one person and approved by
// another, until an expiry.
type ExceptionRow struct {
	ID          int64     `json:"id"`
	AssetID     int64     `json:"asset_id,omitempty"`
	ModelID     int64     `json:"model_id,omitempty"`
	Decision    string    `json:"decision"`
	Reason      string    `json:"reason"`
	Controls    []string  `json:"controls"`
	Requester   string    `json:"requester"`
	RequestedAt time.Time `json:"requested_at"`
	Approver    string    `json:"approver,omitempty"`
	ApprovedAt  time.Time `json:"approved_at,omitzero"`
	Expiry      time.Time `json:"expiry"`
	RevokedAt   time.Time `json:"revoked_at,omitzero"`
	// For display.
	AssetTag     string `json:"asset_tag,omitempty"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Model        string `json:"model,omitempty"`
}

// RequestException stores a new, unapproved risk exception. The requester
// is the actor.
func (s *Store) RequestException(ctx context.Context, actor medsec.Actor, e ExceptionRow) (int64, error) {
	switch {
	case (e.AssetID == 0) == (e.ModelID == 0):
		return 0, medsec.Errorf(medsec.EINVALID, "A risk exception applies to one asset or one make/model.")
	case strings.TrimSpace(e.Reason) == "":
		return 0, medsec.Errorf(medsec.EINVALID, "A risk exception needs a reason.")
	case e.Expiry.IsZero():
		return 0, medsec.Errorf(medsec.EINVALID, "A risk exception needs an expiry.")
	}
	switch e.Decision {
	case "accept", "reduce", "avoid", "transfer":
	default:
		return 0, medsec.Errorf(medsec.EINVALID, "Decision %q is not accept, reduce, avoid or transfer.", e.Decision)
	}
	if e.Controls == nil {
		e.Controls = []string{}
	}
	e.Requester = actor.Name
	e.RequestedAt = s.Now().UTC()
	if !e.Expiry.After(e.RequestedAt) {
		return 0, medsec.Errorf(medsec.EINVALID, "The expiry %s is already past.", e.Expiry.Format("2006-01-02"))
	}
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		ctl, _ := json.Marshal(e.Controls)
		var err error
		id, err = s.insertID(ctx, tx, `INSERT INTO risk_exceptions (asset_id, model_id, decision, reason, controls, requester, requested_at, expiry)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, nullInt(e.AssetID), nullInt(e.ModelID), e.Decision, e.Reason, string(ctl), e.Requester,
			fmtTime(e.RequestedAt), fmtTime(e.Expiry))
		if err != nil {
			return err
		}
		e.ID = id
		return s.audit(ctx, tx, actor, "request", "risk_exception", id, nil, e)
	})
	return id, err
}

// ApproveException approves a pending exception. The approver (the actor)
// may not be its requester.
func (s *Store) ApproveException(ctx context.Context, actor medsec.Actor, id int64) (ExceptionRow, error) {
	var e ExceptionRow
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		e, err = s.exception(ctx, tx, id)
		if err != nil {
			return err
		}
		switch {
		case e.Approver != "":
			return medsec.Errorf(medsec.ECONFLICT, "Risk exception %d was already approved by %s.", id, e.Approver)
		case e.Requester == actor.Name:
			return medsec.Errorf(medsec.EFORBIDDEN, "Risk exception %d was requested by %s; a second person must approve it.", id, actor.Name)
		case !e.Expiry.After(s.Now()):
			return medsec.Errorf(medsec.EINVALID, "Risk exception %d has already expired.", id)
		}
		before := e
		e.Approver, e.ApprovedAt = actor.Name, s.Now().UTC()
		if _, err := s.exec(ctx, tx, `UPDATE risk_exceptions SET approver = ?, approved_at = ? WHERE id = ?`, e.Approver, fmtTime(e.ApprovedAt), id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "approve", "risk_exception", id, before, e)
	})
	return e, err
}

// RevokeException ends an exception early.
func (s *Store) RevokeException(ctx context.Context, actor medsec.Actor, id int64) (ExceptionRow, error) {
	var e ExceptionRow
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		if e, err = s.exception(ctx, tx, id); err != nil {
			return err
		}
		if !e.RevokedAt.IsZero() {
			return medsec.Errorf(medsec.ECONFLICT, "Risk exception %d is already revoked.", id)
		}
		before := e
		e.RevokedAt = s.Now().UTC()
		if _, err := s.exec(ctx, tx, `UPDATE risk_exceptions SET revoked_at = ? WHERE id = ?`, fmtTime(e.RevokedAt), id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "revoke", "risk_exception", id, before, e)
	})
	return e, err
}

const excColumns = `x.id, COALESCE(x.asset_id, 0), COALESCE(x.model_id, 0), x.decision, x.reason, x.controls, x.requester, x.requested_at,
	x.approver, x.approved_at, x.expiry, x.revoked_at, COALESCE(a.asset_tag, ''), COALESCE(mf.name, ''), COALESCE(md.name, '')`

const excJoins = ` FROM risk_exceptions x LEFT JOIN assets a ON a.id = x.asset_id
	LEFT JOIN models md ON md.id = COALESCE(x.model_id, a.model_id) LEFT JOIN manufacturers mf ON mf.id = md.manufacturer_id`

func scanException(sc interface{ Scan(...any) error }) (ExceptionRow, error) {
	var e ExceptionRow
	var ctl, req, appr, exp, rev string
	err := sc.Scan(&e.ID, &e.AssetID, &e.ModelID, &e.Decision, &e.Reason, &ctl, &e.Requester, &req, &e.Approver, &appr, &exp, &rev,
		&e.AssetTag, &e.Manufacturer, &e.Model)
	json.Unmarshal([]byte(ctl), &e.Controls)
	e.RequestedAt, e.ApprovedAt, e.Expiry, e.RevokedAt = parseTime(req), parseTime(appr), parseTime(exp), parseTime(rev)
	return e, err
}

func (s *Store) exception(ctx context.Context, q querier, id int64) (ExceptionRow, error) {
	e, err := scanException(s.queryRow(ctx, q, `SELECT `+excColumns+excJoins+` WHERE x.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, medsec.Errorf(medsec.ENOTFOUND, "Risk exception %d not found.", id)
	}
	return e, err
}

// Exceptions lists risk exceptions, soonest expiry first. A provider
// (scope ≠ 0) sees exceptions on its assets and on models it services.
func (s *Store) Exceptions(ctx context.Context, scope int64) ([]ExceptionRow, error) {
	where, args := "", []any{}
	if scope != 0 {
		w, a, err := s.assetWhere(ctx, medsec.AssetFilter{ScopePartyID: scope, Kind: "all"})
		if err != nil {
			return nil, err
		}
		where = ` WHERE EXISTS (SELECT 1 FROM assets a` + andWhere(w, "(a.id = x.asset_id OR a.model_id = x.model_id)") + `)`
		args = a
	}
	rows, err := s.query(ctx, s.db, `SELECT `+excColumns+excJoins+where+` ORDER BY x.expiry, x.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ExceptionRow{}
	for rows.Next() {
		e, err := scanException(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
