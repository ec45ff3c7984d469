package zeek

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

var errBadTime = errors.New("bad timestamp")

// ParseTime reads a Zeek timestamp in any form Zeek writes: epoch seconds with
// a fraction ("1521911720.605656", TSV and default JSON), ISO 8601
// ("2018-03-24T17:15:20.605656Z", JSON::TS_ISO8601) or integer epoch
// milliseconds (JSON::TS_MILLIS, told apart by magnitude). Unset values and
// btest's "XXXXXXXXXX.XXXXXX" placeholder are an unknown time: the zero
// time.Time and no error, so test baselines still import. Results are UTC.
func ParseTime(s string) (time.Time, error) {
	if s == "" || s == "-" || isPlaceholder(s) {
		return time.Time{}, nil
	}
	if strings.IndexByte(s, 'T') > 0 {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, errBadTime
		}
		return t.UTC(), nil
	}
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f > maxEpoch {
			return time.Time{}, errBadTime
		}
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), nil
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || !digits(whole) || (hasFrac && !digits(frac)) || len(whole) > 15 {
		return time.Time{}, errBadTime
	}
	sec, _ := strconv.ParseInt(whole, 10, 64)
	if !hasFrac && sec > maxEpoch {
		return time.UnixMilli(sec).UTC(), nil // TS_MILLIS
	}
	if sec > maxEpoch {
		return time.Time{}, errBadTime
	}
	var nsec int64
	for i := 0; i < 9; i++ {
		nsec *= 10
		if i < len(frac) {
			nsec += int64(frac[i] - '0')
		}
	}
	return time.Unix(sec, nsec).UTC(), nil
}

// maxEpoch (year 5138 in seconds) separates seconds from milliseconds.
const maxEpoch = 1e11

func isPlaceholder(s string) bool {
	x := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'X':
			x = true
		case '.', '-', ':':
		default:
			return false
		}
	}
	return x
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// timeField parses field f of row r, as an *Error naming the field.
func timeField(file string, line int, r row, f string) (time.Time, error) {
	v, _ := r.get(f)
	t, err := ParseTime(v)
	if err != nil {
		return t, errorf(file, line, f, "bad timestamp %s", quote(v))
	}
	return t, nil
}
