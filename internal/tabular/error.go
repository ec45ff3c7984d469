package tabular

import (
	"fmt"
	"strconv"
	"strings"
)

// Error describes bad input in terms a hospital user can act on: which file,
// which row and which column. Every error returned by this package (from Open,
// OpenFile and Reader.Next) is an *Error, so callers can show it verbatim or
// pick it apart with errors.As.
type Error struct {
	File   string // file name as given to Open (base name for OpenFile)
	Row    int    // row number as the user sees it (header = row 1); 0 = the whole file
	Column string // header name, or "column 7" when the column has no usable name
	Msg    string

	// Line is the physical line in a CSV file where the offending record
	// starts, set only when it differs from Row (quoted newlines or skipped
	// blank lines), so users can find the spot in a text editor.
	Line int

	positional bool  // Column is a "column N" label, not a header name
	cause      error // underlying error, for errors.Is/As
}

func (e *Error) Error() string {
	var b strings.Builder
	file := e.File
	if file == "" {
		file = "input"
	}
	b.WriteString(file)
	if e.Row > 0 {
		b.WriteString(" row ")
		b.WriteString(strconv.Itoa(e.Row))
		if e.Line > 0 && e.Line != e.Row {
			fmt.Fprintf(&b, " (line %d)", e.Line)
		}
	}
	if e.Column != "" {
		if e.Row > 0 {
			b.WriteString(",")
		}
		if e.positional {
			b.WriteString(" " + e.Column)
		} else {
			fmt.Fprintf(&b, " column %q", e.Column)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap exposes the underlying cause (an I/O error, a zip error, ...), if any.
func (e *Error) Unwrap() error { return e.cause }

// fileError reports a problem with the whole file (Row 0).
func fileError(file string, cause error, format string, args ...any) *Error {
	return &Error{File: file, Msg: fmt.Sprintf(format, args...), cause: cause}
}

// rowError reports a problem with a row but no particular column.
func rowError(file string, row int, format string, args ...any) *Error {
	return &Error{File: file, Row: row, Msg: fmt.Sprintf(format, args...)}
}

// cellError reports a problem in one cell. idx is the 0-based column index;
// header supplies the name when there is one.
func cellError(file string, row int, header []string, idx int, format string, args ...any) *Error {
	e := &Error{File: file, Row: row, Msg: fmt.Sprintf(format, args...)}
	e.setColumn(header, idx)
	return e
}

// setColumn names the column by header when possible, else by position,
// because a bare index is meaningless to someone looking at a spreadsheet.
func (e *Error) setColumn(header []string, idx int) {
	if idx >= 0 && idx < len(header) && header[idx] != "" {
		e.Column, e.positional = header[idx], false
		return
	}
	e.Column, e.positional = positionLabel(idx), true
}

func positionLabel(idx int) string { return "column " + strconv.Itoa(idx+1) }
