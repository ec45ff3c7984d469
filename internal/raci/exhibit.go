package raci

import (
	"github.com/medsec/medsec/internal/doc"
)

// ToDoc returns the matrix as an exhibit table: one row per activity, one
// column per party, cells like "A/R" (blank where the party has no role).
func ToDoc(m Matrix) doc.Table {
	t := doc.Table{
		Caption:      "Responsibility matrix: " + m.Name,
		Header:       []string{"Activity"},
		ColumnWidths: []float64{2.2},
	}
	for _, p := range m.Parties {
		t.Header = append(t.Header, p.Name)
		t.ColumnWidths = append(t.ColumnWidths, 1)
	}
	for _, r := range m.Rows {
		row := []string{r.Activity.Name}
		for _, p := range m.Parties {
			s := ""
			if role := r.Roles[p.ID]; role != None {
				s = role.String()
			}
			row = append(row, s)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Rationale returns the reasons behind each row, as a table.
func Rationale(m Matrix) doc.Table {
	t := doc.Table{Caption: "Rationale: " + m.Name, Header: []string{"Activity", "Why"}, ColumnWidths: []float64{1, 3}}
	for _, r := range m.Rows {
		t.Rows = append(t.Rows, []string{r.Activity.Name, r.Rationale})
	}
	return t
}

// Legend explains the four letters.
func Legend() doc.KeyValue {
	return doc.KeyValue{Title: "Legend", Items: []doc.KV{
		{Key: "R — Responsible", Value: "Does the work. At least one per activity."},
		{Key: "A — Accountable", Value: "Owns the outcome and signs it off. Exactly one per activity."},
		{Key: "C — Consulted", Value: "Asked before a decision or change."},
		{Key: "I — Informed", Value: "Told of the outcome."},
	}}
}

// ToSection returns a complete exhibit section: legend, matrix and
// rationale.
func ToSection(m Matrix, level int) doc.Section {
	return doc.Section{Heading: "Shared responsibilities: " + m.Name, Level: level, Blocks: []doc.Block{
		doc.Text("Each activity has exactly one Accountable party and at least one Responsible party."),
		Legend(), ToDoc(m), Rationale(m),
	}}
}
