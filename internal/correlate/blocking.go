package correlate

import (
	"cmp"
	"slices"
	"sync"
)

// MaxBlock caps the records sharing one blocking key. Within the cap every
// pair is compared; a larger block is a value too common to identify a
// device (a placeholder serial, a NAT or shared IP, "iphone" as hostname),
// so it produces no pairs at all, and agreeing on it weighs 0 in scoring.
// Its records are still compared through their other keys. This keeps the
// pair count linear in the records: at most MaxBlock-1 partners per key.
const MaxBlock = 64

// Block-key kinds, the first byte hashed into every key.
const (
	keySerial  = 'S' // exact normalised serial
	keyDeleted = 'D' // serial, and serial with one character deleted: finds dropped-character typos
	keyMAC     = 'M'
	keyHost    = 'H'
	keyIP      = 'I'
	keyTag     = 'A'
)

// entry is one (key, record) occurrence.
type entry struct {
	h uint64
	r int32
	k byte // key kind
}

// blockHash is FNV-1a over the kind byte and s without the byte at skip
// (skip < 0: whole string). 64 bits make accidental collisions negligible,
// and a collision only costs a comparison: scoring reads the real fields.
func blockHash(kind byte, s string, skip int) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	h = (h ^ uint64(kind)) * prime
	for i := 0; i < len(s); i++ {
		if i != skip {
			h = (h ^ uint64(s[i])) * prime
		}
	}
	return h
}

// eachKey calls f with every blocking key of r.
func eachKey(r *rec, f func(h uint64, kind byte)) {
	add := func(kind byte, s string) {
		if s != "" {
			f(blockHash(kind, s, -1), kind)
		}
	}
	add(keySerial, r.serial)
	add(keyMAC, r.mac)
	add(keyHost, r.host)
	add(keyIP, r.ip)
	add(keyTag, r.tag)
	if s := r.serial; len(s) >= minApproxSerial-1 {
		add(keyDeleted, s)
		for k := 0; k < len(s) && len(s) >= minApproxSerial; k++ {
			if k > 0 && s[k] == s[k-1] {
				continue // deleting either of two equal neighbours gives the same string
			}
			f(blockHash(keyDeleted, s, k), keyDeleted)
		}
	}
}

// block builds the candidate pairs: keys are partitioned by their top byte
// into 256 buckets, each bucket is sorted and cut into blocks in parallel,
// and the pairs are merged, sorted and de-duplicated.
func (e *engine) block() {
	buckets := e.bucketKeys()
	pairs := make([][]uint64, len(buckets))
	commons := make([][]uint64, len(buckets))
	var wg sync.WaitGroup
	next := make(chan int, len(buckets))
	for b := range buckets {
		next <- b
	}
	close(next)
	for w := 0; w < workers(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var tmp []entry
			for b := range next {
				tmp = sortEntries(buckets[b], tmp)
				pairs[b], commons[b] = e.blockBucket(buckets[b])
				buckets[b] = nil // free as we go
			}
		}()
	}
	wg.Wait()
	e.common = map[uint64]bool{}
	n := 0
	for b := range buckets {
		for _, h := range commons[b] {
			e.common[h] = true
		}
		n += len(pairs[b])
	}
	all := make([]uint64, 0, n)
	for b, p := range pairs {
		all = append(all, p...)
		pairs[b] = nil
	}
	e.pairs = sortUnique(all)
}

// bucketKeys generates every record's keys straight into 256 buckets by
// the hash's top byte. Two passes (count, then fill at precomputed
// offsets) hash twice but never hold the keys twice: at a million devices
// the keys are the largest structure of a Run.
func (e *engine) bucketKeys() [][]entry {
	nc := chunks(len(e.recs))
	counts := make([][256]int, nc)
	parallel(len(e.recs), func(p, lo, hi int) {
		for i := lo; i < hi; i++ {
			eachKey(&e.recs[i], func(h uint64, _ byte) { counts[p][h>>56]++ })
		}
	})
	buckets := make([][]entry, 256)
	offs := make([][256]int, nc)
	for b := range buckets {
		n := 0
		for p := range counts {
			offs[p][b] = n
			n += counts[p][b]
		}
		buckets[b] = make([]entry, n)
	}
	parallel(len(e.recs), func(p, lo, hi int) {
		off := &offs[p]
		for i := lo; i < hi; i++ {
			eachKey(&e.recs[i], func(h uint64, kind byte) {
				b := h >> 56
				buckets[b][off[b]] = entry{h, int32(i), kind}
				off[b]++
			})
		}
	})
	return buckets
}

// sortEntries sorts one bucket's entries by hash, then record, and returns
// its scratch buffer (tmp, grown if need be) for the next bucket. A bucket
// is filled in record order (bucketKeys), so a stable sort by hash is that
// order: a least-significant-digit radix sort, a byte a pass, skipping the
// top byte (the bucket's) and any byte all entries share. At a million
// devices it took a third of the time of a comparison sort.
func sortEntries(es, tmp []entry) []entry {
	if len(es) < 64 {
		slices.SortStableFunc(es, func(x, y entry) int { return cmp.Compare(x.h, y.h) })
		return tmp
	}
	if cap(tmp) < len(es) {
		tmp = make([]entry, len(es))
	}
	src, dst := es, tmp[:len(es)]
	for shift := uint(0); shift < 56; shift += 8 {
		var count [256]int
		for i := range src {
			count[byte(src[i].h>>shift)]++
		}
		if count[byte(src[0].h>>shift)] == len(src) {
			continue // every entry has this byte: the pass would change nothing
		}
		sum := 0
		for d, c := range count {
			count[d], sum = sum, sum+c
		}
		for i := range src {
			d := byte(src[i].h >> shift)
			dst[count[d]] = src[i]
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &es[0] {
		copy(es, src)
	}
	return tmp
}

// blockBucket emits the pairs of each block of one sorted bucket, and the
// hashes of oversize blocks.
func (e *engine) blockBucket(es []entry) (pairs, common []uint64) {
	for lo := 0; lo < len(es); {
		hi := lo + 1
		for hi < len(es) && es[hi].h == es[lo].h {
			hi++
		}
		if hi-lo > MaxBlock {
			common = append(common, es[lo].h)
		} else {
			pairs = e.blockPairs(pairs, es[lo:hi])
		}
		lo = hi
	}
	return pairs, common
}

// blockPairs appends the pairs of one block worth scoring. Two CMMS
// records are compared only on an exact serial or MAC (a duplicate CMMS
// entry is worth a review; sharing a hostname or a one-typo serial
// neighbour is not). Pairs with equal serials are skipped in deletion
// blocks: the exact-serial block has them.
func (e *engine) blockPairs(out []uint64, blk []entry) []uint64 {
	kind := blk[0].k
	for x := 0; x < len(blk); x++ {
		a := &e.recs[blk[x].r]
		for y := x + 1; y < len(blk); y++ {
			if blk[y].r == blk[x].r {
				continue
			}
			b := &e.recs[blk[y].r]
			if kind == keyDeleted && len(a.serial) == len(b.serial) {
				continue // equal (the exact block has them) or a substitution (a conflict)
			}
			if a.src == srcCMMS && b.src == srcCMMS && kind != keySerial && kind != keyMAC {
				continue
			}
			out = append(out, pairKey(blk[x].r, blk[y].r))
		}
	}
	return out
}

// sortUnique sorts xs (two halves in parallel, then merged) and drops
// duplicates.
func sortUnique(xs []uint64) []uint64 {
	if len(xs) < 1<<16 || workers() < 2 {
		slices.Sort(xs)
		return slices.Compact(xs)
	}
	mid := len(xs) / 2
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); slices.Sort(xs[:mid]) }()
	slices.Sort(xs[mid:])
	wg.Wait()
	out := make([]uint64, 0, len(xs))
	i, j := 0, mid
	for i < mid || j < len(xs) {
		var v uint64
		if j == len(xs) || i < mid && xs[i] <= xs[j] {
			v, i = xs[i], i+1
		} else {
			v, j = xs[j], j+1
		}
		if len(out) == 0 || out[len(out)-1] != v {
			out = append(out, v)
		}
	}
	return out
}
