package tabular

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

const (
	// xlsxMemThreshold: inputs up to this size are handled in memory; larger
	// ones are spooled to a temporary file, because excelize needs random
	// access to the zip and OpenReader would read everything into RAM.
	xlsxMemThreshold = 8 << 20
	// xlsxXMLInMemory is passed as excelize's UnzipXMLSizeLimit: worksheets
	// larger than this are unzipped to a temporary file and streamed.
	xlsxXMLInMemory = 16 << 20
	// xlsxMaxMemPart caps parts that excelize always holds in memory
	// (workbook, styles, shared strings, ...), whatever the total limit.
	xlsxMaxMemPart = 64 << 20
	// xlsxMaxParts caps the zip entry count; real workbooks have dozens.
	xlsxMaxParts = 10000
)

type xlsxReader struct {
	file   string
	opt    Options
	f      *excelize.File
	rows   *excelize.Rows
	sheet  string
	header []string
	rowNum int // sheet row number of the last row read
	count  int // data rows returned
	err    error
	spool  string // temporary file to remove on Close
}

// openXLSX opens a workbook either from path (a file on disk) or from raw.
func openXLSX(file string, raw *bufio.Reader, path string, opt Options) (rd Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			rd, err = nil, fileError(file, nil, "cannot read workbook (corrupt file): %v", p)
		}
	}()
	limit := opt.MaxXLSXUncompressed
	xopt := excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: min(limit, xlsxXMLInMemory)}
	r := &xlsxReader{file: file, opt: opt}
	var (
		f       *excelize.File
		openErr error
	)
	if path == "" {
		buf, err := io.ReadAll(io.LimitReader(raw, xlsxMemThreshold+1))
		if err != nil {
			return nil, fileError(file, err, "read error: %v", err)
		}
		if len(buf) <= xlsxMemThreshold {
			// Small enough to hold: no temporary file needed.
			if err := precheckZip(file, bytes.NewReader(buf), int64(len(buf)), limit); err != nil {
				return nil, err
			}
			f, openErr = excelize.OpenReader(bytes.NewReader(buf), xopt)
		} else {
			if path, err = spool(file, buf, raw, limit); err != nil {
				return nil, err
			}
			r.spool = path
		}
	}
	if path != "" {
		if err := precheckZipFile(file, path, limit); err != nil {
			r.cleanup()
			return nil, err
		}
		f, openErr = excelize.OpenFile(path, xopt)
	}
	if openErr != nil {
		if f != nil {
			f.Close()
		}
		r.cleanup()
		return nil, xlsxOpenError(file, openErr)
	}
	r.f = f
	if err := r.init(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// spool copies the input to a temporary file, refusing more than limit
// bytes (a compressed workbook is never larger than its contents).
func spool(file string, head []byte, rest io.Reader, limit int64) (string, error) {
	tmp, err := os.CreateTemp("", "medsec-tabular-*.xlsx")
	if err != nil {
		return "", fileError(file, err, "cannot create temporary file: %v", err)
	}
	name := tmp.Name()
	fail := func(e error) (string, error) {
		tmp.Close()
		os.Remove(name)
		return "", e
	}
	if _, err := tmp.Write(head); err != nil {
		return fail(fileError(file, err, "cannot write temporary file: %v", err))
	}
	n, err := io.Copy(tmp, io.LimitReader(rest, limit+1-int64(len(head))))
	if err != nil {
		return fail(fileError(file, err, "read error: %v", err))
	}
	if int64(len(head))+n > limit {
		return fail(fileError(file, nil, "workbook is larger than the %d-byte size limit", limit))
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return "", fileError(file, err, "cannot write temporary file: %v", err)
	}
	return name, nil
}

func precheckZipFile(file, path string, limit int64) error {
	f, err := os.Open(path)
	if err != nil {
		return fileError(file, err, "cannot open: %v", unwrapPathError(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fileError(file, err, "cannot open: %v", err)
	}
	return precheckZip(file, f, st.Size(), limit)
}

// precheckZip inspects the zip directory before excelize touches it, so a
// zip bomb is refused by its declared sizes without decompressing anything.
// Lying about sizes does not help an attacker: archive/zip fails any entry
// that inflates past its declared size.
func precheckZip(file string, ra io.ReaderAt, size int64, limit int64) error {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return xlsxOpenError(file, err)
	}
	if len(zr.File) > xlsxMaxParts {
		return fileError(file, nil, "not a valid XLSX workbook: %d zip entries (limit %d)", len(zr.File), xlsxMaxParts)
	}
	var total uint64
	for _, zf := range zr.File {
		n := zf.UncompressedSize64
		name := strings.ToLower(strings.ReplaceAll(zf.Name, `\`, "/"))
		if n > uint64(limit) {
			return fileError(file, nil, "workbook part %q would decompress to %d bytes, over the %d-byte size limit (zip bomb?)", zf.Name, n, limit)
		}
		total += n
		if total > uint64(limit) {
			return fileError(file, nil, "workbook would decompress to more than the %d-byte size limit (zip bomb?)", limit)
		}
		if !strings.HasPrefix(name, "xl/worksheets/sheet") && n > xlsxMaxMemPart {
			return fileError(file, nil, "workbook part %q would decompress to %d bytes, over the %d-byte per-part size limit", zf.Name, n, xlsxMaxMemPart)
		}
	}
	// Inflate every part once, into nothing. excelize ignores read errors
	// on parts (a truncated or bit-flipped part just yields fewer rows), so
	// this is where corruption, CRC mismatches and entries inflating past
	// their declared size are caught. Memory stays constant; the CPU cost
	// is bounded by the limit checked above.
	buf := make([]byte, 32<<10)
	for _, zf := range zr.File {
		if err := drain(zf, buf); err != nil {
			return fileError(file, err, "not a valid XLSX workbook: part %q is corrupt (%v)", zf.Name, err)
		}
	}
	return nil
}

func drain(zf *zip.File, buf []byte) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.CopyBuffer(io.Discard, rc, buf)
	return err
}

func xlsxOpenError(file string, err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrAlgorithm), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, excelize.ErrWorkbookFileFormat):
		return fileError(file, err, "not a valid XLSX workbook (truncated or corrupt zip archive)")
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return fileError(file, err, "workbook is password-protected")
	case strings.Contains(msg, "size"):
		return fileError(file, err, "workbook exceeds the size limit: %v", err)
	}
	return fileError(file, err, "not a valid XLSX workbook: %v", err)
}

func (r *xlsxReader) init() error {
	sheets := r.f.GetSheetList()
	if len(sheets) == 0 {
		return fileError(r.file, nil, "workbook has no worksheets")
	}
	r.sheet = sheets[0]
	if r.opt.Sheet != "" {
		r.sheet = ""
		for _, s := range sheets {
			if s == r.opt.Sheet {
				r.sheet = s
			}
		}
		if r.sheet == "" { // Excel treats sheet names case-insensitively
			for _, s := range sheets {
				if strings.EqualFold(s, r.opt.Sheet) {
					r.sheet = s
					break
				}
			}
		}
		if r.sheet == "" {
			q := make([]string, len(sheets))
			for i, s := range sheets {
				q[i] = fmt.Sprintf("%q", s)
			}
			return fileError(r.file, nil, "sheet %q not found; the workbook has sheets %s", r.opt.Sheet, strings.Join(q, ", "))
		}
	}
	rows, err := r.f.Rows(r.sheet)
	if err != nil {
		return fileError(r.file, err, "cannot read sheet %q: %v", r.sheet, err)
	}
	r.rows = rows
	for {
		cells, err := r.nextRaw()
		if err == io.EOF {
			return fileError(r.file, nil, "sheet %q is empty (no header row)", r.sheet)
		}
		if err != nil {
			return err
		}
		// Excel keeps formatted-but-empty cells; they are not columns.
		for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
			cells = cells[:len(cells)-1]
		}
		if len(cells) == 0 {
			continue
		}
		h, err := checkHeader(r.file, r.rowNum, cells, r.opt.MaxCellBytes)
		if err != nil {
			return err
		}
		r.header = h
		return nil
	}
}

// nextRaw returns the cells of the next non-empty sheet row, shielding the
// caller from excelize panics on malformed sheets.
func (r *xlsxReader) nextRaw() (cells []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			cells, err = nil, rowError(r.file, r.rowNum, "cannot read row (corrupt sheet): %v", p)
		}
	}()
	for {
		if !r.rows.Next() {
			if err := r.rows.Error(); err != nil {
				return nil, rowError(r.file, r.rowNum+1, "cannot read sheet %q: %v", r.sheet, err)
			}
			return nil, io.EOF
		}
		r.rowNum++
		cells, err := r.rows.Columns()
		if err != nil {
			return nil, rowError(r.file, r.rowNum, "cannot read row: %v", err)
		}
		for _, c := range cells {
			if c != "" {
				return cells, nil
			}
		}
	}
}

func (r *xlsxReader) Header() []string { return r.header }
func (r *xlsxReader) Encoding() string { return "xlsx" }
func (r *xlsxReader) Delimiter() rune  { return 0 }

func (r *xlsxReader) Next() (Row, error) {
	if r.err != nil {
		return Row{}, r.err
	}
	cells, err := r.nextRaw()
	if err != nil {
		r.err = err
		return Row{}, err
	}
	if r.opt.MaxRows > 0 && r.count >= r.opt.MaxRows {
		r.err = rowError(r.file, r.rowNum, "more than %d data rows (the limit)", r.opt.MaxRows)
		return Row{}, r.err
	}
	// Excel omits trailing empty cells, so short rows are normal; content
	// to the right of the header is not, since it has no column name.
	for i := len(r.header); i < len(cells); i++ {
		if cells[i] != "" {
			e := cellError(r.file, r.rowNum, nil, i, "cell has content but no header (the header has %d columns)", len(r.header))
			if name, err := excelize.ColumnNumberToName(i + 1); err == nil {
				e.Column = fmt.Sprintf("column %d (%s)", i+1, name)
			}
			return Row{}, e
		}
	}
	out := make([]string, len(r.header))
	copy(out, cells)
	for i, c := range out {
		if msg := checkCell(c, r.opt.MaxCellBytes); msg != "" {
			return Row{}, cellError(r.file, r.rowNum, r.header, i, "%s", msg)
		}
	}
	r.count++
	return Row{Line: r.rowNum, PhysicalLine: r.rowNum, Cells: out}, nil
}

func (r *xlsxReader) cleanup() {
	if r.spool != "" {
		os.Remove(r.spool)
		r.spool = ""
	}
}

func (r *xlsxReader) Close() error {
	r.err = errClosed(r.file)
	var err error
	if r.rows != nil {
		r.rows.Close()
		r.rows = nil
	}
	if r.f != nil {
		err = r.f.Close()
		r.f = nil
	}
	r.cleanup()
	if err != nil {
		return fileError(r.file, err, "closing workbook: %v", err)
	}
	return nil
}
