package linker

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/medsec/medsec/internal/correlate"
)

// marshalLink is the reference: what the stored evidence used to be made
// with, and what readers and link hashes expect byte for byte.
func marshalLink(l *correlate.Link) string {
	rows := make([][]any, len(l.Evidence))
	for i, e := range l.Evidence {
		rows[i] = []any{e.Field, e.A, e.B, e.Agree, round2(e.Weight), e.Note}
	}
	b, _ := json.Marshal(map[string]any{"a": l.A, "b": l.B, "w": round2(l.Weight), "c": round2(l.Confidence), "d": l.Decided, "e": rows})
	return string(b)
}

func TestCompactLinkMatchesJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "serial", "00:09:fb:12:ab:cd", `quote"d`, `back\\slash`, "<tag>&amp;", "Dräger", "tab\there", "\x00\x1f", "\u2028line", string([]byte{0xff, 0xfe}), "ICU-MON-7.hosp.example.org"}
	floats := []float64{0, 1, -1, 0.5, 12.345, -7.005, 1e-7, 3e21, 100, 0.01, -0.004}
	for i := 0; i < 5000; i++ {
		l := &correlate.Link{A: r.Int64N(1 << 40), B: r.Int64N(1 << 40), Weight: floats[r.IntN(len(floats))] * float64(r.IntN(30)-10),
			Confidence: r.Float64(), Decided: r.IntN(2) == 0}
		for k := r.IntN(5); k > 0; k-- {
			l.Evidence = append(l.Evidence, correlate.Evidence{Field: strs[r.IntN(len(strs))], A: strs[r.IntN(len(strs))], B: strs[r.IntN(len(strs))],
				Agree: r.IntN(2) == 0, Weight: floats[r.IntN(len(floats))], Note: strs[r.IntN(len(strs))]})
		}
		if got, want := compactLink(l), marshalLink(l); got != want {
			t.Fatalf("link %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func BenchmarkCompactLink(b *testing.B) {
	l := &correlate.Link{A: 123456, B: 654321, Weight: 23.45, Confidence: 0.99, Evidence: []correlate.Evidence{
		{Field: "serial", A: "SN1001", B: "SN1001", Agree: true, Weight: 12.5, Note: "same serial"},
		{Field: "mac", A: "00:09:fb:12:ab:cd", B: "00:09:fb:12:ab:cd", Agree: true, Weight: 10.1, Note: ""}}}
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			compactLink(l)
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			marshalLink(l)
		}
	})
}
