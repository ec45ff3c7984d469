package inbox

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

func TestSourceOf(t *testing.T) {
	dir := "/drop"
	tests := map[string]string{
		"/drop/cmms/export.csv":        "cmms",
		"/drop/CMDB/nightly.xlsx":      "cmdb",
		"/drop/cmdb_ci_2025-06-01.csv": "cmdb",
		"/drop/equipment_list.csv":     "cmms",
		"/drop/claroty-devices.csv":    "monitoring",
		"/drop/dhcp.log.gz":            "zeek",
		"/drop/zeek/known_hosts.log":   "zeek",
		"/drop/something.csv":          "",
	}
	for p, want := range tests {
		if got := SourceOf(dir, p); got != want {
			t.Errorf("SourceOf(%q) = %q, want %q", p, got, want)
		}
	}
}

func TestWatcher(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "cmms"), 0o755)
		good := "Equipment ID,Serial Number,Manufacturer,Model,Device Type,Facility,Department\nBM-1,SN1,CareFusion,Alaris PC Unit,IV Pump,Main,ICU\n"
		bad := "Equipment ID,Serial Number\nBM-2,1\nBM-2,2\n"
		os.WriteFile(filepath.Join(dir, "cmms", "nightly.csv"), []byte(good), 0o644)
		os.WriteFile(filepath.Join(dir, "cmms_dups.csv"), []byte(bad), 0o644)
		os.WriteFile(filepath.Join(dir, "mystery.csv"), []byte(good), 0o644)
		w := &Watcher{Dir: dir, Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return time.Date(2025, 6, 1, 2, 0, 0, 0, time.UTC) }}
		// The first scan only notes the files: they might still be written.
		outs, err := w.Scan(ctx)
		if err != nil || len(outs) != 0 {
			t.Fatalf("first scan imported %d files (%v)", len(outs), err)
		}
		outs, err = w.Scan(ctx)
		if err != nil || len(outs) != 3 {
			t.Fatalf("second scan: %d outcomes, %v", len(outs), err)
		}
		byName := map[string]Outcome{}
		for _, o := range outs {
			byName[filepath.Base(o.File)] = o
		}
		if o := byName["nightly.csv"]; o.Err != nil || o.Batch.New != 1 || !strings.Contains(o.Moved, filepath.Join("archive", "2025-06-01")) {
			t.Errorf("good file: %+v", o)
		}
		if o := byName["cmms_dups.csv"]; o.Err == nil || !strings.Contains(o.Moved, "failed") {
			t.Errorf("bad file: %+v", o)
		} else if b, _ := os.ReadFile(o.Moved + ".problems.txt"); !strings.Contains(string(b), `row 3, column "Equipment ID": duplicate key "BM-2"`) {
			t.Errorf("problems file: %q", b)
		}
		if o := byName["mystery.csv"]; o.Err == nil || !strings.Contains(o.Err.Error(), "cannot tell the source") {
			t.Errorf("unknown source: %+v", o)
		}
		if _, n, _ := st.FindAssets(ctx, medsec.AssetFilter{}); n != 1 {
			t.Errorf("assets = %d, want 1", n)
		}
		if outs, _ := w.Scan(ctx); len(outs) != 0 {
			t.Errorf("archived files were imported again: %+v", outs)
		}
	})
}
