package sla

import (
	"math/rand/v2"
	"testing"
	"time"
)

// refElapsed is an independent, slow reference: it walks local days with
// AddDate and intersects each window, no week skipping.
func refElapsed(c *Calendar, week [7][]Window, hol map[string]bool, from, to time.Time) time.Duration {
	var sum time.Duration
	lf := from.In(c.loc)
	day := time.Date(lf.Year(), lf.Month(), lf.Day(), 0, 0, 0, 0, c.loc)
	for ; day.Before(to); day = day.AddDate(0, 0, 1) {
		if hol[day.Format("2006-01-02")] {
			continue
		}
		for _, w := range week[day.Weekday()] {
			s := time.Date(day.Year(), day.Month(), day.Day(), w.Start/60, w.Start%60, 0, 0, c.loc)
			e := time.Date(day.Year(), day.Month(), day.Day(), w.End/60, w.End%60, 0, 0, c.loc)
			if s.Before(from) {
				s = from
			}
			if e.After(to) {
				e = to
			}
			if e.After(s) {
				sum += e.Sub(s)
			}
		}
	}
	return sum
}

func TestPropertyCalendarMatchesReference(t *testing.T) {
	week := StandardWeek(Hours(7, 30, 12, 0))
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = append(week[d], Hours(13, 0, 19, 15))
	}
	week[time.Sunday] = []Window{{0, 1440}} // catches DST days
	hol := map[string]bool{}
	for _, h := range usHolidays2026 {
		hol[h.Date] = true
	}
	c, err := NewBusinessCalendar("prop", "America/New_York", week, usHolidays2026)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	base := et("2025-12-01 00:00")
	for i := range 3000 {
		from := base.Add(time.Duration(rng.Int64N(int64(400 * 24 * time.Hour))))
		to := from.Add(time.Duration(rng.Int64N(int64(90 * 24 * time.Hour))))
		got, want := c.Elapsed(from, to), refElapsed(c, week, hol, from, to)
		if got != want {
			t.Fatalf("case %d: Elapsed(%s, %s) = %s, reference %s", i, from.In(ny), to.In(ny), got, want)
		}
		var seg time.Duration
		for _, s := range c.Segments(nil, from, to) {
			seg += s.Counted
		}
		if seg != want {
			t.Fatalf("case %d: Segments counted %s, reference %s", i, seg, want)
		}
		if got > to.Sub(from) {
			t.Fatalf("case %d: business time %s exceeds wall time %s", i, got, to.Sub(from))
		}
		if got > 0 {
			d := time.Duration(rng.Int64N(int64(got))) + 1
			at, ok := c.Advance(from, d)
			if !ok || at.After(to) || c.Elapsed(from, at) != d {
				t.Fatalf("case %d: Advance(%s, %s) = %s, Elapsed back %s", i, from.In(ny), d, at.In(ny), c.Elapsed(from, at))
			}
		}
	}
}

// TestPropertyClock: clock time never exceeds wall time (nor wall time
// minus paused time), elapsed never decreases as asOf advances, and while
// an open pause is in force the clock does not advance.
func TestPropertyClock(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewPCG(7, 11))
	base := et("2026-01-01 00:00")
	rnd := func(max time.Duration) time.Duration { return time.Duration(rng.Int64N(int64(max))) }
	for i := range 2000 {
		ev := Event{ID: "p", Type: EventDeviceDown, Tier: []Tier{TierCritical, TierNonCritical}[i%2]}
		ev.Start = base.Add(rnd(365 * 24 * time.Hour))
		for range rng.IntN(4) {
			from := ev.Start.Add(rnd(10 * 24 * time.Hour))
			ev.Pauses = append(ev.Pauses, Pause{Reason: PauseAwaitingParts, From: from, To: from.Add(rnd(3 * 24 * time.Hour))})
		}
		// An open pause: the clock must freeze from its start.
		openAt := ev.Start.Add(rnd(12 * 24 * time.Hour))
		ev.Pauses = append(ev.Pauses, Pause{Reason: PauseClinicallyUnavailable, From: openAt})
		var prev time.Duration
		var frozen time.Duration = -1
		for _, asOf := range []time.Time{openAt.Add(-time.Hour), openAt, openAt.Add(rnd(48 * time.Hour)), openAt.Add(30 * 24 * time.Hour)} {
			if !asOf.After(ev.Start) {
				continue
			}
			r, err := e.Evaluate(ev, asOf)
			if err != nil {
				t.Fatal(err)
			}
			c := clockOf(r, MilestoneResolve)
			wall := asOf.Sub(ev.Start)
			if c.Elapsed > wall || c.Elapsed > wall-c.Paused {
				t.Fatalf("case %d: clock %s exceeds wall %s − paused %s", i, c.Elapsed, wall, c.Paused)
			}
			if c.Elapsed < prev {
				t.Fatalf("case %d: clock went backwards %s → %s", i, prev, c.Elapsed)
			}
			prev = c.Elapsed
			if !asOf.Before(openAt) {
				if frozen >= 0 && c.Elapsed != frozen {
					t.Fatalf("case %d: paused clock advanced %s → %s", i, frozen, c.Elapsed)
				}
				frozen = c.Elapsed
				if asOf.After(openAt) && !c.PausedNow {
					t.Fatalf("case %d: not reported as paused now", i)
				}
			}
		}
	}
}
