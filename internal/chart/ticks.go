package chart

import (
	"math"
	"time"
)

// niceStep rounds raw up to 1, 2 or 5 × 10^n.
func niceStep(raw float64) float64 {
	if !(raw > 0) || math.IsInf(raw, 0) {
		return 1
	}
	exp := math.Floor(math.Log10(raw))
	p := math.Pow(10, exp)
	f := raw / p
	switch {
	case f <= 1:
		f = 1
	case f <= 2:
		f = 2
	case f <= 5:
		f = 5
	default:
		f = 10
	}
	return f * p
}

// niceScale widens [lo, hi] to multiples of a nice step so that there are at
// most about maxTicks intervals. It always returns lo < hi and step > 0.
func niceScale(lo, hi float64, maxTicks int) (nlo, nhi, step float64) {
	lo, hi = clean(lo), clean(hi)
	if lo > hi {
		lo, hi = hi, lo
	}
	if lo == hi {
		switch {
		case hi > 0:
			lo = 0
		case hi < 0:
			hi = 0
		default:
			hi = 1
		}
	}
	if maxTicks < 1 {
		maxTicks = 1
	}
	step = niceStep((hi - lo) / float64(maxTicks))
	nlo = math.Floor(lo/step) * step
	nhi = math.Ceil(hi/step) * step
	if !(nhi > nlo) { // precision loss at extreme magnitudes
		nlo, nhi = lo, hi
		step = hi - lo
	}
	return nlo, nhi, step
}

// ticks lists the tick values of a nice scale (at most 64).
func ticks(lo, hi, step float64) []float64 {
	var out []float64
	for i := 0; i < 64; i++ {
		v := lo + float64(i)*step
		if v > hi+step*1e-9 {
			break
		}
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		out = append(out, v)
	}
	return out
}

// stepDecimals is the number of decimals needed to print ticks of step.
func stepDecimals(step float64) int {
	if step >= 1 || step <= 0 {
		return 0
	}
	d := int(math.Ceil(-math.Log10(step) - 1e-9))
	if d > 6 {
		d = 6
	}
	return d
}

type timeUnit int

const (
	unitHour timeUnit = iota
	unitDay
	unitWeek
	unitMonth
	unitYear
)

type timeStep struct {
	unit timeUnit
	n    int
}

func (s timeStep) approxSeconds() float64 {
	switch s.unit {
	case unitHour:
		return 3600 * float64(s.n)
	case unitDay:
		return 86400 * float64(s.n)
	case unitWeek:
		return 7 * 86400 * float64(s.n)
	case unitMonth:
		return 30.44 * 86400 * float64(s.n)
	default:
		return 365.25 * 86400 * float64(s.n)
	}
}

func (s timeStep) floor(t time.Time) time.Time {
	y, m, d := t.Date()
	loc := t.Location()
	switch s.unit {
	case unitHour:
		h := t.Hour()
		return time.Date(y, m, d, h-h%s.n, 0, 0, 0, loc)
	case unitDay:
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	case unitWeek:
		wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
		return time.Date(y, m, d-wd, 0, 0, 0, 0, loc)
	case unitMonth:
		mi := int(m) - 1
		return time.Date(y, time.Month(mi-mi%s.n+1), 1, 0, 0, 0, 0, loc)
	default:
		return time.Date(y-mod(y, s.n), 1, 1, 0, 0, 0, 0, loc)
	}
}

func mod(a, n int) int { return ((a % n) + n) % n }

func (s timeStep) next(t time.Time) time.Time {
	switch s.unit {
	case unitHour:
		return t.Add(time.Duration(s.n) * time.Hour)
	case unitDay:
		return t.AddDate(0, 0, s.n)
	case unitWeek:
		return t.AddDate(0, 0, 7*s.n)
	case unitMonth:
		return t.AddDate(0, s.n, 0)
	default:
		return t.AddDate(s.n, 0, 0)
	}
}

func (s timeStep) label(t time.Time) string {
	switch s.unit {
	case unitHour:
		if t.Hour() == 0 && t.Minute() == 0 {
			return t.Format("2 Jan")
		}
		return t.Format("15:04")
	case unitDay, unitWeek:
		return t.Format("2 Jan")
	case unitMonth:
		return t.Format("Jan 2006")
	default:
		return t.Format("2006")
	}
}

var timeSteps = []timeStep{
	{unitHour, 1}, {unitHour, 2}, {unitHour, 3}, {unitHour, 6}, {unitHour, 12},
	{unitDay, 1}, {unitDay, 2}, {unitWeek, 1}, {unitWeek, 2},
	{unitMonth, 1}, {unitMonth, 2}, {unitMonth, 3}, {unitMonth, 6},
}

// timeTicks picks calendar-aligned ticks (hours, days, weeks, months or
// years) within [t0, t1], at most maxTicks of them.
func timeTicks(t0, t1 time.Time, maxTicks int) ([]time.Time, timeStep) {
	if maxTicks < 2 {
		maxTicks = 2
	}
	span := unixF(t1) - unixF(t0)
	step := timeStep{unitYear, 1}
	found := false
	for _, s := range timeSteps {
		if span/s.approxSeconds()+1 <= float64(maxTicks) {
			step, found = s, true
			break
		}
	}
	if !found {
		years := span / (365.25 * 86400)
		n := niceStep(years / float64(maxTicks-1))
		if n < 1 {
			n = 1
		}
		if n > 1e6 {
			n = 1e6
		}
		step = timeStep{unitYear, int(n)}
	}
	var out []time.Time
	t := step.floor(t0)
	for i := 0; i < 500 && !t.After(t1); i++ {
		if !t.Before(t0) {
			out = append(out, t)
		}
		t = step.next(t)
	}
	for len(out) > maxTicks { // approximations were off: thin out
		thin := out[:0]
		for i := 0; i < len(out); i += 2 {
			thin = append(thin, out[i])
		}
		out = thin
	}
	return out, step
}

// unixF returns t as float seconds since the Unix epoch (no overflow for
// any representable date, unlike time.Sub).
func unixF(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}
