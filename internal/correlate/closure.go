package correlate

import (
	"cmp"
	"slices"
)

// Closure returns the IDs of every record reachable from seeds through
// shared blocking keys, transitively, sorted; seeds present in records are
// included. After a small delta import the caller re-runs Run on this
// subset only: no record outside it could have been compared with a record
// inside it.
//
// Keys in blocks larger than MaxBlock are not followed, exactly as Run
// does not compare through them. Human decisions are not keys: the caller
// should add the partners of decided pairs to the seeds. Blocks are judged
// oversize on the whole record set, so Run on the subset may compare a few
// pairs that the full run skipped; it never misses one.
func Closure(records []Record, seeds []int64) []int64 {
	return Neighbours(records, seeds, -1)
}

// Neighbours is Closure limited to hops steps through shared blocks (a
// negative hops means no limit). One hop is every record a seed could be
// compared with; the caller adds those records' clusters to bound a delta
// run without following chains of shared IPs across a whole system.
func Neighbours(records []Record, seeds []int64, hops int) []int64 {
	return NewIndex(records).Neighbours(seeds, hops)
}

// Index is the blocking structure of a record set, built once so that a
// caller can ask for neighbours several times (a delta run does, twice)
// without rebuilding it. The records are prepared (normalised) once; a
// bounded search then looks only for the keys of its frontier, one
// parallel pass over the records per hop, instead of sorting every key of
// every record.
type Index struct {
	e         *engine
	blocks    [][]int32 // built on first unbounded search
	recBlocks [][]int32
}

// Neighbours is the package-level Neighbours over the indexed records.
func (ix *Index) Neighbours(seeds []int64, hops int) []int64 {
	if hops < 0 {
		if ix.blocks == nil {
			ix.blocks, ix.recBlocks = ix.e.allBlocks()
		}
		return ix.e.reach(seeds, ix.blocks, ix.recBlocks, hops)
	}
	return ix.e.reachBounded(seeds, hops)
}

// keysOnly prepares a record for blocking alone (see prepareKeys).
func keysOnly(r *Record, _ *lookups) rec { return prepareKeys(r) }

// NewIndex prepares records for neighbour searches.
func NewIndex(records []Record) *Index {
	return &Index{e: newEngineWith(records, DefaultConfig(), keysOnly)}
}

// allBlocks builds every block: record → blocks, block → records.
func (e *engine) allBlocks() (blocks [][]int32, recBlocks [][]int32) {
	buckets := e.bucketKeys()
	recBlocks = make([][]int32, len(e.recs))
	for _, es := range buckets {
		slices.SortFunc(es, func(x, y entry) int {
			if x.h != y.h {
				if x.h < y.h {
					return -1
				}
				return 1
			}
			return int(x.r) - int(y.r)
		})
		for lo := 0; lo < len(es); {
			hi := lo + 1
			for hi < len(es) && es[hi].h == es[lo].h {
				hi++
			}
			if hi-lo > 1 && hi-lo <= MaxBlock {
				b := int32(len(blocks))
				var rs []int32
				for _, x := range es[lo:hi] {
					rs = append(rs, x.r)
					recBlocks[x.r] = append(recBlocks[x.r], b)
				}
				blocks = append(blocks, rs)
			}
			lo = hi
		}
	}
	return blocks, recBlocks
}

// reachBounded is reach for a bounded number of hops, hop by hop: the keys
// of the frontier are collected, one parallel pass finds every record
// holding one of them (counting each key's block on the whole record set,
// so oversize blocks are skipped exactly as Run skips them), and the
// members of the usable blocks not yet seen form the next frontier.
func (e *engine) reachBounded(seeds []int64, hops int) []int64 {
	seen := make([]bool, len(e.recs))
	var frontier []int32
	for _, s := range seeds {
		// e.recs is in id order (newEngine sorts it): every record with
		// the seed's id starts there.
		i, _ := slices.BinarySearchFunc(e.recs, s, func(r rec, id int64) int { return cmp.Compare(r.id, id) })
		for ; i < len(e.recs) && e.recs[i].id == s; i++ {
			if !seen[i] {
				seen[i] = true
				frontier = append(frontier, int32(i))
			}
		}
	}
	for h := 0; h < hops && len(frontier) > 0; h++ {
		keys := map[uint64]bool{}
		for _, i := range frontier {
			eachKey(&e.recs[i], func(k uint64, _ byte) { keys[k] = true })
		}
		hits := make([][]entry, chunks(len(e.recs)))
		parallel(len(e.recs), func(p, lo, hi int) {
			var out []entry
			for i := lo; i < hi; i++ {
				eachKey(&e.recs[i], func(k uint64, kind byte) {
					if keys[k] {
						out = append(out, entry{k, int32(i), kind})
					}
				})
			}
			hits[p] = out
		})
		size := map[uint64]int{}
		for _, hs := range hits {
			for _, x := range hs {
				size[x.h]++
			}
		}
		var next []int32
		for _, hs := range hits {
			for _, x := range hs {
				if n := size[x.h]; n > 1 && n <= MaxBlock && !seen[x.r] {
					seen[x.r] = true
					next = append(next, x.r)
				}
			}
		}
		frontier = next
	}
	return e.idsOf(seen)
}

// reach walks from the seed records through the blocks (breadth first).
func (e *engine) reach(seeds []int64, blocks [][]int32, recBlocks [][]int32, hops int) []int64 {
	want := map[int64]bool{}
	for _, s := range seeds {
		want[s] = true
	}
	seen := make([]bool, len(e.recs))
	var queue []int32
	for i := range e.recs {
		if want[e.recs[i].id] {
			seen[i] = true
			queue = append(queue, int32(i))
		}
	}
	usedBlock := make([]bool, len(blocks))
	depth := make(map[int32]int, len(queue))
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		if hops >= 0 && depth[i] >= hops {
			continue
		}
		for _, b := range recBlocks[i] {
			if usedBlock[b] {
				continue
			}
			usedBlock[b] = true
			for _, j := range blocks[b] {
				if !seen[j] {
					seen[j] = true
					depth[j] = depth[i] + 1
					queue = append(queue, j)
				}
			}
		}
	}
	return e.idsOf(seen)
}

// idsOf lists the ids of the records marked in seen, sorted, once each.
func (e *engine) idsOf(seen []bool) []int64 {
	var out []int64
	for i := range seen {
		if seen[i] {
			out = append(out, e.recs[i].id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
