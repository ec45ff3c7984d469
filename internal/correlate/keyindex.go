package correlate

import (
	"slices"
	"sort"
	"sync"
)

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
//
// Keys in blocks larger than MaxBlock are not followed, exactly as Run
// does not compare through them. Blocks are judged oversize on the whole
// record set, so Run on a subset may compare a few pairs that a run over
// everything skipped; it never misses one. Human decisions are not keys:
// the caller adds the records of decided pairs to the seeds.
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

// Neighbours returns the ids of the records reachable from seeds through
// shared blocking keys in at most hops steps (a negative hops: any
// number), sorted; seeds that are indexed are included. One hop is every
// record a seed could be compared with.
//
// The search goes hop by hop: the keys of the frontier are collected, one
// parallel pass finds every record holding one of them (counting each
// key's block on the whole record set, so oversize blocks are skipped
// exactly as Run skips them), and the members of the usable blocks not
// yet seen form the next frontier. A bit filter turns away almost every
// key of the pass before the set of the frontier's keys is asked.
func (x *KeyIndex) Neighbours(seeds []int64, hops int) []int64 {
	n := len(x.ids)
	seen := make([]bool, n)
	var frontier []int32
	for _, s := range seeds {
		// Records are in id order: every record with the seed's id starts there.
		for i := sort.Search(n, func(i int) bool { return x.ids[i] >= s }); i < n && x.ids[i] == s; i++ {
			if !seen[i] {
				seen[i] = true
				frontier = append(frontier, int32(i))
			}
		}
	}
	for h := 0; (hops < 0 || h < hops) && len(frontier) > 0; h++ {
		keys := map[uint64]bool{}
		for _, i := range frontier {
			for _, k := range x.keysOf(int(i)) {
				keys[k] = true
			}
		}
		filter := newKeyFilter(len(keys))
		for k := range keys {
			filter.add(k)
		}
		hits := make([][]entry, len(x.parts))
		var wg sync.WaitGroup
		for p := range x.parts {
			wg.Go(func() {
				part, lo := &x.parts[p], x.starts[p]
				var out []entry
				for j := 0; j+1 < len(part.offs); j++ {
					for _, k := range part.keys[part.offs[j]:part.offs[j+1]] {
						if filter.has(k) && keys[k] {
							out = append(out, entry{h: k, r: int32(lo + j)})
						}
					}
				}
				hits[p] = out
			})
		}
		wg.Wait()
		size := map[uint64]int{}
		for _, hs := range hits {
			for _, e := range hs {
				size[e.h]++
			}
		}
		var next []int32
		for _, hs := range hits {
			for _, e := range hs {
				if n := size[e.h]; n > 1 && n <= MaxBlock && !seen[e.r] {
					seen[e.r] = true
					next = append(next, e.r)
				}
			}
		}
		frontier = next
	}
	var out []int64
	for i := range seen {
		if seen[i] {
			out = append(out, x.ids[i])
		}
	}
	return slices.Compact(out) // in id order already; equal ids once
}

// keysOf returns record i's key hashes.
func (x *KeyIndex) keysOf(i int) []uint64 {
	p := len(x.starts) - 1
	for x.starts[p] > i {
		p--
	}
	part, j := &x.parts[p], i-x.starts[p]
	return part.keys[part.offs[j]:part.offs[j+1]]
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
