package doc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// OOXML namespaces and relationship types used by the DOCX writer.
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsWP      = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
	nsA       = "http://schemas.openxmlformats.org/drawingml/2006/main"
	nsPic     = "http://schemas.openxmlformats.org/drawingml/2006/picture"
	nsPkgRels = "http://schemas.openxmlformats.org/package/2006/relationships"
	relBase   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	ctMain    = "application/vnd.openxmlformats-officedocument.wordprocessingml."
)

// Page geometry in twentieths of a point (US Letter, 1-inch margins).
const (
	docxPageW  = 12240
	docxPageH  = 15840
	docxMargin = 1440
	docxTextW  = docxPageW - 2*docxMargin
	emuPerTwip = 635
)

// WriteDOCX renders d as a Word document built from scratch: styles
// (Title, Subtitle, Heading1–3, Caption, Table Grid) so counsel can edit and
// redline it, bullet numbering, tables whose header row repeats on every
// page, a page-number footer, and charts as embedded PNG pictures followed
// by their data tables.
func WriteDOCX(w io.Writer, d *Document) error {
	if d == nil {
		d = &Document{}
	}
	dw := &docxWriter{}
	dw.document(d)

	created := d.Created
	mod := created
	if mod.IsZero() || mod.Year() < 1980 {
		mod = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	z := zip.NewWriter(w)
	put := func(name string, data []byte) error {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	parts := []struct {
		name string
		data string
	}{
		{"[Content_Types].xml", dw.contentTypes()},
		{"_rels/.rels", docxRootRels},
		{"docProps/core.xml", coreXML(d.Title, d.Subtitle, created)},
		{"docProps/app.xml", docxApp},
		{"word/document.xml", dw.body.String()},
		{"word/_rels/document.xml.rels", dw.documentRels()},
		{"word/styles.xml", docxStyles},
		{"word/settings.xml", docxSettings},
		{"word/numbering.xml", docxNumbering},
		{"word/footer1.xml", docxFooter},
	}
	for _, p := range parts {
		if err := put(p.name, []byte(p.data)); err != nil {
			return fmt.Errorf("docx: %w", err)
		}
	}
	for _, m := range dw.media {
		if err := put("word/media/"+m.name, m.data); err != nil {
			return fmt.Errorf("docx: %w", err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	return nil
}

type docxMedia struct {
	name, relID string
	data        []byte
}

type docxWriter struct {
	body  strings.Builder
	media []docxMedia
}

// esc escapes cleaned text for XML character data and attribute values.
func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (dw *docxWriter) document(d *Document) {
	b := &dw.body
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `" xmlns:wp="` + nsWP + `" xmlns:a="` + nsA + `" xmlns:pic="` + nsPic + `"><w:body>`)
	if d.Title != "" || d.Subtitle != "" || len(d.Meta) > 0 {
		dw.para("Title", []Run{{Text: oneLine(d.Title)}})
		if d.Subtitle != "" {
			dw.para("Subtitle", []Run{{Text: oneLine(d.Subtitle)}})
		}
		if len(d.Meta) > 0 {
			dw.keyValue(KeyValue{Items: d.Meta})
		}
		dw.pageBreak()
	}
	for _, s := range d.Sections {
		if s.Heading != "" {
			dw.para("Heading"+strconv.Itoa(level(s.Level)), []Run{{Text: oneLine(s.Heading)}})
		}
		for _, bl := range s.Blocks {
			switch v := normalize(bl).(type) {
			case Paragraph:
				dw.para("", v.Runs)
			case BulletList:
				for _, it := range v.Items {
					dw.bullet(it)
				}
			case Table:
				dw.table(v, true)
			case KeyValue:
				dw.keyValue(v)
			case Chart:
				dw.chart(v)
			case PageBreak:
				dw.pageBreak()
			}
		}
	}
	b.WriteString(`<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/>`)
	fmt.Fprintf(b, `<w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="720" w:footer="720" w:gutter="0"/>`,
		docxPageW, docxPageH, docxMargin, docxMargin, docxMargin, docxMargin)
	b.WriteString(`</w:sectPr></w:body></w:document>`)
}

// runs writes runs, turning "\n" into line breaks.
func (dw *docxWriter) runs(runs []Run, extraRPr string) {
	b := &dw.body
	for _, r := range runs {
		text := cleanText(r.Text)
		if text == "" {
			continue
		}
		b.WriteString(`<w:r>`)
		if r.Bold || extraRPr != "" {
			b.WriteString(`<w:rPr>`)
			if r.Bold {
				b.WriteString(`<w:b/>`)
			}
			b.WriteString(extraRPr)
			b.WriteString(`</w:rPr>`)
		}
		for i, line := range strings.Split(text, "\n") {
			if i > 0 {
				b.WriteString(`<w:br/>`)
			}
			if line != "" {
				b.WriteString(`<w:t xml:space="preserve">` + esc(line) + `</w:t>`)
			}
		}
		b.WriteString(`</w:r>`)
	}
}

func (dw *docxWriter) para(style string, runs []Run) {
	dw.paraProps(style, "", runs, "")
}

func (dw *docxWriter) paraProps(style, pPr string, runs []Run, rPr string) {
	b := &dw.body
	b.WriteString(`<w:p>`)
	if style != "" || pPr != "" {
		b.WriteString(`<w:pPr>`)
		if style != "" {
			b.WriteString(`<w:pStyle w:val="` + style + `"/>`)
		}
		b.WriteString(pPr)
		b.WriteString(`</w:pPr>`)
	}
	dw.runs(runs, rPr)
	b.WriteString(`</w:p>`)
}

func (dw *docxWriter) bullet(item string) {
	dw.paraProps("ListParagraph", `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>`, []Run{{Text: item}}, "")
}

func (dw *docxWriter) pageBreak() {
	dw.body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
}

func (dw *docxWriter) keyValue(kv KeyValue) {
	t := Table{Caption: kv.Title, ColumnWidths: []float64{1, 2}}
	for _, it := range kv.Items {
		t.Rows = append(t.Rows, []string{it.Key, it.Value})
	}
	dw.tableWith(t, false, true, nil)
}

func (dw *docxWriter) table(t Table, header bool) { dw.tableWith(t, header, false, nil) }

// tableWith writes a Table Grid table. With header, the first row repeats
// on every page; boldFirstCol is for key/value lists; headerColors gives
// per-column text colours for the header (the chart colour key).
func (dw *docxWriter) tableWith(t Table, header, boldFirstCol bool, headerColors []string) {
	b := &dw.body
	head, rows, cols := t.grid()
	if t.Caption != "" {
		dw.para("Caption", []Run{{Text: oneLine(t.Caption)}})
	}
	if cols == 0 || (len(rows) == 0 && head == nil) {
		return
	}
	ws := t.weights(cols)
	widths := make([]int, cols)
	for i, f := range ws {
		widths[i] = max(int(math.Round(f*docxTextW)), 200)
	}
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/>`)
	b.WriteString(`<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, wd := range widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, wd)
	}
	b.WriteString(`</w:tblGrid>`)
	row := func(cells []string, isHeader bool) {
		b.WriteString(`<w:tr>`)
		if isHeader {
			b.WriteString(`<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
		}
		for i, c := range cells {
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, widths[i])
			if isHeader {
				b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/>`)
			}
			b.WriteString(`</w:tcPr>`)
			rPr := ""
			if isHeader && i < len(headerColors) && headerColors[i] != "" {
				rPr = `<w:color w:val="` + headerColors[i] + `"/>`
			}
			bold := isHeader || (boldFirstCol && i == 0)
			for _, line := range strings.Split(cleanText(c), "\n") {
				dw.paraProps("", `<w:spacing w:before="0" w:after="0"/>`, []Run{{Text: line, Bold: bold}}, rPr)
			}
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	if header && head != nil {
		row(head, true)
	} else if head != nil {
		row(head, false)
	}
	for _, r := range rows {
		row(r, false)
	}
	b.WriteString(`</w:tbl>`)
	// Word needs a paragraph between tables and before the section end.
	dw.para("", nil)
}

// chart embeds the chart as a PNG picture with alternative text, then
// its data table with the series names in their chart colours.
func (dw *docxWriter) chart(c Chart) {
	title := oneLine(c.Title)
	if title == "" {
		title = "Chart"
	}
	dw.para("Caption", []Run{{Text: title}})
	if c.points() == 0 || len(c.Series) == 0 {
		dw.para("", []Run{{Text: "No data."}})
		return
	}
	const pxW, pxH = 1200, 540
	data, err := ChartPNG(c, pxW, pxH)
	if err == nil {
		n := len(dw.media) + 1
		m := docxMedia{name: fmt.Sprintf("chart%d.png", n), relID: fmt.Sprintf("rIdImg%d", n), data: data}
		dw.media = append(dw.media, m)
		cx := int64(docxTextW) * emuPerTwip
		cy := cx * pxH / pxW
		alt := esc(chartSummary(c))
		b := &dw.body
		b.WriteString(`<w:p><w:pPr><w:keepNext/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">`)
		fmt.Fprintf(b, `<wp:extent cx="%d" cy="%d"/><wp:effectExtent l="0" t="0" r="0" b="0"/>`, cx, cy)
		fmt.Fprintf(b, `<wp:docPr id="%d" name="Chart %d" descr="%s"/>`, n, n, alt)
		b.WriteString(`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`)
		b.WriteString(`<a:graphic><a:graphicData uri="` + nsPic + `"><pic:pic>`)
		fmt.Fprintf(b, `<pic:nvPicPr><pic:cNvPr id="%d" name="%s" descr="%s"/><pic:cNvPicPr/></pic:nvPicPr>`, n, m.name, alt)
		fmt.Fprintf(b, `<pic:blipFill><a:blip r:embed="%s"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`, m.relID)
		fmt.Fprintf(b, `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`, cx, cy)
		b.WriteString(`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`)
	}
	t := c.dataTable()
	t.Caption = ""
	colors := []string{""}
	for i := range c.Series {
		col := seriesColor(i)
		colors = append(colors, fmt.Sprintf("%02X%02X%02X", col.R, col.G, col.B))
		t.Header[i+1] = "■ " + t.Header[i+1]
	}
	dw.tableWith(t, true, false, colors)
}

// chartSummary is the alternative text of a chart picture.
func chartSummary(c Chart) string {
	kind := map[ChartKind]string{LineChart: "Line chart", StackedChart: "Stacked bar chart"}[c.Kind]
	if kind == "" {
		kind = "Bar chart"
	}
	names := make([]string, 0, len(c.Series))
	for _, s := range c.Series {
		names = append(names, oneLine(s.Name))
	}
	s := fmt.Sprintf("%s: %s. %d categories; series: %s. Data in the table below.",
		kind, oneLine(c.Title), c.points(), strings.Join(names, ", "))
	if len(s) > 1000 {
		s = truncateUTF8(s, 1000) + "…"
	}
	return s
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

func (dw *docxWriter) contentTypes() string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	b.WriteString(`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`)
	b.WriteString(`<Default Extension="xml" ContentType="application/xml"/>`)
	b.WriteString(`<Default Extension="png" ContentType="image/png"/>`)
	for _, o := range [][2]string{
		{"/word/document.xml", ctMain + "document.main+xml"},
		{"/word/styles.xml", ctMain + "styles+xml"},
		{"/word/settings.xml", ctMain + "settings+xml"},
		{"/word/numbering.xml", ctMain + "numbering+xml"},
		{"/word/footer1.xml", ctMain + "footer+xml"},
		{"/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"},
		{"/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"},
	} {
		b.WriteString(`<Override PartName="` + o[0] + `" ContentType="` + o[1] + `"/>`)
	}
	b.WriteString(`</Types>`)
	return b.String()
}

func (dw *docxWriter) documentRels() string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<Relationships xmlns="` + nsPkgRels + `">`)
	rel := func(id, typ, target string) {
		b.WriteString(`<Relationship Id="` + id + `" Type="` + relBase + typ + `" Target="` + target + `"/>`)
	}
	rel("rIdStyles", "styles", "styles.xml")
	rel("rIdSettings", "settings", "settings.xml")
	rel("rIdNumbering", "numbering", "numbering.xml")
	rel("rIdFooter1", "footer", "footer1.xml")
	for _, m := range dw.media {
		rel(m.relID, "image", "media/"+m.name)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

func coreXML(title, subject string, created time.Time) string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString(`<dc:title>` + esc(oneLine(title)) + `</dc:title>`)
	b.WriteString(`<dc:subject>` + esc(oneLine(subject)) + `</dc:subject>`)
	b.WriteString(`<dc:creator>medsec</dc:creator>`)
	if !created.IsZero() {
		ts := created.UTC().Format(time.RFC3339)
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:created>`)
		b.WriteString(`<dcterms:modified xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:modified>`)
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.String()
}

const docxRootRels = xml.Header + `<Relationships xmlns="` + nsPkgRels + `">` +
	`<Relationship Id="rId1" Type="` + relBase + `officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="` + relBase + `extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const docxApp = xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>medsec</Application><DocSecurity>0</DocSecurity></Properties>`

const docxSettings = xml.Header + `<w:settings xmlns:w="` + nsW + `"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`

const docxNumbering = xml.Header + `<w:numbering xmlns:w="` + nsW + `">` +
	`<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>` +
	`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>` +
	`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="–"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl>` +
	`</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`

const docxFooter = xml.Header + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>` +
	`<w:r><w:t xml:space="preserve">Page </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>` +
	`<w:r><w:t xml:space="preserve"> of </w:t></w:r><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>`

func heading(id, name string, size, before int, outline int) string {
	return fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="%s"><w:name w:val="%s"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>`+
		`<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="%d" w:after="120"/><w:outlineLvl w:val="%d"/></w:pPr>`+
		`<w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="%d"/><w:szCs w:val="%d"/></w:rPr></w:style>`, id, name, before, outline, size, size)
}

var docxStyles = xml.Header + `<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="10"/><w:qFormat/><w:pPr><w:spacing w:before="2400" w:after="240"/></w:pPr><w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="52"/><w:szCs w:val="52"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="11"/><w:qFormat/><w:pPr><w:spacing w:after="480"/></w:pPr><w:rPr><w:color w:val="595959"/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style>` +
	heading("Heading1", "heading 1", 32, 360, 0) +
	heading("Heading2", "heading 2", 26, 240, 1) +
	heading("Heading3", "heading 3", 23, 200, 2) +
	`<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="35"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/></w:pPr><w:rPr><w:b/><w:color w:val="44546A"/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="34"/><w:qFormat/><w:pPr><w:spacing w:after="60"/><w:ind w:left="720"/><w:contextualSpacing/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>` +
	`<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:left w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:right w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="808080"/></w:tblBorders>` +
	`<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`</w:styles>`
