package match

import (
	"strings"

	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/normalize"
)

// vendorHit is one manufacturer an advisory's vendor branch name stands for,
// with the reason shown to the user.
type vendorHit struct {
	key      string // bucket key: normalize.Key of the canonical (or raw) name
	evidence string
	factor   float64 // multiplies the product confidence
}

// resolveVendor maps a CSAF vendor branch name onto manufacturer bucket keys.
//
// The whole name is tried first through catalog.CanonicalManufacturer, which
// knows aliases and acquired brands ("Becton, Dickinson and Company (BD)" →
// BD). CISA also writes joint advisories under one vendor branch ("Silex
// Technology and GE Healthcare", "Hillrom and ELI, Baxter International
// Inc."), so when the whole name is not recognised it is split on commas,
// "and", "&" and "/" and each recognised part is tried too. A name the
// catalogue does not know still matches a device whose manufacturer has the
// same normalised spelling, at a lower confidence, so an advisory for a maker
// missing from the catalogue is never lost.
func resolveVendor(vendor string) []vendorHit {
	vendor = strings.TrimSpace(vendor)
	if vendor == "" {
		return nil
	}
	if c, ok := catalog.CanonicalManufacturer(vendor); ok {
		return []vendorHit{canonicalHit(vendor, c, "")}
	}
	var hits []vendorHit
	seen := map[string]bool{}
	add := func(h vendorHit) {
		if h.key != "" && !seen[h.key] {
			seen[h.key] = true
			hits = append(hits, h)
		}
	}
	add(vendorHit{key: normalize.Key(vendor), factor: 0.9,
		evidence: "vendor '" + vendor + "' = manufacturer '" + vendor + "' (same spelling, not in catalogue)"})
	parts := splitVendor(vendor)
	if len(parts) > 1 {
		for _, p := range parts {
			if c, ok := catalog.CanonicalManufacturer(p); ok {
				add(canonicalHit(vendor, c, p))
			} else {
				add(vendorHit{key: normalize.Key(p), factor: 0.85,
					evidence: "vendor '" + vendor + "' names '" + p + "' (joint advisory; same spelling, not in catalogue)"})
			}
		}
	}
	return hits
}

func canonicalHit(vendor, canonical, part string) vendorHit {
	how := "alias"
	if normalize.Key(vendor) == normalize.Key(canonical) {
		how = "same name"
	}
	if part != "" {
		if normalize.Key(part) == normalize.Key(canonical) {
			how = "joint advisory, part '" + part + "'"
		} else {
			how = "joint advisory, part '" + part + "' is an alias"
		}
	}
	return vendorHit{key: normalize.Key(canonical), factor: 1,
		evidence: "vendor '" + vendor + "' = manufacturer " + canonical + " (" + how + ")"}
}

// splitVendor splits a joint vendor name into its makers.
func splitVendor(s string) []string {
	s = strings.NewReplacer(" and ", ",", " AND ", ",", "&", ",", "/", ",", ";", ",").Replace(s)
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// deviceVendorKey is the bucket key of a device's manufacturer. Devices are
// supposed to carry the canonical name already; canonicalising again is cheap
// and makes a raw spelling from an import land in the right bucket.
func deviceVendorKey(m string) string {
	if c, ok := catalog.CanonicalManufacturer(m); ok {
		return normalize.Key(c)
	}
	return normalize.Key(m)
}

// canonicalName is the catalogue name of a manufacturer, or the trimmed input.
func canonicalName(m string) string {
	c, _ := catalog.CanonicalManufacturer(m)
	return c
}
