package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// HBar renders a horizontal bar chart, one row per bar in the given order.
// Values are printed at the bar ends; negative values grow leftwards from a
// zero baseline. Labels longer than about a third of the width are
// truncated with an ellipsis (the full label is in the row's <title>).
// A bar with an Href makes its whole row (label, bar and value) a link.
func HBar(title string, bars []Bar, opt Options) template.HTML {
	const rowH0 = 28.0
	opt = opt.withDefaults(defaultW, int(8+rowH0*float64(max(len(bars), 1))))
	vals := make([]float64, len(bars))
	nonZero := false
	lo, hi := 0.0, 0.0
	for i, b := range bars {
		vals[i] = clean(b.Value)
		nonZero = nonZero || vals[i] != 0
		lo, hi = math.Min(lo, vals[i]), math.Max(hi, vals[i])
	}
	if !nonZero {
		return emptyChart("hbar", title, opt)
	}
	if opt.Percent {
		hi = math.Max(hi, 100)
	}
	W, H := float64(opt.Width), float64(opt.Height)
	n := float64(len(bars))
	rowH := (H - 8) / n
	barH := math.Min(rowH*0.64, 24)

	labels := make([]string, len(bars))
	texts := make([]string, len(bars))
	labelW, posW, negW := 0.0, 0.0, 0.0
	for i, b := range bars {
		labelW = math.Max(labelW, textWidth(strings.TrimSpace(sanitize(b.Label)), fontSize))
		texts[i] = formatValue(vals[i], opt)
		tw := textWidth(texts[i], fontSize) + 6
		if vals[i] < 0 {
			negW = math.Max(negW, tw)
		} else {
			posW = math.Max(posW, tw)
		}
	}
	labelW = math.Min(labelW, W*0.32)
	for i, b := range bars {
		labels[i] = truncate(b.Label, labelW, fontSize)
	}
	x0 := labelW + 10 + negW
	x1 := W - 4 - posW
	if x1 < x0+10 {
		x1 = x0 + 10
	}
	scale := func(v float64) float64 { return x0 + (v-lo)/(hi-lo)*(x1-x0) }
	zx := scale(0)

	var b strings.Builder
	items := make([]string, len(bars))
	for i, bar := range bars {
		full := strings.TrimSpace(sanitize(bar.Label))
		items[i] = full + ": " + texts[i]
		tip := items[i]
		if note := strings.TrimSpace(bar.Note); note != "" {
			tip += " — " + note
		}
		y := 4 + float64(i)*rowH
		mid := y + rowH/2
		closeTag := openLink(&b, "row", bar.Href, tip, false)
		fmt.Fprintf(&b, `<text class="label" x="%s" y="%s" dy="0.35em" text-anchor="end">%s</text>`,
			num(labelW), num(mid), esc(labels[i]))
		bx, bw := zx, scale(vals[i])-zx
		vx, anchor := scale(vals[i])+5, "start"
		if bw < 0 {
			bx, bw = zx+bw, -bw
			vx, anchor = scale(vals[i])-5, "end"
		}
		fmt.Fprintf(&b, `<rect class="bar chart-s0" x="%s" y="%s" width="%s" height="%s" rx="2" fill="%s"/>`,
			num(bx), num(mid-barH/2), num(bw), num(barH), palette[0])
		fmt.Fprintf(&b, `<text class="value" x="%s" y="%s" dy="0.35em" text-anchor="%s">%s</text>`,
			num(vx), num(mid), anchor, esc(texts[i]))
		b.WriteString(closeTag)
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%s" y1="2" x2="%s" y2="%s" stroke="#9ca3af"/>`, num(zx), num(zx), num(H-2))
	desc := summarize(fmt.Sprintf("Horizontal bar chart with %d bars.", len(bars)), items)
	return svgDoc("hbar", title, desc, W, H, b.String())
}
