package schedule

import (
	"fmt"
	"slices"
	"time"
)

// Status is where a scheduled task stands at the evaluation time.
type Status string

const (
	// StatusNotYetDue: no completion on record and the first window has
	// not opened yet.
	StatusNotYetDue Status = "not_yet_due"
	// StatusDue: the window (due ± tolerance) is open and the task has not
	// been done in it.
	StatusDue Status = "due"
	// StatusOverdue: the window closed without a completion.
	StatusOverdue Status = "overdue"
	// StatusCompletedOnTime: the last completion fell within its window
	// (or before it: early work restarts the interval) and the next
	// window has not opened.
	StatusCompletedOnTime Status = "completed_on_time"
	// StatusCompletedLate: the last completion came after its window
	// closed; the next window has not opened.
	StatusCompletedLate Status = "completed_late"
)

// DueResult is the schedule position of one task of one asset.
type DueResult struct {
	Asset Asset         `json:"asset"`
	Task  EffectiveTask `json:"task"`
	// Due is the next due date; WindowStart/WindowEnd its tolerance window.
	Due         time.Time `json:"due,omitzero"`
	WindowStart time.Time `json:"window_start,omitzero"`
	WindowEnd   time.Time `json:"window_end,omitzero"`
	Status      Status    `json:"status"`
	// LastCompleted and LastWorkOrder identify the completion the status
	// rests on; LastDue is the due date that completion answered.
	LastCompleted time.Time `json:"last_completed,omitzero"`
	LastWorkOrder string    `json:"last_work_order,omitempty"`
	LastDue       time.Time `json:"last_due,omitzero"`
	Explanation   string    `json:"explanation"`
}

const dateFmt = "2006-01-02"

// Due computes the task's next due date and status at asOf. Intervals
// float: the next due date is the last completion plus the interval
// (the first is in-service plus the interval). Only completions of this
// asset and task type that are Done and not after asOf count; others in
// completions are ignored, so the caller may pass all of an asset's work
// orders.
func Due(a Asset, t EffectiveTask, completions []WorkOrder, asOf time.Time) DueResult {
	r := DueResult{Asset: a, Task: t}
	var done []WorkOrder
	for _, w := range completions {
		if w.AssetKey != a.Key || !w.Done() || w.Completed.After(asOf) {
			continue
		}
		if tt, ok := w.Task(); ok && tt == t.Type {
			done = append(done, w)
		}
	}
	slices.SortFunc(done, func(x, y WorkOrder) int { return x.Completed.Compare(y.Completed) })

	window := func(due time.Time) (time.Time, time.Time) {
		return t.Tolerance.SubFrom(due), t.Tolerance.AddTo(due)
	}
	var anchor time.Time
	anchorWhy := ""
	if len(done) > 0 {
		last := done[len(done)-1]
		r.LastCompleted, r.LastWorkOrder = last.Completed, last.Key
		// The due date the last completion answered.
		switch {
		case len(done) >= 2:
			r.LastDue = t.Interval.AddTo(done[len(done)-2].Completed)
		case !a.InService.IsZero():
			r.LastDue = t.Interval.AddTo(a.InService)
		}
		anchor = last.Completed
		anchorWhy = fmt.Sprintf("last completed %s (work order %s)", last.Completed.Format(dateFmt), last.Key)
	} else if !a.InService.IsZero() {
		anchor = a.InService
		anchorWhy = fmt.Sprintf("no completion on record; in service %s", a.InService.Format(dateFmt))
	} else {
		r.Status = StatusDue
		r.Due = asOf
		r.WindowStart, r.WindowEnd = asOf, asOf
		r.Explanation = fmt.Sprintf("%s for asset %s: no completion on record and no in-service date, so due now (%s)", t.Type, a.Key, t.Explanation)
		return r
	}
	r.Due = t.Interval.AddTo(anchor)
	r.WindowStart, r.WindowEnd = window(r.Due)
	head := fmt.Sprintf("%s for asset %s every %s ± %s (%s); %s; next due %s (window %s to %s)",
		t.Type, a.Key, t.Interval, t.Tolerance, t.Source, anchorWhy, r.Due.Format(dateFmt), r.WindowStart.Format(dateFmt), r.WindowEnd.Format(dateFmt))
	switch {
	case asOf.After(r.WindowEnd):
		r.Status = StatusOverdue
		r.Explanation = fmt.Sprintf("%s; OVERDUE by %d days at %s", head, int(asOf.Sub(r.WindowEnd).Hours()/24), asOf.Format(dateFmt))
	case !asOf.Before(r.WindowStart):
		r.Status = StatusDue
		r.Explanation = fmt.Sprintf("%s; DUE: window open at %s", head, asOf.Format(dateFmt))
	case r.LastCompleted.IsZero():
		r.Status = StatusNotYetDue
		r.Explanation = fmt.Sprintf("%s; not yet due at %s", head, asOf.Format(dateFmt))
	case r.LastDue.IsZero():
		r.Status = StatusCompletedOnTime
		r.Explanation = fmt.Sprintf("%s; first completion on record, counted on time (no earlier due date known)", head)
	default:
		_, end := window(r.LastDue)
		if r.LastCompleted.After(end) {
			r.Status = StatusCompletedLate
			r.Explanation = fmt.Sprintf("%s; last completion was LATE: due %s, window closed %s, completed %s",
				head, r.LastDue.Format(dateFmt), end.Format(dateFmt), r.LastCompleted.Format(dateFmt))
		} else {
			r.Status = StatusCompletedOnTime
			r.Explanation = fmt.Sprintf("%s; last completion on time: due %s, window closed %s, completed %s",
				head, r.LastDue.Format(dateFmt), end.Format(dateFmt), r.LastCompleted.Format(dateFmt))
		}
	}
	return r
}
