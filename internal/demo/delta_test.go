package demo

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The next day's monitoring export moves one row in Every to the next
// address and drops one in Gone; anything but a monitoring export is
// refused by name.
func TestWriteMonitoringDelta(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(Config{Assets: 500, Seed: 2}, dir); err != nil {
		t.Fatal(err)
	}
	src, dst := filepath.Join(dir, FileMonitoring), filepath.Join(dir, "next.csv")
	changed, gone, err := WriteMonitoringDelta(src, dst, Delta{Every: 10, Gone: 25})
	if err != nil {
		t.Fatal(err)
	}
	read := func(p string) [][]string {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	before, after := read(src), read(dst)
	if n := len(before) - 1; changed < n/12 || gone != n/25 || len(after) != len(before)-gone {
		t.Errorf("%d rows: %d changed, %d gone, %d rows after", n, changed, gone, len(after)-1)
	}
	moved := 0
	for i, j := 1, 1; i < len(before) && j < len(after); i++ {
		if before[i][0] != after[j][0] {
			continue // gone
		}
		if strings.Join(before[i], ",") != strings.Join(after[j], ",") {
			moved++
		}
		j++
	}
	if moved != changed {
		t.Errorf("%d rows differ, %d reported changed", moved, changed)
	}
	if _, _, err := WriteMonitoringDelta(filepath.Join(dir, FileCMDB), dst, Delta{Every: 10}); err == nil || !strings.Contains(err.Error(), FileCMDB) {
		t.Errorf("a CMDB export as the monitoring one: %v", err)
	}
}
