package csaf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"
)

// MaxDocumentSize bounds one CSAF document. The largest real CISA advisory
// is well under 1 MiB; 64 MiB leaves room for huge product trees while
// keeping a hostile file from exhausting memory (it is decoded twice).
const MaxDocumentSize = 64 << 20

// Load reads one CSAF JSON document, validates it against the CSAF 2.0 JSON
// schema, and converts it. An invalid document is refused with an *Error
// whose Path is the instance location (JSON pointer) of the first schema
// error, e.g.
//
//	icsma-x.json: invalid CSAF at /document/tracking: missing property 'id'
func Load(name string, r io.Reader) (*Advisory, error) {
	raw, err := readLimited(name, r, -1)
	if err != nil {
		return nil, err
	}
	return parse(name, raw, false)
}

// readLimited reads at most MaxDocumentSize bytes. size, when known (a
// file's length), lets it allocate exactly once; otherwise the result is
// trimmed so that Raw does not pin a buffer up to twice its length.
func readLimited(name string, r io.Reader, size int64) ([]byte, error) {
	tooLarge := &Error{File: name, Msg: fmt.Sprintf("document exceeds %d MiB", MaxDocumentSize>>20), Err: ErrTooLarge}
	if size > MaxDocumentSize {
		return nil, tooLarge
	}
	var buf []byte
	if size >= 0 {
		// bytes.Buffer.ReadFrom wants MinRead bytes free before each read;
		// with them the final read sees EOF without reallocating.
		buf = make([]byte, 0, size+bytes.MinRead)
	}
	w := bytes.NewBuffer(buf)
	n, err := w.ReadFrom(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return nil, &Error{File: name, Msg: "read: " + err.Error(), Err: err}
	}
	if n > MaxDocumentSize {
		return nil, tooLarge
	}
	b := w.Bytes()
	if cap(b)-len(b) > len(b)/16+bytes.MinRead {
		b = bytes.Clone(b)
	}
	return b, nil
}

// parse validates raw and converts it. With skipMeta, JSON that is clearly
// a provider-metadata, aggregator or ROLIE document yields errNotAdvisory.
func parse(name string, raw []byte, skipMeta bool) (*Advisory, error) {
	// Generic decoding for the schema validator; json.Number keeps numbers
	// exact, which the validator supports.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, jsonError(name, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &Error{File: name, Msg: fmt.Sprintf("invalid JSON: trailing data after the document at byte %d", dec.InputOffset())}
	}
	if skipMeta && isMetaDocument(doc) {
		return nil, errNotAdvisory
	}

	msgs, err := gocsaf.ValidateCSAF(doc)
	if err != nil {
		// The embedded schema failed to compile: a bug, not the document's fault.
		return nil, &Error{File: name, Msg: "schema validation unavailable: " + err.Error(), Err: err}
	}
	if len(msgs) > 0 {
		return nil, schemaError(name, doc, msgs)
	}

	var d jDocument
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, jsonError(name, err)
	}
	a, err := convert(&d)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.File = name
			return nil, e
		}
		return nil, &Error{File: name, Msg: err.Error(), Err: err}
	}
	a.Raw = raw
	a.File = name
	return a, nil
}

// jsonError maps encoding/json errors to *Error, with a pointer when the
// decoder knows the field.
func jsonError(name string, err error) *Error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &Error{File: name, Msg: fmt.Sprintf("invalid JSON at byte %d: %v", se.Offset, se), Err: err}
	case errors.As(err, &te) && te.Field != "":
		return &Error{File: name, Path: "/" + strings.ReplaceAll(te.Field, ".", "/"), Msg: fmt.Sprintf("got JSON %s, want %s", te.Value, te.Type), Err: err}
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{File: name, Msg: "invalid JSON: unexpected end of input", Err: err}
	}
	return &Error{File: name, Msg: "invalid JSON: " + err.Error(), Err: err}
}

// genericFailure is the jsonschema message for a keyword group whose
// details are reported separately; it says nothing on its own.
const genericFailure = "validation failed"

// schemaError builds the error for the first schema violation. gocsaf
// returns "location: message" strings sorted by instance location (parents
// first); the first one with a specific message wins, so a missing
// property reads "missing property 'id'" rather than "validation failed".
func schemaError(name string, doc any, msgs []string) *Error {
	first := -1
	for i, m := range msgs {
		if !strings.HasSuffix(m, ": "+genericFailure) {
			first = i
			break
		}
	}
	if first < 0 {
		first = 0
	}
	path, msg := splitSchemaMessage(doc, msgs[first])
	if path == "" {
		return &Error{File: name, Msg: "invalid CSAF at document root: " + msg}
	}
	return &Error{File: name, Path: path, Msg: msg}
}

// splitSchemaMessage splits "location: message". The location is a JSON
// pointer whose tokens may themselves contain ": " (keys are document
// content), so the split point chosen is the longest prefix that resolves
// in the document. Errors at the root carry the schema URL instead.
func splitSchemaMessage(doc any, s string) (path, msg string) {
	if !strings.HasPrefix(s, "/") {
		if i := strings.Index(s, ": "); i >= 0 {
			return "", s[i+2:]
		}
		return "", s
	}
	best := -1
	for i := 0; ; {
		j := strings.Index(s[i:], ": ")
		if j < 0 {
			break
		}
		if resolves(doc, s[:i+j]) {
			best = i + j
		}
		i += j + 2
	}
	if best < 0 {
		best = strings.Index(s, ": ")
		if best < 0 {
			return s, ""
		}
	}
	return s[:best], s[best+2:]
}

// resolves reports whether the RFC 6901 pointer p names a value in doc.
func resolves(doc any, p string) bool {
	if p == "" {
		return true
	}
	if !strings.HasPrefix(p, "/") {
		return false
	}
	cur := doc
	for tok := range strings.SplitSeq(p[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[tok]
			if !ok {
				return false
			}
			cur = next
		case []any:
			var i int
			if _, err := fmt.Sscanf(tok, "%d", &i); err != nil || i < 0 || i >= len(v) || fmt.Sprint(i) != tok {
				return false
			}
			cur = v[i]
		default:
			return false
		}
	}
	return true
}

// isMetaDocument recognises the non-advisory JSON of a provider or
// aggregator web tree so a directory walk can skip it silently.
func isMetaDocument(doc any) bool {
	m, ok := doc.(map[string]any)
	if !ok {
		return false
	}
	if _, ok := m["document"]; ok {
		return false
	}
	for _, k := range []string{"feed", "service", "categories", "metadata_version", "aggregator", "canonical_url"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}
