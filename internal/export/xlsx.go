package export

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// XLSXWriter streams rows into one worksheet, so that a million-row export
// does not hold the workbook in memory. Cells are written as text and go
// through SafeCell like CSV, so nothing a user imported runs as a formula.
type XLSXWriter struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

// NewXLSX starts a workbook with one sheet of the given name.
func NewXLSX(sheet string) (*XLSXWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	return &XLSXWriter{f: f, sw: sw}, nil
}

// Write appends one row; the first row is styled as a header by the
// spreadsheet's freeze pane.
func (x *XLSXWriter) Write(row []string) error {
	x.row++
	cells := make([]any, len(row))
	for i, v := range row {
		cells[i] = excelize.Cell{Value: SafeCell(v)}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	if x.row == 1 {
		x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	return x.sw.SetRow(cell, cells)
}

// WriteTo finishes the workbook and writes it out.
func (x *XLSXWriter) WriteTo(w io.Writer) (int64, error) {
	if err := x.sw.Flush(); err != nil {
		return 0, fmt.Errorf("xlsx: %w", err)
	}
	defer x.f.Close()
	return x.f.WriteTo(w)
}

// RowWriter is what CSV and XLSX exports have in common.
type RowWriter interface{ Write(row []string) error }
