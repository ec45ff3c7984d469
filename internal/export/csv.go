// Package export writes files for people to open in Excel and other tools.
package export

import (
	"encoding/csv"
	"io"

	"github.com/medsec/medsec/internal/doc"
)

// SafeCell defuses a cell that a spreadsheet would run as a formula
// (=, +, -, @, tab, carriage return or | at the start, or "=" after spaces)
// by prefixing a single quote, the OWASP-recommended CSV-injection guard.
// The rule lives in internal/doc, which writes the exhibits' workbooks.
func SafeCell(s string) string { return doc.SafeCell(s) }

// CSVWriter is a csv.Writer whose every cell goes through SafeCell.
type CSVWriter struct{ w *csv.Writer }

// NewCSV returns a CSV writer safe against formula injection.
func NewCSV(w io.Writer) *CSVWriter { return &CSVWriter{w: csv.NewWriter(w)} }

// Write writes one row.
func (c *CSVWriter) Write(row []string) error {
	safe := make([]string, len(row))
	for i, v := range row {
		safe[i] = SafeCell(v)
	}
	return c.w.Write(safe)
}

// Flush flushes the underlying writer and returns its error.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// NewRawCSV returns a plain CSV writer, for machine-read files whose
// values must stay byte-exact (the links file compared with ground truth).
func NewRawCSV(w io.Writer) *csv.Writer { return csv.NewWriter(w) }
