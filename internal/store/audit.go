package store

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/medsec/medsec"
)

// audit writes one audit record inside the caller's transaction, so that a
// change and its record land together or not at all.
func (s *Store) audit(ctx context.Context, q querier, actor medsec.Actor, action, entity string, entityID int64, before, after any) error {
	id := ""
	if entityID != 0 {
		id = strconv.FormatInt(entityID, 10)
	}
	return s.auditKey(ctx, q, actor, action, entity, id, before, after)
}

func (s *Store) auditKey(ctx context.Context, q querier, actor medsec.Actor, action, entity, entityID string, before, after any) error {
	b, err := jsonOrNil(before)
	if err != nil {
		return err
	}
	a, err := jsonOrNil(after)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, q, `INSERT INTO audit_log (at, user_id, actor, action, entity, entity_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.now(), nullInt(actor.UserID), actor.Name, action, entity, entityID, b, a)
	return err
}

func jsonOrNil(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Audit records an event that is not itself a row change (a login, an export).
func (s *Store) Audit(ctx context.Context, actor medsec.Actor, action, entity, entityID string, detail any) error {
	return s.auditKey(ctx, s.db, actor, action, entity, entityID, nil, detail)
}

// FindAudit returns audit entries, newest first, and the total.
func (s *Store) FindAudit(ctx context.Context, f medsec.AuditFilter) ([]medsec.AuditEntry, int, error) {
	if f.Page < 1 {
		f.Page = 1
	}
	if f.PerPage <= 0 || f.PerPage > 500 {
		f.PerPage = 100
	}
	where, args := " WHERE 1=1", []any{}
	for col, v := range map[string]string{"actor": f.Actor, "entity": f.Entity, "action": f.Action} {
		if v != "" {
			where += " AND " + col + " = ?"
			args = append(args, v)
		}
	}
	var total int
	if err := s.queryRow(ctx, s.db, "SELECT count(*) FROM audit_log"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.query(ctx, s.db, `SELECT id, at, COALESCE(user_id, 0), actor, action, entity, entity_id, COALESCE(before, ''), COALESCE(after, '')
		FROM audit_log`+where+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []medsec.AuditEntry
	for rows.Next() {
		var e medsec.AuditEntry
		var at, before, after string
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &before, &after); err != nil {
			return nil, 0, err
		}
		e.At = parseTime(at)
		if before != "" {
			e.Before = json.RawMessage(before)
		}
		if after != "" {
			e.After = json.RawMessage(after)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}
