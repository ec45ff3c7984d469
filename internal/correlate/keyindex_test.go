package correlate

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// keyIndexOf indexes records as a delta run does, in id order.
func keyIndexOf(records []Record) *KeyIndex {
	byID := slices.Clone(records)
	slices.SortStableFunc(byID, func(a, b Record) int { return cmp.Compare(a.ID, b.ID) })
	return NewKeyIndex(len(byID), func(i int) Keys {
		r := &byID[i]
		return Keys{ID: r.ID, Serial: r.Serial, MAC: r.MAC, IP: r.IP, Hostname: r.Hostname, AssetTag: r.AssetTag}
	})
}

func TestNeighbours(t *testing.T) {
	recs := []Record{
		{ID: 1, Source: CMMS, Serial: "AB123456", MAC: "00:00:00:00:00:01"},
		{ID: 2, Source: CMDB, MAC: "00:00:00:00:00:01", Hostname: "h1"},
		{ID: 3, Source: Monitoring, Hostname: "h1", Serial: "AB12345"}, // reached by hostname
		{ID: 4, Source: CMDB, Serial: "AB1234567"},                     // one char from 3's serial
		{ID: 5, Source: Monitoring, MAC: "00:00:00:00:00:05"},
	}
	x := keyIndexOf(recs)
	if got, want := x.Neighbours([]int64{1}, -1), []int64{1, 2, 3, 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("closure = %v, want %v", got, want)
	}
	if got := x.Neighbours([]int64{5, 42}, -1); !reflect.DeepEqual(got, []int64{5}) {
		t.Errorf("closure of a loner and an unknown id = %v", got)
	}
	if got := keyIndexOf(nil).Neighbours([]int64{1}, -1); len(got) != 0 {
		t.Errorf("closure over no records = %v", got)
	}
	// One hop from 6 reaches 7 (hostname) but not 8 (through 7's IP).
	chain := keyIndexOf([]Record{
		{ID: 6, Source: CMDB, Hostname: "h9", MAC: "00:00:00:00:00:07"},
		{ID: 7, Source: Monitoring, Hostname: "h9", IP: "10.0.0.9"},
		{ID: 8, Source: CMDB, IP: "10.0.0.9"},
	})
	if got, want := chain.Neighbours([]int64{6}, 1), []int64{6, 7}; !reflect.DeepEqual(got, want) {
		t.Errorf("1 hop = %v, want %v", got, want)
	}
	if got, want := chain.Neighbours([]int64{6}, 2), []int64{6, 7, 8}; !reflect.DeepEqual(got, want) {
		t.Errorf("2 hops = %v, want %v", got, want)
	}
}

// The search (one pass per hop over the frontier's keys, hashes only)
// finds exactly what a walk over every block Run builds finds, oversize
// blocks included, whether the index was built in one part or several.
func TestNeighboursMatchesBlockWalk(t *testing.T) {
	d := loadDemo(t, 2000)
	recs := slices.Clone(d.recs)
	for i := 0; i <= MaxBlock; i++ { // one IP shared by too many records: never followed
		recs = append(recs, Record{ID: int64(900000 + i), Source: Monitoring, IP: "10.99.99.99", MAC: fmt.Sprintf("02:00:00:00:%02x:%02x", i/256, i%256)})
	}
	e := newEngine(recs, DefaultConfig())
	blocks, recBlocks := allBlocks(e)
	x := keyIndexOf(recs)
	// The same records in three parts, as a loader reading three id ranges builds it.
	byID := slices.Clone(recs)
	slices.SortFunc(byID, func(a, b Record) int { return cmp.Compare(a.ID, b.ID) })
	b := NewKeyIndexBuilder(3)
	for i := range byID {
		r := &byID[i]
		b.Add(i*3/len(byID), &Keys{ID: r.ID, Serial: r.Serial, MAC: r.MAC, IP: r.IP, Hostname: r.Hostname, AssetTag: r.AssetTag})
	}
	parts := b.Index()
	for _, every := range []int{37, 101, 997} {
		var seeds []int64
		for i := 0; i < len(recs); i += every {
			seeds = append(seeds, recs[i].ID)
		}
		seeds = append(seeds, 900001, 42424242) // in an oversize block; unknown
		for _, hops := range []int{0, 1, 2, 3, -1} {
			want := reach(e, seeds, blocks, recBlocks, hops)
			if got := x.Neighbours(seeds, hops); !reflect.DeepEqual(got, want) {
				t.Errorf("every %d, %d hops: key index found %d records, block walk %d", every, hops, len(got), len(want))
			}
			if got := parts.Neighbours(seeds, hops); !reflect.DeepEqual(got, want) {
				t.Errorf("every %d, %d hops: key index in three parts found %d records, block walk %d", every, hops, len(got), len(want))
			}
			if hops == 1 && len(want) <= len(seeds)-1 {
				t.Errorf("every %d: one hop added nothing (%d records from %d seeds)", every, len(want), len(seeds))
			}
		}
	}
}

// allBlocks builds every block Run would compare within, as the
// reference for the search: record → blocks, block → records.
func allBlocks(e *engine) (blocks [][]int32, recBlocks [][]int32) {
	buckets := e.bucketKeys()
	recBlocks = make([][]int32, len(e.recs))
	for _, es := range buckets {
		slices.SortFunc(es, func(x, y entry) int { return cmp.Or(cmp.Compare(x.h, y.h), cmp.Compare(x.r, y.r)) })
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

// reach walks from the seed records through the blocks, breadth first, at
// most hops steps (negative: any number).
func reach(e *engine, seeds []int64, blocks [][]int32, recBlocks [][]int32, hops int) []int64 {
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
	var out []int64
	for i := range seen {
		if seen[i] {
			out = append(out, e.recs[i].id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
