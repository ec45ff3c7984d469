package schedule

import (
	"fmt"
	"slices"
	"strings"
)

// ComplianceGroup is the schedule compliance of one group of task
// positions (by modality, facility, provider, or any key).
//
// Percent is the usual PM-completion figure: on time ÷ (on time + late +
// overdue), i.e. of the tasks whose last window has closed or been
// answered, the share answered on time. CompletedPercent counts late
// completions as done. Tasks due (window open) or not yet due are not
// counted in either denominator. Both are 100 when the denominator is 0.
type ComplianceGroup struct {
	Key              string  `json:"key"`
	Total            int     `json:"total"`
	OnTime           int     `json:"on_time"`
	Late             int     `json:"late"`
	Overdue          int     `json:"overdue"`
	Due              int     `json:"due"`
	NotYetDue        int     `json:"not_yet_due"`
	Percent          float64 `json:"percent"`
	CompletedPercent float64 `json:"completed_percent"`
	Explanation      string  `json:"explanation"`
}

// ByModality, ByFacility, ByProvider and ByTask are ready-made group keys.
func ByModality(r DueResult) string { return r.Asset.Modality }
func ByFacility(r DueResult) string { return r.Asset.Facility }
func ByProvider(r DueResult) string { return r.Asset.Provider }
func ByTask(r DueResult) string     { return string(r.Task.Type) }

// Compliance groups due results by key and computes the percentages,
// sorted by key. An empty key is grouped as "(none)".
func Compliance(results []DueResult, key func(DueResult) string) []ComplianceGroup {
	idx := map[string]int{}
	var out []ComplianceGroup
	for _, r := range results {
		k := key(r)
		if strings.TrimSpace(k) == "" {
			k = "(none)"
		}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, ComplianceGroup{Key: k})
		}
		g := &out[i]
		g.Total++
		switch r.Status {
		case StatusCompletedOnTime:
			g.OnTime++
		case StatusCompletedLate:
			g.Late++
		case StatusOverdue:
			g.Overdue++
		case StatusDue:
			g.Due++
		case StatusNotYetDue:
			g.NotYetDue++
		}
	}
	for i := range out {
		g := &out[i]
		den := g.OnTime + g.Late + g.Overdue
		g.Percent, g.CompletedPercent = 100, 100
		if den > 0 {
			g.Percent = 100 * float64(g.OnTime) / float64(den)
			g.CompletedPercent = 100 * float64(g.OnTime+g.Late) / float64(den)
		}
		g.Explanation = fmt.Sprintf("%s: %d on time of %d answered or overdue = %.1f%% (%d late, %d overdue; %d due now and %d not yet due not counted)",
			g.Key, g.OnTime, den, g.Percent, g.Late, g.Overdue, g.Due, g.NotYetDue)
	}
	slices.SortFunc(out, func(a, b ComplianceGroup) int { return strings.Compare(a.Key, b.Key) })
	return out
}
