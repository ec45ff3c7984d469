package linker

import (
	"context"
	"os"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
)

// BenchmarkRunFull re-correlates an existing database named by
// MEDSEC_BENCH_DB (for example one loaded by "medsec bench correlate").
func BenchmarkRunFull(b *testing.B) {
	dsn := os.Getenv("MEDSEC_BENCH_DB")
	if dsn == "" {
		b.Skip("set MEDSEC_BENCH_DB to a loaded database")
	}
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), st, medsec.System, Options{Full: true}); err != nil {
			b.Fatal(err)
		}
	}
}
