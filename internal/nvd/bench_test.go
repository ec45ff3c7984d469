package nvd

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// benchMatch generates a feed of nCVEs to a file (untimed), then times
// reading, indexing and matching it against nDevices model/firmware groups.
// It reports the peak Go heap (sampled) besides time; the process peak RSS
// comes from /usr/bin/time -v.
func benchMatch(b *testing.B, nCVEs, nDevices int) {
	path := filepath.Join(b.TempDir(), "feed.json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := Generate(f, nCVEs, 1); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	devs := GenerateDevices(nDevices)
	runtime.GC()
	b.ReportAllocs()
	b.SetBytes(st.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var peak atomic.Uint64
		done := make(chan struct{})
		go func() { // sample the heap while the work runs
			var ms runtime.MemStats
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					runtime.ReadMemStats(&ms)
					if ms.HeapInuse > peak.Load() {
						peak.Store(ms.HeapInuse)
					}
				}
			}
		}()
		start := time.Now()
		in, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		x, err := ReadIndex(path, bufio.NewReaderSize(in, 1<<20))
		in.Close()
		if err != nil {
			b.Fatal(err)
		}
		read := time.Since(start)
		fs := x.Match(devs)
		close(done)
		var yes int
		for _, f := range fs {
			if f.VersionCertain {
				yes++
			}
		}
		b.ReportMetric(read.Seconds(), "read+index-s")
		b.ReportMetric(time.Since(start).Seconds()-read.Seconds(), "match-s")
		b.ReportMetric(float64(len(fs)), "findings")
		b.ReportMetric(float64(yes), "certain")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(st.Size())/(1<<20), "feed-MB")
	}
}

// BenchmarkMatch250kCVEs10kDevices is the full-size run (about 550 MB of
// feed). Run it alone with
//
//	go test -run '^$' -bench BenchmarkMatch250kCVEs10kDevices -benchtime=1x ./internal/nvd/
//
// Targets: at most 60 s and 4 GB.
func BenchmarkMatch250kCVEs10kDevices(b *testing.B) { benchMatch(b, 250_000, 10_000) }

// BenchmarkMatch25kCVEs1kDevices is a tenth of the size, for quick runs.
func BenchmarkMatch25kCVEs1kDevices(b *testing.B) { benchMatch(b, 25_000, 1_000) }
