package zeek

import (
	"fmt"
	"strconv"
	"strings"
)

// Error is the only error type this package returns (besides io.EOF from
// Reader.Next). It names the file, the physical line and, where one is to
// blame, the field, so an operator can open the log at the right spot instead
// of guessing why an import stopped.
type Error struct {
	File  string // name as given to Open / Read*; "input" when empty
	Line  int    // 1-based physical line in the (decompressed) file; 0 = whole file
	Field string // Zeek field name, when one field is at fault
	Msg   string
	Err   error // underlying cause (I/O, gzip, JSON syntax), if any
}

// Error renders e.g. `dhcp.log line 12, field "ts": bad timestamp "abc"`.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File == "" {
		b.WriteString("input")
	} else {
		b.WriteString(e.File)
	}
	if e.Line > 0 {
		b.WriteString(" line ")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Field != "" {
		if e.Line > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, " field %q", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap exposes the cause for errors.Is / errors.As.
func (e *Error) Unwrap() error { return e.Err }

func errorf(file string, line int, field, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// quote shortens a bad value before quoting it, so one hostile 1 MiB field
// does not turn into a 1 MiB error message.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}
