package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/agreement"
	"github.com/medsec/medsec/internal/raci"
)

// raciChoices are the roles the RACI grid offers per cell.
var raciChoices = []string{"", "R", "A", "A/R", "C", "I", "C/I"}

type raciCell struct {
	Name, Value string
	Choices     []string
}

type raciRow struct {
	Activity raci.Activity
	Cells    []raciCell
}

func (s *Server) agreementPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	versions, err := agreement.Versions(ctx, s.Store)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	var cur agreement.Version
	if n, _ := strconv.Atoi(r.FormValue("version")); n > 0 {
		cur, err = agreement.Load(ctx, s.Store, n)
	} else {
		cur, err = agreement.Current(ctx, s.Store)
	}
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	a := cur.Agreement
	var rows []raciRow
	for _, row := range a.RACI.Rows {
		rr := raciRow{Activity: row.Activity}
		for _, p := range a.RACI.Parties {
			v := ""
			if role := row.Roles[p.ID]; role != raci.None {
				v = role.String()
			}
			choices := raciChoices
			found := false
			for _, ch := range choices {
				found = found || ch == v
			}
			if !found {
				choices = append(append([]string{}, raciChoices...), v)
			}
			rr.Cells = append(rr.Cells, raciCell{Name: "role." + row.Activity.ID + "." + p.ID, Value: v, Choices: choices})
		}
		rows = append(rows, rr)
	}
	data := map[string]any{
		"V": cur, "A": a, "Versions": versions, "RACIRows": rows, "Cadences": agreement.Cadences,
		"Deployments": raci.DeploymentTypes(), "Formats": agreement.Formats,
		"Exhibits":   []string{"A", "B", "C", "D", "E"},
		"Facilities": strings.Join(a.Scope.Facilities, "\n"), "Modalities": strings.Join(a.Scope.Modalities, "\n"), "Assets": strings.Join(a.Scope.Assets, "\n"),
		"SLA": slaText(a.SLA), "Schedule": scheduleText(a.Schedule),
	}
	if known, err := s.Store.FacilityNames(ctx); err == nil {
		data["KnownFacilities"] = known
	}
	if known, err := s.Store.ModalityNames(ctx); err == nil {
		data["KnownModalities"] = known
	}
	// Diff between two versions (?a=&b=), by default the last two.
	da, _ := strconv.Atoi(r.FormValue("a"))
	db, _ := strconv.Atoi(r.FormValue("b"))
	if da == 0 && db == 0 && len(versions) >= 2 {
		da, db = versions[1].Number, versions[0].Number
	}
	if da > 0 && db > 0 {
		va, err1 := agreement.Load(ctx, s.Store, da)
		vb, err2 := agreement.Load(ctx, s.Store, db)
		if err1 == nil && err2 == nil {
			data["DiffA"], data["DiffB"], data["Diff"] = da, db, agreement.Diff(va.Agreement, vb.Agreement)
		}
	}
	s.render(w, r, c, http.StatusOK, "agreement", data)
}

func slaText(rows []agreement.SLARow) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.Event + " | " + r.Response + " | " + r.OnSite + " | " + r.Resolve + "\n")
	}
	return b.String()
}

func scheduleText(rows []agreement.ScheduleRule) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.Modality + " | " + r.Interval + " | " + r.Tasks + "\n")
	}
	return b.String()
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, ",", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func pipeRows(s string, n int) [][]string {
	var out [][]string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		parts := strings.Split(l, "|")
		row := make([]string, n)
		for i := 0; i < n && i < len(parts); i++ {
			row[i] = strings.TrimSpace(parts[i])
		}
		out = append(out, row)
	}
	return out
}

// agreementSave saves the terms, scope and commitments as a new version.
func (s *Server) agreementSave(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	cur, err := agreement.Current(ctx, s.Store)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	a := cur.Agreement
	a.Title, a.Hospital, a.Provider = r.FormValue("title"), r.FormValue("hospital"), r.FormValue("provider")
	a.EffectiveDate, a.ReviewCadence = r.FormValue("effective_date"), r.FormValue("review_cadence")
	a.TermMonths, _ = strconv.Atoi(r.FormValue("term_months"))
	a.Scope = agreement.Scope{Facilities: lines(r.FormValue("facilities")), Modalities: lines(r.FormValue("modalities")), Assets: lines(r.FormValue("assets"))}
	a.Commitments = agreement.Commitments{MonitoringAccess: r.FormValue("monitoring_access"), ScoringMethod: r.FormValue("scoring_method"), ReportingCadence: r.FormValue("reporting_cadence")}
	a.SLA = nil
	for _, row := range pipeRows(r.FormValue("sla"), 4) {
		a.SLA = append(a.SLA, agreement.SLARow{Event: row[0], Response: row[1], OnSite: row[2], Resolve: row[3]})
	}
	a.Schedule = nil
	for _, row := range pipeRows(r.FormValue("schedule"), 3) {
		a.Schedule = append(a.Schedule, agreement.ScheduleRule{Modality: row[0], Interval: row[1], Tasks: row[2]})
	}
	var contacts []agreement.Contact
	for _, p := range a.RACI.Parties {
		role, email := strings.TrimSpace(r.FormValue("contact_role."+p.ID)), strings.TrimSpace(r.FormValue("contact_email."+p.ID))
		if role != "" || email != "" {
			contacts = append(contacts, agreement.Contact{Party: p.ID, Role: role, Email: email})
		}
	}
	a.Contacts = contacts
	v, err := agreement.Save(ctx, s.Store, c.Actor(), a, r.FormValue("note"))
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/agreement?saved="+strconv.Itoa(v), http.StatusSeeOther)
}

// agreementRACISave saves the RACI grid (or a template, or a new activity)
// as a new version. A grid without exactly one Accountable party per
// activity is refused, naming the activity.
func (s *Server) agreementRACISave(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	cur, err := agreement.Current(ctx, s.Store)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	a := cur.Agreement
	note := r.FormValue("note")
	if t := r.FormValue("template"); t != "" {
		m, err := raci.Template(raci.DeploymentType(t))
		if err != nil {
			s.fail(w, r, false, c, medsec.Errorf(medsec.EINVALID, "%v", err))
			return
		}
		a.RACI = m
		if note == "" {
			note = "RACI template: " + m.Name
		}
	} else {
		m := a.RACI.Clone()
		for _, row := range m.Rows {
			for _, p := range m.Parties {
				key := "role." + row.Activity.ID + "." + p.ID
				if _, ok := r.Form[key]; !ok {
					continue
				}
				role, err := raci.ParseRole(r.FormValue(key))
				if err == nil {
					err = m.Set(row.Activity.ID, p.ID, role)
				}
				if err != nil {
					s.fail(w, r, false, c, medsec.Errorf(medsec.EINVALID, "%s: %v", row.Activity.Name, err))
					return
				}
			}
		}
		if name := strings.TrimSpace(r.FormValue("new_activity")); name != "" {
			id := strings.Trim(strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
					return r
				}
				return '_'
			}, strings.ToLower(name)), "_")
			m.Rows = append(m.Rows, raci.Row{Activity: raci.Activity{ID: id, Name: name}, Roles: map[string]raci.Role{}})
			if p := r.FormValue("new_activity_accountable"); p != "" {
				if err := m.Set(id, p, raci.A|raci.R); err != nil {
					s.fail(w, r, false, c, medsec.Errorf(medsec.EINVALID, "%v", err))
					return
				}
			}
		}
		a.RACI = m
	}
	v, err := agreement.Save(ctx, s.Store, c.Actor(), a, note)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/agreement?saved="+strconv.Itoa(v)+"#raci", http.StatusSeeOther)
}

// agreementExport sends one exhibit (?exhibit=A..E, default A) of a version.
func (s *Server) agreementExport(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	format := r.PathValue("format")
	n, _ := strconv.Atoi(r.FormValue("version"))
	v, err := agreement.Load(ctx, s.Store, n)
	if medsec.ErrorCode(err) == medsec.ENOTFOUND && n == 0 {
		v, err = agreement.Current(ctx, s.Store)
	}
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	exs, err := agreement.Exhibits(ctx, s.Store, v, s.Store.Now())
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	want := strings.ToUpper(r.FormValue("exhibit"))
	if want == "" {
		want = "A"
	}
	for _, ex := range exs {
		if ex.Letter != want {
			continue
		}
		var buf bytes.Buffer
		if err := agreement.Render(&buf, ex.Doc, format); err != nil {
			s.fail(w, r, false, c, err)
			return
		}
		ext := format
		if ext == "markdown" {
			ext = "md"
		}
		w.Header().Set("Content-Type", agreement.ContentType(format))
		w.Header().Set("Content-Disposition", `attachment; filename="`+ex.Slug+"."+ext+`"`)
		w.Write(buf.Bytes())
		return
	}
	s.fail(w, r, false, c, medsec.Errorf(medsec.ENOTFOUND, "Exhibit %q not found; exhibits are A to E.", want))
}

func (s *Server) apiAgreement(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	n, _ := strconv.Atoi(r.FormValue("version"))
	var v agreement.Version
	var err error
	if n > 0 {
		v, err = agreement.Load(ctx, s.Store, n)
	} else {
		v, err = agreement.Current(ctx, s.Store)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	vs, err := s.Store.AgreementVersions(ctx)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": v, "versions": vs})
}

func (s *Server) apiAgreementSave(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var in struct {
		Agreement agreement.Agreement `json:"agreement"`
		Note      string              `json:"note"`
	}
	if err := readJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := agreement.Save(r.Context(), s.Store, c.Actor(), in.Agreement, in.Note)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]int{"version": v})
}

func (s *Server) apiAgreementDiff(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	da, _ := strconv.Atoi(r.FormValue("a"))
	db, _ := strconv.Atoi(r.FormValue("b"))
	if da == 0 || db == 0 {
		vs, err := s.Store.AgreementVersions(ctx)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		if len(vs) < 2 {
			writeJSON(w, http.StatusOK, map[string]any{"a": 0, "b": 0, "changes": []agreement.Change{}})
			return
		}
		da, db = vs[1].Version, vs[0].Version
	}
	va, err := agreement.Load(ctx, s.Store, da)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	vb, err := agreement.Load(ctx, s.Store, db)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ch := agreement.Diff(va.Agreement, vb.Agreement)
	if ch == nil {
		ch = []agreement.Change{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"a": da, "b": db, "changes": ch})
}
