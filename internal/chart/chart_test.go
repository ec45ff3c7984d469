package chart

import (
	"bytes"
	"encoding/xml"
	"flag"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// badNumber matches what strconv/fmt print for non-finite floats.
var badNumber = regexp.MustCompile(`NaN|Inf\b|e\+?308`)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// svgInfo is what the tests learn from parsing a chart with encoding/xml.
type svgInfo struct {
	counts map[string]int    // element local name → count
	attrs  map[string]string // attributes of the root <svg>
	text   string            // all character data, unescaped
	hrefs  []string
}

// parse checks that out is well-formed XML with a single <svg> root and
// returns element counts.
func parse(t *testing.T, out template.HTML) svgInfo {
	t.Helper()
	info := svgInfo{counts: map[string]int{}, attrs: map[string]string{}}
	dec := xml.NewDecoder(strings.NewReader(string(out)))
	dec.Strict = true
	depth, roots := 0, 0
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("invalid XML: %v\n%s", err, out)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if el.Name.Local != "svg" {
					t.Fatalf("root element is <%s>, want <svg>", el.Name.Local)
				}
				for _, a := range el.Attr {
					info.attrs[a.Name.Local] = a.Value
				}
			}
			for _, a := range el.Attr {
				if a.Name.Local == "href" {
					info.hrefs = append(info.hrefs, a.Value)
				}
			}
			info.counts[el.Name.Local]++
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			text.Write(el)
			text.WriteByte('\n')
		}
	}
	if roots != 1 {
		t.Fatalf("got %d root elements, want 1", roots)
	}
	info.text = text.String()
	return info
}

// checkCommon verifies the accessibility/responsiveness contract and the
// absence of NaN/Inf.
func checkCommon(t *testing.T, out template.HTML) svgInfo {
	t.Helper()
	s := string(out)
	if m := badNumber.FindString(s); m != "" {
		t.Errorf("output contains %q:\n%s", m, s)
	}
	for _, bad := range []string{"<script", "javascript:"} {
		if strings.Contains(s, bad) {
			t.Errorf("output contains %q:\n%s", bad, s)
		}
	}
	info := parse(t, out)
	if info.attrs["role"] != "img" {
		t.Errorf(`root role = %q, want "img"`, info.attrs["role"])
	}
	if info.attrs["width"] != "100%" {
		t.Errorf(`root width = %q, want "100%%"`, info.attrs["width"])
	}
	if _, ok := info.attrs["height"]; ok {
		t.Errorf("root must not have a fixed height")
	}
	if !strings.HasPrefix(info.attrs["viewBox"], "0 0 ") {
		t.Errorf("missing viewBox: %q", info.attrs["viewBox"])
	}
	if !strings.Contains(" "+info.attrs["class"]+" ", " chart ") {
		t.Errorf("root class %q lacks chart", info.attrs["class"])
	}
	if info.counts["title"] < 1 || info.counts["desc"] != 1 {
		t.Errorf("want <title> and one <desc>, got %v", info.counts)
	}
	// <title> must be the first child for assistive technology.
	if i := strings.Index(s, ">"); !strings.HasPrefix(s[i+1:], "<title") {
		t.Errorf("first child of <svg> is not <title>")
	}
	return info
}

func isEmpty(info svgInfo) bool {
	return strings.Contains(info.attrs["class"], "chart-empty")
}

var (
	day0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	nan  = math.NaN()
	inf  = math.Inf(1)
)

func days(vals ...float64) []Point {
	ps := make([]Point, len(vals))
	for i, v := range vals {
		ps[i] = Point{T: day0.AddDate(0, 0, i), V: v}
	}
	return ps
}

// renderAll renders every chart type for a list of values, used by the
// edge-case table.
func renderAll(vals []float64, opt Options) map[string]template.HTML {
	bars := make([]Bar, len(vals))
	rows := make([]StackRow, len(vals))
	cells := make([][]Cell, 1)
	cols := make([]string, len(vals))
	for i, v := range vals {
		l := string(rune('A' + i%26))
		bars[i] = Bar{Label: l, Value: v}
		rows[i] = StackRow{Label: l, Values: []float64{v, v / 2}}
		cells[0] = append(cells[0], Cell{Value: v})
		cols[i] = l
	}
	return map[string]template.HTML{
		"hbar":    HBar("t", bars, opt),
		"stacked": StackedHBar("t", []string{"x", "y"}, rows, opt),
		"line":    Line("t", []Series{{Name: "s", Points: days(vals...)}}, opt),
		"heatmap": Heatmap("t", []string{"r"}, cols, cells, opt),
		"donut":   Donut("t", bars, opt),
	}
}

func TestEdgeCases(t *testing.T) {
	tests := []struct {
		name      string
		vals      []float64
		opt       Options
		wantEmpty bool
	}{
		{"empty", nil, Options{}, true},
		{"single", []float64{42}, Options{}, false},
		{"single zero", []float64{0}, Options{}, true},
		{"all zeros", []float64{0, 0, 0}, Options{}, true},
		{"negative", []float64{-5, 3, -1e6}, Options{}, false},
		{"all negative", []float64{-5, -3}, Options{}, false},
		{"huge", []float64{1e12, 3e12, 1}, Options{Unit: "€"}, false},
		{"enormous", []float64{math.MaxFloat64, -math.MaxFloat64, 1}, Options{}, false},
		{"tiny", []float64{1e-9, 2e-9}, Options{}, false},
		{"nan inf", []float64{nan, inf, -inf, 2}, Options{}, false},
		{"only nan", []float64{nan, nan}, Options{}, true},
		{"percent", []float64{12.5, 99.9, 140}, Options{Percent: true}, false},
		{"tiny viewbox", []float64{1, 2, 3}, Options{Width: 1, Height: 1}, false},
		{"negative viewbox", []float64{1, 2}, Options{Width: -10, Height: -10}, false},
	}
	for _, tc := range tests {
		for kind, out := range renderAll(tc.vals, tc.opt) {
			t.Run(tc.name+"/"+kind, func(t *testing.T) {
				info := checkCommon(t, out)
				wantEmpty := tc.wantEmpty
				if (kind == "donut" || kind == "stacked") && tc.name == "all negative" {
					wantEmpty = true // negative slices/segments count as 0
				}
				if isEmpty(info) != wantEmpty {
					t.Errorf("empty = %v, want %v\n%s", isEmpty(info), wantEmpty, out)
				}
				if wantEmpty && !strings.Contains(info.text, defaultMsg) {
					t.Errorf("empty chart lacks message %q", defaultMsg)
				}
			})
		}
	}
}

func TestEmptyMessage(t *testing.T) {
	out := Line("Risk trend", nil, Options{Empty: `Nothing <here> "yet"`})
	info := checkCommon(t, out)
	if !strings.Contains(info.text, `Nothing <here> "yet"`) {
		t.Errorf("custom empty message missing: %s", out)
	}
	if strings.Contains(string(out), "<here>") {
		t.Errorf("empty message not escaped")
	}
	if Heatmap("x", nil, []string{"a"}, nil, Options{}) == "" {
		t.Error("heatmap without rows returned nothing")
	}
}

const evil = `<script>alert("x")</script> & 'q'`

func TestEscaping(t *testing.T) {
	bars := []Bar{{Label: evil, Value: 3, Note: evil, Href: "/x?a=1&b=" + `"><script>`}, {Label: "ok\x00\x1b\xff", Value: 1}}
	charts := map[string]template.HTML{
		"hbar":    HBar(evil, bars, Options{Unit: evil}),
		"stacked": StackedHBar(evil, []string{evil, "b"}, []StackRow{{Label: evil, Values: []float64{1, 2}}}, Options{}),
		"line":    Line(evil, []Series{{Name: evil, Points: days(1, 2)}, {Name: "b", Points: days(2, 1)}}, Options{}),
		"heatmap": Heatmap(evil, []string{evil}, []string{evil}, [][]Cell{{{Value: 1, Label: evil}}}, Options{}),
		"donut":   Donut(evil, bars, Options{}),
		"empty":   HBar(evil, nil, Options{Empty: evil}),
	}
	for kind, out := range charts {
		t.Run(kind, func(t *testing.T) {
			info := checkCommon(t, out)
			if !strings.Contains(string(out), "&lt;script&gt;") {
				t.Errorf("escaped label missing:\n%s", out)
			}
			if !strings.Contains(info.text, `<script>alert("x")`) {
				t.Errorf("label does not round-trip through XML parsing")
			}
		})
	}
}

func TestHrefs(t *testing.T) {
	bars := []Bar{
		{Label: "rel", Value: 1, Href: "/devices?cat=a&b=1"},
		{Label: "abs", Value: 2, Href: "https://example.org/x"},
		{Label: "js", Value: 3, Href: "javascript:alert(1)"},
		{Label: "JS", Value: 3, Href: " JaVaScRiPt:alert(1)"},
		{Label: "tab", Value: 3, Href: "java\tscript:alert(1)"},
		{Label: "data", Value: 3, Href: "data:text/html,<script>"},
		{Label: "none", Value: 4},
	}
	info := checkCommon(t, HBar("t", bars, Options{}))
	if info.counts["a"] != 2 {
		t.Fatalf("got %d links, want 2 (unsafe ones dropped): %v", info.counts["a"], info.hrefs)
	}
	if info.hrefs[0] != "/devices?cat=a&b=1" || info.hrefs[1] != "https://example.org/x" {
		t.Errorf("hrefs = %q", info.hrefs)
	}
}

func TestHBarStructure(t *testing.T) {
	long := strings.Repeat("Ventilator ", 20)
	bars := []Bar{
		{Label: "Infusion pumps", Value: 12345, Href: "/a"},
		{Label: long, Value: 2, Note: "two"},
		{Label: "Monitors", Value: 0, Href: "/c"},
	}
	out := HBar("Devices", bars, Options{})
	info := checkCommon(t, out)
	if got := info.counts["rect"]; got != 3 {
		t.Errorf("rects = %d, want 3", got)
	}
	if got := info.counts["a"]; got != 2 {
		t.Errorf("links = %d, want 2", got)
	}
	for _, want := range []string{"12,345", "Infusion pumps", "…", strings.TrimSpace(long) + ": 2 — two"} {
		if !strings.Contains(info.text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	// Sorted as given.
	if strings.Index(info.text, "Infusion") > strings.Index(info.text, "Monitors") {
		t.Error("order of bars not preserved")
	}
	if !strings.Contains(string(HBar("p", []Bar{{Label: "x", Value: 42.5}}, Options{Percent: true})), "42.5%") {
		t.Error("percent formatting missing")
	}
}

func TestStackedStructure(t *testing.T) {
	series := []string{"Low", "Medium", "High"}
	rows := []StackRow{
		{Label: "ICU", Values: []float64{10, 5, 1}, Href: "/icu"},
		{Label: "Radiology", Values: []float64{3, 0}},              // missing + zero
		{Label: "Lab", Values: []float64{1, 1, 1, 99}, Href: "/l"}, // extra ignored
	}
	info := checkCommon(t, StackedHBar("Risk", series, rows, Options{}))
	// 3 legend swatches + 3 + 1 + 3 non-zero segments.
	if got := info.counts["rect"]; got != 3+3+1+3 {
		t.Errorf("rects = %d, want 10", got)
	}
	if got := info.counts["a"]; got != 2 {
		t.Errorf("links = %d, want 2", got)
	}
	for _, want := range []string{"Low", "Medium", "High", "16", "ICU — Medium: 5"} {
		if !strings.Contains(info.text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

func TestLineStructure(t *testing.T) {
	series := []Series{
		{Name: "Actual", Points: days(10, 20, nan, 40, 50)},
		{Name: "Target", Points: days(30, 40, 50, 60, 70), Dashed: true},
	}
	out := Line("Coverage", series, Options{Percent: true})
	info := checkCommon(t, out)
	if got := info.counts["path"]; got != 2 {
		t.Errorf("paths = %d, want 2", got)
	}
	if got := info.counts["circle"]; got != 9 {
		t.Errorf("markers = %d, want 9 (NaN skipped)", got)
	}
	if !strings.Contains(string(out), "stroke-dasharray") {
		t.Error("dashed series not dashed")
	}
	// NaN splits the path into two sub-paths.
	_, d, _ := strings.Cut(string(out), `class="line chart-s0" d="`)
	d, _, _ = strings.Cut(d, `"`)
	if strings.Count(d, "M") != 2 {
		t.Errorf("gap not rendered: d=%q", d)
	}
	for _, want := range []string{"100%", "0%", "Actual", "Target", "1 Jan"} {
		if !strings.Contains(info.text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	// Unsorted input and a single point.
	one := checkCommon(t, Line("x", []Series{{Name: "s", Points: []Point{{T: day0, V: 3}}}}, Options{}))
	if one.counts["circle"] != 1 || isEmpty(one) {
		t.Errorf("single point: %v", one.counts)
	}
	// Many points: no markers, still one path.
	var many []Point
	for i := 0; i < 400; i++ {
		many = append(many, Point{T: day0.Add(time.Duration(i) * time.Hour), V: float64(i % 17)})
	}
	big := checkCommon(t, Line("x", []Series{{Points: many}}, Options{}))
	if big.counts["circle"] != 0 || big.counts["path"] != 1 {
		t.Errorf("many points: %v", big.counts)
	}
}

func TestHeatmapStructure(t *testing.T) {
	rows := []string{"High", "Low"}
	cols := []string{"Rare", "Likely", "Certain"}
	cells := [][]Cell{
		{{Value: 0}, {Value: 5, Href: "/r?i=h&l=l"}, {Value: 10, Label: "10 risks", Href: "/x"}},
		{{Value: 1}}, // ragged: missing cells are empty
	}
	out := Heatmap("Risk map", rows, cols, cells, Options{})
	info := checkCommon(t, out)
	if got := info.counts["rect"]; got != 6 {
		t.Errorf("rects = %d, want 6", got)
	}
	if got := info.counts["a"]; got != 2 {
		t.Errorf("links = %d, want 2", got)
	}
	s := string(out)
	for _, want := range []string{"heat-0", "heat-2", "heat-4", "heat-1"} {
		if !strings.Contains(s, `"cell `+want+`"`) {
			t.Errorf("missing class %s", want)
		}
	}
	if !strings.Contains(info.text, "High × Certain: 10 risks") {
		t.Errorf("cell tooltip missing")
	}
}

func TestDonutStructure(t *testing.T) {
	slices := []Bar{{Label: "Active", Value: 3, Href: "/a"}, {Label: "Expired", Value: 1}, {Label: "Zero", Value: 0}}
	info := checkCommon(t, Donut("Contracts", slices, Options{}))
	if got := info.counts["path"]; got != 2 {
		t.Errorf("slices = %d, want 2", got)
	}
	if got := info.counts["a"]; got != 2 { // arc + legend entry
		t.Errorf("links = %d, want 2", got)
	}
	for _, want := range []string{"75%", "25%", "0%", "4"} {
		if !strings.Contains(info.text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	full := checkCommon(t, Donut("x", []Bar{{Label: "All", Value: 7}}, Options{}))
	if full.counts["path"] != 1 {
		t.Errorf("full ring: %v", full.counts)
	}
}

func TestOptionsSize(t *testing.T) {
	info := checkCommon(t, HBar("x", []Bar{{Label: "a", Value: 1}}, Options{Width: 800, Height: 300}))
	if info.attrs["viewBox"] != "0 0 800 300" {
		t.Errorf("viewBox = %q", info.attrs["viewBox"])
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		v    float64
		opt  Options
		want string
	}{
		{12345, Options{}, "12,345"},
		{-1234567.4, Options{}, "-1,234,567"},
		{999, Options{}, "999"},
		{1000, Options{}, "1,000"},
		{0.5, Options{}, "0.5"},
		{3.14159, Options{}, "3.14"},
		{42.26, Options{Percent: true}, "42.3%"},
		{1e12, Options{}, "1,000,000,000,000"},
		{1200, Options{Unit: "€"}, "1,200\u00a0€"},
		{-0.001, Options{}, "0"},
		{nan, Options{}, "0"},
	}
	for _, tc := range tests {
		if got := formatValue(tc.v, tc.opt); got != tc.want {
			t.Errorf("formatValue(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
	if got := formatPct(0.001); got != "<1%" {
		t.Errorf("formatPct tiny = %q", got)
	}
}

func TestNiceScale(t *testing.T) {
	tests := []struct {
		lo, hi     float64
		n          int
		wlo, whi   float64
		wantTicks  int
		wantStepLE float64
	}{
		{0, 87, 5, 0, 100, 6, 20},
		{0, 100, 5, 0, 100, 6, 20},
		{0, 1, 4, 0, 1, 3, 0.5},
		{-13, 42, 5, -20, 60, 5, 20},
		{0, 0, 5, 0, 1, 6, 0.2},
		{0, 1e12, 5, 0, 1e12, 6, 2e11},
	}
	for _, tc := range tests {
		lo, hi, step := niceScale(tc.lo, tc.hi, tc.n)
		tk := ticks(lo, hi, step)
		if lo != tc.wlo || hi != tc.whi || len(tk) != tc.wantTicks || step > tc.wantStepLE {
			t.Errorf("niceScale(%v,%v,%d) = %v..%v step %v (%d ticks)", tc.lo, tc.hi, tc.n, lo, hi, step, len(tk))
		}
	}
}

func TestTimeTicks(t *testing.T) {
	tests := []struct {
		span time.Duration
		unit timeUnit
	}{
		{10 * time.Hour, unitHour},
		{6 * 24 * time.Hour, unitDay},
		{40 * 24 * time.Hour, unitWeek},
		{300 * 24 * time.Hour, unitMonth},
		{8 * 365 * 24 * time.Hour, unitYear},
		{250 * 365 * 24 * time.Hour, unitYear},
	}
	for _, tc := range tests {
		t0 := time.Date(2024, 11, 3, 5, 0, 0, 0, time.UTC)
		tk, st := timeTicks(t0, t0.Add(tc.span), 7)
		if st.unit != tc.unit || len(tk) < 2 || len(tk) > 7 {
			t.Errorf("span %v: unit %v, %d ticks %v", tc.span, st.unit, len(tk), tk)
		}
	}
	t0 := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	if tk, _ := timeTicks(t0, t0.AddDate(9000, 0, 0), 7); len(tk) < 2 || len(tk) > 7 {
		t.Errorf("9000 years: %v", tk)
	}
}

// TestCSSPalette keeps the CSS constant and the fallback colours in sync.
func TestCSSPalette(t *testing.T) {
	for i, c := range palette {
		want := ".chart-s" + string(rune('0'+i)) + "{--c:var(--chart-s" + string(rune('0'+i)) + "," + c + ")}"
		if !strings.Contains(CSS, want) {
			t.Errorf("CSS lacks %s", want)
		}
	}
	for i, c := range heatPalette {
		want := ".heat-" + string(rune('0'+i)) + "{--h:var(--chart-heat-" + string(rune('0'+i)) + "," + c + ")}"
		if !strings.Contains(CSS, want) {
			t.Errorf("CSS lacks %s", want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := HBar("x", []Bar{{Label: "a", Value: 1}}, Options{})
	b := HBar("x", []Bar{{Label: "a", Value: 1}}, Options{})
	c := HBar("y", []Bar{{Label: "a", Value: 1}}, Options{})
	if a != b {
		t.Error("output not deterministic")
	}
	if parse(t, a).attrs["aria-labelledby"] == parse(t, c).attrs["aria-labelledby"] {
		t.Error("different charts share ids")
	}
}

// golden renders representative charts and compares them with
// testdata/<name>.svg; run `go test ./internal/chart/ -update` to refresh.
func TestGolden(t *testing.T) {
	month := func(i int) time.Time { return day0.AddDate(0, i, 0) }
	var actual, target []Point
	for i := 0; i < 12; i++ {
		actual = append(actual, Point{T: month(i), V: 20 + float64(i*i)/2})
		target = append(target, Point{T: month(i), V: 30 + float64(i)*5})
	}
	golden := map[string]template.HTML{
		"hbar": HBar("Devices by category", []Bar{
			{Label: "Infusion pumps", Value: 12345, Href: "/devices?cat=infusion"},
			{Label: "Patient monitors", Value: 8210, Note: "incl. telemetry"},
			{Label: "Ventilators and anaesthesia workstations", Value: 1720},
			{Label: "Ultrasound", Value: 95},
		}, Options{}),
		"stacked": StackedHBar("Risk class by department", []string{"Low", "Medium", "High", "Critical"}, []StackRow{
			{Label: "ICU", Values: []float64{120, 80, 40, 12}, Href: "/dept/icu"},
			{Label: "Radiology", Values: []float64{200, 40, 10, 2}},
			{Label: "Emergency", Values: []float64{60, 50, 45, 20}},
		}, Options{}),
		"line": Line("Correlation coverage", []Series{
			{Name: "Actual", Points: actual},
			{Name: "Target", Points: target, Dashed: true},
		}, Options{Percent: true}),
		"heatmap": Heatmap("Risk map", []string{"Major", "Moderate", "Minor"}, []string{"Rare", "Possible", "Likely"},
			[][]Cell{
				{{Value: 1}, {Value: 4, Href: "/risks?i=3&l=2"}, {Value: 9}},
				{{Value: 0}, {Value: 3}, {Value: 5}},
				{{Value: 2}, {Value: 1}, {Value: 0}},
			}, Options{}),
		"donut": Donut("Contracts by status", []Bar{
			{Label: "Active", Value: 312, Href: "/contracts?s=active"},
			{Label: "Expiring", Value: 41},
			{Label: "Expired", Value: 17},
		}, Options{}),
		"empty": Line("Risk trend", nil, Options{}),
	}
	for name, out := range golden {
		t.Run(name, func(t *testing.T) {
			checkCommon(t, out)
			path := filepath.Join("testdata", name+".svg")
			got := []byte(string(out) + "\n")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from golden file; run `go test ./internal/chart/ -update` and review the diff", path)
			}
		})
	}
}
