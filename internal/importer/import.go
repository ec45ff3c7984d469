// Package importer turns source-system exports into import batches: it
// detects columns, validates every row, canonicalises names and hands the
// store records to apply all at once. Problems name the file, the row and
// the column; a file with problems imports nothing unless the user asks to
// skip bad rows, and then the skipped rows are kept.
package importer

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/tabular"
)

// Sources are the systems an inventory file can come from.
var Sources = []string{"cmms", "cmdb", "monitoring", "zeek"}

// profile is what differs between source systems: where the record key is
// and whether rows make assets (only the CMMS, the system of record, does).
type profile struct {
	keyNames []string // header names of the key column, in preference order; nil = the asset_tag field
	assets   bool
}

var profiles = map[string]profile{
	"cmms":       {assets: true},
	"cmdb":       {keyNames: []string{"sys_id"}},
	"monitoring": {keyNames: []string{"device id", "device uid", "uid", "id", "asset id", "device_id", "mac address", "mac"}},
}

// Options control one import.
type Options struct {
	Key          string            // the key column; "" = detected
	Mapping      map[string]string // field → column overrides
	Format       tabular.Format
	Sheet        string
	DryRun       bool
	SkipBadRows  bool   // import the good rows, keep the bad ones in rejected_rows
	SystemName   string // the source product or instance, e.g. "Nuvolo"
	Progress     store.ImportProgress
	MaxCellBytes int
}

// Result tells what an import did, or would do on a dry run.
type Result struct {
	Batch    medsec.ImportBatch `json:"batch"`
	Mapping  Mapping            `json:"mapping"`
	Rejected []Problem          `json:"rejected,omitempty"`
	DryRun   bool               `json:"dry_run"`
}

// errDryRun rolls back a dry run's transaction after full validation.
var errDryRun = errors.New("dry run")

// ImportCMMS reads a CMMS equipment list and makes it the inventory.
func ImportCMMS(ctx context.Context, st *store.Store, actor medsec.Actor, name string, r io.Reader, opt Options) (*Result, error) {
	return Import(ctx, st, actor, "cmms", name, r, opt)
}

// Import reads one tabular export of a source system into one batch.
func Import(ctx context.Context, st *store.Store, actor medsec.Actor, system, name string, r io.Reader, opt Options) (*Result, error) {
	if system == "zeek" {
		return importZeek(ctx, st, actor, name, r, opt)
	}
	prof, ok := profiles[system]
	if !ok {
		return nil, medsec.Errorf(medsec.EINVALID, "Unknown source %q; sources are cmms, cmdb, monitoring and zeek.", system)
	}
	tr, err := tabular.Open(name, r, tabular.Options{Format: opt.Format, Sheet: opt.Sheet, MaxCellBytes: opt.MaxCellBytes})
	if err != nil {
		return nil, userError(err)
	}
	defer tr.Close()
	m, keyCol, err := mapColumns(name, tr.Header(), prof, opt)
	if err != nil {
		return nil, err
	}
	aliases, err := st.UserAliases(ctx)
	if err != nil {
		return nil, err
	}
	m.Key = m.Header[keyCol]
	res := &Result{Mapping: m, DryRun: opt.DryRun}
	res.Batch = medsec.ImportBatch{System: system, FileName: name, Format: formatOf(tr), Encoding: tr.Encoding(), KeyColumn: m.Header[keyCol], SystemName: opt.SystemName}
	rc := &rowConverter{file: name, m: m, key: keyCol, assets: prof.assets, skip: opt.SkipBadRows,
		seen: map[string]int{}, probs: &problems{file: name}, reader: tr, aliases: aliases}
	rc.init()
	next, stop := prefetch(rc.next, 512)
	defer stop()
	if opt.DryRun {
		pulled := next
		next = func() (*store.ImportRecord, error) {
			rec, err := pulled()
			if errors.Is(err, io.EOF) {
				return nil, errDryRun
			}
			return rec, err
		}
	}
	err = st.Import(ctx, actor, &res.Batch, next, &store.ImportOptions{Progress: opt.Progress, Rejected: rc.rejectedRows, Assets: prof.assets, Header: m.Header})
	res.Rejected = rc.rejected
	if opt.DryRun {
		res.Batch.Rejected = len(rc.rejected)
	}
	switch {
	case errors.Is(err, errDryRun):
		return res, nil
	case err != nil:
		return res, userError(err)
	}
	return res, nil
}

// mapColumns detects the mapping and the key column for a source.
func mapColumns(name string, header []string, prof profile, opt Options) (Mapping, int, error) {
	m := Detect(header)
	if opt.Mapping != nil {
		if err := m.Override(name, opt.Mapping, "mapping file"); err != nil {
			return m, 0, err
		}
	}
	if prof.keyNames == nil { // the CMMS: the key is the equipment ID
		if opt.Key != "" {
			if err := m.Override(name, map[string]string{string(FAssetTag): opt.Key}, "--key"); err != nil {
				return m, 0, err
			}
		}
		i, ok := m.Columns[FAssetTag]
		if !ok {
			return m, 0, medsec.Errorf(medsec.EINVALID, "%s: no key column: none of the columns (%s) looks like an equipment ID / asset tag / control number; name it with --key COLUMN.",
				name, strings.Join(header, ", "))
		}
		return m, i, nil
	}
	key := -1
	if opt.Key != "" {
		if key = indexOf(header, opt.Key); key < 0 {
			return m, 0, medsec.Errorf(medsec.EINVALID, "%s: --key names column %q, but the file has no such column (columns: %s).", name, opt.Key, strings.Join(header, ", "))
		}
	} else {
		for _, k := range prof.keyNames {
			if key = indexOf(header, k); key >= 0 {
				break
			}
		}
		if key < 0 {
			return m, 0, medsec.Errorf(medsec.EINVALID, "%s: no key column: expected one of %s; name it with --key COLUMN.", name, strings.Join(prof.keyNames, ", "))
		}
	}
	for f, i := range m.Columns { // the record key is not also a field
		if i == key {
			delete(m.Columns, f)
		}
	}
	return m, key, nil
}

func formatOf(tr tabular.Reader) string {
	switch tr.Encoding() {
	case "xlsx", "json":
		return tr.Encoding()
	}
	return "csv"
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
