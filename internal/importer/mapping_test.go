package importer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/medsec/medsec/internal/demo"
)

func TestDetect_CMMSHeaders(t *testing.T) {
	tests := []struct {
		header string
		want   map[Field]string
	}{
		{"Equipment ID,Serial Number,Manufacturer,Model,Model Number,Device Type,Facility,Department,Room,Status,Acquisition Date,Acquisition Cost,Warranty End,EM Number,PM Interval (months),Last PM Date,Service Provider,MAC Address,IP Address,Hostname,Software Version",
			map[Field]string{FAssetTag: "Equipment ID", FSerial: "Serial Number", FManufacturer: "Manufacturer", FModel: "Model", FModelNumber: "Model Number",
				FDeviceType: "Device Type", FFacility: "Facility", FDepartment: "Department", FRoom: "Room", FStatus: "Status", FAcquiredOn: "Acquisition Date",
				FEMNumber: "EM Number", FMAC: "MAC Address", FIP: "IP Address", FHostname: "Hostname", FFirmware: "Software Version"}},
		{"Control #,S/N,Mfr,Model #,Model Description,Equipment Class,Site,Dept,Risk Score",
			map[Field]string{FAssetTag: "Control #", FSerial: "S/N", FManufacturer: "Mfr", FModel: "Model Description", FDeviceType: "Equipment Class", FFacility: "Site", FDepartment: "Dept", FEMNumber: "Risk Score"}},
		{"Asset Tag,SERIAL_NUMBER,Make,Model Name,Catalog Number,Location",
			map[Field]string{FAssetTag: "Asset Tag", FSerial: "SERIAL_NUMBER", FManufacturer: "Make", FModel: "Model Name", FModelNumber: "Catalog Number", FDepartment: "Location"}},
	}
	for _, tt := range tests {
		m := Detect(strings.Split(tt.header, ","))
		for f, want := range tt.want {
			if got := m.Column(f); got != want {
				t.Errorf("%q: %s ← %q, want %q", tt.header, f, got, want)
			}
		}
	}
}

// The demo's own export must import without a mapping file.
func TestDetect_DemoExport(t *testing.T) {
	dir := t.TempDir()
	if _, err := demo.Generate(demo.Config{Assets: 100, Seed: 1}, dir); err != nil {
		t.Fatal(err)
	}
	m := Detect(strings.Split("Equipment ID,Serial Number,Manufacturer,Model,Model Number,Device Type,Facility,Department", ","))
	if len(m.Columns) != 8 {
		t.Errorf("mapped %d of 8 columns: %s", len(m.Columns), m)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-03-05", "2024-03-05"}, {"03/05/2024", "2024-03-05"}, {"3/5/2024", "2024-03-05"},
		{"2024-03-05 14:22:10", "2024-03-05"}, {"Mar 5, 2024", "2024-03-05"}, {"5-Mar-2024", "2024-03-05"},
	}
	for _, tt := range tests {
		if got, err := ParseDate(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %q, %v", tt.in, got, err)
		}
	}
	for _, bad := range []string{"13/45/2024", "yesterday", "2024-02-30", "01/01/1066"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}

// An import reads a file's dates trying first the layout that read the
// previous one; whatever the order, each date must read as it does alone.
func TestParseDate_LayoutMemoryChangesNothing(t *testing.T) {
	dates := []string{"3/5/2024", "03/05/2024", "2024-03-05", "5-Mar-2024", "05-Mar-2024", "5-Mar-24", "2024-03-05T10:00:00Z",
		"2024-03-05 14:22", "3/5/2024 2:22 PM", "March 5, 2024", "2024/03/05", "13/45/2024", "", "3/5/2024"}
	times := []string{"2024-03-05T14:22:10Z", "2024-03-05 14:22:10", "2024-03-05T14:22:10", "2024-03-05T14:22:10.5+02:00",
		"3/5/2024 14:22", "3/5/2024 2:22 PM", "2024-03-05", "2024-03-05 14:22:10+01:00", "soon", "2024-03-05T14:22:10Z"}
	for round := 0; round < 2; round++ {
		var firstDate, firstTime int
		for _, d := range dates {
			want, wantErr := ParseDate(d)
			if got, err := parseDate(d, &firstDate); got != want || (err == nil) != (wantErr == nil) {
				t.Errorf("parseDate(%q) after another layout = %q, %v; alone %q, %v", d, got, err, want, wantErr)
			}
		}
		for _, v := range times {
			want, wantErr := ParseTime(v)
			if got, err := parseTime(v, &firstTime); got != want || (err == nil) != (wantErr == nil) {
				t.Errorf("parseTime(%q) after another layout = %q, %v; alone %q, %v", v, got, err, want, wantErr)
			}
		}
		slices.Reverse(dates)
		slices.Reverse(times)
	}
}

func TestMemo_StopsGrowingWhenFull(t *testing.T) {
	calls := 0
	m := newMemo(func(s string) string { calls++; return strings.ToUpper(s) })
	for i := 0; i < memoMax+100; i++ {
		if got := m.get(fmt.Sprint(i, "x")); got != fmt.Sprint(i, "X") {
			t.Fatalf("get(%dx) = %q", i, got)
		}
	}
	if len(m.m) != memoMax {
		t.Errorf("memo holds %d entries, want at most %d", len(m.m), memoMax)
	}
	calls = 0
	m.get("0x")
	m.get(fmt.Sprint(memoMax+50, "x"))
	if calls != 1 {
		t.Errorf("a cached cell was worked out again, or an uncached one was not (%d calls, want 1)", calls)
	}
}
