package correlate

import (
	"slices"
	"strings"
)

// loadDecisions indexes the human decisions by record index. Decisions on
// unknown IDs or on a record with itself are ignored. When the same pair is
// both confirmed and rejected, the reject wins (see applyConfirms).
func (e *engine) loadDecisions(ds []Decision) {
	if len(ds) == 0 {
		return
	}
	e.byID = make(map[int64]int32, len(e.recs))
	for i := range e.recs {
		if _, dup := e.byID[e.recs[i].id]; !dup {
			e.byID[e.recs[i].id] = int32(i)
		}
	}
	e.rejects = map[uint64]bool{}
	e.rejectOf = map[int32][]int32{}
	e.decided = map[uint64]Decision{}
	for _, d := range ds {
		a, okA := e.byID[d.A]
		b, okB := e.byID[d.B]
		if !okA || !okB || a == b {
			continue
		}
		k := pairKey(a, b)
		switch DecisionKind(strings.ToLower(strings.TrimSpace(string(d.Kind)))) {
		case Confirm:
			e.confirms = append(e.confirms, k)
			if _, seen := e.decided[k]; !seen {
				e.decided[k] = d
			}
		case Reject:
			if !e.rejects[k] {
				e.rejects[k] = true
				e.rejectOf[a] = append(e.rejectOf[a], b)
				e.rejectOf[b] = append(e.rejectOf[b], a)
			}
		}
	}
	slices.Sort(e.confirms)
	e.confirms = slices.Compact(e.confirms)
}

// applyConfirms links every confirmed pair before any automatic link, so a
// human merge overrides the automatic conflict rules (two CMMS records,
// two MACs of a multi-NIC device, different serials). A confirm never
// overrides a reject: a confirm on a rejected pair, or one that would put a
// rejected pair into one cluster (directly or through other confirms), is
// not applied and goes to review instead. Confirms are applied in (A, B)
// record order, so which of two contradicting confirms is dropped is
// deterministic.
func (e *engine) applyConfirms() {
	for _, k := range e.confirms {
		a, b := unpair(k)
		if e.rejects[k] {
			e.addReview(a, b, "confirmed and rejected: the reject wins")
			continue
		}
		joined, c := e.union(a, b, false)
		switch {
		case joined:
			e.joined = append(e.joined, joinedLink{a: a, b: b, decided: true})
		case c != "":
			e.addReview(a, b, "confirm contradicts a reject ("+c+"): the reject wins")
		}
	}
}

// decisionEvidence explains a human-confirmed link.
func (e *engine) decisionEvidence(a, b int32) Evidence {
	d := e.decided[pairKey(a, b)]
	note := "confirmed by a reviewer"
	if d.By != "" {
		note = "confirmed by " + d.By
	}
	if d.Reason != "" {
		note += ": " + d.Reason
	}
	return Evidence{Field: "decision", Agree: true, Note: note}
}
