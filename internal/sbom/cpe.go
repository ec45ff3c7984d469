package sbom

import (
	"strings"

	"github.com/medsec/medsec/internal/vers"
)

// CPE holds the leading attributes of a CPE 2.3 formatted string or a CPE
// 2.2 URI, unescaped; "*" / "" (ANY) and "-" (NA) are kept as written.
type CPE struct {
	Part    string // "a", "o" or "h"
	Vendor  string
	Product string
	Version string
	Update  string
}

// ParseCPE parses "cpe:2.3:a:vendor:product:version:..." or
// "cpe:/a:vendor:product:version". ok is false for anything else.
func ParseCPE(s string) (c CPE, ok bool) {
	s = strings.TrimSpace(s)
	var fields []string
	switch {
	case strings.HasPrefix(strings.ToLower(s), "cpe:2.3:"):
		fields = splitCPE23(s[len("cpe:2.3:"):])
		for i, f := range fields {
			fields[i] = vers.UnescapeCPE(f)
		}
	case strings.HasPrefix(strings.ToLower(s), "cpe:/"):
		fields = strings.Split(s[len("cpe:/"):], ":")
		for i, f := range fields {
			if d, err := urlUnescape(f); err == nil {
				fields[i] = d
			}
		}
	default:
		return CPE{}, false
	}
	for len(fields) < 5 {
		fields = append(fields, "")
	}
	c = CPE{Part: strings.ToLower(fields[0]), Vendor: fields[1], Product: fields[2], Version: fields[3], Update: fields[4]}
	if c.Part != "a" && c.Part != "o" && c.Part != "h" || c.Vendor == "" || c.Product == "" {
		return CPE{}, false
	}
	return c, true
}

// splitCPE23 splits on ':' not preceded by a backslash escape.
func splitCPE23(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ':':
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func urlUnescape(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			h, l := unhex(s[i+1]), unhex(s[i+2])
			if h >= 0 && l >= 0 {
				b.WriteByte(byte(h<<4 | l))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String(), nil
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// VendorProduct is a candidate (vendor, product) pair for matching a
// component against NVD CPE names. Source says where it came from: "cpe",
// "purl" or "name" (supplier + component name, the weakest guess).
type VendorProduct struct {
	Vendor  string
	Product string
	Part    string // from the CPE when Source is "cpe", else ""
	Source  string
}

// CPECandidates returns vendor/product candidates for c, strongest first and
// without duplicates: every parsable CPE; else (no usable CPE) guesses from
// the PURL namespace/name; else from supplier and name. Guessed values are
// normalised the way NVD spells them: lower case, spaces to "_".
func CPECandidates(c Component) []VendorProduct {
	var out []VendorProduct
	seen := map[[2]string]bool{}
	add := func(v, p, part, src string) {
		if p == "" {
			return
		}
		k := [2]string{v, p}
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, VendorProduct{Vendor: v, Product: p, Part: part, Source: src})
	}
	for _, s := range c.CPEs {
		if cp, ok := ParseCPE(s); ok && cp.Vendor != "*" && cp.Product != "*" {
			add(strings.ToLower(cp.Vendor), strings.ToLower(cp.Product), cp.Part, "cpe")
		}
	}
	if len(out) > 0 {
		return out
	}
	if p, err := ParsePURL(c.PURL); err == nil {
		name := cpeWord(p.Name)
		ns := p.Namespace
		switch p.Type {
		case "maven":
			// org.apache.logging.log4j -> apache ; com.fasterxml.jackson.core -> fasterxml
			parts := strings.Split(ns, ".")
			if len(parts) >= 2 {
				add(cpeWord(parts[1]), name, "", "purl")
			}
			if len(parts) > 0 {
				add(cpeWord(parts[len(parts)-1]), name, "", "purl")
			}
		case "golang":
			// github.com/owner/repo
			segs := strings.Split(ns, "/")
			add(cpeWord(segs[len(segs)-1]), name, "", "purl")
		default:
			if ns != "" {
				segs := strings.Split(ns, "/")
				add(cpeWord(strings.TrimPrefix(segs[len(segs)-1], "@")), name, "", "purl")
			}
		}
		// Many projects are their own vendor (wolfssl:wolfssl, jquery:jquery).
		add(name, name, "", "purl")
	}
	if len(out) > 0 {
		return out
	}
	if c.Name != "" {
		if c.Supplier != "" {
			add(cpeWord(c.Supplier), cpeWord(c.Name), "", "name")
		}
		add(cpeWord(c.Name), cpeWord(c.Name), "", "name")
	}
	return out
}

func cpeWord(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Join(strings.Fields(s), "_")
}
