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

// appendJSONString writes what encoding/json reads back as the string
// encoding/json itself would have written (invalid UTF-8 as U+FFFD), for
// plain runs, escapes at either end, and every byte value.
func TestAppendJSONString_RoundTrips(t *testing.T) {
	cases := []string{"", "plain", `"`, `\`, "a\"b\\c", "\x00start", "end\x1f", "tab\tand\nnewline", "Dräger ✓", "\xff\xfebad", "ok\xc3"}
	var all []byte
	for c := 0; c < 256; c++ {
		all = append(all, byte(c), 'x')
	}
	cases = append(cases, string(all))
	for _, s := range cases {
		got := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("appendJSONString(%q) = %s: %v", s, got, err)
		}
		var want string // what encoding/json makes of it: each invalid byte a U+FFFD
		enc, _ := json.Marshal(s)
		json.Unmarshal(enc, &want)
		if back != want {
			t.Errorf("appendJSONString(%q) reads back as %q, want %q", s, back, want)
		}
	}
}

// BenchmarkRawCells keeps a typical CMDB row as the import does.
func BenchmarkRawCells(b *testing.B) {
	header := strings.Split("sys_id,name,asset_tag,serial_number,manufacturer,model_id,model_number,mac_address,ip_address,location,sys_class_name,install_status,operational_status,discovery_source,first_discovered,last_discovered", ",")
	cells := strings.Split("11ccf7ae1bd3eff804cd8f44f5b2fd70,WRMC-WS-00000,IT-0100000,QSA7542J4V,HP Inc.,HP EliteDesk 800 G6,,3c:d9:2b:cd:e9:ad,10.24.0.2,Westbrook Regional Medical Center,cmdb_ci_computer,1,1,SCCM,2022-02-03 22:29:36,2025-06-29 00:11:06", ",")
	for b.Loop() {
		RawCells(header, cells)
	}
}
