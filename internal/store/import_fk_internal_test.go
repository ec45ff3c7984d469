package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/testdb"
)

// openSQLite opens a fresh SQLite store, closed when the test ends, and an
// administrator to act as.
func openSQLite(t *testing.T) (context.Context, *Store, medsec.Actor) {
	t.Helper()
	return openDSN(t, testdb.SQLite(t))
}

// openDSN is openSQLite for any database (testdb.Each gives one per backend).
func openDSN(t *testing.T, dsn string) (context.Context, *Store, medsec.Actor) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return ctx, s, medsec.Actor{Name: "tester", Role: medsec.RoleAdmin}
}

// feedRecords yields recs one by one, then io.EOF, as an importer would.
func feedRecords(recs ...*ImportRecord) func() (*ImportRecord, error) {
	return func() (*ImportRecord, error) {
		if len(recs) == 0 {
			return nil, io.EOF
		}
		r := recs[0]
		recs = recs[1:]
		return r, nil
	}
}

// Imports run on SQLite with foreign keys unchecked (see withImportTx):
// after first imports, a re-import with changed, new and gone rows, and a
// failed import, every reference must still hold, and every pooled
// connection must have its foreign keys back on.
func TestImport_ForeignKeysHoldAndComeBack(t *testing.T) {
	ctx, s, actor := openSQLite(t)
	cmms := func(key, facility, dept, hash string) *ImportRecord {
		return &ImportRecord{RowNum: 2, Key: key, Raw: `{"Equipment ID":"` + key + `"}`, Hash: hash,
			Ident: Ident{SerialNorm: "SN" + key, AssetTag: key},
			Asset: &AssetFields{Tag: key, Serial: "SN" + key, Manufacturer: "BD", ManufacturerAlias: "CareFusion", Model: "Alaris PC Unit",
				ModelNumber: "8015", ModalityCode: "infusion_pump", ModalityName: "Infusion pump", Facility: facility, Department: dept, CareArea: "icu", Status: "Active"}}
	}
	network := func(key, mac string) *ImportRecord {
		return &ImportRecord{RowNum: 2, Key: key, Raw: `{"sys_id":"` + key + `"}`, Hash: "h" + key, Ident: Ident{MAC: mac}}
	}
	imp := func(system string, assets bool, next func() (*ImportRecord, error)) error {
		return s.Import(ctx, actor, &medsec.ImportBatch{System: system, FileName: system + ".csv", Format: "csv", KeyColumn: "key"}, next, &ImportOptions{Assets: assets})
	}
	if err := imp("cmms", true, feedRecords(cmms("A1", "General", "ICU", "1"), cmms("A2", "General", "NICU", "2"), cmms("A3", "North", "ED", "3"))); err != nil {
		t.Fatal(err)
	}
	if err := imp("cmdb", false, feedRecords(network("c1", "00:00:00:00:00:01"), network("c2", "00:00:00:00:00:02"))); err != nil {
		t.Fatal(err)
	}
	// Changed (new facility and department), unchanged, new; A3 is gone.
	if err := imp("cmms", true, feedRecords(cmms("A1", "South", "PICU", "1b"), cmms("A2", "General", "NICU", "2"), cmms("A4", "South", "OR", "4"))); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("row 3: bad")
	calls := 0
	if err := imp("cmms", true, func() (*ImportRecord, error) {
		if calls++; calls == 1 {
			return cmms("A9", "West", "ICU", "9"), nil
		}
		return nil, boom
	}); !errors.Is(err, boom) {
		t.Fatalf("failed import: %v", err)
	}
	if bad, err := s.ForeignKeyProblems(ctx); err != nil || len(bad) > 0 {
		t.Errorf("dangling references: %v %v", bad, err)
	}
	var raws int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM source_raw w JOIN source_records r ON r.id = w.record_id`).Scan(&raws); err != nil || raws != 6 {
		t.Errorf("raw rows = %d (%v), want 6 (A1-A4, c1, c2)", raws, err)
	}
	// Hold every pooled connection at once and ask each.
	var conns []interface{ Close() error }
	for i := 0; i < 8; i++ {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var on int
		if err := c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on); err != nil || on != 1 {
			t.Errorf("connection %d: foreign_keys = %d (%v)", i, on, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

// A correlation run keeps a discovered asset that any of assetReferences
// names; a table added later that names assets must be on that list.
func TestAssetReferencesCoverTheSchema(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, testdb.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND f."table" = 'assets' AND m.name <> 'source_records' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		got = append(got, n)
	}
	want := slices.Sorted(slices.Values(assetReferences))
	if !slices.Equal(got, want) {
		t.Errorf("tables naming assets = %v, assetReferences = %v", got, want)
	}
}

// The importer refuses a file that repeats a key; should a repeated key
// still reach the store (a caller that skipped that check), the batch must
// fail whole, naming what went wrong, and leave nothing behind, on both
// backends. (On SQLite new records go in as INSERT OR IGNORE, so this is
// checked by what was written, not by the UNIQUE constraint's error, and
// the error names the row and its key.)
func TestImport_RepeatedKeyFailsTheWholeBatch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx, s, actor := openDSN(t, dsn)
		var recs []*ImportRecord
		for i := 0; i < importChunk+10; i++ {
			key := fmt.Sprintf("m-%d", i)
			if i == importChunk+5 {
				key = "m-3" // repeated, in the second chunk
			}
			recs = append(recs, &ImportRecord{RowNum: i + 2, Key: key, Raw: `{"Device ID":"` + key + `"}`, Hash: fmt.Sprint(i), Ident: Ident{MAC: fmt.Sprintf("00:00:00:00:%02x:%02x", i/256, i%256)}})
		}
		err := s.Import(ctx, actor, &medsec.ImportBatch{System: "monitoring", FileName: "mon.csv", Format: "csv", KeyColumn: "Device ID"}, feedRecords(recs...), nil)
		if err == nil {
			t.Fatal("a batch with a repeated key was accepted")
		}
		if s.dialect == SQLite && !strings.Contains(err.Error(), fmt.Sprintf(`row %d (key "m-3")`, importChunk+7)) {
			t.Errorf("error = %v; want it to name row %d and key m-3", err, importChunk+7)
		}
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM source_records) + (SELECT count(*) FROM source_raw) + (SELECT count(*) FROM import_batches)`).Scan(&n); err != nil || n != 0 {
			t.Errorf("after the failed batch: %d rows left (%v), want none", n, err)
		}
	})
}

// Two CMMS rows that name one equipment ID under different keys, or a row
// naming an asset that is already there, make one asset, not an error: on
// SQLite the chunk insert ignores the second row and looks the asset up.
func TestImport_RowsSharingATagShareTheAsset(t *testing.T) {
	ctx, s, actor := openSQLite(t)
	row := func(key, tag string) *ImportRecord {
		return &ImportRecord{RowNum: 2, Key: key, Raw: `{"Serial":"` + key + `"}`, Hash: key, Ident: Ident{SerialNorm: key, AssetTag: tag},
			Asset: &AssetFields{Tag: tag, Serial: key, Manufacturer: "BD", Model: "Alaris PC Unit", ModalityCode: "infusion_pump", ModalityName: "Infusion pump", Facility: "General", Status: "Active"}}
	}
	imp := func(recs ...*ImportRecord) error {
		return s.Import(ctx, actor, &medsec.ImportBatch{System: "cmms", FileName: "cmms.csv", Format: "csv", KeyColumn: "Serial"}, feedRecords(recs...), &ImportOptions{Assets: true, KeepMissing: true})
	}
	if err := imp(row("S1", "T-1"), row("S2", "T-2"), row("S3", "T-1")); err != nil {
		t.Fatal(err)
	}
	if err := imp(row("S4", "T-2")); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	rows, err := s.db.QueryContext(ctx, `SELECT r.record_key, a.asset_tag FROM source_records r JOIN assets a ON a.id = r.asset_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, tag string
		if err := rows.Scan(&k, &tag); err != nil {
			t.Fatal(err)
		}
		got[k] = tag
	}
	want := map[string]string{"S1": "T-1", "S2": "T-2", "S3": "T-1", "S4": "T-2"}
	if !maps.Equal(got, want) {
		t.Errorf("record -> asset = %v, want %v", got, want)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM assets`).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d assets (%v), want 2", n, err)
	}
	if bad, err := s.ForeignKeyProblems(ctx); err != nil || len(bad) > 0 {
		t.Errorf("dangling references: %v %v", bad, err)
	}
}
