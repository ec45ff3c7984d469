package sla

import (
	"fmt"
	"slices"
	"time"
)

// Breach is one breached clock in a report, with the timeline that shows
// how it was breached.
type Breach struct {
	EventID     string        `json:"event_id"`
	AssetKey    string        `json:"asset_key"`
	Milestone   Milestone     `json:"milestone"`
	Target      time.Duration `json:"target"`
	Elapsed     time.Duration `json:"elapsed"`
	Start       time.Time     `json:"start"`
	Stop        time.Time     `json:"stop"`
	BreachedAt  time.Time     `json:"breached_at"`
	Timeline    []Segment     `json:"timeline"`
	Explanation string        `json:"explanation"`
}

// ReportEntry summarises one (tier, event type) over a period. An event is
// met when every clock is met, breached when any clock breached; the rest
// (Total − Met − Breached, see Open) were still running at the report's
// evaluation time. PausedHours is the wall time the events spent paused.
type ReportEntry struct {
	Tier        Tier      `json:"tier"`
	EventType   EventType `json:"event_type"`
	Total       int       `json:"total"`
	Met         int       `json:"met"`
	Breached    int       `json:"breached"`
	PausedHours float64   `json:"paused_hours"`
	Breaches    []Breach  `json:"breaches"`
}

// Open is the number of events neither met nor breached (still running).
func (e ReportEntry) Open() int { return e.Total - e.Met - e.Breached }

// MonthBounds returns [first instant of the month, first instant of the
// next) in loc.
func MonthBounds(year int, month time.Month, loc *time.Location) (time.Time, time.Time) {
	return time.Date(year, month, 1, 0, 0, 0, 0, loc), time.Date(year, month+1, 1, 0, 0, 0, 0, loc)
}

// Report groups evaluated events whose Start falls in [from, to) into one
// entry per (tier, event type), sorted by tier then event type. Breaches
// are listed per breached clock (an event breaching response and restore
// appears twice in Breaches but counts once in Breached). Use MonthBounds
// for a monthly report.
func Report(results []Result, from, to time.Time) []ReportEntry {
	idx := map[ruleKey]int{}
	var out []ReportEntry
	for _, r := range results {
		if r.Start.Before(from) || !r.Start.Before(to) {
			continue
		}
		k := ruleKey{r.Tier, r.EventType}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, ReportEntry{Tier: r.Tier, EventType: r.EventType, Breaches: []Breach{}})
		}
		e := &out[i]
		e.Total++
		e.PausedHours += r.Paused.Hours()
		switch r.State {
		case StateMet:
			e.Met++
		case StateBreached:
			e.Breached++
			for _, c := range r.Breaches() {
				e.Breaches = append(e.Breaches, Breach{
					EventID: r.EventID, AssetKey: r.AssetKey, Milestone: c.Milestone, Target: c.Target,
					Elapsed: c.Elapsed, Start: c.Start, Stop: c.Stop, BreachedAt: c.BreachedAt,
					Timeline: c.Timeline, Explanation: c.Explain(),
				})
			}
		}
	}
	slices.SortFunc(out, func(a, b ReportEntry) int {
		if a.Tier != b.Tier {
			return cmpStr(string(a.Tier), string(b.Tier))
		}
		return cmpStr(string(a.EventType), string(b.EventType))
	})
	for i := range out {
		out[i].PausedHours = float64(int64(out[i].PausedHours*100+0.5)) / 100
	}
	return out
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// String is a one-line summary of the entry.
func (e ReportEntry) String() string {
	return fmt.Sprintf("%s/%s: %d events, %d met, %d breached, %d open, %.2f h paused", e.Tier, e.EventType, e.Total, e.Met, e.Breached, e.Open(), e.PausedHours)
}
