package correlate

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// The radix sort of a bucket gives the order the comparison sort gave:
// by hash, then record, for buckets filled in record order (as
// bucketKeys fills them), with repeated hashes, and bytes all entries
// share.
func TestSortEntries(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var tmp []entry
	for _, n := range []int{0, 1, 63, 64, 1000, 20000} {
		for _, mask := range []uint64{^uint64(0), 0xff00ff, 0x7} { // all bytes vary; few do; many repeats
			es := make([]entry, n)
			for i := range es {
				es[i] = entry{h: 0xab<<56 | r.Uint64()&mask&(1<<56-1), r: int32(i / 3), k: keySerial}
			}
			want := slices.Clone(es)
			slices.SortFunc(want, func(x, y entry) int { return cmp.Or(cmp.Compare(x.h, y.h), cmp.Compare(x.r, y.r)) })
			tmp = sortEntries(es, tmp)
			if !slices.Equal(es, want) {
				t.Errorf("%d entries, hash mask %x: radix order differs from (hash, record) order", n, mask)
			}
		}
	}
}
