package demo

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/medsec/medsec/internal/catalog"
)

func generate(t testing.TB, cfg Config) (string, Summary) {
	t.Helper()
	dir := t.TempDir()
	s, err := Generate(cfg, dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, s
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

var allFiles = []string{FileCMMS, FileCMDB, FileMonitoring, FileGroundTruth}

func TestDeterministic(t *testing.T) {
	cfg := Config{Assets: 3000, Seed: 42}
	a, _ := generate(t, cfg)
	b, _ := generate(t, cfg)
	cfg.Seed = 43
	c, _ := generate(t, cfg)
	for _, n := range allFiles {
		x, _ := os.ReadFile(filepath.Join(a, n))
		y, _ := os.ReadFile(filepath.Join(b, n))
		z, _ := os.ReadFile(filepath.Join(c, n))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between runs with the same seed", n)
		}
		if bytes.Equal(x, z) {
			t.Errorf("%s identical for different seeds", n)
		}
	}
}

func TestHeaders(t *testing.T) {
	dir, _ := generate(t, Config{Assets: 100, Seed: 1})
	want := map[string]string{
		FileCMMS:        "Equipment ID,Serial Number,Manufacturer,Model,Model Number,Device Type,Facility,Department,Room,Status,Acquisition Date,Acquisition Cost,Warranty End,EM Number,PM Interval (months),Last PM Date,Service Provider,MAC Address,IP Address,Hostname,Software Version",
		FileCMDB:        "sys_id,name,asset_tag,serial_number,manufacturer,model_id,model_number,mac_address,ip_address,location,sys_class_name,install_status,operational_status,discovery_source,first_discovered,last_discovered",
		FileMonitoring:  "Device ID,MAC Address,IP Address,Hostname,Manufacturer,Model,Device Type,Firmware Version,Serial Number,Site,VLAN,First Seen,Last Seen",
		FileGroundTruth: "source,key,device_id",
	}
	for n, h := range want {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if got, _, _ := strings.Cut(string(b), "\n"); got != h {
			t.Errorf("%s header\n got %s\nwant %s", n, got, h)
		}
	}
}

func TestCountsAndGroundTruth(t *testing.T) {
	for _, size := range []int{100, 5000} {
		dir, s := generate(t, Config{Assets: size, Seed: 7})
		cmms := readCSV(t, filepath.Join(dir, FileCMMS))[1:]
		cmdb := readCSV(t, filepath.Join(dir, FileCMDB))[1:]
		mon := readCSV(t, filepath.Join(dir, FileMonitoring))[1:]
		gt := readCSV(t, filepath.Join(dir, FileGroundTruth))[1:]
		if s.Devices != size {
			t.Errorf("size %d: Devices = %d", size, s.Devices)
		}
		if len(cmms) != s.CMMSRows || len(cmdb) != s.CMDBRows || len(mon) != s.MonitoringRows || len(gt) != s.GroundTruthRows {
			t.Errorf("size %d: summary %+v disagrees with files (%d,%d,%d,%d)", size, s, len(cmms), len(cmdb), len(mon), len(gt))
		}
		if len(gt) != len(cmms)+len(cmdb)+len(mon) {
			t.Errorf("size %d: %d ground-truth rows for %d records", size, len(gt), len(cmms)+len(cmdb)+len(mon))
		}
		if s.CMMSRows != size-s.NotInCMMS {
			t.Errorf("size %d: CMMS rows %d, want %d", size, s.CMMSRows, size-s.NotInCMMS)
		}
		if s.Facilities < 2 || s.Beds < size/DevicesPerBed-10 {
			t.Errorf("size %d: facilities %d beds %d", size, s.Facilities, s.Beds)
		}

		keys := map[string]map[string]bool{"cmms": {}, "cmdb": {}, "monitoring": {}}
		for _, r := range cmms {
			if keys["cmms"][r[0]] {
				t.Errorf("duplicate Equipment ID %s", r[0])
			}
			keys["cmms"][r[0]] = true
		}
		for _, r := range cmdb {
			keys["cmdb"][r[0]] = true
		}
		for _, r := range mon {
			keys["monitoring"][r[0]] = true
		}
		if len(keys["cmdb"]) != len(cmdb) || len(keys["monitoring"]) != len(mon) {
			t.Errorf("size %d: duplicate sys_id or monitoring Device ID", size)
		}
		seen := map[string]bool{}
		idRe := regexp.MustCompile(`^[DNR]\d{7}$`)
		for _, r := range gt {
			src, key, dev := r[0], r[1], r[2]
			if !keys[src][key] {
				t.Errorf("ground truth %s/%s not in file", src, key)
			}
			if seen[src+"|"+key] {
				t.Errorf("ground truth %s/%s twice", src, key)
			}
			seen[src+"|"+key] = true
			if !idRe.MatchString(dev) {
				t.Errorf("bad device id %q", dev)
			}
			if src == "cmms" && dev[0] != 'D' {
				t.Errorf("non-medical device %s in CMMS", dev)
			}
		}
		for src, ks := range keys {
			for k := range ks {
				if !seen[src+"|"+k] {
					t.Errorf("%s record %s missing from ground truth", src, k)
				}
			}
		}
	}
}

func TestFleetShape(t *testing.T) {
	dir, s := generate(t, Config{Assets: 20000, Seed: 3})
	largest, largestN := "", 0
	for code, n := range s.ByModality {
		if n > largestN {
			largest, largestN = code, n
		}
	}
	if largest != "infusion_pump" {
		t.Errorf("largest modality %s, want infusion_pump", largest)
	}
	for _, m := range catalog.Modalities() {
		got := float64(s.ByModality[m.Code]) / float64(s.Devices)
		tol := 3*math.Sqrt(m.Share*(1-m.Share)/float64(s.Devices)) + 0.002
		if math.Abs(got-m.Share) > tol {
			t.Errorf("%s share %.4f, want %.4f ± %.4f", m.Code, got, m.Share, tol)
		}
	}
	nf := float64(s.Networked) / float64(s.Devices)
	if nf < 0.3 || nf > 0.55 {
		t.Errorf("networked fraction %.3f outside 0.3–0.55", nf)
	}
	nonMedRatio := float64(s.NonMedical) / float64(s.Networked)
	if nonMedRatio < 0.7 || nonMedRatio > 1.3 {
		t.Errorf("non-medical/medical networked ratio %.2f, want roughly as many", nonMedRatio)
	}

	// Spot-check formats and noise in the files.
	cmms := readCSV(t, filepath.Join(dir, FileCMMS))[1:]
	usDateRe := regexp.MustCompile(`^\d{2}/\d{2}/\d{4}$`)
	status := map[string]int{}
	manufs := map[string]bool{}
	for _, r := range cmms {
		if !usDateRe.MatchString(r[10]) {
			t.Fatalf("acquisition date %q not MM/DD/YYYY", r[10])
		}
		status[r[9]]++
		manufs[r[2]] = true
		if catalog.CareAreaFromDepartment(r[7]) == "" {
			t.Errorf("department %q has no care area", r[7])
		}
	}
	if status["Active"] < len(cmms)*8/10 || status["Retired"] == 0 || status["Missing"] == 0 || status["Out for Repair"] == 0 {
		t.Errorf("status mix %v", status)
	}
	unresolved := 0
	for m := range manufs {
		if _, ok := catalog.CanonicalManufacturer(m); !ok {
			unresolved++
			t.Errorf("CMMS manufacturer %q does not resolve", m)
		}
	}
	cmdb := readCSV(t, filepath.Join(dir, FileCMDB))[1:]
	sysRe := regexp.MustCompile(`^[0-9a-f]{32}$`)
	snRe := regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)
	classes := map[string]int{}
	for _, r := range cmdb {
		if !sysRe.MatchString(r[0]) || !snRe.MatchString(r[14]) || !snRe.MatchString(r[15]) {
			t.Fatalf("bad CMDB row %v", r)
		}
		classes[r[10]]++
	}
	for _, c := range []string{"cmdb_ci_medical_device", "cmdb_ci_hardware", "cmdb_ci_computer", "cmdb_ci_printer", "cmdb_ci_ip_switch", "cmdb_ci_server"} {
		if classes[c] == 0 {
			t.Errorf("no %s CIs", c)
		}
	}
	if s.CMDBDuplicates == 0 || s.DHCPChurn == 0 || s.NotInCMMS == 0 || s.NeverSeen == 0 || s.Rogue == 0 {
		t.Errorf("noise missing: %+v", s)
	}
}

func TestFormatMAC(t *testing.T) {
	m := [6]byte{0x00, 0x09, 0xfb, 0xab, 0x01, 0xef}
	cases := map[int]string{
		macColonLower: "00:09:fb:ab:01:ef",
		macColonUpper: "00:09:FB:AB:01:EF",
		macDashUpper:  "00-09-FB-AB-01-EF",
		macCisco:      "0009.fbab.01ef",
		macBareUpper:  "0009FBAB01EF",
	}
	for n, want := range cases {
		if got := formatMAC(m, n); got != want {
			t.Errorf("notation %d: %s, want %s", n, got, want)
		}
	}
}

func TestMix24Bijective(t *testing.T) {
	seen := make([]bool, 1<<24)
	for x := uint32(0); x < 1<<24; x++ {
		y := mix24(x)
		if seen[y] {
			t.Fatalf("mix24 collision at %d", x)
		}
		seen[y] = true
	}
}

func TestRejectsBadSize(t *testing.T) {
	if _, err := Generate(Config{Assets: 0}, t.TempDir()); err == nil {
		t.Error("Assets 0 accepted")
	}
	if _, err := Generate(Config{Assets: MaxAssets + 1}, t.TempDir()); err == nil {
		t.Error("Assets above max accepted")
	}
}

func TestFacilitiesScale(t *testing.T) {
	small := Facilities(Config{Assets: 100, Seed: 1})
	big := Facilities(Config{Assets: 1_000_000, Seed: 1})
	if len(small) < 2 || len(big) <= len(small) || len(big) > 254 {
		t.Errorf("facilities: small %d big %d", len(small), len(big))
	}
	codes := map[string]bool{}
	for _, f := range big {
		if codes[f.Code] {
			t.Errorf("duplicate facility code %s", f.Code)
		}
		codes[f.Code] = true
		for _, d := range f.Departments {
			if d.CareArea == "" {
				t.Errorf("%s / %s: no care area", f.Name, d.Name)
			}
		}
	}
}

func BenchmarkGenerate100k(b *testing.B) {
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		if _, err := Generate(Config{Assets: 100_000, Seed: uint64(i)}, dir); err != nil {
			b.Fatal(err)
		}
	}
}
