package doc

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
)

// palette is the series colour cycle shared by the PDF drawing, the PNG
// picture and the DOCX legend, so a series has one colour everywhere.
// It is the Okabe–Ito palette, distinguishable with colour-vision
// deficiencies.
var palette = []color.RGBA{
	{0, 114, 178, 255},   // blue
	{230, 159, 0, 255},   // orange
	{0, 158, 115, 255},   // bluish green
	{204, 121, 167, 255}, // reddish purple
	{86, 180, 233, 255},  // sky blue
	{213, 94, 0, 255},    // vermillion
	{240, 228, 66, 255},  // yellow
	{0, 0, 0, 255},       // black
}

func seriesColor(i int) color.RGBA { return palette[i%len(palette)] }

// scale returns the value axis range and tick step for a chart: it always
// includes zero, stacks for stacked charts, and rounds to a 1-2-5 step.
func (c Chart) scale() (lo, hi, step float64) {
	n := len(c.Categories)
	for _, s := range c.Series {
		n = max(n, len(s.Values))
	}
	for i := 0; i < n; i++ {
		pos, neg := 0.0, 0.0
		for _, s := range c.Series {
			v := value(s.Values, i)
			if c.Kind == StackedChart {
				if v > 0 {
					pos += v
				} else {
					neg += v
				}
			} else {
				pos, neg = math.Max(pos, v), math.Min(neg, v)
			}
		}
		hi, lo = math.Max(hi, pos), math.Min(lo, neg)
	}
	if hi == lo {
		hi = 1
	}
	step = niceStep((hi - lo) / 5)
	lo = math.Floor(lo/step) * step
	hi = math.Ceil(hi/step) * step
	return lo, hi, step
}

func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	exp := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / exp; {
	case f <= 1:
		return exp
	case f <= 2:
		return 2 * exp
	case f <= 5:
		return 5 * exp
	}
	return 10 * exp
}

// points returns the number of categories the chart has data for.
func (c Chart) points() int {
	n := len(c.Categories)
	for _, s := range c.Series {
		n = max(n, len(s.Values))
	}
	return min(n, 500)
}

// geometry is a chart's layout in abstract units, shared by the PDF and
// PNG renderers: rect callbacks receive bars, line callbacks line segments.
type plotter struct {
	rect func(x, y, w, h float64, col color.RGBA)
	line func(x1, y1, x2, y2, width float64, col color.RGBA)
}

// plot draws the chart's bars or lines into the box (x, y, w, h), y growing
// downwards, without text: axes, gridlines and data.
func (c Chart) plot(p plotter, x, y, w, h float64) {
	lo, hi, step := c.scale()
	grey := color.RGBA{200, 200, 200, 255}
	dark := color.RGBA{80, 80, 80, 255}
	ypos := func(v float64) float64 { return y + h - (v-lo)/(hi-lo)*h }
	for t := lo; t <= hi+step/2; t += step {
		p.line(x, ypos(t), x+w, ypos(t), 0.2, grey)
	}
	n := c.points()
	if n == 0 || len(c.Series) == 0 {
		p.line(x, ypos(0), x+w, ypos(0), 0.5, dark)
		return
	}
	slot := w / float64(n)
	switch c.Kind {
	case LineChart:
		for si, s := range c.Series {
			col := seriesColor(si)
			for i := 0; i < n; i++ {
				cx := x + slot*(float64(i)+0.5)
				cy := ypos(value(s.Values, i))
				if i > 0 {
					px := x + slot*(float64(i)-0.5)
					p.line(px, ypos(value(s.Values, i-1)), cx, cy, 0.8, col)
				}
				d := math.Min(slot/6, h/60+0.5)
				p.rect(cx-d, cy-d, 2*d, 2*d, col)
			}
		}
	case StackedChart:
		bw := slot * 0.6
		for i := 0; i < n; i++ {
			pos, neg := 0.0, 0.0
			bx := x + slot*float64(i) + (slot-bw)/2
			for si, s := range c.Series {
				v := value(s.Values, i)
				base := &pos
				if v < 0 {
					base = &neg
				}
				y0, y1 := ypos(*base), ypos(*base+v)
				*base += v
				p.rect(bx, math.Min(y0, y1), bw, math.Abs(y1-y0), seriesColor(si))
			}
		}
	default:
		gw := slot * 0.8
		bw := gw / float64(len(c.Series))
		for i := 0; i < n; i++ {
			for si, s := range c.Series {
				v := value(s.Values, i)
				bx := x + slot*float64(i) + (slot-gw)/2 + bw*float64(si)
				y0, y1 := ypos(0), ypos(v)
				p.rect(bx, math.Min(y0, y1), bw*0.92, math.Abs(y1-y0), seriesColor(si))
			}
		}
	}
	p.line(x, ypos(0), x+w, ypos(0), 0.5, dark)
	p.line(x, y, x, y+h, 0.5, dark)
}

// ChartPNG draws the chart's data (bars or lines, gridlines and axes, no
// text: the standard library has no font rasteriser) as a PNG picture of
// the given pixel size. DOCX output embeds it above the chart's data table,
// which carries the labels and a colour key.
func ChartPNG(c Chart, width, height int) ([]byte, error) {
	width, height = min(max(width, 16), 4000), min(max(height, 16), 4000)
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	fill := func(x0, y0, x1, y1 int, col color.RGBA) {
		r := image.Rect(x0, y0, x1, y1).Intersect(img.Bounds())
		draw.Draw(img, r, &image.Uniform{col}, image.Point{}, draw.Src)
	}
	p := plotter{
		rect: func(x, y, w, h float64, col color.RGBA) {
			fill(int(math.Round(x)), int(math.Round(y)), int(math.Round(x+w)), int(math.Round(y+h)), col)
		},
		line: func(x1, y1, x2, y2, lw float64, col color.RGBA) {
			t := max(1, int(math.Round(lw*2)))
			steps := int(math.Max(math.Abs(x2-x1), math.Abs(y2-y1))) + 1
			for i := 0; i <= steps; i++ {
				f := float64(i) / float64(steps)
				px := int(math.Round(x1 + (x2-x1)*f))
				py := int(math.Round(y1 + (y2-y1)*f))
				fill(px-t/2, py-t/2, px-t/2+t, py-t/2+t, col)
			}
		},
	}
	m := float64(min(width, height)) * 0.05
	c.plot(p, m, m, float64(width)-2*m, float64(height)-2*m)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
