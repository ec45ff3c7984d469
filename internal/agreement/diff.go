package agreement

import (
	"fmt"
	"strings"

	"github.com/medsec/medsec/internal/raci"
)

// Change is one readable difference between two agreement versions.
type Change struct {
	Section string `json:"section"`
	Text    string `json:"text"`
}

// Diff lists what changes from a to b, field by field, then the RACI
// changes (raci.Diff).
func Diff(a, b Agreement) []Change {
	var out []Change
	add := func(sec, format string, args ...any) {
		out = append(out, Change{Section: sec, Text: fmt.Sprintf(format, args...)})
	}
	field := func(sec, name, x, y string) {
		if x != y {
			add(sec, "%s: %s → %s", name, orDash(x), orDash(y))
		}
	}
	field("Agreement", "Title", a.Title, b.Title)
	field("Parties", "Hospital", a.Hospital, b.Hospital)
	field("Parties", "Service provider", a.Provider, b.Provider)
	field("Term", "Effective date", a.EffectiveDate, b.EffectiveDate)
	field("Term", "Term (months)", fmt.Sprint(a.TermMonths), fmt.Sprint(b.TermMonths))
	field("Term", "Review cadence", a.ReviewCadence, b.ReviewCadence)
	list := func(sec, what string, x, y []string) {
		in := func(xs []string, v string) bool {
			for _, s := range xs {
				if strings.EqualFold(s, v) {
					return true
				}
			}
			return false
		}
		for _, v := range y {
			if !in(x, v) {
				add(sec, "%s added: %s", what, v)
			}
		}
		for _, v := range x {
			if !in(y, v) {
				add(sec, "%s removed: %s", what, v)
			}
		}
	}
	list("Scope", "Facility", a.Scope.Facilities, b.Scope.Facilities)
	list("Scope", "Modality", a.Scope.Modalities, b.Scope.Modalities)
	list("Scope", "Asset", a.Scope.Assets, b.Scope.Assets)

	sched := func(rs []ScheduleRule) map[string]ScheduleRule {
		m := map[string]ScheduleRule{}
		for _, r := range rs {
			m[strings.ToLower(r.Modality)] = r
		}
		return m
	}
	sa, sb := sched(a.Schedule), sched(b.Schedule)
	for _, r := range b.Schedule {
		name := orDefault(r.Modality)
		old, ok := sa[strings.ToLower(r.Modality)]
		switch {
		case !ok:
			add("Schedule", "Schedule added for %s: %s", name, r.Interval)
		default:
			field("Schedule", name+" interval", old.Interval, r.Interval)
			field("Schedule", name+" tasks", old.Tasks, r.Tasks)
		}
	}
	for _, r := range a.Schedule {
		if _, ok := sb[strings.ToLower(r.Modality)]; !ok {
			add("Schedule", "Schedule removed for %s", orDefault(r.Modality))
		}
	}

	slaA := map[string]SLARow{}
	for _, r := range a.SLA {
		slaA[r.Event] = r
	}
	slaB := map[string]bool{}
	for _, r := range b.SLA {
		slaB[r.Event] = true
		old, ok := slaA[r.Event]
		if !ok {
			add("Service levels", "Service level added: %s", r.Event)
			continue
		}
		field("Service levels", r.Event+" response", old.Response, r.Response)
		field("Service levels", r.Event+" on site", old.OnSite, r.OnSite)
		field("Service levels", r.Event+" resolve", old.Resolve, r.Resolve)
	}
	for _, r := range a.SLA {
		if !slaB[r.Event] {
			add("Service levels", "Service level removed: %s", r.Event)
		}
	}
	field("Risk management", "Access to monitoring tools", a.Commitments.MonitoringAccess, b.Commitments.MonitoringAccess)
	field("Risk management", "Scoring method", a.Commitments.ScoringMethod, b.Commitments.ScoringMethod)
	field("Risk management", "Reporting cadence", a.Commitments.ReportingCadence, b.Commitments.ReportingCadence)
	for _, c := range b.Contacts {
		old := a.contact(c.Party)
		field("Contacts", c.Party+" role", old.Role, c.Role)
		field("Contacts", c.Party+" e-mail", old.Email, c.Email)
	}
	for _, c := range raci.Diff(a.RACI, b.RACI) {
		add("Responsibilities", "%s", c.Text)
	}
	return out
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func orDefault(modality string) string {
	if modality == "" {
		return "all other modalities"
	}
	return modality
}
