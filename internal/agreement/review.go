package agreement

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/assess"
	"github.com/medsec/medsec/internal/doc"
	"github.com/medsec/medsec/internal/sla"
	"github.com/medsec/medsec/internal/store"
)

// Review is the periodic review pack's figures for a period.
type Review struct {
	From, To string // YYYY-MM-DD, inclusive

	CoverageTrend []store.CoverageRow `json:"coverage_trend"`
	Coverage      *store.CoverageRow  `json:"coverage,omitempty"` // the last run on or before To
	Milestones    []Milestone         `json:"milestones"`

	Inventory []store.InventoryChange `json:"inventory"`

	// PMNote and SLANote explain why PM completion and SLA adherence are
	// missing when work orders and SLA clocks are not in this database.
	PMNote      string `json:"pm_note,omitempty"`
	PMTotal     int    `json:"pm_total"`
	PMCompleted int    `json:"pm_completed"`
	SLANote     string `json:"sla_note,omitempty"`
	// SLA is the SLA report of the events started in the period (from
	// internal/service), one entry per tier and event type, with its
	// breaches; nil when it is not available.
	SLA         []sla.ReportEntry `json:"sla"`
	SLAEvents   int               `json:"sla_events"`
	SLAMet      int               `json:"sla_met"`
	SLABreached int               `json:"sla_breached"`

	OpenFindings []DecisionAges `json:"open_findings"`
	OpenTotal    int            `json:"open_total"`

	Remediated int     `json:"remediated"`
	MTTRDays   float64 `json:"mttr_days"` // mean (status_at − first_seen) of findings remediated in the period

	RiskTiers []store.LabelCount    `json:"risk_tiers"` // now; nil when scoring is not there yet
	RiskTrend []store.SnapshotValue `json:"risk_trend"` // daily snapshots in the period

	Expiring      []store.FindingAge `json:"expiring"` // risk acceptances ending in the period or the 90 days after
	ExpiringUntil string             `json:"expiring_until"`
	// Exceptions are risk exceptions (work orders' part) ending in the same window.
	Exceptions []store.ExpiringException `json:"exceptions"`

	Legacy []store.LabelCount `json:"legacy"` // nil when support data is not there yet
}

// Milestone is a correlation milestone with the coverage reached.
type Milestone struct {
	store.Target
	ActualCMDB float64 `json:"actual_cmdb"`
	ActualMon  float64 `json:"actual_monitoring"`
	Status     string  `json:"status"` // met, missed, upcoming, no data
}

// AgeBuckets are the age bands of open findings, in days.
var AgeBuckets = []string{"0–30 days", "31–90 days", "91–180 days", "over 180 days"}

// DecisionAges counts open findings of one SSVC decision per age band.
type DecisionAges struct {
	Decision string `json:"decision"`
	Ages     [4]int `json:"ages"`
	Total    int    `json:"total"`
}

func bucket(days float64) int {
	switch {
	case days <= 30:
		return 0
	case days <= 90:
		return 1
	case days <= 180:
		return 2
	}
	return 3
}

func parseStamp(s string) (time.Time, bool) {
	for _, f := range []string{store.TimeFormat, time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(f, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ParsePeriod reads two YYYY-MM-DD dates; empty ones default to the last
// 90 days up to today.
func ParsePeriod(from, to string, now time.Time) (time.Time, time.Time, error) {
	t1 := now.UTC().Truncate(24 * time.Hour)
	if to != "" {
		var err error
		if t1, err = time.Parse("2006-01-02", to); err != nil {
			return time.Time{}, time.Time{}, medsec.Errorf(medsec.EINVALID, "The end date %q must be YYYY-MM-DD.", to)
		}
	}
	t0 := t1.AddDate(0, 0, -89)
	if from != "" {
		var err error
		if t0, err = time.Parse("2006-01-02", from); err != nil {
			return time.Time{}, time.Time{}, medsec.Errorf(medsec.EINVALID, "The start date %q must be YYYY-MM-DD.", from)
		}
	}
	if t1.Before(t0) {
		return time.Time{}, time.Time{}, medsec.Errorf(medsec.EINVALID, "The period ends (%s) before it starts (%s).", t1.Format("2006-01-02"), t0.Format("2006-01-02"))
	}
	return t0, t1, nil
}

// BuildReview computes the review pack for the days from..to (inclusive).
func BuildReview(ctx context.Context, st *store.Store, from, to time.Time) (*Review, error) {
	r := &Review{From: from.Format("2006-01-02"), To: to.Format("2006-01-02")}
	lo, hi := from.UTC().Format(store.TimeFormat), to.UTC().AddDate(0, 0, 1).Format(store.TimeFormat)
	end := to.UTC().AddDate(0, 0, 1)

	hist, err := st.CoverageHistory(ctx)
	if err != nil {
		return nil, err
	}
	for i := range hist {
		h := hist[i]
		if h.At < hi {
			r.Coverage = &hist[i]
			if h.At >= lo {
				r.CoverageTrend = append(r.CoverageTrend, h)
			}
		}
	}
	targets, err := st.Targets(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range targets {
		m := Milestone{Target: t, Status: "no data"}
		dueEnd := t.Due + "T23:59:59.999999Z"
		var at *store.CoverageRow
		for i := range hist {
			if hist[i].At <= dueEnd && hist[i].At < hi {
				at = &hist[i]
			}
		}
		if at != nil {
			m.ActualCMDB, m.ActualMon = at.PctCMDB, at.PctMon
			switch {
			case t.Due > r.To:
				m.Status = "upcoming"
			case at.PctCMDB >= t.PctCMDB && at.PctMon >= t.PctMon:
				m.Status = "met"
			default:
				m.Status = "missed"
			}
		} else if t.Due > r.To {
			m.Status = "upcoming"
		}
		r.Milestones = append(r.Milestones, m)
	}
	if r.Inventory, err = st.InventoryChanges(ctx, lo, hi); err != nil {
		return nil, err
	}
	r.PMNote, r.SLANote = serviceNotes(ctx, st)
	if total, done, ok, err := st.PMCompletion(ctx, lo, hi); err != nil {
		return nil, err
	} else if ok {
		r.PMTotal, r.PMCompleted = total, done
		r.PMNote = fmt.Sprintf("%d of %d preventive-maintenance work orders opened in the period are completed.", done, total)
		if total > 0 {
			r.PMNote = fmt.Sprintf("%d of %d preventive-maintenance work orders opened in the period are completed (%s).", done, total, pct(100*float64(done)/float64(total)))
		}
	}

	if err := r.slaAdherence(ctx, st, from.UTC(), end); err != nil {
		return nil, err
	}

	open, err := st.OpenFindingAges(ctx)
	if err != nil {
		return nil, err
	}
	byDec := map[string]*DecisionAges{}
	for _, f := range open {
		fs, ok := parseStamp(f.FirstSeen)
		if !ok || !fs.Before(end) {
			continue // not yet seen at the end of the period
		}
		d := f.Decision
		if d == "" {
			d = "Not decided"
		}
		x := byDec[d]
		if x == nil {
			x = &DecisionAges{Decision: d}
			byDec[d] = x
		}
		x.Ages[bucket(end.Sub(fs).Hours()/24)]++
		x.Total++
		r.OpenTotal++
	}
	for _, d := range []string{"Immediate", "Out-of-Cycle", "Scheduled", "Defer"} {
		for k, x := range byDec {
			if strings.EqualFold(k, d) || strings.EqualFold(strings.ReplaceAll(k, "_", "-"), d) {
				r.OpenFindings = append(r.OpenFindings, *x)
				delete(byDec, k)
			}
		}
	}
	var rest []string
	for k := range byDec {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		r.OpenFindings = append(r.OpenFindings, *byDec[k])
	}

	rem, err := st.RemediatedFindings(ctx, lo, hi)
	if err != nil {
		return nil, err
	}
	var sum float64
	for _, f := range rem {
		a, ok1 := parseStamp(f.FirstSeen)
		b, ok2 := parseStamp(f.StatusAt)
		if !ok1 || !ok2 {
			continue
		}
		sum += b.Sub(a).Hours() / 24
		r.Remediated++
	}
	if r.Remediated > 0 {
		r.MTTRDays = sum / float64(r.Remediated)
	}
	if r.RiskTiers, err = st.RiskTierCounts(ctx); err != nil {
		return nil, err
	}
	if r.RiskTrend, err = st.Snapshots(ctx, MetricRiskTier, r.From, r.To); err != nil {
		return nil, err
	}
	r.ExpiringUntil = to.AddDate(0, 0, 90).Format("2006-01-02")
	if r.Expiring, err = st.ExpiringAcceptances(ctx, r.From, r.ExpiringUntil); err != nil {
		return nil, err
	}
	if r.Exceptions, _, err = st.ExpiringExceptions(ctx, r.From, r.ExpiringUntil); err != nil {
		return nil, err
	}
	if r.Legacy, err = st.LegacyCounts(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// serviceNotes says what is missing for PM completion and SLA adherence.
func serviceNotes(ctx context.Context, st *store.Store) (pm, slaNote string) {
	pm = "Not available yet: work orders and PM schedules are not in this database."
	slaNote = "Not available yet: SLA clocks are not in this database."
	if lv, _ := serviceLevels(); lv == nil && st.HasTable(ctx, "work_orders") {
		slaNote = "SLA adherence is on the Service levels page; this build does not link the service levels into the review pack."
	}
	return pm, slaNote
}

// slaAdherence fills the SLA figures: the service package's SLA report of
// the events started in [from, end), evaluated now, summed per tier and
// event type. An event counts as met or breached once its clocks decide;
// the rest are still running.
func (r *Review) slaAdherence(ctx context.Context, st *store.Store, from, end time.Time) error {
	lv, _ := serviceLevels()
	if lv == nil || !st.HasTable(ctx, "work_orders") {
		return nil
	}
	entries, err := lv.SLAReport(ctx, st, from, end, st.Now())
	if err != nil {
		return fmt.Errorf("SLA report: %w", err)
	}
	r.SLA = entries
	if r.SLA == nil {
		r.SLA = []sla.ReportEntry{}
	}
	for _, e := range entries {
		r.SLAEvents += e.Total
		r.SLAMet += e.Met
		r.SLABreached += e.Breached
	}
	switch {
	case r.SLAEvents == 0:
		r.SLANote = "No SLA event (work order, finding triage or patch) started in the period."
	case r.SLAMet+r.SLABreached == 0:
		r.SLANote = fmt.Sprintf("%d SLA events started in the period; none has met or breached its targets yet.", r.SLAEvents)
	default:
		r.SLANote = fmt.Sprintf("%d SLA events started in the period: %d met, %d breached, %d still running; adherence %s of the decided events.",
			r.SLAEvents, r.SLAMet, r.SLABreached, r.SLAEvents-r.SLAMet-r.SLABreached, pct(100*float64(r.SLAMet)/float64(r.SLAMet+r.SLABreached)))
	}
	return nil
}

// slaBlocks renders the SLA adherence section: the summary, a table and
// a stacked chart per tier and event type.
func (r *Review) slaBlocks() []doc.Block {
	blocks := []doc.Block{doc.Text(r.SLANote)}
	if len(r.SLA) == 0 {
		return blocks
	}
	t := doc.Table{Caption: "SLA adherence per tier and event type", Header: []string{"Tier", "Event type", "Events", "Met", "Breached", "Running", "Adherence", "Paused (h)"}}
	c := doc.Chart{Kind: doc.StackedChart, Title: "SLA events per tier and event type", Series: []doc.Series{{Name: "Met"}, {Name: "Breached"}, {Name: "Running"}}}
	for _, e := range r.SLA {
		adh := "—"
		if e.Met+e.Breached > 0 {
			adh = pct(100 * float64(e.Met) / float64(e.Met+e.Breached))
		}
		label := SLALabel(e.Tier, e.EventType)
		t.Rows = append(t.Rows, []string{TierLabel(e.Tier), EventLabel(e.EventType), strconv.Itoa(e.Total), strconv.Itoa(e.Met), strconv.Itoa(e.Breached),
			strconv.Itoa(e.Open()), adh, strconv.FormatFloat(e.PausedHours, 'f', 1, 64)})
		c.Categories = append(c.Categories, label)
		c.Series[0].Values = append(c.Series[0].Values, float64(e.Met))
		c.Series[1].Values = append(c.Series[1].Values, float64(e.Breached))
		c.Series[2].Values = append(c.Series[2].Values, float64(e.Open()))
	}
	t.Rows = append(t.Rows, []string{"Total", "", strconv.Itoa(r.SLAEvents), strconv.Itoa(r.SLAMet), strconv.Itoa(r.SLABreached), strconv.Itoa(r.SLAEvents - r.SLAMet - r.SLABreached), "", ""})
	return append(blocks, t, c)
}

// TierLabel and EventLabel name SLA tiers and event types for people.
func TierLabel(t sla.Tier) string {
	switch t {
	case sla.TierCritical:
		return "Critical"
	case sla.TierNonCritical:
		return "Non-critical"
	}
	return string(t)
}

// EventLabel names an SLA event type.
func EventLabel(e sla.EventType) string {
	if e == sla.EventPMCompletion {
		return "PM completion"
	}
	s := strings.ReplaceAll(string(e), "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// SLALabel is "Critical · Device down".
func SLALabel(t sla.Tier, e sla.EventType) string { return TierLabel(t) + " · " + EventLabel(e) }

// TierName names a stored risk tier number (assess.Tier: 0 low … 3
// critical).
func TierName(t string) string {
	n, err := strconv.Atoi(strings.TrimSpace(t))
	if err != nil || n < int(assess.TierLow) || n > int(assess.TierCritical) {
		return "Tier " + t
	}
	return assess.Tier(n).String()
}

// Document renders the review pack as a document (PDF, XLSX, HTML).
func (r *Review) Document(agreementTitle string) *doc.Document {
	d := &doc.Document{
		Title:    "Agreement review pack",
		Subtitle: agreementTitle,
		Meta:     []doc.KV{{Key: "Period", Value: r.From + " to " + r.To}},
	}
	add := func(h string, blocks ...doc.Block) {
		d.Sections = append(d.Sections, doc.Section{Heading: h, Level: 1, Blocks: blocks})
	}
	// Coverage.
	var cov []doc.Block
	if r.Coverage != nil {
		cov = append(cov, doc.KeyValue{Title: "Coverage at the last run of the period", Items: []doc.KV{
			{Key: "Run", Value: r.Coverage.At[:min(10, len(r.Coverage.At))]},
			{Key: "In-scope devices", Value: strconv.Itoa(r.Coverage.InScope)},
			{Key: "Correlated to the CMDB", Value: pct(r.Coverage.PctCMDB)},
			{Key: "Correlated to monitoring", Value: pct(r.Coverage.PctMon)},
		}})
	} else {
		cov = append(cov, doc.Text("No correlation run up to the end of the period."))
	}
	if len(r.Milestones) > 0 {
		t := doc.Table{Caption: "Milestones", Header: []string{"Due", "CMDB target", "CMDB actual", "Monitoring target", "Monitoring actual", "Status"}}
		for _, m := range r.Milestones {
			t.Rows = append(t.Rows, []string{m.Due, pct(m.PctCMDB), pct(m.ActualCMDB), pct(m.PctMon), pct(m.ActualMon), m.Status})
		}
		cov = append(cov, t)
	}
	if len(r.CoverageTrend) > 1 {
		c := doc.Chart{Kind: doc.LineChart, Title: "Coverage per correlation run", Unit: "%", Series: []doc.Series{{Name: "CMDB"}, {Name: "Monitoring"}}}
		for _, h := range r.CoverageTrend {
			c.Categories = append(c.Categories, h.At[:min(10, len(h.At))])
			c.Series[0].Values = append(c.Series[0].Values, h.PctCMDB)
			c.Series[1].Values = append(c.Series[1].Values, h.PctMon)
		}
		cov = append(cov, c)
	}
	add("Correlation coverage against milestones", cov...)
	// Inventory.
	if len(r.Inventory) == 0 {
		add("Inventory changes", doc.Text("No import in the period."))
	} else {
		t := doc.Table{Header: []string{"Source", "Imports", "New", "Changed", "Gone"}}
		for _, c := range r.Inventory {
			t.Rows = append(t.Rows, []string{c.System, strconv.Itoa(c.Batches), strconv.Itoa(c.New), strconv.Itoa(c.Changed), strconv.Itoa(c.Gone)})
		}
		add("Inventory changes", t)
	}
	add("PM completion", doc.Text(r.PMNote))
	add("SLA adherence", r.slaBlocks()...)
	// Findings.
	if r.OpenTotal == 0 {
		add("Open findings by SSVC decision and age", doc.Text("No open finding at the end of the period."))
	} else {
		t := doc.Table{Header: append(append([]string{"SSVC decision"}, AgeBuckets...), "Total")}
		c := doc.Chart{Kind: doc.StackedChart, Title: "Open findings by decision and age"}
		for i, b := range AgeBuckets {
			c.Series = append(c.Series, doc.Series{Name: b})
			_ = i
		}
		for _, x := range r.OpenFindings {
			row := []string{x.Decision}
			c.Categories = append(c.Categories, x.Decision)
			for i, n := range x.Ages {
				row = append(row, strconv.Itoa(n))
				c.Series[i].Values = append(c.Series[i].Values, float64(n))
			}
			t.Rows = append(t.Rows, append(row, strconv.Itoa(x.Total)))
		}
		t.Rows = append(t.Rows, []string{"Total", "", "", "", "", strconv.Itoa(r.OpenTotal)})
		add("Open findings by SSVC decision and age", t, c)
	}
	mttr := "No finding was remediated in the period."
	if r.Remediated > 0 {
		mttr = fmt.Sprintf("%d findings remediated in the period; mean time to remediate %s days (from first seen to remediated).", r.Remediated, strconv.FormatFloat(r.MTTRDays, 'f', 1, 64))
	}
	add("Mean time to remediate", doc.Text(mttr))
	// Risk.
	var risk []doc.Block
	if r.RiskTiers == nil {
		risk = append(risk, doc.Text("Not available yet: risk scores are not in this database."))
	} else {
		t := doc.Table{Caption: "Devices per risk tier now", Header: []string{"Tier", "Devices"}}
		for _, c := range r.RiskTiers {
			t.Rows = append(t.Rows, []string{TierName(c.Label), strconv.Itoa(c.Count)})
		}
		risk = append(risk, t)
	}
	if len(r.RiskTrend) > 0 {
		dates, tiers := []string{}, []string{}
		seenD, seenT := map[string]bool{}, map[string]bool{}
		val := map[[2]string]float64{}
		for _, v := range r.RiskTrend {
			if !seenD[v.On] {
				seenD[v.On] = true
				dates = append(dates, v.On)
			}
			if !seenT[v.Dimension] {
				seenT[v.Dimension] = true
				tiers = append(tiers, v.Dimension)
			}
			val[[2]string{v.On, v.Dimension}] = v.Value
		}
		sort.Strings(tiers)
		c := doc.Chart{Kind: doc.LineChart, Title: "Devices per risk tier (daily snapshots)", Categories: dates}
		for _, t := range tiers {
			s := doc.Series{Name: TierName(t)}
			for _, d := range dates {
				s.Values = append(s.Values, val[[2]string{d, t}])
			}
			c.Series = append(c.Series, s)
		}
		risk = append(risk, c)
	} else {
		risk = append(risk, doc.Text("No daily snapshot in the period yet; medsec serve takes one a day."))
	}
	add("Risk-score trend per tier", risk...)
	// Exceptions.
	if len(r.Expiring) == 0 {
		add("Exceptions expiring", doc.Text("No risk acceptance ends from "+r.From+" to "+r.ExpiringUntil+"."))
	} else {
		t := doc.Table{Caption: "Risk acceptances ending from " + r.From + " to " + r.ExpiringUntil, Header: []string{"Finding", "Device", "CVE", "Accepted until"}}
		for _, f := range r.Expiring {
			t.Rows = append(t.Rows, []string{strconv.FormatInt(f.ID, 10), f.Asset, f.CVE, f.AcceptedUntil[:min(10, len(f.AcceptedUntil))]})
		}
		add("Exceptions expiring", t)
	}
	if len(r.Exceptions) > 0 {
		t := doc.Table{Caption: "Risk exceptions ending from " + r.From + " to " + r.ExpiringUntil, Header: []string{"Exception", "Decision", "Device", "Expiry"}}
		for _, x := range r.Exceptions {
			t.Rows = append(t.Rows, []string{strconv.FormatInt(x.ID, 10), x.Decision, x.Asset, x.Expiry[:min(10, len(x.Expiry))]})
		}
		d.Sections[len(d.Sections)-1].Blocks = append(d.Sections[len(d.Sections)-1].Blocks, t)
	}
	if r.Legacy == nil {
		add("Legacy devices", doc.Text("Not available yet: manufacturer support status is not in this database."))
	} else if len(r.Legacy) == 0 {
		add("Legacy devices", doc.Text("No device has a manufacturer support status recorded."))
	} else {
		t := doc.Table{Header: []string{"Manufacturer support", "Devices"}}
		for _, c := range r.Legacy {
			t.Rows = append(t.Rows, []string{c.Label, strconv.Itoa(c.Count)})
		}
		add("Legacy devices", t)
	}
	return d
}
