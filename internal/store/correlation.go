package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/medsec/medsec"
)

// IdentRecord is a live source record as the correlation engine sees it.
type IdentRecord struct {
	ID       int64
	System   string
	Key      string
	Ident    Ident
	AssetID  int64
	BatchID  int64
	LinkHash string
	Kind     string // of the asset, for discovered assets
}

// IdentRecords loads every source record not marked gone, in id order,
// with the hash of its stored explanation (see RecordSnapshot.Identities).
func (s *Store) IdentRecords(ctx context.Context) ([]IdentRecord, error) {
	snap, err := s.OpenRecordSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	return snap.Identities(ctx)
}

// CountSourceRecords counts the live source records (an index-only count).
func (s *Store) CountSourceRecords(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, s.db, `SELECT count(*) FROM source_records WHERE gone_batch_id IS NULL`).Scan(&n)
	return n, err
}

// LinkDecision is a reviewer's ruling on two records.
type LinkDecision struct {
	ID     int64  `json:"id"`
	A      int64  `json:"a"`
	B      int64  `json:"b"`
	Kind   string `json:"kind"` // confirm, reject
	Actor  string `json:"actor"`
	Reason string `json:"reason"`
	At     string `json:"at"`
}

// LinkDecisions lists every decision.
func (s *Store) LinkDecisions(ctx context.Context) ([]LinkDecision, error) {
	return s.linkDecisions(ctx, s.db)
}

func (s *Store) linkDecisions(ctx context.Context, q querier) ([]LinkDecision, error) {
	rows, err := s.query(ctx, q, `SELECT id, a_id, b_id, kind, actor, reason, at FROM link_decisions ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LinkDecision
	for rows.Next() {
		var d LinkDecision
		if err := rows.Scan(&d.ID, &d.A, &d.B, &d.Kind, &d.Actor, &d.Reason, &d.At); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Decide records (or replaces) a decision about two records and takes the
// pair out of the review queue.
func (s *Store) Decide(ctx context.Context, actor medsec.Actor, a, b int64, kind, reason string) error {
	if kind != "confirm" && kind != "reject" {
		return medsec.Errorf(medsec.EINVALID, "Decision must be confirm or reject, not %q.", kind)
	}
	if a == b {
		return medsec.Errorf(medsec.EINVALID, "A record cannot be linked to itself.")
	}
	if a > b {
		a, b = b, a
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := s.queryRow(ctx, tx, `SELECT count(*) FROM source_records WHERE id IN (?, ?)`, a, b).Scan(&n); err != nil {
			return err
		} else if n != 2 {
			return medsec.Errorf(medsec.ENOTFOUND, "Source record %d or %d not found.", a, b)
		}
		var before any
		var old LinkDecision
		err := s.queryRow(ctx, tx, `SELECT kind, actor, reason FROM link_decisions WHERE a_id = ? AND b_id = ?`, a, b).Scan(&old.Kind, &old.Actor, &old.Reason)
		if err == nil {
			before = old
			if _, err := s.exec(ctx, tx, `DELETE FROM link_decisions WHERE a_id = ? AND b_id = ?`, a, b); err != nil {
				return err
			}
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO link_decisions (a_id, b_id, kind, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?)`, a, b, kind, actor.Name, reason, s.now())
		if err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM review_queue WHERE a_id = ? AND b_id = ?`, a, b); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "update", "link_decision", id, before, LinkDecision{A: a, B: b, Kind: kind, Reason: reason})
	})
}

// Assignment puts one source record into an asset, with why.
type Assignment struct {
	RecordID   int64
	AssetID    int64  // an existing asset, or 0 with NewAsset set
	NewAsset   string // tag of a discovered asset to create or reuse
	Confidence float64
	Evidence   string // JSON
	Hash       string // of Evidence
	OldAsset   int64  // the asset the record belonged to before this run
}

// DiscoveredAsset describes an asset found only on the network or in the CMDB.
type DiscoveredAsset struct {
	Tag    string
	Kind   string // medical, non_medical
	Fields AssetFields
}

// ReviewItem is a candidate link for a person to decide.
type ReviewItem struct {
	A, B       int64
	Weight     float64
	Confidence float64
	Evidence   string
}

// CorrelationRun is one run of the correlation engine.
type CorrelationRun struct {
	ID         int64  `json:"id"`
	StartedAt  string `json:"started_at"`
	FinishedAt string `json:"finished_at"`
	Actor      string `json:"actor"`
	Mode       string `json:"mode"`
	Records    int    `json:"records"`
	Clusters   int    `json:"clusters"`
	Changed    int    `json:"changed"`
	Review     int    `json:"review"`
	// Steps times the parts of the write, in order (not stored).
	Steps []Step `json:"-"`
	// vacated: assets that records are leaving in this run; the discovered
	// ones left empty are deleted at the end.
	vacated map[int64]bool
}

// Step is one timed part of a long write.
type Step struct {
	Name     string
	Duration time.Duration
}

// LastRun returns the newest correlation run, or nil before the first.
func (s *Store) LastRun(ctx context.Context) (*CorrelationRun, error) {
	var r CorrelationRun
	err := s.queryRow(ctx, s.db, `SELECT id, started_at, finished_at, actor, mode, records, clusters, changed, review FROM correlation_runs ORDER BY id DESC LIMIT 1`).
		Scan(&r.ID, &r.StartedAt, &r.FinishedAt, &r.Actor, &r.Mode, &r.Records, &r.Clusters, &r.Changed, &r.Review)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return &r, err
}

// BatchesSince lists the import batches a delta run after a run that began
// at the given time must look at: those that finished since (an import
// that began before that run and committed while it worked was not in
// what it read), and any begun since.
func (s *Store) BatchesSince(ctx context.Context, at string) ([]int64, error) {
	ids, err := s.ids(ctx, `SELECT id FROM import_batches WHERE started_at >= ? OR finished_at >= ?`, at, at)
	out := make([]int64, len(ids))
	for i, v := range ids {
		out[i] = v.(int64)
	}
	return out, err
}

// AssetsOfGone lists the assets that records the given batches marked
// gone were on: what is left on them may need re-placing.
func (s *Store) AssetsOfGone(ctx context.Context, batches []int64) ([]int64, error) {
	var out []int64
	for len(batches) > 0 {
		n := min(len(batches), 500)
		args := make([]any, n)
		for i, b := range batches[:n] {
			args[i] = b
		}
		ids, err := s.ids(ctx, `SELECT DISTINCT asset_id FROM source_records WHERE asset_id IS NOT NULL AND gone_batch_id IN (`+placeholders(n)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, v := range ids {
			out = append(out, v.(int64))
		}
		batches = batches[n:]
	}
	return out, nil
}

// Scope is what a delta run re-ran: Records, every record it looked at,
// and Changed, the ones it looked at because they changed (imported or
// decided on since the last run, or left behind by a record that went);
// both sorted.
type Scope struct {
	Records, Changed []int64
}

// ApplyCorrelation writes a run's result in one transaction: discovered
// assets, each changed record's asset and evidence, the review queue (see
// writeReview), and empty discovered assets removed. scope is nil for a
// full run. assignments is called once the discovered assets are written,
// so that its caller can build them meanwhile.
func (s *Store) ApplyCorrelation(ctx context.Context, actor medsec.Actor, run *CorrelationRun, discovered []DiscoveredAsset, assignments func() []Assignment, review []ReviewItem, scope *Scope) error {
	analyze := false
	defer func() {
		if analyze {
			s.Analyze(context.WithoutCancel(ctx))
		}
	}()
	mark := time.Now()
	step := func(name string) {
		run.Steps = append(run.Steps, Step{name, time.Since(mark)})
		mark = time.Now()
	}
	defer step("commit")
	return s.withCorrelationTx(ctx, func(tx *sql.Tx) error {
		if run.StartedAt == "" {
			run.StartedAt = s.now()
		}
		run.Actor = actor.Name
		id, err := s.insertID(ctx, tx, `INSERT INTO correlation_runs (started_at, actor, mode) VALUES (?, ?, ?)`, run.StartedAt, actor.Name, run.Mode)
		if err != nil {
			return err
		}
		run.ID = id
		var assets int // counted before the discovered assets go in
		if err := s.queryRow(ctx, tx, `SELECT count(*) FROM assets`).Scan(&assets); err != nil {
			return err
		}
		stale := s.statsStale(ctx, tx, len(discovered), assets)
		tags, err := s.ensureDiscovered(ctx, tx, discovered, assets)
		if err != nil {
			return err
		}
		step("discovered assets")
		assign := assignments()
		step("waiting for explanations")
		analyze = stale && len(assign) >= analyzeAfter
		// A first run over a large inventory touches most rows: rebuild the
		// record index afterwards rather than maintain it row by row.
		var saved []savedDDL
		if len(assign) > bulkAssignments {
			if saved, err = s.dropSecondaryIndexes(ctx, tx, "source_records"); err != nil {
				return err
			}
			fks, err := s.dropForeignKeys(ctx, tx, "source_records", "record_links")
			if err != nil {
				return err
			}
			saved = append(saved, fks...)
		}
		if err := s.writeAssignments(ctx, tx, assign, tags, run); err != nil {
			return err
		}
		step("records and links")
		if err := s.recreate(ctx, tx, saved); err != nil {
			return err
		}
		if saved != nil {
			step("record index")
		}
		if err := s.writeReview(ctx, tx, run, review, scope); err != nil {
			return err
		}
		if err := s.deleteEmptyDiscovered(ctx, tx, run.vacated); err != nil {
			return err
		}
		step("review queue, empty assets")
		run.FinishedAt = s.now()
		if _, err := s.exec(ctx, tx, `UPDATE correlation_runs SET finished_at = ?, records = ?, clusters = ?, changed = ?, review = ? WHERE id = ?`,
			run.FinishedAt, run.Records, run.Clusters, run.Changed, run.Review, run.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "correlate", "correlation_run", run.ID, nil, run)
	})
}

// randomKeyAssetIndexes are the asset indexes on identifiers, whose values
// a batch of new assets brings in random order.
var randomKeyAssetIndexes = []string{"assets_serial_norm", "assets_hostname_norm", "assets_ip", "assets_mac"}

// bulkAssignments is the most changed records a run writes with the
// record index and (PostgreSQL) the foreign keys of records and links in
// place; more, and they are rebuilt afterwards (a variable for tests).
var bulkAssignments = bulkThreshold

// rebuildMinNew is the fewest new discovered assets for which those
// indexes are rebuilt rather than maintained (a variable for tests).
var rebuildMinNew = bulkThreshold

// countNew counts the discovered assets not already in the table.
func countNew(discovered []DiscoveredAsset, tags map[string]int64) int {
	n := 0
	for _, da := range discovered {
		if _, ok := tags[da.Tag]; !ok {
			n++
		}
	}
	return n
}

// ensureDiscovered inserts the discovered assets not yet in the table,
// which held the given number of assets before the run, and returns every
// discovered asset's id by tag.
func (s *Store) ensureDiscovered(ctx context.Context, tx *sql.Tx, discovered []DiscoveredAsset, assets int) (map[string]int64, error) {
	tags := map[string]int64{}
	if len(discovered) == 0 {
		return tags, nil
	}
	kinds := map[string]string{}
	var revived []string // merged assets whose records may come back
	read := func(where string, args ...any) error {
		rows, err := s.query(ctx, tx, `SELECT id, asset_tag, kind, status FROM assets WHERE origin = 'discovered'`+where, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var tag, kind, status string
			if err := rows.Scan(&id, &tag, &kind, &status); err != nil {
				return err
			}
			tags[tag], kinds[tag] = id, kind
			if status == StatusMerged {
				revived = append(revived, tag)
			}
		}
		return rows.Err()
	}
	// A delta run's few discovered assets are looked up by tag (an index);
	// a full run's are most of the table, read whole.
	if len(discovered)*8 < assets {
		for lo := 0; lo < len(discovered); lo += 500 {
			part := discovered[lo:min(lo+500, len(discovered))]
			args := make([]any, len(part))
			for i, da := range part {
				args[i] = da.Tag
			}
			if err := read(` AND asset_tag IN (`+placeholders(len(part))+`)`, args...); err != nil {
				return nil, err
			}
		}
	} else if err := read(""); err != nil {
		return nil, err
	}
	wanted := make(map[string]bool, len(discovered))
	for _, da := range discovered {
		wanted[da.Tag] = true
	}
	for _, tag := range revived {
		if wanted[tag] {
			if _, err := s.exec(ctx, tx, `UPDATE assets SET status = ?, updated_at = ? WHERE id = ?`, StatusDiscovered, s.now(), tags[tag]); err != nil {
				return nil, err
			}
		}
	}
	d, err := s.loadDims(ctx, tx)
	if err != nil {
		return nil, err
	}
	w := &batchWriter{s: s, tx: tx, d: d, now: s.now()}
	var pending [][]any
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		var args []any
		for _, p := range pending {
			args = append(args, p...)
		}
		q := `INSERT INTO assets ` + strings.TrimSuffix(assetInsertCols, ")") + `, kind, origin) VALUES ` +
			strings.TrimSuffix(strings.Repeat("("+placeholders(23)+"),", len(pending)), ",") + ` RETURNING id, asset_tag`
		rows, err := s.query(ctx, tx, q, args...)
		if err != nil {
			return fmt.Errorf("discovered assets: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var tag string
			if err := rows.Scan(&id, &tag); err != nil {
				return err
			}
			tags[tag] = id
		}
		pending = pending[:0]
		return rows.Err()
	}
	// Serials, host names, addresses and MACs of new devices arrive in no
	// order, so each new asset costs a random insert into each of their
	// indexes. When the new assets are many against the table (a first
	// run: 590k new beside 986k CMMS assets), rebuilding those four
	// indexes from sorted data afterwards is cheaper (SQLite: 20.0 s
	// insert + 6.1 s rebuild vs 29.6-34.5 s). The break-even is near one
	// new asset for every six in the table.
	var saved []savedDDL
	if n := countNew(discovered, tags); n >= rebuildMinNew && n*5 >= assets {
		if saved, err = s.dropIndexes(ctx, tx, randomKeyAssetIndexes...); err != nil {
			return nil, err
		}
		fks, err := s.dropForeignKeys(ctx, tx, "assets") // five checks a row as they go in
		if err != nil {
			return nil, err
		}
		saved = append(saved, fks...)
	}
	if s.dialect == SQLite {
		if tags, err = s.insertDiscoveredSQLite(ctx, tx, w, discovered, tags, kinds); err != nil {
			return nil, err
		}
		return tags, s.recreate(ctx, tx, saved)
	}
	for _, da := range discovered {
		if id, ok := tags[da.Tag]; ok {
			if kinds[da.Tag] != da.Kind {
				if _, err := s.exec(ctx, tx, `UPDATE assets SET kind = ? WHERE id = ?`, da.Kind, id); err != nil {
					return nil, err
				}
			}
			continue
		}
		f := da.Fields
		f.Tag = da.Tag
		args, err := w.assetArgs(ctx, &f, "")
		if err != nil {
			return nil, err
		}
		pending = append(pending, append(args, da.Kind, "discovered"))
		if len(pending) == 200 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return tags, s.recreate(ctx, tx, saved)
}

// insertDiscoveredSQLite inserts new discovered assets one row per
// execution of a prepared statement, taking each id from LastInsertId. A
// single-row INSERT needs no statement journal; a multi-row one on a table
// with foreign keys copies every page it touches into one first (at 600k
// new assets, a dozen random index pages each, that copy was a quarter of
// the insert).
func (s *Store) insertDiscoveredSQLite(ctx context.Context, tx *sql.Tx, w *batchWriter, discovered []DiscoveredAsset, tags map[string]int64, kinds map[string]string) (map[string]int64, error) {
	var ins *sql.Stmt
	defer func() {
		if ins != nil {
			ins.Close()
		}
	}()
	args := make([]any, 0, 23)
	for _, da := range discovered {
		if id, ok := tags[da.Tag]; ok {
			if kinds[da.Tag] != da.Kind {
				if _, err := s.exec(ctx, tx, `UPDATE assets SET kind = ? WHERE id = ?`, da.Kind, id); err != nil {
					return nil, err
				}
			}
			continue
		}
		f := da.Fields
		f.Tag = da.Tag
		a, err := w.assetArgs(ctx, &f, "")
		if err != nil {
			return nil, err
		}
		if ins == nil {
			if ins, err = tx.PrepareContext(ctx, `INSERT INTO assets `+strings.TrimSuffix(assetInsertCols, ")")+`, kind, origin) VALUES (`+placeholders(23)+`)`); err != nil {
				return nil, err
			}
		}
		args = append(append(args[:0], a...), da.Kind, "discovered")
		res, err := ins.ExecContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("discovered asset %s: %w", da.Tag, err)
		}
		if tags[da.Tag], err = res.LastInsertId(); err != nil {
			return nil, err
		}
	}
	return tags, nil
}

// writeAssignments updates records through a temporary table, a chunk at
// a time, so that a million changed links cost a few hundred statements
// and the temporary table never holds more than one chunk.
func (s *Store) writeAssignments(ctx context.Context, tx *sql.Tx, assign []Assignment, tags map[string]int64, run *CorrelationRun) error {
	if s.dialect == SQLite {
		return s.writeAssignmentsPrepared(ctx, tx, assign, tags, run)
	}
	if _, err := s.exec(ctx, tx, `CREATE TEMPORARY TABLE IF NOT EXISTS tmp_links (record_id BIGINT PRIMARY KEY, asset_id BIGINT, confidence DOUBLE PRECISION, evidence TEXT, link_hash TEXT)`); err != nil {
		return err
	}
	// The asset id changes on the record; the explanation goes to
	// record_links. Chunks are runs of record ids, and the UPDATE names
	// the run's id range: PostgreSQL knows nothing of the temporary
	// table's size and hash-joins it against every source record, which
	// at a million changed records was 83 scans of 2.6M rows (200 s);
	// with the range it reads the chunk's stretch of the primary key.
	slices.SortFunc(assign, func(a, b Assignment) int { return cmp.Compare(a.RecordID, b.RecordID) })
	update := `UPDATE source_records SET asset_id = t.asset_id FROM tmp_links t
			WHERE t.record_id = source_records.id AND source_records.id BETWEEN ? AND ? AND source_records.asset_id IS DISTINCT FROM t.asset_id`
	upsert := `INSERT INTO record_links (record_id, confidence, evidence, link_hash) SELECT record_id, confidence, evidence, link_hash FROM tmp_links WHERE true
		ON CONFLICT (record_id) DO UPDATE SET confidence = excluded.confidence, evidence = excluded.evidence, link_hash = excluded.link_hash`
	const chunk = 20000
	for len(assign) > 0 {
		part := assign[:min(len(assign), chunk)]
		assign = assign[len(part):]
		lo, hi := part[0].RecordID, part[len(part)-1].RecordID
		if _, err := s.exec(ctx, tx, `DELETE FROM tmp_links`); err != nil {
			return err
		}
		for len(part) > 0 {
			n := min(len(part), 500)
			args := make([]any, 0, n*5)
			for _, a := range part[:n] {
				id := a.AssetID
				if id == 0 {
					id = tags[a.NewAsset]
				}
				args = append(args, a.RecordID, nullInt(id), a.Confidence, a.Evidence, a.Hash)
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO tmp_links (record_id, asset_id, confidence, evidence, link_hash) VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?),", n), ","), args...); err != nil {
				return err
			}
			part = part[n:]
		}
		if err := s.noteVacated(ctx, tx, run); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, update, lo, hi); err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, upsert)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		run.Changed += int(n)
	}
	_, err := s.exec(ctx, tx, `DELETE FROM tmp_links`)
	return err
}

// writeReview replaces what the run re-examined of the review queue (all of
// it for a full run; see dropStaleReview for a delta) with the run's own
// items, keeping an item's id where the run found the same pair again.
func (s *Store) writeReview(ctx context.Context, tx *sql.Tx, run *CorrelationRun, review []ReviewItem, scope *Scope) error {
	if scope == nil {
		if _, err := s.exec(ctx, tx, `DELETE FROM review_queue`); err != nil {
			return err
		}
	} else if err := s.dropStaleReview(ctx, tx, scope); err != nil {
		return err
	}
	run.Review = len(review)
	for len(review) > 0 {
		n := min(len(review), 300)
		args := make([]any, 0, n*6)
		for _, r := range review[:n] {
			a, b := r.A, r.B
			if a > b {
				a, b = b, a
			}
			args = append(args, run.ID, a, b, r.Weight, r.Confidence, r.Evidence)
		}
		q := `INSERT INTO review_queue (run_id, a_id, b_id, weight, confidence, evidence) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?),", n), ",") +
			` ON CONFLICT (a_id, b_id) DO UPDATE SET run_id = excluded.run_id, weight = excluded.weight, confidence = excluded.confidence, evidence = excluded.evidence`
		if _, err := s.exec(ctx, tx, q, args...); err != nil {
			return err
		}
		review = review[n:]
	}
	return nil
}

// dropStaleReview removes the review items a delta run replaces: those
// whose records it both re-ran (it found again every pair of them worth
// a look), those with a changed record (a pair the change ended would
// otherwise stay), and those with a record gone from its system. An item
// between a re-run record and one outside the run stays: neither changed,
// so their pair scores as it did.
func (s *Store) dropStaleReview(ctx context.Context, tx *sql.Tx, scope *Scope) error {
	if _, err := s.exec(ctx, tx, `DELETE FROM review_queue WHERE EXISTS (SELECT 1 FROM source_records r
		WHERE r.id IN (review_queue.a_id, review_queue.b_id) AND r.gone_batch_id IS NOT NULL)`); err != nil {
		return err
	}
	rows, err := s.query(ctx, tx, `SELECT id, a_id, b_id FROM review_queue`)
	if err != nil {
		return err
	}
	has := func(ids []int64, id int64) bool { _, ok := slices.BinarySearch(ids, id); return ok }
	var stale []any
	for rows.Next() {
		var id, a, b int64
		if err := rows.Scan(&id, &a, &b); err != nil {
			rows.Close()
			return err
		}
		if has(scope.Records, a) && has(scope.Records, b) || has(scope.Changed, a) || has(scope.Changed, b) {
			stale = append(stale, id)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for len(stale) > 0 {
		n := min(len(stale), 500)
		if _, err := s.exec(ctx, tx, `DELETE FROM review_queue WHERE id IN (`+placeholders(n)+`)`, stale[:n]...); err != nil {
			return err
		}
		stale = stale[n:]
	}
	return nil
}

// ReviewEntry is a review-queue item with both records.
type ReviewEntry struct {
	ID         int64           `json:"id"`
	Weight     float64         `json:"weight"`
	Confidence float64         `json:"confidence"`
	Evidence   json.RawMessage `json:"evidence"`
	A          RecordSummary   `json:"a"`
	B          RecordSummary   `json:"b"`
}

// RecordSummary identifies a source record for people.
type RecordSummary struct {
	ID       int64  `json:"id"`
	System   string `json:"system"`
	Key      string `json:"key"`
	AssetID  int64  `json:"asset_id,omitempty"`
	Serial   string `json:"serial,omitempty"`
	MAC      string `json:"mac,omitempty"`
	IP       string `json:"ip,omitempty"`
	Hostname string `json:"hostname,omitempty"`
	Make     string `json:"manufacturer,omitempty"`
	Model    string `json:"model,omitempty"`
}

const summaryCols = `%[1]s.id, %[1]s.system, %[1]s.record_key, COALESCE(%[1]s.asset_id, 0), %[1]s.serial_norm, %[1]s.mac, %[1]s.ip, %[1]s.hostname_norm, %[1]s.manufacturer, %[1]s.model`

func scanSummary(dst *RecordSummary) []any {
	return []any{&dst.ID, &dst.System, &dst.Key, &dst.AssetID, &dst.Serial, &dst.MAC, &dst.IP, &dst.Hostname, &dst.Make, &dst.Model}
}

// ReviewQueue lists open review items, most likely matches first.
func (s *Store) ReviewQueue(ctx context.Context, limit, offset int) ([]ReviewEntry, int, error) {
	var total int
	if err := s.queryRow(ctx, s.db, `SELECT count(*) FROM review_queue`).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.query(ctx, s.db, `SELECT q.id, q.weight, q.confidence, q.evidence, `+fmt.Sprintf(summaryCols, "a")+`, `+fmt.Sprintf(summaryCols, "b")+`
		FROM review_queue q JOIN source_records a ON a.id = q.a_id JOIN source_records b ON b.id = q.b_id
		ORDER BY q.confidence DESC, q.id LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []ReviewEntry
	for rows.Next() {
		var e ReviewEntry
		var ev string
		dst := append([]any{&e.ID, &e.Weight, &e.Confidence, &ev}, scanSummary(&e.A)...)
		if err := rows.Scan(append(dst, scanSummary(&e.B)...)...); err != nil {
			return nil, 0, err
		}
		e.Evidence = json.RawMessage(ev)
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// ReviewItemByID returns the two record ids of a review item.
func (s *Store) ReviewItemByID(ctx context.Context, id int64) (int64, int64, error) {
	var a, b int64
	err := s.queryRow(ctx, s.db, `SELECT a_id, b_id FROM review_queue WHERE id = ?`, id).Scan(&a, &b)
	if err == sql.ErrNoRows {
		return 0, 0, medsec.Errorf(medsec.ENOTFOUND, "Review item %d not found (already decided?).", id)
	}
	return a, b, err
}

// LinkRow is one line of the links export: the contract by which
// correlation accuracy is measured.
type LinkRow struct {
	AssetID int64
	System  string
	Key     string
}

// EachLink streams every live source record with its asset.
func (s *Store) EachLink(ctx context.Context, fn func(LinkRow) error) error {
	rows, err := s.query(ctx, s.db, `SELECT COALESCE(asset_id, 0), system, record_key FROM source_records WHERE gone_batch_id IS NULL ORDER BY system, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r LinkRow
		if err := rows.Scan(&r.AssetID, &r.System, &r.Key); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DiscoveredTags maps discovered asset ids to their tags.
func (s *Store) DiscoveredTags(ctx context.Context) (map[int64]string, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, asset_tag FROM assets WHERE origin = 'discovered'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return nil, err
		}
		out[id] = tag
	}
	return out, rows.Err()
}

// DiscoveredIDs lists the ids of the discovered assets, sorted.
func (s *Store) DiscoveredIDs(ctx context.Context) ([]int64, error) {
	return column[int64](ctx, s, s.db, `SELECT id FROM assets WHERE origin = 'discovered' ORDER BY id`)
}

// DiscoveredTagsOf returns the tags of the discovered assets among ids.
func (s *Store) DiscoveredTagsOf(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for lo := 0; lo < len(ids); lo += 500 {
		part := ids[lo:min(lo+500, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := s.query(ctx, s.db, `SELECT id, asset_tag FROM assets WHERE origin = 'discovered' AND id IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var tag string
			if err := rows.Scan(&id, &tag); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = tag
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// prefixed qualifies a comma-separated column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// noteVacated remembers the assets that the chunk's records are leaving.
// Checking only these afterwards keeps the clean-up proportional to the
// change; an anti-join over every discovered asset inside the run's
// transaction planned on pre-run statistics and took minutes in PostgreSQL.
func (s *Store) noteVacated(ctx context.Context, tx *sql.Tx, run *CorrelationRun) error {
	if run.vacated == nil {
		run.vacated = map[int64]bool{}
	}
	left, err := column[int64](ctx, s, tx, `SELECT r.asset_id FROM source_records r WHERE r.id IN (SELECT record_id FROM tmp_links) AND r.asset_id IS NOT NULL
		AND r.asset_id <> COALESCE((SELECT t.asset_id FROM tmp_links t WHERE t.record_id = r.id), 0)`)
	for _, id := range left {
		run.vacated[id] = true
	}
	return err
}

func (s *Store) deleteEmptyDiscovered(ctx context.Context, tx *sql.Tx, vacated map[int64]bool) error {
	ids := make([]any, 0, len(vacated))
	for id := range vacated {
		ids = append(ids, id)
	}
	// A discovered asset someone has worked on (findings and their
	// decisions, controls, work orders, risk exceptions, a provider's
	// scope naming it) is kept, marked merged, so that work stays
	// readable; deleting it would lose the work.
	unused := ""
	for _, t := range assetReferences {
		unused += ` AND NOT EXISTS (SELECT 1 FROM ` + t + ` x WHERE x.asset_id = assets.id)`
	}
	const empty = `origin = 'discovered' AND NOT EXISTS (SELECT 1 FROM source_records r WHERE r.asset_id = assets.id)`
	for len(ids) > 0 {
		n := min(len(ids), 500)
		if _, err := s.exec(ctx, tx, `DELETE FROM assets WHERE id IN (`+placeholders(n)+`) AND `+empty+unused, ids[:n]...); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `UPDATE assets SET status = ?, updated_at = ? WHERE id IN (`+placeholders(n)+`) AND `+empty,
			append([]any{StatusMerged, s.now()}, ids[:n]...)...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// StatusDiscovered is the status of an asset only the network or the
// CMDB knows.
const StatusDiscovered = "Not in CMMS"

// StatusMerged is the status of a discovered asset whose records all
// joined other assets while work on it (findings, controls, work orders,
// exceptions) kept it.
const StatusMerged = "Merged: no records left"

// assetReferences are the tables, besides source_records, whose rows name
// an asset (party_scope_assets would cascade, but a device a provider's
// scope names has been worked on too). A test compares the list with the
// schema's foreign keys.
var assetReferences = []string{"asset_controls", "findings", "party_scope_assets", "risk_exceptions", "work_orders"}

// writeAssignmentsPrepared is the SQLite path. SQLite runs in-process, so
// staging through a temporary table only writes everything twice; instead
// records are updated in record-id order (neighbouring table pages) through
// prepared statements that each carry a batch: asset ids through a CASE,
// explanations through a multi-row upsert. Per-statement overhead was most
// of the cost of a million single-row statements.
func (s *Store) writeAssignmentsPrepared(ctx context.Context, tx *sql.Tx, assign []Assignment, tags map[string]int64, run *CorrelationRun) error {
	const batch = 100
	updSQL := func(n int) string {
		return `UPDATE source_records SET asset_id = CASE id ` + strings.Repeat("WHEN ? THEN ? ", n) + `END WHERE id IN (` + placeholders(n) + `)`
	}
	linkSQL := func(n int) string {
		return `INSERT INTO record_links (record_id, confidence, evidence, link_hash) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?),", n), ",") +
			` ON CONFLICT (record_id) DO UPDATE SET confidence = excluded.confidence, evidence = excluded.evidence, link_hash = excluded.link_hash`
	}
	var upd, link *sql.Stmt
	if len(assign) >= batch {
		var err error
		if upd, err = tx.PrepareContext(ctx, updSQL(batch)); err != nil {
			return err
		}
		defer upd.Close()
		if link, err = tx.PrepareContext(ctx, linkSQL(batch)); err != nil {
			return err
		}
		defer link.Close()
	}
	if run.vacated == nil {
		run.vacated = map[int64]bool{}
	}
	sorted := make([]int, len(assign))
	for i := range sorted {
		sorted[i] = i
	}
	sort.Slice(sorted, func(i, j int) bool { return assign[sorted[i]].RecordID < assign[sorted[j]].RecordID })
	whenArgs := make([]any, 0, batch*3)
	linkArgs := make([]any, 0, batch*4)
	for len(sorted) > 0 {
		n := min(len(sorted), batch)
		whenArgs, linkArgs = whenArgs[:0], linkArgs[:0]
		var inArgs []any
		for _, k := range sorted[:n] {
			a := &assign[k]
			id := a.AssetID
			if id == 0 {
				id = tags[a.NewAsset]
			}
			if a.OldAsset != 0 && a.OldAsset != id {
				run.vacated[a.OldAsset] = true
			}
			whenArgs = append(whenArgs, a.RecordID, nullInt(id))
			inArgs = append(inArgs, a.RecordID)
			linkArgs = append(linkArgs, a.RecordID, a.Confidence, a.Evidence, a.Hash)
		}
		args := append(whenArgs, inArgs...)
		var err error
		if n == batch {
			if _, err = upd.ExecContext(ctx, args...); err == nil {
				_, err = link.ExecContext(ctx, linkArgs...)
			}
		} else {
			if _, err = s.exec(ctx, tx, updSQL(n), args...); err == nil {
				_, err = s.exec(ctx, tx, linkSQL(n), linkArgs...)
			}
		}
		if err != nil {
			return err
		}
		run.Changed += n
		sorted = sorted[n:]
	}
	return nil
}

// statsStale reports whether the planner's statistics on assets should be
// refreshed after adding this many discovered assets: when there are none
// yet, or when the table would more than double. The import of the CMMS
// list analyses the table it creates; discovered assets then shift the
// shares of kinds but not the shape the planner relies on, and a full
// ANALYZE of a million-row table with twelve indexes costs some 20 s.
func (s *Store) statsStale(ctx context.Context, tx *sql.Tx, adding, assets int) bool {
	if adding >= assets {
		return true
	}
	if s.dialect != SQLite {
		return false // autovacuum keeps PostgreSQL's statistics current
	}
	var n int
	if err := s.queryRow(ctx, tx, `SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).Scan(&n); err != nil || n == 0 {
		return true
	}
	if err := s.queryRow(ctx, tx, `SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'assets'`).Scan(&n); err != nil {
		return true
	}
	return n == 0
}
