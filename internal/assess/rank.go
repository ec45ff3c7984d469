package assess

import (
	"fmt"
	"sort"
	"strings"
)

// AssetSummary is what the action-list rankers know about one asset.
type AssetSummary struct {
	AssetID      int64
	Tag          string
	Facility     string
	Modality     string
	Model        string
	Clinical     float64
	ClinicalTier Tier
	Risk         float64
	RiskTier     Tier
	Support      SupportStatus
	AgeYears     float64
	// OpenFindings, KEVFindings (open and in KEV) and NoFixFindings (open,
	// with no vendor fix or no fix planned).
	OpenFindings  int
	KEVFindings   int
	NoFixFindings int
	// Observed reach, and whether it disagrees with the assessment.
	ObservedLateral LateralAccess
	LateralDisagree bool
	InternetPeers   int
	Acuity          Acuity
	CareDelivery    CareDelivery
}

// Ranked is one row of an action list: its rank (1 = first), the asset,
// a group (priority tier or facility), the score it was ranked by and an
// explanation of its place.
type Ranked struct {
	Rank     int     `json:"rank"`
	AssetID  int64   `json:"asset_id"`
	Tag      string  `json:"tag"`
	Facility string  `json:"facility"`
	Group    string  `json:"group,omitempty"`
	Score    float64 `json:"score"`
	Why      string  `json:"why"`
}

func supportRank(s SupportStatus) int {
	switch s {
	case Legacy:
		return 2
	case EndOfSupport:
		return 1
	}
	return 0
}

// CapitalReplacement lists replacement candidates: assets whose
// manufacturer no longer supports them (legacy or end of support), or
// that are 10+ years old with open findings that have no fix. Legacy
// ranks before end of support, then higher risk, then older, then asset
// ID.
func CapitalReplacement(assets []AssetSummary) []Ranked {
	var c []*AssetSummary
	for i := range assets {
		a := &assets[i]
		if a.Support == Legacy || a.Support == EndOfSupport || (a.AgeYears >= 10 && a.NoFixFindings > 0) {
			c = append(c, a)
		}
	}
	sort.SliceStable(c, func(i, j int) bool {
		a, b := c[i], c[j]
		if sa, sb := supportRank(a.Support), supportRank(b.Support); sa != sb {
			return sa > sb
		}
		if a.Risk != b.Risk {
			return a.Risk > b.Risk
		}
		if a.AgeYears != b.AgeYears {
			return a.AgeYears > b.AgeYears
		}
		return a.AssetID < b.AssetID
	})
	out := make([]Ranked, len(c))
	for i, a := range c {
		why := []string{}
		switch a.Support {
		case Legacy:
			why = append(why, "legacy: the manufacturer no longer supports it")
		case EndOfSupport:
			why = append(why, "end of support")
		default:
			why = append(why, fmt.Sprintf("%.0f years old", a.AgeYears))
		}
		why = append(why, fmt.Sprintf("risk %.1f (%s)", a.Risk, a.RiskTier))
		if a.NoFixFindings > 0 {
			why = append(why, fmt.Sprintf("%d open findings with no fix", a.NoFixFindings))
		}
		if a.Support != SupportUnknown && a.Support != Supported && a.AgeYears > 0 {
			why = append(why, fmt.Sprintf("%.0f years old", a.AgeYears))
		}
		out[i] = Ranked{Rank: i + 1, AssetID: a.AssetID, Tag: a.Tag, Facility: a.Facility, Group: a.Support.String(), Score: a.Risk, Why: strings.Join(why, "; ")}
	}
	return out
}

// Action is a risk-mitigation action (a patch, a firewall rule, a
// segmentation change) and its effect on each asset it touches.
type Action struct {
	ID      string
	Title   string
	Effects []ActionEffect
}

// ActionEffect is an action's effect on one asset's risk score.
type ActionEffect struct {
	AssetID int64
	Before  float64
	After   float64
}

// ActionRank is a ranked mitigation action.
type ActionRank struct {
	Rank          int     `json:"rank"`
	ID            string  `json:"id"`
	Title         string  `json:"title"`
	AssetsTouched int     `json:"assets_touched"`
	RiskRemoved   float64 `json:"risk_removed"`
	PerAsset      float64 `json:"per_asset"`
	Why           string  `json:"why"`
}

// RankMitigations ranks actions by risk removed per asset touched (the
// work is per asset), then by total risk removed, then by ID. An effect
// that raises risk removes nothing; an asset listed twice counts once
// (its largest reduction).
func RankMitigations(actions []Action) []ActionRank {
	out := make([]ActionRank, 0, len(actions))
	for _, a := range actions {
		best := map[int64]float64{}
		for _, e := range a.Effects {
			r := e.Before - e.After
			if r < 0 {
				r = 0
			}
			if old, ok := best[e.AssetID]; !ok || r > old {
				best[e.AssetID] = r
			}
		}
		total := 0.0
		for _, r := range best {
			total += r
		}
		n := len(best)
		per := 0.0
		if n > 0 {
			per = total / float64(n)
		}
		out = append(out, ActionRank{ID: a.ID, Title: a.Title, AssetsTouched: n, RiskRemoved: round2(total), PerAsset: round2(per)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.PerAsset != b.PerAsset {
			return a.PerAsset > b.PerAsset
		}
		if a.RiskRemoved != b.RiskRemoved {
			return a.RiskRemoved > b.RiskRemoved
		}
		return a.ID < b.ID
	})
	for i := range out {
		out[i].Rank = i + 1
		out[i].Why = fmt.Sprintf("removes %.2f risk points across %d assets: %.2f per asset touched", out[i].RiskRemoved, out[i].AssetsTouched, out[i].PerAsset)
	}
	return out
}

// MonitoringPriority puts every asset in a monitoring tier, P1 (watch
// first) to P4, then ranks by tier, risk and asset ID:
//
//	P1  risk Critical; or an open KEV finding on an asset reaching the
//	    general network (observed lateral ≥ 4); or internet peers on an
//	    asset of High or Critical clinical impact
//	P2  risk High; or any open KEV finding; or observed reach exceeding
//	    the assessment
//	P3  risk Medium
//	P4  the rest
func MonitoringPriority(assets []AssetSummary) []Ranked {
	type row struct {
		a    *AssetSummary
		tier int
		why  string
	}
	rows := make([]row, len(assets))
	for i := range assets {
		a := &assets[i]
		r := row{a: a, tier: 4, why: fmt.Sprintf("risk %.1f (%s)", a.Risk, a.RiskTier)}
		switch {
		case a.RiskTier == TierCritical:
			r.tier = 1
			r.why = fmt.Sprintf("risk %.1f is Critical", a.Risk)
		case a.KEVFindings > 0 && a.ObservedLateral >= 4:
			r.tier = 1
			r.why = fmt.Sprintf("%d open KEV findings and observed reach %d (%s)", a.KEVFindings, a.ObservedLateral, a.ObservedLateral.Describe())
		case a.InternetPeers > 0 && a.ClinicalTier >= TierHigh:
			r.tier = 1
			r.why = fmt.Sprintf("%d internet peers on a device of %s clinical impact", a.InternetPeers, a.ClinicalTier)
		case a.RiskTier == TierHigh:
			r.tier = 2
			r.why = fmt.Sprintf("risk %.1f is High", a.Risk)
		case a.KEVFindings > 0:
			r.tier = 2
			r.why = fmt.Sprintf("%d open KEV findings", a.KEVFindings)
		case a.LateralDisagree && a.ObservedLateral > 0:
			r.tier = 2
			r.why = fmt.Sprintf("observed reach %d disagrees with the assessment", a.ObservedLateral)
		case a.RiskTier == TierMedium:
			r.tier = 3
			r.why = fmt.Sprintf("risk %.1f is Medium", a.Risk)
		}
		rows[i] = r
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.tier != b.tier {
			return a.tier < b.tier
		}
		if a.a.Risk != b.a.Risk {
			return a.a.Risk > b.a.Risk
		}
		return a.a.AssetID < b.a.AssetID
	})
	out := make([]Ranked, len(rows))
	for i, r := range rows {
		out[i] = Ranked{Rank: i + 1, AssetID: r.a.AssetID, Tag: r.a.Tag, Facility: r.a.Facility, Group: fmt.Sprintf("P%d", r.tier), Score: r.a.Risk, Why: r.why}
	}
	return out
}

// RestoreOrder is the incident-response restore order, per facility:
// facilities in name order, and within each, care-delivery impact first
// (care stops before minor delay), then acuity, then clinical impact,
// then asset ID. Rank restarts at 1 in each facility; Group is the
// facility.
func RestoreOrder(assets []AssetSummary) []Ranked {
	c := make([]*AssetSummary, len(assets))
	for i := range assets {
		c[i] = &assets[i]
	}
	sort.SliceStable(c, func(i, j int) bool {
		a, b := c[i], c[j]
		if a.Facility != b.Facility {
			return a.Facility < b.Facility
		}
		if a.CareDelivery != b.CareDelivery {
			return a.CareDelivery > b.CareDelivery
		}
		if a.Acuity.Rank() != b.Acuity.Rank() {
			return a.Acuity.Rank() > b.Acuity.Rank()
		}
		if a.Clinical != b.Clinical {
			return a.Clinical > b.Clinical
		}
		return a.AssetID < b.AssetID
	})
	out := make([]Ranked, len(c))
	rank := 0
	for i, a := range c {
		if i == 0 || c[i-1].Facility != a.Facility {
			rank = 0
		}
		rank++
		acu := "acuity not assessed"
		if a.Acuity != AcuityUnset {
			acu = a.Acuity.String() + " acuity"
		}
		care := "care-delivery impact not assessed"
		if a.CareDelivery != 0 {
			care = fmt.Sprintf("care-delivery %d (%s)", a.CareDelivery, a.CareDelivery.Describe())
		}
		out[i] = Ranked{Rank: rank, AssetID: a.AssetID, Tag: a.Tag, Facility: a.Facility, Group: a.Facility, Score: a.Clinical,
			Why: fmt.Sprintf("%s; %s; clinical impact %.1f (%s)", care, acu, a.Clinical, a.ClinicalTier)}
	}
	return out
}
