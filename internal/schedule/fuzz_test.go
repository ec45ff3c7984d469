package schedule

import (
	"encoding/csv"
	"strings"
	"testing"
)

// FuzzTemplateRows: any CSV text read as a template file either gives
// templates or problems that name a row; it never panics.
func FuzzTemplateRows(f *testing.F) {
	f.Add("Modality,Task,Interval,Tolerance,Basis\ninfusion_pump,PM,12,30d,manufacturer\n")
	f.Add("Manufacturer,Model,Task,Interval,Basis,Critical\nBD,Alaris PC Unit,ESI,6,aem,yes\n")
	f.Add("Modality,Task\n,,\n\"x\ny\",PM\n")
	f.Fuzz(func(t *testing.T, text string) {
		r := csv.NewReader(strings.NewReader(text))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil || len(recs) == 0 {
			return
		}
		_, problems := ParseTemplateRows(recs[0], recs[1:])
		for _, p := range problems {
			if p == nil || p.Row < 1 || strings.TrimSpace(p.Error()) == "" {
				t.Fatalf("problem without a row or text: %+v", p)
			}
		}
	})
}
