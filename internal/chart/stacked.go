package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// StackRow is one row of a stacked bar chart; Values[i] belongs to series[i]
// (missing values count as 0, extra values are ignored).
type StackRow struct {
	Label  string
	Values []float64
	Href   string // optional link for the whole row
}

// StackedHBar renders horizontal stacked bars with a legend on top. Negative
// values are treated as 0. The row total is printed at the bar end and a
// segment's value inside it when it fits. With opt.Percent the values are
// taken as percentages (e.g. rows that sum to 100).
func StackedHBar(title string, series []string, rows []StackRow, opt Options) template.HTML {
	const rowH0 = 28.0
	W0 := opt.Width
	if W0 <= 0 {
		W0 = defaultW
	}
	W0 = max(W0, 120)
	// Legend height depends on the width, so lay it out first.
	leg := make([]legendItem, len(series))
	for i, s := range series {
		leg[i] = legendItem{name: s, series: i}
	}
	legSVG, legH := legend(leg, 0, 0, float64(W0))
	opt = opt.withDefaults(W0, int(legH+12+rowH0*float64(max(len(rows), 1))))

	vals := make([][]float64, len(rows))
	totals := make([]float64, len(rows))
	maxT := 0.0
	for r, row := range rows {
		vals[r] = make([]float64, len(series))
		for s := range series {
			if s < len(row.Values) {
				vals[r][s] = math.Max(0, clean(row.Values[s]))
			}
			totals[r] += vals[r][s]
		}
		totals[r] = clean(totals[r])
		maxT = math.Max(maxT, totals[r])
	}
	if maxT == 0 || len(series) == 0 {
		return emptyChart("stacked", title, opt)
	}
	if opt.Percent {
		maxT = math.Max(maxT, 100)
	}
	W, H := float64(opt.Width), float64(opt.Height)
	top := legH + 10
	rowH := (H - top - 4) / float64(len(rows))
	barH := math.Min(rowH*0.64, 24)

	labelW, valW := 0.0, 0.0
	texts := make([]string, len(rows))
	for r, row := range rows {
		labelW = math.Max(labelW, textWidth(strings.TrimSpace(sanitize(row.Label)), fontSize))
		texts[r] = formatValue(totals[r], opt)
		valW = math.Max(valW, textWidth(texts[r], fontSize)+6)
	}
	labelW = math.Min(labelW, W*0.32)
	x0 := labelW + 10
	x1 := W - 4 - valW
	if x1 < x0+10 {
		x1 = x0 + 10
	}
	scale := (x1 - x0) / maxT

	var b strings.Builder
	b.WriteString(legSVG)
	items := make([]string, len(rows))
	for r, row := range rows {
		full := strings.TrimSpace(sanitize(row.Label))
		parts := make([]string, 0, len(series))
		for s, name := range series {
			parts = append(parts, strings.TrimSpace(sanitize(name))+" "+formatValue(vals[r][s], opt))
		}
		items[r] = full + ": " + strings.Join(parts, ", ") + " (total " + texts[r] + ")"
		y := top + float64(r)*rowH
		mid := y + rowH/2
		closeTag := openLink(&b, "row", row.Href, items[r], false)
		fmt.Fprintf(&b, `<text class="label" x="%s" y="%s" dy="0.35em" text-anchor="end">%s</text>`,
			num(labelW), num(mid), esc(truncate(row.Label, labelW, fontSize)))
		x := x0
		for s, v := range vals[r] {
			if v == 0 {
				continue
			}
			w := v * scale
			cls, col := seriesClass(s)
			segText := formatValue(v, opt)
			fmt.Fprintf(&b, `<rect class="seg %s" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
				cls, num(x), num(mid-barH/2), num(w), num(barH), col,
				esc(full+" — "+strings.TrimSpace(sanitize(series[s]))+": "+segText))
			if textWidth(segText, 11)+8 <= w && barH >= 14 {
				fmt.Fprintf(&b, `<text class="seg-label" x="%s" y="%s" dy="0.35em" text-anchor="middle" font-size="11" fill="#fff">%s</text>`,
					num(x+w/2), num(mid), esc(segText))
			}
			x += w
		}
		fmt.Fprintf(&b, `<text class="value" x="%s" y="%s" dy="0.35em">%s</text>`, num(x+5), num(mid), esc(texts[r]))
		b.WriteString(closeTag)
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#9ca3af"/>`, num(x0), num(top-2), num(x0), num(H-2))
	desc := summarize(fmt.Sprintf("Stacked horizontal bar chart with %d rows and series %s.", len(rows), strings.Join(series, ", ")), items)
	return svgDoc("stacked", title, desc, W, H, b.String())
}
