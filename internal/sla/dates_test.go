package sla

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	cases := []struct {
		in   string
		conv Convention
		want time.Time
	}{
		{"2026-03-08", ConventionUnknown, et("2026-03-08 00:00")},
		{"2026-03-08 14:30", ConventionUnknown, et("2026-03-08 14:30")},
		{"2026-03-08T14:30:00", ConventionUnknown, et("2026-03-08 14:30")},
		{"2026-03-08T18:30:00Z", ConventionUnknown, et("2026-03-08 14:30")},
		{"2026-03-08T14:30:00-04:00", ConventionUnknown, et("2026-03-08 14:30")},
		{"2026-03-08 18:30:00 UTC", ConventionUnknown, et("2026-03-08 14:30")},
		{"03/08/2026 2:30 PM", ConventionMDY, et("2026-03-08 14:30")},
		{"3/8/2026 2:30 pm", ConventionMDY, et("2026-03-08 14:30")},
		{"08/03/2026 14:30", ConventionDMY, et("2026-03-08 14:30")},
		{"3/8/2026", ConventionMDY, et("2026-03-08 00:00")},
		{"03/13/2026", ConventionUnknown, et("2026-03-13 00:00")}, // only M/D valid
		{"13/03/2026", ConventionUnknown, et("2026-03-13 00:00")}, // only D/M valid
		{"03/03/2026", ConventionUnknown, et("2026-03-03 00:00")}, // both readings agree
		{"Mar 8, 2026", ConventionUnknown, et("2026-03-08 00:00")},
		{"8-Mar-2026", ConventionUnknown, et("2026-03-08 00:00")},
		{"46089", ConventionUnknown, et("2026-03-08 00:00")},            // Excel serial
		{"46089.6041666667", ConventionUnknown, et("2026-03-08 14:30")}, // with time
	}
	for _, tc := range cases {
		got, err := ParseDate(tc.in, ny, tc.conv)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseDate(%q, %s) = %s, %v; want %s", tc.in, tc.conv, got, err, tc.want)
		}
	}
}

func TestParseDateRefusals(t *testing.T) {
	_, err := ParseDateAt("03/04/2026", ny, ConventionUnknown, 17, "Opened")
	var de *DateError
	if !errors.As(err, &de) || !de.Ambiguous || de.Row != 17 || de.Column != "Opened" {
		t.Fatalf("ambiguous date: %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "row 17") || !strings.Contains(msg, `"Opened"`) || !strings.Contains(msg, "4 March 2026") || !strings.Contains(msg, "3 April 2026") {
		t.Errorf("message: %s", msg)
	}
	for _, tc := range []struct {
		in   string
		conv Convention
	}{
		{"13/03/2026", ConventionMDY}, {"02/30/2026", ConventionMDY}, {"", ConventionUnknown}, {"yesterday", ConventionUnknown},
		{"2026", ConventionUnknown}, {"03/08/2026 25:00", ConventionMDY}, {"2026-03-08 14:30:00 EST", ConventionUnknown},
	} {
		if _, err := ParseDateAt(tc.in, ny, tc.conv, 3, "c"); err == nil {
			t.Errorf("%q (%s) accepted", tc.in, tc.conv)
		} else if !errors.As(err, &de) || de.Row != 3 {
			t.Errorf("%q: not a *DateError with row: %v", tc.in, err)
		}
	}
}

func TestDetectConvention(t *testing.T) {
	cases := []struct {
		vals    []string
		want    Convention
		wantErr bool
	}{
		{[]string{"03/04/2026", "25/04/2026"}, ConventionDMY, false},
		{[]string{"03/04/2026", "04/25/2026 2:00 PM"}, ConventionMDY, false},
		{[]string{"03/04/2026", "2026-12-31", ""}, ConventionUnknown, false},
		{[]string{"25/04/2026", "04/25/2026"}, ConventionUnknown, true},
	}
	for _, tc := range cases {
		got, err := DetectConvention(tc.vals)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("%q: %s, %v", tc.vals, got, err)
		}
	}
}
