// Package mds2 reads Manufacturer Disclosure Statements for Medical Device
// Security (MDS2) in the ANSI/NEMA HN 1-2013 and HN 1-2019 XLSX layouts.
//
// The layout is recognised from the content: the sheet and column holding
// question IDs ("AUTH-1", "MPII-2.1" for 2019; "3-1", "12-1.1" under section
// headers such as "AUTOMATIC LOGOFF (ALOF)" for 2013), never from the file
// or sheet name. Answers are normalised (Yes/No/NA/SeeNote), notes resolved
// from note columns, "XXXX notes:" rows and a separate notes sheet, and a few
// security capabilities are derived from specific questions.
package mds2

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Layout names.
const (
	LayoutHN2013 = "HN 1-2013"
	LayoutHN2019 = "HN 1-2019"
)

// Limits keep hostile workbooks cheap; real MDS2 forms have < 400 rows.
const (
	MaxSize = 32 << 20
	MaxRows = 5000
	MaxCols = 40
)

// Value is a normalised answer.
type Value string

const (
	Blank   Value = ""
	Yes     Value = "Yes"
	No      Value = "No"
	NA      Value = "NA"
	SeeNote Value = "SeeNote"
	Other   Value = "Other" // free text (e.g. the DOC-n header answers)
)

// Answer is one question row of the form.
type Answer struct {
	Section  string // capability code: "AUTH", "CSUP", ...; 2013 Management of Private Data is "MPD"
	ID       string // "AUTH-1", "MPII-2.1", "3-1", "B.2"
	Question string
	Answer   Value
	Raw      string // answer cell as written
	NoteRef  string // note number referenced ("3" for "Note 3"), if any
	Note     string // note text (resolved from a notes sheet / section notes when referenced), or the note cell as written
	Sheet    string
	Row      int // 1-based worksheet row
}

// Note is a free-text note that is not in a question row: 2013 "ALOF notes:"
// rows (Section set) and numbered notes ("Note 3", Ref set).
type Note struct {
	Section string
	Ref     string
	Text    string
	Sheet   string
	Row     int
}

// Tri is a three-valued capability state.
type Tri string

const (
	TriYes     Tri = "yes"
	TriNo      Tri = "no"
	TriUnknown Tri = "unknown"
)

// Capability is a derived yes/no/unknown with the questions it came from.
type Capability struct {
	State       Tri
	From        []string // question IDs consulted that were answered
	Explanation string
}

// Capabilities derived from specific questions (see capabilities.go).
type Capabilities struct {
	CustomerInstallablePatches Capability
	AntiMalware                Capability
	EncryptionAtRest           Capability
	EncryptionInTransit        Capability
	AuditLogging               Capability
	RemoteService              Capability
	Authentication             Capability
}

// Form is a parsed MDS2.
type Form struct {
	Layout              string
	Sheet               string // sheet holding the questions
	DeviceCategory      string
	Manufacturer        string
	Model               string
	DocumentID          string
	ManufacturerContact string
	SoftwareRevision    string
	ReleaseDate         string // "2006-01-02" when the cell is a recognisable date, else as written
	Answers             []Answer
	Notes               []Note
	Capabilities        Capabilities
}

// Answer returns the answer with the given question ID (case-insensitive), or nil.
func (f *Form) Answer(id string) *Answer {
	id = strings.ToUpper(strings.TrimSpace(id))
	for i := range f.Answers {
		if f.Answers[i].ID == id {
			return &f.Answers[i]
		}
	}
	return nil
}

// Error reports an unreadable MDS2; Sheet and Row are set when known.
type Error struct {
	File  string
	Sheet string
	Row   int
	Msg   string
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("mds2 ")
	if e.File != "" {
		b.WriteString(e.File)
	} else {
		b.WriteString("<input>")
	}
	if e.Sheet != "" {
		fmt.Fprintf(&b, ": sheet %q", e.Sheet)
		if e.Row > 0 {
			fmt.Fprintf(&b, " row %d", e.Row)
		}
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

// ErrUnknownLayout is wrapped when no sheet looks like an MDS2 form.
var ErrUnknownLayout = errors.New("unknown MDS2 layout")

// ReadFile reads the MDS2 workbook at path.
func ReadFile(path string) (*Form, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(filepath.Base(path), f)
}

// Read parses an MDS2 XLSX workbook; name is used in error messages only.
func Read(name string, r io.Reader) (form *Form, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, &Error{File: name, Msg: "read failed", Err: err}
	}
	if len(data) > MaxSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("larger than %d bytes", MaxSize)}
	}
	switch {
	case len(data) == 0:
		return nil, &Error{File: name, Msg: "empty file"}
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return nil, &Error{File: name, Msg: "legacy .xls (OLE/BIFF) or password-protected workbook; save it as .xlsx without a password"}
	case !bytes.HasPrefix(data, []byte("PK")):
		return nil, &Error{File: name, Msg: "not an XLSX workbook (no ZIP signature)"}
	}
	defer func() {
		if p := recover(); p != nil {
			form, err = nil, &Error{File: name, Msg: fmt.Sprintf("XLSX reader failed: %v", p)}
		}
	}()
	wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 4 * MaxSize, UnzipXMLSizeLimit: MaxSize})
	if err != nil {
		return nil, &Error{File: name, Msg: "not a readable XLSX workbook (truncated or corrupt?)", Err: err}
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		return nil, &Error{File: name, Msg: "workbook has no sheets"}
	}
	grids := make([]*grid, 0, len(sheets))
	for _, s := range sheets {
		g, err := readSheet(wb, s)
		if err != nil {
			return nil, &Error{File: name, Sheet: s, Row: g.rows(), Msg: "cannot read sheet", Err: err}
		}
		grids = append(grids, g)
	}
	best, lay := detect(grids)
	if best == nil {
		first := grids[0]
		row := 1
		for _, g := range grids {
			if r := g.firstNonEmpty(); r > 0 {
				first, row = g, r
				break
			}
		}
		msg := `no MDS2 question-ID column found (expected IDs like "AUTH-1" or section headers like "AUTOMATIC LOGOFF (ALOF)")`
		if len(grids) > 1 {
			msg += fmt.Sprintf(" in any of %d sheets", len(grids))
		}
		return nil, &Error{File: name, Sheet: first.name, Row: row, Msg: msg, Err: ErrUnknownLayout}
	}
	form = &Form{Layout: lay.layout, Sheet: best.name}
	if err := parseForm(form, best, lay, grids); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.File = name
		}
		return nil, err
	}
	form.Capabilities = deriveCapabilities(form)
	return form, nil
}

// grid is a sheet read into memory (bounded by MaxRows x MaxCols).
type grid struct {
	name  string
	cells [][]string // cells[row-1][col-1], trimmed
}

func (g *grid) rows() int {
	if g == nil {
		return 0
	}
	return len(g.cells)
}

func (g *grid) cell(row, col int) string {
	if row < 1 || row > len(g.cells) || col < 1 || col > len(g.cells[row-1]) {
		return ""
	}
	return g.cells[row-1][col-1]
}

func (g *grid) firstNonEmpty() int {
	for i, r := range g.cells {
		for _, c := range r {
			if c != "" {
				return i + 1
			}
		}
	}
	return 0
}

func readSheet(wb *excelize.File, sheet string) (*grid, error) {
	g := &grid{name: sheet}
	rows, err := wb.Rows(sheet)
	if err != nil {
		return g, err
	}
	defer rows.Close()
	for rows.Next() {
		if len(g.cells) >= MaxRows {
			break
		}
		cols, err := rows.Columns()
		if err != nil {
			return g, err
		}
		if len(cols) > MaxCols {
			cols = cols[:MaxCols]
		}
		for i := range cols {
			cols[i] = clean(cols[i])
		}
		g.cells = append(g.cells, cols)
	}
	// Drop trailing empty rows.
	for len(g.cells) > 0 && allEmpty(g.cells[len(g.cells)-1]) {
		g.cells = g.cells[:len(g.cells)-1]
	}
	return g, rows.Error()
}

func allEmpty(r []string) bool {
	for _, c := range r {
		if c != "" {
			return false
		}
	}
	return true
}

// clean trims spaces including non-breaking ones and collapses inner runs
// of whitespace that come from wrapped cells.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "\t\n") || strings.Contains(s, "  ") {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			lines[i] = strings.Join(strings.Fields(l), " ")
		}
		s = strings.Join(lines, "\n")
	}
	return s
}

// Sections of HN 1-2019 (plus the document header DOC).
var sections2019 = map[string]string{
	"DOC":  "Document information",
	"MPII": "Management of Personally Identifiable Information",
	"ALOF": "Automatic Logoff",
	"AUDT": "Audit Controls",
	"AUTH": "Authorization",
	"CNFS": "Configuration of Security Features",
	"CSUP": "Cyber Security Product Upgrades",
	"DIDT": "Health Data De-Identification",
	"DTBK": "Data Backup and Disaster Recovery",
	"EMRG": "Emergency Access",
	"IGAU": "Health Data Integrity and Authenticity",
	"MLDP": "Malware Detection/Protection",
	"NAUT": "Node Authentication",
	"CONN": "Connectivity Capabilities",
	"PAUT": "Person Authentication",
	"PLOK": "Physical Locks",
	"RDMP": "Roadmap for Third Party Components in Device Life Cycle",
	"SBOM": "Software Bill of Materials",
	"SAHD": "System and Application Hardening",
	"SGUD": "Security Guidance",
	"STCF": "Health Data Storage Confidentiality",
	"TXCF": "Transmission Confidentiality",
	"TXIG": "Transmission Integrity",
	"RMOT": "Remote Service",
	"OTHR": "Other Security Considerations",
}

// Sections of HN 1-2013 by number.
var sections2013 = map[int]string{
	1: "ALOF", 2: "AUDT", 3: "AUTH", 4: "CNFS", 5: "CSUP", 6: "DIDT", 7: "DTBK",
	8: "EMRG", 9: "IGAU", 10: "MLDP", 11: "NAUT", 12: "PAUT", 13: "PLOK",
	14: "RDMP", 15: "SAHD", 16: "SGUD", 17: "STCF", 18: "TXCF", 19: "TXIG",
	20: "OTHR",
}

// SectionMPD is the Section of HN 1-2013 "Management of Private Data" answers.
const SectionMPD = "MPD"

var (
	reID2019     = regexp.MustCompile(`^([A-Z]{3,4})-(\d{1,2}(?:\.\d{1,2}){0,3})$`)
	reID2013     = regexp.MustCompile(`^(\d{1,2})-(\d{1,2}(?:\.\d{1,2}){0,3})$`)
	reIDMPD      = regexp.MustCompile(`^([A-F])(?:[.-]?(\d{1,2}(?:\.\d{1,2})?))?$`)
	reTitle2013  = regexp.MustCompile(`^(?:(\d{1,2})\s*[.)]?\s+)?([A-Z][A-Za-z /&,-]+?)\s*\(([A-Z]{4})\)$`)
	reMPDTitle   = regexp.MustCompile(`(?i)^management of private data`)
	reSecNotes   = regexp.MustCompile(`(?i)^([A-Z]{4}|management of private data)\s+notes?\s*:?$`)
	reNoteRef    = regexp.MustCompile(`(?i)^(?:see\s+)?(?:note|nota)s?\s*(?:#|no\.?)?\s*(\d{1,3})[.:]?$`)
	reNoteInText = regexp.MustCompile(`(?i)notes?\s*#?\s*(\d{1,3})`)
	reNoteKey    = regexp.MustCompile(`(?i)^(?:note\s*(?:#|no\.?)?\s*)?(\d{1,3})[.:]?$`)
)

func normID(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "–", "-") // en dash
	s = strings.ReplaceAll(s, " ", "")
	return s
}

// is2019ID reports whether s is an HN 1-2019 question ID with a known section.
func is2019ID(s string) (string, bool) {
	m := reID2019.FindStringSubmatch(normID(s))
	if m == nil {
		return "", false
	}
	if _, ok := sections2019[m[1]]; !ok {
		return "", false
	}
	return m[1], true
}

func is2013ID(s string) (string, bool) {
	m := reID2013.FindStringSubmatch(normID(s))
	if m == nil {
		return "", false
	}
	n, _ := strconv.Atoi(m[1])
	code, ok := sections2013[n]
	return code, ok
}

// is2013Title recognises "AUTOMATIC LOGOFF (ALOF)" and "1 AUTOMATIC LOGOFF (ALOF)".
func is2013Title(s string) (string, bool) {
	m := reTitle2013.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	for _, c := range sections2013 {
		if c == m[3] && strings.ToUpper(m[2]) == m[2] {
			return c, true
		}
	}
	return "", false
}

// layoutInfo describes where the questions are on the chosen sheet.
type layoutInfo struct {
	layout string
	idCol  int
	score  int
}

const scanCols = 8 // question IDs live in one of the first few columns

func detect(grids []*grid) (*grid, layoutInfo) {
	var best *grid
	var bestInfo layoutInfo
	for _, g := range grids {
		c19 := make([]int, scanCols+1)
		c13 := make([]int, scanCols+1)
		titles := 0
		for _, row := range g.cells {
			for c := 1; c <= len(row) && c <= MaxCols; c++ {
				v := row[c-1]
				if v == "" {
					continue
				}
				if c <= scanCols {
					if _, ok := is2019ID(v); ok {
						c19[c]++
					}
					if _, ok := is2013ID(v); ok {
						c13[c]++
					}
				}
				if _, ok := is2013Title(v); ok || reMPDTitle.MatchString(v) {
					titles++
				}
			}
		}
		for c := 1; c <= scanCols; c++ {
			if c19[c] >= 3 && c19[c] > bestInfo.score {
				best, bestInfo = g, layoutInfo{LayoutHN2019, c, c19[c]}
			}
			if c13[c] >= 3 && titles >= 1 && c13[c] > bestInfo.score {
				best, bestInfo = g, layoutInfo{LayoutHN2013, c, c13[c]}
			}
		}
	}
	return best, bestInfo
}

// NormalizeAnswer maps an answer cell onto Yes/No/NA/SeeNote/Blank/Other.
func NormalizeAnswer(raw string) Value {
	s := strings.ToLower(strings.Join(strings.Fields(raw), " "))
	s = strings.TrimRight(s, ".:;*!")
	s = strings.TrimSpace(s)
	switch s {
	case "":
		return Blank
	case "yes", "y", "true", "ja", "oui", "sí", "si":
		return Yes
	case "no", "n", "false", "nein", "non":
		return No
	case "n/a", "na", "n.a", "n / a", "not applicable", "n-a", "none/na":
		return NA
	case "see note", "see notes", "note", "notes", "see note #", "see comment", "see comments":
		return SeeNote
	}
	if reNoteRef.MatchString(s) {
		return SeeNote
	}
	// "Yes - see note 2", "No (configurable)", "N/A, software only".
	word := func(prefix string) bool {
		if !strings.HasPrefix(s, prefix) || len(s) == len(prefix) {
			return false
		}
		next := s[len(prefix)]
		return !(next >= 'a' && next <= 'z' || next >= '0' && next <= '9' || next == '/')
	}
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == '/' || r >= '0' && r <= '9')
	}) {
		words[w] = true
	}
	mixed := words["yes"] && (words["no"] || words["n/a"] || words["na"])
	switch {
	case mixed:
		return Other
	case word("yes"):
		return Yes
	case word("no"):
		return No
	case word("n/a") || word("na"):
		return NA
	case strings.HasPrefix(s, "see note"):
		return SeeNote
	}
	return Other
}

func parseForm(form *Form, g *grid, lay layoutInfo, all []*grid) error {
	idCol := lay.idCol
	type qrow struct {
		row     int
		id      string
		section string
	}
	var qrows []qrow
	inMPD := false
	for r := 1; r <= len(g.cells); r++ {
		v := g.cell(r, idCol)
		if lay.layout == LayoutHN2019 {
			if sec, ok := is2019ID(v); ok {
				qrows = append(qrows, qrow{r, normID(v), sec})
			}
			continue
		}
		// HN 1-2013: track the management section (lettered IDs) and
		// the numbered sections.
		for c := 1; c <= len(g.cells[r-1]); c++ {
			t := g.cell(r, c)
			if reMPDTitle.MatchString(t) && !reSecNotes.MatchString(t) {
				inMPD = true
			} else if _, ok := is2013Title(t); ok {
				inMPD = false
			}
		}
		if code, ok := is2013ID(v); ok {
			inMPD = false
			qrows = append(qrows, qrow{r, normID(v), code})
		} else if inMPD && reIDMPD.MatchString(normID(v)) && g.cell(r, idCol+1) != "" {
			qrows = append(qrows, qrow{r, normID(v), SectionMPD})
		}
	}
	if len(qrows) == 0 {
		return &Error{Sheet: g.name, Row: 1, Msg: "no question rows found"}
	}

	// Answer column: the column right of the IDs where most question rows
	// hold a Yes/No/N/A/See Note answer.
	counts := map[int]int{}
	for _, q := range qrows {
		for c := idCol + 1; c <= len(g.cells[q.row-1]); c++ {
			switch NormalizeAnswer(g.cell(q.row, c)) {
			case Yes, No, NA, SeeNote:
				counts[c]++
			}
		}
	}
	ansCol := 0
	for c, n := range counts {
		if n > counts[ansCol] || n == counts[ansCol] && c < ansCol {
			ansCol = c
		}
	}
	if ansCol == 0 {
		return &Error{Sheet: g.name, Row: qrows[0].row, Msg: fmt.Sprintf("question IDs found in column %s but no column of Yes/No/N/A answers", colName(idCol))}
	}
	// Note column: a header cell mentioning "note" right of the answer
	// column above the first question; else the column after the answers.
	noteCol := ansCol + 1
	for r := 1; r < qrows[0].row+3 && r <= len(g.cells); r++ {
		found := false
		for c := ansCol + 1; c <= len(g.cells[r-1]); c++ {
			if strings.Contains(strings.ToLower(g.cell(r, c)), "note") {
				noteCol, found = c, true
				break
			}
		}
		if found {
			break
		}
	}

	// Numbered notes: separate sheets ("Notes") and rows of the form sheet.
	qset := map[int]bool{}
	for _, q := range qrows {
		qset[q.row] = true
	}
	notes := map[string]string{}
	for _, og := range all {
		isNotesSheet := strings.Contains(strings.ToLower(og.name), "note")
		for r := 1; r <= len(og.cells); r++ {
			if og == g && qset[r] {
				continue
			}
			key, text, ok := numberedNote(og.cells[r-1], isNotesSheet)
			if !ok {
				continue
			}
			if _, dup := notes[key]; !dup {
				notes[key] = text
				form.Notes = append(form.Notes, Note{Ref: key, Text: text, Sheet: og.name, Row: r})
			}
		}
	}
	// 2013 section notes rows ("ALOF notes:").
	secNotes := map[string]string{}
	for r := 1; r <= len(g.cells); r++ {
		row := g.cells[r-1]
		for c := 1; c <= len(row); c++ {
			m := reSecNotes.FindStringSubmatch(row[c-1])
			if m == nil {
				continue
			}
			sec := strings.ToUpper(m[1])
			if len(sec) != 4 {
				sec = SectionMPD
			}
			text := joinCells(row[c:])
			if text != "" {
				secNotes[sec] = text
				form.Notes = append(form.Notes, Note{Section: sec, Text: text, Sheet: g.name, Row: r})
			}
			break
		}
	}

	for _, q := range qrows {
		row := g.cells[q.row-1]
		var qparts []string
		for c := idCol + 1; c < ansCol && c <= len(row); c++ {
			if row[c-1] != "" {
				qparts = append(qparts, row[c-1])
			}
		}
		a := Answer{
			Section:  q.section,
			ID:       q.id,
			Question: strings.Join(qparts, " "),
			Raw:      g.cell(q.row, ansCol),
			Sheet:    g.name,
			Row:      q.row,
		}
		a.Answer = NormalizeAnswer(a.Raw)
		noteCell := ""
		if noteCol > 0 {
			noteCell = g.cell(q.row, noteCol)
		}
		if a.Section == "DOC" && a.Raw == "" {
			// Header answers are sometimes typed into the note/next column.
			a.Raw = noteCell
			a.Answer = NormalizeAnswer(a.Raw)
			noteCell = ""
		}
		a.NoteRef, a.Note = resolveNote(noteCell, a.Raw, notes)
		if a.Note == "" && a.Answer == SeeNote {
			a.Note = secNotes[a.Section]
		}
		form.Answers = append(form.Answers, a)
	}
	header(form, g, qrows[0].row)
	return nil
}

func numberedNote(row []string, notesSheet bool) (key, text string, ok bool) {
	for i, c := range row {
		if c == "" {
			continue
		}
		var m []string
		if notesSheet {
			m = reNoteKey.FindStringSubmatch(c)
		} else if strings.HasPrefix(strings.ToLower(c), "note") {
			m = reNoteKey.FindStringSubmatch(c)
		}
		if m == nil {
			return "", "", false
		}
		text = joinCells(row[i+1:])
		if text == "" {
			return "", "", false
		}
		return strings.TrimLeft(m[1], "0"), text, true
	}
	return "", "", false
}

func joinCells(cells []string) string {
	var parts []string
	for _, c := range cells {
		if c != "" {
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, " ")
}

func resolveNote(cell, raw string, notes map[string]string) (ref, text string) {
	for _, s := range []string{cell, raw} {
		if m := reNoteRef.FindStringSubmatch(s); m != nil {
			ref = strings.TrimLeft(m[1], "0")
			break
		}
		// "Yes - see note 2"
		if i := strings.Index(strings.ToLower(s), "note"); i >= 0 {
			if m := reNoteInText.FindStringSubmatch(s[i:]); m != nil {
				ref = strings.TrimLeft(m[1], "0")
				break
			}
		}
		if s == cell && s != "" && onlyDigits(s) {
			ref = strings.TrimLeft(s, "0")
			break
		}
	}
	if ref != "" {
		if t, ok := notes[ref]; ok {
			return ref, t
		}
	}
	if reNoteRef.MatchString(cell) || onlyDigits(cell) {
		return ref, ""
	}
	return ref, cell
}

func onlyDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func colName(c int) string {
	n, _ := excelize.ColumnNumberToName(c)
	return n
}

// header fills the device/document fields: DOC-n answers (2019) win over
// labelled header cells ("Manufacturer", "Device Model", ...), which are
// read with their value below or to the right.
func header(form *Form, g *grid, firstQ int) {
	type field struct {
		dst    *string
		labels []string
	}
	fields := []field{
		{&form.DeviceCategory, []string{"device category"}},
		{&form.Manufacturer, []string{"manufacturer", "manufacturer name", "company name"}},
		{&form.Model, []string{"device model", "model"}},
		{&form.DocumentID, []string{"document id", "document id number", "document number"}},
		{&form.ReleaseDate, []string{"document release date", "release date"}},
		{&form.ManufacturerContact, []string{"manufacturer contact information", "manufacturer or representative contact information", "manufacturer contact", "contact information"}},
		{&form.SoftwareRevision, []string{"software revision", "software version"}},
	}
	isLabel := func(s string) bool {
		l := labelKey(s)
		for _, f := range fields {
			for _, x := range f.labels {
				if l == x {
					return true
				}
			}
		}
		return false
	}
	limit := min(firstQ+20, len(g.cells))
	for r := 1; r <= limit; r++ {
		for c := 1; c <= len(g.cells[r-1]); c++ {
			v := g.cell(r, c)
			if v == "" {
				continue
			}
			key := labelKey(v)
			for _, f := range fields {
				if *f.dst != "" {
					continue
				}
				for _, l := range f.labels {
					val := ""
					switch {
					case key == l:
						if b := g.cell(r+1, c); b != "" && !isLabel(b) && !looksLikeQuestionRow(g, r+1) {
							val = b
						} else {
							for cc := c + 1; cc <= len(g.cells[r-1]); cc++ {
								if x := g.cell(r, cc); x != "" {
									if !isLabel(x) {
										val = x
									}
									break
								}
							}
						}
					case strings.HasPrefix(strings.ToLower(v), l+":"):
						val = strings.TrimSpace(v[len(l)+1:])
					}
					if val != "" {
						*f.dst = val
						break
					}
				}
			}
		}
	}
	doc := map[string]*string{
		"DOC-1": &form.Manufacturer,
		"DOC-3": &form.Model,
		"DOC-4": &form.DocumentID,
		"DOC-5": &form.ManufacturerContact,
		"DOC-7": &form.ReleaseDate,
	}
	for id, dst := range doc {
		if a := form.Answer(id); a != nil && a.Raw != "" && a.Answer == Other {
			*dst = a.Raw
		}
	}
	if a := form.Answer("DOC-2"); a != nil && form.DeviceCategory == "" && a.Answer == Other {
		form.DeviceCategory = a.Raw
	}
	form.ReleaseDate = normDate(form.ReleaseDate)
}

func looksLikeQuestionRow(g *grid, r int) bool {
	for _, c := range g.cells[min(r, len(g.cells))-1] {
		if _, ok := is2019ID(c); ok {
			return true
		}
		if _, ok := is2013ID(c); ok {
			return true
		}
	}
	return false
}

func labelKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimRight(s, ": ")
	return strings.Join(strings.Fields(s), " ")
}

// normDate turns recognisable dates (including Excel serial numbers) into
// "2006-01-02"; anything else is returned unchanged.
func normDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05", "01-02-06", "1/2/06", "1/2/2006", "01/02/2006", "2-Jan-2006", "02-Jan-06", "January 2, 2006", "Jan 2, 2006", "2 January 2006", "January 2006", "2006/01/02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 20000 && f < 80000 {
		if t, err := excelize.ExcelDateToTime(f, false); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return s
}

// SectionTitle returns the title of a section code ("AUTH" -> "Authorization").
func SectionTitle(code string) string {
	if code == SectionMPD {
		return "Management of Private Data"
	}
	return sections2019[code]
}

// SectionCodes lists the section codes known for a layout, sorted.
func SectionCodes(layout string) []string {
	var out []string
	if layout == LayoutHN2013 {
		out = append(out, SectionMPD)
		for _, c := range sections2013 {
			out = append(out, c)
		}
	} else {
		for c := range sections2019 {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}
