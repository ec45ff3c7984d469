package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/schedule"
)

// WorkOrderRow is a stored CMMS work order.
type WorkOrderRow struct {
	ID      int64 `json:"id"`
	AssetID int64 `json:"asset_id"`
	schedule.WorkOrder
	Source    string    `json:"source"`
	Row       int       `json:"row,omitempty"`
	Raw       string    `json:"raw,omitempty"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
	// For lists.
	Modality string `json:"modality,omitempty"`
	Facility string `json:"facility,omitempty"`
}

// AssetKeys maps each asset tag (the CMMS key) to its asset id.
func (s *Store) AssetKeys(ctx context.Context) (map[string]int64, error) {
	return s.keyIDs(ctx, `SELECT asset_tag, id FROM assets`)
}

// keyIDs reads a (text key, id) query into a map.
func (s *Store) keyIDs(ctx context.Context, q string, args ...any) (map[string]int64, error) {
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, err
		}
		out[k] = id
	}
	return out, rows.Err()
}

// SaveWorkOrders inserts or updates work orders by key (re-importing the
// same key updates it) in one transaction, with one audit record for the
// batch (source names the file, "ui" or "api"). Every row must have its
// AssetID resolved.
func (s *Store) SaveWorkOrders(ctx context.Context, actor medsec.Actor, source string, wos []WorkOrderRow) (added, updated int, err error) {
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		existing := map[string]bool{}
		const chunk = 400
		for i := 0; i < len(wos); i += chunk {
			part := wos[i:min(i+chunk, len(wos))]
			args := make([]any, len(part))
			for j, w := range part {
				args[j] = w.Key
			}
			rows, err := s.query(ctx, tx, `SELECT wo_key FROM work_orders WHERE wo_key IN (`+placeholders(len(part))+`)`, args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					rows.Close()
					return err
				}
				existing[k] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		now := s.now()
		const per = 200
		for i := 0; i < len(wos); i += per {
			part := wos[i:min(i+per, len(wos))]
			var b strings.Builder
			args := make([]any, 0, len(part)*15)
			b.WriteString(`INSERT INTO work_orders (wo_key, asset_id, asset_key, wo_type, priority, opened, responded, on_site, completed, result, source, row_num, raw, updated_by, updated_at) VALUES `)
			for j, w := range part {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				src := w.Source
				if src == "" {
					src = source
				}
				args = append(args, w.Key, w.AssetID, w.AssetKey, w.Type, w.Priority, fmtTime(w.Opened), fmtTime(w.Responded), fmtTime(w.OnSite),
					fmtTime(w.Completed), w.Result, src, w.Row, w.Raw, actor.Name, now)
				if existing[w.Key] {
					updated++
				} else {
					added++
					existing[w.Key] = true
				}
			}
			b.WriteString(` ON CONFLICT (wo_key) DO UPDATE SET asset_id = excluded.asset_id, asset_key = excluded.asset_key, wo_type = excluded.wo_type,
				priority = excluded.priority, opened = excluded.opened, responded = excluded.responded, on_site = excluded.on_site,
				completed = excluded.completed, result = excluded.result, source = excluded.source, row_num = excluded.row_num, raw = excluded.raw,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`)
			if _, err := s.exec(ctx, tx, b.String(), args...); err != nil {
				return err
			}
		}
		detail := map[string]any{"source": source, "added": added, "updated": updated}
		if len(wos) == 1 {
			detail["work_order"] = wos[0].WorkOrder
		}
		key := ""
		if len(wos) == 1 {
			key = wos[0].Key
		}
		return s.auditKey(ctx, tx, actor, "save", "work_order", key, nil, detail)
	})
	return added, updated, err
}

// WorkOrderFilter selects work orders. Scope limits them to a provider's
// assets, never taken from the request.
type WorkOrderFilter struct {
	Scope   int64
	AssetID int64
	Q       string // key or asset tag prefix
	Open    bool   // not completed
	Key     string // exactly this work order
	// From and To select orders opened in [From, To) (zero: unbounded).
	From, To time.Time
	// Types keeps only orders of these types (as written); ExcludeTypes
	// drops them.
	Types, ExcludeTypes []string
	// ActiveSince keeps orders still open or completed at or after it.
	ActiveSince time.Time
	Limit       int
	Offset      int
}

const woColumns = `w.id, w.asset_id, w.wo_key, w.asset_key, w.wo_type, w.priority, w.opened, w.responded, w.on_site, w.completed, w.result,
	w.source, w.row_num, w.raw, w.updated_by, w.updated_at, COALESCE(mo.name, ''), COALESCE(f.name, '')`

const woJoins = ` FROM work_orders w JOIN assets a ON a.id = w.asset_id
	LEFT JOIN modalities mo ON mo.id = a.modality_id LEFT JOIN facilities f ON f.id = a.facility_id`

func scanWorkOrder(sc interface{ Scan(...any) error }) (WorkOrderRow, error) {
	var w WorkOrderRow
	var op, rs, os, co, up string
	err := sc.Scan(&w.ID, &w.AssetID, &w.Key, &w.AssetKey, &w.Type, &w.Priority, &op, &rs, &os, &co, &w.Result,
		&w.Source, &w.Row, &w.Raw, &w.UpdatedBy, &up, &w.Modality, &w.Facility)
	w.Opened, w.Responded, w.OnSite, w.Completed, w.UpdatedAt = parseTime(op), parseTime(rs), parseTime(os), parseTime(co), parseTime(up)
	return w, err
}

func (s *Store) workOrderWhere(ctx context.Context, f WorkOrderFilter) (string, []any, error) {
	where, args, err := s.assetWhere(ctx, medsec.AssetFilter{ScopePartyID: f.Scope, Kind: "all"})
	if err != nil {
		return "", nil, err
	}
	if f.AssetID != 0 {
		where, args = andWhere(where, "w.asset_id = ?"), append(args, f.AssetID)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		where, args = andWhere(where, "(w.wo_key = ? OR w.asset_key = ?)"), append(args, q, q)
	}
	if f.Open {
		where = andWhere(where, "w.completed = ''")
	}
	if f.Key != "" {
		where, args = andWhere(where, "w.wo_key = ?"), append(args, f.Key)
	}
	if !f.From.IsZero() {
		where, args = andWhere(where, "w.opened >= ?"), append(args, fmtTime(f.From))
	}
	if !f.To.IsZero() {
		where, args = andWhere(where, "w.opened < ?"), append(args, fmtTime(f.To))
	}
	if !f.ActiveSince.IsZero() {
		where, args = andWhere(where, "(w.completed = '' OR w.completed >= ?)"), append(args, fmtTime(f.ActiveSince))
	}
	if f.Types != nil {
		if len(f.Types) == 0 {
			where = andWhere(where, "1 = 0")
		} else {
			where = andWhere(where, "w.wo_type IN ("+placeholders(len(f.Types))+")")
			for _, t := range f.Types {
				args = append(args, t)
			}
		}
	}
	if len(f.ExcludeTypes) > 0 {
		where = andWhere(where, "w.wo_type NOT IN ("+placeholders(len(f.ExcludeTypes))+")")
		for _, t := range f.ExcludeTypes {
			args = append(args, t)
		}
	}
	return where, args, nil
}

// WorkOrderTypes lists the distinct work-order types as stored.
func (s *Store) WorkOrderTypes(ctx context.Context) ([]string, error) {
	rows, err := s.query(ctx, s.db, `SELECT DISTINCT wo_type FROM work_orders ORDER BY wo_type`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// LastCompletions streams, for each asset in scope and each of the given
// work-order types, its last `keep` completions at or before asOf whose
// result is not one of notDone (substrings, lower case: cancelled, could
// not locate…). The database finds them through the (wo_type, asset_id,
// completed) index, a few rows per asset and type, so the schedule engine
// does not read every work order: PostgreSQL in one LATERAL query, SQLite
// (in process, no LATERAL) with one indexed look-up per asset and type.
//
// only, when set, limits the look-ups to the assets it accepts.
func (s *Store) LastCompletions(ctx context.Context, scope int64, types, notDone []string, asOf time.Time, keep int, only func(assetID int64) bool, fn func(WorkOrderRow) error) error {
	if len(types) == 0 {
		return nil
	}
	where, args, err := s.workOrderWhere(ctx, WorkOrderFilter{Scope: scope, Types: types})
	if err != nil {
		return err
	}
	groups := `SELECT DISTINCT w.asset_id, w.wo_type FROM work_orders w JOIN assets a ON a.id = w.asset_id` + where
	if scope == 0 {
		groups = `SELECT DISTINCT w.asset_id, w.wo_type FROM work_orders w WHERE w.wo_type IN (` + placeholders(len(types)) + `)`
		args = args[:0]
		for _, t := range types {
			args = append(args, t)
		}
	}
	cond := "l.completed <> '' AND l.completed <= ?"
	cargs := []any{fmtTime(asOf)}
	for _, nd := range notDone {
		cond += " AND lower(l.result) NOT LIKE ?"
		cargs = append(cargs, "%"+nd+"%")
	}
	pick := `SELECT l.id, l.asset_id, l.wo_key, l.asset_key, l.wo_type, l.opened, l.completed, l.result FROM work_orders l
		WHERE l.asset_id = ? AND l.wo_type = ? AND ` + cond + ` ORDER BY l.completed DESC, l.id DESC LIMIT ?`
	scan := func(rows *sql.Rows) error {
		defer rows.Close()
		for rows.Next() {
			var w WorkOrderRow
			var op, co string
			if err := rows.Scan(&w.ID, &w.AssetID, &w.Key, &w.AssetKey, &w.Type, &op, &co, &w.Result); err != nil {
				return err
			}
			w.Opened, w.Completed = parseTime(op), parseTime(co)
			if err := fn(w); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	if s.dialect == Postgres {
		q := `SELECT l.id, l.asset_id, l.wo_key, l.asset_key, l.wo_type, l.opened, l.completed, l.result FROM (` + groups + `) g
			CROSS JOIN LATERAL (SELECT l.* FROM work_orders l WHERE l.asset_id = g.asset_id AND l.wo_type = g.wo_type AND ` + cond + `
			ORDER BY l.completed DESC, l.id DESC LIMIT ?) l`
		rows, err := s.query(ctx, s.db, q, append(append(args, cargs...), keep)...)
		if err != nil {
			return err
		}
		return scan(rows)
	}
	type group struct {
		asset int64
		typ   string
	}
	var gs []group
	rows, err := s.query(ctx, s.db, groups, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var g group
		if err := rows.Scan(&g.asset, &g.typ); err != nil {
			rows.Close()
			return err
		}
		if only == nil || only(g.asset) {
			gs = append(gs, g)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	stmt, err := conn.PrepareContext(ctx, s.rebind(pick))
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, g := range gs {
		rows, err := stmt.QueryContext(ctx, append(append([]any{g.asset, g.typ}, cargs...), keep)...)
		if err != nil {
			return err
		}
		if err := scan(rows); err != nil {
			return err
		}
	}
	return nil
}

// AssetKeysInScope maps the asset tags of a provider's scope (0: every
// asset) to their ids.
func (s *Store) AssetKeysInScope(ctx context.Context, scope int64) (map[string]int64, error) {
	if scope == 0 {
		return s.AssetKeys(ctx)
	}
	where, args, err := s.assetWhere(ctx, medsec.AssetFilter{ScopePartyID: scope, Kind: "all"})
	if err != nil {
		return nil, err
	}
	return s.keyIDs(ctx, `SELECT a.asset_tag, a.id FROM assets a`+where, args...)
}

// WorkOrderAssets maps each of the given work-order keys that is stored to
// its asset id.
func (s *Store) WorkOrderAssets(ctx context.Context, keys []string) (map[string]int64, error) {
	out := map[string]int64{}
	const chunk = 400
	for i := 0; i < len(keys); i += chunk {
		part := keys[i:min(i+chunk, len(keys))]
		args := make([]any, len(part))
		for j, k := range part {
			args[j] = k
		}
		rows, err := s.query(ctx, s.db, `SELECT wo_key, asset_id FROM work_orders WHERE wo_key IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			var id int64
			if err := rows.Scan(&k, &id); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// WorkOrders lists work orders, newest first, with the total.
func (s *Store) WorkOrders(ctx context.Context, f WorkOrderFilter) ([]WorkOrderRow, int, error) {
	where, args, err := s.workOrderWhere(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.queryRow(ctx, s.db, `SELECT count(*)`+woJoins+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	rows, err := s.query(ctx, s.db, `SELECT `+woColumns+woJoins+where+` ORDER BY w.opened DESC, w.id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []WorkOrderRow{}
	for rows.Next() {
		w, err := scanWorkOrder(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, w)
	}
	return out, total, rows.Err()
}

// EachWorkOrder streams the work orders a filter selects (paging is
// ignored), in no particular order.
func (s *Store) EachWorkOrder(ctx context.Context, f WorkOrderFilter, fn func(WorkOrderRow) error) error {
	where, args, err := s.workOrderWhere(ctx, f)
	if err != nil {
		return err
	}
	rows, err := s.query(ctx, s.db, `SELECT w.id, w.asset_id, w.wo_key, w.asset_key, w.wo_type, w.priority, w.opened, w.responded, w.on_site, w.completed, w.result
		FROM work_orders w JOIN assets a ON a.id = w.asset_id`+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var w WorkOrderRow
		var op, rs, os, co string
		if err := rows.Scan(&w.ID, &w.AssetID, &w.Key, &w.AssetKey, &w.Type, &w.Priority, &op, &rs, &os, &co, &w.Result); err != nil {
			return err
		}
		w.Opened, w.Responded, w.OnSite, w.Completed = parseTime(op), parseTime(rs), parseTime(os), parseTime(co)
		if err := fn(w); err != nil {
			return err
		}
	}
	return rows.Err()
}

// WorkOrder returns one work order by id, within scope.
func (s *Store) WorkOrder(ctx context.Context, id, scope int64) (WorkOrderRow, error) {
	where, args, err := s.workOrderWhere(ctx, WorkOrderFilter{Scope: scope})
	if err != nil {
		return WorkOrderRow{}, err
	}
	w, err := scanWorkOrder(s.queryRow(ctx, s.db, `SELECT `+woColumns+woJoins+andWhere(where, "w.id = ?"), append(args, id)...))
	if errors.Is(err, sql.ErrNoRows) {
		return w, medsec.Errorf(medsec.ENOTFOUND, "Work order %d not found.", id)
	}
	return w, err
}

// WorkOrderByKey returns one work order by its CMMS key, within scope.
func (s *Store) WorkOrderByKey(ctx context.Context, key string, scope int64) (WorkOrderRow, error) {
	var id int64
	err := s.queryRow(ctx, s.db, `SELECT id FROM work_orders WHERE wo_key = ?`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return WorkOrderRow{}, medsec.Errorf(medsec.ENOTFOUND, "Work order %q not found.", key)
	}
	if err != nil {
		return WorkOrderRow{}, err
	}
	return s.WorkOrder(ctx, id, scope)
}

// PauseRow is one stored pause of an SLA event. EventID is a work-order key
// or "F<finding id>-triage" / "F<finding id>-patch".
type PauseRow struct {
	ID        int64     `json:"id"`
	EventID   string    `json:"event_id"`
	Reason    string    `json:"reason"`
	Note      string    `json:"note,omitempty"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to,omitzero"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// AddPause stores a pause.
func (s *Store) AddPause(ctx context.Context, actor medsec.Actor, p PauseRow) (int64, error) {
	if strings.TrimSpace(p.Reason) == "" {
		return 0, medsec.Errorf(medsec.EINVALID, "A pause needs a reason: every pause must say why the clock stopped.")
	}
	if p.From.IsZero() {
		return 0, medsec.Errorf(medsec.EINVALID, "A pause needs a start time.")
	}
	if !p.To.IsZero() && p.To.Before(p.From) {
		return 0, medsec.Errorf(medsec.EINVALID, "A pause cannot end before it starts.")
	}
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.insertID(ctx, tx, `INSERT INTO sla_pauses (event_id, reason, note, from_at, to_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.EventID, p.Reason, p.Note, fmtTime(p.From), fmtTime(p.To), actor.Name, s.now())
		if err != nil {
			return err
		}
		p.ID = id
		return s.audit(ctx, tx, actor, "create", "sla_pause", id, nil, p)
	})
	return id, err
}

// EndPause ends an open pause at a time.
func (s *Store) EndPause(ctx context.Context, actor medsec.Actor, id int64, at time.Time) (PauseRow, error) {
	var p PauseRow
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var from, to, created string
		err := s.queryRow(ctx, tx, `SELECT id, event_id, reason, note, from_at, to_at, created_by, created_at FROM sla_pauses WHERE id = ?`, id).
			Scan(&p.ID, &p.EventID, &p.Reason, &p.Note, &from, &to, &p.CreatedBy, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return medsec.Errorf(medsec.ENOTFOUND, "Pause %d not found.", id)
		} else if err != nil {
			return err
		}
		p.From, p.To, p.CreatedAt = parseTime(from), parseTime(to), parseTime(created)
		if !p.To.IsZero() {
			return medsec.Errorf(medsec.ECONFLICT, "Pause %d already ended at %s.", id, p.To.Format(time.RFC3339))
		}
		if at.Before(p.From) {
			return medsec.Errorf(medsec.EINVALID, "A pause cannot end before it starts (%s).", p.From.Format(time.RFC3339))
		}
		before := p
		p.To = at
		if _, err := s.exec(ctx, tx, `UPDATE sla_pauses SET to_at = ? WHERE id = ?`, fmtTime(at), id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "end", "sla_pause", id, before, p)
	})
	return p, err
}

// Pauses returns the pauses of the given events (all pauses if none given).
func (s *Store) Pauses(ctx context.Context, eventIDs ...string) ([]PauseRow, error) {
	q := `SELECT id, event_id, reason, note, from_at, to_at, created_by, created_at FROM sla_pauses`
	args := make([]any, len(eventIDs))
	for i, e := range eventIDs {
		args[i] = e
	}
	if len(eventIDs) > 0 {
		q += ` WHERE event_id IN (` + placeholders(len(eventIDs)) + `)`
	}
	rows, err := s.query(ctx, s.db, q+` ORDER BY from_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []PauseRow{}
	for rows.Next() {
		var p PauseRow
		var from, to, created string
		if err := rows.Scan(&p.ID, &p.EventID, &p.Reason, &p.Note, &from, &to, &p.CreatedBy, &created); err != nil {
			return nil, err
		}
		p.From, p.To, p.CreatedAt = parseTime(from), parseTime(to), parseTime(created)
		out = append(out, p)
	}
	return out, rows.Err()
}
