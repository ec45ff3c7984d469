package correlate

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
)

// engine holds one Run's working state.
type engine struct {
	cfg  Config
	recs []rec

	// byID maps caller IDs to record indices; built only when decisions
	// need it.
	byID map[int64]int32
	// Decisions, as record-index pairs (pairKey).
	confirms []uint64
	rejects  map[uint64]bool
	rejectOf map[int32][]int32
	decided  map[uint64]Decision // first confirm per pair, for evidence

	// common holds block keys (see blockHash) shared by more than MaxBlock
	// records: such a value identifies nothing, so agreeing on it weighs 0.
	common map[uint64]bool
	pairs  []uint64 // candidate pairs from blocking, sorted, unique
	scored []scored // pairs worth keeping after scoring

	uf     unionFind
	joined []joinedLink // links accepted into clusters
	review []Candidate
}

// scored is a pair that survived scoring: deterministic, or at least at
// ReviewThreshold, and free of pair-level conflicts.
type scored struct {
	a, b int32
	w    float64
	det  bool
}

type joinedLink struct {
	a, b    int32
	w       float64
	decided bool
}

// newEngine prepares the records in ID order, so every later tie-break on
// record indices is a tie-break on IDs and the output does not depend on
// the order of the input.
func newEngine(records []Record, cfg Config) *engine {
	order := make([]int32, len(records))
	for i := range order {
		order[i] = int32(i)
	}
	if !slices.IsSortedFunc(records, func(x, y Record) int { return cmp.Compare(x.ID, y.ID) }) { // a store's records come in id order
		slices.SortStableFunc(order, func(x, y int32) int { return cmp.Compare(records[x].ID, records[y].ID) })
	}
	e := &engine{cfg: cfg, recs: make([]rec, len(records))}
	parallel(len(records), func(_, lo, hi int) {
		lk := newLookups()
		for i := lo; i < hi; i++ {
			e.recs[i] = prepare(&records[order[i]], lk)
		}
	})
	return e
}

// workers is the goroutine count for the parallel phases. Work is split
// into fixed index ranges and every range writes only its own output, so
// results never depend on scheduling.
func workers() int {
	n := runtime.GOMAXPROCS(0)
	if n > 8 {
		n = 8
	}
	return n
}

// chunks is how many ranges parallel splits n items into.
func chunks(n int) int {
	if n < 4096 {
		return 1
	}
	return workers()
}

// parallel calls f(p, lo, hi) for the chunks(n) consecutive ranges
// covering [0, n), concurrently; p is the range's ordinal, so callers
// collect per-range output and concatenate it in order.
func parallel(n int, f func(p, lo, hi int)) {
	c := chunks(n)
	if c == 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + c - 1) / c
	for p := 0; p < c; p++ {
		lo, hi := min(p*step, n), min((p+1)*step, n)
		wg.Add(1)
		go func() { defer wg.Done(); f(p, lo, hi) }()
	}
	wg.Wait()
}

// pairKey packs two record indices, smaller first.
func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(uint32(b))
}

func unpair(k uint64) (int32, int32) { return int32(k >> 32), int32(uint32(k)) }
