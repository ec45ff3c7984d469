// Package normalize turns identifiers as they appear in CMMS, CMDB and
// monitoring exports into canonical keys, so that one device is recognisable
// in every system. It is pure: no I/O, no state.
package normalize

import (
	"net/netip"
	"strings"
	"unicode"
)

// Serial canonicalises a serial number for matching: case, whitespace and
// punctuation are dropped, the letters O and I (which people type for the
// digits 0 and 1) become digits, and leading zeros go. Placeholders such as
// "N/A" or "unknown" give "".
func Serial(s string) string {
	s = strings.TrimSpace(s)
	if isPlaceholder(s) {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == 'O':
			b.WriteByte('0')
		case r == 'I':
			b.WriteByte('1')
		case r < 128 && (unicode.IsDigit(r) || unicode.IsLetter(r)):
			b.WriteRune(r)
		}
	}
	return strings.TrimLeft(b.String(), "0")
}

var placeholders = map[string]bool{
	"": true, "N/A": true, "NA": true, "NONE": true, "UNKNOWN": true, "UNK": true,
	"-": true, "--": true, "TBD": true, "NULL": true, "0": true, "?": true, "NOSERIAL": true, "NO SERIAL": true,
}

func isPlaceholder(s string) bool { return placeholders[strings.ToUpper(s)] }

// MAC returns the canonical lower-case colon form (aa:bb:cc:dd:ee:ff) of a
// MAC address written in any common notation (colons, dashes, Cisco dots,
// bare hex), or "" when s is not a MAC.
func MAC(s string) string {
	var hex [12]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			c += 'a' - 'A'
		case c == ':' || c == '-' || c == '.' || c == ' ':
			continue
		default:
			return ""
		}
		if n == 12 {
			return ""
		}
		hex[n] = c
		n++
	}
	if n != 12 {
		return ""
	}
	out := make([]byte, 0, 17)
	for i := 0; i < 12; i += 2 {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, hex[i], hex[i+1])
	}
	return string(out)
}

// Hostname lower-cases a host name and drops its domain, so that the short
// name and the FQDN compare equal. IP addresses are returned unchanged.
func Hostname(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimSuffix(s, ".")))
	if MaybeIP(s) {
		if _, err := netip.ParseAddr(s); err == nil {
			return s
		}
	}
	if i := strings.IndexByte(s, '.'); i > 0 {
		s = s[:i]
	}
	return s
}

// IP returns the canonical text of an IP address, or "" if s is not one.
// An address already in canonical form is returned as it is, without a
// copy (it usually is: stored addresses were normalised on import).
func IP(s string) string {
	t := strings.TrimSpace(s)
	if !MaybeIP(t) {
		return ""
	}
	a, err := netip.ParseAddr(t)
	if err != nil {
		return ""
	}
	var buf [64]byte
	if b := a.Unmap().AppendTo(buf[:0]); string(b) == t {
		return t
	}
	return a.Unmap().String()
}

// MaybeIP reports whether s is made only of what an IP address can hold
// (hex digits, dots, colons; anything after an IPv6 zone's %): anything
// else is certainly not one, and is turned away without the cost of a
// parse error.
func MaybeIP(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			return i > 0
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// Key folds a free-text name (a manufacturer, a device type) for dictionary
// lookups: lower case, letters and digits only, diacritics folded.
func Key(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if f, ok := fold[r]; ok {
			b.WriteString(f)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fold spells out the diacritics common in manufacturer names the way their
// ASCII exports do (Dräger → draeger).
var fold = map[rune]string{
	'ä': "ae", 'ö': "oe", 'ü': "ue", 'ß': "ss", 'é': "e", 'è': "e", 'ê': "e",
	'á': "a", 'à': "a", 'â': "a", 'ó': "o", 'ô': "o", 'í': "i", 'ñ': "n", 'ç': "c", 'å': "a", 'ø': "o",
}
