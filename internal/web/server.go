// Package web serves medsec's UI (server-rendered HTML, every asset
// embedded) and its JSON API from one route table.
package web

import (
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/medsec/medsec/internal/store"
)

// Server holds what handlers need. It has no globals: tests build as many
// as they like.
type Server struct {
	Store *store.Store
	Log   *slog.Logger
	// SessionIdle and SessionMax bound a browser session: it ends after
	// SessionIdle without requests, and SessionMax after login regardless.
	SessionIdle time.Duration
	SessionMax  time.Duration
	// UploadDir keeps uploaded files between "check" and "import".
	UploadDir string
	// MaxUpload caps an uploaded file's size.
	MaxUpload int64
	pages     *pages
	job       job
	// statusList caches the asset statuses for the list's filter.
	statusMu   sync.Mutex
	statusList []string
	statusAt   time.Time
	mux        *http.ServeMux
}

// New builds a server and its routes.
func New(st *store.Store, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	s := &Server{
		Store: st, Log: log,
		SessionIdle: 2 * time.Hour, SessionMax: 12 * time.Hour,
		UploadDir: filepath.Join(os.TempDir(), "medsec-uploads"),
		MaxUpload: 2 << 30,
	}
	s.pages = mustParsePages()
	s.mux = http.NewServeMux()
	for _, rt := range s.Routes() {
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler()))
	return s
}

// ServeHTTP adds the security headers every response carries.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	s.mux.ServeHTTP(w, r)
}
