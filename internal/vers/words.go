package vers

import (
	"fmt"
	"strings"
)

// This file reads the free-text ranges of CISA ICSMA advisories: operator
// lists in product_version_range ("<= 2.3.6", ">= 1.3.4 | < 1.5.3") and the
// English of product names ("Versions 2.3.6 and prior", "all versions prior
// to 3.x", "Versions 4.4 through 4.12"). Anything outside the small grammar
// below is reported as uncertain with the words that stopped it.

// filler words carry no meaning for the range and are dropped.
var filler = map[string]bool{
	"version": true, "versions": true, "ver": true, "ver.": true, "v": true, "v.": true,
	"software": true, "firmware": true, "sw": true, "fw": true,
	"release": true, "releases": true, "revision": true, "revisions": true,
	"rev": true, "rev.": true,
}

// earlier and later are the words after "and"/"or" that turn a version into
// an inclusive upper or lower bound: "2.7 and prior", "2.6A or lower".
var earlier = map[string]bool{
	"earlier": true, "prior": true, "below": true, "lower": true, "older": true,
	"before": true, "previous": true, "less": true,
}
var later = map[string]bool{
	"later": true, "newer": true, "higher": true, "above": true, "after": true,
	"greater": true, "up": true, "onwards": true, "onward": true, "more": true,
}

// phrases maps a leading phrase to the operator it means: "prior to 1.7.15"
// is "< 1.7.15".
var phrases = []struct {
	words []string
	op    string
}{
	{[]string{"prior", "to"}, "<"},
	{[]string{"earlier", "than"}, "<"},
	{[]string{"older", "than"}, "<"},
	{[]string{"lower", "than"}, "<"},
	{[]string{"less", "than"}, "<"},
	{[]string{"before"}, "<"},
	{[]string{"below"}, "<"},
	{[]string{"up", "to", "and", "including"}, "<="},
	{[]string{"later", "than"}, ">"},
	{[]string{"newer", "than"}, ">"},
	{[]string{"higher", "than"}, ">"},
	{[]string{"greater", "than"}, ">"},
	{[]string{"after"}, ">"},
	{[]string{"above"}, ">"},
	{[]string{"since"}, ">="},
}

// parseText reads operator lists and English ranges. Alternatives split on
// "|"; an alternative that is only a lower bound followed by one that is only
// an upper bound form one interval (CSAF vls ">= 1.3.4 | < 1.5.3",
// ICSMA-19-248-01); other alternatives stay separate ("<= U61 |<= L81").
func parseText(raw, t string) Constraint {
	t, notes, ok := stripParens(t)
	if !ok {
		return uncertain(raw, textReason(raw, "unbalanced parentheses"))
	}
	c := Constraint{Raw: raw, Certain: true, Scheme: "generic", Notes: notes}
	var prevLower *Range
	for _, part := range strings.Split(t, "|") {
		rs, single, why := parseAlt(part)
		if why != "" {
			return uncertain(raw, textReason(raw, why))
		}
		if prevLower != nil && single != "" && single[0] == '<' {
			lo, hi := prevLower.Lower, rs[0].Upper
			d, ok := lo.Version.Compare(hi.Version)
			if !ok {
				return uncertain(raw, fmt.Sprintf("bounds %s and %s cannot be ordered", lo.Version.Raw, hi.Version.Raw))
			}
			if d > 0 || d == 0 && !(lo.Inclusive && hi.Inclusive) {
				return uncertain(raw, fmt.Sprintf("empty range: lower bound %s above upper bound %s", lo.Version.Raw, hi.Version.Raw))
			}
			prevLower.Upper = hi
			prevLower = nil
			continue
		}
		start := len(c.Ranges)
		c.Ranges = append(c.Ranges, rs...)
		prevLower = nil
		if single != "" && single[0] == '>' {
			prevLower = &c.Ranges[start]
		}
	}
	return c
}

// stripParens removes parenthesised remarks and returns them as notes. A text
// that is wholly in parentheses ("(Release 1.0)", ICSMA-21-019-01) is unwrapped.
func stripParens(t string) (string, []string, bool) {
	var b strings.Builder
	var notes []string
	depth, start := 0, 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '(':
			if depth == 0 {
				start = i + 1
			}
			depth++
		case ')':
			depth--
			if depth < 0 {
				return "", nil, false
			}
			if depth == 0 {
				notes = append(notes, strings.TrimSpace(t[start:i]))
				b.WriteByte(' ')
			}
		default:
			if depth == 0 {
				b.WriteByte(t[i])
			}
		}
	}
	if depth != 0 {
		return "", nil, false
	}
	out := strings.TrimSpace(b.String())
	if out == "" && len(notes) == 1 {
		return notes[0], nil, true
	}
	return out, notes, true
}

// words splits text into words (case kept), with comparators and commas as
// words of their own: "<=2.3.5" -> "<=", "2.3.5". A "v" glued before an
// upper-case letter ("vD25", ICSMA-21-355-01) is dropped.
func words(s string) []string {
	var out []string
	cur := []byte{}
	flush := func() {
		if len(cur) > 0 {
			w := string(cur)
			if len(w) > 2 && w[0] == 'v' && w[1] >= 'A' && w[1] <= 'Z' {
				w = w[1:]
			}
			out = append(out, w)
			cur = cur[:0]
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			flush()
		case c == ',' || c == ';':
			flush()
			out = append(out, ",")
		case c == '<' || c == '>' || c == '=' || c == '!':
			flush()
			j := i
			for j < len(s) && strings.IndexByte("<>=!", s[j]) >= 0 {
				j++
			}
			out = append(out, s[i:j])
			i = j - 1
		default:
			cur = append(cur, c)
		}
	}
	flush()
	return out
}

// parseAlt reads one "|" alternative. single is the operator when the
// alternative is exactly one one-sided bound (for vls pairing), else "".
func parseAlt(s string) (rs []Range, single string, why string) {
	var w, orig []string
	for _, x := range words(s) {
		if l := strings.ToLower(x); !filler[l] {
			w, orig = append(w, l), append(orig, x)
		}
	}
	if len(w) == 0 {
		return nil, "", "empty alternative"
	}
	if len(w) == 1 && (w[0] == "all" || w[0] == "any" || w[0] == "*") {
		return []Range{{}}, "", ""
	}
	if w[0] == "all" { // "all versions prior to 3.x"
		w, orig = w[1:], orig[1:]
	}
	p := &textParser{w: w, orig: orig}
	for {
		r, kind, err := p.item()
		if err != "" {
			return nil, "", err
		}
		if p.prevKind != "" && p.spaced && p.prevShape != p.shape {
			return nil, "", fmt.Sprintf("%q and %q do not look like versions of one scheme", p.prevText, p.text)
		}
		rs = append(rs, r)
		p.prevKind, p.prevShape, p.prevText = kind, p.shape, p.text
		if p.done() {
			break
		}
		p.spaced = false
		switch p.peek() {
		case ",", "and", "or", "&", "/":
			if p.peek() == "/" {
				return nil, "", "\"/\" between versions is ambiguous"
			}
			p.pos++
			if p.peek() == "and" || p.peek() == "or" { // ", and"
				p.pos++
			}
			if p.done() {
				return nil, "", "list ends with a separator"
			}
		default:
			// "1.1 1.2 1.4" (ICSMA-20-170-01) or "U61 and earlier L81 and
			// earlier": only after an exact version or a worded bound, never
			// after an operator ("<= S4 A.07.107" is one unknown thing).
			if kind == "op" || !p.isVersion(p.peek()) {
				return nil, "", fmt.Sprintf("cannot interpret %q", strings.Join(p.orig[p.pos:], " "))
			}
			p.spaced = true
		}
	}
	if len(rs) == 1 && p.prevKind == "op" {
		r := rs[0]
		switch {
		case r.Lower != nil && r.Upper == nil:
			single = ">"
		case r.Upper != nil && r.Lower == nil:
			single = "<"
		}
	}
	return rs, single, ""
}

// textParser walks the words of one alternative.
type textParser struct {
	w    []string // lower-case words, for keywords
	orig []string // the same words as written, for versions
	pos  int
	// state of the item just read, for the same-scheme check on space lists
	shape, text                   string
	prevKind, prevShape, prevText string
	spaced                        bool
}

func (p *textParser) done() bool { return p.pos >= len(p.w) }

func (p *textParser) peek() string {
	if p.done() {
		return ""
	}
	return p.w[p.pos]
}

func (p *textParser) at(ws ...string) bool {
	if p.pos+len(ws) > len(p.w) {
		return false
	}
	for i, x := range ws {
		if p.w[p.pos+i] != x {
			return false
		}
	}
	return true
}

// item reads one range. kind is "op" for an operator or leading phrase,
// "word" for a version with a trailing word ("and prior"), "span" for
// "a through b", "exact" for a bare version.
func (p *textParser) item() (Range, string, string) {
	if p.done() {
		return Range{}, "", "missing version"
	}
	if op, rest := splitOp(p.peek()); op != "" && rest == "" {
		p.pos++
		if op == "!=" {
			return Range{}, "", "\"!=\" outside vers"
		}
		v, err := p.version()
		if err != "" {
			return Range{}, "", err
		}
		r, err := newRange(op, v)
		return r, "op", err
	}
	if p.at("up", "to") && !p.at("up", "to", "and", "including") {
		return Range{}, "", "\"up to\" does not say whether the version itself is included"
	}
	for _, ph := range phrases {
		if p.at(ph.words...) {
			p.pos += len(ph.words)
			v, err := p.version()
			if err != "" {
				return Range{}, "", err
			}
			r, err := newRange(ph.op, v)
			return r, "op", err
		}
	}
	if p.at("between") || p.at("from") {
		between := p.at("between")
		p.pos++
		lo, err := p.version()
		if err != "" {
			return Range{}, "", err
		}
		if between {
			if !p.at("and") {
				return Range{}, "", "\"between\" without \"and\""
			}
			p.pos++
			return p.span(lo)
		}
		switch {
		case p.at("to") || p.at("through") || p.at("thru") || p.at("until"):
			p.pos++
			return p.span(lo)
		case p.at("on") || p.at("onwards") || p.at("onward"):
			p.pos++
		}
		r, err := newRange(">=", lo)
		return r, "op", err
	}
	v, err := p.version()
	if err != "" {
		return Range{}, "", err
	}
	if (p.at("and") || p.at("or")) && p.pos+1 < len(p.w) {
		next := p.w[p.pos+1]
		op := ""
		switch {
		case earlier[next]:
			op = "<="
		case later[next]:
			op = ">="
		}
		if op != "" {
			p.pos += 2
			r, err := newRange(op, v)
			return r, "word", err
		}
	}
	switch {
	case p.at("through", "to"):
		p.pos += 2
		return p.span(v)
	case p.at("through") || p.at("thru") || p.at("to") || p.at("-"):
		p.pos++
		return p.span(v)
	}
	r, err := newRange("=", v)
	return r, "exact", err
}

// span reads the upper end of "a through b" (both ends included).
func (p *textParser) span(lo Version) (Range, string, string) {
	hi, err := p.version()
	if err != "" {
		return Range{}, "", err
	}
	l, err := newRange(">=", lo)
	if err != "" {
		return Range{}, "", err
	}
	u, err := newRange("<=", hi)
	if err != "" {
		return Range{}, "", err
	}
	d, ok := l.Lower.Version.Compare(u.Upper.Version)
	if !ok {
		return Range{}, "", fmt.Sprintf("%s and %s cannot be ordered", lo.Raw, hi.Raw)
	}
	if d > 0 {
		return Range{}, "", fmt.Sprintf("empty range: %s is above %s", lo.Raw, hi.Raw)
	}
	return Range{Lower: l.Lower, Upper: u.Upper}, "span", ""
}

// version reads one version word, joining "1.3.1 build 13" (ICSMA-19-164-01).
func (p *textParser) version() (Version, string) {
	if p.done() {
		return Version{}, "missing version"
	}
	w := p.peek()
	if !p.isVersion(w) {
		return Version{}, fmt.Sprintf("cannot interpret %q", strings.Join(p.orig[p.pos:], " "))
	}
	w = p.orig[p.pos]
	p.pos++
	if p.at("build") && p.pos+1 < len(p.w) && allDigits(p.w[p.pos+1]) {
		w += " " + p.orig[p.pos] + " " + p.w[p.pos+1]
		p.pos += 2
	}
	v := Parse(w)
	p.shape, p.text = v.shape(), w
	return v, ""
}

// isVersion decides whether a word can be a version: version characters
// only, and a digit in it, or a single revision letter ("K",
// ICSMA-19-297-01), or a wildcard. "C.0x" (ICSMA-21-322-02) is refused: the
// glued "x" may be a wildcard or a letter.
func (p *textParser) isVersion(w string) bool {
	if w == "*" || w == "x" {
		return true
	}
	if w == "" || isDate(w) {
		return false
	}
	digit := false
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case isDigit(c):
			digit = true
		case c >= 'a' && c <= 'z', strings.IndexByte(".-_+~:*", c) >= 0:
		default:
			return false
		}
	}
	if !digit {
		return len(w) == 1 && w[0] >= 'a' && w[0] <= 'z'
	}
	if n := len(w); n >= 2 && w[n-1] == 'x' && isDigit(w[n-2]) {
		return false
	}
	v := Parse(w)
	for _, s := range v.segs {
		if s.kind == kAlpha && s.text == "x" && s.sep {
			return false // "1.x.3", "x12": wildcard or letter?
		}
	}
	return v.Valid() || v.Wildcard
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}
