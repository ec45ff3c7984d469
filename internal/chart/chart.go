// Package chart renders small, accessible charts as inline SVG for
// server-rendered pages. It has no JavaScript and no external assets: every
// function returns a self-contained <svg> element as template.HTML that can
// be dropped straight into an html/template.
//
// Every chart is responsive (viewBox plus width="100%", no fixed pixel size),
// carries role="img" with a <title> and a generated <desc> (a plain-text
// summary of the data for screen readers), and escapes all user-provided
// text. Links (Href fields) are only emitted for relative, http(s), mailto:
// and tel: URLs; anything else (javascript:, data:, ...) is dropped.
//
// # Styling
//
// Charts are themed with CSS classes and custom properties; include the
// CSS constant in the application stylesheet (or write your own rules).
// Series colours are also emitted as presentation attributes, so a chart
// still looks reasonable without any stylesheet; CSS rules override them.
// Text uses currentColor, so charts follow the surrounding text colour.
//
// Classes on the root <svg>:
//
//	chart                       every chart
//	chart-hbar, chart-stacked, chart-line, chart-heatmap, chart-donut
//	chart-empty                 placeholder rendered for empty/all-zero data
//
// Classes inside the chart:
//
//	chart-s0 … chart-s7         series colour (index modulo 8); sets --c
//	bar                         bar of HBar
//	seg, seg-label              segment of StackedHBar and its inner value
//	line, marker                line path and point marker of Line
//	slice, donut-total          donut slice, total printed in the centre
//	cell, heat-0 … heat-4, cell-label   heatmap cell group, intensity, text
//	label                       category label (row, column, legend text)
//	value                       value label at a bar end / legend percentage
//	tick                        axis tick label
//	grid                        light gridline
//	axis                        baseline / axis line
//	legend, swatch, swatch-line legend group and its colour keys
//	empty-msg                   message text of the empty placeholder
//	row                         one bar row (<a> when it has an Href, else <g>)
//
// CSS custom properties (all optional): --chart-s0 … --chart-s7,
// --chart-heat-0 … --chart-heat-4, --chart-grid, --chart-axis,
// --chart-muted, --chart-bg, --chart-focus.
package chart

import (
	"fmt"
	"hash/fnv"
	"html"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Options controls size and formatting common to all charts.
type Options struct {
	// Width and Height are viewBox units (≈ CSS px at 1:1 scale).
	// Zero selects a sensible default per chart type; bar-like charts
	// derive the default height from the number of rows.
	Width, Height int
	// Percent means values are percentages (0–100): they are printed with
	// a "%" suffix and value axes span 0–100 (wider if data exceeds it).
	Percent bool
	// Unit is appended to printed values ("12,345 €"); ignored if Percent.
	Unit string
	// Empty is the message shown when there is no (non-zero) data.
	// Default "No data yet".
	Empty string
}

// Bar is one bar of HBar or one slice of Donut.
type Bar struct {
	Label string
	Value float64
	Href  string // optional link: the whole bar row (label, bar, value) links to it
	Note  string // optional extra tooltip text
}

const (
	fontSize    = 12.0 // default label size (viewBox units)
	smallFont   = 11.0 // tick labels
	charW       = 0.58 // average glyph width as a fraction of font size
	maxValue    = 1e300
	defaultW    = 560
	defaultMsg  = "No data yet"
	descMaxItem = 20
)

// palette is the default series palette (muted, colour-blind friendly-ish).
// Keep in sync with CSS (checked by a test).
var palette = [8]string{
	"#4c72b0", // s0 blue
	"#dd8452", // s1 orange
	"#55a868", // s2 green
	"#c44e52", // s3 red
	"#8172b3", // s4 purple
	"#937860", // s5 brown
	"#da8bc3", // s6 pink
	"#8c8c8c", // s7 grey
}

// heatPalette is the default sequential heatmap scale, low → high.
var heatPalette = [5]string{"#f1f3f5", "#fbe3b0", "#f4b97f", "#e4845c", "#c0463e"}

// CSS holds the default chart rules. Include it in the page stylesheet,
// e.g. <style>{{.ChartCSS}}</style> with template.CSS(chart.CSS), or copy it
// into a static .css file. Override the custom properties to re-theme.
const CSS = `svg.chart{display:block;width:100%;height:auto;overflow:visible;font-size:12px}
.chart text{fill:currentColor}
.chart .tick,.chart .empty-msg{fill:var(--chart-muted,#6b7280)}
.chart .tick{font-size:11px}
.chart .grid{stroke:var(--chart-grid,#e5e7eb);stroke-width:1}
.chart .axis{stroke:var(--chart-axis,#9ca3af);stroke-width:1}
.chart .chart-s0{--c:var(--chart-s0,#4c72b0)}
.chart .chart-s1{--c:var(--chart-s1,#dd8452)}
.chart .chart-s2{--c:var(--chart-s2,#55a868)}
.chart .chart-s3{--c:var(--chart-s3,#c44e52)}
.chart .chart-s4{--c:var(--chart-s4,#8172b3)}
.chart .chart-s5{--c:var(--chart-s5,#937860)}
.chart .chart-s6{--c:var(--chart-s6,#da8bc3)}
.chart .chart-s7{--c:var(--chart-s7,#8c8c8c)}
.chart .bar,.chart .seg,.chart .slice,.chart .swatch{fill:var(--c)}
.chart .slice{stroke:var(--chart-bg,#fff);stroke-width:1.5}
.chart .line,.chart .swatch-line{fill:none;stroke:var(--c);stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
.chart .marker{fill:var(--chart-bg,#fff);stroke:var(--c);stroke-width:1.5}
.chart .seg-label{fill:#fff;font-size:11px}
.chart .donut-total{font-size:18px;font-weight:600}
.chart .heat-0{--h:var(--chart-heat-0,#f1f3f5)}
.chart .heat-1{--h:var(--chart-heat-1,#fbe3b0)}
.chart .heat-2{--h:var(--chart-heat-2,#f4b97f)}
.chart .heat-3{--h:var(--chart-heat-3,#e4845c)}
.chart .heat-4{--h:var(--chart-heat-4,#c0463e)}
.chart .cell rect{fill:var(--h)}
.chart .cell .cell-label{fill:#1f2937;font-weight:600}
.chart .heat-4 .cell-label{fill:#fff}
.chart a{cursor:pointer}
.chart a:hover .bar,.chart a:hover .seg,.chart a:hover .slice,.chart a:hover rect{opacity:.82}
.chart a:hover .label{text-decoration:underline}
.chart a:focus{outline:none}
.chart a:focus-visible .bar,.chart a:focus-visible .seg,.chart a:focus-visible .slice,.chart a:focus-visible rect{stroke:var(--chart-focus,#1d4ed8);stroke-width:2}
.chart a:focus-visible .label{text-decoration:underline}
`

func (o Options) withDefaults(w, h int) Options {
	if o.Width <= 0 {
		o.Width = w
	}
	if o.Width < 120 {
		o.Width = 120
	}
	if o.Height <= 0 {
		o.Height = h
	}
	if o.Height < 40 {
		o.Height = 40
	}
	if strings.TrimSpace(o.Empty) == "" {
		o.Empty = defaultMsg
	}
	return o
}

// clean maps NaN and ±Inf to 0 and clamps huge magnitudes so that sums and
// scales stay finite.
func clean(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return math.Max(-maxValue, math.Min(maxValue, v))
}

// num formats an SVG coordinate: one decimal, never NaN/Inf, never "-0".
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	x = math.Round(x*10) / 10
	if x == 0 {
		return "0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// sanitize makes s valid UTF-8 and removes characters that are not allowed
// in XML (control characters other than tab/newline/CR, U+FFFE, U+FFFF).
func sanitize(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20, r == 0x7f, r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, s)
}

// esc sanitizes and escapes text for element content or attribute values.
func esc(s string) string { return html.EscapeString(sanitize(s)) }

// safeHref returns the escaped href and true if u is a safe link target.
func safeHref(u string) (string, bool) {
	u = strings.TrimSpace(u)
	if u == "" {
		return "", false
	}
	for _, r := range u {
		if r < 0x20 || r == 0x7f {
			return "", false
		}
	}
	p, err := url.Parse(u)
	if err != nil {
		return "", false
	}
	switch strings.ToLower(p.Scheme) {
	case "", "http", "https", "mailto", "tel":
	default:
		return "", false
	}
	return html.EscapeString(u), true
}

// textWidth estimates the rendered width of s at font size fs.
func textWidth(s string, fs float64) float64 {
	return float64(utf8.RuneCountInString(s)) * fs * charW
}

// truncate shortens s with an ellipsis so that it fits into maxW.
func truncate(s string, maxW, fs float64) string {
	s = strings.TrimSpace(sanitize(s))
	if textWidth(s, fs) <= maxW {
		return s
	}
	n := int(maxW/(fs*charW)) - 1
	if n < 1 {
		return "…"
	}
	r := []rune(s)
	if n > len(r) {
		n = len(r)
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}

// formatNumber prints v with thousands separators and at most dec decimals
// (trailing zeros trimmed).
func formatNumber(v float64, dec int) string {
	v = clean(v)
	if math.Abs(v) >= 1e15 {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	if dec < 0 {
		dec = 0
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}

// autoDecimals chooses how many decimals to print for a value.
func autoDecimals(v float64) int {
	a := math.Abs(v)
	switch {
	case a >= 100 || a == math.Trunc(a):
		return 0
	case a >= 10:
		return 1
	default:
		return 2
	}
}

// formatValue prints a data value with unit or percent sign.
func formatValue(v float64, opt Options) string {
	return withUnit(formatNumber(v, autoDecimals(v)), opt)
}

func withUnit(s string, opt Options) string {
	if opt.Percent {
		return s + "%"
	}
	if u := strings.TrimSpace(opt.Unit); u != "" {
		if u == "%" {
			return s + u
		}
		return s + "\u00a0" + u
	}
	return s
}

// formatPct prints a share (0..1) as a whole percentage, "<1%" for tiny
// non-zero shares.
func formatPct(share float64) string {
	p := share * 100
	if p > 0 && p < 0.5 {
		return "<1%"
	}
	return strconv.FormatFloat(math.Round(p), 'f', 0, 64) + "%"
}

// summarize joins data items for <desc>, capped to keep it readable.
func summarize(prefix string, items []string) string {
	if len(items) > descMaxItem {
		rest := len(items) - descMaxItem
		items = append(items[:descMaxItem:descMaxItem], fmt.Sprintf("and %d more", rest))
	}
	if len(items) == 0 {
		return prefix
	}
	return prefix + " " + strings.Join(items, "; ") + "."
}

// svgDoc wraps a chart body into the accessible <svg> root element.
func svgDoc(kind, title, desc string, w, h float64, body string) template.HTML {
	hs := fnv.New32a()
	fmt.Fprintf(hs, "%s\x00%s\x00%s\x00%s", kind, title, desc, body)
	id := fmt.Sprintf("chart-%08x", hs.Sum32())
	if strings.TrimSpace(title) == "" {
		title = "Chart"
	}
	var b strings.Builder
	b.Grow(len(body) + 512)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-%s" viewBox="0 0 %s %s" width="100%%" preserveAspectRatio="xMinYMin meet" font-size="12" role="img" aria-labelledby="%s-t" aria-describedby="%s-d">`,
		kind, num(w), num(h), id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(desc))
	b.WriteString(body)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// emptyChart renders the small placeholder shown when there is no data.
func emptyChart(kind, title string, opt Options) template.HTML {
	w := float64(opt.Width)
	h := 56.0
	body := fmt.Sprintf(`<rect class="grid" x="0.5" y="0.5" width="%s" height="%s" rx="4" fill="none" stroke="#e5e7eb" stroke-dasharray="4 3"/><text class="empty-msg" x="%s" y="%s" dy="0.35em" text-anchor="middle" fill="#6b7280">%s</text>`,
		num(w-1), num(h-1), num(w/2), num(h/2), esc(opt.Empty))
	return svgDoc(kind+" chart-empty", title, opt.Empty, w, h, body)
}

// seriesClass returns the palette class and fallback colour for index i.
func seriesClass(i int) (string, string) {
	if i < 0 {
		i = -i
	}
	return "chart-s" + strconv.Itoa(i%len(palette)), palette[i%len(palette)]
}

// openLink starts a row/cell container: an <a> when href is safe, else <g>.
// It returns the closing tag.
func openLink(b *strings.Builder, class, href, tooltip string, tabindex bool) string {
	if h, ok := safeHref(href); ok {
		ti := ""
		if tabindex {
			ti = ` tabindex="-1" aria-hidden="true"`
		}
		fmt.Fprintf(b, `<a class="%s" href="%s"%s>`, class, h, ti)
		if tooltip != "" {
			fmt.Fprintf(b, `<title>%s</title>`, esc(tooltip))
		}
		return `</a>`
	}
	fmt.Fprintf(b, `<g class="%s">`, class)
	if tooltip != "" {
		fmt.Fprintf(b, `<title>%s</title>`, esc(tooltip))
	}
	return `</g>`
}

// legendItem is one entry of a horizontal legend.
type legendItem struct {
	name   string
	series int
	dashed bool
	line   bool
}

// legend draws a wrapping horizontal legend starting at (x, y) within width
// maxW and returns the SVG and the height used.
func legend(items []legendItem, x, y, maxW float64) (string, float64) {
	if len(items) == 0 {
		return "", 0
	}
	const rowH = 20.0
	var b strings.Builder
	b.WriteString(`<g class="legend">`)
	cx, cy := x, y
	for _, it := range items {
		label := truncate(it.name, maxW*0.6, fontSize)
		w := 24 + textWidth(label, fontSize) + 16
		if cx > x && cx+w > x+maxW {
			cx = x
			cy += rowH
		}
		cls, col := seriesClass(it.series)
		mid := cy + rowH/2
		if it.line {
			dash := ""
			if it.dashed {
				dash = ` stroke-dasharray="5 3"`
			}
			fmt.Fprintf(&b, `<line class="swatch-line %s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"%s/>`,
				cls, num(cx), num(mid), num(cx+18), num(mid), col, dash)
		} else {
			fmt.Fprintf(&b, `<rect class="swatch %s" x="%s" y="%s" width="10" height="10" rx="2" fill="%s"/>`,
				cls, num(cx+4), num(mid-5), col)
		}
		fmt.Fprintf(&b, `<text class="label" x="%s" y="%s" dy="0.35em">%s</text>`, num(cx+24), num(mid), esc(label))
		cx += w
	}
	b.WriteString(`</g>`)
	return b.String(), cy - y + rowH
}
