package service

import (
	"io"
	"strconv"
	"time"

	"github.com/medsec/medsec/internal/export"
)

// ReportHeader is the header of the report's CSV and XLSX exports: one
// "summary" row per tier and event type, then one "breach" row per
// breached clock with its explanation.
var ReportHeader = []string{"kind", "tier", "event_type", "total", "met", "breached", "open", "paused_hours",
	"event_id", "asset", "milestone", "target_hours", "elapsed_hours", "start", "stop", "breached_at", "explanation"}

func hours(d time.Duration) string { return strconv.FormatFloat(d.Hours(), 'f', 2, 64) }

func rfc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// WriteRows writes the report as rows (header first).
func (r *Report) WriteRows(w export.RowWriter) error {
	if err := w.Write(ReportHeader); err != nil {
		return err
	}
	for _, e := range r.Entries {
		if err := w.Write([]string{"summary", string(e.Tier), string(e.EventType), strconv.Itoa(e.Total), strconv.Itoa(e.Met),
			strconv.Itoa(e.Breached), strconv.Itoa(e.Open()), strconv.FormatFloat(e.PausedHours, 'f', 2, 64),
			"", "", "", "", "", "", "", "", ""}); err != nil {
			return err
		}
	}
	for _, e := range r.Entries {
		for _, b := range e.Breaches {
			if err := w.Write([]string{"breach", string(e.Tier), string(e.EventType), "", "", "", "", "",
				b.EventID, b.AssetKey, string(b.Milestone), hours(b.Target), hours(b.Elapsed), rfc(b.Start), rfc(b.Stop), rfc(b.BreachedAt),
				b.Explanation}); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteCSV writes the report as a formula-safe CSV.
func (r *Report) WriteCSV(w io.Writer) error {
	c := export.NewCSV(w)
	if err := r.WriteRows(c); err != nil {
		return err
	}
	return c.Flush()
}

// WriteXLSX writes the report as a workbook with one sheet.
func (r *Report) WriteXLSX(w io.Writer) error {
	x, err := export.NewXLSX("SLA report")
	if err != nil {
		return err
	}
	if err := r.WriteRows(x); err != nil {
		return err
	}
	_, err = x.WriteTo(w)
	return err
}
