package sbom

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// PURL is a parsed package URL (https://github.com/package-url/purl-spec).
// All components are percent-decoded.
type PURL struct {
	Type       string // lower-cased, e.g. "nuget", "github", "generic"
	Namespace  string // "/"-separated segments, may be ""
	Name       string
	Version    string
	Qualifiers map[string]string // keys lower-cased; nil if none
	Subpath    string
}

// ParsePURL parses s per the purl specification: scheme "pkg:", type,
// optional namespace segments, name, optional @version, ?qualifiers and
// #subpath, percent-decoding each part, and applying the type-specific
// normalisations the spec mandates for github, bitbucket, pypi and
// composer (case folding, "_" to "-" for pypi names).
func ParsePURL(s string) (PURL, error) {
	var p PURL
	orig := s
	fail := func(format string, a ...any) (PURL, error) {
		return PURL{}, fmt.Errorf("purl %q: %s", orig, fmt.Sprintf(format, a...))
	}
	s = strings.TrimSpace(s)
	// subpath: split once from the right on '#'
	if i := strings.LastIndexByte(s, '#'); i >= 0 {
		var segs []string
		for _, seg := range strings.Split(strings.Trim(s[i+1:], "/"), "/") {
			if seg == "" || seg == "." || seg == ".." {
				continue
			}
			d, err := url.PathUnescape(seg)
			if err != nil {
				return fail("bad subpath: %v", err)
			}
			segs = append(segs, d)
		}
		p.Subpath = strings.Join(segs, "/")
		s = s[:i]
	}
	// qualifiers: split once from the right on '?'
	if i := strings.LastIndexByte(s, '?'); i >= 0 {
		for _, kv := range strings.Split(s[i+1:], "&") {
			if kv == "" {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			k = strings.ToLower(k)
			if !validQualifierKey(k) {
				return fail("bad qualifier key %q", k)
			}
			dv, err := url.PathUnescape(v)
			if err != nil {
				return fail("bad qualifier %q: %v", k, err)
			}
			if dv == "" {
				continue
			}
			if p.Qualifiers == nil {
				p.Qualifiers = map[string]string{}
			}
			if _, dup := p.Qualifiers[k]; dup {
				return fail("duplicate qualifier %q", k)
			}
			p.Qualifiers[k] = dv
		}
		s = s[:i]
	}
	// scheme
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || !strings.EqualFold(scheme, "pkg") {
		return fail(`missing "pkg:" scheme`)
	}
	rest = strings.Trim(rest, "/")
	// type
	typ, rest, ok := strings.Cut(rest, "/")
	if !ok || typ == "" {
		return fail("missing type or name")
	}
	if !validType(typ) {
		return fail("bad type %q", typ)
	}
	p.Type = strings.ToLower(typ)
	// version: split once from the right on '@'
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		v, err := url.PathUnescape(rest[i+1:])
		if err != nil {
			return fail("bad version: %v", err)
		}
		p.Version = v
		rest = rest[:i]
	}
	rest = strings.Trim(rest, "/")
	// name: split once from the right on '/'
	nameEnc := rest
	nsEnc := ""
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		nameEnc, nsEnc = rest[i+1:], rest[:i]
	}
	name, err := url.PathUnescape(nameEnc)
	if err != nil {
		return fail("bad name: %v", err)
	}
	if name == "" {
		return fail("missing name")
	}
	p.Name = name
	var segs []string
	for _, seg := range strings.Split(nsEnc, "/") {
		if seg == "" {
			continue
		}
		d, err := url.PathUnescape(seg)
		if err != nil {
			return fail("bad namespace: %v", err)
		}
		segs = append(segs, d)
	}
	p.Namespace = strings.Join(segs, "/")
	switch p.Type {
	case "github", "bitbucket", "composer":
		p.Namespace = strings.ToLower(p.Namespace)
		p.Name = strings.ToLower(p.Name)
	case "pypi":
		p.Name = strings.ReplaceAll(strings.ToLower(p.Name), "_", "-")
	}
	return p, nil
}

func validType(t string) bool {
	if t == "" || (t[0] >= '0' && t[0] <= '9') {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '+' || r == '-') {
			return false
		}
	}
	return true
}

func validQualifierKey(k string) bool {
	if k == "" || (k[0] >= '0' && k[0] <= '9') {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// String returns the canonical purl (qualifiers sorted, parts percent-encoded).
func (p PURL) String() string {
	var b strings.Builder
	b.WriteString("pkg:")
	b.WriteString(p.Type)
	b.WriteByte('/')
	if p.Namespace != "" {
		for _, seg := range strings.Split(p.Namespace, "/") {
			b.WriteString(purlEscape(seg))
			b.WriteByte('/')
		}
	}
	b.WriteString(purlEscape(p.Name))
	if p.Version != "" {
		b.WriteByte('@')
		b.WriteString(purlEscape(p.Version))
	}
	if len(p.Qualifiers) > 0 {
		keys := make([]string, 0, len(p.Qualifiers))
		for k := range p.Qualifiers {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			if i == 0 {
				b.WriteByte('?')
			} else {
				b.WriteByte('&')
			}
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(purlEscape(p.Qualifiers[k]))
		}
	}
	if p.Subpath != "" {
		b.WriteByte('#')
		for i, seg := range strings.Split(p.Subpath, "/") {
			if i > 0 {
				b.WriteByte('/')
			}
			b.WriteString(purlEscape(seg))
		}
	}
	return b.String()
}

// purlEscape percent-encodes everything except unreserved characters and ':'.
func purlEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~:", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
