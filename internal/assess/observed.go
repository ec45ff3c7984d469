package assess

import "fmt"

// ObservedComms summarises an asset's observed network flows (from
// passive monitoring or Zeek conn.log) over some window.
type ObservedComms struct {
	// Flows is how many flows were summarised; 0 with no peers means no
	// traffic was seen.
	Flows int `json:"flows"`
	// DistinctSubnets is how many distinct subnets the asset exchanged
	// traffic with, its own included.
	DistinctSubnets int `json:"distinct_subnets"`
	// NonClinicalPeers counts peers outside the clinical zone (corporate
	// IT, guest, building systems).
	NonClinicalPeers int `json:"non_clinical_peers"`
	// InternetPeers counts public (non-RFC 1918) peers.
	InternetPeers int `json:"internet_peers"`
	// RemoteAccessPeers counts vendor remote-access sessions (VPN, remote
	// support tools).
	RemoteAccessPeers int `json:"remote_access_peers"`
}

// Validate refuses negative counts.
func (o ObservedComms) Validate() error {
	if o.Flows < 0 || o.DistinctSubnets < 0 || o.NonClinicalPeers < 0 || o.InternetPeers < 0 || o.RemoteAccessPeers < 0 {
		return invalid("observed communications counts must be 0 or more")
	}
	return nil
}

// Lateral maps the observation onto the 1–5 lateral-access scale:
//
//	5  any internet peer or vendor remote access
//	4  any non-clinical peer, or 3 or more distinct subnets
//	3  2 distinct subnets (its VLAN and named servers)
//	2  1 subnet (point-to-point, isolated behind one gateway)
//	1  no traffic observed (standalone)
func (o ObservedComms) Lateral() (LateralAccess, string) {
	return o.level(), o.why()
}

// level is Lateral's value, without allocating.
func (o ObservedComms) level() LateralAccess {
	switch {
	case o.InternetPeers > 0 || o.RemoteAccessPeers > 0:
		return 5
	case o.NonClinicalPeers > 0 || o.DistinctSubnets >= 3:
		return 4
	case o.DistinctSubnets == 2:
		return 3
	case o.DistinctSubnets == 1 || o.Flows > 0:
		return 2
	}
	return 1
}

func (o ObservedComms) why() string {
	switch {
	case o.InternetPeers > 0 || o.RemoteAccessPeers > 0:
		return fmt.Sprintf("observed %d internet and %d remote-access peers", o.InternetPeers, o.RemoteAccessPeers)
	case o.NonClinicalPeers > 0:
		return fmt.Sprintf("observed %d peers outside the clinical zone", o.NonClinicalPeers)
	case o.DistinctSubnets >= 3:
		return fmt.Sprintf("observed traffic to %d subnets", o.DistinctSubnets)
	case o.DistinctSubnets == 2:
		return "observed traffic to 2 subnets (its own and one server segment)"
	case o.DistinctSubnets == 1 || o.Flows > 0:
		return "observed traffic within one subnet only"
	}
	return "no network traffic observed"
}

// LateralCheck sets the assessed lateral access beside the observed one.
type LateralCheck struct {
	Assessed LateralAccess `json:"assessed"`
	Observed LateralAccess `json:"observed"`
	Disagree bool          `json:"disagree"`
	Why      string        `json:"why"`
}

// CompareLateral flags disagreement between the assessed and the observed
// lateral access: any difference on the 1–5 scale. Observed above
// assessed means the device reaches further than the assessment assumes.
func CompareLateral(assessed LateralAccess, o ObservedComms) LateralCheck {
	obs, why := o.Lateral()
	c := LateralCheck{Assessed: assessed, Observed: obs}
	switch {
	case assessed == 0:
		c.Why = fmt.Sprintf("not assessed; observed %d (%s): %s", obs, obs.Describe(), why)
	case obs > assessed:
		c.Disagree = true
		c.Why = fmt.Sprintf("observed %d exceeds assessed %d: %s; the device reaches further than assessed", obs, assessed, why)
	case obs < assessed:
		c.Disagree = true
		c.Why = fmt.Sprintf("observed %d is below assessed %d: %s; the assessment may be conservative or the window short", obs, assessed, why)
	default:
		c.Why = fmt.Sprintf("observed agrees with assessed %d: %s", obs, why)
	}
	return c
}
