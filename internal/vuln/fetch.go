package vuln

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	neturl "net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/nvd"
	"github.com/medsec/medsec/internal/store"
)

// Feeds are the public locations of the intelligence medsec can fetch when
// an administrator allows it. Hospital networks are often offline, so
// nothing is fetched unless asked to.
var Feeds = map[Kind]string{
	KindKEV:  "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
	KindEPSS: "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz",
	KindNVD:  "https://services.nvd.nist.gov/rest/json/cves/2.0?resultsPerPage=2000&startIndex=0",
}

// maxFeed bounds a download: the NVD's whole history is under 2 GB.
const maxFeed = 4 << 30

// Fetch downloads one feed from url (Feeds[kind] when url is "") and loads
// it like a file. The download streams into the import; a failed or
// partial download changes nothing, because each import is one transaction.
func Fetch(ctx context.Context, st *store.Store, actor medsec.Actor, client *http.Client, kind Kind, url string) (Imported, error) {
	if url == "" {
		url = Feeds[kind]
	}
	if url == "" {
		return Imported{}, medsec.Errorf(medsec.EINVALID, "nothing to fetch for %q; use kev, epss or nvd, or give --url", kind)
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Minute}
	}
	if kind == KindNVD {
		return fetchNVD(ctx, st, actor, client, url)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Imported{}, medsec.Errorf(medsec.EINVALID, "bad feed URL %q: %v", url, err)
	}
	req.Header.Set("User-Agent", "medsec (+offline-first medical device security)")
	resp, err := client.Do(req)
	if err != nil {
		return Imported{}, medsec.Errorf(medsec.EUNAVAILABLE, "cannot fetch %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Imported{}, medsec.Errorf(medsec.EUNAVAILABLE, "fetching %s: the server answered %s", url, resp.Status)
	}
	name := path.Base(req.URL.Path)
	im, err := ImportReader(ctx, st, actor, name, io.LimitReader(resp.Body, maxFeed))
	if err != nil {
		return im, err
	}
	if im.Kind != kind {
		return im, fmt.Errorf("%s held %s data, not %s; it was loaded as %s", url, im.Kind, kind, im.Kind)
	}
	return im, nil
}

// fetchNVD walks the NVD API's pages (startIndex, resultsPerPage) until
// totalResults; each page is stored in its own transaction, so an
// interrupted fetch keeps the pages it finished and can be run again.
func fetchNVD(ctx context.Context, st *store.Store, actor medsec.Actor, client *http.Client, raw string) (Imported, error) {
	out := Imported{File: raw, Kind: KindNVD}
	u, err := neturl.Parse(raw)
	if err != nil {
		return out, medsec.Errorf(medsec.EINVALID, "bad feed URL %q: %v", raw, err)
	}
	start := 0
	for {
		q := u.Query()
		q.Set("startIndex", strconv.Itoa(start))
		u.RawQuery = q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return out, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return out, medsec.Errorf(medsec.EUNAVAILABLE, "cannot fetch %s: %v", u, err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return out, medsec.Errorf(medsec.EUNAVAILABLE, "fetching %s: the server answered %s", u, resp.Status)
		}
		var pg nvd.Page
		n, err := st.SaveNVD(ctx, actor, u.String(), func(add func(store.NVDRow) error) error {
			var rerr error
			pg, rerr = nvd.ReadPage("nvd page "+strconv.Itoa(start), io.LimitReader(resp.Body, maxFeed), func(c *nvd.CVE) error {
				r, err := nvdRow(c)
				if err != nil {
					return err
				}
				return add(r)
			})
			return rerr
		})
		resp.Body.Close()
		if err != nil {
			return out, err
		}
		out.Records += n
		start += n
		if n == 0 || start >= pg.TotalResults {
			return out, nil
		}
	}
}

// FetchLoop fetches the given feeds now and then every interval until ctx
// ends, matching the inventory after each round that loaded something. It
// is what `serve --fetch-every` runs when an administrator allows the
// server to reach the feeds' public locations; a failed fetch is logged
// and tried again next round, never fatal.
func FetchLoop(ctx context.Context, st *store.Store, interval time.Duration, kinds []Kind, client *http.Client, log *slog.Logger) {
	round := func() {
		loaded := 0
		for _, k := range kinds {
			im, err := Fetch(ctx, st, medsec.System, client, k, "")
			if err != nil {
				log.Warn("feed fetch failed", "feed", string(k), "err", err)
				continue
			}
			loaded += im.Records
			log.Info("feed fetched", "feed", string(k), "records", im.Records)
		}
		if loaded == 0 {
			return
		}
		if sum, err := MatchAll(ctx, st, medsec.System); err != nil {
			log.Warn("match after fetch failed", "err", err)
		} else {
			log.Info("matched after fetch", "asset_findings", sum.AssetFindings, "new", sum.New)
		}
	}
	round()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			round()
		}
	}
}

// ParseKinds reads a comma-separated list of feeds (kev, epss, nvd).
func ParseKinds(s string) ([]Kind, error) {
	var out []Kind
	for _, p := range strings.Split(s, ",") {
		k := Kind(strings.ToLower(strings.TrimSpace(p)))
		if k == "" {
			continue
		}
		if _, ok := Feeds[k]; !ok {
			return nil, medsec.Errorf(medsec.EINVALID, "unknown feed %q; use kev, epss or nvd", p)
		}
		out = append(out, k)
	}
	return out, nil
}
