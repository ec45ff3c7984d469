package vuln_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
	"github.com/medsec/medsec/internal/vuln"
)

// TestFetch serves the real KEV catalog and the NVD records, paged the way
// the NVD API pages, from a local server, and fetches them.
func TestFetch(t *testing.T) {
	kevJSON, err := os.ReadFile("../kev/testdata/known_exploited_vulnerabilities.json")
	if err != nil {
		t.Fatal(err)
	}
	envelope, err := os.ReadFile("../nvd/testdata/nvd_api2_envelope.medical-subset.json")
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Vulnerabilities []json.RawMessage `json:"vulnerabilities"`
	}
	if err := json.Unmarshal(envelope, &env); err != nil {
		t.Fatal(err)
	}
	pages := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/kev.json":
			w.Write(kevJSON)
		case "/cves/2.0":
			pages++
			start, _ := strconv.Atoi(r.URL.Query().Get("startIndex"))
			end := min(start+4, len(env.Vulnerabilities))
			var items []string
			for _, v := range env.Vulnerabilities[start:end] {
				items = append(items, string(v))
			}
			w.Write([]byte(`{"resultsPerPage":4,"startIndex":` + strconv.Itoa(start) + `,"totalResults":` + strconv.Itoa(len(env.Vulnerabilities)) +
				`,"format":"NVD_CVE","version":"2.0","timestamp":"2025-01-01T00:00:00.000","vulnerabilities":[` + strings.Join(items, ",") + `]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		pages = 0
		im, err := vuln.Fetch(ctx, st, medsec.System, srv.Client(), vuln.KindKEV, srv.URL+"/kev.json")
		if err != nil || im.Records != 1404 {
			t.Fatalf("kev fetch: %+v %v", im, err)
		}
		im, err = vuln.Fetch(ctx, st, medsec.System, srv.Client(), vuln.KindNVD, srv.URL+"/cves/2.0?resultsPerPage=4")
		if err != nil || im.Records != 9 || pages != 3 {
			t.Fatalf("nvd fetch: %+v %v after %d pages", im, err, pages)
		}
		c, _ := st.Intel(ctx)
		if c.KEV != 1404 || c.NVD != 9 {
			t.Errorf("intel after fetch: %+v", c)
		}
		if _, err := vuln.Fetch(ctx, st, medsec.System, srv.Client(), vuln.KindKEV, srv.URL+"/missing"); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("missing feed: %v", err)
		}
	})
}

// TestFetchLoop: with fetching allowed, the server's loop loads the feed at
// once and matches; a failing feed is logged, not fatal.
func TestFetchLoop(t *testing.T) {
	kevJSON, err := os.ReadFile("../kev/testdata/known_exploited_vulnerabilities.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/kev.json" {
			w.Write(kevJSON)
			return
		}
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	saved := map[vuln.Kind]string{}
	for k, v := range vuln.Feeds {
		saved[k] = v
	}
	vuln.Feeds[vuln.KindKEV], vuln.Feeds[vuln.KindEPSS] = srv.URL+"/kev.json", srv.URL+"/epss.csv.gz"
	defer func() {
		for k, v := range saved {
			vuln.Feeds[k] = v
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, testdb.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logs strings.Builder
	done := make(chan struct{})
	go func() {
		vuln.FetchLoop(ctx, st, time.Hour, []vuln.Kind{vuln.KindKEV, vuln.KindEPSS}, srv.Client(), slog.New(slog.NewTextHandler(&syncWriter{b: &logs}, nil)))
		close(done)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, _ := st.Intel(ctx)
		if c.KEV == 1404 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("KEV not fetched; log:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if !strings.Contains(logs.String(), "feed fetch failed") || !strings.Contains(logs.String(), "503") {
		t.Errorf("the failing EPSS feed was not logged:\n%s", logs.String())
	}
	if _, err := vuln.ParseKinds("kev,rss"); err == nil || !strings.Contains(err.Error(), `unknown feed "rss"`) {
		t.Errorf("ParseKinds: %v", err)
	}
}

type syncWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
