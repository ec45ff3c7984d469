package linker

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/demo"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

// A delta run re-examines only what the imports since the last run could
// have changed, yet must leave the inventory exactly as a full run over
// the same records would: after it, a full run moves no record, writes no
// explanation and finds the same pairs for review. Three deltas in turn,
// each checked: the bench's (devices that moved to another DHCP address,
// now sharing it with whatever held it before) with devices gone from
// monitoring; a CMDB export where CIs swapped MACs or serials, went, or
// were entered twice; a CMMS export where devices were retired and others
// registered.
func TestDeltaRunMatchesFullRun(t *testing.T) {
	demoDir := t.TempDir()
	if _, err := demo.Generate(demo.Config{Assets: 10000, Seed: 7}, demoDir); err != nil {
		t.Fatal(err)
	}
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		dir := t.TempDir() // this store's deltas
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		imp := func(system, file string) *importer.Result {
			t.Helper()
			return importFile(t, st, system, filepath.Join(dir, file))
		}
		for _, f := range []struct{ system, file string }{{"cmms", demo.FileCMMS}, {"cmdb", demo.FileCMDB}, {"monitoring", demo.FileMonitoring}} {
			importFile(t, st, f.system, filepath.Join(demoDir, f.file))
		}
		if _, err := Run(ctx, st, medsec.System, Options{Full: true}); err != nil {
			t.Fatal(err)
		}
		check := func(name string) {
			t.Helper()
			sum, err := Run(ctx, st, medsec.System, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Run.Mode != "delta" || sum.Covered*4 > sum.Records {
				t.Errorf("%s: the delta run re-examined %d of %d records (%s run): more than a quarter", name, sum.Covered, sum.Records, sum.Run.Mode)
			}
			links, review := inventory(t, st)
			assets := countAssets(t, st)
			full, err := Run(ctx, st, medsec.System, Options{Full: true})
			if err != nil {
				t.Fatal(err)
			}
			after, afterReview := inventory(t, st)
			var moved []string
			for rec, asset := range after {
				if links[rec] != asset {
					moved = append(moved, fmt.Sprintf("%s: %d after the delta, %d after a full run", rec, links[rec], asset))
				}
			}
			slices.Sort(moved)
			if len(moved) > 0 || len(links) != len(after) {
				t.Errorf("%s: a full run after the delta moved %d of %d records (%d before):\n%v", name, len(moved), len(after), len(links), moved[:min(len(moved), 10)])
			}
			if full.Run.Changed != 0 {
				t.Errorf("%s: a full run after the delta rewrote %d records' links", name, full.Run.Changed)
			}
			if !slices.Equal(review, afterReview) {
				t.Errorf("%s: review queue: %d pairs after the delta, %d after a full run\nonly after delta: %v\nonly after full: %v",
					name, len(review), len(afterReview), minus(review, afterReview), minus(afterReview, review))
			}
			if n := countAssets(t, st); n != assets {
				t.Errorf("%s: %d assets after the delta, %d after a full run", name, assets, n)
			}
			if bad, err := st.ForeignKeyProblems(ctx); err != nil || len(bad) > 0 {
				t.Errorf("%s: dangling references: %v %v", name, bad, err)
			}
			t.Logf("%s: the delta run re-examined %d of %d records", name, sum.Covered, sum.Records)
		}

		changed, gone, err := demo.WriteMonitoringDelta(filepath.Join(demoDir, demo.FileMonitoring), filepath.Join(dir, "monitoring2.csv"), demo.Delta{Every: 50, Gone: 400})
		if err != nil {
			t.Fatal(err)
		}
		res := imp("monitoring", "monitoring2.csv")
		if res.Batch.Changed < changed/2 || res.Batch.Gone != gone || changed < 100 {
			t.Fatalf("monitoring delta: %d rows changed in the file, batch %+v", changed, res.Batch)
		}
		check("monitoring moved and gone")

		// The CMDB: every 97th CI takes the MAC of the CI before it (a swapped
		// NIC), every 89th the serial of the one before (a typo'd entry),
		// every 300th is gone and every 150th is entered again under a new
		// sys_id.
		var prev []string
		rewrite(t, filepath.Join(demoDir, demo.FileCMDB), filepath.Join(dir, "cmdb2.csv"), func(i int, rec []string, col map[string]int) [][]string {
			defer func() { prev = slices.Clone(rec) }()
			switch {
			case i%300 == 299:
				return nil
			case i%97 == 96 && prev != nil:
				rec[col["mac_address"]] = prev[col["mac_address"]]
			case i%89 == 88 && prev != nil:
				rec[col["serial_number"]] = prev[col["serial_number"]]
			case i%150 == 149:
				dup := slices.Clone(rec)
				dup[col["sys_id"]] = fmt.Sprintf("dddd%028d", i)
				return [][]string{rec, dup}
			}
			return [][]string{rec}
		})
		res = imp("cmdb", "cmdb2.csv")
		if res.Batch.Changed == 0 || res.Batch.New == 0 || res.Batch.Gone == 0 {
			t.Fatalf("cmdb delta: %+v", res.Batch)
		}
		check("cmdb swaps, duplicates and gone")

		// The CMMS: every 120th device retired (gone from the export), and
		// a few registered that the network had already seen.
		var mon [][]string
		rewrite(t, filepath.Join(dir, "monitoring2.csv"), filepath.Join(dir, "unused.csv"), func(i int, rec []string, col map[string]int) [][]string {
			if i%170 == 0 && rec[col["Serial Number"]] != "" {
				mon = append(mon, []string{rec[col["Serial Number"]], rec[col["Manufacturer"]], rec[col["Model"]], rec[col["MAC Address"]]})
			}
			return nil
		})
		if len(mon) == 0 {
			t.Fatal("no monitored device with a serial to register")
		}
		rewrite(t, filepath.Join(demoDir, demo.FileCMMS), filepath.Join(dir, "cmms2.csv"), func(i int, rec []string, col map[string]int) [][]string {
			if i%120 == 119 {
				return nil
			}
			out := [][]string{rec}
			if i < len(mon) {
				reg := slices.Clone(rec)
				reg[col["Equipment ID"]] = fmt.Sprintf("NEW-%06d", i)
				reg[col["Serial Number"]], reg[col["Manufacturer"]], reg[col["Model"]], reg[col["MAC Address"]] = mon[i][0], mon[i][1], mon[i][2], mon[i][3]
				reg[col["IP Address"]], reg[col["Hostname"]] = "", ""
				out = append(out, reg)
			}
			return out
		})
		res = imp("cmms", "cmms2.csv")
		if res.Batch.New == 0 || res.Batch.Gone == 0 {
			t.Fatalf("cmms delta: %+v", res.Batch)
		}
		check("cmms retired and registered")
	})
}

// importFile imports one file into st, failing the test on any problem.
func importFile(t *testing.T, st *store.Store, system, path string) *importer.Result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := importer.Import(context.Background(), st, medsec.System, system, filepath.Base(path), f, importer.Options{})
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

// rewrite copies the CSV file src to dst through fn, which gets each data
// row (numbered from 0) and returns the rows to write in its place.
func rewrite(t *testing.T, src, dst string, fn func(i int, rec []string, col map[string]int) [][]string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	rows, err := csv.NewReader(in).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := [][]string{rows[0]}
	for i, rec := range rows[1:] {
		out = append(out, fn(i, rec, col)...)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(out); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func countAssets(t *testing.T, st *store.Store) int {
	t.Helper()
	_, n, err := st.FindAssets(context.Background(), medsec.AssetFilter{Kind: "all", PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// inventory returns every record's asset (by system/key) and the review
// queue's pairs, sorted.
func inventory(t *testing.T, st *store.Store) (map[string]int64, []string) {
	t.Helper()
	ctx := context.Background()
	links := map[string]int64{}
	if err := st.EachLink(ctx, func(l store.LinkRow) error {
		links[l.System+"/"+l.Key] = l.AssetID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var review []string
	for off := 0; ; off += 500 {
		page, total, err := st.ReviewQueue(ctx, 500, off)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page {
			review = append(review, fmt.Sprintf("%s/%s~%s/%s", e.A.System, e.A.Key, e.B.System, e.B.Key))
		}
		if off+500 >= total {
			break
		}
	}
	slices.Sort(review)
	return links, review
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			out = append(out, x)
		}
	}
	return out[:min(len(out), 10)]
}
