package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/normalize"
)

// AssetFields are the asset columns one CMMS row sets. The importer has
// already canonicalised names; the store only resolves them to ids.
type AssetFields struct {
	Tag               string
	Serial            string
	Manufacturer      string // canonical name
	ManufacturerAlias string // as written in the file
	Model             string
	ModelNumber       string
	ModalityCode      string
	ModalityName      string
	Facility          string
	Department        string
	CareArea          string
	Room              string
	Status            string
	Hostname          string
	IP                string
	MAC               string
	Firmware          string
	EM                *int
	AcquiredOn        string
}

// Ident is a source record's identity, normalised at import so that the
// correlation engine reads columns, not raw rows.
type Ident struct {
	SerialNorm, MAC, IP, HostnameNorm string
	Manufacturer, Model, AssetTag     string
	Class, Facility, Firmware         string
	FirstSeen, LastSeen               string // RFC 3339 or ""
}

// ImportRecord is one validated row ready to apply.
type ImportRecord struct {
	RowNum int
	Key    string
	// Raw is the row verbatim: a JSON array of its cells in the file's
	// column order when the import names the columns (ImportOptions.Header),
	// else a JSON object.
	Raw   string
	Hash  string // of the row as an object (RawObject); equal hashes mean an unchanged row
	Ident Ident
	Asset *AssetFields // set for the CMMS, the system of record
}

// RejectedRow is a row an import skipped (--skip-bad-rows), kept verbatim.
type RejectedRow struct {
	RowNum  int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Problem string `json:"problem"`
	Raw     string `json:"raw"`
}

// ImportProgress is called after every chunk with the rows applied so far.
type ImportProgress func(rows int)

// ImportOptions are the optional parts of an import.
type ImportOptions struct {
	Progress ImportProgress
	// Rejected, called after the last row, returns the rows to keep in
	// the rejected-rows table.
	Rejected func() []RejectedRow
	// Assets says the rows make assets (the CMMS): an initial load then
	// rebuilds the asset indexes after the rows are in.
	Assets bool
	// Header names the file's columns, in order; records' Raw are then
	// arrays of cells in that order. It is kept once, on the batch.
	Header []string
	// KeepMissing leaves records missing from this file alone (for
	// cumulative sources such as Zeek presence logs) instead of marking
	// them gone.
	KeepMissing bool
}

type existingRecord struct {
	id, assetID int64
	hash        string
	seen        bool
	gone        bool
}

const importChunk = 250

// analyzeAfter: imports and correlation runs that change at least this many
// rows refresh the planner's statistics.
const analyzeAfter = 5000

// Import applies one source file as one batch in one transaction: all of it
// or none of it. next yields records until io.EOF; any other error from next
// (for example, the validation problems the importer collected) rolls the
// whole batch back. Rows whose key was imported before are compared by hash:
// unchanged rows cost nothing, changed rows keep their previous version, and
// keys missing from this file are marked gone.
func (s *Store) Import(ctx context.Context, actor medsec.Actor, b *medsec.ImportBatch, next func() (*ImportRecord, error), opt *ImportOptions) error {
	if opt == nil {
		opt = &ImportOptions{}
	}
	progress := opt.Progress
	defer func() {
		if b.New+b.Changed >= analyzeAfter && b.ID != 0 {
			if opt.Assets {
				s.Analyze(context.WithoutCancel(ctx))
			} else {
				s.analyzeRecords(context.WithoutCancel(ctx))
			}
		}
	}()
	return s.withImportTx(ctx, func(tx *sql.Tx) error {
		b.StartedAt = s.Now()
		b.Actor = actor.Name
		var header string
		if opt.Header != nil {
			h, err := json.Marshal(opt.Header)
			if err != nil {
				return err
			}
			header = string(h)
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO import_batches (system, system_name, file_name, format, encoding, key_column, actor, started_at, header) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			b.System, b.SystemName, b.FileName, b.Format, b.Encoding, b.KeyColumn, actor.Name, fmtTime(b.StartedAt), header)
		if err != nil {
			return err
		}
		b.ID = id
		existing, err := s.loadExisting(ctx, tx, b.System)
		if err != nil {
			return err
		}
		d, err := s.loadDims(ctx, tx)
		if err != nil {
			return err
		}
		var saved []savedDDL
		if opt.Assets {
			if initial, err := s.isInitialLoad(ctx, tx); err != nil {
				return err
			} else if initial {
				if saved, err = s.dropSecondaryIndexes(ctx, tx, "assets"); err != nil {
					return err
				}
				// Seven key checks for a CMMS row, ~6 µs each on PostgreSQL.
				fks, err := s.dropForeignKeys(ctx, tx, "assets", "source_records", "source_raw")
				if err != nil {
					return err
				}
				saved = append(saved, fks...) // re-added after the indexes they use
			}
		}
		w := &batchWriter{s: s, tx: tx, d: d, batch: b}
		defer w.close()
		for {
			rec, err := next()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return err
			}
			b.Rows++
			if old, ok := existing[rec.Key]; ok {
				old.seen = true
				if old.hash == rec.Hash && !old.gone {
					b.Unchanged++
					continue
				}
				b.Changed++
				if err := w.update(ctx, old, rec); err != nil {
					return err
				}
			} else {
				b.New++
				w.pending = append(w.pending, rec)
				if len(w.pending) >= importChunk {
					if err := w.flush(ctx); err != nil {
						return err
					}
				}
			}
			if progress != nil && b.Rows%1000 == 0 {
				progress(b.Rows)
			}
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		if err := s.recreate(ctx, tx, saved); err != nil {
			return err
		}
		if progress != nil {
			progress(b.Rows)
		}
		if !opt.KeepMissing {
			if b.Rows == 0 && len(existing) > 0 {
				return medsec.Errorf(medsec.EINVALID, "%s has no rows: importing it would mark all %d %s records as gone. Check the export; nothing was changed.", b.FileName, len(existing), b.System)
			}
			if err := s.markGone(ctx, tx, b, existing); err != nil {
				return err
			}
		}
		if opt.Rejected != nil {
			if err := s.saveRejected(ctx, tx, b, opt.Rejected()); err != nil {
				return err
			}
		}
		b.FinishedAt = s.Now()
		if _, err := s.exec(ctx, tx, `UPDATE import_batches SET finished_at = ?, rows_total = ?, rows_new = ?, rows_changed = ?, rows_unchanged = ?, rows_gone = ?, rows_rejected = ? WHERE id = ?`,
			fmtTime(b.FinishedAt), b.Rows, b.New, b.Changed, b.Unchanged, b.Gone, b.Rejected, b.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "import", "import_batch", b.ID, nil, b)
	})
}

func (s *Store) loadExisting(ctx context.Context, tx *sql.Tx, system string) (map[string]*existingRecord, error) {
	rows, err := s.query(ctx, tx, `SELECT id, record_key, row_hash, COALESCE(asset_id, 0), gone_batch_id IS NOT NULL FROM source_records WHERE system = ?`, system)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*existingRecord{}
	for rows.Next() {
		var key string
		r := &existingRecord{}
		if err := rows.Scan(&r.id, &key, &r.hash, &r.assetID, &r.gone); err != nil {
			return nil, err
		}
		out[key] = r
	}
	return out, rows.Err()
}

func (s *Store) markGone(ctx context.Context, tx *sql.Tx, b *medsec.ImportBatch, existing map[string]*existingRecord) error {
	var ids []any
	for _, r := range existing {
		if !r.seen && !r.gone {
			ids = append(ids, r.id)
		}
	}
	b.Gone = len(ids)
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := append([]any{b.ID}, ids[:n]...)
		if _, err := s.exec(ctx, tx, `UPDATE source_records SET gone_batch_id = ? WHERE id IN (`+placeholders(n)+`)`, args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// batchWriter buffers new records and writes them a chunk at a time: on
// PostgreSQL as multi-row INSERTs (an order of magnitude faster than single
// rows over the network), on SQLite through prepared statements
// (flushPrepared).
type batchWriter struct {
	s       *Store
	tx      *sql.Tx
	d       *dims
	batch   *medsec.ImportBatch
	pending []*ImportRecord
	// prepared inserts (SQLite): one asset row; a chunk of records and raw rows
	insAsset, insRecord, insRaw *sql.Stmt
	nextID                      int64  // of the next new source record (SQLite)
	now                         string // the rows' created and updated time, set per chunk
}

const assetInsertCols = `(asset_tag, tag_norm, serial, serial_norm, manufacturer_id, model_id, modality_id, facility_id, location_id,
	room, status, hostname, hostname_norm, ip, mac, firmware, em_number, acquired_on, src_hash, created_at, updated_at)`

func (w *batchWriter) assetArgs(ctx context.Context, a *AssetFields, hash string) ([]any, error) {
	mf, err := w.d.manufacturer(ctx, a.Manufacturer, a.ManufacturerAlias)
	if err != nil {
		return nil, err
	}
	mo, err := w.d.modality(ctx, a.ModalityCode, a.ModalityName)
	if err != nil {
		return nil, err
	}
	md, err := w.d.model(ctx, mf, mo, a.Model, a.ModelNumber)
	if err != nil {
		return nil, err
	}
	fa, err := w.d.facility(ctx, a.Facility)
	if err != nil {
		return nil, err
	}
	lo, err := w.d.location(ctx, fa, a.Department, a.CareArea)
	if err != nil {
		return nil, err
	}
	var em any
	if a.EM != nil {
		em = *a.EM
	}
	now := w.now
	if now == "" {
		now = w.s.now()
	}
	return []any{a.Tag, strings.ToLower(strings.TrimSpace(a.Tag)), a.Serial, normalize.Serial(a.Serial), nullInt(mf), nullInt(md), nullInt(mo), nullInt(fa), nullInt(lo),
		a.Room, a.Status, a.Hostname, normalize.Hostname(a.Hostname), normalize.IP(a.IP), normalize.MAC(a.MAC), a.Firmware, em, a.AcquiredOn, hash, now, now}, nil
}

func (w *batchWriter) flush(ctx context.Context) error {
	if len(w.pending) == 0 {
		return nil
	}
	w.now = w.s.now()
	defer func() { w.now = "" }()
	if w.s.dialect == SQLite {
		return w.flushPrepared(ctx)
	}
	assetIDs := map[string]int64{}
	var args []any
	n := 0
	for _, r := range w.pending {
		if r.Asset == nil {
			continue
		}
		a, err := w.assetArgs(ctx, r.Asset, r.Hash)
		if err != nil {
			return err
		}
		args = append(args, a...)
		n++
	}
	if n > 0 {
		row := "(" + placeholders(21) + ")"
		q := `INSERT INTO assets ` + assetInsertCols + ` VALUES ` + strings.TrimSuffix(strings.Repeat(row+",", n), ",") +
			` ON CONFLICT (asset_tag) DO UPDATE SET updated_at = excluded.updated_at RETURNING id, asset_tag`
		rows, err := w.s.query(ctx, w.tx, q, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var tag string
			if err := rows.Scan(&id, &tag); err != nil {
				rows.Close()
				return err
			}
			assetIDs[tag] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	args = args[:0]
	for _, r := range w.pending {
		var assetID int64
		if r.Asset != nil {
			assetID = assetIDs[r.Asset.Tag]
		}
		args = append(args, w.batch.System, r.Key, w.batch.ID, r.RowNum, r.Hash, nullInt(assetID))
		args = append(args, identArgs(r.Ident)...)
	}
	q := `INSERT INTO source_records (system, record_key, batch_id, row_num, row_hash, asset_id, ` + identCols + `) VALUES ` +
		strings.TrimSuffix(strings.Repeat("("+placeholders(6+identN)+"),", len(w.pending)), ",") + ` RETURNING id, record_key`
	rows, err := w.s.query(ctx, w.tx, q, args...)
	if err != nil {
		return err
	}
	ids := make(map[string]int64, len(w.pending))
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			rows.Close()
			return err
		}
		ids[key] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	args = args[:0]
	for _, r := range w.pending {
		args = append(args, ids[r.Key], r.Raw)
	}
	if _, err := w.s.exec(ctx, w.tx, `INSERT INTO source_raw (record_id, raw) VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?),", len(w.pending)), ","), args...); err != nil {
		return err
	}
	w.pending = w.pending[:0]
	return nil
}

// flushPrepared writes a chunk of new records on SQLite. Assets and
// records go in one row per execution of a prepared statement: an asset's
// id comes from LastInsertId (an asset whose tag already exists, only
// possible if its source record was removed by hand, is reused); records
// take ids the batch numbers itself (it holds the write lock, so the next
// id is the table's largest plus one). A multi-row INSERT into a table
// with indexes copies every page it touches into a statement journal
// first, OR IGNORE or not: for source records, whose key index pages a
// chunk touches at random, that was 1.3 GB of journal writes per 300k
// rows with 16 KiB pages, and one row a statement imported a 1M-device
// CMDB or monitoring export in 12.8-15.1 s vs 16.0-21.4 s (four pairs;
// the CMMS import, equal). Raw rows, in a table with no index, still go
// in as one multi-row INSERT a chunk, which needs no journal. A record or
// raw row SQLite ignored, which nothing should cause, fails the import.
func (w *batchWriter) flushPrepared(ctx context.Context) error {
	if w.insAsset == nil {
		var err error
		if w.insAsset, err = w.tx.PrepareContext(ctx, `INSERT INTO assets `+assetInsertCols+` VALUES (`+placeholders(21)+`) ON CONFLICT (asset_tag) DO NOTHING`); err != nil {
			return err
		}
		if w.insRecord, err = w.tx.PrepareContext(ctx, `INSERT OR IGNORE INTO source_records (id, system, record_key, batch_id, row_num, row_hash, asset_id, `+identCols+`) VALUES (`+placeholders(7+identN)+`)`); err != nil {
			return err
		}
		if err := w.tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) + 1 FROM source_records`).Scan(&w.nextID); err != nil {
			return err
		}
	}
	n := len(w.pending)
	recArgs := make([]any, 0, 7+identN)
	rawArgs := make([]any, 0, n*2)
	for _, r := range w.pending {
		var assetID int64
		if r.Asset != nil {
			a, err := w.assetArgs(ctx, r.Asset, r.Hash)
			if err != nil {
				return err
			}
			res, err := w.insAsset.ExecContext(ctx, a...)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				assetID, _ = res.LastInsertId()
			} else if err := w.s.queryRow(ctx, w.tx, `SELECT id FROM assets WHERE asset_tag = ?`, r.Asset.Tag).Scan(&assetID); err != nil {
				return err
			}
		}
		id := w.nextID
		w.nextID++
		recArgs = append(recArgs[:0], id, w.batch.System, r.Key, w.batch.ID, r.RowNum, r.Hash, nullInt(assetID))
		recArgs = append(recArgs, identArgs(r.Ident)...)
		res, err := w.insRecord.ExecContext(ctx, recArgs...)
		if err != nil {
			return err
		}
		if got, err := res.RowsAffected(); err != nil {
			return err
		} else if got != 1 {
			return fmt.Errorf("import: the source record of row %d (key %q) was not written (its key or id already taken?); nothing was changed", r.RowNum, r.Key)
		}
		rawArgs = append(rawArgs, id, r.Raw)
	}
	raw := w.insRaw
	if n != importChunk || raw == nil {
		var err error
		if raw, err = w.tx.PrepareContext(ctx, `INSERT OR IGNORE INTO source_raw (record_id, raw) VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?),", n), ",")); err != nil {
			return err
		}
		if n == importChunk {
			w.insRaw = raw
		} else {
			defer raw.Close()
		}
	}
	res, err := raw.ExecContext(ctx, rawArgs...)
	if err != nil {
		return err
	}
	if got, err := res.RowsAffected(); err != nil {
		return err
	} else if got != int64(n) {
		return fmt.Errorf("import: %d of %d raw rows were written (a record id already taken?); nothing was changed", got, n)
	}
	w.pending = w.pending[:0]
	return nil
}

func (w *batchWriter) close() {
	for _, st := range []*sql.Stmt{w.insAsset, w.insRecord, w.insRaw} {
		if st != nil {
			st.Close()
		}
	}
}

// update applies a changed row: the old version is kept, the record and its
// asset take the new values.
func (w *batchWriter) update(ctx context.Context, old *existingRecord, r *ImportRecord) error {
	s, tx := w.s, w.tx
	if _, err := s.exec(ctx, tx, `INSERT INTO source_record_versions (record_id, batch_id, row_num, raw)
		SELECT r.id, r.batch_id, r.row_num, w.raw FROM source_records r JOIN source_raw w ON w.record_id = r.id WHERE r.id = ?`, old.id); err != nil {
		return err
	}
	if _, err := s.exec(ctx, tx, `INSERT INTO source_raw (record_id, raw) VALUES (?, ?) ON CONFLICT (record_id) DO UPDATE SET raw = excluded.raw`, old.id, r.Raw); err != nil {
		return err
	}
	assetID := old.assetID
	if r.Asset != nil {
		a, err := w.assetArgs(ctx, r.Asset, r.Hash)
		if err != nil {
			return err
		}
		if assetID != 0 {
			_, err = s.exec(ctx, tx, `UPDATE assets SET asset_tag = ?, tag_norm = ?, serial = ?, serial_norm = ?, manufacturer_id = ?, model_id = ?,
				modality_id = ?, facility_id = ?, location_id = ?, room = ?, status = ?, hostname = ?, hostname_norm = ?, ip = ?, mac = ?,
				firmware = ?, em_number = ?, acquired_on = ?, src_hash = ?, updated_at = ? WHERE id = ?`, append(a[:19], a[20], assetID)...)
		} else {
			assetID, err = s.insertID(ctx, tx, `INSERT INTO assets `+assetInsertCols+` VALUES (`+placeholders(21)+`)`, a...)
		}
		if err != nil {
			return err
		}
	}
	args := append([]any{w.batch.ID, r.RowNum, r.Hash, nullInt(assetID)}, identArgs(r.Ident)...)
	_, err := s.exec(ctx, tx, `UPDATE source_records SET batch_id = ?, row_num = ?, row_hash = ?, asset_id = ?, `+identSet+`, gone_batch_id = NULL WHERE id = ?`,
		append(args, old.id)...)
	return err
}

// Batches lists import batches, newest first.
func (s *Store) Batches(ctx context.Context, limit int) ([]medsec.ImportBatch, error) {
	return s.batches(ctx, `ORDER BY id DESC LIMIT ?`, limit)
}

func (s *Store) batches(ctx context.Context, tail string, args ...any) ([]medsec.ImportBatch, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, system, system_name, file_name, format, encoding, key_column, actor, started_at, finished_at,
		rows_total, rows_new, rows_changed, rows_unchanged, rows_gone, rows_rejected FROM import_batches `+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []medsec.ImportBatch
	for rows.Next() {
		var b medsec.ImportBatch
		var st, fi string
		if err := rows.Scan(&b.ID, &b.System, &b.SystemName, &b.FileName, &b.Format, &b.Encoding, &b.KeyColumn, &b.Actor, &st, &fi,
			&b.Rows, &b.New, &b.Changed, &b.Unchanged, &b.Gone, &b.Rejected); err != nil {
			return nil, err
		}
		b.StartedAt, b.FinishedAt = parseTime(st), parseTime(fi)
		out = append(out, b)
	}
	return out, rows.Err()
}

const identCols = `serial_norm, mac, ip, hostname_norm, manufacturer, model, asset_tag, class, facility, firmware, first_seen, last_seen`
const identN = 12
const identSet = `serial_norm = ?, mac = ?, ip = ?, hostname_norm = ?, manufacturer = ?, model = ?, asset_tag = ?, class = ?, facility = ?, firmware = ?, first_seen = ?, last_seen = ?`

func identArgs(i Ident) []any {
	return []any{i.SerialNorm, i.MAC, i.IP, i.HostnameNorm, i.Manufacturer, i.Model, i.AssetTag, i.Class, i.Facility, i.Firmware, i.FirstSeen, i.LastSeen}
}

func (s *Store) saveRejected(ctx context.Context, tx *sql.Tx, b *medsec.ImportBatch, rows []RejectedRow) error {
	b.Rejected = len(rows)
	for len(rows) > 0 {
		n := min(len(rows), 200)
		var args []any
		for _, r := range rows[:n] {
			args = append(args, b.ID, r.RowNum, r.Column, r.Problem, r.Raw)
		}
		q := `INSERT INTO rejected_rows (batch_id, row_num, col, problem, raw) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?),", n), ",")
		if _, err := s.exec(ctx, tx, q, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// RejectedRows lists what an import skipped.
func (s *Store) RejectedRows(ctx context.Context, batchID int64, limit int) ([]RejectedRow, error) {
	rows, err := s.query(ctx, s.db, `SELECT row_num, col, problem, raw FROM rejected_rows WHERE batch_id = ? ORDER BY row_num LIMIT ?`, batchID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RejectedRow
	for rows.Next() {
		var r RejectedRow
		if err := rows.Scan(&r.RowNum, &r.Column, &r.Problem, &r.Raw); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Batch returns one import batch.
func (s *Store) Batch(ctx context.Context, id int64) (*medsec.ImportBatch, error) {
	bs, err := s.batches(ctx, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(bs) == 0 {
		return nil, medsec.Errorf(medsec.ENOTFOUND, "Import batch %d not found.", id)
	}
	return &bs[0], nil
}
