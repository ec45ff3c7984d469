package demo

import (
	"math/rand/v2"
	"strings"
)

// Noise rates. Each is the probability, per record or per device, that the
// named imperfection is introduced. They are deliberately small and fixed so
// a matcher's accuracy on demo data is comparable between runs and sizes.
// Real exports are messier; these rates exercise every failure mode without
// drowning the signal.
const (
	// Presence in each system.
	NotInCMMSRate      = 0.03 // networked device seen on the network but never entered in the CMMS
	NeverSeenRate      = 0.08 // networked CMMS device never seen by passive monitoring
	NotInCMDBRate      = 0.20 // networked device never discovered into the CMDB
	CMDBDuplicateRate  = 0.02 // device present twice in the CMDB (two sys_ids)
	RetiredSeenRate    = 0.10 // retired device still seen by monitoring (stale last-seen)
	RetiredInstalledCI = 0.70 // retired device whose CMDB CI still says install_status 1 (Installed)

	// Serial numbers.
	CMMSSerialMissingRate = 0.01 // CMMS record without a serial
	CMMSSerialTypoRate    = 0.01 // CMMS serial mistyped (O/0, I/1, dropped leading zero, case, stray dash/space)
	CMDBSerialMissingRate = 0.60 // medical CI without serial (network discovery cannot read it)
	CMDBSerialTypoRate    = 0.03 // CMDB serial mistyped
	MonSerialPresentRate  = 0.30 // monitoring decoded the serial from a protocol
	MonSerialTypoRate     = 0.02 // monitoring serial mistyped

	// Network identity.
	CMMSNetworkTabRate  = 0.40 // networked CMMS device with MAC/IP/hostname filled in
	DHCPChurnRate       = 0.10 // CMDB holds a stale IP, now leased to another device
	HostnameRate        = 0.70 // networked device has a DNS hostname at all
	MonHostnameRate     = 0.75 // monitoring learned the hostname (DHCP/DNS) when there is one
	CMDBOUIVendorRate   = 0.60 // CMDB manufacturer is the NIC's OUI vendor, not the maker
	CMDBManufBlankRate  = 0.10 // CMDB manufacturer blank
	MonOUIVendorRate    = 0.12 // monitoring could only attribute the NIC vendor
	MonUnclassifiedRate = 0.06 // monitoring could not classify the device (no maker/model)

	// Population outside the CMMS.
	NonMedicalPerDevice = 0.45 // non-medical CIs (workstations, printers, switches...) per medical device
	NonMedicalSeenRate  = 0.85 // non-medical CI also seen by monitoring
	RoguePerDevice      = 0.01 // rogue/unknown devices (monitoring only) per medical device

	// CMMS status mix (remainder is Active).
	OutForRepairRate = 0.02
	MissingRate      = 0.015
	RetiredRate      = 0.035
)

// MAC notations used by the different systems.
const (
	macColonLower = iota // aa:bb:cc:dd:ee:ff (ServiceNow, most monitoring tools)
	macColonUpper        // AA:BB:CC:DD:EE:FF
	macDashUpper         // AA-BB-CC-DD-EE-FF (Windows, hand-typed CMMS)
	macCisco             // aabb.ccdd.eeff (switch CLI)
	macBareUpper         // AABBCCDDEEFF
)

const hexLower = "0123456789abcdef"
const hexUpper = "0123456789ABCDEF"

// formatMAC writes a MAC in one of the notations above.
func formatMAC(m [6]byte, notation int) string {
	var b [17]byte
	hx := hexLower
	if notation == macColonUpper || notation == macDashUpper || notation == macBareUpper {
		hx = hexUpper
	}
	switch notation {
	case macCisco:
		n := 0
		for i, x := range m {
			if i == 2 || i == 4 {
				b[n] = '.'
				n++
			}
			b[n], b[n+1] = hx[x>>4], hx[x&15]
			n += 2
		}
		return string(b[:n])
	case macBareUpper:
		n := 0
		for _, x := range m {
			b[n], b[n+1] = hx[x>>4], hx[x&15]
			n += 2
		}
		return string(b[:n])
	default:
		sep := byte(':')
		if notation == macDashUpper {
			sep = '-'
		}
		n := 0
		for i, x := range m {
			if i > 0 {
				b[n] = sep
				n++
			}
			b[n], b[n+1] = hx[x>>4], hx[x&15]
			n += 2
		}
		return string(b[:n])
	}
}

// cmmsMACNotation picks how a biomed technician typed the MAC into the CMMS
// network tab: every notation occurs.
func cmmsMACNotation(r *rand.Rand) int {
	x := r.Float64()
	switch {
	case x < 0.35:
		return macDashUpper
	case x < 0.60:
		return macColonLower
	case x < 0.75:
		return macColonUpper
	case x < 0.90:
		return macBareUpper
	default:
		return macCisco
	}
}

// mistypeSerial returns s with one realistic transcription error: O/0 or I/1
// swapped, a leading zero dropped, case changed, or a stray dash or space.
func mistypeSerial(r *rand.Rand, s string) string {
	if s == "" {
		return s
	}
	for try := 0; try < 4; try++ {
		var out string
		switch r.IntN(6) {
		case 0: // 0 → O
			out = swapOne(r, s, '0', 'O')
		case 1: // 1 → I
			out = swapOne(r, s, '1', 'I')
		case 2:
			if s[0] == '0' {
				out = s[1:]
			} else if i := strings.IndexByte(s, '0'); i > 0 {
				out = s[:i] + s[i+1:] // dropped digit
			}
		case 3:
			out = strings.ToLower(s)
		case 4:
			i := 1 + r.IntN(len(s))
			if i >= len(s) {
				i = len(s) - 1
			}
			out = s[:i] + "-" + s[i:]
		case 5:
			out = s + " "
			if r.IntN(2) == 0 {
				out = " " + s
			}
		}
		if out != "" && out != s {
			return out
		}
	}
	return s + " "
}

func swapOne(r *rand.Rand, s string, from, to byte) string {
	var idx [32]int
	n := 0
	for i := 0; i < len(s) && n < len(idx); i++ {
		if s[i] == from {
			idx[n] = i
			n++
		}
	}
	if n == 0 {
		return ""
	}
	i := idx[r.IntN(n)]
	return s[:i] + string(to) + s[i+1:]
}

// hostnameVariant renders a hostname as one system shows it: short or FQDN,
// lower or upper case.
func hostnameVariant(r *rand.Rand, short, domain string, pFQDN, pUpper float64) string {
	h := short
	if r.Float64() < pFQDN {
		h = short + "." + domain
	}
	if r.Float64() < pUpper {
		h = strings.ToUpper(h)
	}
	return h
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// pick returns a uniformly chosen element.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }
