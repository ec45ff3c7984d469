package importer

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/demo"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

// BenchmarkImportCMMS imports the demo CMMS export into a new SQLite
// database; MEDSEC_BENCH_ASSETS sets the size (default 20,000).
func BenchmarkImportCMMS(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("MEDSEC_BENCH_ASSETS")); err == nil {
		n = v
	}
	dir := b.TempDir()
	if _, err := demo.Generate(demo.Config{Assets: n, Seed: 1}, dir); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := store.Open(context.Background(), testdb.SQLite(b))
		if err != nil {
			b.Fatal(err)
		}
		f, _ := os.Open(filepath.Join(dir, demo.FileCMMS))
		b.StartTimer()
		res, err := ImportCMMS(context.Background(), st, medsec.System, demo.FileCMMS, f, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Batch.Rows)/b.Elapsed().Seconds()*float64(i+1), "rows/s")
		f.Close()
		st.Close()
	}
}
