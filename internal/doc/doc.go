// Package doc is a small document model with four renderers (DOCX, PDF,
// Markdown and XLSX), so that agreement exhibits and review packs are
// written once and rendered to whatever format counsel, clinicians or
// auditors want.
//
// The model is deliberately plain: a Document has a title block and
// sections; a section holds blocks (paragraphs, bullet lists, tables,
// key/value lists, charts and page breaks). Renderers never fail on odd
// text: control characters are dropped, invalid UTF-8 becomes U+FFFD (or
// '?' in PDF, whose core fonts only cover Windows-1252), and spreadsheet
// cells are defused against formula injection.
//
// ExtractDOCXText and ExtractPDFText turn rendered files back into plain
// text, so tests can compare outputs with golden files.
package doc

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Document is one exhibit or report.
type Document struct {
	Title    string
	Subtitle string
	// Meta is printed on the title page in order (agreement version,
	// generated at, parties, ...).
	Meta []KV
	// Created is stored in the file properties; zero means "unknown" and
	// keeps the output byte-for-byte reproducible.
	Created  time.Time
	Sections []Section
}

// KV is one key/value pair.
type KV struct{ Key, Value string }

// Section is a heading and its content. Level is 1–3 (values outside are
// clamped); a section with an empty heading only contributes its blocks.
type Section struct {
	Heading string
	Level   int
	Blocks  []Block
}

// Block is one of Paragraph, BulletList, Table, KeyValue, Chart or
// PageBreak (values or pointers).
type Block interface{ isBlock() }

// Run is a piece of paragraph text, optionally bold.
type Run struct {
	Text string
	Bold bool
}

// Paragraph is running text made of runs. A "\n" inside a run is a line
// break.
type Paragraph struct{ Runs []Run }

// Text returns a paragraph of plain text.
func Text(s string) Paragraph { return Paragraph{Runs: []Run{{Text: s}}} }

// BulletList is an unordered list of plain-text items.
type BulletList struct{ Items []string }

// Table is a grid of text. Rows may be ragged; renderers pad them to the
// widest row. ColumnWidths is an optional hint of relative weights (for
// example 3, 1, 1); missing or non-positive entries are derived from content.
type Table struct {
	Caption      string
	Header       []string
	Rows         [][]string
	ColumnWidths []float64
}

// KeyValue is a list of labelled values, such as the parties of an
// agreement.
type KeyValue struct {
	Title string
	Items []KV
}

// ChartKind selects how a Chart is drawn.
type ChartKind string

// Chart kinds.
const (
	BarChart     ChartKind = "bar"        // grouped vertical bars
	LineChart    ChartKind = "line"       // one line per series
	StackedChart ChartKind = "stackedbar" // series stacked per category
)

// Series is one named row of values, aligned with Chart.Categories.
// Missing values count as zero; NaN and ±Inf are treated as zero.
type Series struct {
	Name   string
	Values []float64
}

// Chart is a small bar, stacked-bar or line chart. PDF draws it; DOCX
// embeds a PNG picture followed by its data table; Markdown and XLSX give
// the data table (XLSX also adds a native chart).
type Chart struct {
	Kind       ChartKind
	Title      string
	Categories []string
	Series     []Series
	// Unit is appended to the value axis title, e.g. "days" or "%".
	Unit string
}

// PageBreak starts a new page (a thematic break in Markdown).
type PageBreak struct{}

func (Paragraph) isBlock()  {}
func (BulletList) isBlock() {}
func (Table) isBlock()      {}
func (KeyValue) isBlock()   {}
func (Chart) isBlock()      {}
func (PageBreak) isBlock()  {}

// normalize turns pointer blocks into values and drops nil blocks, so the
// renderers only deal with value types.
func normalize(b Block) Block {
	switch v := b.(type) {
	case *Paragraph:
		if v != nil {
			return *v
		}
	case *BulletList:
		if v != nil {
			return *v
		}
	case *Table:
		if v != nil {
			return *v
		}
	case *KeyValue:
		if v != nil {
			return *v
		}
	case *Chart:
		if v != nil {
			return *v
		}
	case *PageBreak:
		if v != nil {
			return *v
		}
	case nil:
	default:
		return b
	}
	return nil
}

func level(l int) int { return min(max(l, 1), 3) }

// cleanText makes s safe for any output: invalid UTF-8 becomes U+FFFD,
// "\r\n" and "\r" become "\n", tabs become spaces, and other control
// characters (C0, DEL, C1), non-characters and lone surrogates are
// dropped. Newlines are kept; callers decide what a line break means.
func cleanText(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\n' || c == 0x7f || c >= 0x80 {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune(unicode.ReplacementChar)
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r == '\n':
			b.WriteByte('\n')
		case r < 0x20 || r >= 0x7f && r < 0xa0:
		case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe:
		case r >= 0xd800 && r <= 0xdfff:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// oneLine is cleanText with line breaks folded to spaces, for titles,
// headings, captions and cells where a break makes no sense.
func oneLine(s string) string {
	return strings.ReplaceAll(cleanText(s), "\n", " ")
}

// grid returns the table's header and rows padded to the same width.
func (t Table) grid() (header []string, rows [][]string, cols int) {
	cols = len(t.Header)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	pad := func(r []string) []string {
		out := make([]string, cols)
		copy(out, r)
		return out
	}
	if len(t.Header) > 0 {
		header = pad(t.Header)
	}
	rows = make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = pad(r)
	}
	return header, rows, cols
}

// weights returns positive relative column widths: the hint where given,
// otherwise derived from the longest word and average length of each
// column, so narrow code columns do not get as much room as prose.
func (t Table) weights(cols int) []float64 {
	header, rows, _ := t.grid()
	w := make([]float64, cols)
	for c := 0; c < cols; c++ {
		if c < len(t.ColumnWidths) && t.ColumnWidths[c] > 0 && !math.IsInf(t.ColumnWidths[c], 0) {
			w[c] = t.ColumnWidths[c]
			continue
		}
		longest, total, n := 4, 0, 0
		measure := func(s string) {
			for _, f := range strings.Fields(s) {
				longest = max(longest, min(utf8.RuneCountInString(f), 30))
			}
			total += min(utf8.RuneCountInString(s), 200)
			n++
		}
		if header != nil {
			measure(header[c])
		}
		for _, r := range rows {
			measure(r[c])
		}
		avg := 0.0
		if n > 0 {
			avg = float64(total) / float64(n)
		}
		w[c] = max(float64(longest), math.Min(avg, 60))
	}
	// Normalise hints and derived widths to the same scale when only
	// some hints are given: hints are taken as relative to each other.
	sum := 0.0
	for _, v := range w {
		sum += v
	}
	if sum <= 0 || math.IsNaN(sum) || math.IsInf(sum, 0) {
		for i := range w {
			w[i] = 1
		}
		return w
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// value returns a finite number for a chart value.
func value(vs []float64, i int) float64 {
	if i >= len(vs) {
		return 0
	}
	v := vs[i]
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// dataTable is the table fallback for a chart: categories down, series
// across.
func (c Chart) dataTable() Table {
	t := Table{Caption: c.Title, Header: []string{"Category"}}
	for _, s := range c.Series {
		t.Header = append(t.Header, s.Name)
	}
	if c.Unit != "" && len(c.Series) > 0 {
		t.Caption = strings.TrimSpace(c.Title + " (" + c.Unit + ")")
	}
	for i, cat := range c.Categories {
		row := []string{cat}
		for _, s := range c.Series {
			row = append(row, formatNumber(value(s.Values, i)))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// formatNumber prints v without a trailing ".0" and with at most two
// decimals.
func formatNumber(v float64) string {
	s := strings.TrimRight(strings.TrimRight(strconv.FormatFloat(v, 'f', 2, 64), "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}
