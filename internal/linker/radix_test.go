package linker

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// The radix sort groups records by asset and keeps each group in position
// order, as a stable sort does, for small ids and ids past 32 bits.
func TestRadixByAsset(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, top := range []int64{1, 3, 70000, 1 << 40} {
		for _, n := range []int{0, 1, 2, 1000} {
			xs := make([]assetPos, n)
			for i := range xs {
				xs[i] = assetPos{asset: 1 + r.Int64N(top), pos: int32(i)}
			}
			want := slices.Clone(xs)
			slices.SortStableFunc(want, func(a, b assetPos) int { return cmp.Compare(a.asset, b.asset) })
			radixByAsset(xs)
			if !slices.Equal(xs, want) {
				t.Errorf("ids up to %d, %d records: radix order differs from a stable sort", top, n)
			}
		}
	}
}
