package zeek

import (
	"bufio"
	"bytes"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const connHeader = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n" +
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n" +
	"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n"

// writeConns writes a synthetic conn.log of about size bytes whose
// connections fall into pairs distinct (orig_h, resp_h, resp_p) tuples.
// It returns the number of connections written.
func writeConns(w io.Writer, size int64, pairs int) int64 {
	bw := bufio.NewWriterSize(w, 256<<10)
	n, _ := bw.WriteString(connHeader)
	written := int64(n)
	var conns int64
	var line []byte
	for written < size {
		p := int(conns % int64(pairs))
		line = line[:0]
		line = strconv.AppendInt(line, 1700000000+conns/1000, 10)
		line = append(line, ".123456\tCAbcdEfGhIjKlMnOp\t10.1."...)
		line = strconv.AppendInt(line, int64(p/250), 10)
		line = append(line, '.')
		line = strconv.AppendInt(line, int64(p%250), 10)
		line = append(line, '\t')
		line = strconv.AppendInt(line, 40000+conns%20000, 10)
		line = append(line, "\t10.200.0.9\t"...)
		line = strconv.AppendInt(line, int64(100+p%7), 10)
		line = append(line, "\ttcp\tdicom\t0.250000\t"...)
		line = strconv.AppendInt(line, conns%1000, 10)
		line = append(line, "\t2048\tSF\tT\tT\t0\tShADadFf\t12\t1500\t10\t2600\t-\n"...)
		n, err := bw.Write(line)
		if err != nil {
			return conns
		}
		written += int64(n)
		conns++
	}
	bw.Flush()
	return conns
}

func TestAggregateConnsStreamsLargeLog(t *testing.T) {
	if testing.Short() {
		t.Skip("writes ~200 MB through a pipe")
	}
	const size, pairs = 200 << 20, 1000
	pr, pw := io.Pipe()
	var conns int64
	go func() {
		conns = writeConns(pw, size, pairs)
		pw.Close()
	}()

	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	start := time.Now()
	flows, err := AggregateConns("conn.log", pr)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	var total int64
	for _, f := range flows {
		total += f.Conns
	}
	t.Logf("%d connections, %d flows, %.0f MB/s, peak heap %.1f MB",
		total, len(flows), float64(size)/1e6/el.Seconds(), float64(peak.Load())/(1<<20))
	if len(flows) != pairs || total != conns {
		t.Errorf("%d flows / %d connections, want %d / %d", len(flows), total, pairs, conns)
	}
	if peak.Load() >= 64<<20 {
		t.Errorf("peak heap %d MB, want < 64 MB", peak.Load()>>20)
	}
}

func BenchmarkAggregateConns(b *testing.B) {
	var buf bytes.Buffer
	writeConns(&buf, 16<<20, 1000)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AggregateConns("conn.log", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAggregateConnsGzip(b *testing.B) {
	var buf bytes.Buffer
	writeConns(&buf, 16<<20, 1000)
	data := gz(b, buf.String())
	b.SetBytes(int64(buf.Len())) // MB/s of decompressed log
	for b.Loop() {
		if _, err := AggregateConns("conn.log.gz", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
