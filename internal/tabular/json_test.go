package tabular

import (
	"reflect"
	"strings"
	"testing"
)

// jsonSeeds are valid inputs shared with FuzzJSON.
var jsonSeeds = []string{
	`[{"Asset":"1","Serial":"SN-1","Price":1200.50,"Active":true,"Notes":null},
	  {"Serial":"SN-2","Asset":"2","Price":1e3,"Active":false}]`,
	`[]`,
	"\ufeff[{\"a\":\"=cmd|' /C calc'!A0\"}]",
	`[{"a":"x\ny","b":-0.0}]`,
}

func TestJSON(t *testing.T) {
	res := readAll(t, "cmdb.json", []byte(jsonSeeds[0]), Options{})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if res.r.Encoding() != "json" {
		t.Errorf("encoding %q", res.r.Encoding())
	}
	if want := []string{"Asset", "Serial", "Price", "Active", "Notes"}; !reflect.DeepEqual(res.header, want) {
		t.Errorf("header %q", res.header)
	}
	want := []Row{
		{Line: 2, PhysicalLine: 2, Cells: []string{"1", "SN-1", "1200.50", "true", ""}},
		{Line: 3, PhysicalLine: 3, Cells: []string{"2", "SN-2", "1e3", "false", ""}},
	}
	if !reflect.DeepEqual(res.rows, want) {
		t.Errorf("rows %+v", res.rows)
	}
}

func TestJSONValues(t *testing.T) {
	tests := []struct {
		name, in string
		hdr      []string
		rows     [][]string
	}{
		{"numbers verbatim", `[{"n":00.5e+10}]`, nil, nil}, // invalid JSON number: handled below
		{"big and negative", `[{"n":12345678901234567890123},{"n":-1.50E-3}]`, []string{"n"},
			[][]string{{"12345678901234567890123"}, {"-1.50E-3"}}},
		{"escapes", `[{"s":"a\"b\\c\u00e9\ud83d\ude00"}]`, []string{"s"}, [][]string{{"a\"b\\cé😀"}}},
		{"empty array", ` [ ] `, nil, nil},
		{"bom", "\ufeff[{\"a\":1}]", []string{"a"}, [][]string{{"1"}}},
		{"trimmed keys", `[{" a ":1},{"a":2}]`, []string{"a"}, [][]string{{"1"}, {"2"}}},
		{"hostile", `[{"x":"=cmd|' /C calc'!A0","y":"<script>\u0007"}]`, []string{"x", "y"},
			[][]string{{"=cmd|' /C calc'!A0", "<script>\a"}}},
	}
	for _, tt := range tests[1:] {
		t.Run(tt.name, func(t *testing.T) {
			res := readAll(t, "v.json", []byte(tt.in), Options{})
			if res.err != nil {
				t.Fatal(res.err)
			}
			if len(res.header) != len(tt.hdr) || (len(tt.hdr) > 0 && !reflect.DeepEqual(res.header, tt.hdr)) {
				t.Errorf("header %q, want %q", res.header, tt.hdr)
			}
			if got := cells(res.rows); len(got) != len(tt.rows) || (len(got) > 0 && !reflect.DeepEqual(got, tt.rows)) {
				t.Errorf("rows %q, want %q", got, tt.rows)
			}
		})
	}
	wantErr(t, readAll(t, "v.json", []byte(tests[0].in), Options{}).err, "v.json row 2", "invalid JSON")
}

func TestJSONErrors(t *testing.T) {
	tests := []struct {
		name, in string
		opt      Options
		row      int
		col      string
		want     []string
	}{
		{"empty", "", Options{}, 0, "", []string{"d.json: empty file"}},
		{"whitespace", " \n ", Options{Format: JSON}, 0, "", []string{"d.json: empty file"}},
		{"not array", `{"a":1}`, Options{}, 0, "", []string{"expected a JSON array of objects, found an object"}},
		{"element not object", `[{"a":1},2]`, Options{}, 3, "", []string{"d.json row 3: expected an object, found a number"}},
		{"nested object", `[{"a":1},{"a":{"b":2}}]`, Options{}, 3, "a", []string{`d.json row 3, column "a": nested object`}},
		{"nested array", `[{"a":[1]}]`, Options{}, 2, "a", []string{`row 2, column "a": nested array`}},
		{"unknown key", `[{"a":1},{"a":2},{"a":3,"b":4}]`, Options{}, 4, "b", []string{`d.json row 4, column "b": unknown key`}},
		{"duplicate key", `[{"a":1,"a":2}]`, Options{}, 2, "a", []string{"appears twice"}},
		{"blank key", `[{"":1}]`, Options{}, 2, "column 1", []string{"blank key"}},
		{"no keys", `[{}]`, Options{}, 2, "", []string{"no keys"}},
		{"nul", `[{"a":"x\u0000"}]`, Options{}, 2, "a", []string{"NUL"}},
		{"truncated", `[{"a":1},{"a":`, Options{}, 3, "a", []string{"row 3", "truncated"}},
		{"syntax", `[{"a":1},{"a" 2}]`, Options{}, 3, "a", []string{"row 3", "invalid JSON"}},
		{"trailing data", `[{"a":1}] x`, Options{}, 0, "", []string{"d.json:", "invalid JSON"}},
		{"trailing value", `[{"a":1}] {}`, Options{}, 0, "", []string{"after the end of the JSON array"}},
		{"cell too long", `[{"a":"` + strings.Repeat("x", 100) + `"}]`, Options{MaxCellBytes: 10}, 2, "a", []string{"10-byte limit"}},
		{"token too long", `[{"a":"` + strings.Repeat("x", 1<<20), Options{MaxCellBytes: 10}, 2, "a", []string{"longer than"}},
		{"max rows", `[{"a":1},{"a":2}]`, Options{MaxRows: 1}, 3, "", []string{"more than 1 data rows"}},
		{"windows-1252", "[{\"a\":\"Dr\xe4ger\"}]", Options{}, 0, "", []string{"invalid UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := wantErr(t, readAll(t, "d.json", []byte(tt.in), tt.opt).err, tt.want...)
			if e.Row != tt.row || e.Column != tt.col {
				t.Errorf("Row=%d Column=%q, want %d %q", e.Row, e.Column, tt.row, tt.col)
			}
		})
	}
}
