package correlate

import (
	"net/netip"
	"strings"

	"github.com/medsec/medsec/internal/normalize"
)

// src is a Source as a small enum.
type src uint8

const (
	srcCMMS src = iota
	srcCMDB
	srcMon // monitoring and any other network-side source
)

func parseSource(s Source) src {
	switch Source(strings.ToLower(strings.TrimSpace(string(s)))) {
	case CMMS:
		return srcCMMS
	case CMDB:
		return srcCMDB
	}
	return srcMon
}

// Manufacturer states of a prepared record.
const (
	mfrNone = -1 // blank, placeholder, or a NIC/OUI vendor: says nothing about the maker
	mfrText = -2 // a name the catalog does not know (IT vendors): compared as text
)

// rec is a Record prepared for matching. Fields are ordered to pack: a
// million-device run holds about three million of these.
type rec struct {
	id                    int64
	seen                  int64 // LastSeen in Unix seconds, 0 when unknown
	serial, mac, ip, host string
	tag                   string
	mfrText               string // folded name when mfr == mfrText
	modelText             string // folded model text when model == -1
	classWhy              string // reason when class == classNonMedical
	mfr                   int32  // catalog maker index, or mfrNone / mfrText
	model                 int32  // catalog model index, or -1
	src                   src
	class                 classKind
	nic                   bool // the manufacturer field named a NIC/OUI vendor
	mfrFromModel          bool // mfr inferred from a catalog model
}

// prepare turns a Record into a rec. lk caches name look-ups; it is not
// shared between goroutines.
func prepare(r *Record, lk *lookups) rec {
	x := prepareKeys(r)
	x.src = parseSource(r.Source)
	if !r.LastSeen.IsZero() {
		x.seen = r.LastSeen.Unix()
	}
	m := lk.manufacturer(r.Manufacturer)
	x.mfr, x.mfrText, x.nic = m.idx, m.text, m.nic
	md := lk.model(r.Model)
	x.model, x.modelText = md.idx, md.text
	if x.mfr < 0 && x.model >= 0 {
		x.mfr, x.mfrFromModel = catModels[x.model].mfr, true
	}
	c := lk.class(x.src, r.Class)
	x.class, x.classWhy = c.kind, c.why
	return x
}

// prepareKeys fills what blocking reads: the id and the identifiers. A
// neighbour search needs no more, and skips resolving names.
func prepareKeys(r *Record) rec {
	return rec{id: r.ID, model: -1, serial: serialKey(r.Serial), mac: macKey(r.MAC), ip: normalize.IP(r.IP),
		host: hostKey(r.Hostname), tag: strings.ToUpper(strings.TrimSpace(r.AssetTag))}
}

// serialKey re-applies normalize.Serial unless the value is already in its
// canonical form (the usual case: it saves an allocation per record), and
// drops serials too short to identify anything.
func serialKey(s string) string {
	if !isCanonicalSerial(s) {
		s = normalize.Serial(s)
	}
	if len(s) < minSerial {
		return ""
	}
	return s
}

func isCanonicalSerial(s string) bool {
	if s == "" || s[0] == '0' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') || c == 'O' || c == 'I' {
			return false
		}
	}
	return true
}

// macKey returns the canonical MAC, skipping the work when s already is one.
func macKey(s string) string {
	if len(s) == 17 && s[2] == ':' && s == strings.ToLower(s) {
		return s
	}
	return normalize.MAC(s)
}

// hostKey returns the short lower-case hostname, or "" when the "hostname"
// is an IP address (discovery names CIs by IP when DNS has nothing, and a
// stale IP is not a name).
func hostKey(s string) string {
	h := normalize.Hostname(s)
	if h == "" {
		return ""
	}
	if normalize.MaybeIP(h) {
		if _, err := netip.ParseAddr(h); err == nil {
			return ""
		}
	}
	return h
}
