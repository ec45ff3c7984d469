package correlate

import (
	"slices"
	"sort"
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

// reachBounded is reach for a bounded number of hops over the engine's
// records (see searchBounded).
func (e *engine) reachBounded(seeds []int64, hops int) []int64 {
	return searchBounded(engineKeys{e}, seeds, hops)
}

// keySource is a record set a bounded search walks: records in id order,
// each with its blocking keys.
type keySource interface {
	n() int
	id(i int) int64
	keys(i int, f func(h uint64))
}

type engineKeys struct{ e *engine }

func (k engineKeys) n() int         { return len(k.e.recs) }
func (k engineKeys) id(i int) int64 { return k.e.recs[i].id }
func (k engineKeys) keys(i int, f func(h uint64)) {
	eachKey(&k.e.recs[i], func(h uint64, _ byte) { f(h) })
}

// searchBounded is reach for a bounded number of hops, hop by hop: the
// keys of the frontier are collected, one parallel pass finds every
// record holding one of them (counting each key's block on the whole
// record set, so oversize blocks are skipped exactly as Run skips them),
// and the members of the usable blocks not yet seen form the next
// frontier. A bit filter turns away almost every key of the pass before
// the set of the frontier's keys is asked.
func searchBounded(src keySource, seeds []int64, hops int) []int64 {
	n := src.n()
	seen := make([]bool, n)
	var frontier []int32
	for _, s := range seeds {
		// Records are in id order: every record with the seed's id starts there.
		i := sort.Search(n, func(i int) bool { return src.id(i) >= s })
		for ; i < n && src.id(i) == s; i++ {
			if !seen[i] {
				seen[i] = true
				frontier = append(frontier, int32(i))
			}
		}
	}
	for h := 0; h < hops && len(frontier) > 0; h++ {
		keys := map[uint64]bool{}
		for _, i := range frontier {
			src.keys(int(i), func(k uint64) { keys[k] = true })
		}
		filter := newKeyFilter(len(keys))
		for k := range keys {
			filter.add(k)
		}
		hits := make([][]entry, chunks(n))
		parallel(n, func(p, lo, hi int) {
			var out []entry
			for i := lo; i < hi; i++ {
				src.keys(i, func(k uint64) {
					if filter.has(k) && keys[k] {
						out = append(out, entry{h: k, r: int32(i)})
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
	var out []int64
	for i := range seen {
		if seen[i] {
			out = append(out, src.id(i))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// keyFilter is a one-hash Bloom filter over block keys, with at least 16
// bits a key: a key not added is turned away 15 times in 16 or more.
type keyFilter struct {
	bits  []uint64
	shift uint
}

func newKeyFilter(keys int) keyFilter {
	b := uint(16)
	for 1<<b < keys*16 && b < 34 {
		b++
	}
	return keyFilter{bits: make([]uint64, 1<<(b-6)), shift: 64 - b}
}

// slot remixes the key (an FNV hash, whose low bits mix poorly) and keeps
// its top bits.
func (f keyFilter) slot(k uint64) uint64 { return (k * 0x9e3779b97f4a7c15) >> f.shift }

func (f keyFilter) add(k uint64) { s := f.slot(k); f.bits[s>>6] |= 1 << (s & 63) }

func (f keyFilter) has(k uint64) bool { s := f.slot(k); return f.bits[s>>6]&(1<<(s&63)) != 0 }

// Keys is what a neighbour search reads of a record: its id and the
// identifiers records share blocks through.
type Keys struct {
	ID                                  int64
	Serial, MAC, IP, Hostname, AssetTag string
}

// KeyIndex holds the blocking keys of a record set, hashed once: what a
// delta run needs to find, among millions of records, the ones that share
// a block with the few it re-runs. It holds no record, only its id and
// key hashes, so each hop of a search is a pass over integers.
type KeyIndex struct {
	ids    []int64
	parts  []keyPart // consecutive ranges of records, built in parallel
	starts []int     // record index each part starts at
}

type keyPart struct {
	ids  []int64
	offs []uint32 // the part's record j has keys[offs[j]:offs[j+1]]
	keys []uint64
}

// KeyIndexBuilder fills a KeyIndex in parts, each part on its own
// goroutine: a loader reading records in id ranges hashes each record's
// keys as it reads it, and keeps no identifier.
type KeyIndexBuilder struct {
	parts []keyPart
}

// NewKeyIndexBuilder starts an index of the given number of parts. Part p
// gets its records in id order, every id below part p+1's.
func NewKeyIndexBuilder(parts int) *KeyIndexBuilder {
	b := &KeyIndexBuilder{parts: make([]keyPart, parts)}
	for p := range b.parts {
		b.parts[p].offs = []uint32{0}
	}
	return b
}

// Reserve makes room in part p for n records of a few keys each.
func (b *KeyIndexBuilder) Reserve(p, n int) {
	part := &b.parts[p]
	part.ids = slices.Grow(part.ids, n)
	part.offs = slices.Grow(part.offs, n)
	part.keys = slices.Grow(part.keys, n*8)
}

// Add hashes the keys of the next record of part p. Different parts may
// be filled at once.
func (b *KeyIndexBuilder) Add(p int, k *Keys) {
	part := &b.parts[p]
	r := prepareKeys(&Record{ID: k.ID, Serial: k.Serial, MAC: k.MAC, IP: k.IP, Hostname: k.Hostname, AssetTag: k.AssetTag})
	eachKey(&r, func(h uint64, _ byte) { part.keys = append(part.keys, h) })
	part.ids = append(part.ids, k.ID)
	part.offs = append(part.offs, uint32(len(part.keys)))
}

// Index ends the building. It panics if the records were not in id
// order: a search finds seeds by id.
func (b *KeyIndexBuilder) Index() *KeyIndex {
	x := &KeyIndex{parts: b.parts, starts: make([]int, len(b.parts))}
	n := 0
	for p := range b.parts {
		x.starts[p] = n
		n += len(b.parts[p].ids)
	}
	x.ids = make([]int64, 0, n)
	for p := range b.parts {
		x.ids = append(x.ids, b.parts[p].ids...)
		b.parts[p].ids = nil
	}
	if !slices.IsSorted(x.ids) {
		panic("correlate: KeyIndex records not in id order")
	}
	b.parts = nil
	return x
}

// NewKeyIndex hashes the keys of n records, record i given by at(i), in
// id order.
func NewKeyIndex(n int, at func(i int) Keys) *KeyIndex {
	b := NewKeyIndexBuilder(chunks(n))
	parallel(n, func(p, lo, hi int) {
		for i := lo; i < hi; i++ {
			k := at(i)
			b.Add(p, &k)
		}
	})
	return b.Index()
}

// Neighbours is the package-level Neighbours (hops ≥ 0) over the indexed
// records.
func (x *KeyIndex) Neighbours(seeds []int64, hops int) []int64 {
	return searchBounded(x, seeds, hops)
}

func (x *KeyIndex) n() int         { return len(x.ids) }
func (x *KeyIndex) id(i int) int64 { return x.ids[i] }
func (x *KeyIndex) keys(i int, f func(h uint64)) {
	p := len(x.starts) - 1
	for x.starts[p] > i {
		p--
	}
	part, j := &x.parts[p], i-x.starts[p]
	for _, h := range part.keys[part.offs[j]:part.offs[j+1]] {
		f(h)
	}
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
