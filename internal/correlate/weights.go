package correlate

import "math"

// Config holds the decision thresholds, on the log2 match-weight scale of
// Fellegi–Sunter: a weight W means the observed agreements are 2^W times
// more likely for a true pair than for a chance pair.
type Config struct {
	// LinkThreshold: a pair with W ≥ LinkThreshold (and no conflict) is
	// linked automatically.
	LinkThreshold float64
	// ReviewThreshold: a pair with ReviewThreshold ≤ W < LinkThreshold goes
	// to the human review queue; below it the pair is dropped.
	ReviewThreshold float64
}

// DefaultConfig returns the thresholds tuned on the demo data.
//
// LinkThreshold 16 is reached by any one strong identifier (MAC 23.2,
// serial 19.9, asset tag 19.9), by an approximate serial with the maker and
// model agreeing (9.97+3.57+4.91 = 18.4) and by hostname plus a recent IP
// (6.49+9.64 = 16.1), but not by a hostname with maker and model (15.0):
// short hostnames repeat across sites and are built from the department and
// modality, so maker and model come with them for free.
//
// ReviewThreshold 8 keeps an approximate serial alone (9.97) or a hostname
// with maker agreement in the queue, and drops IP-only or maker/model-only
// coincidences.
func DefaultConfig() Config { return Config{LinkThreshold: 16, ReviewThreshold: 8} }

// mu is one agreement level's m-probability (P(observation | same device))
// and u-probability (P(observation | different devices that share a block)).
type mu struct{ m, u float64 }

// agree is log2(m/u), the weight of observing this agreement level.
func (p mu) agree() float64 { return math.Log2(p.m / p.u) }

// disagree is log2((1-m)/(1-u)), the weight of observing disagreement.
func (p mu) disagree() float64 { return math.Log2((1 - p.m) / (1 - p.u)) }

// The m/u values. Each is a judgement on real exports, checked against the
// demo generator's noise rates (internal/demo/noise.go); the weight each
// gives is in the trailing comment.
var (
	// Serial, exact after normalisation. m: about 3% of serials are
	// mistyped in some source. u: serials are unique per maker; a chance
	// equality across makers or with a placeholder-like short serial is of
	// the order of one in a million.
	pSerialExact = mu{0.97, 1e-6} // +19.9, disagree −5.06
	// Serial with one character dropped (see editDistance1), the longer at
	// least minApproxSerial long. m: the share of true pairs whose serials
	// differ by exactly such a typo (≈2%). u: a serial that lost its
	// leading zero is one insertion away from other serials of the same
	// maker's dense digit runs, about 2 in 100,000 same-block pairs.
	pSerialApprox = mu{0.02, 2e-5} // +9.97
	// MAC, exact. m: a device keeps its NIC; u: MACs are globally unique,
	// chance equality is a spoofed or mistyped MAC.
	pMAC = mu{0.99, 1e-7} // +23.2 (disagreement is a hard conflict)
	// Hostname (short form). m: 10% of hosts are renamed or re-imaged. u:
	// hospital hostnames are department tag + modality tag + a per-site
	// counter, so the short name repeats across sites (about 1 in 100 pairs
	// that share a hostname block are different devices).
	pHost = mu{0.9, 0.01} // +6.49, disagree −3.30
	// IP, equal and both sightings within recentIP of each other. m: 80% of
	// true pairs still hold the same lease; u: address plans repeat across
	// merged sites and DHCP reuses leases (1 in 1,000).
	pIPRecent = mu{0.8, 1e-3} // +9.64, disagree (both levels) −2.32
	// IP, equal but one side undated (CMMS) or sightings far apart: the
	// lease may have moved to another device since (DHCP churn is ~10%).
	pIPStale = mu{0.1, 1e-3} // +6.64
	// Asset tag: CMMS equipment ID = CMDB asset_tag. m: when the CMDB holds
	// a tag it is almost always the CMMS one; u: tags are unique IDs.
	pTag = mu{0.99, 1e-6} // +19.9, disagree −6.64
	// Manufacturer, both resolved to catalog makers. m: aliases are folded,
	// so disagreement is a data-entry error (5%). u: the top makers hold a
	// large share of the fleet, so chance agreement is common (8%).
	pMfr = mu{0.95, 0.08} // +3.57, disagree −4.20
	// Manufacturer not in the catalog (IT vendors): only equality of the
	// folded text counts, and spellings vary too much for disagreement to
	// mean anything (Lenovo vs "LCFC(HeFei) Electronics").
	pMfrText = mu{0.5, 0.1} // +2.32, disagree not counted
	// Model, both resolved to the same catalog model (names, variants and
	// model numbers folded). u: popular models make up several percent of a
	// fleet.
	pModel = mu{0.9, 0.03} // +4.91, disagree −4.86
	// Model text equal but not in the catalog.
	pModelText = mu{0.5, 0.1} // +2.32, disagree not counted
)

// Precomputed weights (see the m/u values above).
var (
	wSerialExact    = pSerialExact.agree()
	wSerialApprox   = pSerialApprox.agree()
	wSerialDisagree = pSerialExact.disagree()
	wMAC            = pMAC.agree()
	wHost           = pHost.agree()
	wHostDisagree   = pHost.disagree()
	wIPRecent       = pIPRecent.agree()
	wIPStale        = pIPStale.agree()
	wIPDisagree     = pIPRecent.disagree()
	wTag            = pTag.agree()
	wTagDisagree    = pTag.disagree()
	wMfr            = pMfr.agree()
	wMfrDisagree    = pMfr.disagree()
	wMfrText        = pMfrText.agree()
	wModel          = pModel.agree()
	wModelDisagree  = pModel.disagree()
	wModelText      = pModelText.agree()
)

// priorLog2Odds is the prior log2 odds that a blocked pair is a true pair,
// used only to turn a weight into a Confidence. 1:1024 is deliberately
// pessimistic: one identifier (W≈20) gives ≈0.94, an identifier and
// supporting fields ≈0.999, a weight at ReviewThreshold ≈0.004.
const priorLog2Odds = -10

// confidence is the posterior match probability for weight w under the
// prior above: 1 / (1 + 2^-(w + prior)).
func confidence(w float64) float64 {
	return 1 / (1 + math.Exp2(-(w + priorLog2Odds)))
}

// recentIP is how far apart two sightings may be for an equal IP to count
// as the same lease (pIPRecent) rather than possibly reused (pIPStale).
const recentIPSeconds = 14 * 24 * 3600

// minSerial is the shortest normalised serial treated as an identifier;
// shorter ones ("1", "A2") are too likely to be shared or placeholders.
const minSerial = 4

// minApproxSerial is the shortest serial for which one edit counts as a
// typo rather than another device: on short serials one edit is a large
// part of the value.
const minApproxSerial = 6
