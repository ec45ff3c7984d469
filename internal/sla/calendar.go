package sla

import (
	"fmt"
	"sort"
	"strings"
	"time"

	// Embedded IANA database so that time.LoadLocation works on Windows
	// and minimal containers without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// Window is one stretch of business hours within a day, in minutes after
// local midnight: Start inclusive, End exclusive, 0 ≤ Start < End ≤ 1440.
type Window struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Hours builds a Window from whole hours and minutes, e.g. Hours(8, 0, 17, 0).
func Hours(h1, m1, h2, m2 int) Window { return Window{h1*60 + m1, h2*60 + m2} }

// Holiday is a whole local day on which no business time accrues.
type Holiday struct {
	Date string `json:"date"` // YYYY-MM-DD
	Name string `json:"name"`
}

// Calendar decides which wall-clock time counts towards an SLA target.
// A 24×7 calendar counts everything; a business-hours calendar counts the
// weekly windows in its IANA zone, minus holidays. Windows are wall times,
// so on DST days an 08:00–17:00 window still counts 9 hours, while a
// window spanning the 02:00 change counts the real elapsed time (one hour
// less in spring, one more in autumn).
//
// A Calendar is immutable after construction and safe for concurrent use.
type Calendar struct {
	Name     string
	always   bool
	loc      *time.Location
	week     [7][]Window // by time.Weekday
	holidays map[int]string
	holDays  []int // sorted day numbers
	desc     string

	dayNominal  [7]time.Duration
	weekNominal time.Duration
}

// TwentyFourSeven returns a calendar that counts every instant.
func TwentyFourSeven(name string) *Calendar {
	c := &Calendar{Name: name, always: true, loc: time.UTC, weekNominal: 7 * 24 * time.Hour}
	c.desc = c.describe()
	return c
}

// NewBusinessCalendar builds a business-hours calendar in the IANA zone tz
// (e.g. "America/New_York"). week is indexed by time.Weekday; an empty
// entry is a closed day. Windows of a day must be sorted and must not
// overlap. Holidays are local dates.
func NewBusinessCalendar(name, tz string, week [7][]Window, holidays []Holiday) (*Calendar, error) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("calendar %q: time zone %q: %w", name, tz, err)
	}
	c := &Calendar{Name: name, loc: loc, holidays: map[int]string{}}
	for wd := range 7 {
		prev := 0
		for i, w := range week[wd] {
			if w.Start < 0 || w.End > 1440 || w.Start >= w.End {
				return nil, fmt.Errorf("calendar %q: %s window %d (%s) must satisfy 00:00 ≤ start < end ≤ 24:00", name, time.Weekday(wd), i+1, w)
			}
			if i > 0 && w.Start < prev {
				return nil, fmt.Errorf("calendar %q: %s windows overlap or are unsorted at %s", name, time.Weekday(wd), w)
			}
			prev = w.End
			c.dayNominal[wd] += time.Duration(w.End-w.Start) * time.Minute
		}
		c.week[wd] = append([]Window(nil), week[wd]...)
		c.weekNominal += c.dayNominal[wd]
	}
	if c.weekNominal == 0 {
		return nil, fmt.Errorf("calendar %q has no business hours at all; a clock on it would never run", name)
	}
	for _, h := range holidays {
		t, err := time.Parse("2006-01-02", h.Date)
		if err != nil {
			return nil, fmt.Errorf("calendar %q: holiday %q: date %q is not YYYY-MM-DD", name, h.Name, h.Date)
		}
		n := dayNumber(t.Year(), t.Month(), t.Day())
		if _, dup := c.holidays[n]; !dup {
			c.holDays = append(c.holDays, n)
		}
		c.holidays[n] = h.Name
	}
	sort.Ints(c.holDays)
	c.desc = c.describe()
	return c, nil
}

// StandardWeek returns Monday–Friday with one window each, e.g.
// StandardWeek(Hours(8,0,17,0)).
func StandardWeek(w Window) [7][]Window {
	var wk [7][]Window
	for d := time.Monday; d <= time.Friday; d++ {
		wk[d] = []Window{w}
	}
	return wk
}

// Always reports whether the calendar is 24×7.
func (c *Calendar) Always() bool { return c.always }

// Location is the calendar's time zone (UTC for 24×7).
func (c *Calendar) Location() *time.Location { return c.loc }

// BusinessDay is the nominal length of the calendar's longest business day,
// the unit in which "1 business day" targets are expressed (24 h for 24×7).
func (c *Calendar) BusinessDay() time.Duration {
	if c.always {
		return 24 * time.Hour
	}
	var m time.Duration
	for _, d := range c.dayNominal {
		m = max(m, d)
	}
	return m
}

func (w Window) String() string {
	return fmt.Sprintf("%02d:%02d–%02d:%02d", w.Start/60, w.Start%60, w.End/60, w.End%60)
}

// Describe is a one-line account of the calendar for explanations.
func (c *Calendar) Describe() string { return c.desc }

func (c *Calendar) describe() string {
	if c.always {
		return c.Name + " (24×7)"
	}
	var parts []string
	for i := 1; i <= 7; i++ {
		wd := time.Weekday(i % 7)
		if len(c.week[wd]) == 0 {
			continue
		}
		var ws []string
		for _, w := range c.week[wd] {
			ws = append(ws, w.String())
		}
		parts = append(parts, wd.String()[:3]+" "+strings.Join(ws, ","))
	}
	return fmt.Sprintf("%s (business hours %s, %s, %d holidays)", c.Name, strings.Join(parts, "; "), c.loc, len(c.holDays))
}

// --- civil day arithmetic -------------------------------------------------

// dayNumber counts days from 1970-01-01 for a proleptic Gregorian date
// (Howard Hinnant's days_from_civil).
func dayNumber(y int, m time.Month, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (int(m) + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func weekdayOf(n int) time.Weekday { return time.Weekday(((n % 7) + 7 + 4) % 7) }

// dayOf is the local day number of t.
func (c *Calendar) dayOf(t time.Time) int {
	y, m, d := t.In(c.loc).Date()
	return dayNumber(y, m, d)
}

// at is the instant of the given minute of local day n (minute 1440 is the
// next midnight).
func (c *Calendar) at(n, minute int) time.Time {
	return time.Date(1970, 1, 1+n, 0, minute, 0, 0, c.loc)
}

func (c *Calendar) isHoliday(n int) (string, bool) {
	if len(c.holidays) == 0 {
		return "", false
	}
	name, ok := c.holidays[n]
	return name, ok
}

// holidayIn reports whether any holiday falls in days [a, b).
func (c *Calendar) holidayIn(a, b int) bool {
	i := sort.SearchInts(c.holDays, a)
	return i < len(c.holDays) && c.holDays[i] < b
}

// cleanWeek reports whether the 7 days from n are free of holidays and of
// UTC-offset changes, so that they count exactly weekNominal.
func (c *Calendar) cleanWeek(n int) bool {
	if c.holidayIn(n, n+7) {
		return false
	}
	_, o1 := c.at(n, 0).Zone()
	_, o2 := c.at(n+7, 0).Zone()
	return o1 == o2
}

// overlapDay counts business time of local day n within [a, b).
func (c *Calendar) overlapDay(n int, a, b time.Time) time.Duration {
	if _, h := c.isHoliday(n); h {
		return 0
	}
	var sum time.Duration
	for _, w := range c.week[weekdayOf(n)] {
		s, e := c.at(n, w.Start), c.at(n, w.End)
		if a.After(s) {
			s = a
		}
		if b.Before(e) {
			e = b
		}
		if e.After(s) {
			sum += e.Sub(s)
		}
	}
	return sum
}

func (c *Calendar) fullDay(n int) time.Duration {
	if _, h := c.isHoliday(n); h {
		return 0
	}
	var sum time.Duration
	for _, w := range c.week[weekdayOf(n)] {
		sum += c.at(n, w.End).Sub(c.at(n, w.Start))
	}
	return sum
}

// Elapsed is the business time in [from, to). It costs O(1) per whole
// clean week (no holiday, no DST change) and O(1) per other day.
func (c *Calendar) Elapsed(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if c.always {
		return to.Sub(from)
	}
	nf, nt := c.dayOf(from), c.dayOf(to)
	if nf == nt {
		return c.overlapDay(nf, from, to)
	}
	sum := c.overlapDay(nf, from, c.at(nf+1, 0)) + c.overlapDay(nt, c.at(nt, 0), to)
	for n := nf + 1; n < nt; {
		if n+7 <= nt && c.cleanWeek(n) {
			sum += c.weekNominal
			n += 7
			continue
		}
		sum += c.fullDay(n)
		n++
	}
	return sum
}

// Advance returns the instant at which d of business time has accrued
// counting from from (for d ≤ 0, from itself). ok is false only if the
// instant lies beyond 100 years, which a valid calendar never needs.
func (c *Calendar) Advance(from time.Time, d time.Duration) (t time.Time, ok bool) {
	if d <= 0 {
		return from, true
	}
	if c.always {
		return from.Add(d), true
	}
	n := c.dayOf(from)
	limit := n + 36600
	cur := from
	for n < limit {
		if cur.IsZero() { // at a day boundary: try to skip whole weeks
			for d > c.weekNominal && c.cleanWeek(n) {
				d -= c.weekNominal
				n += 7
			}
			cur = c.at(n, 0)
		}
		if _, h := c.isHoliday(n); !h {
			for _, w := range c.week[weekdayOf(n)] {
				s, e := c.at(n, w.Start), c.at(n, w.End)
				if cur.After(s) {
					s = cur
				}
				if !e.After(s) {
					continue
				}
				if avail := e.Sub(s); d <= avail {
					return s.Add(d), true
				} else {
					d -= avail
				}
			}
		}
		n++
		cur = time.Time{}
	}
	return time.Time{}, false
}

// SegmentKind classifies a stretch of a clock's timeline.
type SegmentKind string

const (
	SegCounting SegmentKind = "counting"               // the clock runs
	SegPaused   SegmentKind = "paused"                 // stopped by a pause (Reason says why)
	SegOutside  SegmentKind = "outside_business_hours" // nights, weekends, closed days
	SegHoliday  SegmentKind = "holiday"                // a calendar holiday (Reason names it)
	// SegBusinessWeeks summarises whole weeks free of holidays and DST
	// changes on a business-hours calendar: only their business hours
	// count (Counted), the rest is outside business hours. Used for long
	// spans so that timelines stay O(weeks).
	SegBusinessWeeks SegmentKind = "business_weeks"
)

// Segment is one stretch of a timeline: [From, To) in wall time, and the
// clock time it Counted towards the target.
type Segment struct {
	Kind    SegmentKind   `json:"kind"`
	Reason  string        `json:"reason,omitempty"`
	From    time.Time     `json:"from"`
	To      time.Time     `json:"to"`
	Counted time.Duration `json:"counted"`
}

func (s Segment) String() string {
	r := ""
	if s.Reason != "" {
		r = " (" + s.Reason + ")"
	}
	return fmt.Sprintf("%s → %s %s%s, counted %s", s.From.Format(time.RFC3339), s.To.Format(time.RFC3339), s.Kind, r, s.Counted)
}

// appendSeg appends s, merging it into the last segment when contiguous and
// of the same kind and reason.
func appendSeg(segs []Segment, s Segment) []Segment {
	if !s.To.After(s.From) {
		return segs
	}
	if k := len(segs) - 1; k >= 0 && segs[k].Kind == s.Kind && segs[k].Reason == s.Reason && segs[k].To.Equal(s.From) {
		segs[k].To = s.To
		segs[k].Counted += s.Counted
		return segs
	}
	return append(segs, s)
}

// detailDays is the number of whole days a span may cover before its
// middle whole weeks are summarised as SegBusinessWeeks.
const detailDays = 14

// Segments appends to segs the timeline of [from, to) on this calendar:
// counting during business hours, outside business hours, holidays.
// The Counted fields sum to Elapsed(from, to).
func (c *Calendar) Segments(segs []Segment, from, to time.Time) []Segment {
	if !to.After(from) {
		return segs
	}
	if c.always {
		return appendSeg(segs, Segment{Kind: SegCounting, From: from, To: to, Counted: to.Sub(from)})
	}
	nf, nt := c.dayOf(from), c.dayOf(to)
	summarise := nt-nf-1 > detailDays
	for n := nf; n <= nt; n++ {
		if summarise && n > nf && n+7 <= nt && c.cleanWeek(n) {
			segs = appendSeg(segs, Segment{Kind: SegBusinessWeeks, From: c.at(n, 0), To: c.at(n+7, 0), Counted: c.weekNominal})
			n += 6
			continue
		}
		ds, de := c.at(n, 0), c.at(n+1, 0)
		a, b := ds, de
		if from.After(a) {
			a = from
		}
		if to.Before(b) {
			b = to
		}
		if !b.After(a) {
			continue
		}
		if name, h := c.isHoliday(n); h {
			segs = appendSeg(segs, Segment{Kind: SegHoliday, Reason: name, From: a, To: b})
			continue
		}
		cur := a
		for _, w := range c.week[weekdayOf(n)] {
			s, e := c.at(n, w.Start), c.at(n, w.End)
			if a.After(s) {
				s = a
			}
			if b.Before(e) {
				e = b
			}
			if !e.After(s) {
				continue
			}
			segs = appendSeg(segs, Segment{Kind: SegOutside, From: cur, To: s})
			segs = appendSeg(segs, Segment{Kind: SegCounting, From: s, To: e, Counted: e.Sub(s)})
			cur = e
		}
		segs = appendSeg(segs, Segment{Kind: SegOutside, From: cur, To: b})
	}
	return segs
}

// CalendarSpec is a calendar as stored data (JSON). Week maps English day
// names ("monday"…"sunday", case-insensitive) to windows.
type CalendarSpec struct {
	Name            string              `json:"name"`
	TwentyFourSeven bool                `json:"twenty_four_seven,omitempty"`
	TimeZone        string              `json:"time_zone,omitempty"`
	Week            map[string][]Window `json:"week,omitempty"`
	Holidays        []Holiday           `json:"holidays,omitempty"`
}

// Build validates the spec and makes the calendar.
func (s CalendarSpec) Build() (*Calendar, error) {
	if s.TwentyFourSeven {
		return TwentyFourSeven(s.Name), nil
	}
	var wk [7][]Window
	for day, ws := range s.Week {
		found := false
		for d := range 7 {
			if strings.EqualFold(time.Weekday(d).String(), strings.TrimSpace(day)) {
				wk[d], found = ws, true
			}
		}
		if !found {
			return nil, fmt.Errorf("calendar %q: %q is not a day of the week", s.Name, day)
		}
	}
	return NewBusinessCalendar(s.Name, s.TimeZone, wk, s.Holidays)
}

// Spec returns the calendar as stored data.
func (c *Calendar) Spec() CalendarSpec {
	if c.always {
		return CalendarSpec{Name: c.Name, TwentyFourSeven: true}
	}
	s := CalendarSpec{Name: c.Name, TimeZone: c.loc.String(), Week: map[string][]Window{}}
	for d, ws := range c.week {
		if len(ws) > 0 {
			s.Week[strings.ToLower(time.Weekday(d).String())] = append([]Window(nil), ws...)
		}
	}
	for _, n := range c.holDays {
		s.Holidays = append(s.Holidays, Holiday{Date: time.Date(1970, 1, 1+n, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), Name: c.holidays[n]})
	}
	return s
}
