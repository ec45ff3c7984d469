// Package importer turns source-system exports into import batches: it
// detects columns, validates every row, canonicalises names and hands the
// store records to apply all at once. Problems name the file, the row and
// the column; a file with problems imports nothing.
package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/tabular"
)

// Options control one import.
type Options struct {
	System   string            // "cmms"
	Key      string            // the key column; "" = detected
	Mapping  map[string]string // field → column overrides
	Format   tabular.Format
	Sheet    string
	DryRun   bool
	Progress store.ImportProgress
}

// Result tells what an import did, or would do on a dry run.
type Result struct {
	Batch    medsec.ImportBatch `json:"batch"`
	Mapping  Mapping            `json:"mapping"`
	Warnings []Problem          `json:"warnings,omitempty"`
	DryRun   bool               `json:"dry_run"`
}

// errDryRun rolls back a dry run's transaction after full validation.
var errDryRun = errors.New("dry run")

// ImportCMMS reads a CMMS equipment list and makes it the inventory.
func ImportCMMS(ctx context.Context, st *store.Store, actor medsec.Actor, name string, r io.Reader, opt Options) (*Result, error) {
	opt.System = "cmms"
	tr, err := tabular.Open(name, r, tabular.Options{Format: opt.Format, Sheet: opt.Sheet})
	if err != nil {
		return nil, userError(err)
	}
	defer tr.Close()
	m := Detect(tr.Header())
	if opt.Mapping != nil {
		if err := m.Override(name, opt.Mapping, "mapping file"); err != nil {
			return nil, err
		}
	}
	if opt.Key != "" {
		if err := m.Override(name, map[string]string{string(FAssetTag): opt.Key}, "--key"); err != nil {
			return nil, err
		}
	}
	if _, ok := m.Columns[FAssetTag]; !ok {
		return nil, medsec.Errorf(medsec.EINVALID, "%s: no key column: none of the columns (%s) looks like an equipment ID / asset tag / control number; name it with --key COLUMN.",
			name, strings.Join(tr.Header(), ", "))
	}
	res := &Result{Mapping: m, DryRun: opt.DryRun}
	res.Batch = medsec.ImportBatch{System: opt.System, FileName: name, Format: formatOf(tr), Encoding: tr.Encoding(), KeyColumn: m.Column(FAssetTag)}
	rc := &rowConverter{file: name, m: m, seen: map[string]int{}, probs: &problems{file: name}, warn: &problems{file: name}, reader: tr}
	next := rc.next
	if opt.DryRun {
		next = func() (*store.ImportRecord, error) {
			rec, err := rc.next()
			if errors.Is(err, io.EOF) {
				return nil, errDryRun
			}
			return rec, err
		}
	}
	err = st.Import(ctx, actor, &res.Batch, next, opt.Progress)
	res.Warnings = rc.warn.list
	switch {
	case errors.Is(err, errDryRun):
		return res, nil
	case err != nil:
		return res, userError(err)
	}
	return res, nil
}

func formatOf(tr tabular.Reader) string {
	switch tr.Encoding() {
	case "xlsx", "json":
		return tr.Encoding()
	}
	return "csv"
}

type rowConverter struct {
	file    string
	m       Mapping
	reader  tabular.Reader
	seen    map[string]int // key → first row
	probs   *problems
	warn    *problems
	lastErr error
}

// next yields the next valid record. Problems are collected, not returned,
// so that the user sees all of them at once; at the end of the file any
// problem refuses the whole batch.
func (c *rowConverter) next() (*store.ImportRecord, error) {
	for {
		row, err := c.reader.Next()
		if errors.Is(err, io.EOF) {
			if err := c.probs.err(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		} else if err != nil {
			// Row-level problems let the reader go on, so the user sees
			// every bad row at once; a reader that cannot go on returns the
			// same error again, which ends the file.
			if c.lastErr != nil && err.Error() == c.lastErr.Error() {
				return nil, c.probs.err()
			}
			c.lastErr = err
			p := problemFrom(err)
			if p.File == "" {
				p.File = c.file
			}
			c.probs.add(p.Row, p.Column, "%s", p.Msg)
			continue
		}
		rec, ok := c.convert(row)
		if ok {
			return rec, nil
		}
	}
}

func (c *rowConverter) cell(row tabular.Row, f Field) string {
	if i, ok := c.m.Columns[f]; ok {
		return strings.TrimSpace(row.Cells[i])
	}
	return ""
}

func (c *rowConverter) convert(row tabular.Row) (*store.ImportRecord, bool) {
	keyCol := c.m.Column(FAssetTag)
	key := c.cell(row, FAssetTag)
	ok := true
	switch {
	case key == "":
		c.probs.add(row.Line, keyCol, "the key is empty; every row needs an equipment ID")
		ok = false
	case c.seen[key] != 0:
		c.probs.add(row.Line, keyCol, "duplicate key %q (first at row %d)", key, c.seen[key])
		ok = false
	default:
		c.seen[key] = row.Line
	}
	a := &store.AssetFields{
		Tag: key, Serial: c.cell(row, FSerial), Model: c.cell(row, FModel), ModelNumber: c.cell(row, FModelNumber),
		Facility: c.cell(row, FFacility), Department: c.cell(row, FDepartment), Room: c.cell(row, FRoom),
		Status: c.cell(row, FStatus), Hostname: c.cell(row, FHostname), IP: c.cell(row, FIP), MAC: c.cell(row, FMAC),
		Firmware: c.cell(row, FFirmware),
	}
	if mf := c.cell(row, FManufacturer); mf != "" {
		a.ManufacturerAlias = mf
		a.Manufacturer = mf
		if canon, found := catalog.CanonicalManufacturer(mf); found {
			a.Manufacturer = canon
		}
	}
	a.ModalityCode, a.ModalityName = modalityFor(c.cell(row, FDeviceType))
	if a.Department != "" {
		a.CareArea = catalog.CareAreaFromDepartment(a.Department)
	}
	if v := c.cell(row, FEMNumber); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 || n > 22 {
			c.probs.add(row.Line, c.m.Column(FEMNumber), "EM number %q must be a whole number from 2 to 22 (Fennigkoh–Smith: function 2–10 + physical risk 1–5 + maintenance 1–5 + incident history −2…+2)", v)
			ok = false
		} else {
			a.EM = &n
		}
	}
	if v := c.cell(row, FAcquiredOn); v != "" {
		d, err := ParseDate(v)
		if err != nil {
			c.probs.add(row.Line, c.m.Column(FAcquiredOn), "%v", err)
			ok = false
		}
		a.AcquiredOn = d
	}
	if !ok {
		return nil, false
	}
	raw := rawJSON(c.m.Header, row.Cells)
	sum := sha256.Sum256([]byte(raw))
	return &store.ImportRecord{RowNum: row.Line, Key: key, Raw: raw, Hash: hex.EncodeToString(sum[:16]), Asset: a}, true
}

// rawJSON keeps a row verbatim as a JSON object in the file's column order.
func rawJSON(header, cells []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, h := range header {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(h)
		v, _ := json.Marshal(cells[i])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

// userError turns a reader's *tabular.Error into an EINVALID error whose
// message names the file, row and column.
func userError(err error) error {
	var te *tabular.Error
	if errors.As(err, &te) {
		return medsec.Errorf(medsec.EINVALID, "%s", te.Error())
	}
	return err
}
