package vers

// Comparison rules (the "manufacturer" ordering):
//
//  1. Versions split into runs of digits and runs of letters; separators
//     (".", "-", "_", space) only split. Case is ignored.
//  2. Numbers compare as whole integers, never as decimal fractions:
//     9.33 < 9.100 and 1.003 > 1.02 ("003" is 3). Leading zeros do not count,
//     so build strings like "012U000061" compare by their numeric parts.
//     This is what firmware vendors mean; "12.1.0" > "9.33".
//  3. Trailing zero segments do not count: 1.0 == 1.0.0, 2.4 == 2.4.0.
//  4. Pre-release words (dev, snapshot < alpha < beta < pre/preview < rc, and
//     "~") sort before the release and before any number at that place:
//     1.0rc1 < 1.0 < 1.0.1. Single letters are NOT pre-release.
//  5. Other letters sort after the end of a version (2.4 < 2.4a < 2.4b:
//     Medtronic "2.4a", NVD CVE-2019-10964; Baxter "17" < "17d19",
//     CVE-2022-26390) and among themselves alphabetically ("B.06.18" <
//     "C.00.04"; revision "J" < "K").
//  6. Not comparable (ok=false):
//     - a letter run against a number at the same place ("K" vs "2.0",
//     "U61" vs "2.3.6", "2.4a" vs "2.4.1");
//     - a letter run glued in front of a number (a "marker": "U" in "U61",
//     "d" in "20d29") names a product line or region; wherever one version
//     has a marker, the other must have the same letters there or have
//     ended. So "U61" vs "L81" (Braun US vs global lines, ICSMA-20-296-02),
//     "012U000061" vs "012L000061" and "2.0" vs "012U000061" are not
//     comparable, while "17" < "17d19" is;
//     - an empty version.
//     Callers must treat "not comparable" as "needs review", never as "no".
//  7. Build metadata ("+..." or a trailing "-<git hash>") is ignored.

// Compare orders two version strings: -1 if a < b, 0 if equal, 1 if a > b.
// ok is false when they cannot be ordered (see the rules above); the int is
// then 0 and means nothing.
func Compare(a, b string) (int, bool) {
	return Parse(a).Compare(Parse(b))
}

// Compare orders v against w with the rules documented on Compare.
func (v Version) Compare(w Version) (int, bool) {
	if !v.Valid() || !w.Valid() {
		return 0, false
	}
	if !sameMarkers(v.segs, w.segs) {
		return 0, false
	}
	a, b := norm(v.segs), norm(w.segs)
	for i := 0; i < max(len(a), len(b)); i++ {
		var x, y *segment
		if i < len(a) {
			x = &a[i]
		}
		if i < len(b) {
			y = &b[i]
		}
		c, ok := cmpSeg(x, y)
		if !ok {
			return 0, false
		}
		if c != 0 {
			return c, true
		}
	}
	return 0, true
}

// cmpSeg compares two segments at the same place; nil means "ended here".
func cmpSeg(x, y *segment) (int, bool) {
	switch {
	case x == nil && y == nil:
		return 0, true
	case x == nil:
		c, ok := cmpSeg(y, nil)
		return -c, ok
	case y == nil:
		switch x.kind {
		case kNum: // a missing number is 0; norm removed trailing zeros
			if x.text == "0" {
				return 0, true
			}
			return 1, true
		case kPre:
			return -1, true
		default: // 2.4a > 2.4
			return 1, true
		}
	}
	switch {
	case x.kind == kNum && y.kind == kNum:
		return cmpNum(x.text, y.text), true
	case x.kind == kPre && y.kind == kPre:
		if x.rank != y.rank {
			return sign(x.rank - y.rank), true
		}
		return cmpStr(x.text, y.text), true
	case x.kind == kPre:
		return -1, true
	case y.kind == kPre:
		return 1, true
	case x.kind == kAlpha && y.kind == kAlpha:
		return cmpStr(x.text, y.text), true
	}
	return 0, false // letters against a number
}

// sameMarkers checks rule 6 on the segments as written: wherever one
// version has a marker letter, the other must have the same letter or have
// ended. It runs before the ordering so that an early difference ("2.0" vs
// "012U000061": 2 < 12) cannot hide that the two are of different schemes.
func sameMarkers(a, b []segment) bool {
	for i := 0; i < min(len(a), len(b)); i++ {
		x, y := a[i], b[i]
		if !x.marker && !y.marker {
			continue
		}
		if x.kind != kAlpha || y.kind != kAlpha || x.text != y.text {
			return false
		}
	}
	return true
}

// norm drops zero numbers that end the version or stand right before a
// pre-release marker, so 1.0 == 1.0.0 and 1.0-rc1 == 1.0.0-rc1.
func norm(s []segment) []segment {
	out := make([]segment, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i].kind == kNum && s[i].text == "0" {
			j := i
			for j < len(s) && s[j].kind == kNum && s[j].text == "0" {
				j++
			}
			if j == len(s) || s[j].kind == kPre {
				i = j - 1
				continue
			}
		}
		out = append(out, s[i])
	}
	return out
}

// cmpNum compares two digit strings without leading zeros.
func cmpNum(a, b string) int {
	if len(a) != len(b) {
		return sign(len(a) - len(b))
	}
	return cmpStr(a, b)
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
