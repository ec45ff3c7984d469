package doc

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// sampleDocument exercises every block type, non-ASCII text, hostile
// strings and a table long enough to split across pages.
func sampleDocument() *Document {
	long := Table{
		Caption:      "Open findings by device",
		Header:       []string{"Asset", "Model", "Finding", "Due"},
		ColumnWidths: []float64{1, 2, 3, 1},
	}
	for i := 1; i <= 70; i++ {
		finding := "Outdated firmware"
		if i%10 == 0 {
			finding = "Default vendor service password still enabled on the maintenance port; compensating control: VLAN ACL to the vendor jump host only, reviewed quarterly."
		}
		long.Rows = append(long.Rows, []string{fmt.Sprintf("EQ-%04d", i), "Alaris PC 8015", finding, fmt.Sprintf("2025-%02d-15", i%12+1)})
	}
	return &Document{
		Title:    "Exhibit C — Shared Responsibility Matrix",
		Subtitle: "Biomedical services agreement, Dräger & café fleet – v2.1",
		Meta: []KV{
			{"Agreement version", "2.10"},
			{"Generated at", "2025-03-01 09:00 UTC"},
			{"Parties", "St. Example Hospital (HDO); Acme Biomed Services (provider)"},
		},
		Created: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC),
		Sections: []Section{
			{Heading: "Purpose", Level: 1, Blocks: []Block{
				Paragraph{Runs: []Run{{Text: "This exhibit assigns every activity "}, {Text: "exactly one Accountable party", Bold: true}, {Text: " and at least one Responsible party."}}},
				Text("Unsupported characters such as 日本 print as question marks in PDF. Markup like <b>, *stars*, | pipes | and & ampersands stays literal."),
				BulletList{Items: []string{"Standalone device", "Networked device", "Vendor-managed remote service"}},
			}},
			{Heading: "Parties", Level: 2, Blocks: []Block{
				KeyValue{Title: "Contacts", Items: []KV{{"HDO security", "security@example.org"}, {"Provider", "=cmd|' /C calc'!A0"}}},
			}},
			{Heading: "Findings", Level: 1, Blocks: []Block{
				&long,
				Chart{Kind: BarChart, Title: "Findings by severity", Unit: "findings", Categories: []string{"Critical", "High", "Medium", "Low"},
					Series: []Series{{Name: "Open", Values: []float64{3, 12, 25, 8}}, {Name: "Closed", Values: []float64{5, 20, 14, 30}}}},
				Chart{Kind: StackedChart, Title: "Work orders by month", Categories: []string{"Jan", "Feb", "Mar"},
					Series: []Series{{Name: "PM", Values: []float64{40, 35, 50}}, {Name: "Repair", Values: []float64{10, 12, 7}}}},
				Chart{Kind: LineChart, Title: "Median days to patch", Unit: "days", Categories: []string{"Q1", "Q2", "Q3", "Q4"},
					Series: []Series{{Name: "Median", Values: []float64{41, 33, 28.5, 21}}}},
			}},
			{Blocks: []Block{PageBreak{}}},
			{Heading: "Notes", Level: 3, Blocks: []Block{Text("Line one\nline two."), Table{Header: []string{"A", "B"}, Rows: [][]string{{"1", "=2+3"}, {"x|y", "multi\nline"}}}}},
		},
	}
}

func render(t testing.TB, d *Document, write func(*bytes.Buffer, *Document) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var (
	toDOCX = func(b *bytes.Buffer, d *Document) error { return WriteDOCX(b, d) }
	toPDF  = func(b *bytes.Buffer, d *Document) error { return WritePDF(b, d) }
	toMD   = func(b *bytes.Buffer, d *Document) error { return WriteMarkdown(b, d) }
	toXLSX = func(b *bytes.Buffer, d *Document) error { return WriteXLSX(b, d) }
)

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from golden (run go test -update to accept):\n%s", name, firstDiff(string(want), got))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, w, g)
		}
	}
	return "(no line differs)"
}

func TestGolden(t *testing.T) {
	d := sampleDocument()
	t.Run("docx", func(t *testing.T) {
		data := render(t, d, toDOCX)
		text, err := ExtractDOCXText(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "sample.docx.txt", text)
	})
	t.Run("pdf", func(t *testing.T) {
		data := render(t, d, toPDF)
		text, err := ExtractPDFText(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "sample.pdf.txt", text)
	})
	t.Run("md", func(t *testing.T) {
		golden(t, "sample.md", string(render(t, d, toMD)))
	})
	t.Run("xlsx", func(t *testing.T) {
		golden(t, "sample.xlsx.txt", xlsxDump(t, render(t, d, toXLSX)))
	})
}

// xlsxDump lists every sheet's cells as tab-separated rows.
func xlsxDump(t testing.TB, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		fmt.Fprintf(&b, "== %s\n", sh)
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String()
}

func TestDOCXPartsParseAndRelate(t *testing.T) {
	data := render(t, sampleDocument(), toDOCX)
	if err := VerifyDOCX(bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	text, _ := ExtractDOCXText(bytes.NewReader(data), int64(len(data)))
	for _, want := range []string{"Exhibit C — Shared Responsibility Matrix", "Asset\tModel\tFinding\tDue", "[picture: Bar chart: Findings by severity.", "Unsupported characters such as 日本"} {
		if !strings.Contains(text, want) {
			t.Errorf("DOCX text lacks %q", want)
		}
	}
	// The header row of every table repeats on each page.
	doc := docxPart(t, data, "word/document.xml")
	if n := strings.Count(doc, "<w:tblHeader/>"); n < 4 {
		t.Errorf("%d header rows marked to repeat, want ≥ 4", n)
	}
	if !strings.Contains(doc, `<w:numId w:val="1"/>`) || !strings.Contains(doc, `w:val="Heading3"`) {
		t.Error("bullets or heading styles missing")
	}
	if media := docxPart(t, data, "word/media/chart1.png"); !strings.HasPrefix(media, "\x89PNG") {
		t.Error("chart picture is not a PNG")
	}

	t.Run("libreoffice", func(t *testing.T) {
		bin := ""
		for _, name := range []string{"soffice", "libreoffice"} {
			if p, err := exec.LookPath(name); err == nil {
				bin = p
				break
			}
		}
		if bin == "" {
			t.Log("soffice/libreoffice not on PATH: conversion check not run; structural checks above still apply")
			return
		}
		dir := t.TempDir()
		in := filepath.Join(dir, "sample.docx")
		os.WriteFile(in, data, 0o644)
		cmd := exec.Command(bin, "--headless", "-env:UserInstallation=file://"+dir+"/profile", "--convert-to", "pdf", "--outdir", dir, in)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("libreoffice: %v\n%s", err, out)
		}
		if st, err := os.Stat(filepath.Join(dir, "sample.pdf")); err != nil || st.Size() == 0 {
			t.Fatalf("libreoffice produced no PDF: %v", err)
		}
	})
}

func docxPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	z, err := zipReader(data)
	if err != nil {
		t.Fatal(err)
	}
	b, err := readZip(z, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestVerifyDOCXCatchesBrokenPackages(t *testing.T) {
	// A relationship to a missing part and an undeclared content type.
	dw := &docxWriter{}
	dw.media = append(dw.media, docxMedia{name: "x.png", relID: "rIdX"})
	rels := dw.documentRels()
	var b bytes.Buffer
	z := newZip(&b)
	z.add("[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="a"/><Override PartName="/word/document.xml" ContentType="b"/></Types>`)
	z.add("_rels/.rels", docxRootRels)
	z.add("word/document.xml", `<w:document xmlns:w="`+nsW+`" xmlns:r="`+nsR+`"><w:body><w:p r:id="rIdNope"/></w:body></w:document>`)
	z.add("word/_rels/document.xml.rels", rels)
	z.add("word/odd.bin", "x")
	z.close()
	err := VerifyDOCX(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err == nil {
		t.Fatal("broken package accepted")
	}
	for _, want := range []string{`targets missing part "word/media/x.png"`, `"word/odd.bin" has no content type`, `undefined relationship "rIdNope"`, `"docProps/core.xml"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestPDF(t *testing.T) {
	data := render(t, sampleDocument(), toPDF)
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data[len(data)-10:], []byte("%%EOF")) {
		t.Fatal("not a PDF")
	}
	text, err := ExtractPDFText(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(text, "\f\n")
	if len(pages) < 4 {
		t.Fatalf("%d pages, want title page + several", len(pages))
	}
	// cp1252 characters print; others become '?', visibly.
	for _, want := range []string{"Exhibit C — Shared Responsibility Matrix", "Dräger & café fleet – v2.1", "such as ?? print", "•\tStandalone device"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// Page numbers with the total filled in, and the long table's header
	// repeated on every page it spans.
	headerPages := 0
	for i, p := range pages {
		if want := fmt.Sprintf("Page %d of %d", i+1, len(pages)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
		if strings.Contains(p, "Asset\tModel\tFinding\tDue") {
			headerPages++
		}
	}
	if headerPages < 2 {
		t.Errorf("table header on %d pages, want it repeated (≥ 2)", headerPages)
	}
	// Mixed bold runs join into one line.
	if !strings.Contains(text, "This exhibit assigns every activity exactly one Accountable party and at least one") {
		t.Errorf("paragraph runs not joined:\n%s", text[:min(len(text), 600)])
	}
}

func TestPDFTallRowSplits(t *testing.T) {
	huge := strings.Repeat("word ", 4000)
	d := &Document{Title: "T", Sections: []Section{{Heading: "H", Level: 1, Blocks: []Block{
		Table{Header: []string{"K", "V"}, Rows: [][]string{{"k", huge}, {"after", "x"}}},
	}}}}
	data := render(t, d, toPDF)
	text, err := ExtractPDFText(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if c := strings.Count(text, "word"); c != 4000 {
		t.Errorf("%d words printed, want 4000", c)
	}
	if c := strings.Count(text, "K\tV"); c < 3 {
		t.Errorf("header printed %d times, want one per page (≥ 3)", c)
	}
	if !strings.Contains(text, "after\tx") {
		t.Error("row after the split row missing")
	}
}

func TestPDFLexer(t *testing.T) {
	content := []byte(`BT /F1 10 Tf 72 700 Td (a\(b\)c\\d\101\n) Tj ET BT 72 680 Td [(Hel) -20 (lo) -400 (world)] TJ ET BT 72 660 Td <48 69> Tj ET`)
	frags, err := textFragments(content, map[string]string{"F1": "Helvetica"}, newMeasurer())
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(layoutLines(frags), "|")
	if want := "a(b)c\\dA\n|Hello world|Hi"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestMarkdownEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"# not a heading":  `\# not a heading`,
		"1. not a list":    `1\. not a list`,
		"a|b *c* _d_":      `a\|b \*c\* \_d\_`,
		"<script>":         `\<script\>`,
		"&amp; & x":        `\&amp; & x`,
		"[x](javascript:)": `\[x\](javascript:)`,
		"2.10":             "2.10",
		"- item":           `\- item`,
		"---":              `\---`,
		"==":               `\==`,
		"=cmd":             "=cmd",
		"3) x":             `3\) x`,
		"#tag":             "#tag",
	} {
		if got := mdEscape(in); got != want {
			t.Errorf("mdEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestXLSX(t *testing.T) {
	data := render(t, sampleDocument(), toXLSX)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	want := []string{"Summary", "Contacts", "Open findings by device", "Findings by severity (findings)", "Work orders by month", "Median days to patch (days)", "Notes"}
	if strings.Join(sheets, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets %q, want %q", sheets, want)
	}
	checkNoFormulas(t, f)
	v, _ := f.GetCellValue("Contacts", "B3")
	if v != "'=cmd|' /C calc'!A0" {
		t.Errorf("formula string cell = %q, want defused", v)
	}
	panes, err := f.GetPanes("Open findings by device")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header row not frozen: %+v %v", panes, err)
	}
	st, _ := f.GetCellStyle("Open findings by device", "A1")
	style, _ := f.GetStyle(st)
	if style == nil || style.Font == nil || !style.Font.Bold {
		t.Error("header not bold")
	}
	if typ, _ := f.GetCellType("Notes", "A2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("plain number cell type %v", typ)
	}
	if v, _ := f.GetCellValue("Summary", "B4"); v != "2.10" {
		t.Errorf("version %q, want text 2.10", v)
	}
	if !strings.Contains(zipText(t, data, "xl/worksheets/sheet3.xml"), "<autoFilter") {
		t.Error("no autofilter on table sheet")
	}
	if !strings.Contains(zipText(t, data, "xl/charts/chart1.xml"), "barChart") {
		t.Error("no native bar chart")
	}
	if w, _ := f.GetColWidth("Open findings by device", "C"); w <= 20 {
		t.Errorf("finding column width %v, want wide", w)
	}
}

func zipText(t *testing.T, data []byte, name string) string {
	z, err := zipReader(data)
	if err != nil {
		t.Fatal(err)
	}
	b, err := readZip(z, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var formulaStart = regexp.MustCompile(`^\s*[=+\-@|]`)

func checkNoFormulas(t testing.TB, f *excelize.File) {
	t.Helper()
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell := cellRef(c+1, r+1)
				if fo, _ := f.GetCellFormula(sh, cell); fo != "" {
					t.Fatalf("%s!%s has formula %q", sh, cell, fo)
				}
				typ, _ := f.GetCellType(sh, cell)
				if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset && formulaStart.MatchString(v) && !strings.HasPrefix(v, "'") {
					t.Fatalf("%s!%s text %q would run as a formula", sh, cell, v)
				}
			}
		}
	}
}

func TestSafeCellMatchesExport(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+x": "'+x", "-x": "'-x", "@x": "'@x", "|x": "'|x", "  =x": "'  =x", "x=y": "x=y", "": ""} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEmptyDocument(t *testing.T) {
	for name, w := range map[string]func(*bytes.Buffer, *Document) error{"docx": toDOCX, "pdf": toPDF, "md": toMD, "xlsx": toXLSX} {
		docs := []*Document{nil, {}, {Sections: []Section{{Blocks: []Block{Table{}, Chart{}, (*Table)(nil), nil, KeyValue{}, BulletList{}}}}}}
		for _, d := range docs {
			var b bytes.Buffer
			if err := w(&b, d); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			if name == "docx" {
				if err := VerifyDOCX(bytes.NewReader(b.Bytes()), int64(b.Len())); err != nil {
					t.Error(err)
				}
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	for name, w := range map[string]func(*bytes.Buffer, *Document) error{"docx": toDOCX, "pdf": toPDF, "md": toMD} {
		a, b := render(t, sampleDocument(), w), render(t, sampleDocument(), w)
		if !bytes.Equal(a, b) {
			t.Errorf("%s output differs between runs", name)
		}
	}
}

func TestChartPNG(t *testing.T) {
	c := sampleDocument().Sections[2].Blocks[1].(Chart)
	b, err := ChartPNG(c, 600, 300)
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("ChartPNG: %v", err)
	}
}
