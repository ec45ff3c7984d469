package kev

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// CSVError locates a problem in the CSV form. Row is the 1-based record
// number (the header is row 1), Line the 1-based line where the field
// starts, Column the header name of the field ("" for row-level problems).
type CSVError struct {
	File   string
	Row    int
	Line   int
	Column string
	Err    error
}

func (e *CSVError) Error() string {
	col := ""
	if e.Column != "" {
		col = ", column " + e.Column
	}
	return fmt.Sprintf("kev: %s: row %d (line %d)%s: %v", e.File, e.Row, e.Line, col, e.Err)
}

func (e *CSVError) Unwrap() error { return e.Err }

func readCSV(name string, r io.Reader) (*Catalog, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	parseErr := func(row int, err error) error {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return &CSVError{File: name, Row: row, Line: pe.Line, Column: fmt.Sprintf("#%d", pe.Column), Err: pe.Err}
		}
		return &CSVError{File: name, Row: row, Err: err}
	}
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, &CSVError{File: name, Row: 1, Line: 1, Err: errors.New("empty input")}
		}
		return nil, parseErr(1, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, f := range fields {
		if _, ok := col[f]; !ok && (required[f] || f == "vendorProject" || f == "product") {
			return nil, &CSVError{File: name, Row: 1, Line: 1, Column: f, Err: fmt.Errorf("header lacks column %q: not a KEV catalog (header %q)", f, clip(strings.Join(header, ",")))}
		}
	}
	cat := &Catalog{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, parseErr(row, err)
		}
		if len(rec) != len(header) {
			line, _ := cr.FieldPos(0)
			return nil, &CSVError{File: name, Row: row, Line: line, Err: fmt.Errorf("%d fields, header has %d", len(rec), len(header))}
		}
		var e Entry
		for _, f := range fields {
			i, ok := col[f]
			if !ok {
				continue
			}
			v := rec[i]
			line, _ := cr.FieldPos(i)
			fail := func(err error) error {
				return &CSVError{File: name, Row: row, Line: line, Column: f, Err: err}
			}
			if required[f] && v == "" {
				return nil, fail(errors.New("missing"))
			}
			if f == "cwes" {
				for _, c := range strings.Split(v, ",") {
					if c = strings.TrimSpace(c); c == "" {
						continue
					}
					if err := check(f, c); err != nil {
						return nil, fail(err)
					}
					e.CWEs = append(e.CWEs, c)
				}
				continue
			}
			if err := check(f, v); err != nil {
				return nil, fail(err)
			}
			set(&e, f, v)
		}
		cat.Entries = append(cat.Entries, e)
	}
	cat.Count = len(cat.Entries)
	return cat, nil
}
