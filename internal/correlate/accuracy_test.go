package correlate

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/medsec/medsec/internal/demo"
	"github.com/medsec/medsec/internal/normalize"
)

// demoData is a generated demo health system loaded as Records, with the
// ground-truth device of every record.
type demoData struct {
	recs   []Record
	device []string // per record index
}

// loadDemo generates n devices into a temp dir and reads them back the way
// an importer would: identifiers through internal/normalize.
func loadDemo(tb testing.TB, n int) demoData {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := demo.Generate(demo.Config{Assets: n, Seed: 7}, dir); err != nil {
		tb.Fatal(err)
	}
	truth := map[string]string{}
	readCSV(tb, filepath.Join(dir, demo.FileGroundTruth), func(row map[string]string) {
		truth[row["source"]+"/"+row["key"]] = row["device_id"]
	})
	var d demoData
	add := func(r Record) {
		r.ID = int64(len(d.recs) + 1)
		d.recs = append(d.recs, r)
		d.device = append(d.device, truth[string(r.Source)+"/"+r.Key])
	}
	readCSV(tb, filepath.Join(dir, demo.FileCMMS), func(c map[string]string) {
		add(Record{Source: CMMS, Key: c["Equipment ID"], Serial: normalize.Serial(c["Serial Number"]),
			MAC: normalize.MAC(c["MAC Address"]), IP: normalize.IP(c["IP Address"]), Hostname: normalize.Hostname(c["Hostname"]),
			Manufacturer: c["Manufacturer"], Model: firstNonEmpty(c["Model"], c["Model Number"]),
			AssetTag: c["Equipment ID"], Class: c["Device Type"]})
	})
	readCSV(tb, filepath.Join(dir, demo.FileCMDB), func(c map[string]string) {
		add(Record{Source: CMDB, Key: c["sys_id"], Serial: normalize.Serial(c["serial_number"]),
			MAC: normalize.MAC(c["mac_address"]), IP: normalize.IP(c["ip_address"]), Hostname: normalize.Hostname(c["name"]),
			Manufacturer: c["manufacturer"], Model: firstNonEmpty(c["model_id"], c["model_number"]),
			AssetTag: c["asset_tag"], Class: c["sys_class_name"], LastSeen: parseTime("2006-01-02 15:04:05", c["last_discovered"])})
	})
	readCSV(tb, filepath.Join(dir, demo.FileMonitoring), func(c map[string]string) {
		add(Record{Source: Monitoring, Key: c["Device ID"], Serial: normalize.Serial(c["Serial Number"]),
			MAC: normalize.MAC(c["MAC Address"]), IP: normalize.IP(c["IP Address"]), Hostname: normalize.Hostname(c["Hostname"]),
			Manufacturer: c["Manufacturer"], Model: c["Model"], Class: c["Device Type"],
			LastSeen: parseTime(time.RFC3339, c["Last Seen"])})
	})
	return d
}

func firstNonEmpty(a, b string) string {
	if a != "" && a != "Unknown" {
		return a
	}
	return b
}

func parseTime(layout, s string) time.Time {
	t, _ := time.Parse(layout, s)
	return t
}

func readCSV(tb testing.TB, path string, row func(map[string]string)) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		tb.Fatal(err)
	}
	head = append([]string(nil), head...)
	m := map[string]string{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			tb.Fatal(err)
		}
		for i, h := range head {
			m[h] = rec[i]
		}
		row(m)
	}
}

// scores holds the pair-level accuracy of one clustering.
type scores struct {
	predicted, correct, correctLinkable, linkable, truePairs int
}

func (s scores) precision() float64 { return ratio(s.correct, s.predicted) }
func (s scores) recall() float64    { return ratio(s.correctLinkable, s.linkable) }
func (s scores) recallAll() float64 { return ratio(s.correct, s.truePairs) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// evaluate counts cross-source record pairs: predicted (same cluster),
// true (same ground-truth device), linkable (same device and joined by
// shared identifiers, see linkableGroups).
func evaluate(d demoData, cluster []int32) scores {
	group := linkableGroups(d)
	var s scores
	// Pairs inside predicted clusters.
	byCluster := groupBy(len(d.recs), func(i int) int32 { return cluster[i] })
	for _, ms := range byCluster {
		forCrossPairs(d, ms, func(a, b int) {
			s.predicted++
			if d.device[a] == d.device[b] {
				s.correct++
				if group[a] == group[b] {
					s.correctLinkable++
				}
			}
		})
	}
	devIdx := map[string]int32{}
	byDevice := groupBy(len(d.recs), func(i int) int32 {
		k, ok := devIdx[d.device[i]]
		if !ok {
			k = int32(len(devIdx))
			devIdx[d.device[i]] = k
		}
		return k
	})
	for _, ms := range byDevice {
		forCrossPairs(d, ms, func(a, b int) {
			s.truePairs++
			if group[a] == group[b] {
				s.linkable++
			}
		})
	}
	return s
}

func groupBy(n int, key func(int) int32) map[int32][]int {
	m := map[int32][]int{}
	for i := 0; i < n; i++ {
		k := key(i)
		m[k] = append(m[k], i)
	}
	return m
}

func forCrossPairs(d demoData, ms []int, f func(a, b int)) {
	for x := 0; x < len(ms); x++ {
		for y := x + 1; y < len(ms); y++ {
			if d.recs[ms[x]].Source != d.recs[ms[y]].Source {
				f(ms[x], ms[y])
			}
		}
	}
}

// linkableGroups unions the records of each device that share a serial, a
// MAC, a hostname, an IP not used by two devices, or an asset tag
// (directly or through a third record of the same device). Only records of
// the same device are ever joined.
func linkableGroups(d demoData) []int32 {
	ipDevs := map[string]map[string]bool{}
	for i, r := range d.recs {
		if r.IP != "" {
			if ipDevs[r.IP] == nil {
				ipDevs[r.IP] = map[string]bool{}
			}
			ipDevs[r.IP][d.device[i]] = true
		}
	}
	u := newTestUF(len(d.recs))
	seen := map[string]int{}
	join := func(i int, kind, v string) {
		if v == "" {
			return
		}
		k := d.device[i] + "\x00" + kind + "\x00" + v
		if j, ok := seen[k]; ok {
			u.union(i, j)
		} else {
			seen[k] = i
		}
	}
	for i, r := range d.recs {
		join(i, "s", r.Serial)
		join(i, "m", r.MAC)
		if normalize.IP(r.Hostname) == "" { // discovery names CIs by IP: not a hostname
			join(i, "h", r.Hostname)
		}
		if len(ipDevs[r.IP]) == 1 {
			join(i, "i", r.IP)
		}
		join(i, "a", r.AssetTag)
	}
	out := make([]int32, len(d.recs))
	for i := range out {
		out[i] = int32(u.find(i))
	}
	return out
}

type testUF []int

func newTestUF(n int) testUF {
	u := make(testUF, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u testUF) find(x int) int {
	for u[x] != x {
		u[x] = u[u[x]]
		x = u[x]
	}
	return x
}

func (u testUF) union(a, b int) { u[u.find(a)] = u.find(b) }

// engineClusters maps Run's clusters back to record indices.
func engineClusters(d demoData, res Result) []int32 {
	out := make([]int32, len(d.recs))
	for c, cl := range res.Clusters {
		for _, id := range cl.Records {
			out[id-1] = int32(c)
		}
	}
	return out
}

// exactJoin is the naive baseline: union-find over equal normalised serial
// or equal MAC, no rules.
func exactJoin(d demoData) []int32 {
	u := newTestUF(len(d.recs))
	first := map[string]int{}
	for i, r := range d.recs {
		for _, k := range []string{"s" + r.Serial, "m" + r.MAC} {
			if len(k) == 1 {
				continue
			}
			if j, ok := first[k]; ok {
				u.union(i, j)
			} else {
				first[k] = i
			}
		}
	}
	out := make([]int32, len(d.recs))
	for i := range out {
		out[i] = int32(u.find(i))
	}
	return out
}

func benchAssets(def int) int {
	if v, err := strconv.Atoi(os.Getenv("MEDSEC_BENCH_ASSETS")); err == nil && v > 0 {
		return v
	}
	return def
}

func TestAccuracySmall(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 5,000 devices")
	}
	d := loadDemo(t, 5000)
	res := Run(d.recs, nil, DefaultConfig())
	s := evaluate(d, engineClusters(d, res))
	base := evaluate(d, exactJoin(d))
	t.Logf("engine: precision %.4f recall %.4f (all true pairs %.4f), %d predicted pairs, %d review",
		s.precision(), s.recall(), s.recallAll(), s.predicted, len(res.Review))
	t.Logf("exact serial/MAC join: precision %.4f recall %.4f", base.precision(), base.recall())
	if s.precision() < 0.99 || s.recall() < 0.98 {
		t.Errorf("precision %.4f (floor 0.99), recall %.4f (floor 0.98)", s.precision(), s.recall())
	}
}

// BenchmarkAccuracy reports precision and recall of Run and of the exact
// serial/MAC join on MEDSEC_BENCH_ASSETS devices (default 20,000).
func BenchmarkAccuracy(b *testing.B) {
	d := loadDemo(b, benchAssets(20000))
	b.ResetTimer()
	var res Result
	for range b.N {
		res = Run(d.recs, nil, DefaultConfig())
	}
	b.StopTimer()
	s := evaluate(d, engineClusters(d, res))
	base := evaluate(d, exactJoin(d))
	b.Logf("engine: %d predicted cross-source pairs, %d correct (%d linkable-correct); %d linkable of %d true pairs; precision %.5f recall %.5f",
		s.predicted, s.correct, s.correctLinkable, s.linkable, s.truePairs, s.precision(), s.recall())
	b.Logf("exact serial/MAC join: %d predicted, %d correct; precision %.5f recall %.5f",
		base.predicted, base.correct, base.precision(), base.recall())
	b.ReportMetric(s.precision(), "precision")
	b.ReportMetric(s.recall(), "recall")
	b.ReportMetric(s.recallAll(), "recall_all_true_pairs")
	b.ReportMetric(base.precision(), "exact_precision")
	b.ReportMetric(base.recall(), "exact_recall")
	b.ReportMetric(float64(len(res.Review)), "review")
	b.ReportMetric(float64(len(d.recs)), "records")
}

// BenchmarkRun reports throughput and memory of Run on MEDSEC_BENCH_ASSETS
// devices (default 20,000): peak_heap_MB is the sampled peak HeapAlloc of
// the process (test data included), peak_extra_heap_MB the part above the
// loaded test data (garbage included), result_heap_MB the live Result.
func BenchmarkRun(b *testing.B) {
	d := loadDemo(b, benchAssets(20000))
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := watchPeak()
	b.ResetTimer()
	var res Result
	for range b.N {
		res = Run(d.recs, nil, DefaultConfig())
	}
	b.StopTimer()
	p := peak()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "result_heap_MB")
	runtime.KeepAlive(res)
	b.ReportMetric(float64(len(d.recs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(p-before.HeapAlloc)/(1<<20), "peak_extra_heap_MB")
	b.ReportMetric(float64(p)/(1<<20), "peak_heap_MB")
}

// watchPeak samples HeapAlloc every 20 ms until the returned func is
// called, which returns the peak seen.
func watchPeak() func() uint64 {
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		var peak uint64
		var m runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-stop:
				done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(stop); return <-done }
}
