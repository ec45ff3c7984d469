package sla

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// State is the outcome of one clock, or of an event (its worst clock).
type State string

const (
	StateMet      State = "met"      // milestone reached within target
	StateOnTrack  State = "on_track" // open, below the at-risk threshold
	StateAtRisk   State = "at_risk"  // open, at or over the at-risk threshold
	StateBreached State = "breached" // target exceeded (open or closed)
)

func (s State) rank() int {
	switch s {
	case StateBreached:
		return 3
	case StateAtRisk:
		return 2
	case StateOnTrack:
		return 1
	}
	return 0
}

// Event is one thing an SLA measures. Start is when the clock starts:
// work order opened (device down, security incident), matching advisory
// received (triage), manufacturer validation (patch), PM due date (PM
// completion). Zero milestone times mean "not yet".
type Event struct {
	ID         string          `json:"id"`
	AssetKey   string          `json:"asset_key"`
	Type       EventType       `json:"event_type"`
	Tier       Tier            `json:"tier"`
	Start      time.Time       `json:"start"`
	Responded  time.Time       `json:"responded,omitzero"`
	OnSite     time.Time       `json:"on_site,omitzero"`
	Resolved   time.Time       `json:"resolved,omitzero"`
	Pauses     []Pause         `json:"pauses,omitempty"`
	Exceptions []RiskException `json:"exceptions,omitempty"`
}

// Clock is one measured target with the timeline that explains it.
type Clock struct {
	Milestone Milestone     `json:"milestone"`
	Calendar  string        `json:"calendar"`
	Target    time.Duration `json:"target"`
	Start     time.Time     `json:"start"`
	// Stop is when the milestone was reached, or the evaluation time
	// if Stopped is false.
	Stop    time.Time `json:"stop"`
	Stopped bool      `json:"stopped"`
	// Elapsed is the clock time counted: business time, not paused.
	Elapsed time.Duration `json:"elapsed"`
	// Paused is the wall time within [Start, Stop) spent paused.
	Paused    time.Duration `json:"paused"`
	PausedNow bool          `json:"paused_now"`
	Consumed  float64       `json:"consumed"` // Elapsed / Target
	State     State         `json:"state"`
	// BreachedAt is the wall time at which Elapsed reached Target; zero
	// unless State is breached.
	BreachedAt time.Time `json:"breached_at,omitzero"`
	// Timeline explains Elapsed segment by segment; its Counted fields
	// sum to Elapsed. Clocks of one event may share the backing array:
	// treat it as read-only.
	Timeline []Segment `json:"timeline"`
	// AtRiskFraction is the threshold the state was judged against.
	AtRiskFraction float64 `json:"at_risk_fraction"`
	// calendar description and zone, for Explain
	calDesc string
	calLoc  *time.Location
}

// Explain returns the clock's explanation in words: target, calendar,
// start, stop, time counted and paused (with reasons), and the outcome
// (breached at / to spare / at risk). It is computed on demand from the
// clock's fields, so that bulk evaluation does not pay for text nobody
// reads; JSON output always includes it as "explanation".
func (c Clock) Explain() string { return explainClock(c) }

// MarshalJSON adds the explanation to the clock's fields.
func (c Clock) MarshalJSON() ([]byte, error) {
	type plain Clock
	return json.Marshal(struct {
		plain
		Explanation string `json:"explanation"`
	}{plain(c), c.Explain()})
}

// Result is an event evaluated at a time: one clock per target the rule
// defines, the worst state, and notes on anything in the input that was
// ignored or odd.
type Result struct {
	EventID   string    `json:"event_id"`
	AssetKey  string    `json:"asset_key"`
	Tier      Tier      `json:"tier"`
	EventType EventType `json:"event_type"`
	Start     time.Time `json:"start"`
	AsOf      time.Time `json:"as_of"`
	Clocks    []Clock   `json:"clocks"`
	State     State     `json:"state"`
	// Paused is the wall time paused between Start and resolution (or
	// AsOf while unresolved).
	Paused time.Duration `json:"paused"`
	Notes  []string      `json:"notes,omitempty"`
	// Calendar is the name of the calendar the rule measures on.
	Calendar string `json:"calendar"`
}

// Explain summarises the result in words; each clock's Explain gives the
// detail. JSON output includes it as "explanation".
func (r Result) Explain() string { return explainResult(r) }

// MarshalJSON adds the explanation to the result's fields.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	return json.Marshal(struct {
		plain
		Explanation string `json:"explanation"`
	}{plain(r), r.Explain()})
}

// Breaches returns the clocks that breached.
func (r Result) Breaches() []Clock {
	var out []Clock
	for _, c := range r.Clocks {
		if c.State == StateBreached {
			out = append(out, c)
		}
	}
	return out
}

// Evaluate runs the event's clocks as of asOf. Pauses stop every clock of
// the event; risk exceptions suspend only patch-deployment clocks, and
// only when valid (an invalid one is reported in Notes and ignored).
// Milestones after asOf are treated as not yet reached.
func (e *Engine) Evaluate(ev Event, asOf time.Time) (Result, error) {
	r, ok := e.rules[ruleKey{ev.Tier, ev.Type}]
	if !ok {
		return Result{}, fmt.Errorf("event %s: policy %q has no targets for tier %q and event type %q", ev.ID, e.policy.Name, ev.Tier, ev.Type)
	}
	if ev.Start.IsZero() {
		return Result{}, fmt.Errorf("event %s: no start time", ev.ID)
	}
	cal := e.cals[r.Calendar]
	res := Result{EventID: ev.ID, AssetKey: ev.AssetKey, Tier: ev.Tier, EventType: ev.Type, Start: ev.Start, AsOf: asOf, State: StateMet}

	pauses := ev.Pauses
	for _, p := range ev.Pauses {
		if err := ValidatePause(p); err != nil {
			res.Notes = append(res.Notes, "ignored: "+err.Error())
		}
	}
	if len(ev.Exceptions) > 0 {
		pauses = append([]Pause(nil), ev.Pauses...)
		for _, x := range ev.Exceptions {
			switch err := x.Validate(); {
			case ev.Type != EventPatchDeployment:
				res.Notes = append(res.Notes, fmt.Sprintf("risk exception %s ignored: exceptions suspend only the patch-deployment SLA", x.ID))
			case err != nil:
				res.Notes = append(res.Notes, "risk exception ignored: "+err.Error())
			default:
				pauses = append(pauses, x.AsPause())
			}
		}
	}
	spans := MergePauses(pauses, asOf)

	if !asOf.After(ev.Start) {
		res.Notes = append(res.Notes, fmt.Sprintf("evaluation time %s is not after the start %s; nothing has elapsed", asOf.Format(time.RFC3339), ev.Start.Format(time.RFC3339)))
	}
	milestones := []struct {
		m      Milestone
		target time.Duration
		at     time.Time
	}{{MilestoneResponse, r.Response, ev.Responded}, {MilestoneOnSite, r.OnSite, ev.OnSite}, {MilestoneResolve, r.Resolve, ev.Resolved}}
	type pending struct {
		m       Milestone
		target  time.Duration
		stop    time.Time
		stopped bool
	}
	var todo [3]pending
	n := 0
	var last time.Time
	for _, m := range milestones {
		if m.target <= 0 {
			continue
		}
		if !m.at.IsZero() && m.at.Before(ev.Start) {
			res.Notes = append(res.Notes, fmt.Sprintf("%s time %s is before the start %s; counted as reached at the start", m.m, m.at.Format(time.RFC3339), ev.Start.Format(time.RFC3339)))
			m.at = ev.Start
		}
		stop, stopped := clockStop(ev.Start, m.at, asOf)
		todo[n] = pending{m.m, m.target, stop, stopped}
		n++
		if stop.After(last) {
			last = stop
		}
	}
	// One timeline up to the last stop; each clock takes its prefix.
	full, open := Timeline(cal, ev.Start, last, spans)
	full = full[:len(full):len(full)]
	res.Clocks = make([]Clock, 0, n)
	need := 0
	for _, p := range todo[:n] {
		if p.stop.Before(last) {
			need += prefixLen(full, p.stop)
		}
	}
	buf := make([]Segment, 0, need)
	for _, p := range todo[:n] {
		tl, pausedEnd := full, open
		if p.stop.Before(last) {
			k := len(buf)
			buf = cutTimeline(cal, full, p.stop, buf)
			tl, pausedEnd = buf[k:len(buf):len(buf)], false
		}
		c := clockFrom(p.m, cal, ev.Start, p.stop, p.stopped, p.target, e.atRisk, tl, pausedEnd)
		if c.State.rank() > res.State.rank() {
			res.State = c.State
		}
		res.Clocks = append(res.Clocks, c)
	}
	end := asOf
	if !ev.Resolved.IsZero() && ev.Resolved.Before(asOf) {
		end = ev.Resolved
	}
	res.Paused = pausedWithin(spans, ev.Start, end)
	res.Calendar = cal.Name
	return res, nil
}

func pausedWithin(spans []Span, from, to time.Time) time.Duration {
	var d time.Duration
	for _, s := range spans {
		a, b := s.From, s.To
		if a.Before(from) {
			a = from
		}
		if b.After(to) {
			b = to
		}
		if b.After(a) {
			d += b.Sub(a)
		}
	}
	return d
}

// RunClock measures one target: it counts calendar business time from
// start until reached (or asOf, if reached is zero or later than asOf),
// skipping the merged pause spans, and builds the timeline. Cost is
// O(days spanned) for the detailed part of the timeline, O(1) per whole
// week beyond two weeks, plus O(pauses).
func RunClock(m Milestone, cal *Calendar, start, reached, asOf time.Time, target time.Duration, spans []Span, atRisk float64) Clock {
	stop, stopped := clockStop(start, reached, asOf)
	segs, open := Timeline(cal, start, stop, spans)
	return clockFrom(m, cal, start, stop, stopped, target, atRisk, segs, open)
}

func clockStop(start, reached, asOf time.Time) (time.Time, bool) {
	stop, stopped := asOf, false
	if !reached.IsZero() && !reached.After(asOf) {
		stop, stopped = reached, true
	}
	if stop.Before(start) {
		stop = start
	}
	return stop, stopped
}

// Timeline lays out [start, end) on the calendar with the merged pause
// spans: paused segments (with their reasons) and, between them, the
// calendar's counting / outside-business-hours / holiday segments.
// pausedAtEnd reports an open pause still running at end.
func Timeline(cal *Calendar, start, end time.Time, spans []Span) (segs []Segment, pausedAtEnd bool) {
	segs = make([]Segment, 0, segmentEstimate(cal, start, end, len(spans)))
	cur := start
	for _, sp := range spans {
		if !sp.To.After(cur) {
			continue
		}
		if !sp.From.Before(end) {
			break
		}
		a := sp.From
		if a.Before(cur) {
			a = cur
		}
		segs = cal.Segments(segs, cur, a)
		b := sp.To
		if b.After(end) {
			b = end
		}
		reason := sp.Reasons[0]
		if len(sp.Reasons) > 1 {
			reason = sp.Reason()
		}
		segs = appendSeg(segs, Segment{Kind: SegPaused, Reason: reason, From: a, To: b})
		if sp.Open && !sp.To.Before(end) {
			pausedAtEnd = true
		}
		cur = b
	}
	return cal.Segments(segs, cur, end), pausedAtEnd
}

// segmentEstimate sizes a timeline so that appends rarely reallocate:
// about two segments a day on a business calendar (counting, then
// outside hours), two per pause.
func segmentEstimate(cal *Calendar, start, end time.Time, pauses int) int {
	n := 1 + 2*pauses
	if !cal.always {
		days := int(end.Sub(start)/(24*time.Hour)) + 2
		n += 2 * min(days, detailDays+14)
	}
	return n
}

// prefixLen is the number of segments of full that start before stop.
func prefixLen(full []Segment, stop time.Time) int {
	k := 0
	for k < len(full) && full[k].From.Before(stop) {
		k++
	}
	return k
}

// cutTimeline appends to dst the part of full before stop, cutting the
// segment that straddles it.
func cutTimeline(cal *Calendar, full []Segment, stop time.Time, dst []Segment) []Segment {
	for _, s := range full {
		if !s.From.Before(stop) {
			break
		}
		if s.To.After(stop) {
			switch s.Kind {
			case SegCounting:
				s.Counted = stop.Sub(s.From)
			case SegBusinessWeeks:
				s.Counted = cal.Elapsed(s.From, stop)
			}
			s.To = stop
		}
		dst = append(dst, s)
	}
	return dst
}

// clockFrom derives a clock from its timeline.
func clockFrom(m Milestone, cal *Calendar, start, stop time.Time, stopped bool, target time.Duration, atRisk float64, segs []Segment, pausedAtEnd bool) Clock {
	c := Clock{Milestone: m, Calendar: cal.Name, Target: target, Start: start, Stop: stop, Stopped: stopped,
		AtRiskFraction: atRisk, Timeline: segs, PausedNow: pausedAtEnd && !stopped, calDesc: cal.desc, calLoc: cal.loc}
	for _, s := range segs {
		if s.Kind == SegPaused {
			c.Paused += s.To.Sub(s.From)
		}
		if s.Counted <= 0 {
			continue
		}
		if c.BreachedAt.IsZero() && c.Elapsed+s.Counted > target {
			rem := target - c.Elapsed
			if s.Kind == SegBusinessWeeks {
				c.BreachedAt, _ = cal.Advance(s.From, rem)
			} else {
				c.BreachedAt = s.From.Add(rem)
			}
		}
		c.Elapsed += s.Counted
	}
	c.Consumed = float64(c.Elapsed) / float64(target)
	switch {
	case c.Elapsed > target:
		c.State = StateBreached
	case c.Stopped:
		c.State = StateMet
	case c.Consumed >= atRisk:
		c.State = StateAtRisk
	default:
		c.State = StateOnTrack
	}
	return c
}

func fmtDur(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func explainClock(c Clock) string {
	var b strings.Builder
	loc := c.calLoc
	if loc == nil {
		loc = time.UTC
	}
	desc := c.calDesc
	if desc == "" {
		desc = c.Calendar
	}
	atRisk := c.AtRiskFraction
	fmt.Fprintf(&b, "%s: target %s on %s; started %s", c.Milestone, fmtDur(c.Target), desc, c.Start.In(loc).Format(time.RFC3339))
	if c.Stopped {
		fmt.Fprintf(&b, ", %s reached %s", c.Milestone, c.Stop.In(loc).Format(time.RFC3339))
	} else {
		fmt.Fprintf(&b, ", still open at %s", c.Stop.In(loc).Format(time.RFC3339))
	}
	fmt.Fprintf(&b, "; %s counted over %s wall time", fmtDur(c.Elapsed), fmtDur(c.Stop.Sub(c.Start)))
	if c.Paused > 0 {
		var rs []string
		for _, s := range c.Timeline {
			if s.Kind == SegPaused {
				rs = append(rs, s.Reason)
			}
		}
		fmt.Fprintf(&b, " (paused %s: %s)", fmtDur(c.Paused), strings.Join(rs, "; "))
	}
	switch c.State {
	case StateBreached:
		fmt.Fprintf(&b, "; BREACHED at %s, %s over target", c.BreachedAt.In(loc).Format(time.RFC3339), fmtDur(c.Elapsed-c.Target))
	case StateMet:
		fmt.Fprintf(&b, "; met with %s to spare", fmtDur(c.Target-c.Elapsed))
	case StateAtRisk:
		fmt.Fprintf(&b, "; AT RISK: %.0f%% of target consumed (threshold %.0f%%), %s left", c.Consumed*100, atRisk*100, fmtDur(c.Target-c.Elapsed))
	default:
		fmt.Fprintf(&b, "; on track: %.0f%% consumed, %s left", c.Consumed*100, fmtDur(c.Target-c.Elapsed))
	}
	if c.PausedNow {
		b.WriteString("; clock currently paused")
	}
	return b.String()
}

func explainResult(r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s), tier %s, on calendar %s: %s", r.EventType, r.EventID, r.AssetKey, r.Tier, r.Calendar, r.State)
	for _, c := range r.Clocks {
		fmt.Fprintf(&b, "; %s %s", c.Milestone, c.State)
	}
	if len(r.Clocks) == 0 {
		b.WriteString("; the rule defines no targets")
	}
	if r.Paused > 0 {
		fmt.Fprintf(&b, "; paused %s in total", fmtDur(r.Paused))
	}
	return b.String()
}
