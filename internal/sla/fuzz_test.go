package sla

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseDate: no input makes the CMMS date parser panic, and a date it
// accepts under one convention formats back to a time in the given zone.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-08 14:30", "03/08/2026 2:30 PM", "2026-11-01T01:30:00-04:00", "45123", "3/4/2026", "31/12/2026", "", "Mar 8, 2026", "2026-13-45", "12/31/99"} {
		f.Add(s, uint8(0))
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string, c uint8) {
		conv := Convention(int(c) % 3)
		tm, err := ParseDate(s, ny, conv)
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatalf("empty error for %q", s)
			}
			return
		}
		if tm.IsZero() {
			t.Fatalf("%q parsed to the zero time without an error", s)
		}
		if _, err := DetectConvention([]string{s, s}); err != nil && strings.TrimSpace(err.Error()) == "" {
			t.Fatalf("empty convention error for %q", s)
		}
	})
}
