package tabular

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonReader streams a top-level array of flat objects token by token, so
// the array is never decoded as a whole. The first object's keys, in order,
// define the columns: a later object may omit keys ("" is returned) but may
// not introduce new ones, since silently widening the table mid-file would
// mean rows already handed out had the wrong shape.
type jsonReader struct {
	file    string
	opt     Options
	dec     *json.Decoder
	g       *guard
	header  []string
	index   map[string]int
	pending *Row  // first object, read while building the header
	elem    int   // array elements read so far
	count   int   // data rows returned
	err     error // sticky: JSON cannot resynchronise after an error
	closer  io.Closer
}

func openJSON(file string, raw *bufio.Reader, opt Options, closer io.Closer) (*jsonReader, error) {
	head, _ := raw.Peek(sniffSize)
	enc, bom, err := sniffEncoding(head, len(head) < sniffSize)
	if err != nil {
		return nil, fileError(file, nil, "%v", err)
	}
	if enc == encCP1252 {
		// JSON is UTF-8 by definition (RFC 8259); decoding would replace the
		// bad bytes with U+FFFD silently, so refuse instead.
		return nil, fileError(file, nil, "invalid UTF-8 (JSON must be UTF-8; re-save the file as UTF-8)")
	}
	if _, err := raw.Discard(bom); err != nil {
		return nil, fileError(file, err, "read error: %v", err)
	}
	// One token may need its escaped form (up to 6 bytes per byte) plus
	// read-ahead; anything longer is refused before it is buffered.
	g := &guard{r: decoder(raw, enc), limit: 8*int64(opt.MaxCellBytes) + sniffSize}
	r := &jsonReader{file: file, opt: opt, g: g, closer: closer}
	r.dec = json.NewDecoder(g)
	r.dec.UseNumber() // keep numbers as written: serials like 00123 or 1e3 must not change

	tok, err := r.token()
	if err == io.EOF {
		return nil, fileError(file, nil, "empty file")
	}
	if err != nil {
		return nil, r.convertErr(err, 0, "")
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fileError(file, nil, "expected a JSON array of objects, found %s", describeToken(tok))
	}
	if !r.dec.More() {
		// [] or an error; end() tells which. An empty array has no header
		// and no rows, like a CSV with nothing but a header.
		if err := r.end(); err != nil && err != io.EOF {
			return nil, err
		}
		r.err = io.EOF
		return r, nil
	}
	row, err := r.readObject(true)
	if err != nil {
		return nil, err
	}
	r.pending = &row
	return r, nil
}

func (r *jsonReader) token() (json.Token, error) {
	r.g.ref = r.dec.InputOffset()
	return r.dec.Token()
}

func describeToken(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		switch v {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
		return fmt.Sprintf("%q", string(v))
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", t)
}

// readObject reads one array element. When first is set its keys become
// the header.
func (r *jsonReader) readObject(first bool) (Row, error) {
	r.elem++
	rowNum := r.elem + 1
	tok, err := r.token()
	if err != nil {
		return Row{}, r.convertErr(err, rowNum, "")
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return Row{}, rowError(r.file, rowNum, "expected an object, found %s", describeToken(tok))
	}
	var cells []string
	var seen []bool
	if first {
		r.index = make(map[string]int)
	} else {
		cells = make([]string, len(r.header))
		seen = make([]bool, len(r.header))
	}
	for r.dec.More() {
		kt, err := r.token()
		if err != nil {
			return Row{}, r.convertErr(err, rowNum, "")
		}
		key, _ := kt.(string) // the decoder guarantees a string in key position
		if msg := checkCell(key, r.opt.MaxCellBytes); msg != "" {
			return Row{}, rowError(r.file, rowNum, "key: %s", msg)
		}
		key = strings.TrimSpace(key)
		vt, err := r.token()
		if err != nil {
			return Row{}, r.convertErr(err, rowNum, key)
		}
		var val string
		switch v := vt.(type) {
		case string:
			val = v
		case json.Number:
			val = v.String()
		case bool:
			val = fmt.Sprint(v)
		case nil:
		default:
			return Row{}, r.keyError(rowNum, key, "nested %s is not supported; each value must be a string, number, boolean or null", strings.TrimPrefix(describeToken(vt), "an "))
		}
		if msg := checkCell(val, r.opt.MaxCellBytes); msg != "" {
			return Row{}, r.keyError(rowNum, key, "%s", msg)
		}
		if first {
			if key == "" {
				e := rowError(r.file, rowNum, "blank key (keys of the first object are the column names)")
				e.Column, e.positional = positionLabel(len(r.header)), true
				return Row{}, e
			}
			if _, dup := r.index[key]; dup {
				return Row{}, r.keyError(rowNum, key, "key appears twice in the object")
			}
			r.index[key] = len(r.header)
			r.header = append(r.header, key)
			cells = append(cells, val)
			continue
		}
		i, ok := r.index[key]
		if !ok {
			return Row{}, r.keyError(rowNum, key, "unknown key (not in the first object, whose keys define the columns)")
		}
		if seen[i] {
			return Row{}, r.keyError(rowNum, key, "key appears twice in the object")
		}
		seen[i] = true
		cells[i] = val
	}
	if _, err := r.token(); err != nil { // the closing '}'
		return Row{}, r.convertErr(err, rowNum, "")
	}
	if first && len(r.header) == 0 {
		return Row{}, rowError(r.file, rowNum, "the first object has no keys, so there are no columns")
	}
	return Row{Line: rowNum, PhysicalLine: rowNum, Cells: cells}, nil
}

func (r *jsonReader) keyError(row int, key, format string, args ...any) *Error {
	e := rowError(r.file, row, format, args...)
	e.Column = key
	if key == "" {
		e.Column, e.positional = "(blank key)", true
	}
	return e
}

// end consumes the closing ']' and makes sure nothing follows the array.
func (r *jsonReader) end() error {
	if _, err := r.token(); err != nil {
		return r.convertErr(err, r.elem+2, "")
	}
	if tok, err := r.token(); err != io.EOF {
		if err != nil {
			return r.convertErr(err, 0, "")
		}
		return fileError(r.file, nil, "unexpected %s after the end of the JSON array", describeToken(tok))
	}
	return io.EOF
}

func (r *jsonReader) convertErr(err error, row int, key string) error {
	var se *json.SyntaxError
	var e *Error
	switch {
	case errors.As(err, &se):
		e = rowError(r.file, row, "invalid JSON at byte %d: %v", se.Offset, err)
	case errors.Is(err, io.ErrUnexpectedEOF), err == io.EOF:
		e = rowError(r.file, row, "unexpected end of file (truncated JSON)")
	case errors.Is(err, errTooLong):
		e = rowError(r.file, row, "value longer than %d bytes (cells are limited to %d bytes)", r.g.limit, r.opt.MaxCellBytes)
	default:
		e = rowError(r.file, row, "read error: %v", err)
	}
	if key != "" {
		e.Column = key
	}
	e.cause = err
	return e
}

func (r *jsonReader) Header() []string { return r.header }
func (r *jsonReader) Encoding() string { return "json" }
func (r *jsonReader) Delimiter() rune  { return 0 }

func (r *jsonReader) Close() error {
	r.err = errClosed(r.file)
	r.pending = nil
	if r.closer != nil {
		c := r.closer
		r.closer = nil
		return c.Close()
	}
	return nil
}

func (r *jsonReader) Next() (Row, error) {
	if r.err != nil {
		return Row{}, r.err
	}
	var row Row
	if r.pending != nil {
		row, r.pending = *r.pending, nil
	} else {
		if !r.dec.More() {
			r.err = r.end()
			return Row{}, r.err
		}
		var err error
		if row, err = r.readObject(false); err != nil {
			r.err = err
			return Row{}, err
		}
	}
	if r.opt.MaxRows > 0 && r.count >= r.opt.MaxRows {
		r.err = rowError(r.file, row.Line, "more than %d data rows (the limit)", r.opt.MaxRows)
		return Row{}, r.err
	}
	r.count++
	return row, nil
}
