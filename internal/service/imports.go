package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/schedule"
	"github.com/medsec/medsec/internal/sla"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/tabular"
)

// Problem is one bad cell or row of an imported file.
type Problem struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	switch {
	case p.Row == 0:
		return p.Message
	case p.Column == "":
		return fmt.Sprintf("row %d: %s", p.Row, p.Message)
	}
	return fmt.Sprintf("row %d, column %q: %s", p.Row, p.Column, p.Message)
}

// refusal builds the one-line error of a refused file: how many problems,
// the first few, and what to do.
func refusal(file string, probs []Problem, hint string) error {
	var parts []string
	for i, p := range probs {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(probs)-5))
			break
		}
		parts = append(parts, p.String())
	}
	return medsec.Errorf(medsec.EINVALID, "%s: %d problem(s), nothing imported%s: %s", file, len(probs), hint, strings.Join(parts, "; "))
}

// readAll reads a table's header and rows; a row-level read error becomes
// a problem and reading continues.
func readAll(rd tabular.Reader) ([]string, []tabular.Row, []Problem, error) {
	var rows []tabular.Row
	var probs []Problem
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var te *tabular.Error
			if errors.As(err, &te) && te.Row > 0 {
				probs = append(probs, Problem{Row: te.Row, Column: te.Column, Message: te.Msg})
				if len(probs) > 10000 {
					return nil, nil, probs, medsec.Errorf(medsec.EINVALID, "%v", err)
				}
				continue
			}
			return nil, nil, probs, medsec.Errorf(medsec.EINVALID, "%v", err)
		}
		rows = append(rows, row)
	}
	return rd.Header(), rows, probs, nil
}

// TemplateImport is what a schedule template import did.
type TemplateImport struct {
	File       string    `json:"file"`
	Rows       int       `json:"rows"`
	Modalities int       `json:"modality_templates"`
	Models     int       `json:"model_templates"`
	Added      int       `json:"added"`
	Changed    int       `json:"changed"`
	Problems   []Problem `json:"problems"`
	DryRun     bool      `json:"dry_run"`
}

// TemplateOptions tune a template import.
type TemplateOptions struct {
	// DryRun checks the file and stores nothing.
	DryRun  bool
	Tabular tabular.Options
}

// ImportTemplates reads a schedule template file (CSV or XLSX, one row per
// task) and stores its templates. The file is refused as a whole if any
// cell is bad or any critical equipment (flagged, EM ≥ 18, imaging,
// lasers) is given an AEM interval; every problem names its row.
func ImportTemplates(ctx context.Context, st *store.Store, actor medsec.Actor, name string, r io.Reader, opt tabular.Options) (*TemplateImport, error) {
	return ImportTemplatesWith(ctx, st, actor, name, r, TemplateOptions{Tabular: opt})
}

// ImportTemplatesWith is ImportTemplates with options (a dry run).
func ImportTemplatesWith(ctx context.Context, st *store.Store, actor medsec.Actor, name string, r io.Reader, opt TemplateOptions) (*TemplateImport, error) {
	rd, err := tabular.Open(name, r, opt.Tabular)
	if err != nil {
		return nil, medsec.Errorf(medsec.EINVALID, "%v", err)
	}
	defer rd.Close()
	header, rows, probs, err := readAll(rd)
	if err != nil {
		return nil, err
	}
	recs := make([][]string, len(rows))
	for i, row := range rows {
		recs[i] = row.Cells
	}
	if probs == nil {
		probs = []Problem{}
	}
	res := &TemplateImport{File: name, Rows: len(rows), Problems: probs, DryRun: opt.DryRun}
	ts, rerrs := schedule.ParseTemplateRows(header, recs)
	for _, e := range rerrs {
		res.Problems = append(res.Problems, Problem{Row: e.Row, Column: e.Column, Value: e.Value, Message: e.Msg})
	}
	lib, lerr := schedule.NewLibrary(ts, schedule.DefaultRules())
	if lerr != nil {
		for _, e := range unjoin(lerr) {
			p := Problem{Message: e.Error()}
			var ae *schedule.AEMError
			if errors.As(e, &ae) {
				p.Row = ae.Row
				p.Message = strings.TrimPrefix(e.Error(), fmt.Sprintf("row %d: ", ae.Row))
			}
			res.Problems = append(res.Problems, p)
		}
	}
	if len(res.Problems) > 0 {
		return res, refusal(name, res.Problems, "")
	}
	res.Modalities, res.Models = lib.Len()
	if opt.DryRun {
		return res, nil
	}
	res.Added, res.Changed, err = st.SaveTemplates(ctx, actor, ts)
	return res, err
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// Work-order file columns, matched case-insensitively ignoring spaces,
// underscores, hyphens, dots and '#'.
var woColumns = []struct {
	field    string
	synonyms []string
}{
	{"key", []string{"work order", "work order number", "work order id", "wo", "wo number", "wo no", "wo id", "order number", "ticket", "key", "number"}},
	{"asset", []string{"equipment id", "asset tag", "asset", "control number", "control no", "equipment", "equipment number", "tag", "asset key", "asset id"}},
	{"type", []string{"type", "wo type", "work type", "order type", "work order type", "job type", "category"}},
	{"priority", []string{"priority", "urgency"}},
	{"opened", []string{"opened", "open date", "date opened", "opened at", "created", "created on", "date created", "requested", "request date", "reported", "start"}},
	{"responded", []string{"responded", "response", "responded at", "date responded", "first response", "acknowledged", "response date", "response time"}},
	{"on_site", []string{"on site", "onsite", "on site at", "arrived", "arrived on site", "arrival", "arrival date", "arrival time", "tech on site", "tech arrived", "date on site"}},
	{"completed", []string{"completed", "completed at", "completion date", "date completed", "closed", "closed at", "date closed", "restored", "finished"}},
	{"result", []string{"result", "outcome", "resolution", "status", "completion status"}},
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '.', '#', '/':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

// WorkOrderOptions tune a work-order import.
type WorkOrderOptions struct {
	// SkipBadRows imports the good rows and reports the rest; otherwise
	// any problem refuses the whole file.
	SkipBadRows bool
	DryRun      bool
	// Location is the zone of dates without one (default UTC).
	Location *time.Location
	// Convention forces the order of day and month; unknown means detect
	// it from the file and refuse values that stay ambiguous.
	Convention sla.Convention
	Source     string
	Tabular    tabular.Options
	// Scope limits the assets (and existing work orders) a provider's
	// user may import for; 0 is every asset.
	Scope int64
}

// WorkOrderImport is what a work-order import did.
type WorkOrderImport struct {
	File       string    `json:"file"`
	Rows       int       `json:"rows"`
	Added      int       `json:"added"`
	Updated    int       `json:"updated"`
	Skipped    int       `json:"skipped"`
	Convention string    `json:"date_convention"`
	Problems   []Problem `json:"problems"`
	Warnings   []string  `json:"warnings"`
	DryRun     bool      `json:"dry_run"`
}

// ImportWorkOrders reads a CMMS work-order export (CSV or XLSX) and stores
// its work orders by key: re-importing a key updates it. Dates may be ISO
// or US (M/D/YYYY), with or without time and zone; the file's convention is
// detected, and a date still ambiguous is a problem naming row and column.
// Unknown asset keys are problems too, each with its row. Problems refuse
// the file unless SkipBadRows.
func ImportWorkOrders(ctx context.Context, st *store.Store, actor medsec.Actor, name string, r io.Reader, opt WorkOrderOptions) (*WorkOrderImport, error) {
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	rd, err := tabular.Open(name, r, opt.Tabular)
	if err != nil {
		return nil, medsec.Errorf(medsec.EINVALID, "%v", err)
	}
	defer rd.Close()
	header, rows, probs, err := readAll(rd)
	if err != nil {
		return nil, err
	}
	if probs == nil {
		probs = []Problem{}
	}
	res := &WorkOrderImport{File: name, Rows: len(rows), Problems: probs, Warnings: []string{}, DryRun: opt.DryRun}
	col := map[string]int{}
	for _, c := range woColumns {
		for i, h := range header {
			for _, s := range c.synonyms {
				if _, done := col[c.field]; !done && squash(h) == squash(s) {
					col[c.field] = i
				}
			}
		}
	}
	for _, f := range []string{"key", "asset", "opened"} {
		if _, ok := col[f]; !ok {
			return res, medsec.Errorf(medsec.EINVALID, "%s: no %s column; the header is %q (expected e.g. \"Work Order\", \"Equipment ID\", \"Opened\")", name, f, strings.Join(header, ","))
		}
	}
	cell := func(row tabular.Row, f string) (string, string) {
		i, ok := col[f]
		if !ok || i >= len(row.Cells) {
			return "", ""
		}
		return strings.TrimSpace(row.Cells[i]), header[i]
	}
	conv := opt.Convention
	if conv == sla.ConventionUnknown {
		var vals []string
		for _, row := range rows {
			for _, f := range []string{"opened", "responded", "on_site", "completed"} {
				if v, _ := cell(row, f); v != "" {
					vals = append(vals, v)
				}
			}
		}
		c, err := sla.DetectConvention(vals)
		if err != nil {
			return res, medsec.Errorf(medsec.EINVALID, "%s: %v; state the convention (--dates mdy|dmy) or use ISO dates", name, err)
		}
		conv = c
	}
	res.Convention = conv.String()
	keys, err := st.AssetKeysInScope(ctx, opt.Scope)
	if err != nil {
		return nil, err
	}
	var all, existing map[string]int64
	if opt.Scope != 0 {
		if all, err = st.AssetKeys(ctx); err != nil {
			return nil, err
		}
		var wk []string
		for _, row := range rows {
			if k, _ := cell(row, "key"); k != "" {
				wk = append(wk, k)
			}
		}
		if existing, err = st.WorkOrderAssets(ctx, wk); err != nil {
			return nil, err
		}
	}
	inScope := make(map[int64]bool, len(keys))
	if opt.Scope != 0 {
		for _, id := range keys {
			inScope[id] = true
		}
	}
	seen := map[string]int{}
	var good []store.WorkOrderRow
	for _, row := range rows {
		bad := false
		problem := func(column, value, msg string) {
			res.Problems = append(res.Problems, Problem{Row: row.Line, Column: column, Value: value, Message: msg})
			bad = true
		}
		var w store.WorkOrderRow
		var kcol, acol string
		w.Key, kcol = cell(row, "key")
		w.AssetKey, acol = cell(row, "asset")
		w.Type, _ = cell(row, "type")
		w.Priority, _ = cell(row, "priority")
		w.Result, _ = cell(row, "result")
		w.Row, w.Source = row.Line, name
		if w.Key == "" {
			problem(kcol, "", "no work-order key")
		} else if first, dup := seen[w.Key]; dup {
			problem(kcol, w.Key, fmt.Sprintf("work order %q appears again (first at row %d)", w.Key, first))
		} else {
			seen[w.Key] = row.Line
			if id, ok := existing[w.Key]; ok && !inScope[id] {
				problem(kcol, w.Key, fmt.Sprintf("work order %q belongs to an asset outside your contract scope", w.Key))
			}
		}
		if w.AssetKey == "" {
			problem(acol, "", "no asset key")
		} else if id, ok := keys[w.AssetKey]; !ok {
			if _, known := all[w.AssetKey]; known {
				problem(acol, w.AssetKey, fmt.Sprintf("asset %q is outside your contract scope", w.AssetKey))
			} else {
				problem(acol, w.AssetKey, fmt.Sprintf("asset %q is not in the inventory", w.AssetKey))
			}
		} else {
			w.AssetID = id
		}
		for _, f := range []struct {
			field string
			dst   *time.Time
		}{{"opened", &w.Opened}, {"responded", &w.Responded}, {"on_site", &w.OnSite}, {"completed", &w.Completed}} {
			v, h := cell(row, f.field)
			if v == "" {
				if f.field == "opened" {
					problem(h, "", "no opened date")
				}
				continue
			}
			t, err := sla.ParseDateAt(v, opt.Location, conv, row.Line, h)
			if err != nil {
				var de *sla.DateError
				msg := err.Error()
				if errors.As(err, &de) {
					kind := "cannot read date"
					if de.Ambiguous {
						kind = "ambiguous date"
					}
					msg = fmt.Sprintf("%s %q: %s", kind, v, de.Reason)
				}
				problem(h, v, msg)
				continue
			}
			*f.dst = t
		}
		if bad {
			res.Skipped++
			continue
		}
		good = append(good, w)
	}
	if len(res.Problems) > 0 && !opt.SkipBadRows {
		res.Skipped = 0
		return res, refusal(name, res.Problems, " (use --skip-bad-rows to import the good rows)")
	}
	plain := make([]schedule.WorkOrder, len(good))
	known := make(map[string]bool, len(good))
	for i, w := range good {
		plain[i] = w.WorkOrder
		known[w.AssetKey] = true
	}
	_, warns := schedule.CheckWorkOrders(plain, known)
	for _, p := range warns {
		res.Warnings = append(res.Warnings, p.String())
	}
	if opt.DryRun || len(good) == 0 {
		return res, nil
	}
	src := opt.Source
	if src == "" {
		src = name
	}
	res.Added, res.Updated, err = st.SaveWorkOrders(ctx, actor, src, good)
	return res, err
}

// NewWorkOrder validates and stores one work order entered through the UI
// or the API. Dates are ISO or RFC 3339 (the forms' own format) or US.
func NewWorkOrder(ctx context.Context, st *store.Store, actor medsec.Actor, scope int64, source string, w schedule.WorkOrder) (store.WorkOrderRow, error) {
	w.Key, w.AssetKey = strings.TrimSpace(w.Key), strings.TrimSpace(w.AssetKey)
	if w.Key == "" || w.AssetKey == "" || w.Opened.IsZero() {
		return store.WorkOrderRow{}, medsec.Errorf(medsec.EINVALID, "A work order needs a key, an asset and an opened time.")
	}
	keys, err := st.AssetKeys(ctx)
	if err != nil {
		return store.WorkOrderRow{}, err
	}
	id, ok := keys[w.AssetKey]
	if !ok {
		return store.WorkOrderRow{}, medsec.Errorf(medsec.EINVALID, "Asset %q is not in the inventory.", w.AssetKey)
	}
	if scope != 0 {
		if _, err := st.FindAsset(ctx, id, scope); err != nil {
			return store.WorkOrderRow{}, medsec.Errorf(medsec.EFORBIDDEN, "Asset %q is outside your contract scope.", w.AssetKey)
		}
		if old, err := st.WorkOrderByKey(ctx, w.Key, 0); err == nil {
			if _, err := st.FindAsset(ctx, old.AssetID, scope); err != nil {
				return store.WorkOrderRow{}, medsec.Errorf(medsec.EFORBIDDEN, "Work order %q belongs to an asset outside your contract scope.", w.Key)
			}
		}
	}
	for _, t := range []time.Time{w.Responded, w.OnSite, w.Completed} {
		if !t.IsZero() && t.Before(w.Opened) {
			return store.WorkOrderRow{}, medsec.Errorf(medsec.EINVALID, "Responded, on site and completed must not be before opened.")
		}
	}
	row := store.WorkOrderRow{AssetID: id, WorkOrder: w, Source: source}
	if _, _, err := st.SaveWorkOrders(ctx, actor, source, []store.WorkOrderRow{row}); err != nil {
		return store.WorkOrderRow{}, err
	}
	return st.WorkOrderByKey(ctx, w.Key, scope)
}

// ParseTime reads a form or API time: RFC 3339, ISO date-time (the
// datetime-local input), or a date, in loc.
func ParseTime(v string, loc *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	for _, l := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(l, v, loc); err == nil {
			return t, nil
		}
	}
	t, err := sla.ParseDate(v, loc, sla.ConventionMDY)
	if err != nil {
		return t, medsec.Errorf(medsec.EINVALID, "%v", err)
	}
	return t, nil
}
