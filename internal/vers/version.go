// Package vers compares manufacturer version strings and matches them against
// advisory ranges (CSAF product_version_range, purl VERS, NVD cpeMatch bounds,
// and the free-text wording ICS-medical advisories use).
//
// The package is pure: no I/O, no globals that change. Its central promise is
// that a range it cannot interpret is never dropped and never treated as
// certain: it becomes a Constraint with Certain=false and a Reason, and every
// match against it answers Unknown, so the advisory lands in "needs review".
package vers

import "strings"

// kind is what a segment of a version is.
type kind uint8

const (
	kNum   kind = iota // a run of ASCII digits, compared numerically
	kAlpha             // a run of letters, compared as text (e.g. "a" in "2.4a")
	kPre               // a pre-release marker (dev, alpha, beta, pre, rc, "~"), sorts before the release
)

// segment is one run of digits or letters in a version.
type segment struct {
	kind kind
	// text is the lower-case letters for kAlpha/kPre, or the digits with
	// leading zeros removed ("0" for zero) for kNum, so that "012" == "12"
	// and numbers of any length compare without overflow.
	text string
	// rank orders pre-release markers: dev < alpha < beta < pre < rc.
	rank int
	// sep is true when a separator (".", "-", "_", space, ...) precedes the
	// segment; false when it is glued to the previous one ("2.4a", "U61").
	sep bool
	// marker is true for letters glued in front of a number ("U" in "U61",
	// "d" in "20d29"); such letters name a line or region, see Compare.
	marker bool
}

// preRank lists the words that mean "before the release". Single letters
// ("a", "b") are deliberately NOT here: in device firmware "2.4a" is a
// revision after 2.4 (Medtronic, NVD CVE-2019-10964), not an alpha.
var preRank = map[string]int{
	"dev": 1, "snapshot": 1, "alpha": 2, "beta": 3, "pre": 4, "preview": 4, "rc": 5,
}

// Version is a parsed version: segments of numbers and letters, with the
// original text kept in Raw.
type Version struct {
	Raw string
	// Build is metadata that does not take part in ordering: text after "+"
	// (semver) or a trailing "-<git hash>" ("1.4.2.0-9d9eff4", ICSMA-24-023-01).
	Build string
	// Wildcard is true when the text ended in ".x" or ".*" ("12.2.x.x",
	// ICSMA-21-187-01); the segments then hold only the fixed prefix.
	Wildcard bool

	segs []segment
}

// Parse reads a version string. It never fails: an empty or meaningless
// string gives a Version whose Valid reports false.
func Parse(s string) Version { return parse(s, false) }

// Valid reports whether the version has at least one segment to compare.
// A wildcard with an empty prefix ("*", "x") is not a valid version.
func (v Version) Valid() bool { return len(v.segs) > 0 }

// String returns the original text.
func (v Version) String() string { return v.Raw }

// parse is Parse with an option for semver-style schemes, where a "-" after
// the core always starts a pre-release ("1.0.0-foo" < "1.0.0").
func parse(s string, semver bool) Version {
	v := Version{Raw: s}
	t := strings.ToLower(strings.TrimSpace(s))
	t = stripVersionWord(t)
	if i := strings.IndexByte(t, '+'); i >= 0 {
		v.Build, t = t[i+1:], t[:i]
	}
	if i := strings.LastIndexByte(t, '-'); i >= 0 && isHash(t[i+1:]) {
		v.Build, t = t[i+1:], t[:i]
	}
	t, v.Wildcard = stripWildcard(t)

	sep := true
	sawDash := false
	for i := 0; i < len(t); {
		c := t[i]
		switch {
		case isDigit(c):
			j := i
			for j < len(t) && isDigit(t[j]) {
				j++
			}
			n := strings.TrimLeft(t[i:j], "0")
			if n == "" {
				n = "0"
			}
			v.segs = append(v.segs, segment{kind: kNum, text: n, sep: sep})
			i, sep = j, false
		case isLetter(c):
			j := i
			for j < len(t) && isLetter(t[j]) {
				j++
			}
			w := t[i:j]
			seg := segment{kind: kAlpha, text: w, sep: sep}
			if r, ok := preRank[w]; ok {
				seg.kind, seg.rank = kPre, r
			}
			v.segs = append(v.segs, seg)
			i, sep = j, false
		case c == '~':
			// Debian-style tilde: sorts before everything, even the end.
			v.segs = append(v.segs, segment{kind: kPre, text: "~", rank: 0, sep: true})
			i, sep = i+1, true
		case c == '-' && semver && !sawDash && len(v.segs) > 0:
			sawDash = true
			v.segs = append(v.segs, segment{kind: kPre, text: "-", rank: 0, sep: true})
			i, sep = i+1, true
		default:
			i, sep = i+1, true
		}
	}
	for i := range v.segs {
		v.segs[i].marker = v.segs[i].kind == kAlpha && i+1 < len(v.segs) &&
			v.segs[i+1].kind == kNum && !v.segs[i+1].sep
	}
	return v
}

// stripVersionWord drops a leading "version"/"ver"/"v" when a number follows,
// so inventory values like "V2.3.6" or "Version 2.3.6" compare as 2.3.6.
// A "v" before a letter is kept: "VM5.0" (ICSMA-20-177-01) is a scheme prefix.
func stripVersionWord(t string) string {
	for _, w := range []string{"version", "ver.", "ver", "v"} {
		if rest, ok := strings.CutPrefix(t, w); ok {
			rest = strings.TrimLeft(rest, " ")
			if rest != "" && isDigit(rest[0]) {
				return rest
			}
		}
	}
	return t
}

// stripWildcard removes trailing ".x"/".*" segments ("12.2.x.x" -> "12.2").
// Only an "x" standing alone after a separator counts; "0x" or "x12" do not.
func stripWildcard(t string) (string, bool) {
	if t == "*" || t == "x" {
		return "", true
	}
	wild := false
	for {
		u := strings.TrimRight(t, " ")
		if len(u) >= 2 && (u[len(u)-1] == 'x' || u[len(u)-1] == '*') && isSep(u[len(u)-2]) {
			t = strings.TrimRight(u[:len(u)-1], ".-_ ")
			wild = true
			continue
		}
		return t, wild
	}
}

// isHash reports whether s looks like an abbreviated git commit: at least 7
// hex characters with both a digit and a letter.
func isHash(s string) bool {
	if len(s) < 7 || len(s) > 40 {
		return false
	}
	var d, l bool
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			d = true
		case c >= 'a' && c <= 'f':
			l = true
		default:
			return false
		}
	}
	return d && l
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isSep(c byte) bool    { return c == '.' || c == '-' || c == '_' || c == ' ' }

// shape is the sequence of segment kinds, used to decide whether the items
// of a space-separated list ("1.1 1.2 1.4") are versions of one scheme.
func (v Version) shape() string {
	b := make([]byte, 0, len(v.segs)+1)
	for _, s := range v.segs {
		b = append(b, "nap"[s.kind])
	}
	if v.Wildcard {
		b = append(b, '*')
	}
	return string(b)
}
