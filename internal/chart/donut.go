package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Donut renders a small donut chart with the total in the centre and a
// legend (label and percentage share) on the right. Negative values count
// as 0. A slice with an Href links both its arc and its legend entry (the
// arc link is skipped in keyboard order, the legend entry is focusable).
func Donut(title string, slices []Bar, opt Options) template.HTML {
	const rowH = 22.0
	opt = opt.withDefaults(defaultW, max(180, int(16+rowH*float64(len(slices)))))
	vals := make([]float64, len(slices))
	total := 0.0
	for i, s := range slices {
		vals[i] = math.Max(0, clean(s.Value))
		total += vals[i]
	}
	total = clean(total)
	if total <= 0 {
		return emptyChart("donut", title, opt)
	}
	W, H := float64(opt.Width), float64(opt.Height)
	R := math.Max(10, math.Min(H, W*0.45)/2-4)
	r := R * 0.6
	cx, cy := R+4, H/2

	var b strings.Builder
	items := make([]string, len(slices))
	a := -math.Pi / 2
	for i, s := range slices {
		share := vals[i] / total
		label := strings.TrimSpace(sanitize(s.Label))
		items[i] = label + ": " + formatValue(vals[i], opt) + " (" + formatPct(share) + ")"
		if vals[i] == 0 {
			continue
		}
		tip := items[i]
		if note := strings.TrimSpace(s.Note); note != "" {
			tip += " — " + note
		}
		cls, col := seriesClass(i)
		closeTag := openLink(&b, "row", s.Href, tip, true)
		var d string
		if share >= 0.99999 {
			d = fmt.Sprintf("M%s %sA%s %s 0 1 1 %s %sA%s %s 0 1 1 %s %sZM%s %sA%s %s 0 1 0 %s %sA%s %s 0 1 0 %s %sZ",
				num(cx-R), num(cy), num(R), num(R), num(cx+R), num(cy), num(R), num(R), num(cx-R), num(cy),
				num(cx-r), num(cy), num(r), num(r), num(cx+r), num(cy), num(r), num(r), num(cx-r), num(cy))
		} else {
			a1 := a + share*2*math.Pi
			large := 0
			if share > 0.5 {
				large = 1
			}
			d = fmt.Sprintf("M%s %sA%s %s 0 %d 1 %s %sL%s %sA%s %s 0 %d 0 %s %sZ",
				num(cx+R*math.Cos(a)), num(cy+R*math.Sin(a)), num(R), num(R), large, num(cx+R*math.Cos(a1)), num(cy+R*math.Sin(a1)),
				num(cx+r*math.Cos(a1)), num(cy+r*math.Sin(a1)), num(r), num(r), large, num(cx+r*math.Cos(a)), num(cy+r*math.Sin(a)))
			a = a1
		}
		fmt.Fprintf(&b, `<path class="slice %s" d="%s" fill="%s" fill-rule="evenodd" stroke="#fff" stroke-width="1.5"/>`, cls, d, col)
		b.WriteString(closeTag)
	}
	if !opt.Percent {
		fmt.Fprintf(&b, `<text class="donut-total" x="%s" y="%s" dy="0.35em" text-anchor="middle" font-size="%s" font-weight="600">%s</text>`,
			num(cx), num(cy), num(math.Max(10, math.Min(18, r*0.5))), esc(formatValue(total, opt)))
	}

	// Legend.
	lx := cx + R + 20
	pctW := textWidth("100%", fontSize) + 4
	labelW := W - lx - 18 - pctW - 8
	longest := 0.0
	for _, s := range slices {
		longest = math.Max(longest, textWidth(strings.TrimSpace(sanitize(s.Label)), fontSize))
	}
	labelW = math.Min(labelW, longest)
	px := math.Min(W-4, lx+16+labelW+12+pctW)
	ly := cy - rowH*float64(len(slices))/2
	b.WriteString(`<g class="legend">`)
	for i, s := range slices {
		cls, col := seriesClass(i)
		mid := ly + float64(i)*rowH + rowH/2
		closeTag := openLink(&b, "row", s.Href, items[i], false)
		fmt.Fprintf(&b, `<rect class="swatch %s" x="%s" y="%s" width="10" height="10" rx="2" fill="%s"/>`, cls, num(lx), num(mid-5), col)
		fmt.Fprintf(&b, `<text class="label" x="%s" y="%s" dy="0.35em">%s</text>`, num(lx+16), num(mid), esc(truncate(s.Label, labelW, fontSize)))
		fmt.Fprintf(&b, `<text class="value" x="%s" y="%s" dy="0.35em" text-anchor="end">%s</text>`, num(px), num(mid), esc(formatPct(vals[i]/total)))
		b.WriteString(closeTag)
	}
	b.WriteString(`</g>`)
	desc := summarize(fmt.Sprintf("Donut chart with %d slices, total %s.", len(slices), formatValue(total, opt)), items)
	return svgDoc("donut", title, desc, W, H, b.String())
}
