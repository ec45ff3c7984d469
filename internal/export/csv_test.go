package export

import (
	"bytes"
	"testing"
)

func TestSafeCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"+1+2", "'+1+2"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"  =1", "'  =1"},
		{"Alaris 8015", "Alaris 8015"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := SafeCell(tt.in); got != tt.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var b bytes.Buffer
	w := NewCSV(&b)
	w.Write([]string{"=HYPERLINK(\"http://x\")", "ok"})
	w.Flush()
	if got := b.String(); got != "\"'=HYPERLINK(\"\"http://x\"\")\",ok\n" {
		t.Errorf("csv = %q", got)
	}
}
