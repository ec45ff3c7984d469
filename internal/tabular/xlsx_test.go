package tabular

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/rand"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// buildXLSX writes a workbook; sheets maps a name to rows (nil cells skipped).
func buildXLSX(t testing.TB, sheets []string, rows map[string][][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows[name] {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sampleXLSX(t testing.TB) []byte {
	date := time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)
	return buildXLSX(t, []string{"Devices", "Network"}, map[string][][]any{
		"Devices": {
			{}, // leading empty row: header is the first non-empty one
			{" Asset ", "Serial Number", "Vendor", "Commissioned", "Notes"},
			{1, "SN-001", "Dräger", date, "=cmd|' /C calc'!A0"},
			{},                              // empty row skipped
			{2, "SN-002", "Philips"},        // short row padded
			{3, nil, "GE", nil, "<b>x</b>"}, // gaps
		},
		"Network": {
			{"IP", "MAC"},
			{"10.0.0.1", "00:11:22:33:44:55"},
		},
	})
}

func TestXLSX(t *testing.T) {
	data := sampleXLSX(t)
	res := readAll(t, "inventory.xlsx", data, Options{})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if res.r.Encoding() != "xlsx" || res.r.Delimiter() != 0 {
		t.Errorf("encoding %q delimiter %q", res.r.Encoding(), res.r.Delimiter())
	}
	wantHdr := []string{"Asset", "Serial Number", "Vendor", "Commissioned", "Notes"}
	if !reflect.DeepEqual(res.header, wantHdr) {
		t.Errorf("header %q", res.header)
	}
	want := []Row{
		{Line: 3, PhysicalLine: 3, Cells: []string{"1", "SN-001", "Dräger", "03-15-24", "=cmd|' /C calc'!A0"}},
		{Line: 5, PhysicalLine: 5, Cells: []string{"2", "SN-002", "Philips", "", ""}},
		{Line: 6, PhysicalLine: 6, Cells: []string{"3", "", "GE", "", "<b>x</b>"}},
	}
	if !reflect.DeepEqual(res.rows, want) {
		t.Errorf("rows\n%+v\nwant\n%+v", res.rows, want)
	}

	// Format sniffed from content even without a helpful name.
	if res := readAll(t, "download", data, Options{}); res.err != nil || len(res.rows) != 3 {
		t.Errorf("sniffed: rows %d err %v", len(res.rows), res.err)
	}
}

func TestXLSXSheets(t *testing.T) {
	data := sampleXLSX(t)
	for _, name := range []string{"Network", "network"} {
		res := readAll(t, "inv.xlsx", data, Options{Sheet: name})
		if res.err != nil {
			t.Fatal(res.err)
		}
		if !reflect.DeepEqual(res.header, []string{"IP", "MAC"}) || len(res.rows) != 1 {
			t.Errorf("%s: header %q rows %q", name, res.header, cells(res.rows))
		}
	}
	res := readAll(t, "inv.xlsx", data, Options{Sheet: "Pumps"})
	wantErr(t, res.err, `inv.xlsx: sheet "Pumps" not found`, `"Devices", "Network"`)
}

func TestXLSXErrors(t *testing.T) {
	data := sampleXLSX(t)
	beyond := buildXLSX(t, []string{"S"}, map[string][][]any{"S": {{"a", "b"}, {1, 2, nil, "x"}}})
	dup := buildXLSX(t, []string{"S"}, map[string][][]any{"S": {{"a", "a"}}})
	empty := buildXLSX(t, []string{"S"}, nil)
	tests := []struct {
		name string
		in   []byte
		opt  Options
		want []string
	}{
		{"truncated", data[:len(data)/2], Options{}, []string{"b.xlsx: not a valid XLSX workbook"}},
		{"truncated tiny", data[:10], Options{}, []string{"not a valid XLSX workbook"}},
		{"not a zip", []byte("hello"), Options{Format: XLSX}, []string{"not a valid XLSX workbook"}},
		{"content beyond header", beyond, Options{}, []string{"b.xlsx row 2, column 4 (D)", "no header"}},
		{"duplicate header", dup, Options{}, []string{"row 1, column 2", "duplicate"}},
		{"empty sheet", empty, Options{}, []string{`sheet "S" is empty`}},
		{"max rows", data, Options{MaxRows: 1}, []string{"row 5", "more than 1 data rows"}},
		{"cell limit", data, Options{MaxCellBytes: 4}, []string{"row 2, column 1", "limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, readAll(t, "b.xlsx", tt.in, tt.opt).err, tt.want...)
		})
	}
}

// zipBomb returns a workbook-looking zip whose sheet1.xml inflates to size
// bytes (a few hundred KB compressed).
func zipBomb(t testing.TB, size int64) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	w, err := zw.Create("[Content_Types].xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	w, err = zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	for n := int64(0); n < size; n += int64(len(chunk)) {
		w.Write(chunk)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSXZipBomb(t *testing.T) {
	bomb := zipBomb(t, 200<<20)
	if len(bomb) > 2<<20 {
		t.Fatalf("bomb is %d bytes compressed", len(bomb))
	}
	res := readAll(t, "bomb.xlsx", bomb, Options{MaxXLSXUncompressed: 10 << 20})
	wantErr(t, res.err, "bomb.xlsx:", "size limit")
}

// TestXLSXLyingSizes: an entry that declares a small size but inflates to
// much more is cut off by archive/zip and reported as corrupt.
func TestXLSXLyingSizes(t *testing.T) {
	good := sampleXLSX(t)
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
		fw.Write(bytes.Repeat([]byte("<row/>"), 4<<20))
		fw.Close()
		hdr := f.FileHeader
		hdr.UncompressedSize64 = 1000 // the lie
		hdr.CompressedSize64 = uint64(comp.Len())
		w, err := zw.CreateRaw(&hdr)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	zw.Close()
	wantErr(t, readAll(t, "lie.xlsx", buf.Bytes(), Options{}).err, "lie.xlsx: not a valid XLSX workbook")
}

// TestXLSXSpooled covers inputs above the in-memory threshold, which go
// through a temporary file that must be gone after Close.
func TestXLSXSpooled(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	good := sampleXLSX(t)
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		zw.Copy(f)
	}
	// Incompressible padding, stored, to push the file past the threshold.
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "docProps/padding.bin", Method: zip.Store})
	io.CopyN(w, rand.Reader, xlsxMemThreshold+1<<20)
	zw.Close()

	r, err := Open("big.xlsx", bytes.NewReader(buf.Bytes()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 {
		t.Errorf("%d rows", n)
	}
	if left, _ := os.ReadDir(tmp); len(left) == 0 {
		t.Errorf("expected a spool file while open")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left after Close: %v", left)
	}
	// Too large for the limit: refused while spooling.
	_, err = Open("big.xlsx", bytes.NewReader(buf.Bytes()), Options{MaxXLSXUncompressed: xlsxMemThreshold + 1000})
	wantErr(t, err, "size limit")
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left after error: %v", left)
	}
}

func TestXLSXOpenFile(t *testing.T) {
	p := t.TempDir() + "/inv.xlsx"
	if err := os.WriteFile(p, sampleXLSX(t), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := OpenFile(p, Options{Sheet: "Network"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	row, err := r.Next()
	if err != nil || !strings.HasPrefix(row.Cells[0], "10.") {
		t.Fatalf("%v %v", row, err)
	}
}
