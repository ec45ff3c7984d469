package tabular

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

// fuzzRead checks the package's promises on arbitrary input: no panic,
// every error an *Error, every row exactly as wide as the header. Row-level
// errors are skipped past, as an importer listing all bad rows would.
func fuzzRead(t *testing.T, name string, data []byte, opt Options) {
	r, err := Open(name, bytes.NewReader(data), opt)
	if err != nil {
		mustBeError(t, err)
		return
	}
	defer r.Close()
	h := r.Header()
	var last error
	// Every row consumes input, so more calls than bytes means a loop.
	for i := 0; i < len(data)+10; i++ {
		row, err := r.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			mustBeError(t, err)
			if err == last { // sticky error: done
				return
			}
			last = err
			continue
		}
		if len(row.Cells) != len(h) {
			t.Fatalf("row %d: %d cells, header %d", row.Line, len(row.Cells), len(h))
		}
	}
	t.Fatal("reader never finished")
}

func mustBeError(t *testing.T, err error) {
	var te *Error
	if !errors.As(err, &te) || error(te) != err {
		t.Fatalf("error %T is not *Error: %v", err, err)
	}
	if te.Error() == "" {
		t.Fatal("empty error text")
	}
}

func FuzzCSV(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte("a,b\n1,\"x\ny\"\n2,ab\"c\n"))
	f.Add([]byte("\xef\xbb\xbfa;b\r\n1;2\r\n"))
	f.Add([]byte("a,b\n1,Dr\xe4ger\n"))
	b, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte("a\tb\n1\t2\n"))
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, "f.csv", data, Options{Format: CSV, MaxCellBytes: 256})
	})
}

func FuzzJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`[{"a":1},{"a":{"b":2}}]`))
	f.Add([]byte(`[{"a":1},{"b":2}]`))
	f.Add([]byte(`[{"a":"\u0000"}] x`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, "f.json", data, Options{Format: JSON, MaxCellBytes: 256})
	})
}

// FuzzXLSX feeds each input twice: as the whole file (zip-level damage),
// and as the sheet XML inside an otherwise valid workbook, since random
// bytes rarely get past the zip CRC checks to exercise sheet parsing.
func FuzzXLSX(f *testing.F) {
	good := sampleXLSX(f)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(buildXLSX(f, []string{"S"}, map[string][][]any{"S": {{"a", "b"}, {1, 2, nil, "x"}}}))
	f.Add(zipBomb(f, 1<<20))
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>` +
		`<row r="3"><c r="XFD3"><v>1</v></c></row><row r="2"><c r="B2" t="s"><v>99</v></c></row></sheetData></worksheet>`))
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		f.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := Options{Format: XLSX, MaxXLSXUncompressed: 4 << 20}
		fuzzRead(t, "f.xlsx", data, opt)
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, zf := range zr.File {
			if zf.Name != "xl/worksheets/sheet1.xml" {
				zw.Copy(zf)
				continue
			}
			w, _ := zw.Create(zf.Name)
			w.Write(data)
		}
		zw.Close()
		fuzzRead(t, "f.xlsx", buf.Bytes(), opt)
	})
}
