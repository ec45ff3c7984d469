package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Cell is one heatmap cell. Value drives the colour intensity; Label is the
// text printed in the cell (default: the formatted Value, blank for 0).
type Cell struct {
	Value float64
	Label string
	Href  string // optional link for the cell
}

// Heatmap renders a grid of len(rows) × len(cols) cells, cells[r][c]
// (missing cells count as empty). Row labels are drawn on the left (first
// row at the top), column labels below. Colour intensity uses five classes
// heat-0 … heat-4: heat-0 is the minimum (0), heat-1…heat-4 are the four
// quarters of the range up to the maximum value. For impact × likelihood
// risk maps pass impact as rows (highest first) and likelihood as columns.
func Heatmap(title string, rows, cols []string, cells [][]Cell, opt Options) template.HTML {
	W0 := max(opt.Width, 0)
	if W0 == 0 {
		W0 = defaultW
	}
	W0 = max(W0, 120)
	rowLabelW := 0.0
	for _, r := range rows {
		rowLabelW = math.Max(rowLabelW, textWidth(strings.TrimSpace(sanitize(r)), fontSize))
	}
	rowLabelW = math.Min(rowLabelW, float64(W0)*0.28)
	const gap, bottom = 3.0, 24.0
	cellW0 := (float64(W0) - rowLabelW - 10) / float64(max(len(cols), 1))
	cellH0 := math.Max(28, math.Min(cellW0*0.62, 56))
	opt = opt.withDefaults(W0, int(math.Ceil(4+cellH0*float64(max(len(rows), 1))+bottom)))

	get := func(r, c int) Cell {
		if r < len(cells) && c < len(cells[r]) {
			return cells[r][c]
		}
		return Cell{}
	}
	lo, hi := 0.0, 0.0
	nonZero := false
	for r := range rows {
		for c := range cols {
			v := clean(get(r, c).Value)
			nonZero = nonZero || v != 0
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if len(rows) == 0 || len(cols) == 0 || !nonZero {
		return emptyChart("heatmap", title, opt)
	}
	W, H := float64(opt.Width), float64(opt.Height)
	x0 := rowLabelW + 10
	cellW := (W - x0) / float64(len(cols))
	cellH := (H - 4 - bottom) / float64(len(rows))

	var b strings.Builder
	items := make([]string, 0, len(rows)*len(cols))
	for r, rowName := range rows {
		y := 4 + float64(r)*cellH
		fmt.Fprintf(&b, `<text class="label" x="%s" y="%s" dy="0.35em" text-anchor="end">%s</text>`,
			num(rowLabelW), num(y+cellH/2), esc(truncate(rowName, rowLabelW, fontSize)))
		for c, colName := range cols {
			cell := get(r, c)
			v := clean(cell.Value)
			step := int(math.Ceil((v - lo) / (hi - lo) * 4))
			step = max(0, min(4, step))
			label := strings.TrimSpace(sanitize(cell.Label))
			if label == "" && v != 0 {
				label = formatValue(v, opt)
			}
			name := strings.TrimSpace(sanitize(rowName)) + " × " + strings.TrimSpace(sanitize(colName))
			tip := name
			if label != "" {
				tip += ": " + label
			}
			if label != "" {
				items = append(items, tip)
			}
			x := x0 + float64(c)*cellW
			closeTag := openLink(&b, fmt.Sprintf("cell heat-%d", step), cell.Href, tip, false)
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="%s"/>`,
				num(x+gap/2), num(y+gap/2), num(math.Max(0, cellW-gap)), num(math.Max(0, cellH-gap)), heatPalette[step])
			if label != "" {
				fill := "#1f2937"
				if step == 4 {
					fill = "#fff"
				}
				fmt.Fprintf(&b, `<text class="cell-label" x="%s" y="%s" dy="0.35em" text-anchor="middle" fill="%s" font-weight="600">%s</text>`,
					num(x+cellW/2), num(y+cellH/2), fill, esc(truncate(label, cellW-8, fontSize)))
			}
			b.WriteString(closeTag)
		}
	}
	for c, colName := range cols {
		fmt.Fprintf(&b, `<text class="label" x="%s" y="%s" text-anchor="middle">%s</text>`,
			num(x0+float64(c)*cellW+cellW/2), num(H-8), esc(truncate(colName, cellW-4, fontSize)))
	}
	desc := summarize(fmt.Sprintf("Heatmap with %d rows (%s) and %d columns (%s).",
		len(rows), strings.Join(rows, ", "), len(cols), strings.Join(cols, ", ")), items)
	return svgDoc("heatmap", title, desc, W, H, b.String())
}
