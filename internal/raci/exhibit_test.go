package raci

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medsec/medsec/internal/doc"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestExhibitGolden keeps every template's exhibit (Markdown) under
// review: a change to the default assignments shows up as a diff here.
func TestExhibitGolden(t *testing.T) {
	d := &doc.Document{Title: "Shared responsibility templates"}
	for _, m := range Templates() {
		d.Sections = append(d.Sections, ToSection(m, 1))
	}
	var b bytes.Buffer
	if err := doc.WriteMarkdown(&b, d); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join("testdata", "templates.md.golden")
	if *update {
		os.WriteFile(p, b.Bytes(), 0o644)
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if b.String() != string(want) {
		t.Error("templates exhibit differs from testdata/templates.md.golden (run go test -update to accept)")
	}
}

func TestExhibitPDF(t *testing.T) {
	d := &doc.Document{Title: "Exhibit B", Sections: []doc.Section{ToSection(mustTemplate(t, System), 1)}}
	var b bytes.Buffer
	if err := doc.WritePDF(&b, d); err != nil {
		t.Fatal(err)
	}
	text, err := doc.ExtractPDFText(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	// Narrow party columns shrink the header font rather than breaking
	// words.
	for _, want := range []string{"Activity\tHospital HTM\tIT networking\tIAM\tSecurity\tClinical users\tBackup team\tService\tManufacturer\n", "Backup and restore\tI\tI\tA/R\tC\tC"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}
