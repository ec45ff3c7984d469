package sla

import (
	"fmt"
	"math"
	"strings"
)

// CreditRule grants the customer PercentPerBreach of the monthly fee for
// each breached event of (Tier, EventType). An empty Tier or EventType
// matches any. The first matching rule applies.
type CreditRule struct {
	Tier             Tier      `json:"tier,omitempty"`
	EventType        EventType `json:"event_type,omitempty"`
	PercentPerBreach float64   `json:"percent_per_breach"`
}

// Agreement holds the service-credit terms. MonthlyFeeCents is the fee in
// the smallest currency unit; CapPercent caps the month's total credit as
// a percentage of the fee (0 means no cap).
type Agreement struct {
	MonthlyFeeCents int64        `json:"monthly_fee_cents"`
	Credits         []CreditRule `json:"credits"`
	CapPercent      float64      `json:"cap_percent"`
}

// CreditLine is the credit earned by one report entry.
type CreditLine struct {
	Tier        Tier      `json:"tier"`
	EventType   EventType `json:"event_type"`
	Breaches    int       `json:"breaches"`
	Percent     float64   `json:"percent"`
	AmountCents int64     `json:"amount_cents"`
}

// CreditStatement is the month's service credit with its explanation.
type CreditStatement struct {
	Lines        []CreditLine `json:"lines"`
	TotalPercent float64      `json:"total_percent"` // after the cap
	TotalCents   int64        `json:"total_cents"`   // after the cap
	Capped       bool         `json:"capped"`
	Explanation  string       `json:"explanation"`
}

// Credits computes the service credits a month's report earns under the
// agreement. Amounts are rounded to the cent per line; when the cap binds
// the total is the cap and the lines keep their uncapped figures.
func Credits(report []ReportEntry, ag Agreement) CreditStatement {
	st := CreditStatement{Lines: []CreditLine{}}
	if len(ag.Credits) == 0 {
		st.Explanation = "the agreement defines no service credits"
		return st
	}
	var parts []string
	var pct float64
	for _, e := range report {
		if e.Breached == 0 {
			continue
		}
		var rule *CreditRule
		for i := range ag.Credits {
			r := &ag.Credits[i]
			if (r.Tier == "" || r.Tier == e.Tier) && (r.EventType == "" || r.EventType == e.EventType) {
				rule = r
				break
			}
		}
		if rule == nil {
			parts = append(parts, fmt.Sprintf("%s/%s: %d breaches, no credit term", e.Tier, e.EventType, e.Breached))
			continue
		}
		p := rule.PercentPerBreach * float64(e.Breached)
		l := CreditLine{Tier: e.Tier, EventType: e.EventType, Breaches: e.Breached, Percent: p, AmountCents: cents(ag.MonthlyFeeCents, p)}
		st.Lines = append(st.Lines, l)
		pct += p
		parts = append(parts, fmt.Sprintf("%s/%s: %d breaches × %g%% = %g%%", e.Tier, e.EventType, e.Breached, rule.PercentPerBreach, p))
	}
	st.TotalPercent = pct
	for _, l := range st.Lines {
		st.TotalCents += l.AmountCents
	}
	if ag.CapPercent > 0 && pct > ag.CapPercent {
		st.Capped = true
		st.TotalPercent = ag.CapPercent
		st.TotalCents = cents(ag.MonthlyFeeCents, ag.CapPercent)
		parts = append(parts, fmt.Sprintf("total %g%% capped at %g%%", pct, ag.CapPercent))
	}
	if len(parts) == 0 {
		parts = append(parts, "no breaches")
	}
	st.Explanation = fmt.Sprintf("%s; credit %g%% of monthly fee %d.%02d = %d.%02d", strings.Join(parts, "; "), st.TotalPercent,
		ag.MonthlyFeeCents/100, ag.MonthlyFeeCents%100, st.TotalCents/100, st.TotalCents%100)
	return st
}

func cents(fee int64, pct float64) int64 { return int64(math.Round(float64(fee) * pct / 100)) }
