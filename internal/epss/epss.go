// Package epss reads FIRST's Exploit Prediction Scoring System daily CSV:
// for each CVE, the probability (0..1) of exploitation activity in the next
// 30 days and its percentile among all scored CVEs. It is pure: no database,
// no network.
//
// The file (epss_scores-YYYY-MM-DD.csv, usually gzip-compressed) starts with
// a comment line naming the model and score date, then a header:
//
//	#model_version:v2025.03.14,score_date:2025-03-20T00:00:00+0000
//	cve,epss,percentile
//	CVE-1999-0001,0.01141,0.77757
//
// Read streams it, so the ~300k rows never sit in memory as a whole.
package epss

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Score is one CVE's EPSS score.
type Score struct {
	CVE        string
	EPSS       float64 // probability of exploitation in the next 30 days, 0..1
	Percentile float64 // 0..1; NaN when the file has no percentile column
}

// Meta is what the file says about itself.
type Meta struct {
	ModelVersion string    // "v2025.03.14"; "" when the comment line is absent
	ScoreDate    time.Time // zero when absent
	Rows         int       // scores read
}

// Error locates a problem: Line is the 1-based line of the (decompressed)
// file, Column the header name of the field ("" for whole-line problems).
type Error struct {
	File   string
	Line   int
	Column string
	Err    error
}

func (e *Error) Error() string {
	col := ""
	if e.Column != "" {
		col = ", column " + e.Column
	}
	return fmt.Sprintf("epss: %s: line %d%s: %v", e.File, e.Line, col, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

var cveRe = regexp.MustCompile(`^CVE-\d{4}-\d{4,19}$`)

// maxLine bounds one line; real lines are about 30 bytes.
const maxLine = 64 << 10

// Read streams the scores of r to fn in file order and returns the file's
// metadata. gzip input is detected by its magic bytes. The comment line is
// optional; the header must name "cve" and "epss" ("percentile" is
// optional, as in early files). Every CVE id must be well-formed and every
// score a number within 0..1; the first problem stops the read with an
// *Error naming name, the line and the column. An error from fn stops the
// read too, wrapped the same way.
func Read(name string, r io.Reader, fn func(Score) error) (Meta, error) {
	var meta Meta
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return meta, &Error{File: name, Line: 0, Err: fmt.Errorf("gzip: %w", err)}
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 1<<16)
	}
	line := 0
	next := func() (string, error) {
		var buf []byte
		for {
			chunk, isPrefix, err := br.ReadLine()
			if err != nil {
				if err == io.EOF && buf != nil {
					break
				}
				return "", err
			}
			buf = append(buf, chunk...)
			if len(buf) > maxLine {
				line++
				return "", &Error{File: name, Line: line, Err: fmt.Errorf("line longer than %d bytes: not an EPSS file", maxLine)}
			}
			if !isPrefix {
				break
			}
		}
		line++
		return string(bytes.TrimSuffix(buf, []byte("\r"))), nil
	}
	fail := func(col string, err error) error { return &Error{File: name, Line: line, Column: col, Err: err} }

	// Comment line(s), then the header.
	var header string
	for {
		l, err := next()
		if err == io.EOF {
			return meta, fail("", errors.New("empty input: no header"))
		}
		if err != nil {
			return meta, wrapIO(name, line, err)
		}
		if line == 1 {
			l = strings.TrimPrefix(l, "\uFEFF")
		}
		if strings.HasPrefix(l, "#") {
			if err := parseComment(l, &meta); err != nil {
				return meta, fail("", err)
			}
			continue
		}
		header = l
		break
	}
	cols := strings.Split(header, ",")
	idx := map[string]int{"cve": -1, "epss": -1, "percentile": -1}
	for i, c := range cols {
		c = strings.ToLower(strings.Trim(strings.TrimSpace(c), `"`))
		if _, ok := idx[c]; ok {
			idx[c] = i
		}
	}
	if idx["cve"] < 0 || idx["epss"] < 0 {
		return meta, fail("", fmt.Errorf("header %q lacks \"cve\" and \"epss\" columns: not an EPSS file", clip(header)))
	}
	for {
		l, err := next()
		if err == io.EOF {
			return meta, nil
		}
		if err != nil {
			return meta, wrapIO(name, line, err)
		}
		if l == "" {
			continue
		}
		f := strings.Split(l, ",")
		if len(f) != len(cols) {
			return meta, fail("", fmt.Errorf("%d fields, header has %d", len(f), len(cols)))
		}
		s := Score{CVE: strings.Trim(strings.TrimSpace(f[idx["cve"]]), `"`), Percentile: math.NaN()}
		if !cveRe.MatchString(s.CVE) {
			return meta, fail("cve", fmt.Errorf("%q is not a CVE id (CVE-YYYY-NNNN)", clip(s.CVE)))
		}
		if s.EPSS, err = prob(f[idx["epss"]]); err != nil {
			return meta, fail("epss", err)
		}
		if i := idx["percentile"]; i >= 0 {
			if s.Percentile, err = prob(f[i]); err != nil {
				return meta, fail("percentile", err)
			}
		}
		meta.Rows++
		if fn != nil {
			if err := fn(s); err != nil {
				return meta, fail("", err)
			}
		}
	}
}

// parseComment reads "#model_version:v2025.03.14,score_date:2025-03-20T00:00:00+0000".
func parseComment(l string, meta *Meta) error {
	for _, kv := range strings.Split(strings.TrimPrefix(l, "#"), ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), ":")
		if !ok {
			continue
		}
		switch k {
		case "model_version":
			meta.ModelVersion = v
		case "score_date":
			var t time.Time
			var err error
			for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339, "2006-01-02"} {
				if t, err = time.Parse(layout, v); err == nil {
					break
				}
			}
			if err != nil {
				return fmt.Errorf("score_date %q is not a date", clip(v))
			}
			meta.ScoreDate = t
		}
	}
	return nil
}

// prob parses a probability: a finite number within 0..1.
func prob(s string) (float64, error) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", clip(s))
	}
	if v < 0 || v > 1 {
		return 0, fmt.Errorf("%s is outside 0..1", s)
	}
	return v, nil
}

func wrapIO(name string, line int, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{File: name, Line: line + 1, Err: err}
}

func clip(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strings.ToValidUTF8(s, "�")
}
