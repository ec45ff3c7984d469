package groundtruth

import "testing"

func TestScore(t *testing.T) {
	c1, d1, m1 := Ref{"cmms", "BM-1"}, Ref{"cmdb", "a"}, Ref{"monitoring", "x"}
	c2, d2 := Ref{"cmms", "BM-2"}, Ref{"cmdb", "b"}
	truth := map[Ref]string{c1: "D1", d1: "D1", m1: "D1", c2: "D2", d2: "D2"}
	idents := map[Ref]Ident{c1: {Serial: "S1"}, d1: {Serial: "S1", MAC: "m1"}, m1: {MAC: "m1"}, c2: {Serial: "S2"}, d2: {}}
	// Predicted: c1+d1 linked, m1 alone, c2+d2 wrongly joined with... nothing; d1 also wrongly with c2? no.
	pred := map[Ref]string{c1: "1", d1: "1", m1: "9", c2: "2", d2: "3"}
	m := Score(pred, truth, idents)
	// True pairs: c1-d1, c1-m1, d1-m1, c2-d2 = 4; linkable: the three of D1 (c2-d2 share nothing) = 3.
	if m.TruePairs != 4 || m.LinkablePairs != 3 || m.PredictedPairs != 1 || m.Correct != 1 || m.Precision != 1 {
		t.Errorf("metrics = %+v", m)
	}
	if m.Recall < 0.333 || m.Recall > 0.334 {
		t.Errorf("recall = %v, want 1/3", m.Recall)
	}
	ej := ExactJoin(idents)
	if ej[c1] != ej[d1] || ej[d1] != ej[m1] || ej[c2] == ej[d2] {
		t.Errorf("exact join = %v", ej)
	}
}
