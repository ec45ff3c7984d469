package tabular

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"testing"
)

// writeCSV writes a header and rows×cols of realistic-looking cells.
func writeCSV(w io.Writer, rows, cols int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	for c := 0; c < cols; c++ {
		if c > 0 {
			bw.WriteByte(',')
		}
		fmt.Fprintf(bw, "Column %d", c)
	}
	bw.WriteByte('\n')
	var num []byte
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			if c > 0 {
				bw.WriteByte(',')
			}
			switch c % 4 {
			case 0:
				num = strconv.AppendInt(num[:0], int64(r), 10)
				bw.Write(num)
			case 1:
				bw.WriteString("Dräger Infinity Delta XL")
			case 2:
				bw.WriteString(`"ICU, bed 4"`)
			default:
				bw.WriteString("SN-")
				num = strconv.AppendInt(num[:0], int64(r*cols+c), 16)
				bw.Write(num)
			}
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// TestStreamingBoundedMemory pushes ~300 MB of CSV through an io.Pipe
// (never materialised) and checks the heap stays small throughout.
func TestStreamingBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("300 MB streaming test skipped in -short mode")
	}
	const rows, cols = 2_800_000, 8 // ≈ 112 bytes/row ≈ 300 MB
	pr, pw := io.Pipe()
	var written int64
	go func() {
		cw := &countWriter{w: pw}
		err := writeCSV(cw, rows, cols)
		written = cw.n
		pw.CloseWithError(err)
	}()
	runtime.GC()
	r, err := Open("big.csv", pr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var ms runtime.MemStats
	var peak uint64
	n := 0
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if row.Cells[2] != "ICU, bed 4" {
			t.Fatalf("row %d: %q", row.Line, row.Cells)
		}
		if n%50_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	runtime.ReadMemStats(&ms)
	peak = max(peak, ms.HeapInuse)
	if n != rows {
		t.Fatalf("read %d rows, want %d", n, rows)
	}
	if written < 250<<20 {
		t.Fatalf("only %d bytes streamed", written)
	}
	t.Logf("streamed %d MB, peak HeapInuse %.1f MB", written>>20, float64(peak)/(1<<20))
	if peak > 64<<20 {
		t.Errorf("peak HeapInuse %d MB, want < 64 MB", peak>>20)
	}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func BenchmarkCSV(b *testing.B) {
	var buf bytes.Buffer
	if err := writeCSV(&buf, 100_000, 20); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := Open("bench.csv", bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		r.Close()
	}
}
