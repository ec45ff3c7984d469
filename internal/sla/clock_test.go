package sla

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var ny, _ = time.LoadLocation("America/New_York")

// et reads a New York wall time "2006-01-02 15:04".
func et(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, ny)
	if err != nil {
		panic(err)
	}
	return t
}

var usHolidays2026 = []Holiday{
	{"2026-01-01", "New Year's Day"}, {"2026-05-25", "Memorial Day"}, {"2026-07-03", "Independence Day (observed)"},
	{"2026-09-07", "Labor Day"}, {"2026-11-26", "Thanksgiving"}, {"2026-12-25", "Christmas Day"},
}

func testEngine(t *testing.T) *Engine {
	t.Helper()
	p, err := DefaultPolicy("America/New_York", usHolidays2026)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(p)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func bizCal(t *testing.T) *Calendar {
	e := testEngine(t)
	c, _ := e.Calendar("business")
	return c
}

func TestCalendarElapsedHandComputed(t *testing.T) {
	c := bizCal(t)
	cases := []struct {
		name     string
		from, to string
		want     time.Duration
	}{
		{"same day", "2026-03-10 09:00", "2026-03-10 12:30", 3*time.Hour + 30*time.Minute},
		{"across a night", "2026-03-10 15:00", "2026-03-11 10:00", 4 * time.Hour},
		{"across a weekend", "2026-03-13 16:00", "2026-03-16 09:00", 2 * time.Hour},
		{"holiday Friday 3 July", "2026-07-02 16:00", "2026-07-06 09:00", 2 * time.Hour},
		{"Thanksgiving week", "2026-11-23 08:00", "2026-11-30 08:00", 4 * 9 * time.Hour},
		{"DST spring weekend", "2026-03-06 16:00", "2026-03-09 10:00", 3 * time.Hour},
		{"DST fall weekend", "2026-10-30 16:00", "2026-11-02 10:00", 3 * time.Hour},
		{"opened Saturday night", "2026-03-14 22:00", "2026-03-16 08:30", 30 * time.Minute},
		{"entirely at night", "2026-03-10 18:00", "2026-03-11 07:00", 0},
		{"five whole weeks", "2026-01-05 08:00", "2026-02-09 08:00", 5 * 45 * time.Hour},
		{"spring DST inside a 3-week span", "2026-03-02 08:00", "2026-03-23 08:00", 3 * 45 * time.Hour},
		{"year 2026 (6 weekday holidays)", "2026-01-01 00:00", "2027-01-01 00:00", (261 - 6) * 9 * time.Hour},
	}
	for _, tc := range cases {
		got := c.Elapsed(et(tc.from), et(tc.to))
		if got != tc.want {
			t.Errorf("%s: Elapsed = %s, want %s", tc.name, got, tc.want)
		}
		var sum time.Duration
		for _, s := range c.Segments(nil, et(tc.from), et(tc.to)) {
			sum += s.Counted
		}
		if sum != tc.want {
			t.Errorf("%s: Segments counted %s, want %s", tc.name, sum, tc.want)
		}
	}
}

func TestCalendarWindowAcrossDST(t *testing.T) {
	// A calendar open around the clock on Sundays: the spring-forward
	// Sunday has 23 real hours, the fall-back Sunday 25.
	var wk [7][]Window
	wk[time.Sunday] = []Window{{0, 1440}}
	c, err := NewBusinessCalendar("sundays", "America/New_York", wk, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Elapsed(et("2026-03-08 00:00"), et("2026-03-09 00:00")); got != 23*time.Hour {
		t.Errorf("spring Sunday = %s, want 23h", got)
	}
	if got := c.Elapsed(et("2026-11-01 00:00"), et("2026-11-02 00:00")); got != 25*time.Hour {
		t.Errorf("fall Sunday = %s, want 25h", got)
	}
	// Four Sundays, one of them 23h: whole-week skipping must notice.
	if got := c.Elapsed(et("2026-02-23 00:00"), et("2026-03-23 00:00")); got != 4*24*time.Hour-time.Hour {
		t.Errorf("four Sundays incl. spring = %s, want 95h", got)
	}
	if got, _ := c.Advance(et("2026-03-08 00:00"), 23*time.Hour); !got.Equal(et("2026-03-09 00:00")) {
		t.Errorf("Advance 23h from spring Sunday = %s", got)
	}
	if got, _ := c.Advance(et("2026-03-08 00:00"), 23*time.Hour+time.Minute); !got.Equal(et("2026-03-15 00:01")) {
		t.Errorf("Advance 23h01 from spring Sunday = %s", got)
	}
}

func TestCalendarAdvance(t *testing.T) {
	c := bizCal(t)
	cases := []struct {
		from string
		d    time.Duration
		want string
	}{
		{"2026-03-12 15:00", 4 * time.Hour, "2026-03-13 10:00"},
		{"2026-03-13 16:00", 2 * time.Hour, "2026-03-16 09:00"},
		{"2026-07-02 16:00", 2 * time.Hour, "2026-07-06 09:00"},
		{"2026-03-14 10:00", 30 * time.Minute, "2026-03-16 08:30"},
		{"2026-03-10 17:00", 9 * time.Hour, "2026-03-11 17:00"},
		{"2026-01-05 08:00", 5*45*time.Hour + time.Hour, "2026-02-09 09:00"},
		{"2026-11-20 12:00", 5 * 9 * time.Hour, "2026-11-30 12:00"}, // skips Thanksgiving
	}
	for _, tc := range cases {
		got, ok := c.Advance(et(tc.from), tc.d)
		if !ok || !got.Equal(et(tc.want)) {
			t.Errorf("Advance(%s, %s) = %s, want %s", tc.from, tc.d, got.In(ny), tc.want)
		}
	}
}

func clockOf(r Result, m Milestone) Clock {
	for _, c := range r.Clocks {
		if c.Milestone == m {
			return c
		}
	}
	return Clock{}
}

func TestCriticalDeviceDownAcrossSpringDST(t *testing.T) {
	e := testEngine(t)
	ev := Event{ID: "WO-1", AssetKey: "A1", Type: EventDeviceDown, Tier: TierCritical,
		Start: et("2026-03-07 22:00"), Responded: et("2026-03-07 22:20"), OnSite: et("2026-03-08 03:30"), Resolved: et("2026-03-08 10:00")}
	r, err := e.Evaluate(ev, et("2026-03-09 00:00"))
	if err != nil {
		t.Fatal(err)
	}
	// 22:00 EST → 03:30 EDT is 4h30 of real time (02:00–03:00 never happened).
	on := clockOf(r, MilestoneOnSite)
	if on.Elapsed != 4*time.Hour+30*time.Minute || on.State != StateBreached || !on.BreachedAt.Equal(et("2026-03-08 03:00")) {
		t.Errorf("on site: %+v", on)
	}
	res := clockOf(r, MilestoneResolve)
	if res.Elapsed != 11*time.Hour || res.State != StateMet {
		t.Errorf("resolve: elapsed %s state %s", res.Elapsed, res.State)
	}
	if r.State != StateBreached {
		t.Errorf("event state %s", r.State)
	}
}

func TestCriticalDeviceDownAcrossFallDST(t *testing.T) {
	e := testEngine(t)
	ev := Event{ID: "WO-2", Type: EventDeviceDown, Tier: TierCritical,
		Start: et("2026-10-31 20:00"), Responded: et("2026-10-31 20:10"), OnSite: et("2026-10-31 22:00"), Resolved: et("2026-11-01 20:00")}
	r, _ := e.Evaluate(ev, et("2026-11-02 00:00"))
	c := clockOf(r, MilestoneResolve)
	// 25 real hours on a 24h target; crossed at 19:00 EST.
	if c.Elapsed != 25*time.Hour || c.State != StateBreached {
		t.Fatalf("elapsed %s state %s", c.Elapsed, c.State)
	}
	if want := et("2026-11-01 19:00"); !c.BreachedAt.Equal(want) {
		t.Errorf("breached at %s, want %s", c.BreachedAt, want)
	}
}

func TestNonCriticalBreachAcrossNight(t *testing.T) {
	e := testEngine(t)
	ev := Event{ID: "WO-3", Type: EventDeviceDown, Tier: TierNonCritical, Start: et("2026-03-12 15:00"), Responded: et("2026-03-13 12:00")}
	r, _ := e.Evaluate(ev, et("2026-03-13 12:00"))
	c := clockOf(r, MilestoneResponse)
	if c.Elapsed != 6*time.Hour || c.State != StateBreached || !c.BreachedAt.Equal(et("2026-03-13 10:00")) {
		t.Fatalf("response: %s %s %s", c.Elapsed, c.State, c.BreachedAt)
	}
	kinds := []SegmentKind{}
	for _, s := range c.Timeline {
		kinds = append(kinds, s.Kind)
	}
	want := []SegmentKind{SegCounting, SegOutside, SegCounting}
	if len(kinds) != 3 || kinds[0] != want[0] || kinds[1] != want[1] || kinds[2] != want[2] {
		t.Errorf("timeline kinds %v, want %v", kinds, want)
	}
	if !strings.Contains(c.Explain(), "BREACHED") {
		t.Errorf("explanation: %s", c.Explain())
	}
}

func TestOpenedOutsideBusinessHours(t *testing.T) {
	e := testEngine(t)
	ev := Event{ID: "WO-4", Type: EventDeviceDown, Tier: TierNonCritical, Start: et("2026-03-14 10:00")}
	r, _ := e.Evaluate(ev, et("2026-03-16 08:30"))
	c := clockOf(r, MilestoneResponse)
	if c.Elapsed != 30*time.Minute || c.State != StateOnTrack {
		t.Fatalf("elapsed %s state %s", c.Elapsed, c.State)
	}
	if s := c.Timeline[0]; s.Kind != SegOutside || !s.From.Equal(et("2026-03-14 10:00")) || !s.To.Equal(et("2026-03-16 08:00")) {
		t.Errorf("first segment %v", s)
	}
}

func TestAtRisk(t *testing.T) {
	e := testEngine(t)
	ev := Event{ID: "WO-5", Type: EventDeviceDown, Tier: TierNonCritical, Start: et("2026-03-16 08:00")}
	r, _ := e.Evaluate(ev, et("2026-03-16 10:59"))
	if c := clockOf(r, MilestoneResponse); c.State != StateOnTrack {
		t.Errorf("at 10:59: %s", c.State)
	}
	r, _ = e.Evaluate(ev, et("2026-03-16 11:00"))
	if c := clockOf(r, MilestoneResponse); c.State != StateAtRisk || c.Consumed != 0.75 {
		t.Errorf("at 11:00: %s %g", c.State, c.Consumed)
	}
	if r.State != StateAtRisk {
		t.Errorf("event: %s", r.State)
	}
}

func TestOnePause(t *testing.T) {
	e := testEngine(t)
	ev := Event{ID: "WO-6", Type: EventDeviceDown, Tier: TierNonCritical,
		Start: et("2026-03-09 09:00"), Responded: et("2026-03-09 10:00"), OnSite: et("2026-03-09 10:30"), Resolved: et("2026-03-11 12:00"),
		Pauses: []Pause{{Reason: PauseAwaitingParts, Note: "PO 4711", From: et("2026-03-09 11:00"), To: et("2026-03-10 10:00")}}}
	r, _ := e.Evaluate(ev, et("2026-03-12 00:00"))
	c := clockOf(r, MilestoneResolve)
	// Mon 9–11 (2h) + Tue 10–17 (7h) + Wed 8–12 (4h).
	if c.Elapsed != 13*time.Hour || c.Paused != 23*time.Hour || c.State != StateMet {
		t.Fatalf("resolve: elapsed %s paused %s state %s", c.Elapsed, c.Paused, c.State)
	}
	if r.Paused != 23*time.Hour {
		t.Errorf("event paused %s", r.Paused)
	}
	found := false
	for _, s := range c.Timeline {
		if s.Kind == SegPaused && s.Reason == "awaiting_parts: PO 4711" && s.Counted == 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("no paused segment with reason: %v", c.Timeline)
	}
}

func TestSeveralAndOverlappingPauses(t *testing.T) {
	e := testEngine(t)
	ev := Event{ID: "WO-7", Type: EventDeviceDown, Tier: TierNonCritical, Start: et("2026-03-09 09:00"), Resolved: et("2026-03-10 12:00"),
		Pauses: []Pause{
			{Reason: PauseAwaitingParts, From: et("2026-03-09 10:00"), To: et("2026-03-09 12:00")},
			{Reason: PauseClinicallyUnavailable, From: et("2026-03-09 11:00"), To: et("2026-03-09 13:00")},
			{Reason: PauseAwaitingManufacturer, From: et("2026-03-10 09:00"), To: et("2026-03-10 10:00")},
		}}
	r, _ := e.Evaluate(ev, et("2026-03-10 12:00"))
	c := clockOf(r, MilestoneResolve)
	// Mon 9–10, 13–17, Tue 8–9, 10–12 = 1+4+1+2.
	if c.Elapsed != 8*time.Hour || c.Paused != 4*time.Hour {
		t.Fatalf("elapsed %s paused %s", c.Elapsed, c.Paused)
	}
	var reasons []string
	for _, s := range c.Timeline {
		if s.Kind == SegPaused {
			reasons = append(reasons, s.Reason)
		}
	}
	if len(reasons) != 2 || reasons[0] != "awaiting_parts + device_clinically_unavailable" || reasons[1] != "awaiting_manufacturer_validation" {
		t.Errorf("paused reasons %q", reasons)
	}
}

func TestMergePauses(t *testing.T) {
	asOf := et("2026-03-20 00:00")
	spans := MergePauses([]Pause{
		{Reason: PauseAwaitingParts, From: et("2026-03-10 10:00"), To: et("2026-03-10 12:00")},
		{Reason: PauseAwaitingParts, From: et("2026-03-10 12:00"), To: et("2026-03-10 13:00")}, // touching
		{Reason: PauseAwaitingParts, From: et("2026-03-10 10:30"), To: et("2026-03-10 11:00")}, // contained
		{Reason: PauseClinicallyUnavailable, From: et("2026-03-15 10:00")},                     // open
		{Reason: "", From: et("2026-03-11 10:00"), To: et("2026-03-11 11:00")},                 // invalid: skipped
		{Reason: PauseAwaitingParts, From: et("2026-03-21 10:00")},                             // future
	}, asOf)
	if len(spans) != 2 {
		t.Fatalf("spans %+v", spans)
	}
	if !spans[0].From.Equal(et("2026-03-10 10:00")) || !spans[0].To.Equal(et("2026-03-10 13:00")) || len(spans[0].Reasons) != 1 {
		t.Errorf("span 0 %+v", spans[0])
	}
	if !spans[1].Open || !spans[1].To.Equal(asOf) {
		t.Errorf("span 1 %+v", spans[1])
	}
}

func TestRiskExceptionSuspendsPatchSLA(t *testing.T) {
	e := testEngine(t)
	utc := func(s string) time.Time { x, _ := time.Parse("2006-01-02", s); return x }
	x := RiskException{ID: "RX-1", Decision: DecisionReduce, Controls: []string{"VLAN isolation"}, Requester: "alice", Approver: "bob",
		Approved: utc("2026-03-05"), Expiry: utc("2026-04-05")}
	ev := Event{ID: "P-1", Type: EventPatchDeployment, Tier: TierCritical, Start: utc("2026-03-01"), Exceptions: []RiskException{x}}
	check := func(asOf string, elapsed time.Duration, st State, pausedNow bool) Clock {
		t.Helper()
		r, err := e.Evaluate(ev, utc(asOf))
		if err != nil {
			t.Fatal(err)
		}
		c := clockOf(r, MilestoneResolve)
		if c.Elapsed != elapsed || c.State != st || c.PausedNow != pausedNow {
			t.Errorf("as of %s: elapsed %s state %s paused-now %v; want %s %s %v\n%s", asOf, c.Elapsed, c.State, c.PausedNow, elapsed, st, pausedNow, c.Explain())
		}
		return c
	}
	day := 24 * time.Hour
	check("2026-03-20", 4*day, StateOnTrack, true)
	check("2026-04-05", 4*day, StateOnTrack, false) // expiry restarts the clock
	check("2026-04-10", 9*day, StateOnTrack, false)
	check("2026-04-15", 14*day, StateAtRisk, false)
	c := check("2026-04-16", 15*day, StateBreached, false)
	if !c.BreachedAt.Equal(utc("2026-04-15")) {
		t.Errorf("breached at %s", c.BreachedAt)
	}
	// Same exception approved by its requester: ignored, with a note.
	bad := x
	bad.Approver = "alice"
	ev.Exceptions = []RiskException{bad}
	r, _ := e.Evaluate(ev, utc("2026-03-20"))
	if c := clockOf(r, MilestoneResolve); c.Elapsed != 19*day || len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "approver") {
		t.Errorf("self-approved exception: elapsed %s notes %q", c.Elapsed, r.Notes)
	}
	// On another event type: ignored, with a note.
	ev2 := Event{ID: "D-1", Type: EventDeviceDown, Tier: TierCritical, Start: utc("2026-03-04"), Exceptions: []RiskException{x}}
	r, _ = e.Evaluate(ev2, utc("2026-03-06"))
	if len(r.Notes) != 1 || clockOf(r, MilestoneResolve).Elapsed != 2*day {
		t.Errorf("exception on device down: %q", r.Notes)
	}
}

func TestUnknownRule(t *testing.T) {
	e := testEngine(t)
	if _, err := e.Evaluate(Event{ID: "X", Type: "other", Tier: TierCritical, Start: et("2026-03-01 00:00")}, et("2026-03-02 00:00")); err == nil {
		t.Error("want error for unknown event type")
	}
}

func TestLongSpanSummarisedWeeks(t *testing.T) {
	e := testEngine(t)
	ev := Event{ID: "T-1", Type: EventVulnerabilityTriage, Tier: TierNonCritical, Start: et("2026-01-05 08:00")}
	r, _ := e.Evaluate(ev, et("2026-03-16 08:00")) // 10 weeks incl. the DST week
	c := clockOf(r, MilestoneResolve)
	cal, _ := e.Calendar("business")
	if want := cal.Elapsed(ev.Start, et("2026-03-16 08:00")); c.Elapsed != want || want != 10*45*time.Hour {
		t.Errorf("elapsed %s, calendar %s", c.Elapsed, want)
	}
	if len(c.Timeline) > 40 {
		t.Errorf("timeline not summarised: %d segments", len(c.Timeline))
	}
	// 5 business days = 45h from Mon 08:00 → crossed Fri 17:00.
	if !c.BreachedAt.Equal(et("2026-01-09 17:00")) {
		t.Errorf("breached at %s", c.BreachedAt.In(ny))
	}
}

func TestReportAndCredits(t *testing.T) {
	e := testEngine(t)
	asOf := et("2026-04-01 00:00")
	evs := []Event{
		{ID: "a", Type: EventDeviceDown, Tier: TierCritical, Start: et("2026-03-02 10:00"), Responded: et("2026-03-02 10:10"), OnSite: et("2026-03-02 11:00"), Resolved: et("2026-03-02 15:00")},
		{ID: "b", Type: EventDeviceDown, Tier: TierCritical, Start: et("2026-03-03 10:00"), Responded: et("2026-03-03 11:00"), OnSite: et("2026-03-03 11:30"), Resolved: et("2026-03-03 15:00"),
			Pauses: []Pause{{Reason: PauseClinicallyUnavailable, From: et("2026-03-03 12:00"), To: et("2026-03-03 13:30")}}},
		{ID: "c", Type: EventDeviceDown, Tier: TierCritical, Start: et("2026-03-30 10:00")},    // still open, breached
		{ID: "d", Type: EventDeviceDown, Tier: TierNonCritical, Start: et("2026-03-31 16:00")}, // open, on track
		{ID: "e", Type: EventDeviceDown, Tier: TierCritical, Start: et("2026-02-27 10:00")},    // other month
	}
	var rs []Result
	for _, ev := range evs {
		r, err := e.Evaluate(ev, asOf)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	from, to := MonthBounds(2026, time.March, ny)
	rep := Report(rs, from, to)
	if len(rep) != 2 {
		t.Fatalf("entries %v", rep)
	}
	crit := rep[0]
	if crit.Tier != TierCritical || crit.Total != 3 || crit.Met != 1 || crit.Breached != 2 || crit.PausedHours != 1.5 || crit.Open() != 0 {
		t.Errorf("critical entry %s", crit)
	}
	// b breached response only; c breached response, on site and restore.
	if len(crit.Breaches) != 4 || len(crit.Breaches[0].Timeline) == 0 {
		t.Errorf("breaches %d", len(crit.Breaches))
	}
	if nc := rep[1]; nc.Total != 1 || nc.Open() != 1 {
		t.Errorf("non-critical %s", nc)
	}
	raw, _ := json.Marshal(rep[1])
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	for _, k := range []string{"tier", "event_type", "total", "met", "breached", "paused_hours", "breaches"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, raw)
		}
	}
	if len(m) != 7 {
		t.Errorf("JSON has extra keys: %s", raw)
	}

	st := Credits(rep, Agreement{MonthlyFeeCents: 1_000_000, Credits: []CreditRule{{Tier: TierCritical, EventType: EventDeviceDown, PercentPerBreach: 2}}, CapPercent: 3})
	if !st.Capped || st.TotalPercent != 3 || st.TotalCents != 30_000 || len(st.Lines) != 1 || st.Lines[0].AmountCents != 40_000 {
		t.Errorf("credits %+v", st)
	}
	if st := Credits(rep, Agreement{MonthlyFeeCents: 100}); st.TotalCents != 0 || !strings.Contains(st.Explanation, "no service credits") {
		t.Errorf("no-credit agreement %+v", st)
	}
}

func TestTiering(t *testing.T) {
	p, _ := DefaultPolicy("UTC", nil)
	cases := []struct {
		a    AssetProfile
		want Tier
	}{
		{AssetProfile{Modality: "Ventilator"}, TierCritical},
		{AssetProfile{Modality: "label printer", CareImpact: 5}, TierCritical},
		{AssetProfile{Modality: "label printer", CareImpact: 2}, TierNonCritical},
		{AssetProfile{Modality: "ventilator", Tier: TierNonCritical}, TierNonCritical},
	}
	for _, tc := range cases {
		if got, why := p.Tiering.TierFor(tc.a); got != tc.want || why == "" {
			t.Errorf("%+v: %s (%s)", tc.a, got, why)
		}
	}
}

func TestPolicyValidation(t *testing.T) {
	p, _ := DefaultPolicy("UTC", nil)
	p.Rules = append(p.Rules, Rule{Tier: TierCritical, EventType: EventDeviceDown, Resolve: time.Hour, Calendar: "24x7"})
	if _, err := NewEngine(p); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("duplicate rule: %v", err)
	}
	p, _ = DefaultPolicy("UTC", nil)
	p.Rules[0].Calendar = "nope"
	if _, err := NewEngine(p); err == nil {
		t.Error("unknown calendar accepted")
	}
	if _, err := NewBusinessCalendar("x", "Mars/Olympus", StandardWeek(Hours(8, 0, 17, 0)), nil); err == nil {
		t.Error("unknown zone accepted")
	}
	if _, err := NewBusinessCalendar("x", "UTC", [7][]Window{}, nil); err == nil {
		t.Error("empty week accepted")
	}
}

func TestJSONCarriesExplanationAndTimeline(t *testing.T) {
	e := testEngine(t)
	ev := Event{ID: "J-1", AssetKey: "CN-7", Type: EventDeviceDown, Tier: TierNonCritical, Start: et("2026-03-12 15:00"), Responded: et("2026-03-13 12:00")}
	r, _ := e.Evaluate(ev, et("2026-03-13 12:00"))
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Explanation string `json:"explanation"`
		Clocks      []struct {
			Explanation string    `json:"explanation"`
			Timeline    []Segment `json:"timeline"`
			BreachedAt  time.Time `json:"breached_at"`
		} `json:"clocks"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if m.Explanation == "" || len(m.Clocks) != 3 || m.Clocks[0].Explanation == "" || len(m.Clocks[0].Timeline) == 0 {
		t.Errorf("JSON: %s", raw)
	}
	// The response clock's timeline is a prefix of the restore clock's.
	resp, rest := r.Clocks[0].Timeline, r.Clocks[2].Timeline
	if len(resp) > len(rest) || !resp[0].From.Equal(rest[0].From) || !resp[len(resp)-1].To.Equal(et("2026-03-13 12:00")) {
		t.Errorf("timelines %v / %v", resp, rest)
	}
}

func TestCalendarSpecRoundTrip(t *testing.T) {
	c := bizCal(t)
	raw, _ := json.Marshal(c.Spec())
	var s CalendarSpec
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	c2, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	from, to := et("2026-06-29 10:00"), et("2026-07-08 15:00")
	if c.Elapsed(from, to) != c2.Elapsed(from, to) || c2.Describe() != c.Describe() {
		t.Errorf("round trip differs: %s vs %s", c.Describe(), c2.Describe())
	}
	if _, err := (CalendarSpec{Name: "x", TimeZone: "UTC", Week: map[string][]Window{"Funday": {{0, 60}}}}).Build(); err == nil {
		t.Error("bad day accepted")
	}
}
