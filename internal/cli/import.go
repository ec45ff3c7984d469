package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/tabular"
	"golang.org/x/term"
)

func runImport(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "import", "import --source cmms|cmdb|monitoring|zeek --file F [--format csv|xlsx|json|zeek] [--mapping FILE] [--key COLUMN] [--system NAME] [--sheet NAME] [--dry-run] [--skip-bad-rows]")
	source := fs.String("source", "", "source system: cmms, cmdb, monitoring or zeek")
	system := fs.String("system", "", "name of the source product or instance (e.g. Nuvolo, ServiceNow prod), kept with the batch")
	skip := fs.Bool("skip-bad-rows", false, "import the good rows and keep the bad ones aside (default: refuse the whole file)")
	file := fs.String("file", "", "the export to import (CSV, XLSX or JSON)")
	key := fs.String("key", "", "the column that identifies a row across imports (default: detected)")
	mapping := fs.String("mapping", "", "JSON file mapping fields to column names, overriding detection")
	format := fs.String("format", "", "csv, xlsx or json (default: detected)")
	sheet := fs.String("sheet", "", "XLSX sheet name (default: the first)")
	dry := fs.Bool("dry-run", false, "check the file and show the mapping and problems; write nothing")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *file == "" && len(pos) == 1 {
		*file, pos = pos[0], nil
	}
	if err := need(pos, 0, ""); err != nil {
		return err
	}
	if !validSource(*source) {
		return medsec.Errorf(medsec.EINVALID, "--source must be one of %s (got %q)", strings.Join(importer.Sources, ", "), *source)
	}
	if *format == "zeek" {
		*source = "zeek"
	}
	if *file == "" {
		return medsec.Errorf(medsec.EINVALID, "--file is required")
	}
	opt := importer.Options{Key: *key, Format: tabular.Format(*format), Sheet: *sheet, DryRun: *dry, SkipBadRows: *skip, SystemName: *system}
	if *format == "zeek" {
		opt.Format = ""
	}
	if *mapping != "" {
		if opt.Mapping, err = importer.LoadMappingFile(*mapping); err != nil {
			return err
		}
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := importFile(ctx, env, st, *source, *file, opt)
	if res != nil && (*dry || err != nil) {
		fmt.Fprintf(env.Stdout, "Detected columns in %s (encoding %s):\n%s", filepath.Base(*file), res.Batch.Encoding, res.Mapping)
	}
	if err != nil {
		var pe *importer.ProblemsError
		if errors.As(err, &pe) {
			for _, p := range pe.Problems {
				fmt.Fprintln(env.Stderr, "  "+p.String())
			}
			if pe.Total > len(pe.Problems) {
				fmt.Fprintf(env.Stderr, "  … and %d more\n", pe.Total-len(pe.Problems))
			}
			return medsec.Errorf(medsec.EINVALID, "%s: %d problem(s); nothing was imported", filepath.Base(*file), pe.Total)
		}
		return err
	}
	b := res.Batch
	verb := "imported"
	if *dry {
		verb = "dry run, nothing written:"
	}
	fmt.Fprintf(env.Stdout, "%s %s (%s): %d rows, %d new, %d changed, %d unchanged, %d gone, %d rejected (batch %d)\n",
		verb, filepath.Base(*file), b.System, b.Rows, b.New, b.Changed, b.Unchanged, b.Gone, b.Rejected, b.ID)
	for i, p := range res.Rejected {
		if i == 20 {
			fmt.Fprintf(env.Stdout, "  … and %d more rejected rows (see the import page)\n", len(res.Rejected)-20)
			break
		}
		fmt.Fprintln(env.Stdout, "  rejected: "+p.String())
	}
	return nil
}

// importFile opens a file and imports it with a progress bar on terminals.
func importFile(ctx context.Context, env *Env, st *store.Store, source, path string, opt importer.Options) (*importer.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, medsec.Errorf(medsec.EINVALID, "cannot open %s: %v", path, errors.Unwrap(err))
	}
	defer f.Close()
	info, _ := f.Stat()
	cr := &countingReader{r: f}
	stop := startProgress(env.Stderr, filepath.Base(path), info.Size(), cr)
	res, err := importer.Import(ctx, st, medsec.System, source, filepath.Base(path), cr, opt)
	stop()
	return res, err
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// startProgress draws a progress bar by bytes read, on terminals only.
func startProgress(w io.Writer, name string, size int64, cr *countingReader) func() {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || size <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprintf(w, "\r%s\r", strings.Repeat(" ", 78))
				return
			case <-t.C:
				frac := float64(cr.n.Load()) / float64(size)
				if frac > 1 {
					frac = 1
				}
				bar := strings.Repeat("█", int(frac*30)) + strings.Repeat("░", 30-int(frac*30))
				fmt.Fprintf(w, "\r%-20.20s %s %5.1f%% %6.1fs", name, bar, frac*100, time.Since(start).Seconds())
			}
		}
	}()
	return func() { close(done); <-finished }
}

func validSource(s string) bool {
	for _, v := range importer.Sources {
		if v == s {
			return true
		}
	}
	return false
}
