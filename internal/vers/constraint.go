package vers

import (
	"fmt"
	"strings"
)

// Result is the answer of a match. Unknown is a first-class answer: it means
// "a person must look", and callers must not fold it into No.
type Result int

const (
	Unknown Result = iota // zero value: nothing is known until proven
	Yes
	No
)

func (r Result) String() string {
	switch r {
	case Yes:
		return "yes"
	case No:
		return "no"
	}
	return "unknown"
}

// Bound is one end of a Range.
type Bound struct {
	Version   Version
	Inclusive bool
}

// Range is one interval of versions; a nil end is unbounded. An exact version
// is a Range whose ends are the same inclusive version. A Range with both ends
// nil holds every version.
type Range struct {
	Lower, Upper *Bound
}

// Constraint is a parsed range: a union of Ranges minus Exclude.
type Constraint struct {
	Raw string
	// Certain is false when the text could not be interpreted ("version
	// unknown — needs review"); Reason then says why, and Match answers
	// Unknown for every version.
	Certain bool
	Reason  string
	// Scheme is the VERS scheme ("generic" for text and NVD forms).
	Scheme string
	// Ranges are alternatives: a version inside any of them matches.
	Ranges []Range
	// Exclude lists versions taken out again (VERS "!=").
	Exclude []Version
	// Notes keeps remarks removed from the text, such as "(United States)" or
	// "(end-of-life 2011)", for display.
	Notes []string
}

// AllVersions reports whether the constraint certainly covers every version
// ("all versions", "vers:all/*", an NVD match with no bounds). Callers may use
// it for devices whose version is not known, which Match answers Unknown.
func (c Constraint) AllVersions() bool {
	if !c.Certain || len(c.Exclude) > 0 {
		return false
	}
	for _, r := range c.Ranges {
		if r.Lower == nil && r.Upper == nil {
			return true
		}
	}
	return false
}

// uncertain builds the constraint for text that cannot be interpreted.
func uncertain(raw, why string) Constraint {
	return Constraint{Raw: raw, Reason: why, Scheme: "generic"}
}

// Match says whether version v satisfies c, and why.
//
// A constraint that is not Certain gives Unknown. An empty or unparseable v
// gives Unknown. When the alternatives use different schemes ("<= U61 |
// <= L81", ICSMA-20-296-02) a version is judged by the alternatives it can be
// compared with: if at least one of them answers No and none answers Yes, the
// answer is No; if none can be compared at all, it is Unknown.
func (c Constraint) Match(v string) (Result, string) {
	if !c.Certain {
		return Unknown, "range needs review: " + c.Reason
	}
	pv := parse(v, semverish(c.Scheme))
	if !pv.Valid() || pv.Wildcard {
		return Unknown, fmt.Sprintf("device version %q is empty or not a version", v)
	}
	for _, x := range c.Exclude {
		if d, ok := pv.Compare(x); ok && d == 0 {
			return No, fmt.Sprintf("%s is excluded (!= %s)", v, x.Raw)
		}
	}
	var unknown string
	compared := false
	for _, r := range c.Ranges {
		res, why := r.match(pv)
		switch res {
		case Yes:
			return Yes, why
		case No:
			compared = true
		default:
			if unknown == "" {
				unknown = why
			}
		}
	}
	if unknown != "" && !compared {
		return Unknown, unknown
	}
	if unknown != "" {
		return No, fmt.Sprintf("%s is outside %s (alternatives in another version scheme were not applicable)", v, c.describe())
	}
	return No, fmt.Sprintf("%s is outside %s", v, c.describe())
}

// match tests one interval: No as soon as one end excludes v, Unknown if an
// end cannot be compared, else Yes.
func (r Range) match(v Version) (Result, string) {
	res := Yes
	var why string
	check := func(b *Bound, lower bool) {
		if b == nil || res == No {
			return
		}
		d, ok := v.Compare(b.Version)
		if !ok {
			res = Unknown
			why = fmt.Sprintf("%s cannot be compared with %s (different version schemes)", v.Raw, b.Version.Raw)
			return
		}
		if lower {
			d = -d
		}
		if d > 0 || d == 0 && !b.Inclusive {
			res = No
		}
	}
	check(r.Lower, true)
	check(r.Upper, false)
	switch res {
	case Yes:
		return Yes, fmt.Sprintf("%s is within %s", v.Raw, r)
	case No:
		return No, fmt.Sprintf("%s is outside %s", v.Raw, r)
	}
	return Unknown, why
}

// String renders the range with operators: "= 1.0", ">= 1.0, < 2.0", "*".
func (r Range) String() string {
	switch {
	case r.Lower == nil && r.Upper == nil:
		return "*"
	case r.Lower != nil && r.Upper != nil && r.Lower.Inclusive && r.Upper.Inclusive &&
		r.Lower.Version.Raw == r.Upper.Version.Raw:
		return "= " + r.Lower.Version.Raw
	}
	var parts []string
	if r.Lower != nil {
		op := ">"
		if r.Lower.Inclusive {
			op = ">="
		}
		parts = append(parts, op+" "+r.Lower.Version.Raw)
	}
	if r.Upper != nil {
		op := "<"
		if r.Upper.Inclusive {
			op = "<="
		}
		parts = append(parts, op+" "+r.Upper.Version.Raw)
	}
	return strings.Join(parts, ", ")
}

// describe renders all alternatives, for reasons and display.
func (c Constraint) describe() string {
	var parts []string
	for _, r := range c.Ranges {
		parts = append(parts, r.String())
	}
	for _, x := range c.Exclude {
		parts = append(parts, "!= "+x.Raw)
	}
	return strings.Join(parts, " | ")
}

// String renders the interpreted constraint, or the raw text and reason
// when it is uncertain.
func (c Constraint) String() string {
	if !c.Certain {
		return fmt.Sprintf("%q (needs review: %s)", c.Raw, c.Reason)
	}
	return c.describe()
}

// ParseConstraint reads any range form medsec meets: VERS ("vers:generic/
// >=1.0|<2.0.3"), CSAF product_version_range and product_version values
// (a bare version means exactly that version), operator lists ("<= 4.2.1",
// ">= 1.3.4 | < 1.5.3", "<= U61 |<= L81") and English wording ("prior to
// 12.1.1", "2.3.6 and  below", "versions 1.0 through 1.5", "all versions").
// It never fails: text it cannot read, including date-based ranges
// ("< august 28"), comes back with Certain=false and a Reason.
func ParseConstraint(s string) Constraint {
	t := strings.TrimSpace(s)
	if t == "" {
		return uncertain(s, "empty range")
	}
	if len(t) >= 5 && strings.EqualFold(t[:5], "vers:") {
		return parseVERS(s, t)
	}
	return parseText(s, t)
}

// newRange builds a range from operator and version, resolving wildcards:
// "<= 12.2.x" is "< 12.3", "< 3.x" is "< 3", "= 14.x" is ">= 14, < 15".
func newRange(op string, v Version) (Range, string) {
	if !v.Wildcard {
		b := &Bound{Version: v, Inclusive: op == "<=" || op == ">=" || op == "="}
		switch op {
		case "<", "<=":
			return Range{Upper: b}, ""
		case ">", ">=":
			return Range{Lower: b}, ""
		case "=":
			return Range{Lower: b, Upper: b}, ""
		}
		return Range{}, "unsupported operator " + op
	}
	if !v.Valid() { // "*" or "x" alone
		if op == "=" {
			return Range{}, ""
		}
		return Range{}, fmt.Sprintf("operator %s on a bare wildcard", op)
	}
	next, ok := nextPrefix(v)
	if !ok {
		return Range{}, fmt.Sprintf("wildcard %q does not end in a number", v.Raw)
	}
	lo := &Bound{Version: v, Inclusive: true}
	hi := &Bound{Version: next}
	switch op {
	case "<":
		return Range{Upper: &Bound{Version: v}}, ""
	case "<=":
		return Range{Upper: hi}, ""
	case ">":
		return Range{Lower: &Bound{Version: next, Inclusive: true}}, ""
	case ">=":
		return Range{Lower: lo}, ""
	case "=":
		return Range{Lower: lo, Upper: hi}, ""
	}
	return Range{}, "unsupported operator " + op + " on a wildcard"
}

// nextPrefix returns the first version after every version starting with
// v's prefix: 12.2 -> 12.3. The result's Raw reads like "12.3 (after 12.2.x)".
func nextPrefix(v Version) (Version, bool) {
	n := len(v.segs)
	if n == 0 || v.segs[n-1].kind != kNum {
		return Version{}, false
	}
	segs := append([]segment(nil), v.segs...)
	segs[n-1].text = incDigits(segs[n-1].text)
	var b strings.Builder
	for i, s := range segs {
		if i > 0 && s.sep {
			b.WriteByte('.')
		}
		b.WriteString(s.text)
	}
	return Version{Raw: b.String(), segs: segs}, true
}

// incDigits adds one to a decimal digit string of any length.
func incDigits(s string) string {
	b := []byte(s)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}
