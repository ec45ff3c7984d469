package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// RowError points at one cell of a template file. Row counts spreadsheet
// rows with the header as row 1, so the first data row is row 2.
type RowError struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Value  string `json:"value"`
	Msg    string `json:"message"`
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("row %d: %s", e.Row, e.Msg)
	}
	return fmt.Sprintf("row %d, column %q (value %q): %s", e.Row, e.Column, e.Value, e.Msg)
}

// Template file columns. Header names are matched case-insensitively,
// ignoring spaces, underscores and hyphens, against these aliases.
var columnAliases = map[string][]string{
	"scope":        {"scope", "level", "template level", "applies to"},
	"modality":     {"modality", "device type", "equipment type", "device category", "umdns", "type"},
	"manufacturer": {"manufacturer", "make", "mfr", "vendor"},
	"model":        {"model", "model number", "model name", "model no"},
	"task":         {"task", "task type", "work type", "procedure type", "activity"},
	"interval":     {"interval", "frequency", "pm interval", "pm frequency"},
	"tolerance":    {"tolerance", "window", "grace", "grace period", "tolerance window"},
	"basis":        {"basis", "interval basis", "interval source", "aem"},
	"critical":     {"critical", "critical equipment", "high risk"},
	"em":           {"em", "em number", "em score", "equipment management number", "risk score"},
	"procedure":    {"procedure", "procedure id", "pm procedure"},
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '_' || r == '-' || r == '.' || r == '#' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

// fieldOf maps a header name to the field it holds, or "".
func fieldOf(h string) string {
	h = squash(h)
	for f, as := range columnAliases {
		for _, a := range as {
			if squash(a) == h {
				return f
			}
		}
	}
	return ""
}

// ParseTemplateRows turns the rows of a template file (CSV, or an XLSX
// sheet read by the caller) into templates: one row per task, rows with
// the same scope and modality or make/model form one template. Columns:
//
//	scope        modality | model (optional: model when a model is given)
//	modality     required
//	manufacturer, model   required for model scope
//	task         PM, calibration, inspection/ESI, software update & patch review, cybersecurity check
//	interval     annual, semi-annual, quarterly, 6 months, 90 days, 12 (months)…
//	tolerance    optional, default 30 days
//	basis        manufacturer | aem (also yes/no in an "AEM" column); default manufacturer
//	critical     optional yes/no
//	em           optional EM number
//	procedure    optional procedure reference
//
// Every bad cell is reported as a *RowError naming row and column; good
// rows are still returned. AEM refusal happens in NewLibrary, which
// reports the template's first row.
func ParseTemplateRows(header []string, records [][]string) ([]Template, []*RowError) {
	cols := map[string]int{}
	var errs []*RowError
	for i, h := range header {
		f := fieldOf(h)
		if f == "" {
			continue
		}
		if _, dup := cols[f]; dup {
			errs = append(errs, &RowError{Row: 1, Column: h, Value: h, Msg: fmt.Sprintf("second column for %s; only the first is read", f)})
			continue
		}
		cols[f] = i
	}
	for _, req := range []string{"modality", "task", "interval"} {
		if _, ok := cols[req]; !ok {
			errs = append(errs, &RowError{Row: 1, Msg: fmt.Sprintf("no %s column (accepted names: %s)", req, strings.Join(columnAliases[req], ", "))})
		}
	}
	if len(errs) > 0 && len(cols) < 3 {
		return nil, errs
	}
	p := newTemplateParser()
	for i, rec := range records {
		row := i + 2
		p.row(row, func(f string) (string, string) {
			c, ok := cols[f]
			if !ok || c >= len(rec) {
				return "", headerName(header, c, f)
			}
			return strings.TrimSpace(rec[c]), header[c]
		})
	}
	return p.templates, append(errs, p.errs...)
}

// ParseTemplateMaps is ParseTemplateRows for rows already keyed by header
// name; rows[0] is spreadsheet row 2.
func ParseTemplateMaps(rows []map[string]string) ([]Template, []*RowError) {
	p := newTemplateParser()
	for i, m := range rows {
		byField := map[string][2]string{}
		for h, v := range m {
			if f := fieldOf(h); f != "" {
				if _, dup := byField[f]; !dup {
					byField[f] = [2]string{strings.TrimSpace(v), h}
				}
			}
		}
		p.row(i+2, func(f string) (string, string) {
			if v, ok := byField[f]; ok {
				return v[0], v[1]
			}
			return "", f
		})
	}
	return p.templates, p.errs
}

func headerName(header []string, c int, f string) string {
	if c >= 0 && c < len(header) {
		return header[c]
	}
	return f
}

type templateParser struct {
	templates []Template
	index     map[string]int
	errs      []*RowError
}

func newTemplateParser() *templateParser { return &templateParser{index: map[string]int{}} }

func (p *templateParser) row(row int, get func(field string) (value, column string)) {
	blank := true
	for f := range columnAliases {
		if v, _ := get(f); v != "" {
			blank = false
			break
		}
	}
	if blank {
		return
	}
	bad := func(field, msg string) {
		v, c := get(field)
		p.errs = append(p.errs, &RowError{Row: row, Column: c, Value: v, Msg: msg})
	}
	nerr := len(p.errs)
	modality, _ := get("modality")
	mfr, _ := get("manufacturer")
	model, _ := get("model")
	if modality == "" {
		bad("modality", "modality is required")
	}
	scope := ScopeModality
	if model != "" {
		scope = ScopeModel
	}
	if s, _ := get("scope"); s != "" {
		switch normKey(s) {
		case "modality", "device type", "type":
			scope = ScopeModality
		case "model", "make/model", "make model", "make and model":
			scope = ScopeModel
		default:
			bad("scope", "scope must be modality or model")
		}
	}
	if scope == ScopeModel && (mfr == "" || model == "") {
		bad("model", "a model template needs both manufacturer and model")
	}
	var task Task
	if s, _ := get("task"); s == "" {
		bad("task", "task type is required")
	} else if tt, err := ParseTaskType(s); err != nil {
		bad("task", err.Error())
	} else {
		task.Type = tt
	}
	if s, _ := get("interval"); s == "" {
		bad("interval", "interval is required")
	} else if iv, err := ParseInterval(s); err != nil {
		bad("interval", err.Error())
	} else {
		task.Interval = iv
	}
	task.Tolerance = Interval{Days: 30}
	if s, _ := get("tolerance"); s != "" {
		if normKey(s) == "0" || normKey(s) == "none" {
			task.Tolerance = Interval{}
		} else if iv, err := ParseInterval(s); err != nil {
			bad("tolerance", err.Error())
		} else if !strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			task.Tolerance = Interval{Days: iv.Months} // a bare tolerance number is days
		} else {
			task.Tolerance = iv
		}
	}
	task.Basis = BasisManufacturer
	if s, col := get("basis"); s != "" {
		aemCol := squash(col) == "aem"
		switch k := normKey(s); {
		case k == "aem" || k == "alternative" || k == "alternative equipment maintenance" || (aemCol && isYes(k)):
			task.Basis = BasisAEM
		case k == "manufacturer" || k == "mfr" || k == "oem" || k == "manufacturer required" || (aemCol && isNo(k)):
			task.Basis = BasisManufacturer
		default:
			bad("basis", "basis must be manufacturer or aem")
		}
	}
	critical := false
	if s, _ := get("critical"); s != "" {
		k := normKey(s)
		switch {
		case isYes(k):
			critical = true
		case isNo(k):
		default:
			bad("critical", "critical must be yes or no")
		}
	}
	em := 0
	if s, _ := get("em"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < -2 || n > 22 {
			bad("em", "EM number must be a whole number from -2 to 22 (Fennigkoh–Smith)")
		} else {
			em = n
		}
	}
	task.Procedure, _ = get("procedure")
	if len(p.errs) > nerr {
		return
	}
	t := Template{Scope: scope, Modality: modality, Manufacturer: mfr, Model: model, Critical: critical, EM: em, Row: row}
	if scope == ScopeModality {
		t.Manufacturer, t.Model = "", ""
	}
	k := string(scope) + "\x00" + t.key()
	i, ok := p.index[k]
	if !ok {
		p.index[k] = len(p.templates)
		t.Tasks = []Task{task}
		p.templates = append(p.templates, t)
		return
	}
	prev := &p.templates[i]
	if critical != prev.Critical && (critical || prev.Critical) {
		c := critical || prev.Critical
		prev.Critical = c // the stricter reading wins; still reported
		bad("critical", fmt.Sprintf("%s is marked critical on one row and not on another (row %d); treated as critical", t.Name(), prev.Row))
	}
	if em != 0 && prev.EM != 0 && em != prev.EM {
		bad("em", fmt.Sprintf("%s has EM %d at row %d", t.Name(), prev.EM, prev.Row))
		return
	}
	if prev.EM == 0 {
		prev.EM = em
	}
	for _, k := range prev.Tasks {
		if k.Type == task.Type {
			bad("task", fmt.Sprintf("%s already has a %s task (row %d or later)", t.Name(), task.Type, prev.Row))
			return
		}
	}
	prev.Tasks = append(prev.Tasks, task)
}

func isYes(k string) bool { return k == "yes" || k == "y" || k == "true" || k == "1" || k == "x" }
func isNo(k string) bool  { return k == "no" || k == "n" || k == "false" || k == "0" || k == "" }
