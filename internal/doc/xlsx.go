package doc

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// SafeCell defuses a spreadsheet cell that would run as a formula (=, +,
// -, @, tab, carriage return or | at the start, or "=" after spaces) by
// prefixing a single quote: the project's OWASP CSV-injection guard, which
// export.SafeCell uses too.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '|':
		return "'" + s
	}
	if strings.HasPrefix(strings.TrimLeft(s, " "), "=") {
		return "'" + s
	}
	return s
}

// plainNumber matches numbers written without exponent, sign tricks or
// leading zeros (so asset tags like "00123" stay text).
var plainNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,10})?$`)

const xlsxMaxCell = 32767

// WriteXLSX renders d as a workbook: a Summary sheet with the title,
// metadata and a list of sheets, then one sheet per table, key/value list
// and chart (the chart's data plus a native Excel chart). Each sheet has a
// bold header row, frozen panes, an autofilter and column widths. Text
// cells go through SafeCell and are always written as strings, so no
// value becomes a formula; plain decimal numbers are written as numbers.
func WriteXLSX(w io.Writer, d *Document) error {
	if d == nil {
		d = &Document{}
	}
	x := &xlsxWriter{f: excelize.NewFile(), used: map[string]bool{}}
	defer x.f.Close()
	if err := x.write(d); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if _, err := x.f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

type xlsxWriter struct {
	f                     *excelize.File
	used                  map[string]bool
	head, body, bold, big int
	contents              [][]string
}

func (x *xlsxWriter) write(d *Document) error {
	f := x.f
	var err error
	if x.head, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E2F3"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	}); err != nil {
		return err
	}
	if x.body, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return err
	}
	if x.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return err
	}
	if x.big, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return err
	}
	summary := x.sheetName("Summary", 0)
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return err
	}
	props := &excelize.DocProperties{Title: truncateUTF8(oneLine(d.Title), 255), Subject: truncateUTF8(oneLine(d.Subtitle), 255), Creator: "medsec"}
	if !d.Created.IsZero() {
		props.Created = d.Created.UTC().Format(time.RFC3339)
		props.Modified = props.Created
	}
	if err := f.SetDocProps(props); err != nil {
		return err
	}
	n := 0
	for _, s := range d.Sections {
		section := oneLine(s.Heading)
		for _, b := range s.Blocks {
			var t Table
			var chart *Chart
			switch v := normalize(b).(type) {
			case Table:
				t = v
			case KeyValue:
				t = Table{Caption: v.Title, Header: []string{"Item", "Value"}, ColumnWidths: []float64{1, 2}}
				for _, it := range v.Items {
					t.Rows = append(t.Rows, []string{it.Key, it.Value})
				}
			case Chart:
				t = v.dataTable()
				chart = &v
			default:
				continue
			}
			n++
			base := oneLine(t.Caption)
			if base == "" {
				base = section
			}
			name := x.sheetName(base, n)
			if _, err := f.NewSheet(name); err != nil {
				return err
			}
			if err := x.table(name, t); err != nil {
				return fmt.Errorf("sheet %q: %w", name, err)
			}
			if chart != nil {
				if err := x.chart(name, *chart); err != nil {
					return fmt.Errorf("sheet %q: %w", name, err)
				}
			}
			x.contents = append(x.contents, []string{name, section, oneLine(t.Caption)})
		}
	}
	return x.summary(summary, d)
}

// sheetName makes a unique, valid sheet name (at most 31 characters, none
// of : \ / ? * [ ], no leading or trailing apostrophe).
func (x *xlsxWriter) sheetName(base string, n int) string {
	base = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]'`, r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, base)
	base = strings.Join(strings.Fields(base), " ")
	if base == "" || strings.EqualFold(base, "History") {
		base = fmt.Sprintf("Table %d", n)
	}
	name := runeTrunc(base, 31)
	for i := 2; x.used[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		name = strings.TrimSpace(runeTrunc(base, 31-len(suffix))) + suffix
	}
	x.used[strings.ToLower(name)] = true
	return name
}

func runeTrunc(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func cellRef(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// setText writes s as a defused string cell, or as a number if it is a
// plain decimal.
func (x *xlsxWriter) setText(sheet string, col, row int, s string) error {
	s = cleanText(s)
	if plainNumber.MatchString(s) {
		// Only when the number prints back the same ("1.10" stays text).
		if v, err := strconv.ParseFloat(s, 64); err == nil && strconv.FormatFloat(v, 'f', -1, 64) == s {
			return x.f.SetCellValue(sheet, cellRef(col, row), v)
		}
	}
	s = SafeCell(s)
	if len(s) > xlsxMaxCell {
		s = truncateUTF8(s, xlsxMaxCell-3) + "…"
	}
	for utf8.RuneCountInString(s) > xlsxMaxCell {
		s = string([]rune(s)[:xlsxMaxCell-1]) + "…"
	}
	return x.f.SetCellStr(sheet, cellRef(col, row), s)
}

func (x *xlsxWriter) table(sheet string, t Table) error {
	f := x.f
	head, rows, cols := t.grid()
	if cols == 0 {
		return nil
	}
	if head == nil {
		head = make([]string, cols)
		for i := range head {
			head[i] = fmt.Sprintf("Column %d", i+1)
		}
	}
	for c, h := range head {
		if err := x.setText(sheet, c+1, 1, oneLine(h)); err != nil {
			return err
		}
	}
	for r, row := range rows {
		for c, v := range row {
			if err := x.setText(sheet, c+1, r+2, v); err != nil {
				return err
			}
		}
	}
	last := cellRef(cols, len(rows)+1)
	if err := f.SetCellStyle(sheet, "A1", cellRef(cols, 1), x.head); err != nil {
		return err
	}
	if len(rows) > 0 {
		if err := f.SetCellStyle(sheet, "A2", last, x.body); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return err
	}
	for c := 0; c < cols; c++ {
		name, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(sheet, name, name, x.colWidth(t, head, rows, c)); err != nil {
			return err
		}
	}
	return nil
}

// colWidth is the width hint scaled to about 120 characters across, or
// the longest line in the column, between 8 and 60 characters.
func (x *xlsxWriter) colWidth(t Table, head []string, rows [][]string, c int) float64 {
	if c < len(t.ColumnWidths) && t.ColumnWidths[c] > 0 {
		return math.Min(math.Max(t.weights(len(head))[c]*120, 8), 80)
	}
	longest := 0
	measure := func(s string) {
		for _, l := range strings.Split(s, "\n") {
			longest = max(longest, utf8.RuneCountInString(l))
		}
	}
	measure(head[c])
	for i, r := range rows {
		if i > 2000 {
			break
		}
		measure(r[c])
	}
	return math.Min(math.Max(float64(longest)+2, 8), 60)
}

// chart adds a native chart next to the chart's data table.
func (x *xlsxWriter) chart(sheet string, c Chart) error {
	n := min(len(c.Categories), c.points())
	if n == 0 || len(c.Series) == 0 {
		return nil
	}
	typ := excelize.Col
	switch c.Kind {
	case LineChart:
		typ = excelize.Line
	case StackedChart:
		typ = excelize.ColStacked
	}
	q := "'" + sheet + "'!"
	ch := &excelize.Chart{
		Type:   typ,
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: truncateUTF8(oneLine(c.Title), 255)}}},
		Legend: excelize.ChartLegend{Position: "bottom"},
		Format: excelize.GraphicOptions{ScaleX: 1.2, ScaleY: 1.2},
	}
	for i := range c.Series {
		col, _ := excelize.ColumnNumberToName(i + 2)
		ch.Series = append(ch.Series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s$%s$1", q, col),
			Categories: fmt.Sprintf("%s$A$2:$A$%d", q, n+1),
			Values:     fmt.Sprintf("%s$%s$2:$%s$%d", q, col, col, n+1),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{hexColor(i)}},
		})
	}
	anchor, _ := excelize.ColumnNumberToName(len(c.Series) + 3)
	return x.f.AddChart(sheet, anchor+"2", ch)
}

func hexColor(i int) string {
	c := seriesColor(i)
	return fmt.Sprintf("%02X%02X%02X", c.R, c.G, c.B)
}

func (x *xlsxWriter) summary(sheet string, d *Document) error {
	f := x.f
	row := 1
	if err := x.setText(sheet, 1, row, oneLine(d.Title)); err != nil {
		return err
	}
	f.SetCellStyle(sheet, "A1", "A1", x.big)
	row++
	if d.Subtitle != "" {
		if err := x.setText(sheet, 1, row, oneLine(d.Subtitle)); err != nil {
			return err
		}
		row++
	}
	row++
	for _, kv := range d.Meta {
		if err := x.setText(sheet, 1, row, oneLine(kv.Key)); err != nil {
			return err
		}
		if err := x.setText(sheet, 2, row, kv.Value); err != nil {
			return err
		}
		f.SetCellStyle(sheet, cellRef(1, row), cellRef(1, row), x.bold)
		row++
	}
	if len(x.contents) > 0 {
		row++
		for c, h := range []string{"Sheet", "Section", "Caption"} {
			x.setText(sheet, c+1, row, h)
		}
		f.SetCellStyle(sheet, cellRef(1, row), cellRef(3, row), x.head)
		row++
		for _, r := range x.contents {
			for c, v := range r {
				if err := x.setText(sheet, c+1, row, v); err != nil {
					return err
				}
			}
			row++
		}
	}
	f.SetColWidth(sheet, "A", "A", 32)
	f.SetColWidth(sheet, "B", "C", 48)
	return nil
}
