package doc

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// hostileDocument puts s everywhere a user string can go.
func hostileDocument(s string) *Document {
	return &Document{
		Title: s, Subtitle: s, Meta: []KV{{s, s}},
		Sections: []Section{{Heading: s, Level: len(s) % 5, Blocks: []Block{
			Paragraph{Runs: []Run{{Text: s}, {Text: s, Bold: true}}},
			BulletList{Items: []string{s, s + s}},
			Table{Caption: s, Header: []string{s, "b"}, Rows: [][]string{{s, s}, {s}}, ColumnWidths: []float64{float64(len(s)), -1}},
			KeyValue{Title: s, Items: []KV{{s, s}}},
			Chart{Kind: ChartKind(s), Title: s, Categories: []string{s, s}, Series: []Series{{Name: s, Values: []float64{float64(len(s)), -3}}}},
			PageBreak{},
		}}},
	}
}

var unescapedPipe = regexp.MustCompile(`(^|[^\\])(\\\\)*\|`)

func FuzzWriters(f *testing.F) {
	for _, s := range []string{
		"", "plain", "=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)", "\t=1", " =1",
		"<w:t>&amp;</w:t>]]>\"'", "\x00\x01\x08\x0b\x0c\x1f\x7f\u0085", "\xff\xfe\xc3(", "\ufffe\uffff\U0001F600",
		strings.Repeat("W", 3000), "a\r\nb\rc\nd", "| pipe |", "# h\n1. x\n---", "(paren) \\back\\ ) (", "é–—€™ 日本",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		d := hostileDocument(s)

		var b bytes.Buffer
		if err := WriteDOCX(&b, d); err != nil {
			t.Fatal(err)
		}
		r := bytes.NewReader(b.Bytes())
		if err := VerifyDOCX(r, r.Size()); err != nil {
			t.Fatal(err)
		}
		if _, err := ExtractDOCXText(r, r.Size()); err != nil {
			t.Fatal(err)
		}

		b.Reset()
		if err := WritePDF(&b, d); err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b.Bytes())
		text, err := ExtractPDFText(r, r.Size())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "Page 1 of") {
			t.Fatal("PDF without page footer")
		}

		b.Reset()
		if err := WriteMarkdown(&b, d); err != nil {
			t.Fatal(err)
		}
		// Every pipe-table line has exactly columns+1 unescaped pipes.
		for _, line := range strings.Split(b.String(), "\n") {
			if strings.HasPrefix(line, "| ") {
				if n := len(unescapedPipe.FindAllString(line, -1)); n != 3 {
					t.Fatalf("table line has %d unescaped pipes: %q", n, line)
				}
			}
		}

		b.Reset()
		if err := WriteXLSX(&b, d); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		checkNoFormulas(t, x)
	})
}
