package schedule

import (
	"fmt"
	"strings"
	"time"
)

// WorkOrder is a CMMS work order. Zero times mean "not recorded".
type WorkOrder struct {
	Key       string    `json:"key"`
	AssetKey  string    `json:"asset_key"` // CMMS control number of the asset
	Type      string    `json:"type"`      // as the CMMS writes it: PM, Repair, ESI…
	Priority  string    `json:"priority"`
	Opened    time.Time `json:"opened"`
	Responded time.Time `json:"responded,omitzero"`
	OnSite    time.Time `json:"on_site,omitzero"`
	Completed time.Time `json:"completed,omitzero"`
	Result    string    `json:"result"` // pass, fail, completed, cancelled, could not locate…
}

// notDone are results that close a work order without doing the work.
var notDone = []string{"cancel", "not located", "could not locate", "unable to locate", "not found", "deferred", "void", "duplicate"}

// NotDoneResults returns the result substrings (lower case) that close a
// work order without the work being done, for callers that filter in SQL.
func NotDoneResults() []string { return append([]string(nil), notDone...) }

// Done reports whether the work order records work actually performed: it
// has a completion time and its result is not a cancellation, a
// could-not-locate or a deferral. A failed test is done (the device then
// needs a repair, but the PM happened).
func (w WorkOrder) Done() bool {
	if w.Completed.IsZero() {
		return false
	}
	r := strings.ToLower(w.Result)
	for _, nd := range notDone {
		if strings.Contains(r, nd) {
			return false
		}
	}
	return true
}

// Task returns the scheduled task type the work order performs, if any
// (repairs are not scheduled tasks).
func (w WorkOrder) Task() (TaskType, bool) {
	t, err := ParseTaskType(w.Type)
	return t, err == nil
}

// Problem is something wrong with a work order. Nothing is dropped
// silently: every work order left out of the valid set has a Problem.
type Problem struct {
	WorkOrder string `json:"work_order"`
	AssetKey  string `json:"asset_key,omitempty"`
	Field     string `json:"field"`
	Message   string `json:"message"`
	Dropped   bool   `json:"dropped"` // the work order was left out of the valid set
}

func (p Problem) String() string {
	d := "warning"
	if p.Dropped {
		d = "dropped"
	}
	return fmt.Sprintf("work order %s (%s): %s", p.WorkOrder, d, p.Message)
}

// CheckWorkOrders returns the work orders whose asset is in known, and a
// Problem for each that is not (unknown asset, missing key or asset,
// duplicate key) and, as warnings that do not drop the order, for times out
// of order (responded, on site or completed before opened).
func CheckWorkOrders(wos []WorkOrder, known map[string]bool) ([]WorkOrder, []Problem) {
	valid := make([]WorkOrder, 0, len(wos))
	var probs []Problem
	seen := make(map[string]bool, len(wos))
	for i, w := range wos {
		id := w.Key
		if id == "" {
			id = fmt.Sprintf("#%d", i+1)
		}
		drop := func(field, msg string) {
			probs = append(probs, Problem{WorkOrder: id, AssetKey: w.AssetKey, Field: field, Message: msg, Dropped: true})
		}
		switch {
		case w.Key == "":
			drop("key", fmt.Sprintf("work order %d in the input has no key", i+1))
			continue
		case seen[w.Key]:
			drop("key", "duplicate work-order key; the first occurrence is kept")
			continue
		case w.AssetKey == "":
			drop("asset", "no asset key")
			continue
		case !known[w.AssetKey]:
			drop("asset", fmt.Sprintf("asset %q is not in the asset inventory", w.AssetKey))
			continue
		}
		seen[w.Key] = true
		for _, f := range []struct {
			name string
			t    time.Time
		}{{"responded", w.Responded}, {"on_site", w.OnSite}, {"completed", w.Completed}} {
			if !f.t.IsZero() && !w.Opened.IsZero() && f.t.Before(w.Opened) {
				probs = append(probs, Problem{WorkOrder: id, AssetKey: w.AssetKey, Field: f.name,
					Message: fmt.Sprintf("%s %s is before opened %s", f.name, f.t.Format(time.RFC3339), w.Opened.Format(time.RFC3339))})
			}
		}
		valid = append(valid, w)
	}
	return valid, probs
}
