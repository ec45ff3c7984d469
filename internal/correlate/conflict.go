package correlate

import "slices"

// summary is what the conflict checks need to know about a cluster, kept
// on its union-find root. Singletons have none until their first merge.
type summary struct {
	members []int32
	macs    []string // sorted, distinct
	serials []int32  // one record per distinct serial
	cmms    int      // CMMS records in the cluster
}

func (e *engine) newSummary(i int32) *summary {
	r := &e.recs[i]
	s := &summary{members: []int32{i}}
	if r.mac != "" {
		s.macs = []string{r.mac}
	}
	if r.serial != "" {
		s.serials = []int32{i}
	}
	if r.src == srcCMMS {
		s.cmms = 1
	}
	return s
}

// maxSerialChecks bounds the serial cross-check between two clusters; two
// clusters that each hold many distinct serials are not merged
// automatically (they need a human), which keeps the check linear.
const maxSerialChecks = 4096

// clusterConflict reports why clusters ra and rb (roots) must not merge,
// or "". Rejects always count; the automatic rules (two CMMS records,
// different MACs, different serials of a compatible maker) only when auto:
// a human confirm overrides them, which is how a device with two NICs is
// joined.
func (e *engine) clusterConflict(ra, rb int32, auto bool) string {
	sa, sb := e.sum(ra), e.sum(rb)
	small, other := sa, rb
	if len(sb.members) < len(sa.members) {
		small, other = sb, ra
	}
	if e.rejectedBetween(small, other) {
		return "a reviewer rejected a pair across these clusters"
	}
	if !auto {
		return ""
	}
	if sa.cmms > 0 && sb.cmms > 0 {
		return "would put two CMMS records in one device: CMMS records never merge automatically"
	}
	if macsConflict(sa.macs, sb.macs) {
		return "the clusters hold different MACs"
	}
	if len(sa.serials)*len(sb.serials) > maxSerialChecks {
		return "both clusters hold too many serials to check"
	}
	for _, x := range sa.serials {
		for _, y := range sb.serials {
			a, b := &e.recs[x], &e.recs[y]
			if a.serial != b.serial && !editDistance1(a.serial, b.serial) && compatibleMakers(a, b) {
				return "the clusters hold different serials of the same manufacturer"
			}
		}
	}
	return ""
}

// rejectedBetween reports whether a member of s has a rejected partner in
// the cluster rooted at other (rejectOf holds both directions, so scanning
// the smaller cluster suffices).
func (e *engine) rejectedBetween(s *summary, other int32) bool {
	if len(e.rejectOf) == 0 {
		return false
	}
	for _, m := range s.members {
		for _, y := range e.rejectOf[m] {
			if e.uf.find(y) == other {
				return true
			}
		}
	}
	return false
}

// macsConflict: two MAC sets conflict unless one is empty or contains the
// other (a cluster holds two MACs only after a human confirm).
func macsConflict(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	return !subset(a, b) && !subset(b, a)
}

func subset(small, big []string) bool {
	for _, m := range small {
		if _, ok := slices.BinarySearch(big, m); !ok {
			return false
		}
	}
	return true
}

// mergeSummaries folds b into a.
func (e *engine) mergeSummaries(a, b *summary) {
	a.members = append(a.members, b.members...)
	for _, m := range b.macs {
		if i, ok := slices.BinarySearch(a.macs, m); !ok {
			a.macs = slices.Insert(a.macs, i, m)
		}
	}
	for _, y := range b.serials {
		dup := false
		for _, x := range a.serials {
			if e.recs[x].serial == e.recs[y].serial {
				dup = true
				break
			}
		}
		if !dup {
			a.serials = append(a.serials, y)
		}
	}
	a.cmms += b.cmms
}
