package correlate

import (
	"cmp"
	"slices"
)

// result assembles the deterministic output: clusters ordered by smallest
// record ID, records sorted, links explained and sorted, review sorted.
func (e *engine) result() Result {
	n := len(e.recs)
	roots := make([]int32, n)
	for i := range roots {
		roots[i] = e.uf.find(int32(i))
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int {
		return cmp.Or(cmp.Compare(e.recs[x].id, e.recs[y].id), cmp.Compare(x, y))
	})
	clusterOf := make([]int32, n)
	for i := range clusterOf {
		clusterOf[i] = -1
	}
	var offs []int
	for _, i := range order {
		if r := roots[i]; clusterOf[r] < 0 {
			clusterOf[r] = int32(len(offs))
			offs = append(offs, 0)
		}
		offs[clusterOf[roots[i]]]++
	}
	res := Result{Clusters: make([]Cluster, len(offs)), NonMedical: map[int64]string{}}
	members := e.fillClusters(res.Clusters, offs, order, roots, clusterOf)
	e.attachLinks(res.Clusters, roots, clusterOf)
	for c := range res.Clusters {
		if non, why := clusterClass(e, members[c]); non {
			for _, i := range members[c] {
				res.NonMedical[e.recs[i].id] = why
			}
		}
	}
	slices.SortFunc(e.review, func(x, y Candidate) int {
		return cmp.Or(cmp.Compare(y.Weight, x.Weight), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	res.Review = e.review
	return res
}

// fillClusters sets each cluster's sorted Records from one shared backing
// array (one allocation for millions of records) and returns the member
// indices per cluster.
func (e *engine) fillClusters(cs []Cluster, counts []int, order, roots, clusterOf []int32) [][]int32 {
	start := make([]int, len(counts)+1)
	for c, k := range counts {
		start[c+1] = start[c] + k
	}
	ids := make([]int64, len(order))
	idx := make([]int32, len(order))
	pos := slices.Clone(start[:len(counts)])
	for _, i := range order {
		c := clusterOf[roots[i]]
		ids[pos[c]], idx[pos[c]] = e.recs[i].id, i
		pos[c]++
	}
	members := make([][]int32, len(counts))
	for c := range cs {
		lo, hi := start[c], start[c+1]
		cs[c].Records = ids[lo:hi:hi]
		cs[c].Confidence = 1
		members[c] = idx[lo:hi:hi]
	}
	return members
}

// attachLinks explains every joining link (in parallel: scoring is
// read-only) and files it under its cluster.
func (e *engine) attachLinks(cs []Cluster, roots, clusterOf []int32) {
	links := make([]Link, len(e.joined))
	parallel(len(e.joined), func(_, lo, hi int) {
		for k := lo; k < hi; k++ {
			j := e.joined[k]
			links[k] = e.link(j.a, j.b)
			if j.decided {
				links[k].Decided, links[k].Confidence = true, 1
				links[k].Evidence = append(links[k].Evidence, e.decisionEvidence(j.a, j.b))
			}
		}
	})
	for k, j := range e.joined {
		c := &cs[clusterOf[roots[j.a]]]
		c.Links = append(c.Links, links[k])
		c.Confidence = min(c.Confidence, links[k].Confidence)
	}
	for c := range cs {
		slices.SortFunc(cs[c].Links, func(x, y Link) int {
			return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
		})
	}
}
