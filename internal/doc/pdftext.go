package doc

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
)

// ExtractPDFText returns the text of a PDF as written by WritePDF (and
// fpdf generally): pages in /Pages order separated by a form feed line,
// text fragments grouped into lines by baseline, top to bottom, and
// fragments on one line joined directly, by a space, or by a tab when they
// are far apart (table cells). It understands uncompressed and
// FlateDecode content streams, the Tj, TJ, ' and " operators, string
// escapes and hex strings, and decodes bytes as Windows-1252 (the core
// fonts' encoding). It is a test aid, not a general PDF parser.
func ExtractPDFText(r io.ReaderAt, size int64) (string, error) {
	data, err := io.ReadAll(io.NewSectionReader(r, 0, size))
	if err != nil {
		return "", err
	}
	objs := pdfObjects(data)
	pages, err := pdfPages(objs)
	if err != nil {
		return "", err
	}
	var out []string
	measure := newMeasurer()
	for i, pg := range pages {
		content, err := pdfPageContent(objs, pg)
		if err != nil {
			return "", fmt.Errorf("pdf: page %d: %w", i+1, err)
		}
		fonts := pdfFonts(objs, pg)
		frags, err := textFragments(content, fonts, measure)
		if err != nil {
			return "", fmt.Errorf("pdf: page %d: %w", i+1, err)
		}
		if i > 0 {
			out = append(out, "\f")
		}
		out = append(out, layoutLines(frags)...)
	}
	return strings.Join(out, "\n") + "\n", nil
}

var objRE = regexp.MustCompile(`(?m)^(\d+) 0 obj\b`)

// pdfObjects maps object numbers to their bodies (up to "endobj").
func pdfObjects(data []byte) map[int][]byte {
	objs := map[int][]byte{}
	locs := objRE.FindAllSubmatchIndex(data, -1)
	for i, l := range locs {
		n, _ := strconv.Atoi(string(data[l[2]:l[3]]))
		end := len(data)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		body := data[l[1]:end]
		// Cut at the endobj that follows the stream, if any.
		if s := bytes.Index(body, []byte("endstream")); s >= 0 {
			if e := bytes.Index(body[s:], []byte("endobj")); e >= 0 {
				body = body[:s+e]
			}
		} else if e := bytes.LastIndex(body, []byte("endobj")); e >= 0 {
			body = body[:e]
		}
		objs[n] = body
	}
	return objs
}

var refRE = regexp.MustCompile(`(\d+) 0 R`)

func dictOf(obj []byte) []byte {
	if i := bytes.Index(obj, []byte("stream")); i >= 0 {
		return obj[:i]
	}
	return obj
}

// pdfPages returns page object numbers in document order, walking the
// page tree from the catalog.
func pdfPages(objs map[int][]byte) ([]int, error) {
	root := -1
	for n, o := range objs {
		if bytes.Contains(dictOf(o), []byte("/Type /Catalog")) {
			root = n
		}
	}
	if root < 0 {
		return nil, errors.New("pdf: no catalog")
	}
	m := regexp.MustCompile(`/Pages (\d+) 0 R`).FindSubmatch(objs[root])
	if m == nil {
		return nil, errors.New("pdf: catalog has no /Pages")
	}
	n, _ := strconv.Atoi(string(m[1]))
	var pages []int
	seen := map[int]bool{}
	var walk func(n int) error
	walk = func(n int) error {
		if seen[n] {
			return errors.New("pdf: page tree loops")
		}
		seen[n] = true
		d := dictOf(objs[n])
		kids := regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`).FindSubmatch(d)
		if kids == nil {
			pages = append(pages, n)
			return nil
		}
		for _, k := range refRE.FindAllSubmatch(kids[1], -1) {
			kn, _ := strconv.Atoi(string(k[1]))
			if err := walk(kn); err != nil {
				return err
			}
		}
		return nil
	}
	return pages, walk(n)
}

func pdfPageContent(objs map[int][]byte, page int) ([]byte, error) {
	d := dictOf(objs[page])
	var refs [][]byte
	if m := regexp.MustCompile(`/Contents\s*\[([^\]]*)\]`).FindSubmatch(d); m != nil {
		refs = [][]byte{m[1]}
	} else if m := regexp.MustCompile(`/Contents (\d+ 0 R)`).FindSubmatch(d); m != nil {
		refs = [][]byte{m[1]}
	}
	var out []byte
	for _, r := range refs {
		for _, k := range refRE.FindAllSubmatch(r, -1) {
			n, _ := strconv.Atoi(string(k[1]))
			s, err := pdfStream(objs[n])
			if err != nil {
				return nil, err
			}
			out = append(append(out, s...), '\n')
		}
	}
	return out, nil
}

var lengthRE = regexp.MustCompile(`/Length (\d+)(\s+0 R)?`)

// pdfStream returns an object's decoded stream data.
func pdfStream(obj []byte) ([]byte, error) {
	i := bytes.Index(obj, []byte("stream"))
	if i < 0 {
		return nil, errors.New("not a stream")
	}
	dict := obj[:i]
	start := i + len("stream")
	if start < len(obj) && obj[start] == '\r' {
		start++
	}
	if start < len(obj) && obj[start] == '\n' {
		start++
	}
	end := bytes.LastIndex(obj, []byte("endstream"))
	if end < start {
		return nil, errors.New("unterminated stream")
	}
	raw := obj[start:end]
	if m := lengthRE.FindSubmatch(dict); m != nil && m[2] == nil {
		if l, err := strconv.Atoi(string(m[1])); err == nil && l <= len(raw) {
			raw = raw[:l]
		}
	}
	if !bytes.Contains(dict, []byte("/FlateDecode")) {
		return raw, nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("flate: %w", err)
	}
	defer zr.Close()
	return io.ReadAll(io.LimitReader(zr, 512<<20))
}

// pdfFonts maps a page's font resource names to base font names.
func pdfFonts(objs map[int][]byte, page int) map[string]string {
	res := dictOf(objs[page])
	if m := regexp.MustCompile(`/Resources (\d+) 0 R`).FindSubmatch(res); m != nil {
		n, _ := strconv.Atoi(string(m[1]))
		res = dictOf(objs[n])
	}
	fonts := map[string]string{}
	m := regexp.MustCompile(`/Font\s*<<([^>]*)>>`).FindSubmatch(res)
	if m == nil {
		return fonts
	}
	for _, e := range regexp.MustCompile(`/(\S+)\s+(\d+) 0 R`).FindAllSubmatch(m[1], -1) {
		n, _ := strconv.Atoi(string(e[2]))
		if b := regexp.MustCompile(`/BaseFont /(\S+)`).FindSubmatch(dictOf(objs[n])); b != nil {
			fonts[string(e[1])] = string(b[1])
		}
	}
	return fonts
}

type fragment struct {
	x, y, size, width float64
	text              string
}

// textFragments interprets a content stream's text operators.
func textFragments(content []byte, fonts map[string]string, measure func(string, float64, []byte) float64) ([]fragment, error) {
	var (
		frags          []fragment
		stack          []any
		tx, ty, lx, ly float64 // text and line-start positions
		leading, size  float64
		font           string
	)
	show := func(b []byte) {
		if len(b) == 0 {
			return
		}
		w := measure(fonts[font], size, b)
		frags = append(frags, fragment{x: tx, y: ty, size: size, width: w, text: decodeCP1252(b)})
		tx += w
	}
	num := func(i int) float64 {
		if i < 0 || i >= len(stack) {
			return 0
		}
		if f, ok := stack[i].(float64); ok {
			return f
		}
		return 0
	}
	lastString := func() []byte {
		if len(stack) > 0 {
			if s, ok := stack[len(stack)-1].([]byte); ok {
				return s
			}
		}
		return nil
	}
	lex := &pdfLexer{data: content}
	for {
		tok, err := lex.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		op, isOp := tok.(pdfOp)
		if !isOp {
			stack = append(stack, tok)
			continue
		}
		n := len(stack)
		switch op {
		case "BT":
			tx, ty, lx, ly = 0, 0, 0, 0
		case "Tf":
			if n >= 2 {
				if name, ok := stack[n-2].(pdfName); ok {
					font = string(name)
				}
				size = num(n - 1)
			}
		case "TL":
			leading = num(n - 1)
		case "Td", "TD":
			lx, ly = lx+num(n-2), ly+num(n-1)
			if op == "TD" {
				leading = -num(n - 1)
			}
			tx, ty = lx, ly
		case "Tm":
			lx, ly = num(n-2), num(n-1)
			tx, ty = lx, ly
		case "T*":
			ly -= leading
			tx, ty = lx, ly
		case "Tj":
			show(lastString())
		case "'", "\"":
			ly -= leading
			tx, ty = lx, ly
			show(lastString())
		case "TJ":
			if n > 0 {
				if arr, ok := stack[n-1].([]any); ok {
					var b []byte
					for _, e := range arr {
						switch v := e.(type) {
						case []byte:
							b = append(b, v...)
						case float64:
							if v < -250 {
								b = append(b, ' ')
							}
						}
					}
					show(b)
				}
			}
		}
		stack = stack[:0]
	}
	return frags, nil
}

// newMeasurer returns string widths in points for the standard 14 fonts,
// using fpdf's own metrics, and an estimate for anything else.
func newMeasurer() func(base string, size float64, b []byte) float64 {
	m := fpdf.New("P", "pt", "Letter", "")
	return func(base string, size float64, b []byte) float64 {
		family, style := "", ""
		switch {
		case strings.HasPrefix(base, "Helvetica"):
			family = "Helvetica"
		case strings.HasPrefix(base, "Times"):
			family = "Times"
		case strings.HasPrefix(base, "Courier"):
			family = "Courier"
		}
		if strings.Contains(base, "Bold") {
			style += "B"
		}
		if strings.Contains(base, "Oblique") || strings.Contains(base, "Italic") {
			style += "I"
		}
		if family == "" || size <= 0 {
			return 0.5 * size * float64(len(b))
		}
		m.SetFont(family, style, size)
		return m.GetStringWidth(string(b))
	}
}

// layoutLines orders fragments top to bottom, left to right.
func layoutLines(frags []fragment) []string {
	sort.SliceStable(frags, func(i, j int) bool {
		if d := frags[i].y - frags[j].y; d > 1.5 || d < -1.5 {
			return frags[i].y > frags[j].y
		}
		return frags[i].x < frags[j].x
	})
	var lines []string
	var cur []fragment
	flush := func() {
		if len(cur) == 0 {
			return
		}
		sort.SliceStable(cur, func(i, j int) bool { return cur[i].x < cur[j].x })
		var b strings.Builder
		for i, f := range cur {
			if i > 0 {
				prev := cur[i-1]
				gap := f.x - (prev.x + prev.width)
				switch {
				case gap > max(f.size*0.8, 4):
					b.WriteByte('\t')
				case gap > f.size*0.15:
					b.WriteByte(' ')
				}
			}
			b.WriteString(f.text)
		}
		lines = append(lines, strings.TrimRight(b.String(), " "))
		cur = cur[:0]
	}
	for _, f := range frags {
		if len(cur) > 0 && (cur[0].y-f.y > 1.5 || f.y-cur[0].y > 1.5) {
			flush()
		}
		cur = append(cur, f)
	}
	flush()
	return lines
}

type (
	pdfOp   string
	pdfName string
)

// pdfLexer tokenises a content stream: numbers (float64), strings
// ([]byte), names (pdfName), arrays ([]any) and operators (pdfOp).
type pdfLexer struct {
	data []byte
	pos  int
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool { return strings.IndexByte("()<>[]{}/%", c) >= 0 }

func (l *pdfLexer) next() (any, error) {
	d := l.data
	for l.pos < len(d) {
		c := d[l.pos]
		if isPDFSpace(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(d) && d[l.pos] != '\n' && d[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		break
	}
	if l.pos >= len(d) {
		return nil, io.EOF
	}
	c := d[l.pos]
	switch {
	case c == '(':
		return l.literal()
	case c == '<' && l.pos+1 < len(d) && d[l.pos+1] == '<', c == '>' && l.pos+1 < len(d) && d[l.pos+1] == '>':
		l.pos += 2
		return pdfOp(string(d[l.pos-2 : l.pos])), nil
	case c == '<':
		end := bytes.IndexByte(d[l.pos:], '>')
		if end < 0 {
			return nil, errors.New("unterminated hex string")
		}
		hex := d[l.pos+1 : l.pos+end]
		l.pos += end + 1
		var out []byte
		var digits []byte
		for _, h := range hex {
			if v, ok := hexVal(h); ok {
				digits = append(digits, v)
			}
		}
		if len(digits)%2 == 1 {
			digits = append(digits, 0)
		}
		for i := 0; i < len(digits); i += 2 {
			out = append(out, digits[i]<<4|digits[i+1])
		}
		return out, nil
	case c == '[':
		l.pos++
		var arr []any
		for {
			tok, err := l.next()
			if err != nil {
				return nil, errors.New("unterminated array")
			}
			if tok == pdfOp("]") {
				return arr, nil
			}
			arr = append(arr, tok)
		}
	case c == ']' || c == '{' || c == '}' || c == '>' || c == ')':
		l.pos++
		return pdfOp(string(c)), nil
	case c == '/':
		start := l.pos + 1
		l.pos++
		for l.pos < len(d) && !isPDFSpace(d[l.pos]) && !isPDFDelim(d[l.pos]) {
			l.pos++
		}
		return pdfName(d[start:l.pos]), nil
	}
	start := l.pos
	for l.pos < len(d) && !isPDFSpace(d[l.pos]) && !isPDFDelim(d[l.pos]) {
		l.pos++
	}
	word := string(d[start:l.pos])
	if f, err := strconv.ParseFloat(word, 64); err == nil {
		return f, nil
	}
	return pdfOp(word), nil
}

func hexVal(h byte) (byte, bool) {
	switch {
	case h >= '0' && h <= '9':
		return h - '0', true
	case h >= 'a' && h <= 'f':
		return h - 'a' + 10, true
	case h >= 'A' && h <= 'F':
		return h - 'A' + 10, true
	}
	return 0, false
}

// literal reads a (...) string with nested parentheses and escapes.
func (l *pdfLexer) literal() ([]byte, error) {
	d := l.data
	l.pos++ // (
	var out []byte
	depth := 1
	for l.pos < len(d) {
		c := d[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out, nil
			}
		case '\\':
			if l.pos >= len(d) {
				return nil, errors.New("unterminated string")
			}
			e := d[l.pos]
			l.pos++
			switch e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r':
				if l.pos < len(d) && d[l.pos] == '\n' {
					l.pos++
				}
			case '\n':
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(d) && d[l.pos] >= '0' && d[l.pos] <= '7'; k++ {
						v = v*8 + int(d[l.pos]-'0')
						l.pos++
					}
					out = append(out, byte(v))
				} else {
					out = append(out, e)
				}
			}
			continue
		}
		out = append(out, c)
	}
	return nil, errors.New("unterminated string")
}
