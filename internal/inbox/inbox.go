// Package inbox imports the exports that the CMMS, the CMDB and monitoring
// tools drop into a folder on a schedule, so that correlation keeps up
// without anyone uploading files. Each file is archived after import, or
// moved aside with its problems listed next to it.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/agreement"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/linker"
	"github.com/medsec/medsec/internal/store"
)

// Watcher polls a drop folder. Polling (rather than file-system events)
// works the same on local disks, network shares and both operating systems.
type Watcher struct {
	Dir      string
	Store    *store.Store
	Log      *slog.Logger
	Interval time.Duration
	Now      func() time.Time
	// sizes remembers what each file looked like at the last scan: a file
	// is imported only once it has stopped growing.
	sizes map[string]fileState
}

type fileState struct {
	size int64
	mod  time.Time
}

// Outcome is what happened to one dropped file.
type Outcome struct {
	File   string
	Source string
	Batch  *medsec.ImportBatch
	Err    error
	Moved  string
}

// Run scans until ctx ends.
func (w *Watcher) Run(ctx context.Context) {
	if w.Interval <= 0 {
		w.Interval = 30 * time.Second
	}
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		if outs, err := w.Scan(ctx); err != nil {
			w.Log.Error("inbox scan", "dir", w.Dir, "err", err)
		} else {
			for _, o := range outs {
				if o.Err != nil {
					w.Log.Warn("inbox import refused", "file", o.File, "source", o.Source, "moved_to", o.Moved, "err", o.Err)
				} else {
					w.Log.Info("inbox import", "file", o.File, "source", o.Source, "rows", o.Batch.Rows, "new", o.Batch.New, "changed", o.Batch.Changed)
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Scan imports every settled file once, then correlates what changed.
func (w *Watcher) Scan(ctx context.Context) ([]Outcome, error) {
	if w.sizes == nil {
		w.sizes = map[string]fileState{}
	}
	if w.Now == nil {
		w.Now = time.Now
	}
	files, err := w.settled()
	if err != nil {
		return nil, err
	}
	var outs []Outcome
	scanStart := w.Store.Now()
	imported := false
	for _, f := range files {
		o := w.importOne(ctx, f)
		imported = imported || o.Err == nil
		outs = append(outs, o)
	}
	if imported {
		if _, err := linker.Run(ctx, w.Store, inboxActor, linker.Options{}); err != nil {
			return outs, fmt.Errorf("correlate after inbox import: %w", err)
		}
		// Route what the import changed through the agreement's RACI.
		if _, err := agreement.RouteAll(ctx, w.Store, scanStart); err != nil {
			return outs, fmt.Errorf("route after inbox import: %w", err)
		}
	}
	return outs, nil
}

var inboxActor = medsec.Actor{Name: "inbox", Role: medsec.RoleAdmin}

// settled lists files that have not changed since the last scan, oldest
// first, skipping the archive and failed folders and hidden or partial files.
func (w *Watcher) settled() ([]string, error) {
	var out []string
	seen := map[string]bool{}
	err := filepath.WalkDir(w.Dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != w.Dir && (name == "archive" || name == "failed" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".tmp") || strings.HasSuffix(name, ".part") || strings.HasSuffix(name, ".problems.txt") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		seen[path] = true
		st := fileState{info.Size(), info.ModTime()}
		if prev, ok := w.sizes[path]; ok && prev == st {
			out = append(out, path)
		}
		w.sizes[path] = st
		return nil
	})
	for p := range w.sizes {
		if !seen[p] {
			delete(w.sizes, p)
		}
	}
	sort.Strings(out)
	return out, err
}

// SourceOf tells the source system from the subfolder (cmms/, cmdb/,
// monitoring/, zeek/) or else from the file name.
func SourceOf(dir, path string) string {
	rel, _ := filepath.Rel(dir, path)
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if len(parts) > 1 {
		for _, s := range importer.Sources {
			if strings.EqualFold(parts[0], s) {
				return s
			}
		}
	}
	name := strings.ToLower(filepath.Base(path))
	switch {
	case strings.Contains(name, "cmdb") || strings.Contains(name, "cmdb_ci") || strings.Contains(name, "servicenow"):
		return "cmdb"
	case strings.Contains(name, "cmms") || strings.Contains(name, "equipment"):
		return "cmms"
	case strings.HasSuffix(name, ".log") || strings.HasSuffix(name, ".log.gz") || strings.Contains(name, "zeek"):
		return "zeek"
	case strings.Contains(name, "monitoring") || strings.Contains(name, "claroty") || strings.Contains(name, "armis") ||
		strings.Contains(name, "medigate") || strings.Contains(name, "ordr") || strings.Contains(name, "asimily") || strings.Contains(name, "forescout"):
		return "monitoring"
	}
	return ""
}

func (w *Watcher) importOne(ctx context.Context, path string) Outcome {
	o := Outcome{File: path, Source: SourceOf(w.Dir, path)}
	if o.Source == "" {
		o.Err = medsec.Errorf(medsec.EINVALID, "cannot tell the source system of %s: put it in a cmms/, cmdb/, monitoring/ or zeek/ subfolder, or name it after the system", filepath.Base(path))
	} else {
		f, err := os.Open(path)
		if err != nil {
			o.Err = err
		} else {
			var res *importer.Result
			res, o.Err = importer.Import(ctx, w.Store, inboxActor, o.Source, filepath.Base(path), f, importer.Options{})
			f.Close()
			if res != nil {
				o.Batch = &res.Batch
			}
		}
	}
	delete(w.sizes, path)
	o.Moved = w.move(path, o.Err)
	return o
}

// move archives an imported file, or puts a refused one under failed/ with
// a .problems.txt beside it that says why.
func (w *Watcher) move(path string, importErr error) string {
	day := w.Now().UTC().Format("2006-01-02")
	dest := filepath.Join(w.Dir, "archive", day)
	if importErr != nil {
		dest = filepath.Join(w.Dir, "failed")
	}
	os.MkdirAll(dest, 0o755)
	target := filepath.Join(dest, w.Now().UTC().Format("150405")+"-"+filepath.Base(path))
	if err := os.Rename(path, target); err != nil {
		w.Log.Error("inbox move", "file", path, "err", err)
		return ""
	}
	if importErr != nil {
		msg := importErr.Error()
		var pe *importer.ProblemsError
		if errors.As(importErr, &pe) {
			var b strings.Builder
			fmt.Fprintf(&b, "%s: %d problem(s); nothing was imported\n", filepath.Base(path), pe.Total)
			for _, p := range pe.Problems {
				b.WriteString(p.String() + "\n")
			}
			msg = b.String()
		}
		os.WriteFile(target+".problems.txt", []byte(msg+"\n"), 0o644)
	}
	return target
}
