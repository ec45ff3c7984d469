package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/chart"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	fsrv := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		if r.URL.Path == "chart.css" {
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
			fmt.Fprint(w, chart.CSS)
			return
		}
		fsrv.ServeHTTP(w, r)
	})
}

// pages holds one parsed template set per page, each with the layout.
type pages struct{ t map[string]*template.Template }

var funcs = template.FuncMap{
	"num": func(n int) string { return thousands(int64(n)) },
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04")
	},
	"stamp": func(s string) string {
		if len(s) >= 16 {
			return strings.Replace(s[:16], "T", " ", 1)
		}
		return s
	},
	"carearea": func(c medsec.CareArea) string { return c.Label() },
	"query": func(base url.Values, kv ...any) string {
		q := url.Values{}
		for k, v := range base {
			q[k] = append([]string(nil), v...)
		}
		for i := 0; i+1 < len(kv); i += 2 {
			k, v := fmt.Sprint(kv[i]), fmt.Sprint(kv[i+1])
			if v == "" || v == "0" {
				q.Del(k)
			} else {
				q.Set(k, v)
			}
		}
		return q.Encode()
	},
	"add":     func(a, b int) int { return a + b },
	"eq64":    func(a, b int64) bool { return a == b },
	"idstr":   func(id int64) string { return strconv.FormatInt(id, 10) },
	"pretty":  prettyJSON,
	"links":   parseLinks,
	"rawjson": func(s string) json.RawMessage { return json.RawMessage(s) },
	"strs": func(raw json.RawMessage) []string {
		var out []string
		json.Unmarshal(raw, &out)
		return out
	},
	"pct":    func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) + "%" },
	"mul100": func(f float64) float64 { return f * 100 },
	"f2":     func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
	"status": func(s string) string { return medsec.FindingStatus(s).Label() },
	"list":   func(s ...string) []string { return s },
	"answers": func(raw json.RawMessage) []mds2Answer {
		var out []mds2Answer
		json.Unmarshal(raw, &out)
		return out
	},
}

// mds2Answer is how the model page reads a stored MDS2 answer.
type mds2Answer struct {
	ID       string `json:"id"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
	Note     string `json:"note"`
}

func mustParsePages() *pages {
	p := &pages{t: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n))
		p.t[base] = t
	}
	return p
}

// render writes a page inside the layout. Rendering goes to a buffer first
// so that a template error becomes a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, c *Ctx, status int, page string, data map[string]any) {
	t, ok := s.pages.t[page]
	if !ok {
		http.Error(w, "no such page", http.StatusInternalServerError)
		return
	}
	if data == nil {
		data = map[string]any{}
	}
	data["Ctx"] = c
	data["Page"] = page
	data["Path"] = r.URL.Path
	data["Version"] = medsec.Version
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		s.Log.Error("render", "page", page, "err", err)
		http.Error(w, "Internal error while rendering the page.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
