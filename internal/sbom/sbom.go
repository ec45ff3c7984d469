// Package sbom reads Software Bills of Materials (CycloneDX JSON/XML and
// SPDX JSON/tag-value) into a small, format-neutral model that the rest of
// medsec uses to match device components against vulnerability data.
//
// Decoding is done by the reference libraries (github.com/CycloneDX/cyclonedx-go
// and github.com/spdx/tools-golang); this package only detects the format from
// the content, maps the result onto Document/Component and turns decoder
// errors into messages that name the file and, where known, line and column.
package sbom

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Format names used in Document.Format.
const (
	FormatCycloneDX = "cyclonedx"
	FormatSPDX      = "spdx"
)

// Encoding names used in Document.Encoding.
const (
	EncodingJSON     = "json"
	EncodingXML      = "xml"
	EncodingTagValue = "tag-value"
)

// MaxSize is the largest SBOM Read accepts (device SBOMs are far smaller).
const MaxSize = 64 << 20

// Document is a format-neutral SBOM.
type Document struct {
	Format      string // FormatCycloneDX or FormatSPDX
	Encoding    string // EncodingJSON, EncodingXML or EncodingTagValue
	SpecVersion string // "1.4" for CycloneDX 1.4, "SPDX-2.3" for SPDX
	// Name is the SPDX document name; for CycloneDX (which has no document
	// name) it is the subject's name, else the serial number.
	Name string
	// Serial is the CycloneDX serialNumber or the SPDX documentNamespace.
	Serial string
	// Subject is the device/product the SBOM describes: CycloneDX
	// metadata.component, or the single package an SPDX document DESCRIBES.
	// It is not repeated in Components. Nil when the SBOM does not say.
	Subject *Component
	// Supplier of the subject: CycloneDX metadata.supplier / manufacturer /
	// manufacture, else the subject's own supplier; SPDX: the subject
	// package's supplier, else the first Organization creator.
	Supplier string
	Created  time.Time // zero if absent or unparsable
	// Components in document order; nested CycloneDX components are
	// flattened (depth first, after their parent) with Parent set.
	Components []Component
}

// Component is one entry of the bill of materials.
type Component struct {
	Ref      string // bom-ref / SPDXID; unique within the document
	Parent   string // Ref of the enclosing component (nested CycloneDX, SPDX CONTAINS); "" at top level
	Name     string
	Group    string // CycloneDX group (e.g. Maven groupId), "" otherwise
	Version  string
	Supplier string // supplier, else manufacturer, publisher, author / originator
	PURL     string
	CPEs     []string
	Licenses []string // SPDX ids, license names or expressions, as written
	Hashes   []Hash
	// Type is the CycloneDX component type ("library", "firmware",
	// "device", "operating-system", ...) or the lower-cased SPDX
	// primaryPackagePurpose (which uses the same words).
	Type         string
	Description  string
	Dependencies []string // Refs this component depends on
}

// Hash is a checksum; Algorithm is normalised to the CycloneDX spelling
// ("SHA-256", "SHA-1", "MD5", "SHA3-256", "BLAKE2b-256", ...).
type Hash struct {
	Algorithm string
	Value     string
}

// Component returns the component with the given ref (including the
// subject), or nil.
func (d *Document) Component(ref string) *Component {
	if d.Subject != nil && d.Subject.Ref == ref {
		return d.Subject
	}
	for i := range d.Components {
		if d.Components[i].Ref == ref {
			return &d.Components[i]
		}
	}
	return nil
}

// Error is returned for SBOMs that cannot be read. Line and Column are 1-based
// and zero when unknown; Offset is a byte offset (-1 when unknown).
type Error struct {
	File   string
	Line   int
	Column int
	Offset int64
	Msg    string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("sbom ")
	if e.File != "" {
		b.WriteString(e.File)
	} else {
		b.WriteString("<input>")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	} else if e.Offset >= 0 {
		fmt.Fprintf(&b, " (byte %d)", e.Offset)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrUnknownFormat is wrapped by errors for input that is not a supported SBOM.
var ErrUnknownFormat = errors.New("not a supported SBOM")

// ReadFile reads and parses the SBOM at path.
func ReadFile(path string) (*Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(filepath.Base(path), f)
}

// Read parses an SBOM; name is used in error messages only (the format is
// detected from the content, never from the name).
func Read(name string, r io.Reader) (*Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, &Error{File: name, Offset: -1, Msg: "read failed", Err: err}
	}
	if len(data) > MaxSize {
		return nil, &Error{File: name, Offset: -1, Msg: fmt.Sprintf("larger than %d bytes", MaxSize)}
	}
	return Parse(name, data)
}

// Kind is the result of Detect.
type Kind struct {
	Format   string // FormatCycloneDX, FormatSPDX or "" if unknown
	Encoding string // EncodingJSON, EncodingXML, EncodingTagValue, or "yaml"/"rdf" (detected but unsupported)
}

// Detect identifies the SBOM format from the content alone.
func Detect(data []byte) Kind {
	b := trimBOM(data)
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) == 0 {
		return Kind{}
	}
	switch t[0] {
	case '{':
		var top map[string]json.RawMessage
		if json.Unmarshal(t, &top) != nil {
			// Not valid JSON; still guess so the decoder reports the syntax error.
			head := t[:min(len(t), 4096)]
			switch {
			case bytes.Contains(head, []byte(`"bomFormat"`)):
				return Kind{FormatCycloneDX, EncodingJSON}
			case bytes.Contains(head, []byte(`"spdxVersion"`)):
				return Kind{FormatSPDX, EncodingJSON}
			}
			return Kind{"", EncodingJSON}
		}
		if raw, ok := top["bomFormat"]; ok {
			var s string
			_ = json.Unmarshal(raw, &s)
			if strings.EqualFold(s, "CycloneDX") {
				return Kind{FormatCycloneDX, EncodingJSON}
			}
		}
		if _, ok := top["spdxVersion"]; ok {
			return Kind{FormatSPDX, EncodingJSON}
		}
		return Kind{"", EncodingJSON}
	case '<':
		dec := xml.NewDecoder(bytes.NewReader(t))
		for {
			tok, err := dec.Token()
			if err != nil {
				return Kind{"", EncodingXML}
			}
			if se, ok := tok.(xml.StartElement); ok {
				switch {
				case se.Name.Local == "bom" && (strings.Contains(se.Name.Space, "cyclonedx.org") || se.Name.Space == ""):
					return Kind{FormatCycloneDX, EncodingXML}
				case se.Name.Local == "RDF":
					return Kind{FormatSPDX, "rdf"}
				}
				return Kind{"", EncodingXML}
			}
		}
	}
	// Text: SPDX tag-value or SPDX YAML.
	lines := 0
	for _, ln := range bytes.SplitN(t, []byte("\n"), 200) {
		ln = bytes.TrimSpace(ln)
		if len(ln) == 0 || ln[0] == '#' {
			continue
		}
		lines++
		switch {
		case bytes.HasPrefix(ln, []byte("SPDXVersion:")):
			return Kind{FormatSPDX, EncodingTagValue}
		case bytes.HasPrefix(ln, []byte("spdxVersion:")):
			return Kind{FormatSPDX, "yaml"}
		case bytes.HasPrefix(ln, []byte("bomFormat:")):
			return Kind{FormatCycloneDX, "yaml"}
		}
		if lines > 50 {
			break
		}
	}
	return Kind{}
}

// Parse parses an in-memory SBOM; name is used in error messages only.
func Parse(name string, data []byte) (*Document, error) {
	k := Detect(data)
	body := trimBOM(data)
	switch {
	case k.Format == FormatCycloneDX && (k.Encoding == EncodingJSON || k.Encoding == EncodingXML):
		return parseCycloneDX(name, body, k.Encoding)
	case k.Format == FormatSPDX && (k.Encoding == EncodingJSON || k.Encoding == EncodingTagValue):
		return parseSPDX(name, body, k.Encoding)
	case k.Format != "":
		return nil, &Error{File: name, Offset: -1, Msg: fmt.Sprintf("%s %s encoding is not supported (use JSON, XML for CycloneDX, or JSON, tag-value for SPDX)", k.Format, k.Encoding), Err: ErrUnknownFormat}
	case k.Encoding == EncodingJSON:
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return nil, decodeError(name, body, "invalid JSON", err)
		}
		return nil, &Error{File: name, Offset: -1, Msg: `JSON is not an SBOM: expected a CycloneDX BOM (top-level "bomFormat": "CycloneDX") or an SPDX document (top-level "spdxVersion")`, Err: ErrUnknownFormat}
	case k.Encoding == EncodingXML:
		return nil, &Error{File: name, Offset: -1, Msg: `XML is not an SBOM: expected a CycloneDX <bom xmlns="http://cyclonedx.org/schema/bom/1.x"> root element`, Err: ErrUnknownFormat}
	case len(bytes.TrimSpace(body)) == 0:
		return nil, &Error{File: name, Offset: -1, Msg: "empty input", Err: ErrUnknownFormat}
	default:
		return nil, &Error{File: name, Offset: -1, Msg: "unrecognised content: expected CycloneDX JSON/XML, SPDX JSON or SPDX tag-value (\"SPDXVersion: SPDX-2.3\")", Err: ErrUnknownFormat}
	}
}

func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

// decodeError wraps a decoder error, adding line/column when it carries a
// byte offset (encoding/json) or a line (encoding/xml).
func decodeError(name string, data []byte, msg string, err error) *Error {
	e := &Error{File: name, Offset: -1, Msg: msg, Err: err}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var xe *xml.SyntaxError
	switch {
	case errors.As(err, &se):
		e.Offset = se.Offset
	case errors.As(err, &te):
		e.Offset = te.Offset
	case errors.As(err, &xe):
		e.Line = xe.Line
	case errors.Is(err, io.ErrUnexpectedEOF):
		e.Offset = int64(len(data))
	}
	if e.Offset >= 0 && e.Line == 0 {
		e.Line, e.Column = lineCol(data, e.Offset)
	}
	return e
}

func lineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		return 0, 0
	}
	pre := data[:off]
	line = bytes.Count(pre, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(pre, '\n') + 1)
	if col == 0 {
		col = 1
	}
	return line, col
}

func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// normHashAlg maps SPDX ("SHA256", "SHA3_256", "BLAKE2b-256") and CycloneDX
// ("SHA-256", "SHA3-256") spellings onto the CycloneDX one.
func normHashAlg(a string) string {
	u := strings.ToUpper(strings.TrimSpace(a))
	u = strings.ReplaceAll(u, "_", "-")
	switch {
	case strings.HasPrefix(u, "SHA3-"):
		return u
	case strings.HasPrefix(u, "SHA-"):
		return u
	case strings.HasPrefix(u, "SHA") && len(u) > 3 && u[3] >= '0' && u[3] <= '9':
		return "SHA-" + u[3:]
	case strings.HasPrefix(u, "BLAKE2B-"):
		return "BLAKE2b-" + u[8:]
	case u == "BLAKE3":
		return "BLAKE3"
	}
	return u
}

func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
