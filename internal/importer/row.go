package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/normalize"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/tabular"
)

// rowConverter validates rows and turns them into store records.
type rowConverter struct {
	file     string
	m        Mapping
	key      int // column index of the record key
	assets   bool
	skip     bool
	reader   tabular.Reader
	seen     map[string]int // key → first row
	probs    *problems
	lastErr  error
	rejected []Problem
	rejRaw   []string
	aliases  map[string]string // user-added manufacturer aliases, folded
	// per-import caches of pure functions of a cell (memo.go)
	makers     *memo[string]
	modalities *memo[[2]string]
	careAreas  *memo[string]
	// dateLayout, timeLayout: the layout that read the last date or time,
	// tried first (an export writes all its dates one way)
	dateLayout, timeLayout int
	obj                    []byte // a row as an object, to hash
}

func (c *rowConverter) init() {
	c.makers = newMemo(c.canonicalManufacturer)
	c.modalities = newMemo(func(s string) [2]string { code, name := modalityFor(s); return [2]string{code, name} })
	c.careAreas = newMemo(catalog.CareAreaFromDepartment)
}

// manufacturer canonicalises a name: user aliases first, then the shipped
// dictionary; an unknown name is kept as written.
func (c *rowConverter) manufacturer(name string) string { return c.makers.get(name) }

func (c *rowConverter) canonicalManufacturer(name string) string {
	if m, ok := c.aliases[normalize.Key(name)]; ok {
		return m
	}
	canon, _ := catalog.CanonicalManufacturer(name)
	return canon
}

// next yields the next valid record. Problems are collected, not returned,
// so that the user sees all of them at once; at the end of the file any
// problem refuses the whole batch, unless bad rows are to be skipped.
func (c *rowConverter) next() (*store.ImportRecord, error) {
	for {
		row, err := c.reader.Next()
		if errors.Is(err, io.EOF) {
			return nil, c.end()
		} else if err != nil {
			// Row-level problems let the reader go on; a reader that cannot
			// go on returns the same error again, which ends the file.
			if c.lastErr != nil && err.Error() == c.lastErr.Error() {
				if c.probs.total == 0 && c.skip {
					return nil, io.EOF
				}
				return nil, c.probs.errOr(err)
			}
			c.lastErr = err
			p := problemFrom(err)
			if p.Row == 0 { // the whole file is unreadable from here on
				c.probs.add(0, p.Column, "%s", p.Msg)
				return nil, c.probs.err()
			}
			c.reject(p, "")
			continue
		}
		rec, ps := c.convert(row)
		if len(ps) == 0 {
			return rec, nil
		}
		for _, p := range ps {
			c.reject(p, store.RawObject(c.m.Header, row.Cells))
		}
	}
}

func (c *rowConverter) end() error {
	if c.skip {
		return io.EOF
	}
	if err := c.probs.err(); err != nil {
		return err
	}
	return io.EOF
}

// reject records a problem: in strict mode it will refuse the batch; with
// --skip-bad-rows the row is kept aside with its problem.
func (c *rowConverter) reject(p Problem, raw string) {
	if p.File == "" {
		p.File = c.file
	}
	if c.skip {
		c.rejected = append(c.rejected, p)
		c.rejRaw = append(c.rejRaw, raw)
		return
	}
	c.probs.add(p.Row, p.Column, "%s", p.Msg)
}

func (c *rowConverter) rejectedRows() []store.RejectedRow {
	out := make([]store.RejectedRow, len(c.rejected))
	for i, p := range c.rejected {
		out[i] = store.RejectedRow{RowNum: p.Row, Column: p.Column, Problem: p.Msg, Raw: c.rejRaw[i]}
	}
	return out
}

func (c *rowConverter) cell(row tabular.Row, f Field) string {
	if i, ok := c.m.Columns[f]; ok {
		return strings.TrimSpace(row.Cells[i])
	}
	return ""
}

func (c *rowConverter) convert(row tabular.Row) (*store.ImportRecord, []Problem) {
	var ps []Problem
	bad := func(f Field, col, format string, args ...any) {
		if col == "" {
			col = c.m.Column(f)
		}
		p := Problem{File: c.file, Row: row.Line, Column: col}
		p.Msg = sprintf(format, args...)
		ps = append(ps, p)
	}
	keyCol := c.m.Header[c.key]
	key := strings.TrimSpace(row.Cells[c.key])
	switch {
	case key == "":
		bad("", keyCol, "the key is empty; every row needs a %s", keyCol)
	case c.seen[key] != 0:
		bad("", keyCol, "duplicate key %q (first at row %d)", key, c.seen[key])
	default:
		// A copy: the key is a slice of the whole row's text, which the
		// map would otherwise keep alive to the end of the import (at a
		// million rows, some 300 MB for the collector to mark over and over).
		c.seen[strings.Clone(key)] = row.Line
	}
	id := store.Ident{
		SerialNorm: normalize.Serial(c.cell(row, FSerial)), MAC: normalize.MAC(c.cell(row, FMAC)), IP: normalize.IP(c.cell(row, FIP)),
		HostnameNorm: normalize.Hostname(c.cell(row, FHostname)), Model: firstNonEmpty(c.cell(row, FModel), c.cell(row, FModelNumber)),
		AssetTag: c.cell(row, FAssetTag), Class: firstNonEmpty(c.cell(row, FClass), c.cell(row, FDeviceType)),
		Facility: c.cell(row, FFacility), Firmware: c.cell(row, FFirmware),
	}
	if mf := c.cell(row, FManufacturer); mf != "" {
		id.Manufacturer = c.manufacturer(mf)
	}
	for _, f := range []Field{FFirstSeen, FLastSeen} {
		if v := c.cell(row, f); v != "" {
			t, err := parseTime(v, &c.timeLayout)
			if err != nil {
				bad(f, "", "%v", err)
			} else if f == FFirstSeen {
				id.FirstSeen = t
			} else {
				id.LastSeen = t
			}
		}
	}
	var a *store.AssetFields
	if c.assets {
		id.AssetTag = key
		a = c.assetFields(row, key, bad)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	// The hash is of the row as an object, as it was before rows were
	// kept as arrays (migration 0018): a file imported again after that
	// finds its rows unchanged.
	c.obj = store.AppendRawObject(c.obj[:0], c.m.Header, row.Cells)
	sum := sha256.Sum256(c.obj)
	return &store.ImportRecord{RowNum: row.Line, Key: key, Raw: store.RawCells(c.m.Header, row.Cells), Hash: hex.EncodeToString(sum[:16]), Ident: id, Asset: a}, nil
}

func (c *rowConverter) assetFields(row tabular.Row, key string, bad func(Field, string, string, ...any)) *store.AssetFields {
	a := &store.AssetFields{
		Tag: key, Serial: c.cell(row, FSerial), Model: c.cell(row, FModel), ModelNumber: c.cell(row, FModelNumber),
		Facility: c.cell(row, FFacility), Department: c.cell(row, FDepartment), Room: c.cell(row, FRoom),
		Status: c.cell(row, FStatus), Hostname: c.cell(row, FHostname), IP: c.cell(row, FIP), MAC: c.cell(row, FMAC),
		Firmware: c.cell(row, FFirmware),
	}
	if mf := c.cell(row, FManufacturer); mf != "" {
		a.ManufacturerAlias = mf
		a.Manufacturer = c.manufacturer(mf)
	}
	mo := c.modalities.get(c.cell(row, FDeviceType))
	a.ModalityCode, a.ModalityName = mo[0], mo[1]
	if a.Department != "" {
		a.CareArea = c.careAreas.get(a.Department)
	}
	if v := c.cell(row, FEMNumber); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 || n > 22 {
			bad(FEMNumber, "", "EM number %q must be a whole number from 2 to 22 (Fennigkoh–Smith: function 2–10 + physical risk 1–5 + maintenance 1–5 + incident history −2…+2)", v)
		} else {
			a.EM = &n
		}
	}
	if v := c.cell(row, FAcquiredOn); v != "" {
		d, err := parseDate(v, &c.dateLayout)
		if err != nil {
			bad(FAcquiredOn, "", "%v", err)
		}
		a.AcquiredOn = d
	}
	return a
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
