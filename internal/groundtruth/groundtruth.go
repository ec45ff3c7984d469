// Package groundtruth scores a correlation against the demo generator's
// ground truth, counting pairs of records from different sources: the
// figures the contract's correlation clause is judged by.
package groundtruth

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
)

// Ref names one source record.
type Ref struct{ Source, Key string }

// Ident is what a record says about its device, for deciding which true
// pairs were linkable at all.
type Ident struct {
	Serial, MAC, IP, Hostname, AssetTag string
}

// Metrics are pairwise figures.
type Metrics struct {
	PredictedPairs  int     `json:"predicted_pairs"`
	TruePairs       int     `json:"true_pairs"`
	LinkablePairs   int     `json:"linkable_pairs"`
	Correct         int     `json:"correct_pairs"`
	CorrectLinkable int     `json:"correct_linkable_pairs"`
	Precision       float64 `json:"precision"`
	Recall          float64 `json:"recall_linkable"`
	RecallAll       float64 `json:"recall_all"`
}

func (m Metrics) String() string {
	return fmt.Sprintf("precision %.4f (%d/%d pairs), recall %.4f of %d linkable pairs (%.4f of all %d true pairs)",
		m.Precision, m.Correct, m.PredictedPairs, m.Recall, m.LinkablePairs, m.RecallAll, m.TruePairs)
}

// ReadTruth reads ground_truth.csv: source,key,device_id.
func ReadTruth(path string) (map[Ref]string, error) {
	return readMap(path, "device_id")
}

// ReadLinks reads a links export: asset_id,source,key.
func ReadLinks(path string) (map[Ref]string, error) {
	return readMap(path, "asset_id")
}

func readMap(path, col string) (map[Ref]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	idx := map[string]int{}
	for i, h := range head {
		idx[h] = i
	}
	for _, need := range []string{"source", "key", col} {
		if _, ok := idx[need]; !ok {
			return nil, fmt.Errorf("%s: no %q column", path, need)
		}
	}
	out := map[Ref]string{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out[Ref{rec[idx["source"]], rec[idx["key"]]}] = rec[idx[col]]
	}
}

// pairKey orders a pair of refs.
type pairKey struct{ a, b Ref }

func mk(a, b Ref) pairKey {
	if b.Source < a.Source || (b.Source == a.Source && b.Key < a.Key) {
		a, b = b, a
	}
	return pairKey{a, b}
}

// crossPairs lists the cross-source pairs within each group.
func crossPairs(groups map[string][]Ref, fn func(pairKey)) {
	for _, rs := range groups {
		for i := range rs {
			for j := i + 1; j < len(rs); j++ {
				if rs[i].Source != rs[j].Source {
					fn(mk(rs[i], rs[j]))
				}
			}
		}
	}
}

func group(m map[Ref]string) map[string][]Ref {
	g := map[string][]Ref{}
	for r, id := range m {
		if id != "" {
			g[id] = append(g[id], r)
		}
	}
	return g
}

// Score compares predicted clusters with the truth. idents, if given,
// decide which true pairs were linkable: the two records share an
// identifier, directly or through a third record of the same device.
func Score(pred, truth map[Ref]string, idents map[Ref]Ident) Metrics {
	var m Metrics
	truePairs := map[pairKey]bool{}
	crossPairs(group(truth), func(p pairKey) { truePairs[p] = true })
	m.TruePairs = len(truePairs)
	linkable := linkablePairs(truth, idents)
	m.LinkablePairs = len(linkable)
	crossPairs(group(pred), func(p pairKey) {
		m.PredictedPairs++
		if truePairs[p] {
			m.Correct++
			if linkable[p] {
				m.CorrectLinkable++
			}
		}
	})
	if m.PredictedPairs > 0 {
		m.Precision = float64(m.Correct) / float64(m.PredictedPairs)
	}
	if m.LinkablePairs > 0 {
		m.Recall = float64(m.CorrectLinkable) / float64(m.LinkablePairs)
	}
	if m.TruePairs > 0 {
		m.RecallAll = float64(m.Correct) / float64(m.TruePairs)
	}
	return m
}

// linkablePairs: within each true device, records joined by a shared
// identifier value (transitively) form linkable pairs. An IP counts only
// where no other device's record carries it (DHCP reuse is not evidence).
func linkablePairs(truth map[Ref]string, idents map[Ref]Ident) map[pairKey]bool {
	ipOwners := map[string]map[string]bool{}
	for r, dev := range truth {
		if ip := idents[r].IP; ip != "" {
			if ipOwners[ip] == nil {
				ipOwners[ip] = map[string]bool{}
			}
			ipOwners[ip][dev] = true
		}
	}
	out := map[pairKey]bool{}
	for _, rs := range group(truth) {
		if len(rs) < 2 {
			continue
		}
		parent := make([]int, len(rs))
		for i := range parent {
			parent[i] = i
		}
		var find func(int) int
		find = func(i int) int {
			for parent[i] != i {
				parent[i] = parent[parent[i]]
				i = parent[i]
			}
			return i
		}
		for i := range rs {
			for j := i + 1; j < len(rs); j++ {
				if share(idents[rs[i]], idents[rs[j]], ipOwners) {
					parent[find(i)] = find(j)
				}
			}
		}
		for i := range rs {
			for j := i + 1; j < len(rs); j++ {
				if rs[i].Source != rs[j].Source && find(i) == find(j) {
					out[mk(rs[i], rs[j])] = true
				}
			}
		}
	}
	return out
}

func share(a, b Ident, ipOwners map[string]map[string]bool) bool {
	eq := func(x, y string) bool { return x != "" && x == y }
	return eq(a.Serial, b.Serial) || eq(a.MAC, b.MAC) || eq(a.Hostname, b.Hostname) || eq(a.AssetTag, b.AssetTag) ||
		(eq(a.IP, b.IP) && len(ipOwners[a.IP]) == 1)
}

// ExactJoin is the baseline a plain spreadsheet VLOOKUP gives: records
// with the same normalised serial or the same MAC are one device.
func ExactJoin(idents map[Ref]Ident) map[Ref]string {
	refs := make([]Ref, 0, len(idents))
	for r := range idents {
		refs = append(refs, r)
	}
	parent := map[Ref]Ref{}
	var find func(Ref) Ref
	find = func(r Ref) Ref {
		p, ok := parent[r]
		if !ok || p == r {
			return r
		}
		root := find(p)
		parent[r] = root
		return root
	}
	first := map[string]Ref{}
	for _, r := range refs {
		id := idents[r]
		for _, k := range []string{"s:" + id.Serial, "m:" + id.MAC} {
			if len(k) == 2 {
				continue
			}
			if o, ok := first[k]; ok {
				parent[find(r)] = find(o)
			} else {
				first[k] = r
			}
		}
	}
	out := make(map[Ref]string, len(refs))
	for _, r := range refs {
		root := find(r)
		out[r] = root.Source + "/" + root.Key
	}
	return out
}
