package web

import (
	"bufio"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/chart"
	"github.com/medsec/medsec/internal/schedule"
	"github.com/medsec/medsec/internal/service"
	"github.com/medsec/medsec/internal/sla"
	"github.com/medsec/medsec/internal/tabular"
)

// complianceBars charts compliance percentages, one bar per group.
func complianceBars(title string, gs []schedule.ComplianceGroup) template.HTML {
	bars := make([]chart.Bar, 0, len(gs))
	for _, g := range gs {
		if g.OnTime+g.Late+g.Overdue == 0 {
			continue
		}
		bars = append(bars, chart.Bar{Label: g.Key, Value: g.Percent, Note: g.Explanation})
	}
	return chart.HBar(title, bars, chart.Options{Percent: true, Empty: "No task has come due yet"})
}

func (s *Server) servicePage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	s.renderService(w, r, c, http.StatusOK, nil)
}

func (s *Server) renderService(w http.ResponseWriter, r *http.Request, c *Ctx, status int, extra map[string]any) {
	ctx := r.Context()
	sch, err := service.ComputeSchedules(ctx, s.Store, c.Scope(), s.Store.Now())
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	comp := sch.Compliance()
	overall := schedule.Compliance(sch.Results, func(schedule.DueResult) string { return "all" })
	eos, err := s.Store.EndsOfSupport(ctx, c.Scope())
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	lib, _ := service.Library(ctx, s.Store)
	mods, models := 0, 0
	if lib != nil {
		mods, models = lib.Len()
	}
	data := map[string]any{
		"Tasks": len(sch.Results), "Due": sch.Count(schedule.StatusDue), "Overdue": sch.Count(schedule.StatusOverdue),
		"Overall": overall, "Comp": comp, "Problems": sch.Problems,
		"ChartModality": complianceBars("PM compliance by modality", comp["modality"]),
		"ChartFacility": complianceBars("PM compliance by facility", comp["facility"]),
		"ChartProvider": complianceBars("PM compliance by provider", comp["provider"]),
		"OverdueList":   sch.WithStatus(25, schedule.StatusOverdue),
		"DueList":       sch.WithStatus(25, schedule.StatusDue),
		"EOS":           eos, "ModalityTemplates": mods, "ModelTemplates": models, "AsOf": sch.AsOf,
	}
	for k, v := range extra {
		data[k] = v
	}
	s.render(w, r, c, status, "service", data)
}

// uploadedFile returns an uploaded file: the multipart "file" field, or
// the request body named by ?filename=.
func (s *Server) uploadedFile(w http.ResponseWriter, r *http.Request, api bool) (io.ReadCloser, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxUpload)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		f, hdr, err := r.FormFile("file")
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, "", medsec.Errorf(medsec.EINVALID, "The file is larger than the %d MB upload limit; use the CLI for files this size.", s.MaxUpload>>20)
			}
			return nil, "", medsec.Errorf(medsec.EINVALID, "Choose a file to upload (a multipart \"file\" field).")
		}
		return f, cleanName(hdr.Filename), nil
	}
	if !api {
		return nil, "", medsec.Errorf(medsec.EINVALID, "Choose a file to upload.")
	}
	name := r.URL.Query().Get("filename")
	if name == "" {
		name = "upload.csv"
	}
	return r.Body, cleanName(name), nil
}

// uploadStatus is 422 when a file was refused, 200 for a dry run, 201
// when something was stored.
func uploadStatus(err error, dry bool) int {
	switch {
	case err != nil:
		return statusOf(err)
	case dry:
		return http.StatusOK
	}
	return http.StatusCreated
}

// templatesUpload checks (dry run) or imports a schedule template file
// from the Service page. Templates apply to every asset, so a provider's
// user (scoped) may not change them.
func (s *Server) templatesUpload(w http.ResponseWriter, r *http.Request, c *Ctx) {
	res, err := s.importTemplates(w, r, c, false, r.FormValue("action") != "import")
	data := map[string]any{"TemplateResult": res}
	if err != nil {
		data["TemplateError"] = medsec.ErrorMessage(err)
	}
	status := http.StatusOK
	if err != nil {
		status = statusOf(err)
	}
	s.renderService(w, r, c, status, data)
}

func (s *Server) importTemplates(w http.ResponseWriter, r *http.Request, c *Ctx, api, dry bool) (*service.TemplateImport, error) {
	if c.Scope() != 0 {
		return nil, medsec.Errorf(medsec.EFORBIDDEN, "Schedule templates apply to every asset; a service provider's user may not change them.")
	}
	f, name, err := s.uploadedFile(w, r, api)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return service.ImportTemplatesWith(r.Context(), s.Store, c.Actor(), name, bufio.NewReader(f),
		service.TemplateOptions{DryRun: dry, Tabular: tabular.Options{Sheet: r.FormValue("sheet")}})
}

func (s *Server) apiTemplatesUpload(w http.ResponseWriter, r *http.Request, c *Ctx) {
	dry := r.URL.Query().Get("dry_run") == "true"
	res, err := s.importTemplates(w, r, c, true, dry)
	if res == nil {
		s.apiError(w, r, err)
		return
	}
	out := map[string]any{"result": res}
	if err != nil {
		out["error"] = map[string]string{"code": string(medsec.ErrorCode(err)), "message": medsec.ErrorMessage(err)}
	}
	writeJSON(w, uploadStatus(err, dry), out)
}

func (s *Server) apiService(w http.ResponseWriter, r *http.Request, c *Ctx) {
	sch, err := service.ComputeSchedules(r.Context(), s.Store, c.Scope(), s.Store.Now())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"as_of": sch.AsOf, "tasks": len(sch.Results), "due": sch.Count(schedule.StatusDue), "overdue": sch.Count(schedule.StatusOverdue),
		"compliance": sch.Compliance(), "problems": sch.Problems,
		"overdue_list": sch.WithStatus(500, schedule.StatusOverdue), "due_list": sch.WithStatus(500, schedule.StatusDue),
	})
}

func (s *Server) apiTemplates(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ts, err := s.Store.Templates(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if ts == nil {
		ts = []schedule.Template{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": ts})
}

// segColor is the fill of a timeline segment kind.
var segColor = map[sla.SegmentKind]string{
	sla.SegCounting: "#4c72b0", sla.SegBusinessWeeks: "#7f9bc8", sla.SegPaused: "#dd8452",
	sla.SegOutside: "#d5d9e0", sla.SegHoliday: "#b9a3d6",
}

// clockPicture draws a clock's timeline: one bar from start to stop, each
// segment coloured by what it counted (running, paused, outside business
// hours, holiday), and a red mark where the target was exceeded.
func clockPicture(cl sla.Clock) template.HTML {
	const W, H, x0, barY, barH = 900.0, 62.0, 8.0, 16.0, 20.0
	span := cl.Stop.Sub(cl.Start)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart clock-timeline" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-label="%s">`, W, H,
		template.HTMLEscapeString(fmt.Sprintf("%s clock timeline, %s", cl.Milestone, cl.State)))
	fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(cl.Explain()))
	inner := W - 2*x0
	x := func(t time.Time) float64 {
		if span <= 0 {
			return x0
		}
		return x0 + inner*float64(t.Sub(cl.Start))/float64(span)
	}
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#eef1f6"/>`, x0, barY, inner, barH)
	for _, sg := range cl.Timeline {
		a, e := x(sg.From), x(sg.To)
		if e-a < 0.3 {
			e = a + 0.3
		}
		label := string(sg.Kind)
		if sg.Reason != "" {
			label += ": " + sg.Reason
		}
		fmt.Fprintf(&b, `<rect class="tl-seg tl-%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s</title></rect>`,
			sg.Kind, a, barY, e-a, barH, segColor[sg.Kind],
			template.HTMLEscapeString(fmt.Sprintf("%s → %s %s, counted %s", sg.From.UTC().Format("2006-01-02 15:04"), sg.To.UTC().Format("2006-01-02 15:04"), label, sg.Counted.Round(time.Minute))))
	}
	if !cl.BreachedAt.IsZero() {
		bx := x(cl.BreachedAt)
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="10" y2="%.1f" stroke="#c44e52" stroke-width="2"/><text x="%.1f" y="9" font-size="10" fill="#c44e52" class="tl-mark" text-anchor="middle">target exceeded</text>`,
			bx, bx, barY+barH+4, min(max(bx, 45), W-45))
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" fill="#5d6677">%s</text>`, x0, barY+barH+14, template.HTMLEscapeString(cl.Start.UTC().Format("2006-01-02 15:04 UTC")))
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" fill="#5d6677" text-anchor="end">%s</text>`, W-x0, barY+barH+14, template.HTMLEscapeString(cl.Stop.UTC().Format("2006-01-02 15:04 UTC")))
	legend := []struct {
		k sla.SegmentKind
		l string
	}{{sla.SegCounting, "clock running"}, {sla.SegPaused, "paused"}, {sla.SegOutside, "outside business hours"}, {sla.SegHoliday, "holiday"}}
	lx := 200.0
	for _, l := range legend {
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="9" height="9" fill="%s"/><text x="%.1f" y="%.1f" font-size="10" fill="#5d6677">%s</text>`,
			lx, barY+barH+6, segColor[l.k], lx+12, barY+barH+14, l.l)
		lx += 12 + float64(len(l.l))*5.6 + 14
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// clockView is a clock with its picture, for templates.
type clockView struct {
	sla.Clock
	Picture     template.HTML
	Explanation string
}

func clockViews(r sla.Result) []clockView {
	out := make([]clockView, len(r.Clocks))
	for i, cl := range r.Clocks {
		out[i] = clockView{Clock: cl, Picture: clockPicture(cl), Explanation: cl.Explain()}
	}
	return out
}

// dur prints a duration rounded to the minute ("4h", "36h30m").
func dur(d time.Duration) string {
	s := d.Round(time.Minute).String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if s == "" {
		return "0"
	}
	return s
}

// TargetText, ElapsedText and PausedText print the clock's durations.
func (c clockView) TargetText() string  { return dur(c.Target) }
func (c clockView) ElapsedText() string { return dur(c.Elapsed) }
func (c clockView) PausedText() string  { return dur(c.Paused) }
