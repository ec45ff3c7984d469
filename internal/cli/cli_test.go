package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/cli"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// run runs the CLI as a user would and returns exit code, stdout, stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), args, &cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const header = "Equipment ID,Serial Number,Manufacturer,Model,Device Type,Facility,Department,Status\n"

func TestCLI_BadDatabase(t *testing.T) {
	notDB := write(t, "inventory.xlsx", []byte("PK\x03\x04 not a database"))
	tests := []struct {
		name string
		dsn  string
		want string
	}{
		{"malformed DSN", "postgres://", "Malformed PostgreSQL DSN"},
		{"unknown scheme", "mysql://db/x", "Unsupported database"},
		{"not a SQLite file", notDB, "is not a SQLite database"},
		{"PostgreSQL down", "postgres://medsec@127.0.0.1:1/x?sslmode=disable&connect_timeout=2", "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, "", "migrate", "--db", tt.dsn)
			if code == 0 || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want non-zero and one line containing %q", code, stderr, tt.want)
			}
		})
	}
}

func TestCLI_ImportCMMS(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		// Windows-1252 with a Dräger, as Excel on Windows saves "CSV".
		w1252, _ := charmap.Windows1252.NewEncoder().String(header +
			"BM-1,A1,Dräger,Infinity Delta,PATIENT MONITOR,Main Campus,ICU 4 West,Active\n" +
			"BM-2,A2,Drägerwerk AG,Infinity Delta,PATIENT MONITOR,Main Campus,NICU,Active\n")
		code, out, stderr := run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", write(t, "cmms-1252.csv", []byte(w1252)))
		if code != 0 || !strings.Contains(out, "2 rows, 2 new") {
			t.Fatalf("1252 import: exit %d\n%s\n%s", code, out, stderr)
		}
		// UTF-16LE with BOM, tab-delimited, as "Unicode text" exports are.
		u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(header+
			"BM-3,A3,Hospira,Plum 360,IV Pump,Main Campus,Med/Surg 5,Active\n", ",", "\t"))
		code, out, stderr = run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", write(t, "cmms-utf16.txt", []byte(u16)))
		if code != 0 || !strings.Contains(out, "1 rows, 1 new") {
			t.Fatalf("utf-16 import: exit %d\n%s\n%s", code, out, stderr)
		}
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		items, _, _ := st.FindAssets(context.Background(), medsec.AssetFilter{Q: "BM-"})
		got := map[string]string{}
		for _, a := range items {
			got[a.AssetTag] = a.Manufacturer
		}
		// The second file is a new export of the same system: BM-1 and BM-2
		// are gone from it, but stay in the inventory with their records.
		if got["BM-1"] != "Dräger" || got["BM-2"] != "Dräger" || got["BM-3"] != "ICU Medical" {
			t.Errorf("manufacturers = %v (Dräger spellings and Hospira should be canonical)", got)
		}
	})
}

func TestCLI_ImportProblems(t *testing.T) {
	dsn := testdb.SQLite(t)
	tests := []struct {
		name, file, content string
		args                []string
		want                []string
	}{
		{"missing key column", "nokey.csv", "Serial Number,Model\n1,X\n", nil, []string{"no key column", "--key"}},
		{"duplicate keys", "dups.csv", header + "BM-1,1,BD,Alaris,IV Pump,F,ICU,Active\nBM-1,2,BD,Alaris,IV Pump,F,ICU,Active\n", nil,
			[]string{`dups.csv row 3, column "Equipment ID": duplicate key "BM-1" (first at row 2)`, "nothing was imported"}},
		{"ragged row", "ragged.csv", header + "BM-1,1,BD\n", nil, []string{"ragged.csv row 2", "nothing was imported"}},
		{"empty key", "emptykey.csv", header + ",1,BD,Alaris,IV Pump,F,ICU,Active\n", nil, []string{`row 2, column "Equipment ID": the key is empty`}},
		{"bad EM", "em.csv", "Equipment ID,EM Number\nBM-1,40\n", nil, []string{`em.csv row 2, column "EM Number"`, "2 to 22"}},
		{"empty file", "empty.csv", "", nil, []string{"empty.csv", "empty"}},
		{"unknown --key", "k.csv", header + "BM-1,1,BD,Alaris,IV Pump,F,ICU,Active\n", []string{"--key", "Asset No"}, []string{`no such column`, "Asset No"}},
		{"truncated xlsx", "t.xlsx", "PK\x03\x04\x14\x00\x00\x00\x08\x00", nil, []string{"t.xlsx"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"import", "--db", dsn, "--source", "cmms", "--file", write(t, tt.file, []byte(tt.content))}, tt.args...)
			code, out, stderr := run(t, "", args...)
			all := out + stderr
			if code == 0 {
				t.Fatalf("exit 0 for %s\n%s", tt.name, all)
			}
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
		})
	}
	st, _ := store.Open(context.Background(), dsn)
	defer st.Close()
	if _, n, _ := st.FindAssets(context.Background(), medsec.AssetFilter{}); n != 0 {
		t.Errorf("refused imports wrote %d assets", n)
	}
}

func TestCLI_HeaderOnlyFile(t *testing.T) {
	dsn := testdb.SQLite(t)
	code, out, stderr := run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", write(t, "empty-export.csv", []byte(header)))
	if code != 0 || !strings.Contains(out, "0 rows, 0 new") {
		t.Errorf("a header-only export should import nothing, cleanly: %d %s %s", code, out, stderr)
	}
	// Once there is an inventory, an empty export is refused: it would mark
	// every device gone.
	run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", write(t, "c.csv", []byte(header+"BM-1,1,BD,Alaris,IV Pump,F,ICU,Active\n")))
	code, _, stderr = run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", write(t, "empty-export.csv", []byte(header)))
	if code == 0 || !strings.Contains(stderr, "would mark all 1 cmms records as gone") {
		t.Errorf("empty re-export: %d %s", code, stderr)
	}
}

func TestCLI_DryRunWritesNothing(t *testing.T) {
	dsn := testdb.SQLite(t)
	f := write(t, "c.csv", []byte(header+"BM-1,1,CareFusion,Alaris PC Unit,INFUSION PUMP,Main,ICU,Active\n"))
	code, out, stderr := run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", f, "--dry-run")
	if code != 0 || !strings.Contains(out, `asset_tag      ← "Equipment ID"`) || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: %d\n%s%s", code, out, stderr)
	}
	st, _ := store.Open(context.Background(), dsn)
	defer st.Close()
	if _, n, _ := st.FindAssets(context.Background(), medsec.AssetFilter{}); n != 0 {
		t.Errorf("dry run wrote %d assets", n)
	}
}

func TestCLI_UsersAndTokens(t *testing.T) {
	dsn := testdb.SQLite(t)
	if code, out, stderr := run(t, "s3cret-passphrase\n", "user", "add", "tech1", "--role", "provider", "--party", "Acme Biomed", "--password-stdin", "--db", dsn); code != 0 || !strings.Contains(out, "party Acme Biomed") {
		t.Fatalf("user add: %d %s %s", code, out, stderr)
	}
	if code, _, stderr := run(t, "x\n", "user", "add", "tech2", "--role", "wizard", "--password-stdin", "--db", dsn); code == 0 || !strings.Contains(stderr, "valid roles are admin, htm, security, provider, compliance, viewer") {
		t.Errorf("bad role: %d %s", code, stderr)
	}
	if code, _, stderr := run(t, "short\n", "user", "add", "tech3", "--role", "viewer", "--password-stdin", "--db", dsn); code == 0 || !strings.Contains(stderr, "at least 8") {
		t.Errorf("short password: %d %s", code, stderr)
	}
	code, out, _ := run(t, "", "token", "create", "tech1", "--db", dsn)
	if code != 0 || !strings.HasPrefix(out, "msk_") {
		t.Errorf("token create: %d %q", code, out)
	}
	if code, _, stderr := run(t, "", "token", "create", "nobody", "--db", dsn); code == 0 || !strings.Contains(stderr, `"nobody" not found`) {
		t.Errorf("token for unknown user: %d %s", code, stderr)
	}
}

func TestCLI_HelpAndVersion(t *testing.T) {
	for _, c := range []string{"serve", "demo", "import", "migrate", "version", "user", "token", "scope", "correlate", "export", "bench"} {
		code, out, _ := run(t, "", c, "--help")
		if code != 0 || !strings.Contains(out, "Usage: medsec "+c) {
			t.Errorf("%s --help: exit %d, %q", c, code, out)
		}
	}
	if code, out, _ := run(t, "", "version"); code != 0 || !strings.HasPrefix(out, "medsec ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, stderr := run(t, "", "frobnicate"); code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Errorf("unknown command: %d %q", code, stderr)
	}
}

func TestCLI_ImportNetworkSourcesAndSkipBadRows(t *testing.T) {
	dsn := testdb.SQLite(t)
	cmdb := "sys_id,name,asset_tag,serial_number,manufacturer,model_id,mac_address,ip_address,sys_class_name,first_discovered,last_discovered\n" +
		"0a1b2c3d4e5f60718293a4b5c6d7e8f9,ICU4W-PUMP-01.hosp.example.org,BM-1,SN1,Lantronix,,00-09-FB-00-00-01,10.1.0.5,cmdb_ci_medical_device,2024-03-05 14:22:10,2025-06-01 08:00:00\n" +
		"1a1b2c3d4e5f60718293a4b5c6d7e8f9,WS-001,,,Dell Inc.,OptiPlex 7090,00:11:22:33:44:55,10.1.0.9,cmdb_ci_computer,2024-03-05 14:22:10,yesterday\n"
	code, out, stderr := run(t, "", "import", "--db", dsn, "--source", "cmdb", "--file", write(t, "cmdb_ci.csv", []byte(cmdb)))
	if code == 0 || !strings.Contains(out+stderr, `cmdb_ci.csv row 3, column "last_discovered": cannot read time "yesterday"`) {
		t.Fatalf("bad time should refuse the file: %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = run(t, "", "import", "--db", dsn, "--source", "cmdb", "--system", "ServiceNow prod", "--skip-bad-rows", "--file", write(t, "cmdb_ci.csv", []byte(cmdb)))
	if code != 0 || !strings.Contains(out, "1 rows, 1 new") || !strings.Contains(out, "1 rejected") || !strings.Contains(out, "rejected: cmdb_ci.csv row 3") {
		t.Fatalf("skip bad rows: %d\n%s%s", code, out, stderr)
	}
	mon := "Device ID,MAC Address,IP Address,Hostname,Manufacturer,Model,Device Type,Firmware Version,Serial Number,Site,VLAN,First Seen,Last Seen\n" +
		"6f1c0b1e-0000-4000-8000-000000000001,0009.fb00.0001,10.1.0.5,icu4w-pump-01,Becton Dickinson,Alaris 8015,Infusion Pump,12.1.2,,Main,110,2024-03-05T14:22:10Z,2025-06-01T08:00:00Z\n"
	code, out, stderr = run(t, "", "import", "--db", dsn, "--source", "monitoring", "--file", write(t, "monitoring.csv", []byte(mon)))
	if code != 0 || !strings.Contains(out, "1 rows, 1 new") {
		t.Fatalf("monitoring import: %d\n%s%s", code, out, stderr)
	}
	code, _, stderr = run(t, "", "import", "--db", dsn, "--source", "monitoring", "--file", write(t, "m.csv", []byte("IP,Hostname\n1,2\n")))
	if code == 0 || !strings.Contains(stderr, "no key column: expected one of device id") {
		t.Errorf("monitoring without key: %d %s", code, stderr)
	}
	code, _, stderr = run(t, "", "import", "--db", dsn, "--source", "erp", "--file", "x.csv")
	if code == 0 || !strings.Contains(stderr, "--source must be one of cmms, cmdb, monitoring, zeek") {
		t.Errorf("unknown source: %d %s", code, stderr)
	}
	st, _ := store.Open(context.Background(), dsn)
	defer st.Close()
	rej, err := st.RejectedRows(context.Background(), 1, 10)
	if err != nil || len(rej) != 1 || rej[0].RowNum != 3 || !strings.Contains(rej[0].Raw, "WS-001") {
		t.Errorf("rejected rows kept = %+v %v", rej, err)
	}
}

// Every row stays as the file gave it: the asset page's record shows the
// row as column → cell in the file's order, a second import of the same
// file finds nothing changed, and rows from a later export that added a
// column show that export's columns.
func TestCLI_RawRowsKeptInFileOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		first := header +
			"BM-1,A1,Dräger,Infinity Delta,PATIENT MONITOR,Main Campus,\"ICU \"\"4\"\" West\",Active\n" +
			"BM-2,A2,BD,Alaris,IV Pump,Main Campus,=1+1,Active\n"
		f1 := write(t, "cmms.csv", []byte(first))
		for i, want := range []string{"2 rows, 2 new", "2 rows, 0 new, 0 changed, 2 unchanged"} {
			code, out, stderr := run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", f1)
			if code != 0 || !strings.Contains(out, want) {
				t.Fatalf("import %d: exit %d, want %q\n%s\n%s", i+1, code, want, out, stderr)
			}
		}
		second := strings.TrimSuffix(header, "\n") + ",Room\n" +
			"BM-1,A1,Dräger,Infinity Delta,PATIENT MONITOR,Main Campus,\"ICU \"\"4\"\" West\",Active,\n" +
			"BM-2,A2,BD,Alaris,IV Pump,Main Campus,=1+1,In Repair,2-114\n"
		code, out, stderr := run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", write(t, "cmms2.csv", []byte(second)))
		if code != 0 || !strings.Contains(out, "2 rows, 0 new, 2 changed") {
			t.Fatalf("third import: exit %d\n%s\n%s", code, out, stderr)
		}
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		want := map[string]string{
			"BM-1": `{"Equipment ID":"BM-1","Serial Number":"A1","Manufacturer":"Dräger","Model":"Infinity Delta","Device Type":"PATIENT MONITOR","Facility":"Main Campus","Department":"ICU \"4\" West","Status":"Active","Room":""}`,
			"BM-2": `{"Equipment ID":"BM-2","Serial Number":"A2","Manufacturer":"BD","Model":"Alaris","Device Type":"IV Pump","Facility":"Main Campus","Department":"=1+1","Status":"In Repair","Room":"2-114"}`,
		}
		items, _, _ := st.FindAssets(context.Background(), medsec.AssetFilter{Q: "BM-"})
		if len(items) != 2 {
			t.Fatalf("%d assets, want 2", len(items))
		}
		for _, a := range items {
			recs, err := st.SourceRecordsForAsset(context.Background(), a.ID)
			if err != nil || len(recs) != 1 || string(recs[0].Raw) != want[a.AssetTag] {
				t.Errorf("%s: records %+v, %v\nwant raw %s", a.AssetTag, recs, err, want[a.AssetTag])
			}
		}
	})
}
