package importer

import (
	"fmt"
	"strings"
	"time"
)

// dateLayouts are the forms CMMS exports use, US month-first as the US
// products write them. Day-first dates are taken only where unambiguous (ISO).
var dateLayouts = []string{
	"2006-01-02", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05",
	"1/2/2006", "01/02/2006", "1/2/2006 15:04", "1/2/2006 15:04:05", "1/2/2006 3:04 PM", "1/2/2006 3:04:05 PM",
	"Jan 2, 2006", "January 2, 2006", "2-Jan-2006", "02-Jan-2006", "2-Jan-06", "2006/01/02",
}

// ParseDate reads a date as CMMS exports write it and returns it as ISO
// YYYY-MM-DD. The error says which forms are accepted.
func ParseDate(s string) (string, error) {
	var first int
	return parseDate(s, &first)
}

// parseDate is ParseDate trying dateLayouts[*first] before the others and
// remembering in *first the layout that read s. No text reads under two of
// the layouts, so the order changes nothing but the cost: a failed
// time.Parse allocates its error, and a file of M/D/YYYY dates failed
// three layouts per cell.
func parseDate(s string, first *int) (string, error) {
	s = strings.TrimSpace(s)
	t, ok := parseFirst(dateLayouts, s, first)
	if !ok {
		return "", fmt.Errorf("cannot read date %q; use YYYY-MM-DD or MM/DD/YYYY", s)
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		return "", fmt.Errorf("date %q is out of range", s)
	}
	return t.Format("2006-01-02"), nil
}

func parseFirst(layouts []string, s string, first *int) (time.Time, bool) {
	if t, err := time.Parse(layouts[*first], s); err == nil {
		return t, true
	}
	for i, l := range layouts {
		if i == *first {
			continue
		}
		if t, err := time.Parse(l, s); err == nil {
			*first = i
			return t, true
		}
	}
	return time.Time{}, false
}

var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05Z07:00",
	"1/2/2006 15:04", "1/2/2006 15:04:05", "1/2/2006 3:04 PM", "1/2/2006 3:04:05 PM", "2006-01-02", "1/2/2006",
}

// ParseTime reads a timestamp as CMDB and monitoring exports write it;
// times without a zone are taken as UTC. It returns RFC 3339 in UTC.
func ParseTime(s string) (string, error) {
	var first int
	return parseTime(s, &first)
}

// parseTime is ParseTime with parseDate's memory of the last layout.
func parseTime(s string, first *int) (string, error) {
	s = strings.TrimSpace(s)
	if t, ok := parseFirst(timeLayouts, s, first); ok {
		return t.UTC().Format(time.RFC3339), nil
	}
	return "", fmt.Errorf("cannot read time %q; use ISO 8601 (2006-01-02T15:04:05Z) or YYYY-MM-DD HH:MM:SS", s)
}
