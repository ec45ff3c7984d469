package nvd

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Page is the envelope of an NVD API 2.0 response page. Fields absent from
// the input stay zero.
type Page struct {
	ResultsPerPage int
	StartIndex     int
	TotalResults   int
	Format         string // "NVD_CVE"
	Version        string // "2.0"
	Timestamp      string
	// Records is the number of CVEs read (and passed to fn).
	Records int
}

// Error is a read error with its place in the input. Record is the 0-based
// index of the vulnerability in the input (-1 when the error is outside any
// record), Offset the byte offset in the (uncompressed) input, and Path the
// JSON path of the offending value when it is known.
type Error struct {
	File   string
	Record int
	ID     string // the record's CVE id, when it was decoded
	Offset int64
	Path   string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("nvd: ")
	b.WriteString(e.File)
	if e.Record >= 0 {
		fmt.Fprintf(&b, ": record %d", e.Record)
		if e.ID != "" {
			fmt.Fprintf(&b, " (%s)", e.ID)
		}
	}
	fmt.Fprintf(&b, " at byte %d", e.Offset)
	if e.Path != "" {
		b.WriteString(": ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// cveFields are the keys of a bare "cve" object; a top-level object with one
// of them is read as a single CVE.
var cveFields = map[string]bool{
	"id": true, "sourceIdentifier": true, "published": true, "lastModified": true,
	"vulnStatus": true, "cveTags": true, "descriptions": true, "metrics": true,
	"weaknesses": true, "configurations": true, "references": true,
	"evaluatorComment": true, "evaluatorSolution": true, "evaluatorImpact": true,
	"cisaExploitAdd": true, "cisaActionDue": true, "cisaRequiredAction": true,
	"cisaVulnerabilityName": true, "vendorComments": true,
}

// Read streams the CVEs of an NVD API 2.0 input to fn, one at a time. See
// ReadPage.
func Read(name string, r io.Reader, fn func(*CVE) error) error {
	_, err := ReadPage(name, r, fn)
	return err
}

// ReadPage streams the CVEs of r to fn in input order and returns the page
// envelope. r holds one or more top-level JSON objects (so JSON Lines work
// too), each of them
//
//   - an API response page {"resultsPerPage":…,"vulnerabilities":[{"cve":{…}},…]},
//   - a record {"cve":{…}}, or
//   - a bare cve object {"id":"CVE-…",…}.
//
// gzip-compressed input is detected and decompressed. Vulnerabilities are
// decoded one at a time, so memory stays bounded by the largest record, not
// the input. Each record is checked (a well-formed CVE id, parseable CPE
// criteria, AND/OR operators); the first problem stops the read with an
// *Error naming name, the record index, the byte offset and the JSON path.
// An error returned by fn stops the read too and is wrapped the same way.
func ReadPage(name string, r io.Reader, fn func(*CVE) error) (Page, error) {
	var pg Page
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return pg, &Error{File: name, Record: -1, Err: fmt.Errorf("gzip: %w", err)}
		}
		defer zr.Close()
		r = zr
	} else {
		r = br
	}
	rd := &reader{name: name, dec: json.NewDecoder(r), fn: fn, page: &pg}
	err := rd.run()
	pg.Records = rd.n
	return pg, err
}

type reader struct {
	name string
	dec  *json.Decoder
	fn   func(*CVE) error
	page *Page
	n    int // records read
}

func (rd *reader) fail(rec int, id, path string, off int64, err error) error {
	return &Error{File: rd.name, Record: rec, ID: id, Offset: off, Path: path, Err: err}
}

func (rd *reader) run() error {
	values := 0
	for {
		off := rd.dec.InputOffset()
		tok, err := rd.dec.Token()
		if err == io.EOF {
			if values == 0 {
				return rd.fail(-1, "", "$", off, errors.New("empty input: want an NVD API 2.0 page or cve object"))
			}
			return nil
		}
		if err != nil {
			return rd.syntax(-1, "$", off, err)
		}
		if d, ok := tok.(json.Delim); !ok || d != '{' {
			return rd.fail(-1, "", "$", off, fmt.Errorf("top-level value is %s, want an object", describeToken(tok)))
		}
		values++
		if err := rd.object(off); err != nil {
			return err
		}
	}
}

// object reads the members of one top-level object, its '{' already read.
func (rd *reader) object(start int64) error {
	var fields map[string]json.RawMessage
	known := false
	for rd.dec.More() {
		off := rd.dec.InputOffset()
		tok, err := rd.dec.Token()
		if err != nil {
			return rd.syntax(-1, "$", off, err)
		}
		key, _ := tok.(string)
		path := "$." + key
		off = rd.dec.InputOffset()
		switch key {
		case "vulnerabilities":
			known = true
			if err := rd.vulnerabilities(); err != nil {
				return err
			}
		case "cve":
			known = true
			c := new(CVE)
			if err := rd.dec.Decode(c); err != nil {
				return rd.decodeErr(rd.n, "$.cve", off, err)
			}
			if err := rd.deliver(c, "$.cve", off); err != nil {
				return err
			}
		case "resultsPerPage", "startIndex", "totalResults":
			known = true
			var n int
			if err := rd.dec.Decode(&n); err != nil {
				return rd.decodeErr(-1, path, off, err)
			}
			switch key {
			case "resultsPerPage":
				rd.page.ResultsPerPage = n
			case "startIndex":
				rd.page.StartIndex = n
			default:
				rd.page.TotalResults = n
			}
		case "format", "version", "timestamp":
			known = true
			var s string
			if err := rd.dec.Decode(&s); err != nil {
				return rd.decodeErr(-1, path, off, err)
			}
			switch key {
			case "format":
				rd.page.Format = s
			case "version":
				rd.page.Version = s
			default:
				rd.page.Timestamp = s
			}
		default:
			var raw json.RawMessage
			if err := rd.dec.Decode(&raw); err != nil {
				return rd.decodeErr(-1, path, off, err)
			}
			if cveFields[key] {
				if fields == nil {
					fields = map[string]json.RawMessage{}
				}
				fields[key] = raw
			}
		}
	}
	if _, err := rd.dec.Token(); err != nil { // the closing '}'
		return rd.syntax(-1, "$", rd.dec.InputOffset(), err)
	}
	if fields != nil {
		// A bare cve object: it is one record, small enough to re-decode.
		buf, _ := json.Marshal(fields)
		c := new(CVE)
		if err := json.Unmarshal(buf, c); err != nil {
			// Offsets into the re-encoded object mean nothing: report the
			// object's start.
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return rd.fail(rd.n, "", "$."+te.Field, start, fmt.Errorf("%s value where %s expected", te.Value, te.Type))
			}
			return rd.fail(rd.n, "", "$", start, err)
		}
		return rd.deliver(c, "$", start)
	}
	if !known {
		return rd.fail(-1, "", "$", start, errors.New("object is neither an NVD API 2.0 page, a {\"cve\":…} record nor a cve object"))
	}
	return nil
}

// vulnerabilities streams the "vulnerabilities" array.
func (rd *reader) vulnerabilities() error {
	off := rd.dec.InputOffset()
	tok, err := rd.dec.Token()
	if err != nil {
		return rd.syntax(-1, "$.vulnerabilities", off, err)
	}
	if tok == nil {
		return nil // "vulnerabilities": null
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return rd.fail(-1, "", "$.vulnerabilities", off, fmt.Errorf("is %s, want an array", describeToken(tok)))
	}
	for i := 0; rd.dec.More(); i++ {
		off := rd.dec.InputOffset()
		path := "$.vulnerabilities[" + strconv.Itoa(i) + "]"
		var rec struct {
			CVE *CVE `json:"cve"`
		}
		if err := rd.dec.Decode(&rec); err != nil {
			return rd.decodeErr(rd.n, path, off, err)
		}
		if rec.CVE == nil {
			return rd.fail(rd.n, "", path, off, errors.New("vulnerability has no \"cve\" object"))
		}
		if err := rd.deliver(rec.CVE, path+".cve", off); err != nil {
			return err
		}
	}
	if _, err := rd.dec.Token(); err != nil { // ']'
		return rd.syntax(-1, "$.vulnerabilities", rd.dec.InputOffset(), err)
	}
	return nil
}

// deliver checks a decoded record and hands it to fn.
func (rd *reader) deliver(c *CVE, path string, off int64) error {
	if sub, err := Validate(c); err != nil {
		return rd.fail(rd.n, c.ID, path+sub, off, err)
	}
	rec := rd.n
	rd.n++
	if rd.fn != nil {
		if err := rd.fn(c); err != nil {
			return rd.fail(rec, c.ID, "", off, err)
		}
	}
	return nil
}

// decodeErr turns a json error inside a value that starts at off into an
// *Error with the absolute offset and the deepest path known.
func (rd *reader) decodeErr(rec int, path string, off int64, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		// A Decoder's syntax offsets count from the start of the input.
		return rd.fail(rec, "", path, se.Offset, fmt.Errorf("malformed JSON: %v", se))
	case errors.As(err, &te):
		p := path
		if te.Field != "" {
			p += "." + te.Field
		}
		// Type error offsets count from the start of the value.
		return rd.fail(rec, "", p, off+te.Offset, fmt.Errorf("%s value where %s expected", te.Value, te.Type))
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return rd.fail(rec, "", path, rd.dec.InputOffset(), errors.New("input ends inside the value (truncated file?)"))
	}
	return rd.fail(rec, "", path, off, err)
}

func (rd *reader) syntax(rec int, path string, off int64, err error) error {
	return rd.decodeErr(rec, path, off, err)
}

func describeToken(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return "the delimiter " + v.String()
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", t)
}

var cveIDRe = regexp.MustCompile(`^CVE-\d{4}-\d{4,}$`)

// Validate checks what matching relies on: a well-formed CVE id, AND/OR
// operators, and CPE 2.3 criteria that parse. On error, path is the JSON
// path of the offending value below the cve object (".configurations[0]…").
func Validate(c *CVE) (path string, err error) {
	if c.ID == "" {
		return ".id", errors.New("record has no CVE id")
	}
	if !cveIDRe.MatchString(c.ID) {
		return ".id", fmt.Errorf("CVE id %q is not of the form CVE-YYYY-NNNN", clip(c.ID))
	}
	for i, cfg := range c.Configurations {
		p := ".configurations[" + strconv.Itoa(i) + "]"
		if !validOp(cfg.Operator, true) {
			return p + ".operator", fmt.Errorf("operator %q, want AND or OR", clip(cfg.Operator))
		}
		for j, n := range cfg.Nodes {
			pn := p + ".nodes[" + strconv.Itoa(j) + "]"
			if !validOp(n.Operator, true) {
				return pn + ".operator", fmt.Errorf("operator %q, want AND or OR", clip(n.Operator))
			}
			for k, m := range n.CPEMatch {
				if _, err := ParseCPE(m.Criteria); err != nil {
					return pn + ".cpeMatch[" + strconv.Itoa(k) + "].criteria", err
				}
			}
		}
	}
	return "", nil
}

func validOp(op string, emptyOK bool) bool {
	switch op {
	case "AND", "OR":
		return true
	case "":
		return emptyOK
	}
	return false
}
