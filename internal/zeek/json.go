package zeek

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
)

// jsonReader reads Zeek's JSON log format (LogAscii::use_json): one object
// per line, keys already flattened ("id.orig_h"), unset fields omitted.
type jsonReader struct {
	src      *lines
	kind     Kind
	fields   []string
	pending  Record
	pendingN int
	err      error
}

func openJSON(src *lines, first []byte, n int) (*jsonReader, error) {
	var keys []string
	rec, err := parseJSONLine(src.file, n, first, &keys)
	if err != nil {
		return nil, err
	}
	j := &jsonReader{src: src, fields: keys, pending: rec, pendingN: n}
	j.kind = detectKind(rec["_path"], src.file, keys)
	return j, nil
}

func (j *jsonReader) Kind() Kind       { return j.kind }
func (j *jsonReader) Fields() []string { return j.fields }
func (j *jsonReader) Close() error     { return j.src.close() }

func (j *jsonReader) nextRow() (row, int, error) { return j.Next() }

func (j *jsonReader) Next() (Record, int, error) {
	if j.err != nil {
		return nil, 0, j.err
	}
	if j.pending != nil {
		rec := j.pending
		j.pending = nil
		return rec, j.pendingN, nil
	}
	for {
		line, n, err := j.src.next()
		if err != nil {
			j.err = err
			return nil, n, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		rec, err := parseJSONLine(j.src.file, n, line, nil)
		if err != nil {
			j.err = err
			return nil, n, err
		}
		return rec, n, nil
	}
}

// btestTS is the placeholder Zeek's test suite writes for timestamps. In JSON
// it appears bare (`"ts":XXXXXXXXXX.XXXXXX`), which is not JSON at all.
const btestTS = "XXXXXXXXXX.XXXXXX"

// parseJSONLine decodes one line into a Record, appending keys in document
// order to *keys when keys is non-nil (for Fields).
func parseJSONLine(file string, n int, line []byte, keys *[]string) (Record, error) {
	rec := Record{}
	err := decodeObject(line, "", 0, rec, keys)
	if err != nil && bytes.Contains(line, []byte(":"+btestTS)) {
		// Quote the placeholder and retry, rather than quoting up front,
		// so a string value that happens to contain it is left alone.
		fixed := bytes.ReplaceAll(line, []byte(":"+btestTS), []byte(`:"`+btestTS+`"`))
		rec = Record{}
		if keys != nil {
			*keys = (*keys)[:0]
		}
		if decodeObject(fixed, "", 0, rec, keys) == nil {
			err = nil
		}
	}
	if err != nil {
		return nil, &Error{File: file, Line: n, Msg: "bad JSON line: " + err.Error(), Err: err}
	}
	return rec, nil
}

const maxNest = 4

type notObjectError struct{}

func (notObjectError) Error() string { return "not a JSON object" }

// decodeObject flattens one JSON object into rec, nested objects as
// "outer.inner" (Zeek writes them so when JSON flattening is off). Objects
// nested deeper than maxNest are kept as JSON text: no Zeek log nests that
// deep, and re-decoding each level would cost quadratic time on hostile input.
func decodeObject(data []byte, prefix string, depth int, rec Record, keys *[]string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return notObjectError{}
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := prefix + tok.(string) // object keys are always strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if len(raw) > 0 && raw[0] == '{' && depth < maxNest {
			if err := decodeObject(raw, key+".", depth+1, rec, keys); err != nil {
				return err
			}
			continue
		}
		if _, dup := rec[key]; !dup && keys != nil {
			*keys = append(*keys, key)
		}
		rec[key] = scalarText(raw)
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return trailingError{}
		}
		return err
	}
	return nil
}

type trailingError struct{}

func (trailingError) Error() string { return "data after the JSON object" }

// scalarText renders a JSON value as Zeek's TSV form would: strings bare,
// null as "", booleans T/F, arrays joined with ",", numbers verbatim.
// raw is known-valid JSON (the decoder checked it).
func scalarText(raw json.RawMessage) string {
	switch raw[0] {
	case '"':
		var s string
		json.Unmarshal(raw, &s)
		return s
	case 'n':
		return ""
	case 't':
		return "T"
	case 'f':
		return "F"
	case '{':
		return string(raw) // only past maxNest or inside arrays; no Zeek type does this
	case '[':
		var elems []json.RawMessage
		json.Unmarshal(raw, &elems)
		parts := make([]string, 0, len(elems))
		for _, e := range elems {
			parts = append(parts, scalarText(e))
		}
		return strings.Join(parts, ",")
	}
	return string(raw)
}
