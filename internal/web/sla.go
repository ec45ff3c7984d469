package web

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/chart"
	"github.com/medsec/medsec/internal/service"
	"github.com/medsec/medsec/internal/sla"
)

// reportPeriod reads ?month=YYYY-MM (default: this month) or ?from=&to=
// (to is the last day included, or an exact end time).
func (s *Server) reportPeriod(r *http.Request) (time.Time, time.Time, error) {
	q := r.URL.Query()
	if f, t := q.Get("from"), q.Get("to"); f != "" && t != "" {
		from, err := service.ParseTime(f, time.UTC)
		if err != nil {
			return from, from, err
		}
		to, err := service.ParseTime(t, time.UTC)
		if err != nil {
			return from, to, err
		}
		if len(strings.TrimSpace(t)) == len("2006-01-02") {
			to = to.AddDate(0, 0, 1) // a bare last day counts whole, as in the CLI and the review pack
		}
		if !to.After(from) {
			return from, to, medsec.Errorf(medsec.EINVALID, "to must be after from.")
		}
		return from, to, nil
	}
	now := s.Store.Now()
	y, m := now.Year(), now.Month()
	if v := q.Get("month"); v != "" {
		t, err := time.Parse("2006-01", v)
		if err != nil {
			return time.Time{}, time.Time{}, medsec.Errorf(medsec.EINVALID, "month must be YYYY-MM.")
		}
		y, m = t.Year(), t.Month()
	}
	from, to := sla.MonthBounds(y, m, time.UTC)
	return from, to, nil
}

func eventLabel(e sla.EventType) string { return strings.ReplaceAll(string(e), "_", " ") }

type breachView struct {
	sla.Breach
	Tier      sla.Tier
	EventType sla.EventType
	Link      string
}

func (s *Server) slaPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	from, to, err := s.reportPeriod(r)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	rep, err := service.BuildReport(r.Context(), s.Store, c.Scope(), from, to, s.Store.Now())
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	rows := make([]chart.StackRow, 0, len(rep.Entries))
	var breaches []breachView
	for _, e := range rep.Entries {
		rows = append(rows, chart.StackRow{Label: string(e.Tier) + " · " + eventLabel(e.EventType),
			Values: []float64{float64(e.Met), float64(e.Breached), float64(e.Open())}})
		for _, b := range e.Breaches {
			bv := breachView{Breach: b, Tier: e.Tier, EventType: e.EventType, Link: eventURL(b.EventID)}
			if m, ok := rep.Meta[b.EventID]; ok && m.WorkOrderID != 0 {
				bv.Link = "/workorders/" + strconv.FormatInt(m.WorkOrderID, 10)
			}
			breaches = append(breaches, bv)
		}
	}
	if len(breaches) > 200 {
		breaches = breaches[:200]
	}
	// One breach gets its clock drawn on the page: preferably one with
	// pauses, then a device-down one, then the largest overrun.
	var worst *sla.Clock
	best := -1
	for _, res := range rep.Results {
		for _, cl := range res.Breaches() {
			score := 0
			if cl.Paused > 0 {
				score += 2
			}
			if res.EventType == sla.EventDeviceDown {
				score++
			}
			if worst == nil || score > best || (score == best && (cl.Elapsed-cl.Target > worst.Elapsed-worst.Target ||
				(cl.Elapsed-cl.Target == worst.Elapsed-worst.Target && cl.Start.Before(worst.Start)))) {
				c := cl
				worst, best = &c, score
			}
		}
	}
	data := map[string]any{
		"Report": rep, "From": from, "To": to, "Month": from.Format("2006-01"),
		"Prev": from.AddDate(0, -1, 0).Format("2006-01"), "Next": from.AddDate(0, 1, 0).Format("2006-01"),
		"Chart":    chart.StackedHBar("SLA events by tier and type: met, breached, still open", []string{"met", "breached", "open"}, rows, chart.Options{Empty: "No SLA events started in this period"}),
		"Breaches": breaches, "Query": r.URL.Query(),
	}
	if worst != nil {
		data["Worst"] = clockView{Clock: *worst, Picture: clockPicture(*worst), Explanation: worst.Explain()}
	}
	s.render(w, r, c, http.StatusOK, "sla", data)
}

func (s *Server) slaExport(w http.ResponseWriter, r *http.Request, c *Ctx) {
	from, to, err := s.reportPeriod(r)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	rep, err := service.BuildReport(r.Context(), s.Store, c.Scope(), from, to, s.Store.Now())
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	name := "sla-report-" + from.Format("2006-01-02") + "-" + to.Format("2006-01-02")
	if r.URL.Query().Get("format") == "xlsx" {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
		rep.WriteXLSX(w)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	rep.WriteCSV(w)
}

func (s *Server) apiSLAReport(w http.ResponseWriter, r *http.Request, c *Ctx) {
	from, to, err := s.reportPeriod(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	asOf := s.Store.Now()
	if v := r.URL.Query().Get("as_of"); v != "" {
		if asOf, err = service.ParseTime(v, time.UTC); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	rep, err := service.BuildReport(r.Context(), s.Store, c.Scope(), from, to, asOf)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// policyData is what the policy page and API show: the policy as saved
// (or the default), the effective policy the clocks run on (with the
// agreement's SLA table over it), where the figures come from, and the
// service-credit terms.
func (s *Server) policyData(r *http.Request) (map[string]any, error) {
	ctx := r.Context()
	stored, src, err := service.StoredPolicy(ctx, s.Store)
	if err != nil {
		return nil, err
	}
	eff, esrc, err := service.EffectivePolicy(ctx, s.Store)
	if err != nil {
		return nil, err
	}
	src.AgreementVersion, src.FromAgreement, src.Ignored = esrc.AgreementVersion, esrc.FromAgreement, esrc.Ignored
	credits, err := service.LoadCredits(ctx, s.Store)
	if err != nil {
		return nil, err
	}
	return map[string]any{"policy": service.Doc(stored), "effective": service.Doc(eff), "source": src, "credits": credits,
		"event_types": sla.EventTypes}, nil
}

func (s *Server) slaPolicyPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	s.renderPolicy(w, r, c, http.StatusOK, nil)
}

func (s *Server) renderPolicy(w http.ResponseWriter, r *http.Request, c *Ctx, status int, extra map[string]any) {
	d, err := s.policyData(r)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	data := map[string]any{"Policy": d["policy"], "Effective": d["effective"], "Source": d["source"], "Credits": d["credits"],
		"EventTypes": sla.EventTypes, "PolicyJSON": prettyAny(d["policy"]), "CreditsJSON": prettyAny(d["credits"]),
		"Saved": r.URL.Query().Get("saved") != ""}
	for k, v := range extra {
		data[k] = v
	}
	s.render(w, r, c, status, "slapolicy", data)
}

func prettyAny(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// slaPolicySave saves the policy or the credit terms from the page's
// JSON editors; a refused document is shown again with the reasons.
func (s *Server) slaPolicySave(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	var err error
	extra := map[string]any{}
	switch r.FormValue("what") {
	case "credits":
		text := r.FormValue("credits")
		var ag sla.Agreement
		if ag, err = service.ParseCredits([]byte(text)); err == nil {
			err = service.SaveCredits(ctx, s.Store, c.Actor(), ag)
		}
		if err != nil {
			extra["CreditsError"], extra["CreditsText"] = medsec.ErrorMessage(err), text
		}
	default:
		text := r.FormValue("policy")
		var p sla.Policy
		if _, p, err = service.ParsePolicy([]byte(text)); err == nil {
			err = service.SavePolicy(ctx, s.Store, c.Actor(), p)
		}
		if err != nil {
			extra["PolicyError"], extra["PolicyText"] = medsec.ErrorMessage(err), text
		}
	}
	if err != nil {
		s.renderPolicy(w, r, c, statusOf(err), extra)
		return
	}
	http.Redirect(w, r, "/sla/policy?saved=1", http.StatusSeeOther)
}

func (s *Server) apiSLAPolicy(w http.ResponseWriter, r *http.Request, c *Ctx) {
	d, err := s.policyData(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
	if err != nil {
		return nil, medsec.Errorf(medsec.EINVALID, "Cannot read the request body: %v.", err)
	}
	if len(b) > 1<<20 {
		return nil, medsec.Errorf(medsec.EINVALID, "The request body is larger than 1 MB.")
	}
	return b, nil
}

func (s *Server) apiSLAPolicyPut(w http.ResponseWriter, r *http.Request, c *Ctx) {
	b, err := readBody(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	_, p, err := service.ParsePolicy(b)
	if err == nil {
		err = service.SavePolicy(r.Context(), s.Store, c.Actor(), p)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiSLAPolicy(w, r, c)
}

func (s *Server) apiSLACredits(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ag, err := service.LoadCredits(r.Context(), s.Store)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ag)
}

func (s *Server) apiSLACreditsPut(w http.ResponseWriter, r *http.Request, c *Ctx) {
	b, err := readBody(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ag, err := service.ParseCredits(b)
	if err == nil {
		err = service.SaveCredits(r.Context(), s.Store, c.Actor(), ag)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiSLACredits(w, r, c)
}
