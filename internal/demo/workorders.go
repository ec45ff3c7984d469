package demo

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec/internal/catalog"
)

// Files of the service demo.
const (
	FileScheduleTemplates = "schedule_templates.csv"
	FileWorkOrders        = "cmms_work_orders.csv"
)

// usDateTime is how the demo CMMS writes work-order times.
const usDateTime = "01/02/2006 3:04 PM"

// criticalModalities keep the manufacturer's interval and are flagged
// critical in the templates (AEM refused).
var criticalModalities = map[string]bool{"ventilator": true, "defibrillator": true, "anesthesia_machine": true}

// demoTask is one scheduled task of a demo modality.
type demoTask struct {
	typ, interval, tolerance string
	months                   int
}

// demoTasks are the template tasks of a modality: PM at the
// manufacturer's interval, an annual electrical safety inspection (so that
// the EM-band default never applies), and a
// quarterly software & patch review when most units are networked.
func demoTasks(m catalog.Modality) []demoTask {
	months := m.PMIntervalMonths
	if months <= 0 {
		months = 12
	}
	ts := []demoTask{{"PM", strconv.Itoa(months) + " months", "30 days", months}}
	ts = append(ts, demoTask{"Electrical safety", "annual", "30 days", 12})
	if m.NetworkedFraction >= 0.5 {
		ts = append(ts, demoTask{"Software update & patch review", "quarterly", "21 days", 3})
	}
	return ts
}

// WriteScheduleTemplates writes the default schedule templates of the
// demo modalities: PM at the manufacturer's interval and an annual
// electrical safety inspection per modality, a software & patch review
// for networked modalities, flags for critical equipment, and two
// make/model overrides.
func WriteScheduleTemplates(dir string) error {
	f, err := os.Create(dir + string(os.PathSeparator) + FileScheduleTemplates)
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write([]string{"Scope", "Modality", "Manufacturer", "Model", "Task", "Interval", "Tolerance", "Basis", "Critical", "EM", "Procedure"})
	for _, m := range catalog.Modalities() {
		crit := "no"
		if criticalModalities[m.Code] {
			crit = "yes"
		}
		em := strconv.Itoa(m.EM())
		basis := "manufacturer"
		if m.EM() < 12 && !criticalModalities[m.Code] && m.PMIntervalMonths >= 12 {
			basis = "aem" // low-risk equipment on an alternative interval
		}
		for i, t := range demoTasks(m) {
			b := "manufacturer"
			if i == 0 {
				b = basis
			}
			w.Write([]string{"modality", m.Name, "", "", t.typ, t.interval, t.tolerance, b, crit, em, strings.ToUpper(strings.Fields(t.typ)[0]) + "-" + strings.ToUpper(m.Code)})
		}
	}
	// Make/model overrides: the model template wins task by task.
	for _, md := range catalog.Models() {
		if md.Modality == "infusion_pump" || md.Modality == "ventilator" {
			mod, _ := catalog.ModalityByCode(md.Modality)
			crit := "no"
			if criticalModalities[md.Modality] {
				crit = "yes"
			}
			t := demoTasks(mod)[0] // the manufacturer's own procedure, with a tighter window
			w.Write([]string{"model", mod.Name, md.Manufacturer, md.Name, "PM", t.interval, "21 days", "manufacturer", crit, "", "OEM-" + strings.ToUpper(strings.ReplaceAll(md.Name, " ", ""))})
		}
	}
	w.Flush()
	return w.Error()
}

// WOAsset is what the work-order generator needs about a device.
type WOAsset struct {
	Tag       string
	Modality  string // display name, as stored
	InService time.Time
}

// DemoPause is a pause the demo adds to a work order's clocks.
type DemoPause struct {
	WorkOrder string
	Reason    string
	Note      string
	From, To  time.Time
}

// WorkOrderSummary is what WriteWorkOrders wrote.
type WorkOrderSummary struct {
	PM, Repairs, Incidents, Pauses int
}

func tagRand(seed uint64, tag string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(tag))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// WriteWorkOrders writes a year of CMMS work orders up to now for the
// assets, as a CMMS export with US dates and times: PM per the modality's
// interval (mostly on time, some late, a few still open and overdue),
// repairs with response, on-site and restore times (a few slow enough to
// breach), and the odd security incident. Each asset's orders come from
// its own random stream, so the output depends only on seed, now and the
// asset list. It returns the pauses to add (awaiting parts, awaiting
// manufacturer validation).
func WriteWorkOrders(dir string, seed uint64, now time.Time, assets []WOAsset) (WorkOrderSummary, []DemoPause, error) {
	var sum WorkOrderSummary
	var pauses []DemoPause
	f, err := os.Create(dir + string(os.PathSeparator) + FileWorkOrders)
	if err != nil {
		return sum, nil, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<16)
	w := csv.NewWriter(bw)
	w.Write([]string{"WO Number", "Equipment ID", "WO Type", "Priority", "Date Opened", "Responded", "Arrived On Site", "Date Completed", "Result"})
	tasks := map[string][]demoTask{}
	for _, m := range catalog.Modalities() {
		tasks[strings.ToLower(m.Name)] = demoTasks(m)
	}
	sorted := append([]WOAsset(nil), assets...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Tag < sorted[j].Tag })
	now = now.UTC().Truncate(time.Minute)
	start := now.AddDate(-1, 0, 0)
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(usDateTime)
	}
	seq := 0
	write := func(key, tag, typ, prio string, opened, resp, onsite, done time.Time, result string) {
		w.Write([]string{key, tag, typ, prio, ts(opened), ts(resp), ts(onsite), ts(done), result})
	}
	for _, a := range sorted {
		r := tagRand(seed, a.Tag)
		ts, ok := tasks[strings.ToLower(a.Modality)]
		if !ok {
			ts = []demoTask{{"PM", "annual", "30 days", 12}}
		}
		for _, t := range ts {
			// Due dates every interval from a random phase, with history
			// going back two intervals before the year shown.
			from := start.AddDate(0, -2*t.months, 0)
			due := from.Add(time.Duration(r.Float64()*float64(t.months)*30*24) * time.Hour)
			due = time.Date(due.Year(), due.Month(), due.Day(), 8, 0, 0, 0, time.UTC)
			for due.Before(now) {
				seq++
				key := fmt.Sprintf("PM%07d", seq)
				opened := due.AddDate(0, 0, -7)
				var done time.Time
				result := "Pass"
				switch x := r.Float64(); {
				case x < 0.86: // on time
					done = due.Add(time.Duration(r.IntN(18*24)-9*24) * time.Hour)
				case x < 0.93: // late
					done = due.Add(time.Duration(32+r.IntN(40)) * 24 * time.Hour)
				case x < 0.95:
					done, result = due.Add(time.Duration(r.IntN(10)*24)*time.Hour), "Could not locate"
				default: // still open
				}
				if !done.IsZero() && done.After(now) {
					done = time.Time{}
				}
				if done.IsZero() {
					result = ""
				} else if result == "Pass" && r.Float64() < 0.03 {
					result = "Fail - repair opened"
				}
				write(key, a.Tag, t.typ, "3", opened, time.Time{}, time.Time{}, done, result)
				sum.PM++
				// Floating intervals: the next due date follows the
				// completion, as the schedule engine computes it.
				if !done.IsZero() && result != "Could not locate" {
					due = time.Date(done.Year(), done.Month(), done.Day(), 8, 0, 0, 0, time.UTC).AddDate(0, t.months, 0)
				} else {
					due = due.AddDate(0, t.months, 0)
				}
			}
		}
		// Repairs.
		nrep := 0
		switch x := r.Float64(); {
		case x < 0.22:
			nrep = 1
		case x < 0.27:
			nrep = 2
		}
		for range nrep {
			seq++
			key := fmt.Sprintf("CM%07d", seq)
			opened := start.Add(time.Duration(r.Int64N(int64(now.Sub(start)/time.Minute))) * time.Minute)
			resp := opened.Add(time.Duration(5+r.IntN(20)) * time.Minute)
			if r.Float64() < 0.06 {
				resp = opened.Add(time.Duration(35+r.IntN(120)) * time.Minute)
			}
			onsite := resp.Add(time.Duration(30+r.IntN(150)) * time.Minute)
			if r.Float64() < 0.06 {
				onsite = resp.Add(time.Duration(5+r.IntN(8)) * time.Hour)
			}
			done := onsite.Add(time.Duration(1+r.IntN(16)) * time.Hour)
			if r.Float64() < 0.08 {
				done = onsite.Add(time.Duration(26+r.IntN(72)) * time.Hour)
			}
			switch x := r.Float64(); {
			case x < 0.05:
				p := DemoPause{WorkOrder: key, Reason: "awaiting_parts", Note: fmt.Sprintf("PO %d, part on back order", 40000+r.IntN(9999)),
					From: onsite.Add(time.Hour), To: onsite.Add(time.Duration(24+r.IntN(96)) * time.Hour)}
				done = p.To.Add(time.Duration(1+r.IntN(6)) * time.Hour)
				pauses = append(pauses, p)
			case x < 0.07:
				p := DemoPause{WorkOrder: key, Reason: "awaiting_manufacturer_validation", Note: "vendor firmware validation pending",
					From: onsite.Add(30 * time.Minute), To: onsite.Add(time.Duration(48+r.IntN(120)) * time.Hour)}
				done = p.To.Add(time.Duration(2+r.IntN(6)) * time.Hour)
				pauses = append(pauses, p)
			}
			var zero time.Time
			if done.After(now) {
				done = zero
			}
			if onsite.After(now) {
				onsite = zero
			}
			if resp.After(now) {
				resp = zero
			}
			result := "Completed"
			if done.IsZero() {
				result = ""
			}
			write(key, a.Tag, "Repair", strconv.Itoa(1+r.IntN(3)), opened, resp, onsite, done, result)
			sum.Repairs++
		}
		if r.Float64() < 0.004 {
			seq++
			key := fmt.Sprintf("SI%07d", seq)
			opened := start.Add(time.Duration(r.Int64N(int64(now.Sub(start)/time.Minute))) * time.Minute)
			resp := opened.Add(time.Duration(10+r.IntN(90)) * time.Minute)
			onsite := resp.Add(time.Duration(1+r.IntN(4)) * time.Hour)
			done := onsite.Add(time.Duration(4+r.IntN(90)) * time.Hour)
			result := "Resolved"
			if done.After(now) {
				done, result = time.Time{}, ""
			}
			if onsite.After(now) {
				onsite = time.Time{}
			}
			if resp.After(now) {
				resp = time.Time{}
			}
			write(key, a.Tag, "Security incident", "1", opened, resp, onsite, done, result)
			sum.Incidents++
		}
	}
	sum.Pauses = len(pauses)
	w.Flush()
	if err := w.Error(); err != nil {
		return sum, nil, err
	}
	return sum, pauses, bw.Flush()
}
