package web

import "encoding/json"

// evidenceItem and evidenceLink mirror the correlation engine's Evidence
// and Link as stored in JSON, for display.
type evidenceItem struct {
	Field  string
	A, B   string
	Agree  bool
	Weight float64
	Note   string
}

type evidenceLink struct {
	A, B       int64
	Weight     float64
	Confidence float64
	Evidence   []evidenceItem
	Decided    bool
}

// storedLink is the compact form the linker writes on each record: the one
// link that attached it, evidence as [field, a, b, agrees, weight, note].
type storedLink struct {
	A int64   `json:"a"`
	B int64   `json:"b"`
	W float64 `json:"w"`
	C float64 `json:"c"`
	D bool    `json:"d"`
	E [][]any `json:"e"`
}

func parseLinks(raw json.RawMessage) []evidenceLink {
	if len(raw) == 0 {
		return nil
	}
	var s storedLink
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil
	}
	l := evidenceLink{A: s.A, B: s.B, Weight: s.W, Confidence: s.C, Decided: s.D}
	for _, row := range s.E {
		if len(row) < 6 {
			continue
		}
		e := evidenceItem{}
		e.Field, _ = row[0].(string)
		e.A, _ = row[1].(string)
		e.B, _ = row[2].(string)
		e.Agree, _ = row[3].(bool)
		e.Weight, _ = row[4].(float64)
		e.Note, _ = row[5].(string)
		l.Evidence = append(l.Evidence, e)
	}
	return []evidenceLink{l}
}
