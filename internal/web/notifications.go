package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/medsec/medsec/internal/store"
)

func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	list, err := s.Store.Notifications(r.Context(), c.Actor(), r.FormValue("unread") == "1", 200)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	unread, _ := s.Store.UnreadNotifications(r.Context(), c.Actor())
	s.render(w, r, c, http.StatusOK, "notifications", map[string]any{"List": list, "Unread": unread, "OnlyUnread": r.FormValue("unread") == "1"})
}

func (s *Server) notificationsRead(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var ids []int64
	if v := r.FormValue("id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			ids = append(ids, id)
		}
	}
	if _, err := s.Store.MarkNotificationsRead(r.Context(), c.Actor(), ids); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}

// notificationsBadge is the bell in the layout: an SVG with the caller's
// unread count, so every page shows it without scripts.
func (s *Server) notificationsBadge(w http.ResponseWriter, r *http.Request, c *Ctx) {
	n, err := s.Store.UnreadNotifications(r.Context(), c.Actor())
	if err != nil {
		n = 0
	}
	label := strconv.Itoa(n)
	if n > 99 {
		label = "99+"
	}
	fill := "#8a94a6"
	if n > 0 {
		fill = "#c0463e"
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="44" height="22" viewBox="0 0 44 22" role="img" aria-label="%d unread notifications"><title>%d unread notifications</title>`+
		`<path d="M9 3a5 5 0 0 0-5 5v4l-2 3h14l-2-3V8a5 5 0 0 0-5-5zm-2 13a2 2 0 0 0 4 0z" fill="#1d2430"/>`+
		`<rect x="19" y="3" width="24" height="16" rx="8" fill="%s"/><text x="31" y="15" font-family="sans-serif" font-size="11" text-anchor="middle" fill="#fff">%s</text></svg>`, n, n, fill, label)
}

func (s *Server) apiNotifications(w http.ResponseWriter, r *http.Request, c *Ctx) {
	list, err := s.Store.Notifications(r.Context(), c.Actor(), r.FormValue("unread") == "1", 200)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if list == nil {
		list = []store.Notification{}
	}
	unread, _ := s.Store.UnreadNotifications(r.Context(), c.Actor())
	writeJSON(w, http.StatusOK, map[string]any{"unread": unread, "items": list})
}
