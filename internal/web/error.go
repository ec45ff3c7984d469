package web

import (
	"encoding/json"
	"net/http"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
)

var codeStatus = map[string]int{
	medsec.ECONFLICT:     http.StatusConflict,
	medsec.EINVALID:      http.StatusBadRequest,
	medsec.ENOTFOUND:     http.StatusNotFound,
	medsec.EUNAUTHORIZED: http.StatusUnauthorized,
	medsec.EFORBIDDEN:    http.StatusForbidden,
	medsec.ETHROTTLED:    http.StatusTooManyRequests,
	medsec.EUNAVAILABLE:  http.StatusServiceUnavailable,
	medsec.EINTERNAL:     http.StatusInternalServerError,
}

func statusOf(err error) int {
	if st, ok := codeStatus[medsec.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// fail reports an error as JSON (API) or as an error page (UI). Internal
// errors are logged with detail and shown to users without it.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, api bool, c *Ctx, err error) {
	err = store.Friendly(err)
	st := statusOf(err)
	if st == http.StatusInternalServerError {
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if api {
		s.apiError(w, r, err)
		return
	}
	s.render(w, r, c, st, "error", map[string]any{"Status": st, "Message": medsec.ErrorMessage(err)})
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	err = store.Friendly(err)
	st := statusOf(err)
	if st == http.StatusInternalServerError {
		s.Log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if st == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="medsec"`)
	}
	writeJSON(w, st, map[string]any{"error": map[string]string{"code": medsec.ErrorCode(err), "message": medsec.ErrorMessage(err)}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
