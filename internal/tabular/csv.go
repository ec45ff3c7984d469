package tabular

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// delimiters are the candidates for sniffing, in tie-break order.
var delimiters = []rune{',', ';', '\t', '|'}

// headerLimit bounds the bytes the header record may occupy before the
// column count (and so the per-record bound) is known.
const headerLimit = 4 << 20

type csvReader struct {
	file   string
	opt    Options
	enc    string
	delim  rune
	cr     *csv.Reader
	g      *guard
	header []string
	record int   // record number of the last record read (header = 1)
	rows   int   // data rows returned
	err    error // sticky error
	closer io.Closer
}

func openCSV(file string, raw *bufio.Reader, head []byte, opt Options, closer io.Closer) (*csvReader, error) {
	atEOF := len(head) < sniffSize
	enc, bom, err := sniffEncoding(head, atEOF)
	if err != nil {
		return nil, fileError(file, nil, "%v", err)
	}
	if _, err := raw.Discard(bom); err != nil {
		return nil, fileError(file, err, "read error: %v", err)
	}
	g := &guard{r: decoder(raw, enc), limit: headerLimit}
	br := bufio.NewReaderSize(g, sniffSize)
	dhead, perr := br.Peek(sniffSize)
	if perr != nil && perr != io.EOF && perr != bufio.ErrBufferFull && !errors.Is(perr, errTooLong) {
		return nil, fileError(file, perr, "read error: %v", perr)
	}
	r := &csvReader{file: file, opt: opt, enc: enc, g: g, closer: closer}
	r.delim = sniffDelimiter(dhead)
	// csv.NewReader reuses br as is (it is already a large enough
	// *bufio.Reader), so the sniffed bytes are not lost.
	r.cr = csv.NewReader(br)
	r.cr.Comma = r.delim
	r.cr.FieldsPerRecord = -1 // raggedness is checked here, with a better message
	r.cr.LazyQuotes = false

	rec, err := r.cr.Read()
	r.record = 1
	if err == io.EOF {
		return nil, fileError(file, nil, "empty file")
	}
	if err != nil {
		return nil, r.convertErr(err, rec, nil)
	}
	if len(rec) == 1 && strings.TrimSpace(strings.TrimPrefix(rec[0], "\uFEFF")) == "" {
		return nil, fileError(file, nil, "empty file (no header row)")
	}
	h, err := checkHeader(file, 1, rec, opt.MaxCellBytes)
	if err != nil {
		return nil, err
	}
	r.header = h
	r.g.ref = r.cr.InputOffset()
	// A legitimate record is at most every cell at the limit, fully quoted
	// with every byte a doubled quote, plus delimiters; the read-ahead
	// buffer is on top of that.
	r.g.limit = int64(len(h))*(2*int64(opt.MaxCellBytes)+3) + 2*sniffSize
	return r, nil
}

// sniffDelimiter picks the most frequent candidate on the first line,
// ignoring anything inside quotes (a header like "Name, first" must not
// vote for comma). No candidate means a single-column file; comma is as
// good as any.
func sniffDelimiter(b []byte) rune {
	counts := make([]int, len(delimiters))
	inQuote := false
scan:
	for _, c := range b {
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '\n' || c == '\r':
			break scan
		default:
			for i, d := range delimiters {
				if rune(c) == d {
					counts[i]++
				}
			}
		}
	}
	best := 0
	for i := range counts {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return delimiters[best]
}

func (r *csvReader) Header() []string { return r.header }
func (r *csvReader) Encoding() string { return r.enc }
func (r *csvReader) Delimiter() rune  { return r.delim }

func (r *csvReader) Close() error {
	r.err = errClosed(r.file)
	if r.closer != nil {
		c := r.closer
		r.closer = nil
		return c.Close()
	}
	return nil
}

func errClosed(file string) error { return fileError(file, nil, "reader is closed") }

func (r *csvReader) Next() (Row, error) {
	if r.err != nil {
		return Row{}, r.err
	}
	rec, err := r.cr.Read()
	if err == io.EOF {
		r.err = io.EOF
		return Row{}, io.EOF
	}
	r.record++
	if err != nil {
		// Parse errors leave the reader at an uncertain point (maybe inside
		// a quoted cell), so they end the read.
		r.err = r.convertErr(err, rec, r.header)
		return Row{}, r.err
	}
	line, _ := r.cr.FieldPos(0)
	r.g.ref = r.cr.InputOffset()
	if r.opt.MaxRows > 0 && r.rows >= r.opt.MaxRows {
		r.err = rowError(r.file, r.record, "more than %d data rows (the limit)", r.opt.MaxRows)
		return Row{}, r.err
	}
	if len(rec) != len(r.header) {
		idx := len(r.header)
		if len(rec) < idx {
			idx = len(rec) // first missing column
		}
		e := cellError(r.file, r.record, r.header, idx,
			"row has %d cells but the header has %d columns (check for a stray %s or an unquoted line break)",
			len(rec), len(r.header), delimName(r.delim))
		e.Line = line
		return Row{}, e
	}
	for i, c := range rec {
		if msg := checkCell(c, r.opt.MaxCellBytes); msg != "" {
			e := cellError(r.file, r.record, r.header, i, "%s", msg)
			e.Line = line
			return Row{}, e
		}
	}
	r.rows++
	return Row{Line: r.record, PhysicalLine: line, Cells: rec}, nil
}

func delimName(d rune) string {
	switch d {
	case '\t':
		return "tab"
	case ',':
		return "comma"
	case ';':
		return "semicolon"
	case '|':
		return "pipe"
	}
	return fmt.Sprintf("%q", d)
}

// convertErr turns errors from encoding/csv into *Error. encoding/csv
// returns the fields parsed before the failure, so len(rec) is the index of
// the offending column.
func (r *csvReader) convertErr(err error, rec []string, header []string) error {
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		var msg string
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			msg = `stray " inside an unquoted cell (a cell containing quotes must be quoted as a whole, with inner quotes doubled: "")`
		case errors.Is(pe.Err, csv.ErrQuote):
			msg = fmt.Sprintf(`malformed quoted cell: unescaped " or missing closing quote (at line %d, byte %d)`, pe.Line, pe.Column)
		default:
			msg = pe.Err.Error()
		}
		e := cellError(r.file, r.record, header, len(rec), "%s", msg)
		e.Line, e.cause = pe.StartLine, err
		return e
	case errors.Is(err, errTooLong):
		// Depending on where the read stopped, encoding/csv may or may not
		// include the unfinished cell; the oversized cell is the culprit.
		idx := len(rec)
		for i, c := range rec {
			if len(c) > r.opt.MaxCellBytes {
				idx = i
				break
			}
		}
		e := cellError(r.file, r.record, header, idx,
			"record is longer than %d bytes: a cell exceeds the %d-byte limit or a quote is never closed",
			r.g.limit, r.opt.MaxCellBytes)
		e.cause = err
		return e
	default:
		e := rowError(r.file, r.record, "read error: %v", err)
		e.cause = err
		return e
	}
}
