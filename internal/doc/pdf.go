package doc

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// cp1252High maps bytes 0x80–0x9F of Windows-1252 to runes (0 = undefined);
// the rest of the code page is Latin-1.
var cp1252High = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

var cp1252Runes = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range cp1252High {
		if r != 0 {
			m[r] = true
		}
	}
	return m
}()

// toCP1252Runes replaces every rune that Windows-1252 cannot encode with
// '?', so the PDF core fonts print a visible marker rather than fpdf's
// silent '.'.
func toCP1252Runes(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0x20 && r < 0x7f || r >= 0xa0 && r <= 0xff || r == '\n' || cp1252Runes[r] {
			return r
		}
		return '?'
	}, s)
}

// decodeCP1252 turns Windows-1252 bytes into UTF-8.
func decodeCP1252(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		switch {
		case c >= 0x80 && c < 0xa0:
			if r := cp1252High[c-0x80]; r != 0 {
				sb.WriteRune(r)
			} else {
				sb.WriteRune('?')
			}
		default:
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

// Layout in millimetres on US Letter.
const (
	pdfMargin   = 20.0
	pdfBodySize = 10.0
	pdfCellSize = 8.5
	pdfPad      = 1.3
	ptToMM      = 25.4 / 72
)

type pdfWriter struct {
	f        *fpdf.Fpdf
	tr       func(string) string
	pw, ph   float64
	tw       float64
	bottom   float64 // y beyond which content must not go
	outline  int     // last bookmark level, -1 before the first
	docTitle string
}

// WritePDF renders d as a PDF: a title page, headings (also as bookmarks),
// wrapped paragraphs, bullet lists, tables that split across pages with
// their header row repeated, charts drawn with vector primitives, and
// "Page n of N" footers. Text uses the core Helvetica font in
// Windows-1252; characters outside it print as '?'.
func WritePDF(w io.Writer, d *Document) error {
	if d == nil {
		d = &Document{}
	}
	f := fpdf.New("P", "mm", "Letter", "")
	p := &pdfWriter{f: f, outline: -1}
	p.tr = f.UnicodeTranslatorFromDescriptor("")
	p.pw, p.ph = f.GetPageSize()
	p.tw = p.pw - 2*pdfMargin
	p.bottom = p.ph - pdfMargin
	p.docTitle = p.enc(oneLine(d.Title))

	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(true, pdfMargin)
	f.SetCellMargin(pdfPad)
	f.AliasNbPages("{nb}")
	f.SetCatalogSort(true)
	created := d.Created
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.SetTitle(oneLine(d.Title), true)
	f.SetSubject(oneLine(d.Subtitle), true)
	f.SetCreator("medsec", false)
	f.SetProducer("medsec", false)
	f.SetFooterFunc(p.footer)

	p.titlePage(d)
	for _, s := range d.Sections {
		if s.Heading != "" {
			p.heading(s.Heading, level(s.Level))
		}
		for _, b := range s.Blocks {
			switch v := normalize(b).(type) {
			case Paragraph:
				p.paragraph(v)
			case BulletList:
				p.bullets(v)
			case Table:
				p.table(v, tableStyle{header: true, borders: true})
			case KeyValue:
				p.keyValue(v)
			case Chart:
				p.chart(v)
			case PageBreak:
				f.AddPage()
			}
		}
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// enc converts cleaned UTF-8 to the core fonts' Windows-1252 bytes.
func (p *pdfWriter) enc(s string) string { return p.tr(toCP1252Runes(cleanText(s))) }

func (p *pdfWriter) font(style string, size float64) { p.f.SetFont("Helvetica", style, size) }

func lineHeight(size float64) float64 { return size * ptToMM * 1.35 }

func (p *pdfWriter) footer() {
	f := p.f
	f.SetY(-12)
	p.font("", 8)
	f.SetTextColor(110, 110, 110)
	title := p.docTitle
	for title != "" && f.GetStringWidth(title) > p.tw*0.7 {
		title = title[:len(title)*9/10]
	}
	f.CellFormat(p.tw*0.7, 5, title, "", 0, "L", false, 0, "")
	f.CellFormat(p.tw*0.3, 5, fmt.Sprintf("Page %d of {nb}", f.PageNo()), "", 0, "R", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

func (p *pdfWriter) titlePage(d *Document) {
	f := p.f
	f.AddPage()
	f.SetY(70)
	p.font("B", 24)
	f.SetTextColor(31, 56, 100)
	f.MultiCell(p.tw, lineHeight(24), p.enc(oneLine(d.Title)), "", "L", false)
	f.SetTextColor(0, 0, 0)
	if d.Subtitle != "" {
		f.Ln(3)
		p.font("", 14)
		f.SetTextColor(89, 89, 89)
		f.MultiCell(p.tw, lineHeight(14), p.enc(oneLine(d.Subtitle)), "", "L", false)
		f.SetTextColor(0, 0, 0)
	}
	if len(d.Meta) > 0 {
		f.Ln(12)
		t := Table{ColumnWidths: []float64{1, 2.2}}
		for _, kv := range d.Meta {
			t.Rows = append(t.Rows, []string{kv.Key, kv.Value})
		}
		p.table(t, tableStyle{boldFirstCol: true, size: pdfBodySize})
	}
	if len(d.Sections) > 0 {
		f.AddPage()
	}
}

// ensure starts a new page unless h millimetres fit above the bottom margin.
func (p *pdfWriter) ensure(h float64) {
	if p.f.GetY()+h > p.bottom {
		p.f.AddPage()
	}
}

func (p *pdfWriter) heading(text string, lvl int) {
	f := p.f
	size := map[int]float64{1: 16, 2: 13, 3: 11}[lvl]
	lh := lineHeight(size)
	f.Ln(map[int]float64{1: 4, 2: 3, 3: 2}[lvl])
	// Keep a heading with at least a few lines of what follows it.
	p.ensure(lh*2 + 20)
	s := p.enc(oneLine(text))
	bl := min(lvl-1, p.outline+1)
	p.outline = bl
	f.Bookmark(s, bl, -1)
	p.font("B", size)
	f.SetTextColor(31, 56, 100)
	f.MultiCell(p.tw, lh, s, "", "L", false)
	f.SetTextColor(0, 0, 0)
	f.Ln(1.5)
}

func (p *pdfWriter) paragraph(para Paragraph) {
	f := p.f
	lh := lineHeight(pdfBodySize)
	f.SetX(pdfMargin)
	wrote := false
	for _, r := range para.Runs {
		s := p.enc(r.Text)
		if s == "" {
			continue
		}
		style := ""
		if r.Bold {
			style = "B"
		}
		p.font(style, pdfBodySize)
		f.Write(lh, s)
		wrote = true
	}
	if wrote {
		f.Ln(lh)
		f.Ln(2)
	}
}

func (p *pdfWriter) bullets(l BulletList) {
	f := p.f
	lh := lineHeight(pdfBodySize)
	p.font("", pdfBodySize)
	const indent = 6.0
	for _, it := range l.Items {
		p.ensure(lh)
		f.SetX(pdfMargin + 1)
		f.CellFormat(indent-1, lh, p.tr("•"), "", 0, "L", false, 0, "")
		f.MultiCell(p.tw-indent, lh, p.enc(it), "", "L", false)
		f.Ln(0.8)
	}
	f.Ln(1.5)
}

func (p *pdfWriter) keyValue(kv KeyValue) {
	t := Table{Caption: kv.Title, ColumnWidths: []float64{1, 2}}
	for _, it := range kv.Items {
		t.Rows = append(t.Rows, []string{it.Key, it.Value})
	}
	p.table(t, tableStyle{boldFirstCol: true, borders: true})
}

type tableStyle struct {
	header, borders, boldFirstCol bool
	size                          float64
}

// table draws a table row by row. A row that does not fit moves to the
// next page, where the header row is drawn again; a row taller than a
// whole page is split between pages line by line.
func (p *pdfWriter) table(t Table, st tableStyle) {
	f := p.f
	if st.size == 0 {
		st.size = pdfCellSize
	}
	lh := lineHeight(st.size)
	head, rows, cols := t.grid()
	if !st.header {
		if head != nil {
			rows = append([][]string{head}, rows...)
		}
		head = nil
	}
	if t.Caption != "" {
		p.ensure(lineHeight(9) + 3*lh + 4*pdfPad)
		p.font("B", 9)
		f.SetTextColor(68, 84, 106)
		f.MultiCell(p.tw, lineHeight(9), p.enc(oneLine(t.Caption)), "", "L", false)
		f.SetTextColor(0, 0, 0)
		f.Ln(0.5)
	}
	if cols == 0 || len(rows) == 0 && head == nil {
		return
	}
	weights := t.weights(cols)
	widths := make([]float64, cols)
	for i, w := range weights {
		widths[i] = w * p.tw
	}
	// Shrink the header font (down to 5.5 pt) until every header word fits
	// its column, so narrow columns such as RACI parties do not break
	// words mid-way.
	headSize := st.size
	if head != nil {
		p.font("B", st.size)
		for i, h := range head {
			for _, word := range strings.Fields(p.enc(h)) {
				if w := f.GetStringWidth(word); w > widths[i]-2*pdfPad {
					headSize = math.Min(headSize, 0.97*st.size*(widths[i]-2*pdfPad)/w)
				}
			}
		}
		headSize = math.Max(headSize, 5.5)
	}
	split := func(cells []string, bold bool) [][]string {
		out := make([][]string, cols)
		size := st.size
		if bold {
			size = headSize
		}
		for i, c := range cells {
			style := ""
			if bold || st.boldFirstCol && i == 0 {
				style = "B"
			}
			p.font(style, size)
			for _, l := range f.SplitLines([]byte(p.enc(c)), widths[i]) {
				out[i] = append(out[i], string(l))
			}
		}
		return out
	}
	var headLines [][]string
	headH := 0.0
	if head != nil {
		headLines = split(head, true)
		headH = float64(maxLines(headLines))*lineHeight(headSize) + 2*pdfPad
	}
	draw := func(lines [][]string, from, to int, isHead bool) {
		y := f.GetY()
		size, lh := st.size, lh
		if isHead {
			size, lh = headSize, lineHeight(headSize)
		}
		h := float64(to-from)*lh + 2*pdfPad
		x := pdfMargin
		for i, cell := range lines {
			if isHead {
				f.SetFillColor(217, 226, 243)
				f.SetDrawColor(128, 128, 128)
				f.Rect(x, y, widths[i], h, "FD")
			} else if st.borders {
				f.SetDrawColor(128, 128, 128)
				f.Rect(x, y, widths[i], h, "D")
			}
			style := ""
			if isHead || st.boldFirstCol && i == 0 {
				style = "B"
			}
			p.font(style, size)
			for j := from; j < to && j < len(cell); j++ {
				f.Text(x+pdfPad, y+pdfPad+float64(j-from)*lh+size*ptToMM*0.95, cell[j])
			}
			x += widths[i]
		}
		f.SetXY(pdfMargin, y+h)
	}
	newPage := func() {
		f.AddPage()
		if headLines != nil {
			draw(headLines, 0, maxLines(headLines), true)
		}
	}
	if headLines != nil {
		p.ensure(headH + lh + 2*pdfPad)
		draw(headLines, 0, maxLines(headLines), true)
	}
	fresh := p.bottom - pdfMargin - headH // room on an empty page
	for _, r := range rows {
		lines := split(r, false)
		n := max(maxLines(lines), 1)
		for start := 0; start < n; {
			avail := p.bottom - f.GetY()
			need := float64(n-start)*lh + 2*pdfPad
			if need <= avail {
				draw(lines, start, n, false)
				break
			}
			fit := int((avail - 2*pdfPad) / lh)
			if need <= fresh || fit < 1 {
				newPage()
				if need <= fresh {
					continue
				}
				avail = p.bottom - f.GetY()
				fit = max(int((avail-2*pdfPad)/lh), 1)
			}
			end := min(start+fit, n)
			draw(lines, start, end, false)
			start = end
			if start < n {
				newPage()
			}
		}
	}
	f.Ln(3)
}

func maxLines(cells [][]string) int {
	n := 0
	for _, c := range cells {
		n = max(n, len(c))
	}
	return n
}

func (p *pdfWriter) setDraw(c color.RGBA) { p.f.SetDrawColor(int(c.R), int(c.G), int(c.B)) }
func (p *pdfWriter) setFill(c color.RGBA) { p.f.SetFillColor(int(c.R), int(c.G), int(c.B)) }

// fitText shortens s with an ellipsis until it is at most w wide.
func (p *pdfWriter) fitText(s string, w float64) string {
	if p.f.GetStringWidth(s) <= w {
		return s
	}
	ell := p.tr("…")
	for len(s) > 0 && p.f.GetStringWidth(s+ell) > w {
		s = s[:len(s)-1]
	}
	return s + ell
}

// chart draws a chart with fpdf primitives: title, legend, value axis with
// gridlines, bars or lines, and category labels.
func (p *pdfWriter) chart(c Chart) {
	f := p.f
	const height = 80.0
	p.ensure(height)
	x0, y0 := pdfMargin, f.GetY()
	p.font("B", 10)
	title := p.enc(oneLine(c.Title))
	if title == "" {
		title = "Chart"
	}
	f.Text(x0, y0+4, p.fitText(title, p.tw))
	n := c.points()
	if n == 0 || len(c.Series) == 0 {
		p.font("", pdfBodySize)
		f.Text(x0, y0+10, "No data.")
		f.SetXY(pdfMargin, y0+14)
		return
	}
	// Legend: swatches and names, wrapping onto more rows if needed.
	p.font("", 8)
	lx, ly := x0, y0+9
	for i, s := range c.Series {
		name := p.fitText(p.enc(oneLine(s.Name)), p.tw/2)
		w := 5 + f.GetStringWidth(name) + 5
		if lx+w > x0+p.tw && lx > x0 {
			lx, ly = x0, ly+4.5
		}
		p.setFill(seriesColor(i))
		f.Rect(lx, ly-2.6, 3, 3, "F")
		f.Text(lx+4, ly, name)
		lx += w
	}
	lo, hi, step := c.scale()
	// Value axis labels.
	labels := []string{}
	lw := 0.0
	for t := lo; t <= hi+step/2; t += step {
		s := formatNumber(t)
		labels = append(labels, s)
		lw = math.Max(lw, f.GetStringWidth(s))
	}
	top := ly + 5
	if c.Unit != "" {
		f.Text(x0, top, p.enc(oneLine(c.Unit)))
		top += 3
	}
	px, pw := x0+lw+2, p.tw-lw-2
	ph := y0 + height - 10 - top
	for i, s := range labels {
		v := lo + float64(i)*step
		y := top + ph - (v-lo)/(hi-lo)*ph
		f.Text(px-1.5-f.GetStringWidth(s), y+1, s)
	}
	c.plot(plotter{
		rect: func(x, y, w, h float64, col color.RGBA) {
			p.setFill(col)
			f.Rect(x, y, w, h, "F")
		},
		line: func(x1, y1, x2, y2, width float64, col color.RGBA) {
			p.setDraw(col)
			f.SetLineWidth(width * 0.5)
			f.Line(x1, y1, x2, y2)
		},
	}, px, top, pw, ph)
	f.SetLineWidth(0.2)
	f.SetDrawColor(0, 0, 0)
	// Category labels, thinned out when they would collide.
	slot := pw / float64(n)
	every := 1
	for float64(every)*slot < 12 && every < n {
		every++
	}
	for i := 0; i < n; i += every {
		cat := ""
		if i < len(c.Categories) {
			cat = p.enc(oneLine(c.Categories[i]))
		}
		cat = p.fitText(cat, slot*float64(every)-1)
		cx := px + slot*(float64(i)+0.5)
		f.Text(cx-f.GetStringWidth(cat)/2, top+ph+4, cat)
	}
	f.SetXY(pdfMargin, y0+height)
}
