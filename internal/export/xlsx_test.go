package export

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestXLSX_SafeAndReadable(t *testing.T) {
	x, err := NewXLSX("Assets")
	if err != nil {
		t.Fatal(err)
	}
	x.Write([]string{"asset_id", "name"})
	x.Write([]string{"1", "=HYPERLINK(\"http://evil\",\"click\")"})
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := f.GetCellValue("Assets", "B2")
	formula, _ := f.GetCellFormula("Assets", "B2")
	if formula != "" || v != "'=HYPERLINK(\"http://evil\",\"click\")" {
		t.Errorf("cell B2 = %q formula %q", v, formula)
	}
}
