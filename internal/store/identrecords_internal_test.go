package store

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/testdb"
)

// identFixture imports n CMMS rows and n network rows, then re-imports the
// network list without its first row (so one record is gone), and stores
// an explanation hash for every third record.
func identFixture(t *testing.T, dsn string, n int) (context.Context, *Store, medsec.Actor) {
	t.Helper()
	ctx, s, actor := openDSN(t, dsn)
	var cmms, network []*ImportRecord
	for i := range n {
		tag := fmt.Sprintf("EQ%04d", i)
		cmms = append(cmms, &ImportRecord{RowNum: i + 2, Key: tag, Raw: `{"Equipment ID":"` + tag + `"}`, Hash: "c" + tag,
			Ident: Ident{SerialNorm: "SN" + tag, AssetTag: tag, Manufacturer: "BD", Model: "Alaris PC Unit"},
			Asset: &AssetFields{Tag: tag, Serial: "SN" + tag, Manufacturer: "BD", Model: "Alaris PC Unit", ModalityCode: "infusion_pump", ModalityName: "Infusion pump", Facility: "General", Status: "Active"}})
		key := fmt.Sprintf("ci%04d", i)
		network = append(network, &ImportRecord{RowNum: i + 2, Key: key, Raw: `{"sys_id":"` + key + `"}`, Hash: "n" + key,
			Ident: Ident{MAC: fmt.Sprintf("00:11:22:33:%02x:%02x", i/256, i%256), HostnameNorm: key, Class: "medical"}})
	}
	imp := func(system string, assets bool, recs []*ImportRecord) {
		t.Helper()
		if err := s.Import(ctx, actor, &medsec.ImportBatch{System: system, FileName: system + ".csv", Format: "csv", KeyColumn: "key"}, feedRecords(recs...), &ImportOptions{Assets: assets}); err != nil {
			t.Fatal(err)
		}
	}
	imp("cmms", true, cmms)
	imp("cmdb", false, network)
	imp("cmdb", false, network[1:])
	if _, err := s.exec(ctx, s.db, `INSERT INTO record_links (record_id, confidence, evidence, link_hash)
		SELECT id, 0.9, '[]', 'h' || record_key FROM source_records WHERE id % 3 = 0`); err != nil {
		t.Fatal(err)
	}
	return ctx, s, actor
}

// A large table is loaded in parts on several connections; the parts must
// add up to exactly what one scan reads: every live record once, in id
// order, gone records left out, each with its own explanation's hash.
func TestIdentRecords_PartsMatchOneScan(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx, s, _ := identFixture(t, dsn, 40)
		defer func(f func(int) int) { identParts = f }(identParts)
		load := func(parts int) []IdentRecord {
			t.Helper()
			identParts = func(int) int { return parts }
			recs, err := s.IdentRecords(ctx)
			if err != nil {
				t.Fatalf("%d parts: %v", parts, err)
			}
			return recs
		}
		one := load(1)
		if len(one) != 79 {
			t.Fatalf("one scan loaded %d records, want 40 CMMS + 39 live CMDB", len(one))
		}
		for i, r := range one {
			if i > 0 && r.ID <= one[i-1].ID {
				t.Fatalf("records out of id order at %d: %d after %d", i, r.ID, one[i-1].ID)
			}
			if r.Key == "ci0000" {
				t.Fatalf("the gone record ci0000 was loaded")
			}
			if want := map[bool]string{true: "h" + r.Key}[r.ID%3 == 0]; r.LinkHash != want {
				t.Fatalf("record %d (%s) has link hash %q, want %q", r.ID, r.Key, r.LinkHash, want)
			}
		}
		for _, parts := range []int{2, 3, 4, 200} { // 200: as many as the pool allows
			if got := load(parts); !reflect.DeepEqual(got, one) {
				t.Errorf("%d parts loaded %d records that differ from one scan's %d", parts, len(got), len(one))
			}
		}
		if s.dialect == SQLite { // the readers' small page caches stay with the load
			var conns []*sql.Conn
			for range 6 {
				c, err := s.db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				conns = append(conns, c)
				var size int
				if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&size); err != nil || size != -131072 {
					t.Errorf("a pooled connection has cache_size %d (%v), want -131072", size, err)
				}
			}
		}
	})
}

// The readers sameSnapshot begins see the state they began on, even after
// a write commits; a read outside them sees the write.
func TestSameSnapshot_ReadersKeepTheirState(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx, s, actor := identFixture(t, dsn, 5)
		count := func(q querier) int {
			t.Helper()
			var n int
			if err := s.queryRow(ctx, q, `SELECT count(*) FROM source_records`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count(s.db)
		txs, release, err := s.sameSnapshot(ctx, func(tx *sql.Tx) (int, error) { return 3, nil })
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		if len(txs) != 3 {
			t.Fatalf("%d readers, want 3", len(txs))
		}
		rec := &ImportRecord{RowNum: 2, Key: "late", Raw: `{"sys_id":"late"}`, Hash: "late", Ident: Ident{HostnameNorm: "late"}}
		if err := s.Import(ctx, actor, &medsec.ImportBatch{System: "monitoring", FileName: "m.csv", Format: "csv", KeyColumn: "key"}, feedRecords(rec), nil); err != nil {
			t.Fatalf("a write after the readers began: %v", err)
		}
		for i, tx := range txs {
			if n := count(tx); n != before {
				t.Errorf("reader %d sees %d records, want the %d it began with", i, n, before)
			}
		}
		if n := count(s.db); n != before+1 {
			t.Errorf("outside the readers %d records, want %d", n, before+1)
		}
	})
}

// A delta run's two reads, in parts: the identifiers of every live record
// (each handed over once, on its part, in id order) and the whole records
// of some ids, with their hashes, agree with the full load at any number
// of parts.
func TestRecordSnapshot_DeltaReadsMatchFullLoad(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx, s, _ := identFixture(t, dsn, 40)
		defer func(f func(int) int) { identParts = f }(identParts)
		all, err := s.IdentRecords(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var some []int64 // every other live record, the first and the last
		for i, r := range all {
			if i%2 == 0 || i == len(all)-1 {
				some = append(some, r.ID)
			}
		}
		for _, parts := range []int{1, 2, 3} {
			identParts = func(int) int { return parts }
			snap, err := s.OpenRecordSnapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if snap.Parts() != parts {
				t.Errorf("snapshot of %d parts reads in %d", parts, snap.Parts())
			}
			handed := make([][]BlockKeys, snap.Parts())
			reserved := make([]int, snap.Parts())
			blocks, err := snap.Blocking(ctx, func(p, n int) { reserved[p] = n }, func(p int, k *BlockKeys) { handed[p] = append(handed[p], *k) })
			if err != nil {
				t.Fatal(err)
			}
			var keys []BlockKeys
			for p, h := range handed {
				if len(h) != reserved[p] {
					t.Errorf("%d parts: part %d handed over %d records, reserved room for %d", parts, p, len(h), reserved[p])
				}
				keys = append(keys, h...)
			}
			if len(blocks) != len(all) || len(keys) != len(all) {
				t.Fatalf("%d parts: %d places and %d identifiers for %d live records", parts, len(blocks), len(keys), len(all))
			}
			for i, r := range all {
				b, k := blocks[i], keys[i]
				if b != (BlockRecord{ID: r.ID, AssetID: r.AssetID, BatchID: r.BatchID, System: r.System}) ||
					k != (BlockKeys{ID: r.ID, Serial: r.Ident.SerialNorm, MAC: r.Ident.MAC, IP: r.Ident.IP, Hostname: r.Ident.HostnameNorm, AssetTag: r.Ident.AssetTag}) {
					t.Fatalf("%d parts, record %d: %+v %+v, loaded whole as %+v", parts, i, b, k, r)
				}
			}
			got, err := snap.IdentitiesOf(ctx, some)
			snap.Close()
			if err != nil {
				t.Fatal(err)
			}
			var want []IdentRecord
			for i, r := range all {
				if i%2 == 0 || i == len(all)-1 {
					want = append(want, r)
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%d parts: IdentitiesOf differs from the full load's records", parts)
			}
		}
	})
}
