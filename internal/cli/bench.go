package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/auth"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/web"
)

// runBench measures what users feel: the latency of the asset list page and
// of /api/v1/assets over loopback HTTP, with and without filters and search.
func runBench(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
		fmt.Fprintln(env.Stdout, "Usage: medsec bench assets [--requests N] [--db DSN]\n       medsec bench correlate [--assets N] [--seed S] [--out DIR] [--db DSN]\n"+
			"       medsec bench sla [--workorders N] [--db DSN]   (loads synthetic work orders up to N, then times reading and evaluating every SLA clock and the /service page)")
		return nil
	}
	if len(args) > 0 && args[0] == "correlate" {
		return runBenchCorrelate(ctx, env, args[1:])
	}
	if len(args) > 0 && args[0] == "sla" {
		return runSLABench(ctx, env, args[1:])
	}
	if len(args) == 0 || args[0] != "assets" {
		return medsec.Errorf(medsec.EINVALID, "usage: medsec bench assets|correlate|sla [flags]")
	}
	fs, db := newFlags(env, "bench assets", "bench assets [--requests N] [--db DSN]")
	n := fs.Int("requests", 100, "requests per query")
	st, err := storeFor(ctx, fs, db, args[1:])
	if err != nil {
		return err
	}
	defer st.Close()
	_, total, err := st.FindAssets(ctx, medsec.AssetFilter{PerPage: 1})
	if err != nil {
		return err
	}
	tok, cleanup, err := benchUser(ctx, st)
	if err != nil {
		return err
	}
	defer cleanup()
	srv := httptest.NewServer(web.New(st, logger(io.Discard)))
	defer srv.Close()
	fac, _ := st.CountAssetsBy(ctx, "facility", 0)
	mod, _ := st.CountAssetsBy(ctx, "modality", 0)
	filter := fmt.Sprintf("facility=%d&modality=%d", fac[0].ID, mod[0].ID)
	queries := []string{"", filter, "q=alaris", "q=" + firstTagPrefix(ctx, st), filter + "&q=pump&sort=-serial", "page=500"}
	fmt.Fprintf(env.Stdout, "%d assets on %s, %d requests per query\n%-8s %-55s %9s %9s %9s\n", total, st.Dialect(), *n, "target", "query", "p50 ms", "p95 ms", "max ms")
	for _, target := range []string{"/assets", "/api/v1/assets"} {
		for _, q := range queries {
			lat, err := measure(srv.URL+target+"?"+q, tok, *n)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%-8s %-55s %9.1f %9.1f %9.1f\n", target, "?"+q, pct(lat, 50), pct(lat, 95), pct(lat, 100))
		}
	}
	return nil
}

func firstTagPrefix(ctx context.Context, st *store.Store) string {
	items, _, _ := st.FindAssets(ctx, medsec.AssetFilter{PerPage: 1, Sort: "-asset_tag"})
	if len(items) == 0 || len(items[0].AssetTag) < 6 {
		return "x"
	}
	return items[0].AssetTag[:len(items[0].AssetTag)-2]
}

// benchUser makes a throw-away admin with a session for the measurement,
// and a cleanup that deletes it again.
func benchUser(ctx context.Context, st *store.Store) (string, func(), error) {
	name := "bench-" + auth.NewToken("")[:8]
	hash, _ := auth.HashPassword(auth.NewToken(""), auth.Default)
	u := &medsec.User{Name: name, Role: medsec.RoleAdmin}
	if err := st.CreateUser(ctx, medsec.System, u, hash); err != nil {
		return "", nil, err
	}
	sess := auth.NewToken("mss_")
	if err := st.CreateSession(ctx, auth.HashToken(sess), u.ID, auth.NewToken(""), st.Now().Add(time.Hour)); err != nil {
		return "", nil, err
	}
	return sess, func() { st.DeleteUser(context.Background(), medsec.System, u.ID) }, nil
}

func measure(url, session string, n int) ([]time.Duration, error) {
	lat := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		req, _ := http.NewRequest("GET", url, nil)
		req.AddCookie(&http.Cookie{Name: "medsec_session", Value: session})
		t := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return nil, fmt.Errorf("%s: status %d", url, resp.StatusCode)
		}
		lat = append(lat, time.Since(t))
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat, nil
}

func pct(lat []time.Duration, p int) float64 {
	i := (len(lat) - 1) * p / 100
	return float64(lat[i].Microseconds()) / 1000
}
