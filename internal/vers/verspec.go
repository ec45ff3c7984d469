package vers

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// schemes lists the VERS schemes whose ordering this package implements
// faithfully enough to be certain. Others (deb, rpm, pypi, maven, ...) have
// rules of their own (epochs, "~", PEP 440) and are reported as needing
// review rather than silently compared with the wrong rules.
var schemes = map[string]bool{
	"generic": true, "intdot": true, "semver": true, "npm": true,
	"cargo": true, "golang": true, "all": true,
}

// semverish reports whether "-" starts a pre-release in the scheme.
func semverish(scheme string) bool {
	switch scheme {
	case "semver", "npm", "cargo", "golang":
		return true
	}
	return false
}

// parseVERS reads a purl-spec VERS string: "vers:<scheme>/<c>|<c>...", each
// constraint an optional comparator (=, !=, <, <=, >, >=) and a
// percent-encoded version, or "*" alone. Per the spec the range constraints
// are sorted by version and read as alternating lower and upper bounds.
func parseVERS(raw, t string) Constraint {
	body := strings.Join(strings.Fields(t[5:]), "")
	scheme, list, ok := strings.Cut(body, "/")
	scheme = strings.ToLower(scheme)
	if !ok || scheme == "" {
		return uncertain(raw, "vers: missing scheme or '/'")
	}
	if !schemes[scheme] {
		return uncertain(raw, fmt.Sprintf("vers scheme %q is not implemented", scheme))
	}
	c := Constraint{Raw: raw, Certain: true, Scheme: scheme}
	if list == "*" {
		c.Ranges = []Range{{}}
		return c
	}
	if list == "" {
		return uncertain(raw, "vers: no constraints")
	}
	type bound struct {
		op string
		v  Version
	}
	var bounds []bound
	for _, part := range strings.Split(list, "|") {
		op, rest := splitOp(part)
		if op == "" {
			op = "="
		}
		if rest == "*" {
			return uncertain(raw, "vers: '*' must be the only constraint")
		}
		dec, err := url.PathUnescape(rest)
		if err != nil {
			return uncertain(raw, "vers: bad percent-encoding in "+rest)
		}
		v := parse(dec, semverish(scheme))
		if !v.Valid() || v.Wildcard {
			return uncertain(raw, fmt.Sprintf("vers: %q is not a version", dec))
		}
		switch op {
		case "=":
			r, _ := newRange("=", v)
			c.Ranges = append(c.Ranges, r)
		case "!=":
			c.Exclude = append(c.Exclude, v)
		case "<", "<=", ">", ">=":
			bounds = append(bounds, bound{op, v})
		default:
			return uncertain(raw, "vers: unknown comparator "+op)
		}
	}
	// Sorting needs every pair comparable; otherwise the order, and so the
	// meaning, is unknown.
	for i := range bounds {
		for j := i + 1; j < len(bounds); j++ {
			if _, ok := bounds[i].v.Compare(bounds[j].v); !ok {
				return uncertain(raw, fmt.Sprintf("vers: %s and %s cannot be ordered", bounds[i].v.Raw, bounds[j].v.Raw))
			}
		}
	}
	sort.SliceStable(bounds, func(i, j int) bool {
		d, _ := bounds[i].v.Compare(bounds[j].v)
		return d < 0
	})
	isLower := func(op string) bool { return op[0] == '>' }
	for i := 0; i < len(bounds); i++ {
		b := bounds[i]
		r, _ := newRange(b.op, b.v)
		if isLower(b.op) && i+1 < len(bounds) {
			n := bounds[i+1]
			if isLower(n.op) {
				return uncertain(raw, "vers: two lower bounds in a row")
			}
			u, _ := newRange(n.op, n.v)
			r.Upper = u.Upper
			i++
		} else if !isLower(b.op) && i > 0 {
			return uncertain(raw, "vers: upper bound without a lower bound after the first")
		}
		c.Ranges = append(c.Ranges, r)
	}
	if len(c.Ranges) == 0 { // only "!=": everything else
		c.Ranges = []Range{{}}
	}
	return c
}

// splitOp separates a leading comparator from the rest, trimming spaces.
func splitOp(s string) (string, string) {
	s = strings.TrimSpace(s)
	for _, op := range []string{"!=", "<=", ">=", "=<", "=>", "<", ">", "=", "≤", "≥"} {
		if rest, ok := strings.CutPrefix(s, op); ok {
			switch op {
			case "=<", "≤":
				op = "<="
			case "=>", "≥":
				op = ">="
			}
			return op, strings.TrimSpace(rest)
		}
	}
	return "", s
}
