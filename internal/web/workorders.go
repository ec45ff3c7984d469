package web

import (
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
	f, page := workOrderFilter(r, c)
	items, total, err := s.Store.WorkOrders(r.Context(), f)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "workorders", map[string]any{
		"Items": items, "Total": total, "PageNo": page, "Pages": max((total+f.Limit-1)/f.Limit, 1), "Query": r.URL.Query(), "F": f,
		"Now": s.Store.Now().Format("2006-01-02T15:04"),
	})
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
