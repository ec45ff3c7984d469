package agreement

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/doc"
	"github.com/medsec/medsec/internal/raci"
	"github.com/medsec/medsec/internal/store"
)

// Exhibit is one generated exhibit of the agreement.
type Exhibit struct {
	Letter string        `json:"letter"`
	Slug   string        `json:"slug"` // file name stem
	Title  string        `json:"title"`
	Doc    *doc.Document `json:"-"`
}

// Formats are the exhibit output formats.
var Formats = []string{"docx", "pdf", "md", "xlsx"}

// Render writes a document in a format: docx, pdf, md or xlsx.
func Render(w io.Writer, d *doc.Document, format string) error {
	switch format {
	case "docx":
		return doc.WriteDOCX(w, d)
	case "pdf":
		return doc.WritePDF(w, d)
	case "md", "markdown":
		return doc.WriteMarkdown(w, d)
	case "xlsx":
		return doc.WriteXLSX(w, d)
	}
	return medsec.Errorf(medsec.EINVALID, "Unknown format %q; use docx, pdf, md or xlsx.", format)
}

// ContentType is the MIME type of a format.
func ContentType(format string) string {
	switch format {
	case "docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case "pdf":
		return "application/pdf"
	case "md", "markdown":
		return "text/markdown; charset=utf-8"
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "html":
		return "text/html; charset=utf-8"
	}
	return "application/octet-stream"
}

// Exhibits builds the five exhibits of an agreement version from the live
// inventory, as of asOf (printed on the title block).
func Exhibits(ctx context.Context, st *store.Store, v Version, asOf time.Time) ([]Exhibit, error) {
	a := v.Agreement
	r, err := resolveScope(ctx, st, a.Scope)
	if err != nil {
		return nil, err
	}
	assets, err := st.ScopeAssets(ctx, r.facilities, r.modalities, a.Scope.Assets)
	if err != nil {
		return nil, err
	}
	targets, err := st.Targets(ctx)
	if err != nil {
		return nil, err
	}
	cov, err := st.Coverage(ctx, "")
	if err != nil {
		return nil, err
	}
	meta := func() []doc.KV {
		ver := "draft (not saved)"
		if v.Number > 0 {
			ver = strconv.Itoa(v.Number)
		}
		return []doc.KV{
			{Key: "Agreement", Value: a.Title},
			{Key: "Version", Value: ver},
			{Key: "Hospital", Value: a.Hospital},
			{Key: "Service provider", Value: a.Provider},
			{Key: "Effective", Value: a.EffectiveDate + " to " + a.End()},
			{Key: "Data as of", Value: asOf.UTC().Format("2006-01-02")},
		}
	}
	mk := func(letter, slug, title string, secs []doc.Section) Exhibit {
		return Exhibit{Letter: letter, Slug: "exhibit-" + strings.ToLower(letter) + "-" + slug, Title: title, Doc: &doc.Document{
			Title: "Exhibit " + letter + ": " + title, Subtitle: a.Title, Meta: meta(), Sections: secs,
		}}
	}
	return []Exhibit{
		mk("A", "scope-of-services", "Scope of Services", scopeSections(a, assets)),
		mk("B", "service-responsibilities", "Service Responsibilities", scheduleSections(a, assets)),
		mk("C", "service-levels", "Service Levels", slaSections(a)),
		mk("D", "risk-management", "Risk Management", riskSections(a, targets, cov)),
		mk("E", "responsibilities", "Responsibilities of Both Parties", raciSections(a)),
	}, nil
}

func scopeSections(a Agreement, assets []store.ExhibitAsset) []doc.Section {
	anyOf := func(xs []string) string {
		if len(xs) == 0 {
			return "any"
		}
		return strings.Join(xs, ", ")
	}
	intro := doc.Section{Heading: "Scope", Level: 1, Blocks: []doc.Block{
		doc.Text(fmt.Sprintf("%s services the medical devices of %s listed in this exhibit: medical devices in service recorded in the hospital's CMMS that match the scope below, plus any device named individually.", a.Provider, a.Hospital)),
		doc.KeyValue{Items: []doc.KV{
			{Key: "Facilities", Value: anyOf(a.Scope.Facilities)},
			{Key: "Modalities", Value: anyOf(a.Scope.Modalities)},
			{Key: "Devices named individually", Value: strconv.Itoa(len(a.Scope.Assets))},
			{Key: "Devices in scope", Value: strconv.Itoa(len(assets))},
		}},
	}}
	if len(a.Scope.Facilities) == 0 && len(a.Scope.Modalities) == 0 && len(a.Scope.Assets) == 0 {
		intro.Blocks = append(intro.Blocks, doc.Text("The scope names no facility, modality or device yet."))
	}
	secs := []doc.Section{intro}
	summary := doc.Table{Caption: "Devices in scope by modality", Header: []string{"Modality", "Devices"}}
	groups, order := groupBy(assets, func(x store.ExhibitAsset) string { return orUnknown(x.Modality) })
	for _, m := range order {
		summary.Rows = append(summary.Rows, []string{m, strconv.Itoa(len(groups[m]))})
	}
	secs[0].Blocks = append(secs[0].Blocks, summary)
	for _, m := range order {
		t := doc.Table{Header: []string{"Equipment ID", "Serial", "Manufacturer", "Model", "Facility", "Status"}, ColumnWidths: []float64{1.2, 1.4, 1.5, 1.5, 1.6, 1}}
		for _, x := range groups[m] {
			model := x.Model
			if x.ModelNumber != "" && x.ModelNumber != x.Model {
				model += " (" + x.ModelNumber + ")"
			}
			t.Rows = append(t.Rows, []string{x.Tag, x.Serial, x.Manufacturer, model, x.Facility, x.Status})
		}
		secs = append(secs, doc.Section{Heading: fmt.Sprintf("%s (%d)", m, len(groups[m])), Level: 2, Blocks: []doc.Block{t}})
	}
	return secs
}

func scheduleSections(a Agreement, assets []store.ExhibitAsset) []doc.Section {
	rule := func(modality string) ScheduleRule {
		var def ScheduleRule
		for _, r := range a.Schedule {
			if r.Modality == "" {
				def = r
			}
			if strings.EqualFold(r.Modality, modality) && r.Modality != "" {
				return r
			}
		}
		return def
	}
	rules := doc.Table{Caption: "Preventive maintenance by modality", Header: []string{"Modality", "PM interval", "Tasks"}, ColumnWidths: []float64{1.3, 1.2, 3}}
	for _, r := range a.Schedule {
		rules.Rows = append(rules.Rows, []string{orDefault(r.Modality), r.Interval, r.Tasks})
	}
	secs := []doc.Section{{Heading: "Schedule appendix", Level: 1, Blocks: []doc.Block{
		doc.Text(fmt.Sprintf("%s performs the scheduled work below on every in-scope device. The intervals follow the manufacturer's recommendation unless the hospital's Alternative Equipment Maintenance program states otherwise; AEM never applies to imaging, lasers or critical equipment.", a.Provider)),
		rules,
	}}}
	type key struct{ mod, mf, model string }
	counts := map[key]int{}
	var keys []key
	for _, x := range assets {
		k := key{orUnknown(x.Modality), orUnknown(x.Manufacturer), orUnknown(x.Model)}
		if counts[k] == 0 {
			keys = append(keys, k)
		}
		counts[k]++
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].mod != keys[j].mod {
			return keys[i].mod < keys[j].mod
		}
		if keys[i].mf != keys[j].mf {
			return keys[i].mf < keys[j].mf
		}
		return keys[i].model < keys[j].model
	})
	t := doc.Table{Caption: "Schedule by modality and make/model", Header: []string{"Modality", "Manufacturer", "Model", "Devices", "PM interval", "Tasks"}, ColumnWidths: []float64{1.3, 1.3, 1.3, 0.7, 1.1, 2.3}}
	for _, k := range keys {
		r := rule(k.mod)
		t.Rows = append(t.Rows, []string{k.mod, k.mf, k.model, strconv.Itoa(counts[k]), r.Interval, r.Tasks})
	}
	if len(keys) == 0 {
		secs = append(secs, doc.Section{Heading: "Schedule by make/model", Level: 2, Blocks: []doc.Block{doc.Text("No device is in scope yet.")}})
	} else {
		secs = append(secs, doc.Section{Heading: "Schedule by make/model", Level: 2, Blocks: []doc.Block{t}})
	}
	return secs
}

func slaSections(a Agreement) []doc.Section {
	t := doc.Table{Caption: "Service levels", Header: []string{"Tier / event", "Response", "On site", "Restore / resolve"}, ColumnWidths: []float64{2, 1.5, 1.3, 1.5}}
	for _, r := range a.SLA {
		t.Rows = append(t.Rows, []string{r.Event, r.Response, r.OnSite, r.Resolve})
	}
	return []doc.Section{{Heading: "Service levels", Level: 1, Blocks: []doc.Block{
		doc.Text("Clocks start when the event is reported to the provider. A patch clock starts when the manufacturer validates the patch, not when the vulnerability is published. Time awaiting the manufacturer, awaiting parts, or while the device is clinically unavailable is paused, and each pause records its reason."),
		t,
	}}}
}

// DataPoints are the eight data points of the clinical impact assessment
// and their scales, as the Risk Management exhibit states them.
var DataPoints = [][3]string{
	{"1. Life-safety (Fennigkoh–Smith EM number)", "Function + physical risk + maintenance requirement + incident history", "EM 2–20; EM ≥ 12 enters the PM program (18+ quarterly, 15–17 semi-annual, 12–14 annual)"},
	{"2. Acuity setting", "Care area where the device is used", "ICU/NICU/PICU > OR/PACU > ED > L&D and procedural > inpatient > outpatient > non-clinical"},
	{"3. PHI present", "The device stores, displays or transmits ePHI", "yes / no"},
	{"4. Large PHI", "The device holds records of 500 or more individuals (45 CFR 164.408)", "yes / no"},
	{"5. Care-delivery impact", "Effect on care if the device or system is unavailable", "1 no effect … 5 care stops or patients diverted"},
	{"6. Lateral network access", "How far an attacker on the device can reach", "1 standalone … 5 flat, internet-reachable or vendor remote access"},
	{"7. Financial impact", "Replacement cost plus lost revenue per day of downtime", "1–5"},
	{"8. Reputational impact", "Internal only up to national media or regulatory action", "1–5"},
}

func riskSections(a Agreement, targets []store.Target, cov []store.CoverageRow) []doc.Section {
	pts := doc.Table{Caption: "The eight data points", Header: []string{"Data point", "What it measures", "Scale"}, ColumnWidths: []float64{1.6, 2.2, 2.4}}
	for _, p := range DataPoints {
		pts.Rows = append(pts.Rows, []string{p[0], p[1], p[2]})
	}
	ms := doc.Table{Caption: "Correlation milestones", Header: []string{"Due", "CMDB target", "Monitoring target", "Note"}}
	for _, t := range targets {
		ms.Rows = append(ms.Rows, []string{t.Due, pct(t.PctCMDB), pct(t.PctMon), t.Note})
	}
	mon := []doc.Block{
		doc.Text(a.Commitments.MonitoringAccess),
		doc.Text("Correlation coverage is the share of in-scope networked medical devices recorded in the CMMS that are also recognised in the CMDB and by passive monitoring. The parties commit to the milestones below; medsec measures coverage at each correlation run."),
	}
	if len(targets) > 0 {
		mon = append(mon, ms)
	} else {
		mon = append(mon, doc.Text("No correlation milestone is set yet."))
	}
	if len(cov) == 1 {
		mon = append(mon, doc.KeyValue{Title: "Coverage at the last correlation run", Items: []doc.KV{
			{Key: "In-scope devices", Value: strconv.Itoa(cov[0].InScope)},
			{Key: "Correlated to the CMDB", Value: pct(cov[0].PctCMDB)},
			{Key: "Correlated to monitoring", Value: pct(cov[0].PctMon)},
		}})
	}
	return []doc.Section{
		{Heading: "Method", Level: 1, Blocks: []doc.Block{
			doc.Text("Each in-scope device is assessed for clinical impact per modality, with overrides per make/model and per device, on the eight data points below. Vulnerabilities matched to a device (CSAF advisories, NVD, CISA KEV, EPSS) are decided with CERT/CC's SSVC deployer tree: Defer, Scheduled, Out-of-Cycle or Immediate. The scales are kept as editable data in medsec."),
			pts,
		}},
		{Heading: "Scoring", Level: 1, Blocks: []doc.Block{doc.Text(a.Commitments.ScoringMethod)}},
		{Heading: "Monitoring", Level: 1, Blocks: mon},
		{Heading: "Reporting", Level: 1, Blocks: []doc.Block{
			doc.Text(a.Commitments.ReportingCadence),
			doc.Text("The agreement itself is reviewed " + cadenceText(a.ReviewCadence) + "."),
		}},
	}
}

func raciSections(a Agreement) []doc.Section {
	secs := []doc.Section{raci.ToSection(a.RACI, 1)}
	t := doc.Table{Caption: "Where work lands", Header: []string{"Work", "Activity", "Accountable", "Informed"}}
	for _, k := range []raci.WorkKind{raci.WorkFinding, raci.WorkOrder, raci.WorkException, raci.WorkSLAWarning} {
		rt, err := a.RACI.Route(k)
		if err != nil {
			continue
		}
		var inf []string
		for _, p := range rt.Informed {
			inf = append(inf, p.Name)
		}
		t.Rows = append(t.Rows, []string{workLabel(k), rt.Activity.Name, rt.Accountable.Name, strings.Join(inf, ", ")})
	}
	secs = append(secs, doc.Section{Heading: "Routing of work", Level: 2, Blocks: []doc.Block{
		doc.Text("medsec puts each piece of work in the queue of the activity's accountable party and notifies its informed parties."), t,
	}})
	return secs
}

func workLabel(k raci.WorkKind) string {
	switch k {
	case raci.WorkFinding:
		return "Vulnerability finding"
	case raci.WorkOrder:
		return "Work order"
	case raci.WorkException:
		return "Risk exception"
	case raci.WorkSLAWarning:
		return "SLA warning"
	}
	return string(k)
}

func cadenceText(c string) string {
	switch c {
	case "semiannual":
		return "every six months"
	case "annual":
		return "every year"
	case "monthly":
		return "every month"
	case "quarterly":
		return "every quarter"
	}
	return c
}

func pct(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) + "%" }

func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "Unknown"
	}
	return s
}

func groupBy[T any](xs []T, key func(T) string) (map[string][]T, []string) {
	m := map[string][]T{}
	var order []string
	for _, x := range xs {
		k := key(x)
		if _, ok := m[k]; !ok {
			order = append(order, k)
		}
		m[k] = append(m[k], x)
	}
	sort.Strings(order)
	return m, order
}
