package sla

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Convention is the order of day and month in a file's numeric dates
// (03/04/2026). ISO dates (2026-03-04) never depend on it.
type Convention int

const (
	// ConventionUnknown means the file's convention has not been
	// established: a numeric date whose two readings are both valid and
	// different is refused.
	ConventionUnknown Convention = iota
	// ConventionMDY is the US convention, month first (03/04/2026 = 4 March).
	ConventionMDY
	// ConventionDMY is day first (03/04/2026 = 3 April).
	ConventionDMY
)

func (c Convention) String() string {
	switch c {
	case ConventionMDY:
		return "M/D/YYYY"
	case ConventionDMY:
		return "D/M/YYYY"
	}
	return "unknown"
}

// DateError is returned for a value that cannot be read as a date. Row and
// Column are supplied by the caller (see ParseDateAt) so that an importer
// can point at the cell; Row 0 means "not given".
type DateError struct {
	Row       int    // row in the source file, as the caller counts rows
	Column    string // column name as in the file's header
	Value     string // the value as found
	Ambiguous bool   // true when both day/month readings were valid
	Reason    string // human explanation
}

func (e *DateError) Error() string {
	var b strings.Builder
	if e.Row > 0 {
		fmt.Fprintf(&b, "row %d, ", e.Row)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, "column %q: ", e.Column)
	}
	if e.Ambiguous {
		b.WriteString("ambiguous date ")
	} else {
		b.WriteString("cannot read date ")
	}
	fmt.Fprintf(&b, "%q: %s", e.Value, e.Reason)
	return b.String()
}

// Excel serial numbers are accepted only in this range (1927-05-18 to
// 2173-10-14) so that a bare year or a small count is never taken for a date.
const (
	minExcelSerial = 10000
	maxExcelSerial = 100000
)

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// zonedLayouts carry their own offset; the location argument is ignored.
var zonedLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05 MST", // only UTC/GMT are trusted, see below
	time.RFC1123Z,
	time.RFC1123,
}

// localLayouts carry no zone; they are read in the caller's location.
var localLayouts = []string{
	"2006-01-02",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006/01/02",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"Jan 2, 2006",
	"January 2, 2006",
	"Jan 2, 2006 3:04 PM",
	"January 2, 2006 3:04 PM",
	"2-Jan-2006",
	"02-Jan-2006",
	"2 Jan 2006",
	"2 January 2006",
	"2-Jan-2006 15:04",
	"2-Jan-2006 15:04:05",
}

// numericDate matches a/b/yyyy with "/", "." or "-" and an optional time.
var numericDate = regexp.MustCompile(`^(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4})(?:[ T]+(.+))?$`)

var clockLayouts = []string{
	"15:04", "15:04:05", "15:04:05.999999999",
	"3:04 PM", "3:04:05 PM", "3:04PM", "3:04:05PM", "3 PM", "3PM",
}

// ParseDate reads a date or timestamp as CMMS, CMDB and monitoring exports
// write it, in loc when the value carries no zone (nil means UTC):
//
//   - ISO: 2026-03-08, 2026-03-08 14:30, 2026-03-08T14:30:00, RFC 3339
//     with Z or an offset (the offset wins over loc);
//   - numeric month/day: 3/8/2026, 03/08/2026 2:30 PM, 03/08/2026 14:30,
//     read with the file's convention. With ConventionUnknown a value is
//     accepted only when one reading is impossible (13/03/2026) or both
//     agree (03/03/2026); otherwise a *DateError with Ambiguous set is
//     returned;
//   - named months: Mar 8, 2026, 8-Mar-2026;
//   - Excel serial day numbers (46089, 46089.604166), for cells a
//     spreadsheet export left unformatted; 1899-12-30 is day 0 as in Excel's
//     1900 system. Only 10000–100000 are taken as serials.
//
// Wall times that a DST change skips (02:30 on the spring-forward day) are
// normalised by time.Date; repeated ones (01:30 on the fall-back day) take
// the first occurrence.
// Every failure is a *DateError; use ParseDateAt to fill in row and column.
func ParseDate(s string, loc *time.Location, conv Convention) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	v := strings.TrimSpace(s)
	fail := func(amb bool, reason string) (time.Time, error) {
		return time.Time{}, &DateError{Value: s, Ambiguous: amb, Reason: reason}
	}
	if v == "" {
		return fail(false, "empty value")
	}
	if t, ok := parseExcelSerial(v, loc); ok {
		return t, nil
	}
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, v); err == nil {
			if strings.HasSuffix(l, "MST") || l == time.RFC1123 {
				// Zone abbreviations are ambiguous (CST is three zones);
				// only UTC and GMT are taken.
				if name, _ := t.Zone(); name != "UTC" && name != "GMT" {
					return fail(false, fmt.Sprintf("zone abbreviation %q is ambiguous; use a numeric offset", name))
				}
			}
			return t, nil
		}
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, v, loc); err == nil {
			return t, nil
		}
	}
	if m := numericDate.FindStringSubmatch(v); m != nil {
		if m[2] != m[4] {
			return fail(false, "mixed separators")
		}
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[3])
		y, _ := strconv.Atoi(m[5])
		mdyOK := validDay(y, a, b)
		dmyOK := validDay(y, b, a)
		var month, day int
		switch conv {
		case ConventionMDY:
			if !mdyOK {
				return fail(false, fmt.Sprintf("not a valid M/D/YYYY date (file convention %s)", conv))
			}
			month, day = a, b
		case ConventionDMY:
			if !dmyOK {
				return fail(false, fmt.Sprintf("not a valid D/M/YYYY date (file convention %s)", conv))
			}
			month, day = b, a
		default:
			switch {
			case mdyOK && dmyOK && a != b:
				return fail(true, fmt.Sprintf("could be %s (M/D) or %s (D/M) and the file's convention is unknown; "+
					"state the convention or use ISO YYYY-MM-DD",
					time.Date(y, time.Month(a), b, 0, 0, 0, 0, time.UTC).Format("2 January 2006"),
					time.Date(y, time.Month(b), a, 0, 0, 0, 0, time.UTC).Format("2 January 2006")))
			case mdyOK:
				month, day = a, b
			case dmyOK:
				month, day = b, a
			default:
				return fail(false, "neither M/D/YYYY nor D/M/YYYY gives a valid date")
			}
		}
		var clock time.Time
		if m[6] != "" {
			var ok bool
			clock, ok = parseClock(m[6])
			if !ok {
				return fail(false, fmt.Sprintf("cannot read time of day %q; use 14:30, 14:30:00 or 2:30 PM", m[6]))
			}
		}
		return time.Date(y, time.Month(month), day, clock.Hour(), clock.Minute(), clock.Second(), clock.Nanosecond(), loc), nil
	}
	return fail(false, "use ISO YYYY-MM-DD [HH:MM[:SS]] [zone], RFC 3339, MM/DD/YYYY [h:mm AM/PM] or an Excel serial number")
}

// ParseDateAt is ParseDate with the row and column the caller is reading,
// recorded in the returned *DateError.
func ParseDateAt(s string, loc *time.Location, conv Convention, row int, column string) (time.Time, error) {
	t, err := ParseDate(s, loc, conv)
	if de, ok := err.(*DateError); ok {
		de.Row, de.Column = row, column
	}
	return t, err
}

func parseClock(s string) (time.Time, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	for _, l := range clockLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func validDay(y, month, day int) bool {
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= time.Date(y, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func parseExcelSerial(v string, loc *time.Location) (time.Time, bool) {
	for _, r := range v {
		if (r < '0' || r > '9') && r != '.' {
			return time.Time{}, false
		}
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < minExcelSerial || f >= maxExcelSerial {
		return time.Time{}, false
	}
	days := int(f)
	frac := f - float64(days)
	d := excelEpoch.AddDate(0, 0, days)
	secs := int(frac*86400 + 0.5)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, secs, 0, loc), true
}

// DetectConvention looks at a column's values and decides whether the file
// writes numeric dates month first or day first: a value whose first field
// is over 12 proves D/M, one whose second field is over 12 proves M/D.
// Values that are ISO, empty or otherwise not a/b/yyyy are ignored. With no
// proof either way it returns ConventionUnknown (and no error); with proof
// both ways it returns ConventionUnknown and an error quoting one value of
// each kind.
func DetectConvention(values []string) (Convention, error) {
	var dm, md string
	for _, v := range values {
		m := numericDate.FindStringSubmatch(strings.TrimSpace(v))
		if m == nil {
			continue
		}
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[3])
		if a > 12 && b <= 12 && dm == "" {
			dm = v
		}
		if b > 12 && a <= 12 && md == "" {
			md = v
		}
	}
	switch {
	case dm != "" && md != "":
		return ConventionUnknown, fmt.Errorf("dates disagree: %q is day-first but %q is month-first", dm, md)
	case dm != "":
		return ConventionDMY, nil
	case md != "":
		return ConventionMDY, nil
	}
	return ConventionUnknown, nil
}
