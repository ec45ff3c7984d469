// Package tabular reads the tabular exports hospitals get out of CMMS, CMDB
// and monitoring tools (CSV, XLSX, JSON) as a header plus a stream of rows.
//
// The reader is deliberately strict and defensive: exports are produced by
// many different tools, edited by hand in Excel and sometimes hostile, so
// every problem becomes an *Error naming file, row and column; nothing
// panics; and memory stays bounded regardless of file size, because a
// multi-gigabyte export must not take down the server importing it.
package tabular

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format names an input format.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
	JSON Format = "json"
)

// Defaults for Options fields left at zero.
const (
	DefaultMaxCellBytes        = 64 << 10
	DefaultMaxXLSXUncompressed = 1 << 30
)

// Options tune Open. The zero value is fine for most callers.
type Options struct {
	// Format forces the input format. "" detects it: from the name's
	// extension, then by sniffing the content (zip magic "PK" → xlsx,
	// a leading '[' → json, anything else → csv).
	Format Format
	// Sheet selects an XLSX worksheet by name; "" means the first sheet.
	Sheet string
	// MaxCellBytes caps a single cell (and header name); a longer cell is
	// an error naming row and column. 0 means DefaultMaxCellBytes. It also
	// bounds how much memory one record may use.
	MaxCellBytes int
	// MaxRows caps the number of data rows; 0 means unlimited.
	MaxRows int
	// MaxXLSXUncompressed is the zip-bomb guard: the total uncompressed
	// size of all parts of a workbook, and of any single part, must stay
	// below it. 0 means DefaultMaxXLSXUncompressed (1 GiB).
	MaxXLSXUncompressed int64
}

func (o Options) withDefaults() Options {
	if o.MaxCellBytes <= 0 {
		o.MaxCellBytes = DefaultMaxCellBytes
	}
	if o.MaxRows < 0 {
		o.MaxRows = 0
	}
	if o.MaxXLSXUncompressed <= 0 {
		o.MaxXLSXUncompressed = DefaultMaxXLSXUncompressed
	}
	return o
}

// Row is one data row.
type Row struct {
	// Line is the row number a user sees, with the header as row 1: the
	// CSV record number, the XLSX sheet row number, or the JSON array
	// index + 2.
	Line int
	// PhysicalLine is the CSV line on which the record starts; it differs
	// from Line when quoted cells contain newlines or blank lines were
	// skipped. It equals Line for XLSX and JSON.
	PhysicalLine int
	// Cells has exactly len(Header()) entries, values verbatim (not trimmed).
	Cells []string
}

// Reader streams the rows of one table.
//
// After Next returns an error it may be called again: if the error concerned
// only that row (wrong cell count, a bad cell value), reading continues with
// the following row, so an importer can list every bad row at once;
// otherwise the same error is returned again.
type Reader interface {
	// Header returns the header cells, trimmed, BOM stripped.
	Header() []string
	// Next returns the next data row, or io.EOF after the last one.
	Next() (Row, error)
	// Encoding reports how the bytes were decoded: "utf-8", "utf-8-bom",
	// "utf-16le", "utf-16be", "windows-1252" for CSV; "xlsx"; "json".
	Encoding() string
	// Delimiter returns the CSV field delimiter; 0 for other formats.
	Delimiter() rune
	// Close releases files and temporary files. It does not close the
	// io.Reader given to Open.
	Close() error
}

// sniffSize is how much is peeked to detect format, encoding and delimiter,
// and the buffer size of the decoding pipeline.
const sniffSize = 64 << 10

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Open reads a table from r. name is used to detect the format from its
// extension and to label errors; it need not exist on disk.
func Open(name string, r io.Reader, opt Options) (Reader, error) {
	if r == nil {
		return nil, fileError(name, nil, "no input")
	}
	return open(name, r, opt, "", nil)
}

// OpenFile opens and reads the file at path; errors name its base name.
func OpenFile(path string, opt Options) (Reader, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(name, err, "cannot open: %v", unwrapPathError(err))
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fileError(name, nil, "is a directory, not a file")
	}
	rd, err := open(name, f, opt, path, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return rd, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// open dispatches on format. path is set when the input is a file on disk
// (lets XLSX skip spooling); closer is closed by the Reader's Close.
func open(name string, r io.Reader, opt Options, path string, closer io.Closer) (rd Reader, err error) {
	opt = opt.withDefaults()
	raw := bufio.NewReaderSize(r, sniffSize)
	head, perr := raw.Peek(sniffSize)
	if perr != nil && perr != io.EOF && perr != bufio.ErrBufferFull {
		return nil, fileError(name, perr, "read error: %v", perr)
	}
	if len(head) == 0 {
		return nil, fileError(name, nil, "empty file")
	}
	format := opt.Format
	switch format {
	case CSV, XLSX, JSON:
	case "":
		format = detectFormat(name, head)
	default:
		return nil, fileError(name, nil, "unknown format %q (want csv, xlsx or json)", string(format))
	}
	if bytes.HasPrefix(head, oleMagic) {
		// Encrypted .xlsx files and legacy .xls are both OLE containers;
		// neither can be read, and as "CSV" they would produce garbage.
		return nil, fileError(name, nil, "this is a legacy .xls or password-protected Excel file; save it as .xlsx without a password, or export CSV")
	}
	switch format {
	case XLSX:
		if closer != nil && path != "" {
			// excelize opens the path itself; our handle is not needed.
			closer.Close()
			return openXLSX(name, nil, path, opt)
		}
		return openXLSX(name, raw, "", opt)
	case JSON:
		return openJSON(name, raw, opt, closer)
	default:
		if bytes.HasPrefix(head, zipMagic) {
			return nil, fileError(name, nil, "this is a zip archive (probably an Excel .xlsx workbook), not CSV; name it .xlsx or choose the xlsx format")
		}
		return openCSV(name, raw, head, opt, closer)
	}
}

// detectFormat trusts the extension first, except that zip content always
// means XLSX: CMMS tools regularly hand out workbooks named ".csv".
func detectFormat(name string, head []byte) Format {
	if bytes.HasPrefix(head, zipMagic) {
		return XLSX
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".txt", ".tab":
		return CSV
	case ".xlsx", ".xlsm", ".xltx", ".xltm":
		return XLSX
	case ".json":
		return JSON
	}
	b := head
	for _, bom := range [][]byte{{0xEF, 0xBB, 0xBF}, {0xFF, 0xFE}, {0xFE, 0xFF}} {
		b = bytes.TrimPrefix(b, bom)
	}
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', 0:
			continue
		case '[':
			return JSON
		}
		break
	}
	return CSV
}

// checkCell validates one cell value and returns a message, or "" if fine.
// NUL is rejected because it truncates strings in C-based tools and
// databases downstream; other control characters pass through verbatim.
func checkCell(s string, max int) string {
	if len(s) > max {
		return "cell is " + strconv.Itoa(len(s)) + " bytes, longer than the " + strconv.Itoa(max) + "-byte limit"
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "cell contains a NUL byte (binary data or a wrong encoding?)"
	}
	if !utf8.ValidString(s) {
		return "invalid UTF-8 (the file started as UTF-8 but this cell is not; re-save the whole file as UTF-8)"
	}
	return ""
}

// checkHeader trims the header names and rejects blank and duplicate ones,
// since columns are later mapped by name and either would be ambiguous.
func checkHeader(file string, row int, cells []string, max int) ([]string, error) {
	h := make([]string, len(cells))
	seen := make(map[string]int, len(cells))
	for i, c := range cells {
		if i == 0 {
			c = strings.TrimPrefix(c, "\uFEFF")
		}
		if msg := checkCell(c, max); msg != "" {
			e := rowError(file, row, "header: %s", msg)
			e.Column, e.positional = positionLabel(i), true
			return nil, e
		}
		c = strings.TrimSpace(c)
		if c == "" {
			e := rowError(file, row, "blank header name")
			e.Column, e.positional = positionLabel(i), true
			return nil, e
		}
		if j, dup := seen[c]; dup {
			e := rowError(file, row, "duplicate header name %q in %s and %s", c, positionLabel(j), positionLabel(i))
			e.Column, e.positional = positionLabel(i), true
			return nil, e
		}
		seen[c] = i
		h[i] = c
	}
	return h, nil
}
