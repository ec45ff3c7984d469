package linker

import (
	"bytes"
	"context"
	"encoding/csv"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/demo"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

// A run counts coverage from its own links. The counts must be what the
// stored links say: the same per facility and modality as one query over
// the database, after a full run on a demo health system and again after
// a delta where a tenth of the monitoring rows disappeared.
func TestCoverageAgreesWithStoredLinks(t *testing.T) {
	dir := t.TempDir()
	if _, err := demo.Generate(demo.Config{Assets: 1500, Seed: 3}, dir); err != nil {
		t.Fatal(err)
	}
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		imp := func(system, file string) { importFile(t, st, system, file) }
		imp("cmms", filepath.Join(dir, demo.FileCMMS))
		imp("cmdb", filepath.Join(dir, demo.FileCMDB))
		imp("monitoring", filepath.Join(dir, demo.FileMonitoring))
		check := func(when string) {
			t.Helper()
			want, err := st.CountCoverage(ctx, networkable())
			if err != nil {
				t.Fatal(err)
			}
			if len(want) < 10 {
				t.Fatalf("%s: only %d facility/modality rows in the demo", when, len(want))
			}
			for _, by := range []string{"facility", "modality"} {
				sums := map[string][3]int{}
				for _, r := range want {
					k := r.Facility
					if by == "modality" {
						k = r.Modality
					}
					s := sums[k]
					sums[k] = [3]int{s[0] + r.InScope, s[1] + r.ToCMDB, s[2] + r.ToMonitoring}
				}
				got, err := st.Coverage(ctx, by)
				if err != nil {
					t.Fatal(err)
				}
				counted := map[string][3]int{}
				for _, r := range got {
					k := r.Facility
					if by == "modality" {
						k = r.Modality
					}
					counted[k] = [3]int{r.InScope, r.ToCMDB, r.ToMonitoring}
				}
				if !maps.Equal(counted, sums) {
					t.Errorf("%s, by %s: the run counted (in scope, to CMDB, to monitoring)\n%v\nthe stored links say\n%v", when, by, counted, sums)
				}
			}
		}
		first, err := Run(ctx, st, medsec.System, Options{Full: true})
		if err != nil {
			t.Fatal(err)
		}
		check("full run")
		// Nothing changed: a second full run finds every record where it
		// is, with the same explanation, and writes none of them.
		again, err := Run(ctx, st, medsec.System, Options{Full: true})
		if err != nil {
			t.Fatal(err)
		}
		if first.Run.Changed < 1000 || again.Run.Changed != 0 {
			t.Errorf("records written: %d by the first run, %d by an identical second one (want 0)", first.Run.Changed, again.Run.Changed)
		}
		check("second full run")
		// A newer monitoring export without every tenth device.
		src, err := os.ReadFile(filepath.Join(dir, demo.FileMonitoring))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(src)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		for i, r := range rows {
			if i == 0 || i%10 != 0 {
				w.Write(r)
			}
		}
		w.Flush()
		delta := filepath.Join(t.TempDir(), "monitoring_next.csv")
		if err := os.WriteFile(delta, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		imp("monitoring", delta)
		if _, err := Run(ctx, st, medsec.System, Options{}); err != nil {
			t.Fatal(err)
		}
		check("delta run")
	})
}
