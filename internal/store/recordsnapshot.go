package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
)

// RecordSnapshot reads the live source records in parts, each part on its
// own connection and all on one snapshot (sameSnapshot), for as many reads
// as its user needs: a delta correlation run reads every record's blocking
// fields, picks what to re-run from them, then reads those records whole,
// and both reads see the same records. Turning a million rows into Go
// values is CPU work the driver does on the goroutine that reads, so the
// parts are read in parallel.
type RecordSnapshot struct {
	s       *Store
	txs     []*sql.Tx
	cuts    []int64 // part i holds ids [cuts[i], cuts[i+1])
	release func()
}

// OpenRecordSnapshot begins the snapshot; Close ends it.
func (s *Store) OpenRecordSnapshot(ctx context.Context) (*RecordSnapshot, error) {
	r := &RecordSnapshot{s: s}
	txs, release, err := s.sameSnapshot(ctx, func(tx *sql.Tx) (int, error) {
		var lo, hi sql.NullInt64 // each an end of the primary key: no scan
		if err := s.queryRow(ctx, tx, `SELECT min(id) FROM source_records`).Scan(&lo); err != nil {
			return 0, err
		}
		if err := s.queryRow(ctx, tx, `SELECT max(id) FROM source_records`).Scan(&hi); err != nil {
			return 0, err
		}
		parts := min(max(identParts(int(hi.Int64-lo.Int64+1)), 1), maxSnapshotReaders)
		r.cuts = []int64{lo.Int64}
		for i := 1; i < parts; i++ {
			r.cuts = append(r.cuts, lo.Int64+(hi.Int64-lo.Int64+1)*int64(i)/int64(parts))
		}
		r.cuts = append(r.cuts, hi.Int64+1)
		return parts, nil
	})
	if err != nil {
		return nil, err
	}
	r.txs, r.release = txs, release
	return r, nil
}

// Decisions lists every reviewer's decision, as of the snapshot: with the
// records, so that a decision is either read with them or made after.
func (r *RecordSnapshot) Decisions(ctx context.Context) ([]LinkDecision, error) {
	return r.s.linkDecisions(ctx, r.txs[0])
}

// Close ends the snapshot's transactions.
func (r *RecordSnapshot) Close() { r.release() }

// identParts is how many parts a snapshot reads a table of ids records
// in: one per core (at most maxSnapshotReaders), or one below 100k
// records, where a second connection would cost more than it saves.
var identParts = func(ids int) int {
	if ids < 100000 {
		return 1
	}
	return runtime.GOMAXPROCS(0)
}

// each runs fn for every part at once.
func (r *RecordSnapshot) each(fn func(i int) error) error {
	errs := make([]error, len(r.txs))
	var wg sync.WaitGroup
	for i := range r.txs {
		wg.Go(func() { errs[i] = fn(i) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// counted sizes one slice for every live record: each part counts its
// records (an index-only count), and its stretch of the slice starts at
// offs[i].
func (r *RecordSnapshot) counted(ctx context.Context) (offs []int, err error) {
	counts := make([]int, len(r.txs))
	if err := r.each(func(i int) error {
		return r.s.queryRow(ctx, r.txs[i], `SELECT count(*) FROM source_records WHERE gone_batch_id IS NULL AND id >= ? AND id < ?`, r.cuts[i], r.cuts[i+1]).Scan(&counts[i])
	}); err != nil {
		return nil, err
	}
	offs = make([]int, len(r.txs)+1)
	for i, c := range counts {
		offs[i+1] = offs[i] + c
	}
	return offs, nil
}

// Identities loads every live source record, in id order, with the hash
// of its stored explanation.
func (r *RecordSnapshot) Identities(ctx context.Context) ([]IdentRecord, error) {
	offs, err := r.counted(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]IdentRecord, offs[len(r.txs)])
	if err := r.each(func(i int) error {
		return r.s.identRange(ctx, r.txs[i], r.cuts[i], r.cuts[i+1], out[offs[i]:offs[i+1]])
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// stringShare makes the few distinct values of a column (system, maker,
// model, class, facility, firmware) one string each: a million copies of
// "monitoring" or "Philips" are garbage the collector would otherwise
// trace through every later phase of a run.
type stringShare map[string]string

func (m stringShare) share(p *string) {
	if v, ok := m[*p]; ok {
		*p = v
	} else if len(m) < 1<<20 {
		m[*p] = *p
	}
}

const identSelect = `SELECT id, system, record_key, ` + identCols + `, COALESCE(asset_id, 0), batch_id FROM source_records`

// scanIdent reads one row of identSelect into r.
func scanIdent(rows *sql.Rows, r *IdentRecord, shared stringShare) error {
	i := &r.Ident
	if err := rows.Scan(&r.ID, &r.System, &r.Key, &i.SerialNorm, &i.MAC, &i.IP, &i.HostnameNorm, &i.Manufacturer, &i.Model,
		&i.AssetTag, &i.Class, &i.Facility, &i.Firmware, &i.FirstSeen, &i.LastSeen, &r.AssetID, &r.BatchID); err != nil {
		return err
	}
	shared.share(&r.System)
	shared.share(&i.Manufacturer)
	shared.share(&i.Model)
	shared.share(&i.Class)
	shared.share(&i.Facility)
	shared.share(&i.Firmware)
	return nil
}

// identRange fills out with the live records whose ids are in [lo, hi),
// then their explanations' hashes, read in a second scan of record_links
// and merged by id: both scans read their tables in order, where a join
// would search record_links once per record.
func (s *Store) identRange(ctx context.Context, tx *sql.Tx, lo, hi int64, out []IdentRecord) error {
	rows, err := s.query(ctx, tx, identSelect+` WHERE gone_batch_id IS NULL AND id >= ? AND id < ? ORDER BY id`, lo, hi)
	if err != nil {
		return err
	}
	defer rows.Close()
	shared := stringShare{}
	k := 0
	for rows.Next() {
		if k == len(out) {
			return fmt.Errorf("load records: more live records in ids %d-%d than counted (%d)", lo, hi-1, len(out))
		}
		if err := scanIdent(rows, &out[k], shared); err != nil {
			return err
		}
		k++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if k != len(out) {
		return fmt.Errorf("load records: %d live records in ids %d-%d, %d counted", k, lo, hi-1, len(out))
	}
	links, err := s.query(ctx, tx, `SELECT record_id, link_hash FROM record_links WHERE record_id >= ? AND record_id < ? ORDER BY record_id`, lo, hi)
	if err != nil {
		return err
	}
	defer links.Close()
	return mergeLinkHashes(links, out)
}

// mergeLinkHashes sets the hash of each record in out (in id order) from
// rows of (record_id, link_hash) in record id order.
func mergeLinkHashes(links *sql.Rows, out []IdentRecord) error {
	k := 0
	for links.Next() {
		var id int64
		var h string
		if err := links.Scan(&id, &h); err != nil {
			return err
		}
		for k < len(out) && out[k].ID < id {
			k++
		}
		if k < len(out) && out[k].ID == id {
			out[k].LinkHash = h
		}
	}
	return links.Err()
}

// BlockRecord is where a record is and where it came from: what a delta
// run keeps of every record while it picks the ones to re-run. Its system
// is a shared string.
type BlockRecord struct {
	ID, AssetID, BatchID int64
	System               string
}

// BlockKeys are the identifiers records are compared through, normalised
// as in Ident.
type BlockKeys struct {
	ID                                  int64
	Serial, MAC, IP, Hostname, AssetTag string
}

// Parts is how many parts the snapshot reads at once.
func (r *RecordSnapshot) Parts() int { return len(r.txs) }

// Blocking loads every live record's BlockRecord, in id order, and hands
// each record's identifiers to keys as it reads them, on the reading
// part's goroutine (part is its number, below Parts; each part's records
// come in id order, every id below the next part's): a caller that hashes
// them there keeps no string of the millions it read, for the garbage
// collector to trace. Before its first record, a part tells reserve how
// many records it holds, so that the caller can size what it fills.
func (r *RecordSnapshot) Blocking(ctx context.Context, reserve func(part, n int), keys func(part int, k *BlockKeys)) ([]BlockRecord, error) {
	// Each part is sized by an index-only count of its live records: the
	// id range would do without the count, but years of re-imports leave
	// gone records in it, which could outnumber the live ones.
	offs, err := r.counted(ctx)
	if err != nil {
		return nil, err
	}
	parts := make([][]BlockRecord, len(r.txs))
	if err := r.each(func(i int) error {
		lo, hi := r.cuts[i], r.cuts[i+1]
		part := make([]BlockRecord, 0, offs[i+1]-offs[i])
		reserve(i, offs[i+1]-offs[i])
		rows, err := r.s.query(ctx, r.txs[i], `SELECT id, COALESCE(asset_id, 0), batch_id, system, serial_norm, mac, ip, hostname_norm, asset_tag
			FROM source_records WHERE gone_batch_id IS NULL AND id >= ? AND id < ? ORDER BY id`, lo, hi)
		if err != nil {
			return err
		}
		defer rows.Close()
		shared := stringShare{}
		var k BlockKeys
		for rows.Next() {
			var b BlockRecord
			if err := rows.Scan(&b.ID, &b.AssetID, &b.BatchID, &b.System, &k.Serial, &k.MAC, &k.IP, &k.Hostname, &k.AssetTag); err != nil {
				return err
			}
			shared.share(&b.System)
			part = append(part, b)
			k.ID = b.ID
			keys(i, &k)
		}
		parts[i] = part
		if err := rows.Err(); err != nil {
			return err
		}
		if len(part) != offs[i+1]-offs[i] {
			return fmt.Errorf("load records: %d live records in ids %d-%d, %d counted", len(part), lo, hi-1, offs[i+1]-offs[i])
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return slices.Concat(parts...), nil
}

// identBatch is how many ids one query of IdentitiesOf names.
const identBatch = 500

// IdentitiesOf loads the live records with the given ids (sorted, each
// once, all live in this snapshot) whole, with their explanations'
// hashes, in id order.
func (r *RecordSnapshot) IdentitiesOf(ctx context.Context, ids []int64) ([]IdentRecord, error) {
	out := make([]IdentRecord, len(ids))
	// Each part reads the ids in its range: ids[starts[i]:starts[i+1]].
	starts := make([]int, len(r.txs)+1)
	for i := range r.txs {
		starts[i+1] = sort.Search(len(ids), func(k int) bool { return ids[k] >= r.cuts[i+1] })
	}
	starts[len(r.txs)] = len(ids)
	err := r.each(func(i int) error {
		tx, shared := r.txs[i], stringShare{}
		for lo := starts[i]; lo < starts[i+1]; lo += identBatch {
			part := ids[lo:min(lo+identBatch, starts[i+1])]
			dst := out[lo : lo+len(part)]
			args := make([]any, len(part))
			for j, id := range part {
				args[j] = id
			}
			in := `(` + placeholders(len(part)) + `)`
			rows, err := r.s.query(ctx, tx, identSelect+` WHERE gone_batch_id IS NULL AND id IN `+in+` ORDER BY id`, args...)
			if err != nil {
				return err
			}
			k := 0
			for rows.Next() {
				if k == len(dst) {
					break
				}
				if err := scanIdent(rows, &dst[k], shared); err != nil {
					rows.Close()
					return err
				}
				k++
			}
			if err := errors.Join(rows.Err(), rows.Close()); err != nil {
				return err
			}
			if k != len(dst) || (k > 0 && (dst[0].ID != part[0] || dst[k-1].ID != part[k-1])) {
				return fmt.Errorf("load records: %d of %d records in ids %d-%d are live", k, len(part), part[0], part[len(part)-1])
			}
			links, err := r.s.query(ctx, tx, `SELECT record_id, link_hash FROM record_links WHERE record_id IN `+in+` ORDER BY record_id`, args...)
			if err != nil {
				return err
			}
			err = mergeLinkHashes(links, dst)
			if err := errors.Join(err, links.Close()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
