// Package schedule holds maintenance schedule templates per modality and
// per make/model, resolves the effective tasks of an asset, computes due
// dates and statuses from completed work orders, and compliance figures.
// It is a pure engine: no I/O; callers supply rows, assets and work orders.
package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// TaskType is a kind of scheduled maintenance task.
type TaskType string

const (
	TaskPM             TaskType = "preventive_maintenance"
	TaskCalibration    TaskType = "calibration"
	TaskInspection     TaskType = "electrical_safety_inspection" // inspection / electrical safety
	TaskSoftwareReview TaskType = "software_patch_review"        // software update & patch review
	TaskCyberCheck     TaskType = "cybersecurity_check"
)

// TaskTypes lists the task types in display order.
var TaskTypes = []TaskType{TaskPM, TaskCalibration, TaskInspection, TaskSoftwareReview, TaskCyberCheck}

var taskAliases = map[string]TaskType{
	"pm": TaskPM, "preventive maintenance": TaskPM, "preventive": TaskPM, "preventative maintenance": TaskPM, "ppm": TaskPM,
	"planned maintenance": TaskPM, "scheduled maintenance": TaskPM,
	"calibration": TaskCalibration, "cal": TaskCalibration, "calibrate": TaskCalibration,
	"inspection": TaskInspection, "electrical safety": TaskInspection, "electrical safety inspection": TaskInspection,
	"esi": TaskInspection, "est": TaskInspection, "safety inspection": TaskInspection, "safety test": TaskInspection, "si": TaskInspection,
	"software": TaskSoftwareReview, "software update": TaskSoftwareReview, "patch review": TaskSoftwareReview,
	"software update & patch review": TaskSoftwareReview, "software update and patch review": TaskSoftwareReview,
	"software patch review": TaskSoftwareReview, "patch": TaskSoftwareReview, "sw update": TaskSoftwareReview,
	"cybersecurity": TaskCyberCheck, "cybersecurity check": TaskCyberCheck, "cyber": TaskCyberCheck, "cyber check": TaskCyberCheck,
	"security check": TaskCyberCheck, "security review": TaskCyberCheck,
}

// ParseTaskType reads a task type as templates and CMMS work-order types
// write it ("PM", "ESI", "Calibration", "patch review", or the canonical
// names).
func ParseTaskType(s string) (TaskType, error) {
	k := normKey(strings.ReplaceAll(s, "_", " "))
	for _, t := range TaskTypes {
		if k == normKey(strings.ReplaceAll(string(t), "_", " ")) {
			return t, nil
		}
	}
	if t, ok := taskAliases[k]; ok {
		return t, nil
	}
	return "", fmt.Errorf("unknown task type %q; use PM, calibration, inspection (electrical safety), software update & patch review, or cybersecurity check", s)
}

// Interval is a calendar interval: months (so "annual" stays on the same
// day of the month) plus days.
type Interval struct {
	Months int `json:"months,omitempty"`
	Days   int `json:"days,omitempty"`
}

// Common intervals.
var (
	Monthly    = Interval{Months: 1}
	Quarterly  = Interval{Months: 3}
	SemiAnnual = Interval{Months: 6}
	Annual     = Interval{Months: 12}
)

// IsZero reports an empty interval.
func (i Interval) IsZero() bool { return i.Months == 0 && i.Days == 0 }

func (i Interval) String() string {
	switch {
	case i.IsZero():
		return "0 days"
	case i.Days == 0 && i.Months%12 == 0:
		return plural(i.Months/12, "year")
	case i.Days == 0:
		return plural(i.Months, "month")
	case i.Months == 0:
		return plural(i.Days, "day")
	}
	return plural(i.Months, "month") + " " + plural(i.Days, "day")
}

func plural(n int, w string) string {
	if n == 1 {
		return "1 " + w
	}
	return strconv.Itoa(n) + " " + w + "s"
}

// AddTo returns t + i. Months are added with the day clamped to the end of
// the target month (31 Jan + 1 month = 28/29 Feb), then days are added.
func (i Interval) AddTo(t time.Time) time.Time {
	return i.apply(t, 1)
}

// SubFrom returns t − i, clamping like AddTo.
func (i Interval) SubFrom(t time.Time) time.Time {
	return i.apply(t, -1)
}

func (i Interval) apply(t time.Time, sign int) time.Time {
	if i.Months != 0 {
		y, m, d := t.Date()
		first := time.Date(y, m+time.Month(sign*i.Months), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		d = min(d, last)
		h, mi, s := t.Clock()
		t = time.Date(first.Year(), first.Month(), d, h, mi, s, t.Nanosecond(), t.Location())
	}
	if i.Days != 0 {
		t = t.AddDate(0, 0, sign*i.Days)
	}
	return t
}

var namedIntervals = map[string]Interval{
	"daily": {Days: 1}, "weekly": {Days: 7}, "biweekly": {Days: 14}, "fortnightly": {Days: 14},
	"monthly": Monthly, "bimonthly": {Months: 2}, "quarterly": Quarterly,
	"semi-annual": SemiAnnual, "semiannual": SemiAnnual, "semi-annually": SemiAnnual, "semiannually": SemiAnnual,
	"half-yearly": SemiAnnual, "twice a year": SemiAnnual,
	"annual": Annual, "annually": Annual, "yearly": Annual,
	"biennial": {Months: 24}, "biennially": {Months: 24}, "every 2 years": {Months: 24},
}

// ParseInterval reads an interval: a name (monthly, quarterly,
// semi-annual, annual, biennial…), a count with a unit ("12 months",
// "6mo", "1y", "90 days", "2w"), or a bare number of months ("12"), the
// usual meaning of a CMMS PM-frequency column.
func ParseInterval(s string) (Interval, error) {
	k := normKey(s)
	if k == "" {
		return Interval{}, fmt.Errorf("empty interval")
	}
	if i, ok := namedIntervals[k]; ok {
		return i, nil
	}
	k = strings.TrimPrefix(k, "every ")
	j := 0
	for j < len(k) && k[j] >= '0' && k[j] <= '9' {
		j++
	}
	n, err := strconv.Atoi(k[:j])
	if err != nil || n <= 0 {
		return Interval{}, fmt.Errorf("cannot read interval %q; use e.g. annual, 6 months, 90 days", s)
	}
	switch strings.TrimSpace(k[j:]) {
	case "", "m", "mo", "mos", "mon", "month", "months":
		return Interval{Months: n}, nil
	case "y", "yr", "yrs", "year", "years":
		return Interval{Months: 12 * n}, nil
	case "d", "day", "days":
		return Interval{Days: n}, nil
	case "w", "wk", "wks", "week", "weeks":
		return Interval{Days: 7 * n}, nil
	}
	return Interval{}, fmt.Errorf("cannot read interval %q: unknown unit %q", s, strings.TrimSpace(k[j:]))
}

// Basis says where a task's interval comes from.
type Basis string

const (
	// BasisManufacturer: the manufacturer's recommended interval.
	BasisManufacturer Basis = "manufacturer"
	// BasisAEM: an alternative equipment maintenance interval chosen by the
	// HDO; refused for critical equipment, imaging and lasers.
	BasisAEM Basis = "aem"
	// BasisEMDefault: derived from the asset's EM number band.
	BasisEMDefault Basis = "em_default"
)

// Task is one scheduled task of a template: how often, how much leeway
// either side of the due date, and on what basis.
type Task struct {
	Type      TaskType `json:"type"`
	Interval  Interval `json:"interval"`
	Tolerance Interval `json:"tolerance"` // completion within due ± tolerance is on time
	Basis     Basis    `json:"basis"`
	Procedure string   `json:"procedure,omitempty"`
}

// normKey lower-cases, trims and collapses internal spaces.
func normKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace), " ")
}
