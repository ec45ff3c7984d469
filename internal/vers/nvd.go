package vers

import (
	"fmt"
	"strings"
)

// NVDRange builds the constraint of an NVD API 2.0 cpeMatch entry from its
// versionStartIncluding, versionStartExcluding, versionEndIncluding and
// versionEndExcluding fields (empty = absent). With no bounds at all it
// covers every version: call it only when the CPE's own version field is
// "*" (NVDCPE handles the other cases). Both an including and an excluding
// form of the same end, bounds in different schemes, or a lower bound above
// the upper one are reported as uncertain, never guessed.
func NVDRange(startIncluding, startExcluding, endIncluding, endExcluding string) Constraint {
	si, se := strings.TrimSpace(startIncluding), strings.TrimSpace(startExcluding)
	ei, ee := strings.TrimSpace(endIncluding), strings.TrimSpace(endExcluding)
	var parts []string
	add := func(op, v string) {
		if v != "" {
			parts = append(parts, op+" "+v)
		}
	}
	add(">=", si)
	add(">", se)
	add("<=", ei)
	add("<", ee)
	raw := strings.Join(parts, ", ")
	if raw == "" {
		raw = "*"
	}
	if si != "" && se != "" {
		return uncertain(raw, "NVD gives both versionStartIncluding and versionStartExcluding")
	}
	if ei != "" && ee != "" {
		return uncertain(raw, "NVD gives both versionEndIncluding and versionEndExcluding")
	}
	var r Range
	bound := func(s string, incl bool) (*Bound, string) {
		if s == "" {
			return nil, ""
		}
		v := Parse(UnescapeCPE(s))
		if !v.Valid() || v.Wildcard {
			return nil, fmt.Sprintf("NVD bound %q is not a version", s)
		}
		return &Bound{Version: v, Inclusive: incl}, ""
	}
	var why string
	if si != "" {
		r.Lower, why = bound(si, true)
	} else {
		r.Lower, why = bound(se, false)
	}
	if why != "" {
		return uncertain(raw, why)
	}
	if ei != "" {
		r.Upper, why = bound(ei, true)
	} else {
		r.Upper, why = bound(ee, false)
	}
	if why != "" {
		return uncertain(raw, why)
	}
	if r.Lower != nil && r.Upper != nil {
		d, ok := r.Lower.Version.Compare(r.Upper.Version)
		if !ok {
			return uncertain(raw, fmt.Sprintf("NVD bounds %s and %s cannot be ordered", r.Lower.Version.Raw, r.Upper.Version.Raw))
		}
		if d > 0 || d == 0 && !(r.Lower.Inclusive && r.Upper.Inclusive) {
			return uncertain(raw, "NVD bounds describe an empty range")
		}
	}
	return Constraint{Raw: raw, Certain: true, Scheme: "generic", Ranges: []Range{r}}
}

// NVDCPE builds the constraint of a whole cpeMatch entry: cpeVersion is the
// version field of its criteria CPE 2.3 string (the 6th component). "*" (or
// empty) defers to the bounds; a concrete version means exactly that version;
// "-" (NA) says the product has no version, which cannot be checked against a
// device's firmware, so it is uncertain.
func NVDCPE(cpeVersion, startIncluding, startExcluding, endIncluding, endExcluding string) Constraint {
	cv := strings.TrimSpace(cpeVersion)
	bounds := startIncluding + startExcluding + endIncluding + endExcluding
	switch cv {
	case "", "*":
		return NVDRange(startIncluding, startExcluding, endIncluding, endExcluding)
	case "-":
		return uncertain(cv, "CPE version is \"-\" (not applicable): NVD states no version")
	}
	if strings.TrimSpace(bounds) != "" {
		return uncertain(cv, "CPE has both a concrete version and range bounds")
	}
	v := Parse(UnescapeCPE(cv))
	if !v.Valid() || v.Wildcard || strings.ContainsAny(cv, "*?") {
		return uncertain(cv, fmt.Sprintf("CPE version %q is not a version", cv))
	}
	r, _ := newRange("=", v)
	return Constraint{Raw: cv, Certain: true, Scheme: "generic", Ranges: []Range{r}}
}

// UnescapeCPE removes CPE 2.3 formatted-string escapes ("1\.0" -> "1.0").
// The NVD and SBOM readers use it too.
func UnescapeCPE(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
