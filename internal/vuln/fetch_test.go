package vuln_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

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
