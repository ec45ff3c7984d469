package correlate

import (
	"cmp"
	"slices"
)

// unionFind is a disjoint-set forest with path halving and union by size,
// plus a conflict summary per root.
type unionFind struct {
	parent []int32
	sums   []*summary // per root; nil for a record never merged
}

func (u *unionFind) find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// sum returns root r's summary, creating a singleton's on demand.
func (e *engine) sum(r int32) *summary {
	if e.uf.sums[r] == nil {
		e.uf.sums[r] = e.newSummary(r)
	}
	return e.uf.sums[r]
}

// union joins the clusters of a and b unless they conflict (see
// clusterConflict); it returns the conflict, "" on success or when they
// are already one cluster (then joined is false).
func (e *engine) union(a, b int32, auto bool) (joined bool, conflict string) {
	ra, rb := e.uf.find(a), e.uf.find(b)
	if ra == rb {
		return false, ""
	}
	if c := e.clusterConflict(ra, rb, auto); c != "" {
		return false, c
	}
	sa, sb := e.sum(ra), e.sum(rb)
	if len(sa.members) < len(sb.members) {
		ra, rb, sa, sb = rb, ra, sb, sa
	}
	e.mergeSummaries(sa, sb)
	e.uf.parent[rb] = ra
	e.uf.sums[rb] = nil
	return true, ""
}

// cluster runs the union phase: human confirms first, then deterministic
// links, then probabilistic links at or above LinkThreshold, strongest
// first, so a weak link can never pre-empt a strong one. A strong link
// refused by a cluster conflict goes to review; pairs between the
// thresholds go to review when they end in different clusters.
func (e *engine) cluster() {
	n := len(e.recs)
	e.uf = unionFind{parent: make([]int32, n), sums: make([]*summary, n)}
	for i := range e.uf.parent {
		e.uf.parent[i] = int32(i)
	}
	e.applyConfirms()
	slices.SortFunc(e.scored, func(x, y scored) int {
		if x.det != y.det {
			if x.det {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(y.w, x.w); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b))
	})
	var pending []scored
	for _, s := range e.scored {
		if !s.det && s.w < e.cfg.LinkThreshold {
			pending = append(pending, s)
			continue
		}
		joined, c := e.union(s.a, s.b, true)
		switch {
		case joined:
			e.joined = append(e.joined, joinedLink{a: s.a, b: s.b, w: s.w})
		case c != "" && s.w >= e.cfg.ReviewThreshold:
			e.addReview(s.a, s.b, "strong link not merged automatically: "+c)
		}
	}
	for _, s := range pending {
		ra, rb := e.uf.find(s.a), e.uf.find(s.b)
		if ra == rb {
			continue
		}
		note := "between review and link thresholds"
		if c := e.clusterConflict(ra, rb, true); c != "" {
			note += "; merging would override: " + c
		}
		e.addReview(s.a, s.b, note)
	}
	e.scored = nil
	for i := range e.uf.sums {
		e.uf.sums[i] = nil // conflict summaries are not needed for the output
	}
}

// addReview queues a candidate with full evidence and a closing note.
func (e *engine) addReview(a, b int32, note string) {
	l := e.link(a, b)
	l.Evidence = append(l.Evidence, Evidence{Field: "review", Note: note})
	e.review = append(e.review, Candidate{l})
}

// link builds the explained Link for records a and b, ordered by caller ID.
func (e *engine) link(a, b int32) Link {
	if e.recs[a].id > e.recs[b].id {
		a, b = b, a
	}
	var buf [8]Evidence
	ev := buf[:0]
	t := e.score(&e.recs[a], &e.recs[b], &ev)
	// An exact-size copy: millions of links keep their evidence.
	return Link{A: e.recs[a].id, B: e.recs[b].id, Weight: t.w, Confidence: confidence(t.w), Evidence: slices.Clone(ev)}
}
