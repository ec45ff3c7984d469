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

func parseLinks(raw json.RawMessage) []evidenceLink {
	var out []evidenceLink
	if len(raw) == 0 {
		return nil
	}
	json.Unmarshal(raw, &out)
	return out
}
