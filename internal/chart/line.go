package chart

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
	"time"
)

// Point is one observation of a time series.
type Point struct {
	T time.Time
	V float64
}

// Series is one line of a Line chart. Points need not be sorted. A NaN
// value leaves a gap in the line.
type Series struct {
	Name   string
	Points []Point
	Dashed bool // e.g. for targets/forecasts
}

// maxMarkers is the per-series point count up to which every point gets a
// marker with a tooltip.
const maxMarkers = 60

// Line renders a time-series line chart with calendar-aligned date ticks on
// the x axis, a y axis from 0 (or the negative minimum) to a nice rounded
// maximum (0–100 with opt.Percent), light horizontal gridlines and, for more
// than one series, a legend on top.
func Line(title string, series []Series, opt Options) template.HTML {
	opt = opt.withDefaults(defaultW, 280)
	data := make([][]linePt, len(series))
	var tmin, tmax time.Time
	vmin, vmax := 0.0, 0.0
	have, nonZero := false, false
	for i, s := range series {
		ps := make([]linePt, 0, len(s.Points))
		for _, p := range s.Points {
			if math.IsNaN(p.V) || math.IsInf(p.V, 0) {
				ps = append(ps, linePt{t: p.T, gap: true})
				continue
			}
			v := clean(p.V)
			ps = append(ps, linePt{t: p.T, v: v})
			if !have || p.T.Before(tmin) {
				tmin = p.T
			}
			if !have || p.T.After(tmax) {
				tmax = p.T
			}
			have = true
			nonZero = nonZero || v != 0
			vmin, vmax = math.Min(vmin, v), math.Max(vmax, v)
		}
		sort.SliceStable(ps, func(a, b int) bool { return ps[a].t.Before(ps[b].t) })
		data[i] = ps
	}
	if !have || !nonZero {
		return emptyChart("line", title, opt)
	}
	dataFrom, dataTo := tmin, tmax
	if !tmax.After(tmin) {
		tmin, tmax = tmin.AddDate(0, 0, -1), tmax.AddDate(0, 0, 1)
	}
	if opt.Percent {
		vmax = math.Max(vmax, 100)
	}
	W, H := float64(opt.Width), float64(opt.Height)

	var b strings.Builder
	top := 6.0
	if len(series) > 1 {
		leg := make([]legendItem, len(series))
		for i, s := range series {
			leg[i] = legendItem{name: s.Name, series: i, dashed: s.Dashed, line: true}
		}
		svg, h := legend(leg, 0, 0, W)
		b.WriteString(svg)
		top += h + 4
	}
	yBottom := H - 24
	if yBottom < top+20 {
		yBottom = top + 20
	}
	lo, hi, step := niceScale(vmin, vmax, max(2, int((yBottom-top)/45)))
	yt := ticks(lo, hi, step)
	dec := stepDecimals(step)
	tickText := make([]string, len(yt))
	left := 0.0
	for i, v := range yt {
		tickText[i] = withUnit(formatNumber(v, dec), opt)
		left = math.Max(left, textWidth(tickText[i], smallFont))
	}
	x0, x1 := left+10, W-28
	if x1 < x0+20 {
		x1 = x0 + 20
	}
	f0, f1 := unixF(tmin), unixF(tmax)
	sx := func(t time.Time) float64 { return x0 + (unixF(t)-f0)/(f1-f0)*(x1-x0) }
	sy := func(v float64) float64 { return yBottom - (v-lo)/(hi-lo)*(yBottom-top) }

	// Gridlines and y tick labels.
	for i, v := range yt {
		cls, col := "grid", "#e5e7eb"
		if v == 0 {
			cls, col = "axis", "#9ca3af"
		}
		y := sy(v)
		fmt.Fprintf(&b, `<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, cls, num(x0), num(y), num(x1), num(y), col)
		fmt.Fprintf(&b, `<text class="tick" x="%s" y="%s" dy="0.35em" text-anchor="end" font-size="11" fill="#6b7280">%s</text>`,
			num(x0-6), num(y), esc(tickText[i]))
	}
	// X ticks.
	xt, ts := timeTicks(tmin, tmax, max(2, int((x1-x0)/80)))
	for _, t := range xt {
		x := sx(t)
		fmt.Fprintf(&b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#9ca3af"/>`, num(x), num(yBottom), num(x), num(yBottom+4))
		label := ts.label(t)
		lx, anchor := x, "middle"
		if hw := textWidth(label, smallFont) / 2; x-hw < 0 {
			lx, anchor = math.Max(0, x-4), "start"
		} else if x+hw > W {
			lx, anchor = math.Min(W, x+4), "end"
		}
		fmt.Fprintf(&b, `<text class="tick" x="%s" y="%s" text-anchor="%s" font-size="11" fill="#6b7280">%s</text>`,
			num(lx), num(yBottom+16), anchor, esc(label))
	}

	// Lines, then markers on top.
	items := make([]string, 0, len(series))
	for i, s := range series {
		cls, col := seriesClass(i)
		name := strings.TrimSpace(sanitize(s.Name))
		if name == "" {
			name = fmt.Sprintf("Series %d", i+1)
		}
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		var d strings.Builder
		var first, last *linePt
		lmin, lmax := math.Inf(1), math.Inf(-1)
		segLen := 0
		isolated := map[int]bool{}
		ps := data[i]
		for k := range ps {
			p := &ps[k]
			if p.gap {
				if segLen == 1 {
					isolated[k-1] = true
				}
				segLen = 0
				continue
			}
			cmd := "L"
			if segLen == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%s %s", cmd, num(sx(p.t)), num(sy(p.v)))
			segLen++
			if first == nil {
				first = p
			}
			last = p
			lmin, lmax = math.Min(lmin, p.v), math.Max(lmax, p.v)
		}
		if segLen == 1 {
			isolated[len(ps)-1] = true
		}
		if d.Len() > 0 {
			fmt.Fprintf(&b, `<path class="line %s" d="%s" fill="none" stroke="%s" stroke-width="2"%s><title>%s</title></path>`,
				cls, d.String(), col, dash, esc(name))
		}
		markers := len(ps) <= maxMarkers
		for k, p := range ps {
			if p.gap || !(markers || isolated[k]) {
				continue
			}
			fmt.Fprintf(&b, `<circle class="marker %s" cx="%s" cy="%s" r="3" fill="#fff" stroke="%s" stroke-width="1.5"><title>%s</title></circle>`,
				cls, num(sx(p.t)), num(sy(p.v)), col,
				esc(name+" — "+p.t.Format("2 Jan 2006")+": "+formatValue(p.v, opt)))
		}
		if last != nil {
			items = append(items, fmt.Sprintf("%s: %d points, latest %s on %s (min %s, max %s)",
				name, countPoints(ps), formatValue(last.v, opt), last.t.Format("2 Jan 2006"),
				formatValue(lmin, opt), formatValue(lmax, opt)))
		} else {
			items = append(items, name+": no data")
		}
	}
	desc := summarize(fmt.Sprintf("Line chart with %d series from %s to %s.", len(series),
		dataFrom.Format("2 Jan 2006"), dataTo.Format("2 Jan 2006")), items)
	return svgDoc("line", title, desc, W, H, b.String())
}

type linePt struct {
	t   time.Time
	v   float64
	gap bool
}

func countPoints(ps []linePt) int {
	n := 0
	for _, p := range ps {
		if !p.gap {
			n++
		}
	}
	return n
}
