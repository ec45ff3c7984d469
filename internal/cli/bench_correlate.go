package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/demo"
	"github.com/medsec/medsec/internal/export"
	"github.com/medsec/medsec/internal/groundtruth"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/linker"
	"github.com/medsec/medsec/internal/store"
)

// runBenchCorrelate measures the whole correlation job on the demo: import
// the three exports, correlate, score the links export against ground
// truth (with the exact serial/MAC join beside it), then a 1% delta.
func runBenchCorrelate(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "bench correlate", "bench correlate [--assets N] [--seed S] [--out DIR] [--db DSN]")
	n := fs.Int("assets", 100000, "devices to generate")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "", "directory for the generated exports (default: a temporary one)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := need(pos, 0, ""); err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		if dir, err = os.MkdirTemp("", "medsec-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, total, _ := st.FindAssets(ctx, medsec.AssetFilter{Kind: "all", PerPage: 1}); total > 0 {
		return medsec.Errorf(medsec.EINVALID, "bench correlate needs an empty database; %s holds %d assets", store.Redact(*db), total)
	}
	p := func(format string, a ...any) { fmt.Fprintf(env.Stdout, format+"\n", a...) }
	t := time.Now()
	if _, err := demo.Generate(demo.Config{Assets: *n, Seed: *seed}, dir); err != nil {
		return err
	}
	// The exports go to disk before the clock starts: otherwise the
	// kernel writes the generator's gigabyte back while the first import
	// runs, and the import is charged for it.
	for _, f := range []string{demo.FileCMMS, demo.FileCMDB, demo.FileMonitoring, demo.FileGroundTruth} {
		if err := syncFile(filepath.Join(dir, f)); err != nil {
			return err
		}
	}
	p("generate %d devices: %.1fs", *n, time.Since(t).Seconds())
	start := time.Now()
	rows := 0
	for _, f := range []struct{ src, file string }{{"cmms", demo.FileCMMS}, {"cmdb", demo.FileCMDB}, {"monitoring", demo.FileMonitoring}} {
		t = time.Now()
		res, err := importFile(ctx, env, st, f.src, filepath.Join(dir, f.file), importer.Options{})
		if err != nil {
			return err
		}
		rows += res.Batch.Rows
		p("import %-10s %9d rows: %6.1fs", f.src, res.Batch.Rows, time.Since(t).Seconds())
	}
	t = time.Now()
	sum, err := linker.Run(ctx, st, medsec.System, linker.Options{Full: true})
	if err != nil {
		return err
	}
	full, whole := time.Since(t), time.Since(start)
	p("%s", sum)
	p("import + correlate %d rows on %s: %.1fs, peak memory %s", rows, st.Dialect(), whole.Seconds(), peakMemory())
	if err := scoreLinks(ctx, env, st, dir); err != nil {
		return err
	}
	// A 1% delta: a newer monitoring export where one row in a hundred moved.
	delta := filepath.Join(dir, "monitoring_delta.csv")
	changed, _, err := demo.WriteMonitoringDelta(filepath.Join(dir, demo.FileMonitoring), delta, demo.Delta{Every: 100})
	if err != nil {
		return err
	}
	t = time.Now()
	res, err := importFile(ctx, env, st, "monitoring", delta, importer.Options{})
	if err != nil {
		return err
	}
	imp := time.Since(t)
	t = time.Now()
	dsum, err := linker.Run(ctx, st, medsec.System, linker.Options{})
	if err != nil {
		return err
	}
	again := time.Since(t)
	p("1%% delta: %d rows changed; import %.1fs (%d changed), correlate %.2fs over %d records: %.1f%% of the full correlation, %.1f%% of import + correlate\n  %s",
		changed, imp.Seconds(), res.Batch.Changed, again.Seconds(), dsum.Covered, 100*again.Seconds()/full.Seconds(), 100*again.Seconds()/whole.Seconds(), dsum)
	return nil
}

// syncFile flushes a written file to disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func scoreLinks(ctx context.Context, env *Env, st *store.Store, dir string) error {
	// The identities first, and only their identifiers kept: the loaded
	// records, the ground truth and the predicted links together were
	// the process's largest moment (4.4 GB at a million devices).
	idents, err := identsOf(ctx, st)
	if err != nil {
		return err
	}
	links := filepath.Join(dir, "links.csv")
	f, err := os.Create(links)
	if err != nil {
		return err
	}
	if err := export.Write(ctx, st, "links", "", "csv", f, 0); err != nil {
		f.Close()
		return err
	}
	f.Close()
	pred, err := groundtruth.ReadLinks(links)
	if err != nil {
		return err
	}
	truth, err := groundtruth.ReadTruth(filepath.Join(dir, demo.FileGroundTruth))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "medsec correlation: %s\n", groundtruth.Score(pred, truth, idents))
	fmt.Fprintf(env.Stdout, "exact serial/MAC join: %s\n", groundtruth.Score(groundtruth.ExactJoin(idents), truth, idents))
	return nil
}

// identsOf maps each live record to the identifiers the scoring reads.
func identsOf(ctx context.Context, st *store.Store) (map[groundtruth.Ref]groundtruth.Ident, error) {
	recs, err := st.IdentRecords(ctx)
	if err != nil {
		return nil, err
	}
	idents := make(map[groundtruth.Ref]groundtruth.Ident, len(recs))
	for _, r := range recs {
		idents[groundtruth.Ref{Source: r.System, Key: r.Key}] = groundtruth.Ident{Serial: r.Ident.SerialNorm, MAC: r.Ident.MAC, IP: r.Ident.IP, Hostname: r.Ident.HostnameNorm, AssetTag: r.Ident.AssetTag}
	}
	return idents, nil
}

// peakMemory reports the process's peak resident set (Linux) or the Go
// runtime's reservation elsewhere.
func peakMemory() string {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "VmHWM:") {
				return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
			}
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return fmt.Sprintf("%d MB (Go runtime)", m.Sys>>20)
}
