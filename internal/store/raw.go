package store

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// A source record's raw row is kept verbatim as JSON: an array of its cells
// in the file's column order, with the column names once on the import
// batch (import_batches.header), or, for rows with no header (Zeek logs,
// imports before migration 0018), an object. The store gives every row
// back as an object of column → cell in file order (rawAsObject).

// RawObject writes a row as a JSON object of column name → cell, in the
// file's column order. It is written by hand: encoding/json per cell was a
// tenth of an import.
func RawObject(header, cells []string) string {
	return string(AppendRawObject(make([]byte, 0, rawLen(header, cells)), header, cells))
}

// AppendRawObject appends RawObject's text to b.
func AppendRawObject(b []byte, header, cells []string) []byte {
	return appendObject(b, header, func(b []byte, i int) []byte { return appendJSONString(b, cells[i]) })
}

// appendObject appends {"name": value, ...} in the order of names, each
// value written by value(b, i).
func appendObject(b []byte, names []string, value func(b []byte, i int) []byte) []byte {
	b = append(b, '{')
	for i, name := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, name)
		b = append(b, ':')
		b = value(b, i)
	}
	return append(b, '}')
}

// RawCells writes the first len(header) cells of a row as a JSON array.
func RawCells(header, cells []string) string {
	b := make([]byte, 0, rawLen(nil, cells[:len(header)]))
	b = append(b, '[')
	for i := range header {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, cells[i])
	}
	return string(append(b, ']'))
}

func rawLen(header, cells []string) int {
	n := 2
	for i := range cells {
		n += len(cells[i]) + 3
		if i < len(header) {
			n += len(header[i]) + 3
		}
	}
	return n
}

// rawAsObject returns a stored raw row as an object: an array of cells is
// paired with its batch's header (a JSON array of names), each cell's JSON
// text kept as stored. Anything else is returned as it is.
func rawAsObject(raw, header string) string {
	if !strings.HasPrefix(raw, "[") || header == "" {
		return raw
	}
	var names []string
	var cells []json.RawMessage
	if json.Unmarshal([]byte(header), &names) != nil || json.Unmarshal([]byte(raw), &cells) != nil || len(cells) != len(names) {
		return raw
	}
	n := 2
	for i := range names {
		n += len(names[i]) + len(cells[i]) + 4
	}
	return string(appendObject(make([]byte, 0, n), names, func(b []byte, i int) []byte { return append(b, cells[i]...) }))
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD. Runs of
// plain ASCII (nearly every cell) are copied whole.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] >= 0x20 && s[j] < utf8.RuneSelf && s[j] != '"' && s[j] != '\\' {
			j++
		}
		b = append(b, s[i:j]...)
		if i = j; i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			} else {
				b = append(b, '\\', c) // a quote or a backslash
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\\ufffd"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
