package web

import (
	"bufio"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/schedule"
	"github.com/medsec/medsec/internal/service"
	"github.com/medsec/medsec/internal/sla"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/tabular"
)

// pauseReasons are the reasons offered by the pause forms.
var pauseReasons = []sla.PauseReason{sla.PauseAwaitingParts, sla.PauseAwaitingManufacturer, sla.PauseClinicallyUnavailable}

func workOrderFilter(r *http.Request, c *Ctx) (store.WorkOrderFilter, int) {
	q := r.URL.Query()
	f := store.WorkOrderFilter{Scope: c.Scope(), AssetID: atoi64(q.Get("asset")), Q: q.Get("q"), Open: q.Get("open") == "1" || q.Get("open") == "true"}
	page := max(int(atoi64(q.Get("page"))), 1)
	per := int(atoi64(q.Get("per_page")))
	if per <= 0 || per > 500 {
		per = 100
	}
	f.Limit, f.Offset = per, (page-1)*per
	return f, page
}

func (s *Server) workOrdersPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	s.renderWorkOrders(w, r, c, http.StatusOK, nil)
}

func (s *Server) renderWorkOrders(w http.ResponseWriter, r *http.Request, c *Ctx, status int, extra map[string]any) {
	f, page := workOrderFilter(r, c)
	items, total, err := s.Store.WorkOrders(r.Context(), f)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	data := map[string]any{
		"Items": items, "Total": total, "PageNo": page, "Pages": max((total+f.Limit-1)/f.Limit, 1), "Query": r.URL.Query(), "F": f,
		"Now": s.Store.Now().Format("2006-01-02T15:04"),
	}
	for k, v := range extra {
		data[k] = v
	}
	s.render(w, r, c, status, "workorders", data)
}

// workOrderImportOptions reads the options of a work-order upload (form
// or query): dry_run, skip_bad_rows, tz, dates (mdy|dmy), sheet.
func workOrderImportOptions(get func(string) string, c *Ctx) (service.WorkOrderOptions, error) {
	yes := func(k string) bool { v := get(k); return v == "1" || v == "true" || v == "on" }
	opt := service.WorkOrderOptions{DryRun: yes("dry_run"), SkipBadRows: yes("skip_bad_rows"), Scope: c.Scope(), Tabular: tabular.Options{Sheet: get("sheet")}}
	tz := get("tz")
	if tz == "" {
		tz = "UTC"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return opt, medsec.Errorf(medsec.EINVALID, "tz %q is not an IANA zone (e.g. America/New_York).", tz)
	}
	opt.Location = loc
	switch strings.ToLower(get("dates")) {
	case "":
	case "mdy", "us":
		opt.Convention = sla.ConventionMDY
	case "dmy":
		opt.Convention = sla.ConventionDMY
	default:
		return opt, medsec.Errorf(medsec.EINVALID, "dates must be mdy or dmy.")
	}
	return opt, nil
}

func (s *Server) importWorkOrders(w http.ResponseWriter, r *http.Request, c *Ctx, api bool, get func(string) string) (*service.WorkOrderImport, service.WorkOrderOptions, error) {
	f, name, err := s.uploadedFile(w, r, api)
	if err != nil {
		return nil, service.WorkOrderOptions{}, err
	}
	defer f.Close()
	opt, err := workOrderImportOptions(get, c)
	if err != nil {
		return nil, opt, err
	}
	src := "ui:" + name
	if api {
		src = "api:" + name
	}
	opt.Source = src
	res, err := service.ImportWorkOrders(r.Context(), s.Store, c.Actor(), name, bufio.NewReaderSize(f, 1<<16), opt)
	return res, opt, err
}

// workOrdersImport checks or imports a CMMS work-order file from the Work
// orders page: all or nothing unless "skip bad rows".
func (s *Server) workOrdersImport(w http.ResponseWriter, r *http.Request, c *Ctx) {
	res, opt, err := s.importWorkOrders(w, r, c, false, r.FormValue)
	data := map[string]any{"ImportResult": res, "ImportSkip": opt.SkipBadRows}
	status := http.StatusOK
	if err != nil {
		data["ImportError"], status = medsec.ErrorMessage(err), statusOf(err)
	}
	s.renderWorkOrders(w, r, c, status, data)
}

func (s *Server) apiWorkOrdersImport(w http.ResponseWriter, r *http.Request, c *Ctx) {
	q := r.URL.Query()
	res, opt, err := s.importWorkOrders(w, r, c, true, q.Get)
	if res == nil {
		s.apiError(w, r, err)
		return
	}
	out := map[string]any{"result": res}
	if err != nil {
		out["error"] = map[string]string{"code": string(medsec.ErrorCode(err)), "message": medsec.ErrorMessage(err)}
	}
	writeJSON(w, uploadStatus(err, opt.DryRun), out)
}

// workOrderFromForm reads the new-work-order form (datetime-local inputs in UTC).
func workOrderFromForm(r *http.Request) (schedule.WorkOrder, error) {
	w := schedule.WorkOrder{Key: r.FormValue("key"), AssetKey: r.FormValue("asset"), Type: r.FormValue("type"),
		Priority: r.FormValue("priority"), Result: r.FormValue("result")}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"opened", &w.Opened}, {"responded", &w.Responded}, {"on_site", &w.OnSite}, {"completed", &w.Completed}} {
		t, err := service.ParseTime(r.FormValue(f.name), time.UTC)
		if err != nil {
			return w, err
		}
		*f.dst = t
	}
	return w, nil
}

func (s *Server) workOrderCreate(w http.ResponseWriter, r *http.Request, c *Ctx) {
	wo, err := workOrderFromForm(r)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	row, err := service.NewWorkOrder(r.Context(), s.Store, c.Actor(), c.Scope(), "ui", wo)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/workorders/"+strconv.FormatInt(row.ID, 10), http.StatusSeeOther)
}

// eventView is what the work-order and event pages show of an SLA event.
func (s *Server) eventData(r *http.Request, c *Ctx, id string) (map[string]any, error) {
	res, ev, meta, err := service.EventResult(r.Context(), s.Store, c.Scope(), id, s.Store.Now())
	if err != nil {
		return nil, err
	}
	pauses, err := s.Store.Pauses(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Result": res, "Event": ev, "Meta": meta, "Clocks": clockViews(res), "Pauses": pauses,
		"Reasons": pauseReasons, "EventID": id, "Now": s.Store.Now().Format("2006-01-02T15:04")}, nil
}

func (s *Server) workOrderPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	wo, err := s.Store.WorkOrder(r.Context(), atoi64(r.PathValue("id")), c.Scope())
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	data, err := s.eventData(r, c, wo.Key)
	if err != nil {
		if medsec.ErrorCode(err) != medsec.ENOTFOUND {
			s.fail(w, r, false, c, err)
			return
		}
		// A cancelled order or one on a retired asset runs no clock.
		pauses, _ := s.Store.Pauses(r.Context(), wo.Key)
		data = map[string]any{"NoClock": medsec.ErrorMessage(err), "Pauses": pauses, "Reasons": pauseReasons, "EventID": wo.Key,
			"Now": s.Store.Now().Format("2006-01-02T15:04")}
	}
	data["WO"] = wo
	data["EventType"] = service.EventTypeOf(wo.Type)
	s.render(w, r, c, http.StatusOK, "workorder", data)
}

func (s *Server) slaEventPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	id := r.PathValue("id")
	if wo, err := s.Store.WorkOrderByKey(r.Context(), id, c.Scope()); err == nil {
		http.Redirect(w, r, "/workorders/"+strconv.FormatInt(wo.ID, 10), http.StatusSeeOther)
		return
	}
	data, err := s.eventData(r, c, id)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "workorder", data)
}

// eventInScope checks that the caller may see the event a pause is for.
func (s *Server) eventInScope(r *http.Request, c *Ctx, id string) error {
	_, err := s.Store.WorkOrderByKey(r.Context(), id, c.Scope())
	if err == nil || medsec.ErrorCode(err) != medsec.ENOTFOUND {
		return err
	}
	_, _, _, err = service.EventResult(r.Context(), s.Store, c.Scope(), id, s.Store.Now())
	return err
}

func (s *Server) addPause(r *http.Request, c *Ctx, event, reason, note, from, to string) (int64, error) {
	if err := s.eventInScope(r, c, event); err != nil {
		return 0, err
	}
	p := store.PauseRow{EventID: event, Reason: reason, Note: strings.TrimSpace(note)}
	var err error
	if p.From, err = service.ParseTime(from, time.UTC); err != nil {
		return 0, err
	}
	if p.From.IsZero() {
		p.From = s.Store.Now()
	}
	if p.To, err = service.ParseTime(to, time.UTC); err != nil {
		return 0, err
	}
	return s.Store.AddPause(r.Context(), c.Actor(), p)
}

func eventURL(id string) string { return "/sla/events/" + url.PathEscape(id) }

func (s *Server) pauseCreate(w http.ResponseWriter, r *http.Request, c *Ctx) {
	event := r.FormValue("event")
	if _, err := s.addPause(r, c, event, r.FormValue("reason"), r.FormValue("note"), r.FormValue("from"), r.FormValue("to")); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, eventURL(event), http.StatusSeeOther)
}

func (s *Server) endPause(r *http.Request, c *Ctx, id int64, at string) (store.PauseRow, error) {
	ps, err := s.Store.Pauses(r.Context())
	if err != nil {
		return store.PauseRow{}, err
	}
	for _, p := range ps {
		if p.ID == id {
			if err := s.eventInScope(r, c, p.EventID); err != nil {
				return p, err
			}
			t, err := service.ParseTime(at, time.UTC)
			if err != nil {
				return p, err
			}
			if t.IsZero() {
				t = s.Store.Now()
			}
			return s.Store.EndPause(r.Context(), c.Actor(), id, t)
		}
	}
	return store.PauseRow{}, medsec.Errorf(medsec.ENOTFOUND, "Pause %d not found.", id)
}

func (s *Server) pauseEnd(w http.ResponseWriter, r *http.Request, c *Ctx) {
	p, err := s.endPause(r, c, atoi64(r.PathValue("id")), r.FormValue("at"))
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, eventURL(p.EventID), http.StatusSeeOther)
}

// API

func (s *Server) apiWorkOrders(w http.ResponseWriter, r *http.Request, c *Ctx) {
	f, page := workOrderFilter(r, c)
	items, total, err := s.Store.WorkOrders(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "page": page, "per_page": f.Limit, "items": items})
}

// apiWorkOrderBody is the JSON of a new or updated work order.
type apiWorkOrderBody struct {
	Key       string `json:"key"`
	Asset     string `json:"asset"`
	Type      string `json:"type"`
	Priority  string `json:"priority"`
	Opened    string `json:"opened"`
	Responded string `json:"responded"`
	OnSite    string `json:"on_site"`
	Completed string `json:"completed"`
	Result    string `json:"result"`
}

func (s *Server) apiWorkOrderCreate(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var b apiWorkOrderBody
	if err := readJSON(r, &b); err != nil {
		s.apiError(w, r, err)
		return
	}
	wo := schedule.WorkOrder{Key: b.Key, AssetKey: b.Asset, Type: b.Type, Priority: b.Priority, Result: b.Result}
	for _, f := range []struct {
		v   string
		dst *time.Time
	}{{b.Opened, &wo.Opened}, {b.Responded, &wo.Responded}, {b.OnSite, &wo.OnSite}, {b.Completed, &wo.Completed}} {
		t, err := service.ParseTime(f.v, time.UTC)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		*f.dst = t
	}
	row, err := service.NewWorkOrder(r.Context(), s.Store, c.Actor(), c.Scope(), "api", wo)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, row)
}

func (s *Server) apiEvent(w http.ResponseWriter, r *http.Request, c *Ctx, id string, extra map[string]any) {
	res, ev, meta, err := service.EventResult(r.Context(), s.Store, c.Scope(), id, s.Store.Now())
	out := map[string]any{}
	for k, v := range extra {
		out[k] = v
	}
	if err == nil {
		out["sla"], out["event"], out["source"] = res, ev, meta
	} else if medsec.ErrorCode(err) != medsec.ENOTFOUND || extra == nil {
		s.apiError(w, r, err)
		return
	}
	pauses, err := s.Store.Pauses(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out["pauses"] = pauses
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiWorkOrder(w http.ResponseWriter, r *http.Request, c *Ctx) {
	wo, err := s.Store.WorkOrder(r.Context(), atoi64(r.PathValue("id")), c.Scope())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiEvent(w, r, c, wo.Key, map[string]any{"work_order": wo})
}

func (s *Server) apiSLAEvent(w http.ResponseWriter, r *http.Request, c *Ctx) {
	s.apiEvent(w, r, c, r.PathValue("id"), nil)
}

type apiPauseBody struct {
	EventID string `json:"event_id"`
	Reason  string `json:"reason"`
	Note    string `json:"note"`
	From    string `json:"from"`
	To      string `json:"to"`
}

func (s *Server) apiPauseCreate(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var b apiPauseBody
	if err := readJSON(r, &b); err != nil {
		s.apiError(w, r, err)
		return
	}
	if id := r.PathValue("id"); id != "" { // /workorders/{id}/pauses
		wo, err := s.Store.WorkOrder(r.Context(), atoi64(id), c.Scope())
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		b.EventID = wo.Key
	}
	id, err := s.addPause(r, c, b.EventID, b.Reason, b.Note, b.From, b.To)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiEvent(w, r, c, b.EventID, map[string]any{"pause_id": id})
}

func (s *Server) apiPauseEnd(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var b struct {
		At string `json:"at"`
	}
	if r.ContentLength != 0 {
		if err := readJSON(r, &b); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	p, err := s.endPause(r, c, atoi64(r.PathValue("id")), b.At)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiEvent(w, r, c, p.EventID, map[string]any{"pause": p})
}
