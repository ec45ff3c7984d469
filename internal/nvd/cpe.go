package nvd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/medsec/medsec/internal/vers"
)

// CPE is a parsed CPE 2.3 formatted string
// ("cpe:2.3:o:bd:alaris_8015_pcu_firmware:*:*:*:*:*:*:*:*"). Attribute values
// have their escapes removed ("1\.0" becomes "1.0"); "*" is ANY and "-" is NA
// (use IsAny and IsNA: a quoted "\*" is a literal asterisk, not ANY).
type CPE struct {
	Part      string // "a" application, "o" operating system/firmware, "h" hardware
	Vendor    string
	Product   string
	Version   string
	Update    string
	Edition   string
	Language  string
	SWEdition string
	TargetSW  string
	TargetHW  string
	Other     string
	// raw holds the 11 attribute values as written, escapes included.
	raw [11]string
}

// cpeAttrs names the attributes in formatted-string order, for errors.
var cpeAttrs = [11]string{"part", "vendor", "product", "version", "update", "edition", "language", "sw_edition", "target_sw", "target_hw", "other"}

// ErrCPE is wrapped by every ParseCPE error.
var ErrCPE = errors.New("invalid CPE 2.3 formatted string")

// ParseCPE parses a CPE 2.3 formatted string. It splits at unescaped colons,
// requires the "cpe:2.3:" prefix and exactly 11 attributes, a part of a, o,
// h, * or -, and no empty attribute or dangling backslash.
func ParseCPE(s string) (CPE, error) {
	var c CPE
	if !strings.HasPrefix(s, "cpe:2.3:") {
		return c, fmt.Errorf("%w: %q does not start with \"cpe:2.3:\"", ErrCPE, clip(s))
	}
	rest := s[len("cpe:2.3:"):]
	n := 0
	start := 0
	for i := 0; i <= len(rest); i++ {
		if i < len(rest) && rest[i] == '\\' {
			if i+1 >= len(rest) {
				return c, fmt.Errorf("%w: %q ends with a lone backslash", ErrCPE, clip(s))
			}
			i++
			continue
		}
		if i == len(rest) || rest[i] == ':' {
			if n >= 11 {
				return c, fmt.Errorf("%w: %q has more than 11 attributes", ErrCPE, clip(s))
			}
			v := rest[start:i]
			if v == "" {
				return c, fmt.Errorf("%w: %q has an empty %s attribute", ErrCPE, clip(s), cpeAttrs[n])
			}
			c.raw[n] = v
			n++
			start = i + 1
		}
	}
	if n != 11 {
		return c, fmt.Errorf("%w: %q has %d attributes, want 11", ErrCPE, clip(s), n)
	}
	switch c.raw[0] {
	case "a", "o", "h", "*", "-":
	default:
		return c, fmt.Errorf("%w: %q has part %q, want a, o or h", ErrCPE, clip(s), c.raw[0])
	}
	f := [11]*string{&c.Part, &c.Vendor, &c.Product, &c.Version, &c.Update, &c.Edition, &c.Language, &c.SWEdition, &c.TargetSW, &c.TargetHW, &c.Other}
	for i, v := range c.raw {
		*f[i] = vers.UnescapeCPE(v)
	}
	return c, nil
}

// RawVersion is the version attribute as written, escapes included; it is
// what vers.NVDCPE expects.
func (c CPE) RawVersion() string { return c.raw[3] }

// IsAny reports whether attribute i (0 = part … 10 = other) is the ANY
// wildcard "*".
func (c CPE) IsAny(i int) bool { return i >= 0 && i < 11 && c.raw[i] == "*" }

// IsNA reports whether attribute i is NA ("-").
func (c CPE) IsNA(i int) bool { return i >= 0 && i < 11 && c.raw[i] == "-" }

// String formats the CPE back into a formatted string. Values parsed by
// ParseCPE keep their original escapes.
func (c CPE) String() string {
	vals := [11]string{c.Part, c.Vendor, c.Product, c.Version, c.Update, c.Edition, c.Language, c.SWEdition, c.TargetSW, c.TargetHW, c.Other}
	var b strings.Builder
	b.WriteString("cpe:2.3")
	for i, v := range vals {
		b.WriteByte(':')
		switch {
		case c.raw[i] != "" && vers.UnescapeCPE(c.raw[i]) == v:
			b.WriteString(c.raw[i])
		case v == "":
			b.WriteByte('*')
		default:
			b.WriteString(escape(v))
		}
	}
	return b.String()
}

// Short is the CPE up to its version ("cpe:2.3:o:bd:alaris_8015_pcu_firmware:*"),
// the part that evidence lines show.
func (c CPE) Short() string {
	return "cpe:2.3:" + c.raw[0] + ":" + c.raw[1] + ":" + c.raw[2] + ":" + c.raw[3]
}

// escape quotes every character that is not alphanumeric, '_', '-' or '.'
// (a value that is exactly "*" or "-" is written quoted as well, so it is not
// read back as ANY or NA).
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		plain := ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '.' || ch == '-' && len(s) > 1
		if !plain {
			b.WriteByte('\\')
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// clip shortens s for error messages.
func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
