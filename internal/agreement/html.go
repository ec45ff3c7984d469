package agreement

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/medsec/medsec/internal/chart"
	"github.com/medsec/medsec/internal/doc"
)

// HTMLBody renders a document's sections as an HTML fragment; charts
// become server-side SVG (internal/chart), never scripts.
func HTMLBody(d *doc.Document) template.HTML {
	var b strings.Builder
	esc := template.HTMLEscapeString
	for _, s := range d.Sections {
		lvl := min(max(s.Level, 1), 3) + 1
		if s.Heading != "" {
			fmt.Fprintf(&b, "<h%d>%s</h%d>\n", lvl, esc(s.Heading), lvl)
		}
		for _, bl := range s.Blocks {
			switch v := bl.(type) {
			case doc.Paragraph:
				b.WriteString("<p>")
				for _, r := range v.Runs {
					t := strings.ReplaceAll(esc(r.Text), "\n", "<br>")
					if r.Bold {
						t = "<strong>" + t + "</strong>"
					}
					b.WriteString(t)
				}
				b.WriteString("</p>\n")
			case doc.BulletList:
				b.WriteString("<ul>")
				for _, it := range v.Items {
					fmt.Fprintf(&b, "<li>%s</li>", esc(it))
				}
				b.WriteString("</ul>\n")
			case doc.KeyValue:
				if v.Title != "" {
					fmt.Fprintf(&b, "<h%d>%s</h%d>", lvl+1, esc(v.Title), lvl+1)
				}
				b.WriteString("<dl class=\"kv\">")
				for _, kv := range v.Items {
					fmt.Fprintf(&b, "<dt>%s</dt><dd>%s</dd>", esc(kv.Key), esc(kv.Value))
				}
				b.WriteString("</dl>\n")
			case doc.Table:
				writeTable(&b, v)
			case doc.Chart:
				b.WriteString(string(chartSVG(v)))
				b.WriteString("\n")
			}
		}
	}
	return template.HTML(b.String())
}

func writeTable(b *strings.Builder, t doc.Table) {
	esc := template.HTMLEscapeString
	b.WriteString("<table class=\"list\">")
	if t.Caption != "" {
		fmt.Fprintf(b, "<caption>%s</caption>", esc(t.Caption))
	}
	if len(t.Header) > 0 {
		b.WriteString("<thead><tr>")
		for _, h := range t.Header {
			fmt.Fprintf(b, "<th scope=\"col\">%s</th>", esc(h))
		}
		b.WriteString("</tr></thead>")
	}
	b.WriteString("<tbody>")
	for _, r := range t.Rows {
		b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(b, "<td>%s</td>", esc(c))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>\n")
}

// chartSVG draws a doc.Chart with internal/chart: line charts over dates,
// bar charts as (stacked) horizontal bars.
func chartSVG(c doc.Chart) template.HTML {
	opt := chart.Options{Width: 900, Percent: c.Unit == "%", Unit: c.Unit}
	if c.Unit == "%" {
		opt.Unit = ""
	}
	switch c.Kind {
	case doc.LineChart:
		var ss []chart.Series
		for _, s := range c.Series {
			cs := chart.Series{Name: s.Name}
			for i, cat := range c.Categories {
				t, err := time.Parse("2006-01-02", cat)
				if err != nil || i >= len(s.Values) {
					continue
				}
				cs.Points = append(cs.Points, chart.Point{T: t, V: s.Values[i]})
			}
			ss = append(ss, cs)
		}
		opt.Height = 300
		return chart.Line(c.Title, ss, opt)
	default:
		names := make([]string, len(c.Series))
		for i, s := range c.Series {
			names[i] = s.Name
		}
		var rows []chart.StackRow
		for i, cat := range c.Categories {
			row := chart.StackRow{Label: cat}
			for _, s := range c.Series {
				v := 0.0
				if i < len(s.Values) {
					v = s.Values[i]
				}
				row.Values = append(row.Values, v)
			}
			rows = append(rows, row)
		}
		return chart.StackedHBar(c.Title, names, rows, opt)
	}
}

// WriteHTML writes a document as a standalone HTML page (the review pack's
// html format): no scripts, no external resources.
func WriteHTML(w io.Writer, d *doc.Document) error {
	esc := template.HTMLEscapeString
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title><style>%s\nbody{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1d2430}table.list{border-collapse:collapse;margin:1em 0}table.list th,table.list td{border:1px solid #ccd;padding:.25em .6em;text-align:left}caption{font-weight:600;text-align:left}dl.kv{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}</style></head><body>\n",
		esc(d.Title), chart.CSS)
	fmt.Fprintf(&b, "<h1>%s</h1>\n", esc(d.Title))
	if d.Subtitle != "" {
		fmt.Fprintf(&b, "<p>%s</p>\n", esc(d.Subtitle))
	}
	if len(d.Meta) > 0 {
		b.WriteString("<dl class=\"kv\">")
		for _, kv := range d.Meta {
			fmt.Fprintf(&b, "<dt>%s</dt><dd>%s</dd>", esc(kv.Key), esc(kv.Value))
		}
		b.WriteString("</dl>\n")
	}
	b.WriteString(string(HTMLBody(d)))
	b.WriteString("</body></html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
