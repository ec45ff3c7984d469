package store

import (
	"context"
	"errors"
	"maps"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/testdb"
)

// foreignKeys lists the foreign keys of the tables a CMMS import writes,
// as "table: definition".
func foreignKeys(t *testing.T, ctx context.Context, s *Store) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, table := range []string{"assets", "source_records", "source_raw", "record_links"} {
		q := `SELECT "table" || '(' || "from" || ') -> ' || "to" FROM pragma_foreign_key_list(?)`
		if s.dialect == Postgres {
			q = `SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ?::regclass AND contype = 'f'`
		}
		defs, err := column[string](ctx, s, s.db, q, table)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range defs {
			out[table+": "+d] = true
		}
	}
	return out
}

// A first CMMS load on PostgreSQL drops the foreign keys of the tables it
// fills and adds them back (one validating join instead of a check per
// row); afterwards every key is there as the schema defines it, and a
// failed first load leaves them too. SQLite's keys never move.
func TestImport_FirstLoadKeepsEveryForeignKey(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx, s, actor := openDSN(t, dsn)
		before := foreignKeys(t, ctx, s)
		if len(before) < 7 {
			t.Fatalf("the schema's foreign keys: %v", before)
		}
		rec := func(tag string) *ImportRecord {
			return &ImportRecord{RowNum: 2, Key: tag, Raw: `{"Equipment ID":"` + tag + `"}`, Hash: tag, Ident: Ident{AssetTag: tag},
				Asset: &AssetFields{Tag: tag, Manufacturer: "BD", Model: "Alaris PC Unit", ModalityCode: "infusion_pump", ModalityName: "Infusion pump",
					Facility: "General", Department: "ICU", CareArea: "icu", Status: "Active"}}
		}
		failing := func() (*ImportRecord, error) { return nil, errors.New("row 3: bad date") }
		first := true
		err := s.Import(ctx, actor, &medsec.ImportBatch{System: "cmms", FileName: "c.csv", Format: "csv"}, func() (*ImportRecord, error) {
			if first {
				first = false
				return rec("EQ1"), nil
			}
			return failing()
		}, &ImportOptions{Assets: true})
		if err == nil {
			t.Fatal("a failing import went through")
		}
		if after := foreignKeys(t, ctx, s); !maps.Equal(before, after) {
			t.Errorf("foreign keys after a failed first load:\nbefore %v\nafter  %v", before, after)
		}
		if err := s.Import(ctx, actor, &medsec.ImportBatch{System: "cmms", FileName: "c.csv", Format: "csv"}, feedRecords(rec("EQ1"), rec("EQ2")), &ImportOptions{Assets: true}); err != nil {
			t.Fatal(err)
		}
		if after := foreignKeys(t, ctx, s); !maps.Equal(before, after) {
			t.Errorf("foreign keys after a first load:\nbefore %v\nafter  %v", before, after)
		}
		if n, _ := s.CountSourceRecords(ctx); n != 2 {
			t.Errorf("%d records, want 2", n)
		}
	})
}
