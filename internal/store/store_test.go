package store_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

func mustOpen(t *testing.T, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestMigrationNamesMatch(t *testing.T) {
	a, _ := store.MigrationNames(store.SQLite)
	b, _ := store.MigrationNames(store.Postgres)
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("migration trees differ: sqlite %v, postgres %v", a, b)
	}
}

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn     string
		dialect store.Dialect
		wantErr string
	}{
		{"medsec.db", store.SQLite, ""},
		{"sqlite:/tmp/x.db", store.SQLite, ""},
		{"postgres://u:p@localhost:5432/db", store.Postgres, ""},
		{"postgres://", "", "no host"},
		{"postgres://a b:%zz@x/db", "", "Malformed PostgreSQL DSN"},
		{"mysql://x/y", "", "Unsupported database"},
		{"sqlite:", "", "no file path"},
		{"", "", "empty"},
	}
	for _, tt := range tests {
		d, _, err := store.ParseDSN(tt.dsn)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseDSN(%q) err = %v, want %q", tt.dsn, err, tt.wantErr)
			}
			continue
		}
		if err != nil || d != tt.dialect {
			t.Errorf("ParseDSN(%q) = %v, %v", tt.dsn, d, err)
		}
	}
	if got := store.Redact("postgres://u:secret@h/db"); strings.Contains(got, "secret") {
		t.Errorf("Redact kept the password: %s", got)
	}
}

func TestOpen_BadTargets(t *testing.T) {
	ctx := context.Background()
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notDB, []byte("this is a spreadsheet, honest\n"), 0o644)
	if _, err := store.Open(ctx, notDB); err == nil || !strings.Contains(err.Error(), "not a SQLite database") {
		t.Errorf("opening a text file: err = %v", err)
	}
	missing := filepath.Join(t.TempDir(), "no such folder", "medsec.db")
	if _, err := store.Open(ctx, missing); err == nil || !strings.Contains(err.Error(), "the folder "+filepath.Dir(missing)+" does not exist") {
		t.Errorf("a database in a missing folder: err = %v", err)
	}
	if _, err := store.Open(ctx, "postgres://medsec@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"); err == nil ||
		medsec.ErrorCode(err) != medsec.EUNAVAILABLE || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("PostgreSQL down: err = %v", err)
	}
}

// A new SQLite database (no file, or an empty one) gets 16 KiB pages and
// WAL; one made before keeps its pages and opens as before.
func TestOpen_SQLitePageSize(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pragmas := func(path string) (int, string) {
		t.Helper()
		db, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var size int
		var mode string
		if err := db.QueryRow(`PRAGMA page_size`).Scan(&size); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		return size, mode
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(dir, "new.db"), empty} {
		st, err := store.Open(ctx, path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		st.Close()
		if size, mode := pragmas(path); size != 16384 || mode != "wal" {
			t.Errorf("%s: page_size %d, journal_mode %s; want 16384, wal", filepath.Base(path), size, mode)
		}
	}
	old := filepath.Join(dir, "old.db")
	db, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('made before')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	st, err := store.Open(ctx, old)
	if err != nil {
		t.Fatalf("a 4 KiB-page database: %v", err)
	}
	st.Close()
	if size, mode := pragmas(old); size != 4096 || mode != "wal" {
		t.Errorf("old database: page_size %d, journal_mode %s; want 4096 kept, wal", size, mode)
	}
	db, err = sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow(`SELECT v FROM kept`).Scan(&v); err != nil || v != "made before" {
		t.Errorf("old database's data after opening: %q %v", v, err)
	}
}

func TestStore_Migrate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		st := mustOpen(t, dsn)
		if err := st.Migrate(context.Background()); err != nil {
			t.Fatalf("second migrate should be a no-op: %v", err)
		}
	})
}

// rec builds an import record for a CMMS row.
func rec(row int, tag, serial, facility, dept, hash string) *store.ImportRecord {
	return &store.ImportRecord{RowNum: row, Key: tag, Raw: `{"Equipment ID":"` + tag + `"}`, Hash: hash,
		Asset: &store.AssetFields{Tag: tag, Serial: serial, Manufacturer: "BD", ManufacturerAlias: "CareFusion", Model: "Alaris PC Unit",
			ModelNumber: "8015", ModalityCode: "infusion_pump", ModalityName: "Infusion pump", Facility: facility, Department: dept, CareArea: "icu",
			Status: "Active", MAC: "00-09-FB-12-AB-CD", IP: "10.1.2.3", Hostname: "PUMP-1.hosp.example.org"}}
}

func feed(recs ...*store.ImportRecord) func() (*store.ImportRecord, error) {
	i := 0
	return func() (*store.ImportRecord, error) {
		if i == len(recs) {
			return nil, io.EOF
		}
		i++
		return recs[i-1], nil
	}
}

func TestStore_ImportAndFind(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := mustOpen(t, dsn)
		actor := medsec.Actor{Name: "tester"}
		b := &medsec.ImportBatch{System: "cmms", FileName: "cmms.csv", Format: "csv", KeyColumn: "Equipment ID"}
		err := st.Import(ctx, actor, b, feed(
			rec(2, "BM-001", "SN-0001", "General Hospital", "ICU 4 West", "h1"),
			rec(3, "BM-002", "SN-0002", "General Hospital", "ICU 4 West", "h2"),
			rec(4, "BM-003", "AB77", "Clinic North", "Outpatient Clinic", "h3"),
		), nil)
		if err != nil {
			t.Fatal(err)
		}
		if b.New != 3 || b.Rows != 3 {
			t.Errorf("batch = %+v", b)
		}
		items, total, err := st.FindAssets(ctx, medsec.AssetFilter{})
		if err != nil || total != 3 || len(items) != 3 {
			t.Fatalf("FindAssets = %d items, total %d, %v", len(items), total, err)
		}
		a := items[0]
		if a.AssetTag != "BM-001" || a.Manufacturer != "BD" || a.Modality != "Infusion pump" || a.CareArea != medsec.CareICU || a.MAC != "00:09:fb:12:ab:cd" {
			t.Errorf("asset = %+v", a)
		}
		// Search by serial prefix with sloppy typing, by MAC notation, by model name.
		for q, want := range map[string]int{"sn-000": 2, "0009.fb12.abcd": 3, "alaris": 3, "bm-003": 1, "pump-1": 3, "nothing": 0, "careFusion": 3} {
			_, n, err := st.FindAssets(ctx, medsec.AssetFilter{Q: q})
			if err != nil || n != want {
				t.Errorf("search %q: %d results (%v), want %d", q, n, err, want)
			}
		}
		// Filter and sort.
		fac, _ := st.Facilities(ctx)
		var clinic int64
		for _, f := range fac {
			if f.Name == "Clinic North" {
				clinic = f.ID
			}
		}
		items, total, _ = st.FindAssets(ctx, medsec.AssetFilter{FacilityID: clinic})
		if total != 1 || items[0].AssetTag != "BM-003" {
			t.Errorf("facility filter: %d", total)
		}
		items, _, _ = st.FindAssets(ctx, medsec.AssetFilter{Sort: "-asset_tag", PerPage: 2, Page: 1})
		if len(items) != 2 || items[0].AssetTag != "BM-003" {
			t.Errorf("descending sort: %+v", items)
		}
		recs, err := st.SourceRecordsForAsset(ctx, a.ID)
		if err != nil || len(recs) != 1 || recs[0].System != "cmms" || recs[0].RowNum != 2 || string(recs[0].Raw) != `{"Equipment ID":"BM-001"}` {
			t.Errorf("source records = %+v, %v", recs, err)
		}
		// Re-import: one unchanged, one changed, one gone, one new.
		b2 := &medsec.ImportBatch{System: "cmms", FileName: "cmms2.csv", Format: "csv", KeyColumn: "Equipment ID"}
		changed := rec(3, "BM-002", "SN-0002", "General Hospital", "NICU", "h2b")
		changed.Raw = `{"Equipment ID":"BM-002","Department":"NICU"}`
		err = st.Import(ctx, actor, b2, feed(rec(2, "BM-001", "SN-0001", "General Hospital", "ICU 4 West", "h1"), changed,
			rec(4, "BM-004", "ZZ1", "Clinic North", "Outpatient Clinic", "h4")), nil)
		if err != nil {
			t.Fatal(err)
		}
		if b2.New != 1 || b2.Changed != 1 || b2.Unchanged != 1 || b2.Gone != 1 {
			t.Errorf("re-import counts = new %d changed %d unchanged %d gone %d", b2.New, b2.Changed, b2.Unchanged, b2.Gone)
		}
		_, total, _ = st.FindAssets(ctx, medsec.AssetFilter{})
		if total != 4 {
			t.Errorf("total after re-import = %d, want 4", total)
		}
		// The changed row's new text is what the asset page shows.
		bm2, _, _ := st.FindAssets(ctx, medsec.AssetFilter{Q: "bm-002"})
		if len(bm2) != 1 {
			t.Fatalf("BM-002: %d assets", len(bm2))
		}
		if recs, err := st.SourceRecordsForAsset(ctx, bm2[0].ID); err != nil || len(recs) != 1 || string(recs[0].Raw) != changed.Raw || recs[0].RowNum != 3 {
			t.Errorf("changed record = %+v, %v", recs, err)
		}
		// Counts for the dashboard.
		cs, err := st.CountAssetsBy(ctx, "facility", 0)
		if err != nil || len(cs) != 2 || cs[0].N != 2 {
			t.Errorf("counts = %+v %v", cs, err)
		}
		// An import whose rows fail rolls back entirely.
		boom := errors.New("row 7: bad")
		calls := 0
		err = st.Import(ctx, actor, &medsec.ImportBatch{System: "cmms", FileName: "bad.csv"}, func() (*store.ImportRecord, error) {
			calls++
			if calls == 1 {
				return rec(2, "BM-999", "X", "General Hospital", "ICU", "hx"), nil
			}
			return nil, boom
		}, nil)
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		if _, total, _ = st.FindAssets(ctx, medsec.AssetFilter{}); total != 4 {
			t.Errorf("a failed import left rows behind: total %d", total)
		}
		// The audit log has one record per applied batch.
		entries, n, err := st.FindAudit(ctx, medsec.AuditFilter{Action: "import"})
		if err != nil || n != 2 || entries[0].Actor != "tester" || len(entries[0].After) == 0 {
			t.Errorf("audit = %d entries %v", n, err)
		}
	})
}

func TestStore_ProviderScope(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := mustOpen(t, dsn)
		err := st.Import(ctx, medsec.System, &medsec.ImportBatch{System: "cmms", FileName: "c.csv"}, feed(
			rec(2, "A1", "1", "General Hospital", "ICU", "1"), rec(3, "A2", "2", "Clinic North", "Clinic", "2")), nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := st.EnsureParty(ctx, medsec.System, "Acme Biomed", medsec.PartyProvider)
		if err != nil {
			t.Fatal(err)
		}
		// No scope yet: the provider sees nothing.
		if _, n, _ := st.FindAssets(ctx, medsec.AssetFilter{ScopePartyID: p.ID}); n != 0 {
			t.Errorf("provider without scope sees %d assets", n)
		}
		fac, _ := st.Facilities(ctx)
		var clinic int64
		for _, f := range fac {
			if f.Name == "Clinic North" {
				clinic = f.ID
			}
		}
		if err := st.AddScope(ctx, medsec.System, medsec.ScopeRule{PartyID: p.ID, FacilityID: clinic}); err != nil {
			t.Fatal(err)
		}
		items, n, _ := st.FindAssets(ctx, medsec.AssetFilter{ScopePartyID: p.ID})
		if n != 1 || items[0].AssetTag != "A2" {
			t.Fatalf("scoped list = %d", n)
		}
		all, _, _ := st.FindAssets(ctx, medsec.AssetFilter{})
		for _, a := range all {
			_, err := st.FindAsset(ctx, a.ID, p.ID)
			if a.AssetTag == "A1" && medsec.ErrorCode(err) != medsec.ENOTFOUND {
				t.Errorf("out-of-scope asset: err = %v", err)
			}
			if a.AssetTag == "A2" && err != nil {
				t.Errorf("in-scope asset: %v", err)
			}
		}
	})
}

func TestStore_UsersSessionsTokens(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := mustOpen(t, dsn)
		u := &medsec.User{Name: "alice", Role: medsec.RoleHTM}
		if err := st.CreateUser(ctx, medsec.System, u, "$argon2id$x"); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateUser(ctx, medsec.System, &medsec.User{Name: "alice", Role: medsec.RoleHTM}, "x"); medsec.ErrorCode(err) != medsec.ECONFLICT {
			t.Errorf("duplicate user: %v", err)
		}
		if err := st.CreateUser(ctx, medsec.System, &medsec.User{Name: "bob", Role: medsec.RoleProvider}, "x"); medsec.ErrorCode(err) != medsec.EINVALID {
			t.Errorf("provider without party: %v", err)
		}
		got, hash, err := st.UserByName(ctx, "alice")
		if err != nil || got.ID != u.ID || hash != "$argon2id$x" {
			t.Fatalf("UserByName = %+v %q %v", got, hash, err)
		}
		now := st.Now()
		if err := st.CreateSession(ctx, "h1", u.ID, "csrf1", now.Add(1e9*3600)); err != nil {
			t.Fatal(err)
		}
		sess, err := st.SessionByHash(ctx, "h1")
		if err != nil || sess.User.Name != "alice" || sess.CSRF != "csrf1" {
			t.Fatalf("session = %+v %v", sess, err)
		}
		st.CreateSession(ctx, "h2", u.ID, "c", now.Add(-1e9))
		if _, err := st.SessionByHash(ctx, "h2"); medsec.ErrorCode(err) != medsec.EUNAUTHORIZED || !strings.Contains(err.Error(), "expired") {
			t.Errorf("expired session: %v", err)
		}
		if _, err := st.CreateToken(ctx, medsec.System, u.ID, "ci", "tokhash"); err != nil {
			t.Fatal(err)
		}
		if tu, err := st.UserByToken(ctx, "tokhash"); err != nil || tu.Name != "alice" {
			t.Errorf("token user = %v %v", tu, err)
		}
		if _, err := st.UserByToken(ctx, "nope"); medsec.ErrorCode(err) != medsec.EUNAUTHORIZED {
			t.Errorf("bad token: %v", err)
		}
		for i := 0; i < 3; i++ {
			st.RecordLogin(ctx, "alice", "10.0.0.1", false)
		}
		st.RecordLogin(ctx, "alice", "10.0.0.1", true)
		byName, byIP, err := st.FailedLogins(ctx, "alice", "10.0.0.1", now.Add(-60e9))
		if err != nil || byName != 3 || byIP != 3 {
			t.Errorf("failed logins = %d %d %v", byName, byIP, err)
		}
		entries, _, _ := st.FindAudit(ctx, medsec.AuditFilter{Entity: "user"})
		if len(entries) != 1 || entries[0].Action != "create" || !strings.Contains(string(entries[0].After), `"alice"`) {
			t.Errorf("user audit = %+v", entries)
		}
		if err := st.DeleteUser(ctx, medsec.System, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.UserByToken(ctx, "tokhash"); medsec.ErrorCode(err) != medsec.EUNAUTHORIZED {
			t.Errorf("a deleted user's token still works: %v", err)
		}
		if entries, _, _ = st.FindAudit(ctx, medsec.AuditFilter{Entity: "user", Action: "delete"}); len(entries) != 1 || !strings.Contains(string(entries[0].Before), `"alice"`) {
			t.Errorf("user deletion audit = %+v", entries)
		}
	})
}

// An initial load rebuilds the asset indexes after the rows are in; they
// must all be back, and queries must still use them.
func TestStore_InitialLoadKeepsIndexes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := mustOpen(t, dsn)
		count := func() int {
			q := `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'assets'`
			if st.Dialect() == store.Postgres {
				q = `SELECT count(*) FROM pg_indexes WHERE tablename = 'assets' AND schemaname = current_schema()`
			}
			var n int
			if err := st.DB().QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		err := st.Import(ctx, medsec.System, &medsec.ImportBatch{System: "cmms", FileName: "c.csv"},
			feed(rec(2, "A1", "1", "F", "ICU", "1"), rec(3, "A2", "2", "F", "ICU", "2")), &store.ImportOptions{Assets: true})
		if err != nil {
			t.Fatal(err)
		}
		if after := count(); after != before || before < 10 {
			t.Errorf("asset indexes: %d before the load, %d after", before, after)
		}
		if _, n, err := st.FindAssets(ctx, medsec.AssetFilter{Q: "a2"}); err != nil || n != 1 {
			t.Errorf("search after the load: %d %v", n, err)
		}
	})
}
