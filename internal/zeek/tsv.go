package zeek

import (
	"io"
	"strings"
)

// tsvReader reads Zeek's default ASCII log format: '#'-prefixed header lines
// (#separator, #set_separator, #empty_field, #unset_field, #path, #fields,
// #types, #open), tab-separated records, a #close footer. Headers may recur
// mid-stream, as when rotated logs are concatenated; the latest #fields wins.
type tsvReader struct {
	src    *lines
	sep    string
	setSep string
	empty  string
	unset  string
	path   string
	fields []string
	types  []string
	index  map[string]int
	kind   Kind

	pending  []byte // first data line, read by Open while looking for #fields
	pendingN int
	vals     []string // reused by nextRow
	err      error
}

func openTSV(src *lines, first []byte, n int) (*tsvReader, error) {
	t := &tsvReader{src: src, sep: "\t", setSep: ",", empty: "(empty)", unset: "-"}
	line := first
	for {
		if len(line) > 0 && line[0] == '#' {
			if err := t.header(line, n); err != nil {
				return nil, err
			}
		} else if len(strings.TrimSpace(string(line))) > 0 {
			if t.fields == nil {
				return nil, errorf(src.file, n, "", "missing #fields header")
			}
			t.pending = append([]byte(nil), line...)
			t.pendingN = n
			break
		}
		var err error
		line, n, err = src.next()
		if err == io.EOF {
			if t.fields == nil {
				return nil, errorf(src.file, n, "", "missing #fields header")
			}
			break
		}
		if err != nil {
			return nil, err
		}
	}
	t.kind = detectKind(t.path, src.file, t.fields)
	return t, nil
}

// header applies one '#' line. Unknown directives (#open, #close, comments)
// are ignored.
func (t *tsvReader) header(line []byte, n int) error {
	s := string(line)
	if rest, ok := strings.CutPrefix(s, "#separator"); ok {
		// The one header not split by the separator, since it defines it:
		// "#separator \x09".
		sep := unescape(strings.TrimLeft(rest, " \t"))
		if sep == "" {
			return errorf(t.src.file, n, "", "empty #separator")
		}
		t.sep = sep
		return nil
	}
	key, val, _ := strings.Cut(s[1:], t.sep)
	switch key {
	case "set_separator":
		t.setSep = unescape(val)
	case "empty_field":
		t.empty = unescape(val)
	case "unset_field":
		t.unset = unescape(val)
	case "path":
		t.path = unescape(val)
	case "types":
		t.types = strings.Split(val, t.sep)
	case "fields":
		if val == "" {
			return errorf(t.src.file, n, "", "empty #fields header")
		}
		fields := strings.Split(val, t.sep)
		index := make(map[string]int, len(fields))
		for i, f := range fields {
			f = unescape(f)
			fields[i] = f
			if _, dup := index[f]; dup {
				return errorf(t.src.file, n, f, "duplicate field in #fields")
			}
			index[f] = i
		}
		t.fields, t.index = fields, index
	}
	return nil
}

func (t *tsvReader) Kind() Kind       { return t.kind }
func (t *tsvReader) Fields() []string { return t.fields }
func (t *tsvReader) Close() error     { return t.src.close() }

// nextRow splits the next data line into t.vals without decoding values;
// tsvRow decodes only the fields a caller asks for.
func (t *tsvReader) nextRow() (row, int, error) {
	if t.err != nil {
		return nil, 0, t.err
	}
	for {
		var line []byte
		var n int
		if t.pending != nil {
			line, n = t.pending, t.pendingN
			t.pending = nil
		} else {
			var err error
			line, n, err = t.src.next()
			if err != nil {
				t.err = err
				return nil, n, err
			}
		}
		if len(line) == 0 {
			continue
		}
		if line[0] == '#' {
			if err := t.header(line, n); err != nil {
				t.err = err
				return nil, n, err
			}
			continue
		}
		s := string(line) // one copy per line; values are substrings of it
		t.vals = splitInto(t.vals[:0], s, t.sep)
		if len(t.vals) != len(t.fields) {
			if strings.TrimSpace(s) == "" {
				continue
			}
			t.err = errorf(t.src.file, n, "", "%d fields, but #fields lists %d", len(t.vals), len(t.fields))
			return nil, n, t.err
		}
		return tsvRow{t}, n, nil
	}
}

func (t *tsvReader) Next() (Record, int, error) {
	_, n, err := t.nextRow()
	if err != nil {
		return nil, n, err
	}
	rec := make(Record, len(t.fields))
	for i, f := range t.fields {
		rec[f] = t.value(t.vals[i])
	}
	return rec, n, nil
}

// value turns one raw TSV value into Record form.
func (t *tsvReader) value(v string) string {
	if v == t.unset || v == t.empty {
		return ""
	}
	return unescape(v)
}

type tsvRow struct{ t *tsvReader }

func (r tsvRow) get(field string) (string, bool) {
	i, ok := r.t.index[field]
	if !ok {
		return "", false
	}
	return r.t.value(r.t.vals[i]), true
}

// splitInto is strings.Split into a reused slice, so the conn hot path does
// not allocate a []string per line.
func splitInto(dst []string, s, sep string) []string {
	for {
		i := strings.Index(s, sep)
		if i < 0 {
			return append(dst, s)
		}
		dst = append(dst, s[:i])
		s = s[i+len(sep):]
	}
}

// unescape decodes Zeek's \xHH escapes, which it uses for the separator,
// non-printable bytes and a value that would otherwise read as unset ("\x2d").
// Zeek does not escape backslashes themselves, so any other backslash is
// literal and kept.
func unescape(s string) string {
	i := strings.Index(s, `\x`)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		if i+4 <= len(s) {
			if hi, ok1 := unhex(s[i+2]); ok1 {
				if lo, ok2 := unhex(s[i+3]); ok2 {
					b.WriteByte(hi<<4 | lo)
					s = s[i+4:]
					i = strings.Index(s, `\x`)
					continue
				}
			}
		}
		b.WriteString(`\x`)
		s = s[i+2:]
		i = strings.Index(s, `\x`)
	}
	b.WriteString(s)
	return b.String()
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
