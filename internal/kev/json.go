package kev

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// maxJSON bounds the JSON form held in memory (the real catalog is ~1.3 MB).
const maxJSON = 256 << 20

// JSONError locates a problem in the JSON form.
type JSONError struct {
	File         string
	Offset       int64 // byte offset
	Line, Column int   // 1-based, from Offset
	Path         string
	Err          error
}

func (e *JSONError) Error() string {
	return fmt.Sprintf("kev: %s:%d:%d (byte %d): %s: %v", e.File, e.Line, e.Column, e.Offset, e.Path, e.Err)
}

func (e *JSONError) Unwrap() error { return e.Err }

func readJSON(name string, r io.Reader) (*Catalog, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxJSON+1))
	if err != nil {
		return nil, fmt.Errorf("kev: %s: %w", name, err)
	}
	if len(data) > maxJSON {
		return nil, fmt.Errorf("kev: %s: JSON larger than %d MB", name, maxJSON>>20)
	}
	fail := func(off int64, path string, err error) error {
		if off > int64(len(data)) {
			off = int64(len(data))
		}
		line := 1 + bytes.Count(data[:off], []byte("\n"))
		col := int(off) - bytes.LastIndexByte(data[:off], '\n')
		return &JSONError{File: name, Offset: off, Line: line, Column: col, Path: path, Err: err}
	}
	decErr := func(off int64, path string, err error) error {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return fail(se.Offset, path, fmt.Errorf("malformed JSON: %v", se))
		case errors.As(err, &te):
			p := path
			if te.Field != "" {
				p += "." + te.Field
			}
			return fail(off+te.Offset, p, fmt.Errorf("%s value where %s expected", te.Value, te.Type))
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return fail(int64(len(data)), path, errors.New("input ends inside the value (truncated file?)"))
		}
		return fail(off, path, err)
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // '{', checked by Read
		return nil, decErr(0, "$", err)
	}
	cat := &Catalog{Count: -1}
	seenVulns := false
	for dec.More() {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil, decErr(off, "$", err)
		}
		key, _ := tok.(string)
		off = dec.InputOffset()
		switch key {
		case "vulnerabilities":
			seenVulns = true
			tok, err := dec.Token()
			if err != nil {
				return nil, decErr(off, "$.vulnerabilities", err)
			}
			if d, ok := tok.(json.Delim); !ok || d != '[' {
				return nil, fail(off, "$.vulnerabilities", errors.New("want an array"))
			}
			for i := 0; dec.More(); i++ {
				off := dec.InputOffset()
				path := "$.vulnerabilities[" + strconv.Itoa(i) + "]"
				var v struct {
					CVEID                      string   `json:"cveID"`
					VendorProject              string   `json:"vendorProject"`
					Product                    string   `json:"product"`
					VulnerabilityName          string   `json:"vulnerabilityName"`
					DateAdded                  string   `json:"dateAdded"`
					ShortDescription           string   `json:"shortDescription"`
					RequiredAction             string   `json:"requiredAction"`
					DueDate                    string   `json:"dueDate"`
					KnownRansomwareCampaignUse string   `json:"knownRansomwareCampaignUse"`
					Notes                      string   `json:"notes"`
					CWEs                       []string `json:"cwes"`
				}
				if err := dec.Decode(&v); err != nil {
					return nil, decErr(off, path, err)
				}
				vals := []string{v.CVEID, v.VendorProject, v.Product, v.VulnerabilityName, v.DateAdded,
					v.ShortDescription, v.RequiredAction, v.DueDate, v.KnownRansomwareCampaignUse, v.Notes}
				var e Entry
				for j, val := range vals {
					f := fields[j]
					if required[f] && val == "" {
						return nil, fail(off, path+"."+f, errors.New("missing"))
					}
					if err := check(f, val); err != nil {
						return nil, fail(off, path+"."+f, err)
					}
					set(&e, f, val)
				}
				for j, cwe := range v.CWEs {
					if err := check("cwes", cwe); err != nil {
						return nil, fail(off, path+".cwes["+strconv.Itoa(j)+"]", err)
					}
				}
				e.CWEs = v.CWEs
				cat.Entries = append(cat.Entries, e)
			}
			if _, err := dec.Token(); err != nil {
				return nil, decErr(dec.InputOffset(), "$.vulnerabilities", err)
			}
		case "catalogVersion", "dateReleased", "title":
			var s string
			if err := dec.Decode(&s); err != nil {
				return nil, decErr(off, "$."+key, err)
			}
			if key == "catalogVersion" {
				cat.Version = s
			} else if key == "dateReleased" {
				cat.Released = s
			}
		case "count":
			if err := dec.Decode(&cat.Count); err != nil {
				return nil, decErr(off, "$.count", err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, decErr(off, "$."+key, err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, decErr(dec.InputOffset(), "$", err)
	}
	if !seenVulns {
		return nil, fail(0, "$", errors.New("no \"vulnerabilities\" array: not a KEV catalog"))
	}
	if cat.Count < 0 {
		cat.Count = len(cat.Entries)
	} else if cat.Count != len(cat.Entries) {
		return nil, fail(0, "$.count", fmt.Errorf("count is %d but the catalog has %d entries", cat.Count, len(cat.Entries)))
	}
	return cat, nil
}
