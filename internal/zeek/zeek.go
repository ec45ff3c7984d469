// Package zeek reads Zeek passive-monitoring logs, the network side of the
// medsec inventory: who is on the wire (dhcp, known_hosts), what they run
// (software) and whom they talk to (conn).
//
// Both of Zeek's log encodings are read: the default ASCII/TSV form with its
// "#fields" header, and JSON (one object per line), either of them optionally
// gzip-compressed as Zeek's log rotation leaves them. Input is streamed line by
// line, because conn.log from a hospital network runs to gigabytes a day; the
// typed views (ReadPresence, ReadSoftware, AggregateConns) keep memory bounded
// by distinct hosts or host pairs, never by lines.
//
// Every error is an *Error naming file, line and field.
package zeek

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
)

// Kind is the type of Zeek log, which decides how the importer uses it.
type Kind string

// The kinds medsec has a use for; everything else is KindOther and may still
// be read generically through Reader.
const (
	KindConn          Kind = "conn"
	KindDHCP          Kind = "dhcp"
	KindKnownHosts    Kind = "known_hosts"
	KindSoftware      Kind = "software"
	KindKnownServices Kind = "known_services"
	KindOther         Kind = "other"
)

// Record is one log entry: field name → value as text. Unset ("-") and empty
// ("(empty)") TSV values, and JSON null, are "". Sets and vectors are joined
// with ",". JSON booleans become "T"/"F" and numbers keep their literal text,
// so a field reads the same whichever encoding Zeek was configured with.
// Timestamps keep their text (epoch seconds in TSV, often ISO 8601 in JSON):
// use ParseTime. TSV \xHH escapes are decoded; JSON strings are taken as
// JSON-decoded, where Zeek leaves non-UTF-8 bytes as literal "\xHH" text.
type Record map[string]string

// Reader streams the records of one log.
type Reader interface {
	// Kind is taken from #path (TSV) or _path (JSON), else the file name,
	// else guessed from the fields present.
	Kind() Kind
	// Fields lists the TSV #fields, or for JSON the keys of the first record
	// (Zeek omits unset fields in JSON, so later records may have fewer).
	Fields() []string
	// Next returns the next record and its 1-based physical line number, or
	// io.EOF. After an error other than io.EOF, Next keeps returning it.
	Next() (Record, int, error)
	// Close releases the decompressor, if any. It does not close the
	// io.Reader passed to Open, which the caller owns.
	Close() error
}

// MaxLineBytes bounds one log line. Real Zeek lines are a few hundred bytes;
// the bound keeps a corrupt or hostile file from making us buffer it whole.
const MaxLineBytes = 1 << 20

// Open detects gzip (by magic bytes, not by name) and the encoding (TSV if the
// first line starts with '#', JSON if with '{'), reads the TSV header or the
// first JSON record, and returns a Reader positioned at the first record.
// A leading "### BTest baseline data" line, as in Zeek's own test baselines,
// is skipped. An empty input yields a Reader that returns io.EOF at once.
func Open(name string, r io.Reader) (Reader, error) {
	src, err := newLines(name, r)
	if err != nil {
		return nil, err
	}
	for {
		line, n, err := src.next()
		if err == io.EOF {
			k, _ := kindFromName(name)
			if k == "" {
				k = KindOther
			}
			return &emptyReader{kind: k, closer: src.closer}, nil
		}
		if err != nil {
			src.close()
			return nil, err
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")) // UTF-8 BOM
		}
		if len(bytes.TrimSpace(line)) == 0 || bytes.HasPrefix(line, []byte("###")) {
			continue // blank, or the btest banner
		}
		var rd Reader
		switch line[0] {
		case '#':
			rd, err = openTSV(src, line, n)
		case '{':
			rd, err = openJSON(src, line, n)
		default:
			err = errorf(name, n, "", "missing #fields header (not a Zeek TSV or JSON log)")
		}
		if err != nil {
			src.close()
			return nil, err
		}
		return rd, nil
	}
}

// lines hands out the physical lines of a possibly gzipped stream, counting
// them for error messages and enforcing MaxLineBytes.
type lines struct {
	file   string
	sc     *bufio.Scanner
	n      int
	err    error
	closer io.Closer
}

func newLines(name string, r io.Reader) (*lines, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	l := &lines{file: name}
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &Error{File: name, Msg: "bad gzip data: " + err.Error(), Err: err}
		}
		src, l.closer = zr, zr
	}
	l.sc = bufio.NewScanner(src)
	// +2 leaves room for "\r\n", so the length check below, not the
	// scanner, decides and the message is the same for LF and CRLF files.
	l.sc.Buffer(make([]byte, 0, 64<<10), MaxLineBytes+2)
	return l, nil
}

// next returns the next line without its terminator, its number, or io.EOF.
// The slice is only valid until the following call.
func (l *lines) next() ([]byte, int, error) {
	if l.err != nil {
		return nil, l.n, l.err
	}
	if l.sc.Scan() {
		l.n++
		b := l.sc.Bytes()
		if len(b) > MaxLineBytes {
			l.err = errorf(l.file, l.n, "", "line longer than 1 MiB")
			return nil, l.n, l.err
		}
		return b, l.n, nil
	}
	switch err := l.sc.Err(); {
	case err == nil:
		l.err = io.EOF
	case errors.Is(err, bufio.ErrTooLong):
		l.err = errorf(l.file, l.n+1, "", "line longer than 1 MiB")
	default:
		l.err = &Error{File: l.file, Line: l.n + 1, Msg: "read error: " + err.Error(), Err: err}
	}
	return nil, l.n, l.err
}

func (l *lines) close() error {
	if l.closer == nil {
		return nil
	}
	err := l.closer.Close()
	l.closer = nil
	if err != nil {
		return &Error{File: l.file, Msg: err.Error(), Err: err}
	}
	return nil
}

// emptyReader stands for a log with no content at all (a rotated file that
// saw no traffic): not an error, just nothing to import.
type emptyReader struct {
	kind   Kind
	closer io.Closer
}

func (e *emptyReader) Kind() Kind                 { return e.kind }
func (e *emptyReader) Fields() []string           { return nil }
func (e *emptyReader) Next() (Record, int, error) { return nil, 0, io.EOF }
func (e *emptyReader) Close() error {
	if e.closer != nil {
		e.closer.Close()
		e.closer = nil
	}
	return nil
}

// detectKind applies the precedence #path/_path, then file name, then fields.
func detectKind(path, name string, fields []string) Kind {
	if k, ok := kindFromPath(path); ok {
		return k
	}
	if k, ok := kindFromName(name); ok {
		return k
	}
	return kindFromFields(fields)
}

var kinds = map[string]Kind{
	"conn":          KindConn,
	"dhcp":          KindDHCP,
	"knownhosts":    KindKnownHosts,
	"software":      KindSoftware,
	"knownservices": KindKnownServices,
}

// kindFromPath maps a #path value. A present but unrecognised path (ssh,
// notice ...) is authoritative too: the log is KindOther.
func kindFromPath(path string) (Kind, bool) {
	if path == "" {
		return "", false
	}
	if k, ok := kinds[strings.ReplaceAll(strings.ToLower(path), "_", "")]; ok {
		return k, true
	}
	return KindOther, true
}

// kindFromName recognises dhcp.log, conn.log.gz, known_hosts.json,
// rotated names such as conn.2024-01-01-00-00-00.log.gz, and btest baseline
// names such as "<test>__knownhosts-all.log".
func kindFromName(name string) (Kind, bool) {
	base := name[strings.LastIndexAny(name, `/\`)+1:]
	base = strings.ToLower(base)
	if i := strings.LastIndex(base, "__"); i >= 0 {
		base = base[i+2:]
	}
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	if i := strings.IndexByte(base, '-'); i >= 0 {
		base = base[:i]
	}
	k, ok := kinds[strings.ReplaceAll(base, "_", "")]
	return k, ok
}

// kindFromFields is the last resort, for logs renamed by hand and lacking
// #path: each kind is recognised by fields only it carries.
func kindFromFields(fields []string) Kind {
	has := make(map[string]bool, len(fields))
	n := 0
	for _, f := range fields {
		has[f] = true
		if f != "_path" && f != "_write_ts" && f != "ts" {
			n++
		}
	}
	switch {
	case has["id.orig_h"] && has["id.resp_h"] && has["id.resp_p"] && has["proto"] &&
		(has["conn_state"] || has["orig_bytes"] || has["history"]):
		return KindConn
	case has["mac"] && (has["assigned_addr"] || has["client_addr"] || has["assigned_ip"] || has["msg_types"]):
		return KindDHCP
	case has["software_type"] && has["name"]:
		return KindSoftware
	case has["host"] && has["port_num"] && has["port_proto"]:
		return KindKnownServices
	case has["host"] && n == 1:
		return KindKnownHosts
	}
	return KindOther
}

// row is the typed views' window on the current record. TSV implements it
// without building a Record map, which keeps conn aggregation cheap.
type row interface {
	get(field string) (string, bool)
}

func (r Record) get(field string) (string, bool) {
	v, ok := r[field]
	return v, ok
}

// rowReader is implemented by every Reader this package returns.
type rowReader interface {
	Reader
	nextRow() (row, int, error)
}

func (e *emptyReader) nextRow() (row, int, error) { return nil, 0, io.EOF }
