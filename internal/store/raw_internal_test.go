package store

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRawObject_EscapesAndKeepsOrder(t *testing.T) {
	h := []string{"Equipment ID", `Note "q"`, "Bad"}
	c := []string{"BM-1", "line1\nline2\t\\ =cmd|' /C calc'!A0", "\xff<ok>"}
	got := RawObject(h, c)
	var m map[string]string
	if err := json.Unmarshal([]byte(got), &m); err != nil {
		t.Fatalf("RawObject gave invalid JSON %q: %v", got, err)
	}
	if m[`Note "q"`] != c[1] || m["Bad"] != "\ufffd<ok>" || m["Equipment ID"] != "BM-1" {
		t.Errorf("round trip = %v", m)
	}
	if !strings.HasPrefix(got, `{"Equipment ID":"BM-1","Note \"q\""`) {
		t.Errorf("column order lost: %s", got)
	}
}

// A row kept as cells comes back as the very object the file's row makes,
// whatever its cells hold.
func TestRawCells_ComeBackAsTheRowsObject(t *testing.T) {
	header := []string{"Equipment ID", `Note "q"`, "Empty", "Ctl\x01", "Ünïcode", "Equipment ID"}
	rows := [][]string{
		{"BM-1", "a \"quoted\" \\ back", "", "tab\there", "Dräger ✓", "dup"},
		{"=HYPERLINK(\"x\")", "line1\r\nline2", "", "\x00", "\xff\xfe", "", "an extra cell past the header"},
	}
	h, _ := json.Marshal(header)
	for _, cells := range rows {
		stored := RawCells(header, cells)
		var back []string
		if err := json.Unmarshal([]byte(stored), &back); err != nil || len(back) != len(header) {
			t.Fatalf("RawCells(%q) = %s: %v, %d cells", cells, stored, err, len(back))
		}
		if got, want := rawAsObject(stored, string(h)), RawObject(header, cells); got != want {
			t.Errorf("rawAsObject(%s) =\n %s\nwant\n %s", stored, got, want)
		}
	}
	// Rows kept as objects, and cells with no usable header, pass as they are.
	for _, tt := range []struct{ raw, header string }{
		{`{"mac":"00:01"}`, `["a"]`}, {`["x"]`, ""}, {`["x","y"]`, `["a"]`}, {`["x"]`, `not json`},
	} {
		if got := rawAsObject(tt.raw, tt.header); got != tt.raw {
			t.Errorf("rawAsObject(%s, %s) = %s", tt.raw, tt.header, got)
		}
	}
}
