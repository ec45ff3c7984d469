package tabular

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func utf16Bytes(t testing.TB, s string, order unicode.Endianness, bom unicode.BOMPolicy) []byte {
	t.Helper()
	b, err := unicode.UTF16(order, bom).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func cp1252(t testing.TB, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// csvSeeds are valid inputs shared with FuzzCSV.
var csvSeeds = []string{
	"Asset,Serial Number,Vendor\n1,SN-1,Dräger\n2,SN-2,Philips\n",
	"Asset;Serial Number;Vendor\r\n1;SN-1;\"Dräger; Lübeck\"\r\n",
	"Asset\tSerial\n1\t\"multi\nline\"\n",
	"Asset|Serial\n1|x\n",
	"a,b\n",
	"a,b\n\"x\"\"y\",\"=cmd|' /C calc'!A0\"\n",
}

func TestCSVDelimiters(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		delim rune
		hdr   []string
		rows  [][]string
	}{
		{"comma", "Asset, Serial Number ,Vendor\n1,SN-1, Dräger \n", ',',
			[]string{"Asset", "Serial Number", "Vendor"}, [][]string{{"1", "SN-1", " Dräger "}}},
		{"semicolon", "Asset;Serial;Vendor\r\n1;SN,1;\"Dräger; Lübeck\"\r\n", ';',
			[]string{"Asset", "Serial", "Vendor"}, [][]string{{"1", "SN,1", "Dräger; Lübeck"}}},
		{"tab", "Asset\tSerial\n1\tx,y;z\n", '\t', []string{"Asset", "Serial"}, [][]string{{"1", "x,y;z"}}},
		{"pipe", "Asset|Serial\n1|x\n", '|', []string{"Asset", "Serial"}, [][]string{{"1", "x"}}},
		{"quoted header ignores commas", "\"Name, first\";\"Name, last\"\nA;B\n", ';',
			[]string{"Name, first", "Name, last"}, [][]string{{"A", "B"}}},
		{"single column", "Serial\nA\nB\n", ',', []string{"Serial"}, [][]string{{"A"}, {"B"}}},
		{"no trailing newline", "a,b\n1,2", ',', []string{"a", "b"}, [][]string{{"1", "2"}}},
		{"blank lines skipped", "a,b\n\n1,2\n\r\n\n3,4\n", ',', []string{"a", "b"}, [][]string{{"1", "2"}, {"3", "4"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readAll(t, "x.csv", []byte(tt.in), Options{})
			if res.err != nil {
				t.Fatal(res.err)
			}
			if d := res.r.Delimiter(); d != tt.delim {
				t.Errorf("delimiter %q, want %q", d, tt.delim)
			}
			if !reflect.DeepEqual(res.header, tt.hdr) {
				t.Errorf("header %q, want %q", res.header, tt.hdr)
			}
			if got := cells(res.rows); !reflect.DeepEqual(got, tt.rows) {
				t.Errorf("rows %q, want %q", got, tt.rows)
			}
		})
	}
}

func TestCSVEncodings(t *testing.T) {
	const text = "Hersteller;Modell\r\nDräger;Infinity “Delta”\r\nÜberwachung;ä\r\n"
	want := [][]string{{"Dräger", "Infinity “Delta”"}, {"Überwachung", "ä"}}
	tests := []struct {
		name string
		in   []byte
		enc  string
	}{
		{"utf-8", []byte(text), "utf-8"},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, text...), "utf-8-bom"},
		{"utf-16le bom", utf16Bytes(t, text, unicode.LittleEndian, unicode.UseBOM), "utf-16le"},
		{"utf-16be bom", utf16Bytes(t, text, unicode.BigEndian, unicode.UseBOM), "utf-16be"},
		{"utf-16le no bom", utf16Bytes(t, text, unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le"},
		{"utf-16be no bom", utf16Bytes(t, text, unicode.BigEndian, unicode.IgnoreBOM), "utf-16be"},
		{"windows-1252", cp1252(t, text), "windows-1252"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readAll(t, "export.csv", tt.in, Options{})
			if res.err != nil {
				t.Fatal(res.err)
			}
			if e := res.r.Encoding(); e != tt.enc {
				t.Errorf("encoding %q, want %q", e, tt.enc)
			}
			if !reflect.DeepEqual(res.header, []string{"Hersteller", "Modell"}) {
				t.Errorf("header %q", res.header)
			}
			if got := cells(res.rows); !reflect.DeepEqual(got, want) {
				t.Errorf("rows %q, want %q", got, want)
			}
		})
	}
}

func TestCSVErrors(t *testing.T) {
	// Valid UTF-8 beyond the sniffed chunk, then one Windows-1252 byte.
	late := "Asset,Vendor\n" + strings.Repeat("1,Philips\n", 10000) + "2,Dr\xe4ger\n"
	tests := []struct {
		name string
		in   string
		opt  Options
		row  int
		col  string
		want []string
	}{
		{"empty file", "", Options{}, 0, "", []string{"cmms.csv: empty file"}},
		{"blank lines only", "\n\n\r\n", Options{}, 0, "", []string{"cmms.csv: empty file"}},
		{"late invalid utf-8", late, Options{}, 10002, "Vendor",
			[]string{`cmms.csv row 10002, column "Vendor": invalid UTF-8`}},
		{"ragged short", "a,b,c\n1,2,3\n1,2\n", Options{}, 3, "c",
			[]string{"cmms.csv row 3", `column "c"`, "2 cells", "3 columns"}},
		{"ragged long", "a,b\n1,2,3\n", Options{}, 2, "column 3",
			[]string{"cmms.csv row 2, column 3:", "3 cells", "2 columns"}},
		{"duplicate header", "Serial,Name,Serial\n", Options{}, 1, "column 3",
			[]string{"cmms.csv row 1, column 3", `duplicate header name "Serial"`, "column 1 and column 3"}},
		{"blank header", "a,,c\n", Options{}, 1, "column 2", []string{"row 1, column 2: blank header name"}},
		{"nul", "a,b\n1,x\x00y\n", Options{}, 2, "b", []string{`row 2, column "b"`, "NUL"}},
		{"bare quote", "a,b,c\n1,ab\"c,3\n", Options{}, 2, "b", []string{`row 2, column "b"`, "stray \""}},
		{"unclosed quote", "a,b\n1,2\n3,\"open\nmore\n", Options{}, 3, "b", []string{`row 3, column "b"`, "quote"}},
		{"cell too long", "a,b\n1," + strings.Repeat("x", 100) + "\n", Options{MaxCellBytes: 50}, 2, "b",
			[]string{`row 2, column "b"`, "100 bytes", "50-byte limit"}},
		{"record too long", "a,b\n1,\"" + strings.Repeat("x\n", 200000), Options{MaxCellBytes: 1000}, 2, "b",
			[]string{`row 2, column "b"`, "longer than"}},
		{"max rows", "a\n1\n2\n3\n", Options{MaxRows: 2}, 4, "", []string{"row 4", "more than 2 data rows"}},
		{"xlsx named csv", "PK\x03\x04 rest", Options{Format: CSV}, 0, "", []string{"zip archive"}},
		{"utf-32", "\xff\xfe\x00\x00a\x00\x00\x00", Options{}, 0, "", []string{"UTF-32"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readAll(t, "cmms.csv", []byte(tt.in), tt.opt)
			e := wantErr(t, res.err, tt.want...)
			if e.Row != tt.row || e.Column != tt.col || e.File != "cmms.csv" {
				t.Errorf("got File=%q Row=%d Column=%q, want Row=%d Column=%q", e.File, e.Row, e.Column, tt.row, tt.col)
			}
		})
	}
}

func TestCSVHeaderOnly(t *testing.T) {
	for _, in := range []string{"a,b\n", "a,b", "\ufeffa;b\r\n\r\n"} {
		res := readAll(t, "h.csv", []byte(in), Options{})
		if res.err != nil || len(res.rows) != 0 || !reflect.DeepEqual(res.header, []string{"a", "b"}) {
			t.Errorf("%q: header %q rows %d err %v", in, res.header, len(res.rows), res.err)
		}
	}
}

func TestCSVQuotedNewlineLines(t *testing.T) {
	in := "Asset,Notes\n1,\"line one\nline two\"\n\n2,plain\n3,\"x\"\n"
	res := readAll(t, "q.csv", []byte(in), Options{})
	if res.err != nil {
		t.Fatal(res.err)
	}
	want := []Row{
		{Line: 2, PhysicalLine: 2, Cells: []string{"1", "line one\nline two"}},
		{Line: 3, PhysicalLine: 5, Cells: []string{"2", "plain"}},
		{Line: 4, PhysicalLine: 6, Cells: []string{"3", "x"}},
	}
	if !reflect.DeepEqual(res.rows, want) {
		t.Errorf("rows %+v, want %+v", res.rows, want)
	}
	// Errors report the physical line too when it differs.
	_, err := readAllErr(t, "Asset,Notes\n1,\"a\nb\"\n2\n")
	wantErr(t, err, "q.csv row 3 (line 4)")
}

func readAllErr(t *testing.T, in string) ([]Row, error) {
	res := readAll(t, "q.csv", []byte(in), Options{})
	return res.rows, res.err
}

func TestCSVHostileVerbatim(t *testing.T) {
	hostile := []string{
		"=cmd|' /C calc'!A0", "+SUM(1)", "-1+1", "@x", "<script>alert(1)</script>",
		"tab\tand\x01ctrl\x1b[31m", "  padded  ", "\u202eevil", `"quoted"`,
	}
	var b bytes.Buffer
	b.WriteString("v\n")
	for _, h := range hostile {
		b.WriteString(`"` + strings.ReplaceAll(h, `"`, `""`) + "\"\n")
	}
	res := readAll(t, "h.csv", b.Bytes(), Options{})
	if res.err != nil {
		t.Fatal(res.err)
	}
	for i, h := range hostile {
		if res.rows[i].Cells[0] != h {
			t.Errorf("row %d = %q, want %q", i, res.rows[i].Cells[0], h)
		}
	}
}

func TestCSVContinueAfterRowError(t *testing.T) {
	r, err := Open("c.csv", strings.NewReader("a,b\n1\n2,3\n4,x\x00\n5,6\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			got = append(got, "err")
			continue
		}
		got = append(got, row.Cells[0])
	}
	if want := []string{"err", "2", "err", "5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFormatDetection(t *testing.T) {
	tests := []struct {
		name, in, enc string
	}{
		{"x.csv", "[a],b\n1,2\n", "utf-8"},
		{"data", "[{\"a\":1}]", "json"},
		{"data", "  \n[{\"a\":1}]", "json"},
		{"data.txt", "a\tb\n", "utf-8"},
		{"export.JSON", "[{\"a\":1}]", "json"},
	}
	for _, tt := range tests {
		res := readAll(t, tt.name, []byte(tt.in), Options{})
		if res.err != nil {
			t.Fatalf("%s: %v", tt.name, res.err)
		}
		if res.r.Encoding() != tt.enc {
			t.Errorf("%s %q: encoding %q, want %q", tt.name, tt.in, res.r.Encoding(), tt.enc)
		}
	}
	wantErr(t, readAll(t, "x", []byte("a"), Options{Format: "xml"}).err, `unknown format "xml"`)
	wantErr(t, readAll(t, "old.xls", []byte(string(oleMagic)+"rest"), Options{}).err, "legacy .xls")
}

func TestOpenFile(t *testing.T) {
	dir := t.TempDir()
	p := dir + "/cmms.csv"
	if err := writeFile(p, []byte("a,b\n1,2\n")); err != nil {
		t.Fatal(err)
	}
	r, err := OpenFile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	row, err := r.Next()
	if err != nil || row.Cells[1] != "2" {
		t.Fatalf("row %v err %v", row, err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = OpenFile(dir+"/missing.csv", Options{})
	wantErr(t, err, "missing.csv: cannot open")
}
